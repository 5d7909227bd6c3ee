"""Payroll cover in a re-forecast's closed months comes from the treasury's own figures
(model.md §11, OPS.4.3.3): a closed month's payroll is covered when its actual opening cash
plus its actual receipts reach the month's payroll as planned.

The tiny county (tests/engine/tiny-county.yaml) plans 100 staff at 1.2 万元 a year: a
payroll of 120 / 12 = 10 万元 a month. In the actuals below May ends with no cash (paid out on
other payments) and June receives ``available`` in general transfers only, pays wages out of
it first (up to 10) and the rest on livelihood: June ends with no cash again.
"""

from __future__ import annotations

import numpy as np
import pytest
from _actuals_files import tiny

import fiscal_sim
from fiscal_sim.actuals.layout import PAYMENTS, RECEIPTS
from fiscal_sim.restart import _as_actuals
from fiscal_sim.restart.inputs import payroll_covered, restart_deltas, treasury_anchor

JUNE = 5


def _short_june(plan, available: float):
    frame = plan.actuals(through="2020-06").copy()
    frame.loc["2020-05", "other_payments"] += frame.loc["2020-05", "closing_cash"]
    frame.loc["2020-05", "closing_cash"] = 0.0
    frame.loc["2020-06", [*RECEIPTS, *PAYMENTS]] = 0.0
    frame.loc["2020-06", ["opening_cash", "closing_cash"]] = 0.0
    frame.loc["2020-06", "general_transfers"] = available
    frame.loc["2020-06", "wages"] = min(available, 10.0)
    frame.loc["2020-06", "livelihood"] = available - min(available, 10.0)
    return _as_actuals(frame)


@pytest.mark.parametrize(
    ("available", "covered"),
    [(9.99, 0.0), (10.0, 1.0), (10.01, 1.0)],
    ids=["under", "at", "over"],
)
def test_a_closed_months_payroll_against_the_treasurys_cash(available, covered):
    scenario = tiny()
    plan = fiscal_sim.project(scenario)
    actuals = _short_june(plan, available)
    cover = payroll_covered(plan, actuals)
    np.testing.assert_array_equal(cover, [1.0, 1.0, 1.0, 1.0, 1.0, covered])
    result = fiscal_sim.reforecast(scenario, actuals)
    months = result.projection.months["wage_covered"][0, 1]
    np.testing.assert_array_equal(months[:6], cover)
    assert result.projection.annual["wage_risk_months"][0, 1] == 1.0 - covered
    row = result.projection.monthly().set_index(["year", "month"]).loc[(2020, JUNE + 1)]
    assert bool(row["wage_covered"]) is bool(covered)


def test_the_model_alone_would_have_called_the_short_june_covered():
    # Without the treasury's cover the model measures June against the wages actually paid
    # (9.99, the restart's delta lowers the need to them): covered. Against the payroll the
    # plan had (10), the treasury's 9.99 was short.
    scenario = tiny()
    plan = fiscal_sim.project(scenario)
    actuals = _short_june(plan, 9.99)
    anchor = treasury_anchor(plan, actuals)
    assert anchor["wage_covered"][1, JUNE] == 0.0
    del anchor["wage_covered"]
    model = fiscal_sim.project(scenario, deltas=restart_deltas(plan, actuals), anchor=anchor)
    assert model.months["wage_covered"][0, 1, JUNE] == 1.0
    assert model.months["payroll"][0, 1, JUNE] == pytest.approx(9.99)
