"""Hand-checkable worked cases (data files in cases/) on the tiny county.

A case changes the tiny county with ``overrides`` (``--set`` strings) or ``scenario`` (an
overlay written as a scenario file that extends it), may pass growth ``shocks`` to
:func:`fiscal_sim.project` (``{line: one value per year}``), and lists the figures it expects,
each worked out by hand in the file's comments.
"""

from pathlib import Path

import numpy as np
import pytest
import yaml

import fiscal_sim

HERE = Path(__file__).parent
CASES = sorted((HERE / "cases").glob("*.yaml"))


def _read(projection, item):
    year = item["year"]
    if item["table"] == "indicators":
        return projection.indicators().loc[year, item["column"]]
    if item["table"] == "annual":
        return projection.annual[item["column"]][0, list(projection.years).index(year)]
    if item["table"] == "waterfall":
        frame = projection.waterfall()
        row = frame[(frame.year == year) & (frame.tier == item["tier"])]
        return row[item["column"]].item()
    if item["table"] == "findings":
        from fiscal_sim.rules import check

        frame = check(projection, only=item["rule"]).to_frame()
        row = frame[(frame.year == year) & (frame.aspect == item["aspect"])]
        return row[item["column"]].item()
    if item["table"] == "monthly":
        frame = projection.monthly()
        row = frame[(frame.year == year) & (frame.month == item["month"])]
        return float(row[item["column"]].item())
    raise AssertionError(f"unknown table {item['table']}")


@pytest.mark.parametrize("case_path", CASES, ids=[p.stem for p in CASES])
def test_worked_case(case_path, tiny_county):
    case = yaml.safe_load(case_path.read_text(encoding="utf-8"))
    scenario = tiny_county(case.get("scenario"), case.get("overrides", ()))
    shocks = {line: np.array([values]) for line, values in case.get("shocks", {}).items()}
    projection = fiscal_sim.project(scenario, shocks=shocks or None)
    for item in case["expect"]:
        got = _read(projection, item)
        if isinstance(item["value"], str):
            assert got == item["value"], (case["title"], item)
        else:
            assert got == pytest.approx(item["value"], abs=1e-6), (case["title"], item)


def test_tiny_county_needs_are_the_hand_figures():
    projection = fiscal_sim.project(fiscal_sim.load_scenario(HERE / "tiny-county.yaml"))
    need = projection.waterfall().query("year == 2019").set_index("tier")["need"]
    expected = {
        "wages": 120,
        "livelihood": 600,
        "operations": 50,
        "debt_service": 0,
        "clearing": 20,
        "key_projects": 100,
        "non_rigid": 100,
        "three_public": 10,
    }
    assert need.to_dict() == pytest.approx(expected)


def test_default_county_base_year_calibration():
    """The default county reproduces default-county.md's 2018 table from its parameters."""
    from fiscal_sim.engine.paths import base_needs, employer_loading

    scenario = fiscal_sim.load_scenario()
    assert employer_loading(scenario) == pytest.approx(0.437)
    needs = base_needs(scenario)
    assert needs["wages"] == pytest.approx(53_887.5 + 5_400)
    assert needs["livelihood"] == pytest.approx(30_000)
    assert needs["operations"] == pytest.approx(6_000)


def test_default_county_first_year_by_hand():
    ind = fiscal_sim.project(fiscal_sim.load_scenario()).indicators()
    # 5,000 × (1 − 0.03 + 0.025); legacy 17,000 − 20 %; debt 90,000 + 3,000 + 40,000 + 7,000.
    assert ind.loc[2019, "headcount"] == pytest.approx(4975)
    assert ind.loc[2019, "legacy_advances"] == pytest.approx(13_600)
    assert ind.loc[2019, "debt_total"] == pytest.approx(140_000)
    # Own revenue: tax 18,000 × 1.06 + non-tax 9,600 × 1.03.
    assert ind.loc[2019, "own_revenue"] == pytest.approx(19_080 + 9_888)
    # The plan: advances start above the 5 % cap and are under it once digestion has run.
    assert ind.loc[2019, "advance_ratio"] > 0.05
    assert ind.loc[2023, "advance_ratio"] < 0.05
    assert np.all(ind["sanbao_shortfall"] == 0)
