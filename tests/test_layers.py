"""The layers' exceptions stay lazy.

`lint-imports` (`.importlinter`, run by `make test`) keeps the imports one-way, with five
declared exceptions: a result object reaches the presentation above it through accessors
(``str``, ``_repr_html_``, ``.plot``, ``.view``) that import it only when called, as xarray's
``.plot`` does. These tests check that importing the result modules really leaves the
presentation, matplotlib and the rules unloaded, so the exceptions cannot grow into imports
at module level unnoticed.
"""

import json
import subprocess
import sys

import pytest

PRESENTATION = ("fiscal_sim.display", "fiscal_sim.plots", "fiscal_sim.report", "matplotlib")


def _loaded_after(module: str, watched) -> list[str]:
    probe = (
        "import json, sys\n"
        f"import {module}\n"
        f"print(json.dumps(sorted(m for m in {tuple(watched)!r} if m in sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "module",
    [
        "fiscal_sim.results",
        "fiscal_sim.comparison",
        "fiscal_sim.ensemble",
        "fiscal_sim.sweep",
    ],
)
def test_result_modules_load_no_presentation(module):
    assert _loaded_after(module, PRESENTATION) == []


def test_the_engine_loads_nothing_above_it():
    above = ("fiscal_sim.results", "fiscal_sim.rules", "pandas", *PRESENTATION)
    assert _loaded_after("fiscal_sim.engine", above) == []


def test_the_accessors_do_reach_the_presentation():
    import fiscal_sim
    from fiscal_sim.display import PlotAccessor

    projection = fiscal_sim.project(fiscal_sim.load_scenario())
    assert isinstance(projection.plot, PlotAccessor)
    assert projection.scenario.hash in repr(projection)
