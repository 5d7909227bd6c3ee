"""The treasury anchor (``fiscal_sim.project(..., anchor=)``, model.md §11), by hand.

The tiny county (tiny-county.yaml) receives 500 tax + 600 general transfers = 1,100 a year
and pays 120 + 600 + 50 + 100 + 100 + 10 = 980 (the legacy write-off of 20 moves no cash),
every month an even twelfth: cash opens at 100 and gains 10 a month, 220 at the end of 2019
and 250 at the end of March 2020.
"""

from __future__ import annotations

import numpy as np
import pytest

import fiscal_sim
from fiscal_sim.errors import FiscalSimError

YEARS = 7
RECEIPTS, PAYMENTS = 1100 / 12, 980 / 12


def _anchor(cells: dict, deferred: dict | None = None) -> dict:
    """``{(year index, month index): cash}`` (and deferred payments) as an engine anchor."""
    cash = np.full((YEARS, 12), np.nan)
    owed = np.full((YEARS, 12), np.nan)
    for (t, m), value in cells.items():
        cash[t, m] = value
        owed[t, m] = (deferred or {}).get((t, m), 0.0)
    return {"cash": cash, "deferred_payments": owed}


def _identity_gap(p, opening: float) -> float:
    """The largest miss of cash − deferred = before + receipts − payments + adjustment."""
    m = p.months
    net = (m["cash"] - m["deferred_payments"]).reshape(p.draws, -1)
    before = np.concatenate([np.full((p.draws, 1), opening), net[:, :-1]], axis=1)
    flows = (m["receipts"] - m["payments"] + m["cash_anchor_adjustment"]).reshape(p.draws, -1)
    return float(np.abs(net - before - flows).max())


def test_the_anchored_months_hold_the_anchors_cash_and_the_model_goes_on_from_there(
    tiny_county,
):
    scenario = tiny_county()
    plan = fiscal_sim.project(scenario)
    anchored = fiscal_sim.project(
        scenario, anchor=_anchor({(1, 0): 300.0, (1, 1): 280.0, (1, 2): 500.0})
    )
    cash, plan_cash = anchored.months["cash"][0], plan.months["cash"][0]
    assert plan_cash[0, -1] == pytest.approx(220) and plan_cash[1, 2] == pytest.approx(250)
    assert anchored.months["receipts"][0, 1, 3] == pytest.approx(RECEIPTS)
    assert anchored.months["payments"][0, 1, 3] == pytest.approx(PAYMENTS)
    np.testing.assert_array_equal(cash[0], plan_cash[0])  # 2019 is the model's
    np.testing.assert_array_equal(cash[1, :3], [300.0, 280.0, 500.0])
    # April: March's anchored 500 + 1,100/12 − 980/12 = 510; then 10 a month to 590 in December.
    assert cash[1, 3] == pytest.approx(500 + RECEIPTS - PAYMENTS) == pytest.approx(510)
    assert cash[1, -1] == pytest.approx(590)
    assert cash[2, -1] == pytest.approx(plan_cash[2, -1] + 250)  # carried on: 500 − 250
    # The adjustment, anchored − modelled from the month before: Jan 300 − (220 + 10),
    # Feb 280 − (300 + 10), Mar 500 − (280 + 10); 0 in every other month.
    adjustment = anchored.months["cash_anchor_adjustment"][0]
    np.testing.assert_allclose(adjustment[1, :3], [70.0, -30.0, 210.0], atol=1e-9)
    assert np.count_nonzero(adjustment) == 3
    assert np.abs(plan.months["cash_anchor_adjustment"]).max() == 0
    assert _identity_gap(anchored, 100.0) < 1e-9
    # Cash only: the budget does not see the anchor.
    for name in ("gpb_expenditure", "surplus", "stabilization_fund", "advance_balance"):
        np.testing.assert_array_equal(anchored.annual[name], plan.annual[name], err_msg=name)
    assert anchored.annual["cash_year_end"][0, 1] == pytest.approx(590)


def test_the_adjustment_is_a_monthly_column_and_an_annual_line(tiny_county):
    # The months of the first test: +70, −30 and +210 in January–March 2020, 250 in the year;
    # December 2020 is 590 against the model's 340, 250 more: no payment is ever deferred.
    scenario = tiny_county()
    plan = fiscal_sim.project(scenario)
    anchored = fiscal_sim.project(
        scenario, anchor=_anchor({(1, 0): 300.0, (1, 1): 280.0, (1, 2): 500.0})
    )
    rows = anchored.monthly().set_index(["year", "month"])["cash_anchor_adjustment"]
    np.testing.assert_allclose(rows.loc[2020].iloc[:4], [70.0, -30.0, 210.0, 0.0], atol=1e-9)
    assert rows.drop(2020, level="year").abs().max() == 0
    total = anchored.annual["cash_anchor_adjustment"][0]
    np.testing.assert_allclose(total, [0, 250, 0, 0, 0, 0, 0], atol=1e-9)
    gap = anchored.annual["cash_year_end"][0, 1] - plan.annual["cash_year_end"][0, 1]
    assert gap == pytest.approx(total[1])
    assert np.abs(plan.annual["cash_anchor_adjustment"]).max() == 0
    assert (plan.monthly()["cash_anchor_adjustment"] == 0).all()
    names = [fiscal_sim.labels.label("cash_anchor_adjustment", lang) for lang in ("zh", "en")]
    assert names == ["实际库款校准差额", "treasury anchor adjustment"]


def test_payments_deferred_at_the_anchor_are_paid_first_from_the_next_months(tiny_county):
    # March 2020 closes with no cash and 30 of payments deferred. April has 1,100/12 in and
    # 980/12 + 30 due: 20 stays deferred; May pays it down to 10, June clears it; July 10.
    anchored = fiscal_sim.project(
        tiny_county(), anchor=_anchor({(1, 2): 0.0}, deferred={(1, 2): 30.0})
    )
    cash, deferred = anchored.months["cash"][0, 1], anchored.months["deferred_payments"][0, 1]
    np.testing.assert_allclose(deferred[2:6], [30.0, 20.0, 10.0, 0.0], atol=1e-9)
    np.testing.assert_allclose(cash[2:7], [0.0, 0.0, 0.0, 0.0, 10.0], atol=1e-9)
    # Net position anchored (0 − 30) less modelled (250 − 0).
    assert anchored.months["cash_anchor_adjustment"][0, 1, 2] == pytest.approx(-280)
    assert _identity_gap(anchored, 100.0) < 1e-9


def test_every_month_anchored_the_last_one_included(tiny_county):
    values = np.arange(YEARS * 12, dtype=float).reshape(YEARS, 12) * 3.0
    anchor = {"cash": values, "deferred_payments": np.zeros((YEARS, 12))}
    anchored = fiscal_sim.project(tiny_county(), anchor=anchor)
    np.testing.assert_array_equal(anchored.months["cash"][0], values)
    # December of the last year: 3 × 83 − (3 × 82 + 10).
    assert anchored.months["cash_anchor_adjustment"][0, -1, -1] == pytest.approx(-7)
    assert _identity_gap(anchored, 100.0) < 1e-9


def test_an_anchor_is_the_same_in_every_draw(tiny_county):
    scenario = tiny_county()
    rng = np.random.default_rng(11)
    shocks = {"tax": rng.normal(0, 0.2, (5, YEARS))}
    anchored = fiscal_sim.project(scenario, shocks=shocks, anchor=_anchor({(1, 5): 400.0}))
    cash = anchored.months["cash"]
    np.testing.assert_array_equal(cash[:, 1, 5], np.full(5, 400.0))
    assert np.ptp(cash[:, 1, 6]) > 0  # the months after follow each draw's own receipts
    assert _identity_gap(anchored, 100.0) < 1e-9


def test_an_empty_anchor_changes_nothing(tiny_county):
    scenario = tiny_county()
    plan = fiscal_sim.project(scenario)
    empty = fiscal_sim.project(scenario, anchor={"cash": np.full((YEARS, 12), np.nan)})
    for book in ("annual", "tiers", "months"):
        for name, array in getattr(plan, book).items():
            np.testing.assert_array_equal(getattr(empty, book)[name], array, err_msg=name)


def _in_2020(values: dict) -> np.ndarray:
    """``{month index: value}`` of 2020 as a (years, 12) anchor array, NaN elsewhere."""
    array = np.full((YEARS, 12), np.nan)
    for month, value in values.items():
        array[1, month] = value
    return array


def _plans_first_half(plan) -> np.ndarray:
    """The plan's own month-end cash of January-June 2020 as an anchor."""
    return _in_2020(dict(enumerate(plan.months["cash"][0, 1, :6])))


def test_a_projection_starts_from_the_anchors_advance_balances(tiny_county):
    # The engine alone (no actuals): cash anchored at the plan's own January-June 2020 and the
    # legacy stock at 570 at the end of June, 500 above the plan's 70; the six months left
    # write off half the year's 20: 560 at the end of 2020, then 20 a year to 500 in 2023.
    scenario = tiny_county()
    plan, legacy = fiscal_sim.project(scenario), _in_2020({5: 570.0})
    restarted = fiscal_sim.project(
        scenario, anchor={"cash": _plans_first_half(plan), "legacy_advances": legacy}
    )
    np.testing.assert_allclose(
        restarted.annual["legacy_advances"][0], [80, 560, 540, 520, 500, 500, 500], atol=1e-9
    )
    np.testing.assert_allclose(
        restarted.annual["legacy_restart_adjustment"][0], [0, 500, 0, 0, 0, 0, 0], atol=1e-9
    )
    np.testing.assert_array_equal(restarted.months["cash"], plan.months["cash"])
    assert np.abs(plan.annual["legacy_restart_adjustment"]).max() == 0


def test_a_tiers_closed_months_are_paid_as_the_anchor_gives_them(tiny_county):
    # Non-rigid projects paid 15 a month in January-June 2020 instead of 100/12: 90 by June,
    # so the months left pay the year's 100 − 90 = 10, 10/6 a month. Cash by June is the
    # anchor's (the plan's), so the 40 paid early came from lines the model does not follow
    # (an adjustment of +40 in all), and the months left pay 40 less: December 340 + 40.
    scenario = tiny_county()
    plan, paid = fiscal_sim.project(scenario), _in_2020(dict.fromkeys(range(6), 15.0))
    restarted = fiscal_sim.project(
        scenario, anchor={"cash": _plans_first_half(plan), "tier_payments": {"non_rigid": paid}}
    )
    non_rigid = restarted.actuals(through="2020-12")["non_rigid"].to_numpy()
    np.testing.assert_allclose(non_rigid, [15.0] * 6 + [10 / 6] * 6, atol=1e-9)
    gap = restarted.months["payments"][0, 1] - plan.months["payments"][0, 1]
    np.testing.assert_allclose(gap, [15 - 100 / 12] * 6 + [10 / 6 - 100 / 12] * 6, atol=1e-9)
    assert restarted.annual["cash_anchor_adjustment"][0, 1] == pytest.approx(40)
    assert restarted.annual["cash_year_end"][0, 1] == pytest.approx(380)


def _cash():
    return _anchor({(1, 0): 10.0})["cash"]


def _elsewhere():
    """A figure in a month whose cash the model follows."""
    array = np.full((YEARS, 12), np.nan)
    array[1, 1] = 5.0
    return array


@pytest.mark.parametrize(
    ("anchor", "key"),
    [
        ({"cash": np.zeros((6, 12))}, "'cash'"),
        ({"cash": np.zeros((YEARS, 11))}, "'cash'"),
        ({"cash": np.zeros((2, YEARS, 12))}, "'cash'"),
        ({"cash": _cash(), "deferred_payments": np.zeros((YEARS, 12, 1))}, "'deferred_payments'"),
        ({"cash": _cash(), "cash_balance": _cash()}, "'cash_balance'"),
        ({"deferred_payments": np.zeros((YEARS, 12))}, "'cash'"),
        ({"cash": np.full((YEARS, 12), -1.0)}, "'cash'"),
        ({"cash": np.full((YEARS, 12), np.inf)}, "'cash'"),
        ({"cash": [["a"] * 12] * YEARS}, "'cash'"),
        # a deferral in a month whose cash the model follows, and a hole in an anchored month
        ({"cash": _cash(), "deferred_payments": np.zeros((YEARS, 12))}, "'deferred_payments'"),
        ({"cash": _cash(), "deferred_payments": np.full((YEARS, 12), np.nan)}, "'deferred"),
        ({"cash": _cash(), "wage_covered": np.where(np.isnan(_cash()), np.nan, 0.5)}, "'wage_"),
        ({"cash": _cash(), "wage_covered": np.zeros((YEARS, 12))}, "'wage_covered'"),
        ({"cash": _cash(), "legacy_advances": _elsewhere()}, "'legacy_advances'"),
        ({"cash": _cash(), "new_advances": np.full((YEARS, 12), -1.0)}, "'new_advances'"),
        ({"cash": _cash(), "headcount": _elsewhere()}, "'headcount'"),
        ({"cash": _cash(), "headcount": np.full((YEARS, 12), -1.0)}, "'headcount'"),
        ({"cash": _cash(), "tier_payments": {"debt_service": _cash()}}, "'debt_service'"),
        ({"cash": _cash(), "tier_payments": {"wages": _elsewhere()}}, "'tier_payments.wages'"),
        ({"cash": _cash(), "tier_payments": _cash()}, "'tier_payments'"),
    ],
)
def test_a_bad_anchor_is_an_error_naming_the_key(tiny_county, anchor, key):
    with pytest.raises(FiscalSimError, match=key):
        fiscal_sim.project(tiny_county(), anchor=anchor)
