"""Hand-worked re-forecasts (tests/actuals/cases/*.yaml): a revenue shortfall in the closed
months of known size moves the year's outturn, the stabilisation fund and December cash by
amounts computed on paper (each file shows the sums).

The actuals are the plan's own months with the shortfall taken off the line and off the
month-end cash from the month it happens (so the cash identity holds)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

import fiscal_sim
from fiscal_sim.actuals.files import write_workbook
from fiscal_sim.actuals.reader import read_actuals

CASES = sorted((Path(__file__).parent / "cases").glob("*.yaml"))


def _actuals_with_shortfall(plan, spec):
    frame = plan.actuals(through=spec["through"]).copy()
    change = np.full(len(frame), float(spec["per_month"]))
    frame[spec["line"]] += change
    frame["closing_cash"] += np.cumsum(change)
    frame["opening_cash"] += np.cumsum(change) - change
    return frame


@pytest.mark.parametrize("path", CASES, ids=[path.stem for path in CASES])
def test_hand_worked_case(path, tiny_county, tmp_path):
    case = yaml.safe_load(path.read_text("utf-8"))
    scenario = tiny_county(case["scenario"] or None)
    plan = fiscal_sim.project(scenario)
    frame = _actuals_with_shortfall(plan, case["actuals"])
    workbook = tmp_path / "actuals.xlsx"
    write_workbook(workbook, frame.attrs["year"], scenario, frame)
    actuals = read_actuals(workbook)
    assert actuals.warnings == ()  # the shortfall keeps the cash identity
    result = fiscal_sim.reforecast(scenario, actuals)
    year = result.year
    t = list(scenario.years).index(year)
    for label, projection in (("plan", result.plan), ("reforecast", result.projection)):
        for name, expected in case["expect"][label].items():
            got = float(projection.annual[name][0, t])
            assert got == pytest.approx(expected, abs=1e-6), f"{label} {name} {year}"
    outturn = result.outturn().set_index("line")
    shortfall = case["actuals"]["per_month"] * len(frame)
    assert outturn.loc[case["actuals"]["line"], "change"] == pytest.approx(shortfall, abs=1e-6)
    year_end = result.year_end().set_index("indicator")
    assert year_end.loc["cash_year_end", "change"] == pytest.approx(shortfall, abs=1e-6)
    # later years: what the fund and cash carry forward, nothing else moves
    later = slice(t + 1, None)
    np.testing.assert_allclose(
        result.projection.annual["tax"][0, later], result.plan.annual["tax"][0, later]
    )
