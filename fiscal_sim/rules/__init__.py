"""The plan's rules as code: one function per clause, findings as data.

:func:`check` runs every rule (or some) on a projection and returns :class:`Findings`;
:func:`breach_matrix` gives, for every draw and year, whether each rule is breached (for
breach probabilities). A broken rule is a finding, never an exception.

Examples
--------
>>> list(RULES)[:3]
['wages_funded', 'livelihood_funded', 'operations_funded']
>>> RULES["advance_cap"].clause
'OPS.4.3.2'
"""

from __future__ import annotations

import numpy as np

from fiscal_sim.errors import Bilingual, FiscalSimError, year_outside_horizon
from fiscal_sim.rules import (  # noqa: F401  (importing registers the rules)
    advances,
    arrears,
    budget,
    cuts,
    debt,
    sanbao,
    staff,
    stock_funds,
    treasury,
)
from fiscal_sim.rules.explain import describe
from fiscal_sim.rules.findings import Check, Findings, Outcome, collect
from fiscal_sim.rules.registry import REGISTERED, Rule

# The order of model.md §8: findings and tables list rules in this order.
RULE_ORDER = (
    "wages_funded",
    "livelihood_funded",
    "operations_funded",
    "non_rigid_cut",
    "three_public_cut",
    "no_spending_without_budget",
    "advance_cap",
    "advance_term",
    "advance_no_gap_cover",
    "legacy_cleared",
    "arrears_cleared",
    "wage_account_covered",
    "treasury_cash_level",
    "headcount_not_rising",
    "debt_service_paid",
    "debt_ratio",
    "stock_funds_recovered",
)

RULES: dict[str, Rule] = {rule_id: REGISTERED[rule_id] for rule_id in RULE_ORDER}
RULE_IDS = tuple(RULES)

__all__ = [
    "RULES",
    "RULE_IDS",
    "Check",
    "Findings",
    "Outcome",
    "Rule",
    "breach_matrix",
    "check",
    "checks",
    "describe",
]


def _select(only) -> list[Rule]:
    if only is None:
        return list(RULES.values())
    wanted = [only] if isinstance(only, str) else list(only)
    unknown = [rule_id for rule_id in wanted if rule_id not in RULES]
    if unknown:
        raise FiscalSimError(
            Bilingual(
                "未知规则 {unknown}；可用的规则：{rules}",
                "unknown rule {unknown}; rules are: {rules}",
                unknown=", ".join(map(repr, unknown)),
                rules=", ".join(RULES),
            )
        )
    return [RULES[rule_id] for rule_id in RULES if rule_id in wanted]


def checks(projection, only=None) -> list[Check]:
    """Every :class:`Check` of the selected rules, over all draws."""
    return [item for rule in _select(only) for item in rule(projection)]


def check(projection, only=None, years=None, draw: int = 0) -> Findings:
    """Evaluate the plan's rules on a projection.

    Parameters
    ----------
    projection : Projection
        The engine's result (or any object with the same arrays).
    only : str or list of str, optional
        Rule ids to evaluate (default: all of ``RULES``).
    years : int or list of int, optional
        Report only these years.
    draw : int
        Which draw to report (0 for a deterministic run).

    Returns
    -------
    Findings
        Breaches first; ``findings.ok`` is True when no rule is breached.
    """
    if years is not None:
        known = set(np.asarray(projection.years, dtype=int).tolist())
        unknown = sorted(set(np.atleast_1d(years).astype(int).tolist()) - known)
        if unknown:
            raise FiscalSimError(year_outside_horizon(unknown[0], known))
    frame = collect(checks(projection, only), draw=draw, years=years)
    return Findings(frame, rule_order=RULE_ORDER)


def breach_matrix(projection, only=None) -> dict[str, np.ndarray]:
    """Whether each rule is breached, per draw and year.

    Returns
    -------
    dict
        Rule id -> bool array of shape ``(draws, years)``; years in which a rule is not in
        force are False. ``breach_matrix(p)[rule].mean(axis=0)`` is the breach probability
        per year.
    """
    matrix = {}
    for rule in _select(only):
        rule_checks = rule(projection)
        breached = np.zeros(np.shape(projection.annual["headcount"]), dtype=bool)
        for item in rule_checks:
            breached |= item.breaches()
        matrix[rule.id] = breached
    return matrix
