"""Invariants over random valid scenarios (Hypothesis): the books balance, stocks stay >= 0."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fiscal_sim

TOL = 1e-6


def _round(x):
    """Round drawn values so that --set strings read back as the same YAML numbers."""
    return round(x, 3)


scenario_overrides = st.fixed_dictionaries(
    {
        "revenue.general_transfers": st.floats(40_000, 140_000).map(_round),
        "revenue.tax_level_shock": st.floats(-0.5, 0.3).map(_round),
        "fund.land_sales": st.floats(0, 40_000).map(_round),
        "people.staff": st.integers(0, 9_000),
        "advances.legacy": st.floats(0, 60_000).map(_round),
        "advances.rollover_share": st.floats(0, 1).map(_round),
        "advances.recovery_share": st.floats(0, 1).map(_round),
        "treasury.opening_cash": st.floats(0, 30_000).map(_round),
        "stabilization.opening_balance": st.floats(0, 10_000).map(_round),
        "stock_funds.recovery_rate": st.floats(0, 1).map(_round),
        "policy.gap_financing": st.sampled_from(["none", "fund", "advances", "arrears"]),
        "policy.surplus_use": st.sampled_from(["fund", "digestion"]),
    }
)


def _lagged_change(values, opening):
    return np.diff(np.concatenate([np.full((values.shape[0], 1), opening), values], axis=1), axis=1)


def _project(overrides, shocks=None):
    scenario = fiscal_sim.load_scenario(overrides=[f"{k}={v}" for k, v in overrides.items()])
    return scenario, fiscal_sim.project(scenario, shocks=shocks)


shock_draws = st.integers(1, 4).flatmap(
    lambda n: st.lists(st.floats(-0.3, 0.3).map(_round), min_size=n * 7, max_size=n * 7).map(
        lambda xs: np.array(xs).reshape(-1, 7)
    )
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(overrides=scenario_overrides, tax_shocks=shock_draws)
def test_books_balance_in_every_draw_year_and_month(overrides, tax_shocks):
    scenario, p = _project(overrides, shocks={"tax": tax_shocks, "land_sales": tax_shocks / 2})
    a, m, v = p.annual, p.months, scenario.value

    # GPB: resources (with fund draws) = funded tiers + surplus.
    funded = p.tiers["funded"].sum(axis=-1)
    assert np.abs(a["gpb_resources"] - funded - a["surplus"]).max() < TOL
    # Stabilisation fund: opening − draws + surpluses.
    change = _lagged_change(a["stabilization_fund"], v("stabilization.opening_balance"))
    assert np.abs(change - (a["surplus"] - a["fund_draw"])).max() < TOL

    # Treasury: month by month, cash moves by receipts − payments, plus what is deferred.
    cash = m["cash"].reshape(p.draws, -1)
    deferred = m["deferred_payments"].reshape(p.draws, -1)
    flows = (m["receipts"] - m["payments"]).reshape(p.draws, -1)
    assert (
        np.abs(
            _lagged_change(cash, v("treasury.opening_cash")) - flows - _lagged_change(deferred, 0.0)
        ).max()
        < TOL
    )

    # Cash is not budget: change in cash = change in funds and carry-overs − change in advances.
    carry = a["carryover_age0"] + a["carryover_age1"] + a["carryover_age2"]
    opening_carry = v("stock_funds.age0") + v("stock_funds.age1") + v("stock_funds.age2")
    rhs = (
        _lagged_change(a["stabilization_fund"], v("stabilization.opening_balance"))
        + _lagged_change(a["gfb_balance"], v("fund.opening_balance"))
        + _lagged_change(carry, opening_carry)
        - _lagged_change(a["advance_balance"], v("advances.legacy"))
        + _lagged_change(m["deferred_payments"][:, :, -1], 0.0)
    )
    assert np.abs(_lagged_change(a["cash_year_end"], v("treasury.opening_cash")) - rhs).max() < 1e-5

    # Stocks never go negative; shortfalls lie between zero and the need.
    for name in (
        "cash_year_end",
        "stabilization_fund",
        "legacy_advances",
        "advance_balance",
        "gfb_balance",
        "carryover_age0",
        "carryover_age1",
        "carryover_age2",
        "sme_arrears",
        "general_debt",
        "special_debt",
        "headcount",
    ):
        assert a[name].min() >= -TOL, name
    assert m["cash"].min() >= -TOL
    assert (p.tiers["shortfall"] >= -TOL).all()
    assert (p.tiers["shortfall"] <= p.tiers["need"] + TOL).all()


@settings(max_examples=10, deadline=None)
@given(overrides=scenario_overrides, draws=st.integers(2, 6))
def test_identical_draws_give_identical_results(overrides, draws):
    scenario = fiscal_sim.load_scenario(overrides=[f"{k}={v}" for k, v in overrides.items()])
    single = fiscal_sim.project(scenario)
    many = fiscal_sim.project(scenario, draws=draws)
    for group in ("annual", "months", "tiers"):
        for name, array in getattr(many, group).items():
            expected = getattr(single, group)[name]
            assert np.array_equal(array, np.broadcast_to(expected, array.shape)), name
