"""Random overrides within and beyond the bounds: a clean ScenarioError, or finite results
whose books balance (issue #13). Nothing else: no overflow, no numpy error, no NaN."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import fiscal_sim
from fiscal_sim.errors import ScenarioError
from fiscal_sim.params.schema import SPECS

NUMERIC = [
    spec
    for spec in SPECS
    if spec.kind in ("scalar", "yearly") and spec.unit != "year" and spec.upper is not None
]


def _values(spec):
    """Values of one parameter: inside its range (often its edges), just outside, or absurd."""
    low = spec.minimum if spec.minimum is not None else -spec.upper
    inside = st.one_of(
        st.sampled_from([low, spec.upper, 0.0]),
        st.floats(low, spec.upper, allow_nan=False),
        st.floats(low, min(spec.upper, max(low, 0.0) + 1e6), allow_nan=False),
    )
    beyond = st.sampled_from([spec.upper * 1.5, low - 1.0, 1e308, -1e308])
    values = st.one_of(inside, inside, beyond)
    if spec.integer:
        values = values.map(lambda value: float(round(value)))
    return values


def _yaml_number(value: float) -> str:
    """A number as YAML reads it back (1e+308 alone would be a string in YAML 1.1)."""
    return f"{value:.6e}" if value != int(value) or abs(value) >= 1e15 else str(int(value))


overrides = st.lists(
    st.sampled_from(NUMERIC).flatmap(
        lambda spec: _values(spec).map(lambda value: f"{spec.path}={_yaml_number(value)}")
    ),
    min_size=1,
    max_size=6,
)
horizons = st.sampled_from([None, 2019, 2030, 2068, 2069, 2100, 2101])


def _balanced(scale_of, difference) -> bool:
    return bool(np.all(np.abs(difference) <= 1e-9 * max(1.0, scale_of)))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=overrides, end_year=horizons)
def test_random_overrides_are_refused_or_give_finite_balanced_books(changes, end_year):
    if end_year is not None:
        changes = [*changes, f"horizon.end_year={end_year}"]
    try:
        scenario = fiscal_sim.load_scenario(overrides=changes)
        projection = fiscal_sim.project(scenario)
    except ScenarioError as error:
        assert str(error) and "\n" not in str(error)
        event("refused: not finite" if "not a finite number" in error.message else "refused")
        return
    event("projected")
    annual, months, tiers = projection.annual, projection.months, projection.tiers
    for group in (annual, months, tiers):
        for name, array in group.items():
            assert np.isfinite(array).all(), name

    # The general public budget: resources = funded tiers + surplus, less the project money
    # that lapsed (结余: funded, then returned to the surplus). A year whose ordinary
    # resources fall below zero (the remittance, or a settlement deduction, above every
    # revenue) funds nothing from them and carries the deficit nowhere: a gap of the model,
    # reported in issue #13, asserted as it stands. Bond proceeds still fund key projects
    # (OPS.4.2.4): they are not ordinary resources.
    funded = tiers["funded"].sum(axis=-1)
    resources = annual["gpb_resources"]
    bonds = annual["general_bond_projects"]
    scale = float(np.abs(resources).max())
    negative = resources - bonds < 0
    lapsed = annual["project_savings"]
    assert _balanced(scale, (resources - funded - annual["surplus"] + lapsed)[~negative])
    assert _balanced(scale, (funded - bonds)[negative]) and not annual["surplus"][negative].any()
    # The stabilisation fund moves by the surpluses less the draws.
    fund = np.concatenate(
        [[[scenario.value("stabilization.opening_balance")]], annual["stabilization_fund"]], axis=1
    )
    scale = float(np.abs(fund).max() + np.abs(annual["surplus"]).max())
    assert _balanced(scale, np.diff(fund, axis=1) - (annual["surplus"] - annual["fund_draw"]))
    # The treasury: month by month, cash moves by receipts less payments, plus what is deferred.
    cash = np.concatenate(
        [[[scenario.value("treasury.opening_cash")]], months["cash"].reshape(1, -1)], axis=1
    )
    deferred = np.concatenate([[[0.0]], months["deferred_payments"].reshape(1, -1)], axis=1)
    flows = (months["receipts"] - months["payments"]).reshape(1, -1)
    scale = float(np.abs(months["receipts"]).max() + np.abs(months["payments"]).max())
    assert _balanced(scale, np.diff(cash, axis=1) - flows - np.diff(deferred, axis=1))
