"""The shipped scenario library: every file loads, golden outputs hold, each shows its story."""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from regen_golden_scenarios import golden_frames as build_golden_frames
from regen_golden_scenarios import golden_path

import fiscal_sim
from fiscal_sim.rules import check
from fiscal_sim.yamlio import read_yaml

LIBRARY = (
    "baseline",
    "covid-2020",
    "austerity",
    "plan-followed",
    "land-slump",
    "transfer-cut",
    "advances-as-gap-cover",
    "slow-digestion",
)
BUNDLED = tuple(entry["name"] for entry in fiscal_sim.list_scenarios())
SCENARIO_DIR = Path(fiscal_sim.__file__).parent / "data" / "scenarios"
golden_frames = functools.lru_cache(maxsize=None)(build_golden_frames)


def run(name: str):
    return fiscal_sim.project(fiscal_sim.load_scenario(name))


def indicators(name: str) -> pd.DataFrame:
    return run(name).indicators()


# -- the library is there and every file passes the loader ----------------------------------


def test_library_is_listed():
    assert set(LIBRARY) <= set(BUNDLED)


@pytest.mark.parametrize("path", sorted(SCENARIO_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_scenario_file_loads_by_path_and_by_name(path):
    by_path = fiscal_sim.load_scenario(path)
    by_name = fiscal_sim.load_scenario(path.stem)
    assert by_path.hash == by_name.hash
    assert by_name.name == path.stem


@pytest.mark.parametrize("name", LIBRARY)
def test_scenario_meta_is_complete(name):
    data, _ = read_yaml(SCENARIO_DIR / f"{name}.yaml")
    meta = data["meta"]
    assert data["extends"] in BUNDLED
    for key in ("title", "description"):
        assert meta[key]["zh"].strip() and meta[key]["en"].strip()
    assert str(meta["date"])
    assert meta["sources"] and all(str(source).strip() for source in meta["sources"])
    scenario = fiscal_sim.load_scenario(name)
    assert scenario.title == meta["title"]


def test_top_level_scenarios_link_shows_the_library(repo):
    link = repo / "scenarios"
    assert link.is_symlink()
    assert link.resolve() == SCENARIO_DIR.resolve()
    shown = sorted(p.name for p in link.glob("*.yaml"))
    assert shown == sorted(p.name for p in SCENARIO_DIR.glob("*.yaml"))


def test_a_library_file_loads_through_the_top_level_link(repo):
    scenario = fiscal_sim.load_scenario(repo / "scenarios" / "covid-2020.yaml")
    assert scenario.hash == fiscal_sim.load_scenario("covid-2020").hash


# -- golden outputs: regenerated only on purpose (python tests/regen_golden_scenarios.py) --


def _compare(kind: str, name: str, current: pd.DataFrame) -> None:
    path = golden_path(name, kind)
    if not path.exists():
        pytest.fail(
            f"no golden {path.name}; run `python tests/regen_golden_scenarios.py {name}` on purpose"
        )
    expected = pd.read_csv(path, keep_default_na=False, na_values=[""])
    assert list(current.columns) == list(expected.columns), f"{path.name}: columns moved"
    assert len(current) == len(expected), (
        f"{path.name}: {len(current)} rows, the golden file has {len(expected)}"
    )
    for column in current.columns:
        got, want = current[column], expected[column]
        if pd.api.types.is_numeric_dtype(want) and pd.api.types.is_numeric_dtype(got):
            np.testing.assert_allclose(
                got.to_numpy(dtype=float),
                want.to_numpy(dtype=float),
                rtol=1e-9,
                atol=1e-9,
                equal_nan=True,
                err_msg=f"{path.name}: column {column!r} moved (regenerate only on purpose)",
            )
        else:
            assert got.astype(str).tolist() == want.astype(str).tolist(), (
                f"{path.name}: column {column!r} changed (regenerate only on purpose)"
            )


@pytest.mark.parametrize("name", BUNDLED)
def test_golden_indicators(name):
    _compare("indicators", name, golden_frames(name)["indicators"])


@pytest.mark.parametrize("name", BUNDLED)
def test_golden_measure_tables(name):
    frames = golden_frames(name)
    if "measures" not in frames:
        assert not golden_path(name, "measures").exists()
        return
    _compare("measures", name, frames["measures"])


@pytest.mark.parametrize("name", BUNDLED)
def test_golden_findings(name):
    _compare("findings", name, golden_frames(name)["findings"])


def test_golden_comparison_fails_when_a_number_moves():
    frame = golden_frames("covid-2020")["indicators"].copy()
    frame.loc[1, "own_revenue"] *= 1 + 1e-8
    with pytest.raises(AssertionError, match="own_revenue"):
        _compare("indicators", "covid-2020", frame)


# -- each scenario tells its story -------------------------------------------------------------


def test_covid_shock_lowers_2020_own_revenue_then_the_deferral_comes_back():
    covid, base = indicators("covid-2020"), indicators("default")
    assert covid.loc[2020, "own_revenue"] < base.loc[2020, "own_revenue"]
    # 2021: the shock is over and the deferred income tax is paid (MKT.4.2.5).
    assert covid.loc[2021, "own_revenue"] > base.loc[2021, "own_revenue"]
    assert np.allclose(covid.loc[2022:, "own_revenue"], base.loc[2022:, "own_revenue"])


def test_covid_relief_lowers_revenue_and_subsidies_raise_spending():
    scenario = fiscal_sim.load_scenario("covid-2020")
    covid = fiscal_sim.project(scenario)
    without = fiscal_sim.project(dataclasses.replace(scenario, extra={}))  # same, no measures
    year = list(covid.years).index(2020)
    for line in ("tax", "nontax"):
        assert covid.annual[line][0, year] < without.annual[line][0, year]
    from fiscal_sim.engine import TIERS as tiers

    for tier in ("livelihood", "key_projects"):
        index = tiers.index(tier)

        def planned(run, index=index, tier=tier):
            # Key projects also carry the room the budget had at adoption (以收定支): take it out.
            foreseen = run.annual["budget_room"][0, year] if tier == "key_projects" else 0
            return run.tiers["need"][0, year, index] - foreseen

        assert planned(covid) > planned(without)


def test_plan_followed_keeps_the_advance_cap_once_under_it():
    ratio = indicators("plan-followed")["advance_ratio"]
    cap = fiscal_sim.load_scenario("plan-followed").value("rules.advance_cap_ratio")
    under = ratio[ratio <= cap]
    assert len(under), "the plan never brings advances under the cap"
    assert (ratio.loc[under.index[0] :] <= cap).all()


def test_plan_followed_has_no_sanbao_shortfall_and_clears_the_legacy_stock():
    table = indicators("plan-followed")
    assert (table["sanbao_shortfall"] == 0).all()
    assert table.loc[2023, "legacy_advances"] == pytest.approx(0.0, abs=1e-6)


def test_advances_as_gap_cover_papers_over_a_gap():
    projection = run("advances-as-gap-cover")
    assert projection.annual["gap_covered_advances"].sum() > 0
    breaches = check(projection).to_frame().query("severity == 'breach'")
    assert "advance_no_gap_cover" in set(breaches["rule"])


def test_austerity_is_the_baseline_with_exactly_the_mandated_cuts():
    austerity, baseline = run("austerity"), run("baseline")
    scenario = fiscal_sim.load_scenario("austerity")
    years = list(scenario.years)
    first = years.index(scenario.value("rules.cut_mandate_from"))
    for line, rule in (
        ("planned_non_rigid", "rules.non_rigid_cut_min"),
        ("planned_three_public", "rules.three_public_cut_min"),
    ):
        planned = austerity.annual[line][0]
        cut = 1 - planned[first:] / planned[first - 1 : -1]
        np.testing.assert_allclose(cut, scenario.value(rule), rtol=1e-12)
        assert (baseline.annual[line][0] == baseline.annual[line][0][0]).all()
    # The baseline is the default county, which makes none of the plan's cuts: austerity
    # differs from the default by exactly what its title says.
    pd.testing.assert_frame_equal(baseline.indicators(), indicators("default"))


def test_land_slump_halves_land_sales_from_2020():
    slump, base = run("land-slump"), run("default")
    ratio = slump.annual["land_sales"][0] / base.annual["land_sales"][0]
    np.testing.assert_allclose(ratio, [1.0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5], rtol=1e-12)


def test_transfer_cut_takes_ten_percent_off_general_transfers_from_2020():
    cut, base = run("transfer-cut"), run("default")
    ratio = cut.annual["general_transfers"][0] / base.annual["general_transfers"][0]
    np.testing.assert_allclose(ratio, [1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9], rtol=1e-12)


def test_slow_digestion_misses_the_2023_deadline():
    table = indicators("slow-digestion")
    legacy = fiscal_sim.load_scenario("slow-digestion").value("advances.legacy")
    assert table.loc[2023, "legacy_advances"] == pytest.approx(0.5 * legacy)
    assert indicators("default").loc[2023, "legacy_advances"] == pytest.approx(0.0, abs=1e-6)


def test_baseline_has_no_shock_and_no_measures():
    scenario = fiscal_sim.load_scenario("baseline")
    assert not scenario.extra.get("measures")
    for path in ("revenue.tax_level_shock", "revenue.nontax_level_shock", "revenue.direct_funds"):
        assert not np.any(scenario.value(path))


def test_plan_followed_says_truly_when_the_advance_cap_is_breached():
    """Its description: the 5 % cap is breached in 2019 by the legacy stock alone and in 2020
    by the legacy stock with the year's new advances; it holds from 2021."""
    projection = run("plan-followed")
    years = list(projection.years)
    annual = projection.annual
    spending = annual["gpb_expenditure"][0] + annual["gfb_expenditure"][0]
    legacy_ratio = annual["legacy_advances"][0] / spending
    ratios = annual["advance_ratio"][0]
    breached = [year for year, ratio in zip(years, ratios, strict=True) if ratio > 0.05]
    assert breached == [2019, 2020]
    assert round(legacy_ratio[0], 3) == 0.077 and round(legacy_ratio[1], 3) == 0.055
    assert round(annual["advance_ratio"][0][1], 3) == 0.066
    description = fiscal_sim.load_scenario("plan-followed").description
    assert "7.7 %" in str(description) and "6.6 %" in str(description)
