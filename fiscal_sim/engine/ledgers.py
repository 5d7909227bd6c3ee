"""The year loop: GPB waterfall, fund book, advances, stock funds and the stabilisation fund.

These ledgers carry balances from one year to the next (the stabilisation fund can be drawn,
the legacy advance stock shrinks only as far as the budget funds its write-off), so the years
run in order; every step is vectorised over draws. Each ledger is one function that takes
the year's inputs and its opening balances and returns the year's lines and its closing
balances; ``run_ledgers`` strings them together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fiscal_sim.engine.waterfall import allocate
from fiscal_sim.params.schema import TIERS

T = {tier: i for i, tier in enumerate(TIERS)}
TIER_ARRAYS = ("need", "funded", "executed", "paid")


def _yearly(scenario, path):
    return np.asarray(scenario.value(path), dtype=float)


@dataclass
class _Balances:
    """Stocks carried from one year-end to the next, each of shape (draws,)."""

    stabilization: np.ndarray
    legacy: np.ndarray
    overdue: np.ndarray
    gap_cover_advances: np.ndarray
    gap_arrears: np.ndarray
    sme: np.ndarray
    carryover: tuple  # (under one year, one to two years, two years or more)
    fund_book: np.ndarray
    issued_last_year: float = 0.0
    rollover_last_year: float = 0.0

    @classmethod
    def opening(cls, scenario, draws: int) -> _Balances:
        v = scenario.value

        def full(value):
            return np.full(draws, float(value))

        return cls(
            stabilization=full(v("stabilization.opening_balance")),
            legacy=full(v("advances.legacy")),
            overdue=full(0.0),
            gap_cover_advances=full(0.0),
            gap_arrears=full(0.0),
            sme=full(v("arrears.small_items") + v("arrears.other_items")),
            carryover=tuple(full(v(f"stock_funds.age{age}")) for age in range(3)),
            fund_book=full(v("fund.opening_balance")),
        )


def _fund_book(scenario, t, revenue, special, opening):
    """The government fund budget (model.md §4): its uses in priority order, then the
    planned transfer and any carry-over above the cap move to the GPB (domain brief §2.5)."""
    v = scenario.value
    land, other = revenue["land_sales"][:, t], revenue["other_fund_revenue"][:, t]
    fund_revenue = land + other
    bonds = special["new_issue"][:, t]
    needs = np.stack(
        [
            special["interest"][:, t] + special["unrefinanced"][:, t],  # debt service
            bonds,  # special-bond projects
            v("fund.acquisition_share") * land,  # land acquisition and compensation
            np.broadcast_to(_yearly(scenario, "fund.other_programmes")[t], land.shape),
            v("fund.transfer_out_share") * fund_revenue,  # the planned transfer to the GPB
        ],
        axis=1,
    )
    available = opening + fund_revenue + bonds
    funded = allocate(needs, available, range(needs.shape[1]))
    remaining = available - funded.sum(axis=1)
    excess = np.maximum(remaining - v("fund.carryover_cap_share") * fund_revenue, 0.0)
    principal = np.maximum(funded[:, 0] - special["interest"][:, t], 0.0)
    lines = {
        "gfb_revenue": fund_revenue,
        "gfb_expenditure": funded[:, :4].sum(axis=1) - principal,
        "gfb_balance": remaining - excess,
        "gfb_shortfall": (needs - funded)[:, :4].sum(axis=1),
        "transfer_out": funded[:, 4] + excess,
        "gfb_debt_service": funded[:, 0],
        "special_bond_projects": funded[:, 1],
        "land_acquisition": funded[:, 2],
        "gfb_other_programmes": funded[:, 3],
    }
    return lines, remaining - excess


def _stock_funds(scenario, t, carryover):
    """Carry-overs by age: those of two years or more are recovered into the budget
    (OPS.4.2.2); younger ones are partly spent and the rest grow a year older."""
    v = scenario.value
    age0, age1, age2 = carryover
    recovered = _yearly(scenario, "stock_funds.recovery_rate")[t] * age2
    unrecovered = age2 - recovered
    spent = v("stock_funds.use_age0") * age0 + v("stock_funds.use_age1") * age1
    closing = (
        np.full_like(age0, _yearly(scenario, "stock_funds.formed")[t]),
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


def _budget(scenario, t, need, resources, stabilization, legacy_left, write_off_need):
    """The GPB waterfall of one year with gap financing and the use of a surplus (model.md §3).

    Returns the tier arrays, the fund draw, the surplus, the write-off funded and the gap
    covered by advances or by arrears.
    """
    v = scenario.value
    gap_financing = v("policy.gap_financing")
    gap = np.maximum(need.sum(axis=1) - resources, 0.0)
    draw = np.minimum(gap, stabilization) if gap_financing == "fund" else np.zeros_like(gap)
    order = [T[tier] for tier in v("policy.priority")]
    funded = allocate(need, resources + draw, order)
    surplus = np.maximum(resources + draw - funded.sum(axis=1), 0.0)

    # How much of tier 5 went to the write-off: clearing is funded pro rata to its parts.
    clearing_need = need[:, T["clearing"]]
    clearing_ratio = np.divide(
        funded[:, T["clearing"]], clearing_need, out=np.ones_like(gap), where=clearing_need > 0
    )
    written_off = write_off_need * clearing_ratio
    if v("policy.surplus_use") == "digestion":
        # A surplus writes off more of the legacy stock: planned and funded in tier 5.
        extra = np.minimum(surplus, legacy_left - written_off)
        written_off, surplus = written_off + extra, surplus - extra
        need[:, T["clearing"]] += extra
        funded[:, T["clearing"]] += extra

    # Gap financing covers current spending only: old liabilities (tier 5) are not cleared by
    # running up new ones, so their shortfall stays unfunded in every mode.
    coverable = need - funded
    coverable[:, T["clearing"]] = 0.0
    covered = coverable.sum(axis=1)
    none = np.zeros_like(covered)
    tiers = {
        "need": need,
        "funded": funded,
        "executed": funded + coverable if gap_financing in ("advances", "arrears") else funded,
        "paid": funded + coverable if gap_financing == "advances" else funded,
    }
    covered_advances = covered if gap_financing == "advances" else none
    covered_arrears = covered if gap_financing == "arrears" else none
    return tiers, draw, surplus, written_off, clearing_ratio, covered_advances, covered_arrears


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
    legacy_opening = v("advances.legacy")
    digestion = _yearly(scenario, "advances.digestion")
    recovery_share = _yearly(scenario, "advances.recovery_share")
    new_issued = _yearly(scenario, "advances.new_issued")
    rollover = _yearly(scenario, "advances.rollover_share")
    clear_year = v("arrears.clear_year")
    sme_total = v("arrears.small_items") + v("arrears.other_items")
    state = _Balances.opening(scenario, draws)
    rows, tier_rows = [], []

    for t, year in enumerate(scenario.years):
        # The fund book first: its transfer to the GPB is a GPB resource.
        row, state.fund_book = _fund_book(scenario, t, revenue, special, state.fund_book)
        stock, state.carryover = _stock_funds(scenario, t, state.carryover)
        row.update(stock)
        row["earmarked_spending"] = (
            revenue["earmarked_transfers"][:, t]
            - _yearly(scenario, "stock_funds.formed")[t]
            + stock["carryover_spent"]
        )

        # Legacy advances: the plan's digestion, by recovery (cash) or write-off (tier 5).
        planned = np.minimum(digestion[t] * legacy_opening, state.legacy)
        recovered = recovery_share[t] * planned
        write_off_need = planned - recovered
        sme_due = np.full(draws, sme_total if year == clear_year else 0.0)
        need = np.stack(
            [
                write_off_need + sme_due + state.gap_arrears + needs["clearing"][:, t]
                if tier == "clearing"
                else needs[tier][:, t]
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
            + row["transfer_out"]
            + general["new_issue"][:, t]
            + stock["stock_funds_recovered"]
            - revenue["remittance"][:, t]
        )
        tiers, draw, surplus, written_off, clearing_ratio, covered_adv, covered_arr = _budget(
            scenario,
            t,
            need,
            resources,
            state.stabilization,
            state.legacy - recovered,
            write_off_need,
        )
        state.legacy = state.legacy - recovered - written_off
        state.stabilization = state.stabilization - draw + surplus
        sme_paid = sme_due * clearing_ratio
        state.sme = state.sme - sme_paid
        gap_paid = state.gap_arrears * clearing_ratio
        state.gap_arrears = state.gap_arrears - gap_paid + covered_arr

        # New advances: issued to budget units, repaid within a year (OPS.4.3.2).
        repaid = (1.0 - state.rollover_last_year) * state.issued_last_year
        overdue_recovered = v("advances.overdue_recovery") * state.overdue
        state.overdue = (
            state.overdue - overdue_recovered + state.rollover_last_year * state.issued_last_year
        )
        state.issued_last_year, state.rollover_last_year = new_issued[t], rollover[t]
        state.gap_cover_advances = state.gap_cover_advances + covered_adv

        # Booked expenditure excludes principal and the spending papered over by advances.
        funded = tiers["funded"]
        principal = np.maximum(funded[:, T["debt_service"]] - general["interest"][:, t], 0.0)
        issued = np.full(draws, new_issued[t])
        row.update(
            transfer_in=row["transfer_out"],
            fund_draw=draw,
            gpb_resources=resources + draw,
            surplus=surplus,
            stabilization_fund=state.stabilization,
            gap_covered_advances=covered_adv,
            gap_covered_arrears=covered_arr,
            gap_arrears_paid=gap_paid,
            gpb_expenditure=funded.sum(axis=1) - principal + row["earmarked_spending"],
            legacy_advances=state.legacy,
            legacy_recovered=recovered,
            legacy_written_off=written_off,
            legacy_planned=planned,
            new_advances_issued=issued,
            new_advances_repaid=np.full(draws, repaid),
            new_advances_outstanding=issued,
            overdue_advances=state.overdue,
            overdue_recovered=overdue_recovered,
            gap_cover_advances_stock=state.gap_cover_advances,
            advance_balance=state.legacy + issued + state.overdue + state.gap_cover_advances,
            sme_arrears=state.sme + state.gap_arrears,
            sme_arrears_paid=sme_paid,
        )
        rows.append(row)
        tier_rows.append(tiers)

    annual = {name: np.stack([row[name] for row in rows], axis=1) for name in rows[0]}
    tier_arrays = {name: np.stack([row[name] for row in tier_rows], axis=1) for name in TIER_ARRAYS}
    tier_arrays["shortfall"] = tier_arrays["need"] - tier_arrays["funded"]
    return annual, tier_arrays
