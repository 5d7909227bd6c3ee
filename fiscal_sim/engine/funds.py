"""The books beside the GPB that the year loop runs first: the government fund budget and
the stock funds (carry-overs by age).

Each takes the year's inputs and its opening balances and returns the year's lines and its
closing balances; :func:`fiscal_sim.engine.ledgers.run_ledgers` runs them year by year.
"""

from __future__ import annotations

import numpy as np

from fiscal_sim.engine.values import in_year, value
from fiscal_sim.engine.waterfall import allocate


def fund_book(scenario, t, revenue, special, opening):
    """The government fund budget (model.md §4): its uses in priority order, then the
    planned transfer and any carry-over above the cap move to the GPB (domain brief §2.5)."""

    def v(path):
        return value(scenario, path)

    land, other = revenue["land_sales"][:, t], revenue["other_fund_revenue"][:, t]
    fund_revenue = land + other
    # Special-bond proceeds fund their own projects and nothing else (OPS.4.2.4; Budget Law
    # art. 35): they are spent on the projects outside the pool the other uses draw from.
    bond_projects = special["new_issue"][:, t]
    needs = np.stack(
        [
            special["interest"][:, t] + special["unrefinanced"][:, t],  # debt service
            v("fund.acquisition_share") * land,  # land acquisition and compensation
            np.broadcast_to(in_year(scenario, "fund.other_programmes", t), land.shape),
            v("fund.transfer_out_share") * fund_revenue,  # the planned transfer to the GPB
        ],
        axis=1,
    )
    available = opening + fund_revenue
    funded = allocate(needs, available, range(needs.shape[1]))
    remaining = available - funded.sum(axis=1)
    excess = np.maximum(remaining - v("fund.carryover_cap_share") * fund_revenue, 0.0)
    principal = np.maximum(funded[:, 0] - special["interest"][:, t], 0.0)
    lines = {
        "gfb_revenue": fund_revenue,
        "gfb_expenditure": funded[:, :3].sum(axis=1) + bond_projects - principal,
        "gfb_balance": remaining - excess,
        "gfb_shortfall": (needs - funded)[:, :3].sum(axis=1),
        "transfer_out": funded[:, 3] + excess,
        "gfb_debt_service": funded[:, 0],
        "special_bond_projects": bond_projects,
        "land_acquisition": funded[:, 1],
        "gfb_other_programmes": funded[:, 2],
    }
    return lines, remaining - excess


def stock_funds(scenario, t, carryover):
    """Carry-overs by age: those of two years or more are recovered into the budget
    (OPS.4.2.2); younger ones are partly spent and the rest grow a year older."""

    def v(path):
        return value(scenario, path)

    age0, age1, age2 = carryover
    recovered = in_year(scenario, "stock_funds.recovery_rate", t) * age2
    unrecovered = age2 - recovered
    spent = v("stock_funds.use_age0") * age0 + v("stock_funds.use_age1") * age1
    closing = (
        np.full_like(age0, in_year(scenario, "stock_funds.formed", t)),
        (1.0 - v("stock_funds.use_age0")) * age0,
        unrecovered + (1.0 - v("stock_funds.use_age1")) * age1,
    )
    lines = {
        "stock_funds_recovered": recovered,
        "carryover_old": unrecovered,
        "carryover_spent": spent,
        "carryover_age0": closing[0],
        "carryover_age1": closing[1],
        "carryover_age2": closing[2],
    }
    return lines, closing
