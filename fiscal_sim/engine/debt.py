"""General and special debt: principal due, refinancing, interest and ceilings (model.md §7)."""

from __future__ import annotations

import numpy as np

from fiscal_sim.engine.values import over_draws, value, yearly


def debt_path(scenario, kind: str, draws: int) -> dict[str, np.ndarray]:
    """Roll one kind of debt (``"general"`` or ``"special"``) forward over the projection years.

    Principal due is the opening balance over the average remaining maturity; a share of it is
    refinanced (再融资债券); interest is the year's rate on the opening balance. Returns arrays
    of shape ``(draws, years)``: ``balance, ceiling, interest, principal_due, refinanced,
    unrefinanced, new_issue, rate``. Parameters may vary by draw (:mod:`.values`).
    """
    prefix = f"debt.{kind}"
    years = len(scenario.years)
    new_issue = yearly(scenario, f"{prefix}.new_issue")
    rate = yearly(scenario, f"{prefix}.rate")
    refinancing = yearly(scenario, f"{prefix}.refinancing_share")
    maturity = np.asarray(value(scenario, f"{prefix}.maturity_years"), dtype=float)
    opening = np.asarray(value(scenario, f"{prefix}.balance"), dtype=float)
    # One row per draw when a parameter varies by draw (a stack), else one path: (years,).
    shape = np.broadcast_shapes(new_issue.shape, rate.shape, refinancing.shape, (years,))
    shape = np.broadcast_shapes(shape, (*opening.shape, years), (*maturity.shape, years))
    balance = np.empty(shape)
    interest, due = np.empty(shape), np.empty(shape)
    for t in range(years):
        interest[..., t] = rate[..., t] * opening
        due[..., t] = opening / maturity
        opening = opening - due[..., t] * (1.0 - refinancing[..., t]) + new_issue[..., t]
        balance[..., t] = opening
    refinanced = due * refinancing
    ceiling = value(scenario, f"{prefix}.ceiling", ndim=2) + np.cumsum(
        yearly(scenario, f"{prefix}.ceiling_increase"), axis=-1
    )
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
    return {name: over_draws(series, (draws, years)) for name, series in out.items()}
