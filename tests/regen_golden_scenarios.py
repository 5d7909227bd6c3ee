"""Regenerate the golden outputs of the shipped scenarios: run on purpose only.

    python tests/regen_golden_scenarios.py            # every bundled scenario
    python tests/regen_golden_scenarios.py covid-2020 # some of them

Writes ``tests/golden/scenarios/<name>_indicators.csv`` (the projection's indicators), and
``<name>_measures.csv`` (the measure table) for scenarios with measures, and
``<name>_findings.csv`` (the rules' findings, without the message texts) when
``fiscal_sim.rules`` is importable. ``tests/test_scenario_library.py`` compares the current
outputs with these files (rtol 1e-9).

The goldens are regression pins, not evidence: this script writes them from the code they
check. When a change of the engine or the rules moves them on purpose, land that change first
with hand-worked cases that show it (``tests/engine/cases``, ``tests/rules/engine_cases``),
then regenerate, read ``git diff tests/golden`` and commit the new files in a commit of their
own that changes no engine or rule code, with the reason in its message (docs/testing.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from fiscal_sim.rules.findings import COLUMNS

GOLDEN = Path(__file__).resolve().parent / "golden" / "scenarios"
# The findings without their messages: the golden files hold the numbers, not the wording.
FINDINGS_COLUMNS = tuple(c for c in COLUMNS if not c.startswith("message_"))


def rules_check():
    """``fiscal_sim.rules.check`` (imported here so that the script starts quickly)."""
    from fiscal_sim.rules import check

    return check


def golden_frames(name: str) -> dict[str, pd.DataFrame]:
    """The golden tables of one bundled scenario: ``{kind: frame}``, kind in
    ``indicators, measures, findings``."""
    import fiscal_sim
    from fiscal_sim.results import measure_table

    scenario = fiscal_sim.load_scenario(name)
    projection = fiscal_sim.project(scenario)
    frames = {"indicators": projection.indicators().reset_index()}
    if scenario.extra.get("measures"):
        frames["measures"] = measure_table(scenario)
    check = rules_check()
    if check is not None:
        findings = check(projection).to_frame()
        frames["findings"] = findings.loc[:, list(FINDINGS_COLUMNS)].reset_index(drop=True)
    return frames


def golden_path(name: str, kind: str) -> Path:
    return GOLDEN / f"{name}_{kind}.csv"


def main(names: list[str]) -> None:
    import fiscal_sim

    names = names or [entry["name"] for entry in fiscal_sim.list_scenarios()]
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name in names:
        for old in GOLDEN.glob(f"{name}_*.csv"):
            old.unlink()
        for kind, frame in golden_frames(name).items():
            path = golden_path(name, kind)
            frame.to_csv(path, index=False)
            print(f"wrote {path.relative_to(GOLDEN.parent.parent.parent)}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
