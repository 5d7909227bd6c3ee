"""General and special debt: principal due, refinancing, interest and ceilings (model.md §7)."""

from __future__ import annotations

import numpy as np


def debt_path(scenario, kind: str, draws: int) -> dict[str, np.ndarray]:
    """Roll one kind of debt (``"general"`` or ``"special"``) forward over the projection years.

    Principal due is the opening balance over the average remaining maturity; a share of it is
    refinanced (再融资债券); interest is the year's rate on the opening balance. Returns arrays
    of shape ``(draws, years)``: ``balance, ceiling, interest, principal_due, refinanced,
    unrefinanced, new_issue, rate``.
    """
    value = scenario.value
    prefix = f"debt.{kind}"
    years = len(scenario.years)
    new_issue = np.asarray(value(f"{prefix}.new_issue"), dtype=float)
    rate = np.asarray(value(f"{prefix}.rate"), dtype=float)
    refinancing = np.asarray(value(f"{prefix}.refinancing_share"), dtype=float)
    maturity = float(value(f"{prefix}.maturity_years"))
    balance = np.empty(years)
    interest, due = np.empty(years), np.empty(years)
    opening = float(value(f"{prefix}.balance"))
    for t in range(years):
        interest[t] = rate[t] * opening
        due[t] = opening / maturity
        opening = opening - due[t] * (1.0 - refinancing[t]) + new_issue[t]
        balance[t] = opening
    refinanced = due * refinancing
    ceiling = float(value(f"{prefix}.ceiling")) + np.cumsum(value(f"{prefix}.ceiling_increase"))
    out = {
        "balance": balance,
        "ceiling": ceiling,
        "interest": interest,
        "principal_due": due,
        "refinanced": refinanced,
        "unrefinanced": due - refinanced,
        "new_issue": new_issue,
        "rate": rate,
    }
    return {name: np.broadcast_to(series, (draws, years)).copy() for name, series in out.items()}
