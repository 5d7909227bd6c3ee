"""A re-forecast keeps the treasury's closing cash (the anchor, model.md §11).

The tiny county's own months through June 2020, with X 万元 more (or less) cash from April on
on a line the restart does not track (other receipts, other payments): the deltas are all 0,
so without the anchor the re-forecast would be the plan; with it, every month from April on
holds X more cash than the plan, December and the later years included, and nothing else
moves. The tiny county defers no payment, so the difference passes through unchanged.
"""

from __future__ import annotations

import numpy as np
import pytest
from _actuals_files import tiny

import fiscal_sim
from fiscal_sim.actuals.files import write_workbook
from fiscal_sim.actuals.reader import read_actuals
from fiscal_sim.restart import restarted
from fiscal_sim.restart.inputs import restart_deltas

APRIL = 3


def _actuals(tmp_path, plan, extra: float):
    frame = plan.actuals(through="2020-06").copy()
    line = "other_receipts" if extra > 0 else "other_payments"
    frame.iloc[APRIL, frame.columns.get_loc(line)] += abs(extra)
    frame.iloc[APRIL:, frame.columns.get_loc("closing_cash")] += extra
    frame.iloc[APRIL + 1 :, frame.columns.get_loc("opening_cash")] += extra
    path = tmp_path / "actuals.xlsx"
    write_workbook(path, 2020, plan.scenario, frame)
    actuals = read_actuals(path)
    assert actuals.warnings == ()  # the cash identity holds month by month
    return actuals


@pytest.mark.parametrize("extra", [45.0, -45.0])
def test_closing_cash_off_the_plan_by_x_moves_december_by_x(tmp_path, extra):
    scenario = tiny()
    plan = fiscal_sim.project(scenario)
    assert plan.months["deferred_payments"].max() == 0
    actuals = _actuals(tmp_path, plan, extra)
    result = fiscal_sim.reforecast(scenario, actuals)
    unanchored = fiscal_sim.project(scenario, deltas=restart_deltas(plan, actuals))
    cash = result.projection.months["cash"][0]
    np.testing.assert_allclose(cash[1, :6], actuals.frame["closing_cash"], atol=1e-9)
    assert cash[1, -1] - unanchored.months["cash"][0, 1, -1] == pytest.approx(extra, abs=1e-9)
    np.testing.assert_allclose(cash[2:, -1] - plan.months["cash"][0, 2:, -1], extra, atol=1e-9)
    np.testing.assert_allclose(cash[1, :APRIL], plan.months["cash"][0, 1, :APRIL], atol=1e-9)
    adjustment = result.projection.months["cash_anchor_adjustment"][0]
    assert adjustment[1, APRIL] == pytest.approx(extra, abs=1e-9)
    assert np.abs(np.delete(adjustment.reshape(-1), 12 + APRIL)).max() < 1e-9
    for name in ("tax", "gpb_expenditure", "stabilization_fund", "advance_balance"):
        np.testing.assert_allclose(
            result.projection.annual[name], plan.annual[name], atol=1e-9, err_msg=name
        )
    year_end = result.year_end().set_index("indicator")
    assert year_end.loc["cash_year_end", "change"] == pytest.approx(extra, abs=1e-9)
    # The year's adjustment: X in the re-forecast, none in the plan; in monthly() in April.
    assert year_end.loc["cash_anchor_adjustment", "reforecast"] == pytest.approx(extra)
    assert year_end.loc["cash_anchor_adjustment", "plan"] == 0
    assert result.projection.annual["cash_anchor_adjustment"][0, 1] == pytest.approx(extra)
    months = result.projection.monthly().set_index(["year", "month"])
    assert months.loc[(2020, APRIL + 1), "cash_anchor_adjustment"] == pytest.approx(extra)
    # The re-forecast's own months, in the actuals layout, are the treasury's again.
    again = result.projection.actuals(through="2020-06")
    columns = ["other_receipts", "other_payments", "opening_cash", "closing_cash"]
    np.testing.assert_allclose(again[columns], actuals.frame[columns], atol=1e-9)


def test_every_draw_of_a_reforecast_keeps_the_treasurys_cash(tmp_path):
    scenario = tiny()
    plan = fiscal_sim.project(scenario)
    actuals = _actuals(tmp_path, plan, 45.0)
    rng = np.random.default_rng(7)
    shocks = {"tax": rng.normal(0, 0.1, (4, 7))}
    shocks["tax"][:, 0] = 0.0
    shocked = fiscal_sim.project(scenario, shocks=shocks)
    projection = restarted(scenario, actuals, shocked, shocks=shocks)
    closing = actuals.frame["closing_cash"].to_numpy()
    np.testing.assert_allclose(projection.months["cash"][:, 1, :6], np.tile(closing, (4, 1)))
    assert np.ptp(projection.months["cash"][:, 1, -1]) > 0
