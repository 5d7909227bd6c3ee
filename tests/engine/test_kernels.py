"""The compiled kernels (fiscal_sim.engine.kernels) equal the numpy engine bit for bit.

The numpy engine is the reference. Under Hypothesis, random scenarios (bundled scenarios
with a few parameters scaled, years moved, every word of the budget's policy chosen, the
waterfall's order permuted, the cash-class thresholds moved) and random shocks (up to three
times the scenario's own, so that gaps, cuts and deferred payments happen) are projected
both ways; every annual, tier and monthly array must be equal bit for bit, in the same order
of keys. Then: the Monte Carlo through the kernels equals the one through numpy, and numba
is imported on the Monte Carlo path only.
"""

from __future__ import annotations

import functools
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fiscal_sim
from fiscal_sim.engine import run
from fiscal_sim.params.schema import TIERS, spec_for
from fiscal_sim.perturb import with_values
from fiscal_sim.stochastic import draw_shocks, shock_spec

SCENARIOS = ("default", "covid-2020", "advances-as-gap-cover", "austerity", "land-slump")
YEAR_PATHS = ("arrears.clear_year", "policy.measures_decided", "rules.legacy_deadline_year")
CASH_LEVELS = tuple(f"rules.cash_{name}_level" for name in ("alarm", "low", "idle"))
WORDS = {
    "policy.gap_financing": ("none", "fund", "advances", "arrears"),
    "policy.surplus_use": ("fund", "digestion"),
    "policy.budget_room": ("key_projects", "fund"),
    "policy.unpaid_debt_service": ("deducted", "carried"),
}


@functools.cache
def base(name: str):
    return fiscal_sim.load_scenario(name)


@functools.cache
def numeric_paths() -> tuple[str, ...]:
    """Every money, people, share and rate parameter of the default county."""
    return tuple(
        param.path
        for param in base("default").params()
        if param.kind in ("scalar", "yearly")
        and not param.path.startswith(("horizon.", "rules."))
        and param.unit not in ("year", "month", "months")
        and param.path not in YEAR_PATHS
    )


@st.composite
def scenarios(draw):
    scenario = base(draw(st.sampled_from(SCENARIOS)))
    changes = {}
    for path in draw(st.lists(st.sampled_from(numeric_paths()), max_size=10, unique=True)):
        spec = spec_for(path)
        value = np.asarray(scenario.param(path).value, dtype=float) * draw(st.floats(0.3, 1.7))
        value = np.clip(value, spec.minimum, spec.upper)
        value = np.round(value) if spec.integer else value
        changes[path] = float(value) if value.ndim == 0 else value
    for path in draw(st.lists(st.sampled_from(YEAR_PATHS), max_size=2, unique=True)):
        changes[path] = draw(st.integers(2019, 2025))
    for path, choices in WORDS.items():
        changes[path] = draw(st.sampled_from(choices))
    changes["policy.priority"] = list(draw(st.permutations(TIERS)))
    if draw(st.booleans()):
        levels = sorted(draw(st.lists(st.floats(0.1, 2.0), min_size=3, max_size=3)))
        changes.update(zip(CASH_LEVELS, levels, strict=True))
    return with_values(scenario, changes)


def assert_bit_for_bit(compiled, reference) -> None:
    for group in ("annual", "tiers", "months"):
        mine, theirs = getattr(compiled, group), getattr(reference, group)
        assert list(mine) == list(theirs), group
        for name, expected in theirs.items():
            got = np.ascontiguousarray(mine[name], dtype=float)
            expected = np.ascontiguousarray(expected, dtype=float)
            assert got.shape == expected.shape, (group, name)
            assert np.array_equal(got.view(np.int64), expected.view(np.int64)), (group, name)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    scenario=scenarios(),
    draws=st.integers(1, 40),
    scale=st.floats(0.0, 3.0),
    seed=st.integers(0, 2**16),
)
def test_the_kernels_equal_the_numpy_engine_bit_for_bit(scenario, draws, scale, seed):
    spec = shock_spec(scenario).scaled(scale)
    shocks = draw_shocks(spec, len(scenario.years), 0, draws, seed)
    with np.errstate(all="ignore"):
        try:
            reference = run(scenario, shocks=shocks)
        except fiscal_sim.ScenarioError:  # not finite: the kernels must say so too
            with pytest.raises(fiscal_sim.ScenarioError):
                run(scenario, shocks=shocks, compiled=True)
            return
    assert_bit_for_bit(run(scenario, shocks=shocks, compiled=True), reference)


def test_a_monte_carlo_chunk_goes_through_both_kernels(monkeypatch):
    """What the property compares is what the Monte Carlo runs: both kernels, no fallback."""
    from fiscal_sim.engine import kernels

    used = []
    for name in ("ledgers", "treasury"):
        kernel = getattr(kernels, name)

        def counted(*args, kernel=kernel, name=name):
            used.append(name)
            return kernel(*args)

        monkeypatch.setattr(kernels, name, counted)
    scenario = base("default")
    shocks = draw_shocks(shock_spec(scenario), len(scenario.years), 0, 300, 2)
    assert_bit_for_bit(run(scenario, shocks=shocks, compiled=True), run(scenario, shocks=shocks))
    assert used == ["ledgers", "treasury"]


def test_a_monte_carlo_through_the_kernels_is_the_numpy_one():
    scenario = base("covid-2020")
    both = [
        fiscal_sim.simulate(scenario, draws=2100, seed=8, compiled=compiled)
        for compiled in (False, True)
    ]
    for name in ("quantile_values", "mean", "std", "minimum", "maximum", "wage_month_probability"):
        np.testing.assert_array_equal(getattr(both[1], name), getattr(both[0], name))
    assert both[1].breach.equals(both[0].breach)


@pytest.mark.parametrize(
    "code",
    [
        "import fiscal_sim",
        "import fiscal_sim; fiscal_sim.project(fiscal_sim.load_scenario())",
        "import fiscal_sim; fiscal_sim.simulate(fiscal_sim.load_scenario(), draws=1500, seed=1)",
        "from fiscal_sim.cli import main; main(['run'])",
    ],
)
def test_numba_is_imported_on_the_large_monte_carlo_path_only(code):
    probe = f"import sys\ntry:\n    {code}\nexcept SystemExit:\n    pass\n"
    probe += "print('numba' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "False"


def test_cached_kernels_load_without_the_rules_numba_compiles_with():
    """Machine code from the cache needs numba's runtime, not its typing and lowering rules
    (some hundred modules, about 0.1 s of a Monte Carlo's start): a process that finds the
    kernels cached loads them without those, and they give the numpy engine's numbers."""
    probe = (
        "import sys, numpy as np, fiscal_sim\n"
        "from fiscal_sim.engine import run\n"
        "from fiscal_sim.stochastic import draw_shocks, shock_spec\n"
        "s = fiscal_sim.load_scenario()\n"
        "shocks = draw_shocks(shock_spec(s), len(s.years), 0, 50, 3)\n"
        "fast, reference = run(s, shocks=shocks, compiled=True), run(s, shocks=shocks)\n"
        "same = all(np.array_equal(fast.months[k], reference.months[k]) for k in fast.months)\n"
        "print(same, 'numba.np.arraymath' in sys.modules)\n"
    )
    for _ in range(2):  # the first may compile them (and load the rules); the second loads
        done = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True
        )
    assert done.stdout.split()[-2:] == ["True", "False"]


@pytest.mark.parametrize(
    ("draws", "expected"),
    [(99_999, False), (100_000, True), (200_000, True), (200_001, False), (1_000_000, False)],
)
def test_simulate_takes_the_kernels_from_1e5_draws_to_the_exact_limit(draws, expected):
    from fiscal_sim.stochastic import uses_kernels

    assert uses_kernels(draws) is expected


def test_without_a_cache_simulate_does_not_compile_the_kernels(monkeypatch):
    from fiscal_sim.stochastic import uses_kernels

    monkeypatch.setenv("FISCAL_SIM_CACHE_DIR", "")
    assert uses_kernels(150_000) is False


def test_a_change_to_any_kernel_file_moves_the_cache_folder(tmp_path):
    """numba checks a cached kernel against its own file only: an edit to the numpy-order
    helpers it calls must still compile it again, so the folder follows every file."""
    import shutil
    from pathlib import Path

    from fiscal_sim.engine.kernels import compiler

    package = tmp_path / "kernels"
    shutil.copytree(Path(compiler.__file__).parent, package, ignore=shutil.ignore_patterns("*.pyc"))
    before = compiler.source_version(package)
    assert before == compiler.source_version()
    helpers = package / "numpy_order.py"
    helpers.write_text(helpers.read_text() + "\n# one more line\n")
    assert compiler.source_version(package) != before


@settings(max_examples=60, deadline=None)
@given(
    chunks=st.lists(st.integers(1, 2600), min_size=1, max_size=3),
    pool=st.lists(
        st.one_of(st.sampled_from([0.0, -0.0, 1.0, -1.0]), st.floats(-1e6, 1e6)), min_size=1
    ),
    seed=st.integers(0, 2**16),
)
def test_the_summaries_kernel_equals_the_accumulator_bit_for_bit(chunks, pool, seed):
    """Minima, maxima and the block sums of deviations and squares, chunk after chunk (only
    the last chunk ends in a partial block): ties between +0 and -0, draws equal to the
    baseline and partial blocks included."""
    from fiscal_sim.accumulator import BLOCK_DRAWS, moments
    from fiscal_sim.engine.kernels import moments as compiled_moments

    rng = np.random.default_rng(seed)
    shape = (3, 4)
    base = rng.choice(pool, size=shape)
    sizes = [-(-size // BLOCK_DRAWS) * BLOCK_DRAWS for size in chunks[:-1]] + chunks[-1:]

    def totals():
        return np.full(shape, np.inf), np.full(shape, -np.inf), np.zeros(shape), np.zeros(shape)

    mine, theirs = totals(), totals()
    for size in sizes:
        values = rng.choice(pool, size=(size, *shape))
        compiled_moments(values, base, BLOCK_DRAWS, *mine)
        moments(values.copy(), base, *theirs)
    for got, expected in zip(mine, theirs, strict=True):
        assert np.array_equal(got.view(np.int64), expected.view(np.int64))
