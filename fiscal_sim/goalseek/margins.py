"""Margins of the plan's rules per draw and year, for goal-seek (taken from the registry).

A rule *holds* in a year when every one of its checks in force that year has a margin ≥ 0:
no breach, and for a check that can only warn (the legacy stock on the plan's line) not
behind. A rule's margin in a year is its tightest check's margin that year (checks of one
rule may differ in unit; only the sign is compared across them).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fiscal_sim.errors import Bilingual, FiscalSimError


@dataclass(frozen=True)
class CheckMargin:
    """One check's margin per draw and year (+inf in years it is not in force)."""

    rule: str
    aspect: str
    unit: str
    margin: np.ndarray


def breachable(projection) -> tuple[str, ...]:
    """The registry's rules that can fail (some check has a breach or warning outcome),
    in the registry's order."""
    from fiscal_sim.rules import RULES

    return tuple(
        rule_id
        for rule_id, rule in RULES.items()
        if any(o.severity != "ok" for item in rule(projection) for o in item.outcomes)
    )


def select(projection, rules) -> tuple[str, ...]:
    """``rules`` checked against the registry (default: every breachable rule)."""
    from fiscal_sim.rules import RULES

    if rules is None:
        return breachable(projection)
    wanted = (rules,) if isinstance(rules, str) else tuple(rules)
    unknown = [rule_id for rule_id in wanted if rule_id not in RULES]
    if unknown or not wanted:
        given = ", ".join(map(repr, unknown))
        raise FiscalSimError(
            Bilingual(
                "未知规则 {unknown}；可用的规则：{rules}",
                "unknown rule {unknown}; rules are: {rules}",
                unknown=Bilingual._of(given or "（未给出）", given or "(none given)"),
                rules=", ".join(RULES),
            )
        )
    return tuple(rule_id for rule_id in RULES if rule_id in wanted)


def check_margins(projection, rules) -> list[CheckMargin]:
    """Every check of ``rules`` that can fail, with its margin per draw and year."""
    from fiscal_sim.rules import RULES

    found = []
    for rule_id in rules:
        for item in RULES[rule_id](projection):
            if all(outcome.severity == "ok" for outcome in item.outcomes):
                continue
            margin = np.broadcast_to(np.asarray(item.margin, dtype=float), np.shape(item.value))
            if margin.ndim == 3:
                margin = margin.min(axis=2)
            margin = np.where(np.asarray(item.in_force, bool)[None, :], margin, np.inf)
            found.append(CheckMargin(rule_id, item.aspect, item.unit, margin))
    return found


def rule_margins(projection, rules) -> np.ndarray:
    """Array (draws, years, rules): each rule's tightest margin (+inf when not in force)."""
    checks = check_margins(projection, rules)
    draws, years = np.shape(projection.annual["headcount"])
    out = np.full((draws, years, len(rules)), np.inf)
    for item in checks:
        column = rules.index(item.rule)
        out[:, :, column] = np.minimum(out[:, :, column], item.margin)
    return out


def tightest(projection, rules, year_index: int, draw: int = 0) -> dict[str, CheckMargin]:
    """Each rule's tightest check in one year (the one whose margin decides it)."""
    best: dict[str, CheckMargin] = {}
    for item in check_margins(projection, rules):
        value = item.margin[draw, year_index]
        if item.rule not in best or value < best[item.rule].margin[draw, year_index]:
            best[item.rule] = item
    return best
