"""The faster Monte Carlo path gives the numbers of the path before it (issue #14), on random
draws of the tiny county with random cash lines (Hypothesis).

What changed: the engine's monthly cash, deferred payments and wage cover come out
C-contiguous (they were transposed views), the cash rule takes each month's class from the
engine's ``cash_class`` instead of classifying the level again, and a check with one breach
outcome finds its breaches by one comparison. The references below are the code as it was
(612e3ff), kept here verbatim.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fiscal_sim
from fiscal_sim import engine
from fiscal_sim.rules import RULES, breach_matrix, check
from fiscal_sim.rules.findings import SEVERITY_RANK
from fiscal_sim.rules.treasury import cash_before_payroll
from fiscal_sim.stochastic import ShockSpec, draw_shocks

STRIDED = ("cash", "deferred_payments", "wage_covered")


def _months_as_before(months: dict) -> dict:
    """The engine's monthly outputs in the layout of 612e3ff: views of (years × 12, draws)."""
    before = dict(months)
    for name in STRIDED:
        draws, years, twelve = months[name].shape
        by_month = np.ascontiguousarray(months[name].reshape(draws, -1).T)
        before[name] = by_month.T.reshape(draws, years, twelve)
    return before


def _cash_before_payroll_as_before(projection) -> np.ndarray:
    cash = np.asarray(projection.months["cash"], dtype=float)
    deferred = np.asarray(projection.months["deferred_payments"], dtype=float)
    payments = np.asarray(projection.months["payments"], dtype=float)
    flat = deferred.reshape(deferred.shape[0], -1)
    deferred_before = np.concatenate([np.zeros_like(flat[:, :1]), flat[:, :-1]], axis=1)
    return cash - deferred + payments + deferred_before.reshape(deferred.shape)


def _breaches_as_before(item) -> np.ndarray:
    breach = item.severity_codes() == SEVERITY_RANK["breach"]
    if breach.ndim == 3:
        breach = breach.any(axis=2)
    return breach & np.asarray(item.in_force, dtype=bool)[np.newaxis, :]


def _breach_matrix_as_before(projection) -> dict:
    matrix = {}
    for rule in RULES.values():
        breached = np.zeros(np.shape(projection.annual["headcount"]), dtype=bool)
        for item in rule(projection):
            breached |= _breaches_as_before(item)
        matrix[rule.id] = breached
    return matrix


def _tiny(tiny_county, alarm, low, idle, opening_cash):
    return tiny_county(
        overrides=(
            f"rules.cash_alarm_level={alarm}",
            f"rules.cash_low_level={low}",
            f"rules.cash_idle_level={idle}",
            f"treasury.opening_cash={opening_cash}",
        )
    )


lines = st.lists(st.floats(0.0, 3.0).map(lambda x: round(x, 2)), min_size=3, max_size=3).map(sorted)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    cash_lines=lines,
    opening_cash=st.floats(0, 500).map(lambda x: round(x, 1)),
    sigma=st.floats(0.0, 0.6),
    seed=st.integers(0, 2**32 - 1),
)
def test_breach_matrix_and_findings_are_those_of_the_path_before(
    tiny_county, cash_lines, opening_cash, sigma, seed
):
    scenario = _tiny(tiny_county, *cash_lines, opening_cash)
    spec = ShockSpec(sigma=np.full(4, sigma))
    shocks = draw_shocks(spec, len(scenario.years), 0, 300, seed=seed)
    projection = fiscal_sim.project(scenario, shocks=shocks)
    for name in (*STRIDED, "cash_level"):
        assert projection.months[name].flags.c_contiguous, name
    before = _months_as_before(projection.months)
    np.testing.assert_array_equal(
        cash_before_payroll(projection),
        _cash_before_payroll_as_before(type("P", (), {"months": before})),
    )
    (cash_check,) = RULES["treasury_cash_level"](projection)
    level = projection.months["cash_level"]
    alarm, low, idle = cash_lines
    classified = np.select([level < alarm, level < low, level < idle], [0, 1, 2], default=3)
    np.testing.assert_array_equal(cash_check.status, classified.astype(int))
    matrix = breach_matrix(projection)
    expected = _breach_matrix_as_before(projection)
    assert list(matrix) == list(expected)
    for rule_id, breached in matrix.items():
        np.testing.assert_array_equal(breached, expected[rule_id], err_msg=rule_id)
    assert any(breached.any() for breached in matrix.values()) or sigma < 0.3


def test_the_projection_is_that_of_the_strided_monthly_outputs(tiny_county, monkeypatch):
    """Every output of the engine, and the findings, as with the transposed views of before."""
    scenario = tiny_county()
    shocks = draw_shocks(ShockSpec(sigma=np.full(4, 0.3)), len(scenario.years), 0, 200, seed=5)
    now = fiscal_sim.project(scenario, shocks=shocks)
    run_treasury = engine.run_treasury

    def as_before(*arguments):
        return _months_as_before(run_treasury(*arguments))

    monkeypatch.setattr(engine, "run_treasury", as_before)
    then = fiscal_sim.project(scenario, shocks=shocks)
    assert not then.months["cash"].flags.c_contiguous
    for book in ("annual", "tiers", "months"):
        ours, theirs = getattr(now, book), getattr(then, book)
        assert list(ours) == list(theirs)
        for name in ours:
            np.testing.assert_array_equal(ours[name], theirs[name], err_msg=f"{book}.{name}")
    for draw in (0, 17, 199):
        ours = check(now, draw=draw).to_frame()
        theirs = check(then, draw=draw).to_frame()
        assert ours.equals(theirs)
