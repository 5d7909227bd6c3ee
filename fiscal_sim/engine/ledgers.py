"""The year loop: GPB waterfall, fund book, advances, stock funds and the stabilisation fund.

These ledgers carry balances from one year to the next (the stabilisation fund can be drawn,
the legacy advance stock shrinks only as far as the budget funds its write-off), so the years
run in order; every step is vectorised over draws.
"""

from __future__ import annotations

import numpy as np

from fiscal_sim.engine.waterfall import allocate
from fiscal_sim.params.schema import TIERS

T = {tier: i for i, tier in enumerate(TIERS)}
# Fund-book uses in priority order: debt service, bond projects, land acquisition, other
# programmes, the planned transfer to the GPB.
GFB_USES = ("debt_service", "bond_projects", "acquisition", "other_programmes", "transfer_out")


def _yearly(scenario, path):
    return np.asarray(scenario.value(path), dtype=float)


def run_ledgers(
    scenario, revenue: dict, needs: dict, general: dict, special: dict, draws: int
) -> tuple[dict, dict]:
    """Run the annual budget over the projection years.

    Parameters
    ----------
    revenue, needs, general, special
        Paths from :mod:`fiscal_sim.engine.paths` and :mod:`fiscal_sim.engine.debt`; ``needs``
        holds annual needs (draws, years) of every tier except ``clearing``.

    Returns
    -------
    annual, tiers
        ``annual[name]`` arrays (draws, years); ``tiers[name]`` arrays (draws, years, 8) for
        ``need, funded, shortfall, executed, paid``.
    """
    v = scenario.value
    n_years = len(scenario.years)
    shape = (draws, n_years)
    order = [T[tier] for tier in v("policy.priority")]
    gap_financing, surplus_use = v("policy.gap_financing"), v("policy.surplus_use")

    digestion = _yearly(scenario, "advances.digestion")
    recovery_share = _yearly(scenario, "advances.recovery_share")
    new_issued = _yearly(scenario, "advances.new_issued")
    rollover = _yearly(scenario, "advances.rollover_share")
    overdue_rate = v("advances.overdue_recovery")
    legacy_opening = v("advances.legacy")
    formed = _yearly(scenario, "stock_funds.formed")
    recovery_rate = _yearly(scenario, "stock_funds.recovery_rate")
    use0, use1 = v("stock_funds.use_age0"), v("stock_funds.use_age1")
    acquisition_share, transfer_share = v("fund.acquisition_share"), v("fund.transfer_out_share")
    cap_share = v("fund.carryover_cap_share")
    other_programmes = _yearly(scenario, "fund.other_programmes")
    sme_year = (
        scenario.years.index(v("arrears.clear_year"))
        if (v("arrears.clear_year") in scenario.years)
        else None
    )
    sme_total = v("arrears.small_items") + v("arrears.other_items")

    names = [
        "transfer_in",
        "fund_draw",
        "stock_funds_recovered",
        "gpb_resources",
        "surplus",
        "stabilization_fund",
        "gap_covered_advances",
        "gap_covered_arrears",
        "gap_arrears_paid",
        "earmarked_spending",
        "gpb_expenditure",
        "legacy_advances",
        "legacy_recovered",
        "legacy_written_off",
        "legacy_planned",
        "new_advances_issued",
        "new_advances_repaid",
        "new_advances_outstanding",
        "overdue_advances",
        "overdue_recovered",
        "gap_cover_advances_stock",
        "advance_balance",
        "carryover_age0",
        "carryover_age1",
        "carryover_age2",
        "carryover_old",
        "carryover_spent",
        "sme_arrears",
        "sme_arrears_paid",
        "gfb_revenue",
        "gfb_expenditure",
        "gfb_balance",
        "gfb_shortfall",
        "transfer_out",
        "land_acquisition",
        "special_bond_projects",
        "gfb_other_programmes",
        "gfb_debt_service",
    ]
    out = {name: np.zeros(shape) for name in names}
    tiers = {
        name: np.zeros((*shape, len(TIERS))) for name in ("need", "funded", "executed", "paid")
    }

    stab = np.full(draws, float(v("stabilization.opening_balance")))
    legacy = np.full(draws, float(legacy_opening))
    overdue = np.zeros(draws)
    gap_stock = np.zeros(draws)
    gap_arrears = np.zeros(draws)
    issued_prev = 0.0
    rollover_prev = 0.0
    age0 = np.full(draws, float(v("stock_funds.age0")))
    age1 = np.full(draws, float(v("stock_funds.age1")))
    age2 = np.full(draws, float(v("stock_funds.age2")))
    gfb_balance = np.full(draws, float(v("fund.opening_balance")))
    sme = np.full(draws, float(sme_total))

    for t in range(n_years):
        # -- fund book first: its transfer to the GPB is a GPB resource ----------------------
        fund_revenue = revenue["land_sales"][:, t] + revenue["other_fund_revenue"][:, t]
        gfb_needs = np.stack(
            [
                special["interest"][:, t] + special["unrefinanced"][:, t],
                special["new_issue"][:, t],
                acquisition_share * revenue["land_sales"][:, t],
                np.full(draws, other_programmes[t]),
                transfer_share * fund_revenue,
            ],
            axis=1,
        )
        gfb_available = gfb_balance + fund_revenue + special["new_issue"][:, t]
        gfb_funded = allocate(gfb_needs, gfb_available, range(len(GFB_USES)))
        remaining = gfb_available - gfb_funded.sum(axis=1)
        excess = np.maximum(remaining - cap_share * fund_revenue, 0.0)
        gfb_balance = remaining - excess
        transfer_in = gfb_funded[:, 4] + excess
        out["gfb_revenue"][:, t] = fund_revenue
        special_principal = np.maximum(gfb_funded[:, 0] - special["interest"][:, t], 0.0)
        out["gfb_expenditure"][:, t] = gfb_funded[:, :4].sum(axis=1) - special_principal
        out["gfb_balance"][:, t] = gfb_balance
        out["gfb_shortfall"][:, t] = (gfb_needs - gfb_funded)[:, :4].sum(axis=1)
        out["transfer_out"][:, t] = transfer_in
        out["land_acquisition"][:, t] = gfb_funded[:, 2]
        out["gfb_debt_service"][:, t] = gfb_funded[:, 0]
        out["special_bond_projects"][:, t] = gfb_funded[:, 1]
        out["gfb_other_programmes"][:, t] = gfb_funded[:, 3]

        # -- stock funds: carry-overs of two years or more are recovered (OPS.4.2.2) --------
        recovered = recovery_rate[t] * age2
        unrecovered = age2 - recovered
        spent = use0 * age0 + use1 * age1
        age2 = unrecovered + (1.0 - use1) * age1
        age1 = (1.0 - use0) * age0
        age0 = np.full(draws, formed[t])
        out["carryover_old"][:, t] = unrecovered
        out["carryover_spent"][:, t] = spent
        out["carryover_age0"][:, t], out["carryover_age1"][:, t] = age0, age1
        out["carryover_age2"][:, t] = age2
        earmarked_spending = revenue["earmarked_transfers"][:, t] - formed[t] + spent

        # -- legacy advances: the plan's digestion, by recovery (cash) or write-off (tier 5) --
        planned = np.minimum(digestion[t] * legacy_opening, legacy)
        recovered_adv = recovery_share[t] * planned
        write_off_need = planned - recovered_adv
        sme_paid_need = np.full(draws, sme_total) if t == sme_year else np.zeros(draws)

        need = np.stack(
            [
                needs[tier][:, t]
                if tier != "clearing"
                else write_off_need + sme_paid_need + gap_arrears + needs["clearing"][:, t]
                for tier in TIERS
            ],
            axis=1,
        )
        need[:, T["debt_service"]] = general["interest"][:, t] + general["unrefinanced"][:, t]

        resources = (
            revenue["tax"][:, t]
            + revenue["nontax"][:, t]
            + revenue["rebates"][:, t]
            + revenue["general_transfers"][:, t]
            + transfer_in
            + general["new_issue"][:, t]
            + recovered
            - revenue["remittance"][:, t]
        )
        gap = np.maximum(need.sum(axis=1) - resources, 0.0)
        draw = np.minimum(gap, stab) if gap_financing == "fund" else np.zeros(draws)
        funded = allocate(need, resources + draw, order)
        surplus = np.maximum(resources + draw - funded.sum(axis=1), 0.0)

        # How much of tier 5 went to the write-off: clearing is funded pro rata to its parts.
        clearing_need = need[:, T["clearing"]]
        clearing_ratio = np.divide(
            funded[:, T["clearing"]], clearing_need, out=np.ones(draws), where=clearing_need > 0
        )
        written_off = write_off_need * clearing_ratio
        if surplus_use == "digestion":
            # A surplus writes off more of the legacy stock: planned and funded in tier 5.
            extra = np.minimum(surplus, legacy - recovered_adv - written_off)
            written_off, surplus = written_off + extra, surplus - extra
            need[:, T["clearing"]] += extra
            funded[:, T["clearing"]] += extra
        shortfall = need - funded

        # Gap financing covers current spending only: old liabilities (tier 5) are not
        # cleared by running up new ones, so their shortfall stays unfunded in every mode.
        coverable = shortfall.copy()
        coverable[:, T["clearing"]] = 0.0
        covered = coverable.sum(axis=1)
        covered_adv = covered if gap_financing == "advances" else np.zeros(draws)
        covered_arr = covered if gap_financing == "arrears" else np.zeros(draws)
        executed = funded + coverable if gap_financing in ("advances", "arrears") else funded
        paid = funded + coverable if gap_financing == "advances" else funded
        legacy = legacy - recovered_adv - written_off
        stab = stab - draw + surplus
        sme_paid = sme_paid_need * clearing_ratio
        sme = sme - sme_paid
        gap_paid = gap_arrears * clearing_ratio
        gap_arrears = gap_arrears - gap_paid + covered_arr

        # -- new advances: issued to budget units, repaid within a year (OPS.4.3.2) -----------
        repaid = (1.0 - rollover_prev) * issued_prev
        overdue_recovered = overdue_rate * overdue
        overdue = overdue - overdue_recovered + rollover_prev * issued_prev
        issued_prev, rollover_prev = new_issued[t], rollover[t]
        gap_stock = gap_stock + covered_adv
        balance = legacy + new_issued[t] + overdue + gap_stock

        # Booked expenditure excludes principal and the spending papered over by advances.
        principal = np.maximum(funded[:, T["debt_service"]] - general["interest"][:, t], 0.0)
        gpb_expenditure = funded.sum(axis=1) - principal + earmarked_spending

        for name, value in {
            "transfer_in": transfer_in,
            "fund_draw": draw,
            "stock_funds_recovered": recovered,
            "gpb_resources": resources + draw,
            "surplus": surplus,
            "stabilization_fund": stab,
            "gap_covered_advances": covered_adv,
            "gap_covered_arrears": covered_arr,
            "gap_arrears_paid": gap_paid,
            "earmarked_spending": earmarked_spending,
            "gpb_expenditure": gpb_expenditure,
            "legacy_advances": legacy,
            "legacy_recovered": recovered_adv,
            "legacy_written_off": written_off,
            "legacy_planned": planned,
            "new_advances_issued": np.full(draws, new_issued[t]),
            "new_advances_repaid": np.full(draws, repaid),
            "new_advances_outstanding": np.full(draws, new_issued[t]),
            "overdue_advances": overdue,
            "overdue_recovered": overdue_recovered,
            "gap_cover_advances_stock": gap_stock,
            "advance_balance": balance,
            "sme_arrears": sme + gap_arrears,
            "sme_arrears_paid": sme_paid,
        }.items():
            out[name][:, t] = value
        tiers["need"][:, t], tiers["funded"][:, t] = need, funded
        tiers["executed"][:, t], tiers["paid"][:, t] = executed, paid

    tiers["shortfall"] = tiers["need"] - tiers["funded"]
    return out, tiers
