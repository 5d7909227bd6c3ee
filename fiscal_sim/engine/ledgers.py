"""The year loop: GPB waterfall, fund book, advances, stock funds and the stabilisation fund.

These ledgers carry balances from one year to the next (the stabilisation fund can be drawn,
the legacy advance stock shrinks only as far as the budget funds its write-off), so the years
run in order; every step is vectorised over draws. Each ledger is one function that takes
the year's inputs and its opening balances and returns the year's lines and its closing
balances (the fund book and the stock funds in :mod:`fiscal_sim.engine.funds`);
``run_ledgers`` strings them together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fiscal_sim.engine.anchor import restart_advances, restart_arrears
from fiscal_sim.engine.budget import adopt, execute, project_execution
from fiscal_sim.engine.funds import fund_book, stock_funds
from fiscal_sim.engine.values import in_year, value, yearly
from fiscal_sim.engine.waterfall import allocate
from fiscal_sim.params.schema import TIERS

T = {tier: i for i, tier in enumerate(TIERS)}
TIER_ARRAYS = ("need", "budget", "funded", "executed", "paid")
PROJECTS = [T["key_projects"], T["non_rigid"]]
# The revenue lines whose outturn can differ from what the budget expected (model.md §3a).
FORESEEABLE = ("tax", "nontax", "general_transfers")


@dataclass
class _Balances:
    """Stocks carried from one year-end to the next, each of shape (draws,)."""

    stabilization: np.ndarray
    legacy: np.ndarray
    vintages: np.ndarray  # new advances outstanding by issue year, (draws, years)
    gap_cover_advances: np.ndarray
    gap_arrears: np.ndarray
    sme_small: np.ndarray
    sme_other: np.ndarray
    carryover: tuple  # (under one year, one to two years, two years or more)
    fund_book: np.ndarray
    bonds_unspent: np.ndarray  # general-bond proceeds kept for next year's key projects
    debt_principal_unpaid: np.ndarray  # general-bond service the budget did not fund
    debt_interest_unpaid: np.ndarray
    projects_carried: np.ndarray  # project money funded last year, paid this year (结转)
    upper_support: np.ndarray  # cash the upper level's treasury lent, still to return

    @classmethod
    def opening(cls, scenario, draws: int) -> _Balances:
        def v(path):
            return value(scenario, path)

        def full(number):
            return np.full(draws, number, dtype=float)

        return cls(
            stabilization=full(v("stabilization.opening_balance")),
            legacy=full(v("advances.legacy")),
            vintages=np.zeros((draws, len(scenario.years))),
            gap_cover_advances=full(0.0),
            gap_arrears=full(0.0),
            sme_small=full(v("arrears.small_items")),
            sme_other=full(v("arrears.other_items")),
            carryover=tuple(full(v(f"stock_funds.age{age}")) for age in range(3)),
            fund_book=full(v("fund.opening_balance")),
            bonds_unspent=full(0.0),
            debt_principal_unpaid=full(0.0),
            debt_interest_unpaid=full(0.0),
            projects_carried=full(0.0),
            upper_support=full(v("treasury.upper_support")),
        )


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
    # A need left unfunded means the resources ran out: what is left is rounding, not surplus.
    surplus = np.where((need - funded).max(axis=1) > 0.0, 0.0, surplus)

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
        "executed": funded + coverable
        if gap_financing in ("advances", "arrears")
        else funded.copy(),
        "paid": funded + coverable if gap_financing == "advances" else funded.copy(),
    }
    covered_advances = covered if gap_financing == "advances" else none
    covered_arrears = covered if gap_financing == "arrears" else none
    return tiers, draw, surplus, written_off, clearing_ratio, covered_advances, covered_arrears


def _budget_year(scenario, t, need, foreseen, resources, expected, state, recovered, write_off):
    """The year's GPB as a county runs it (model.md §3a): the budget adopted on the foreseen
    need and the expected resources, executed against the actual need and resources, then the
    waterfall (§3) and the project money paid, carried over or lapsed.

    Returns the tiers, the annual lines of the budget's steps, then what :func:`_budget`
    returns (with the year's fund draws and a surplus that includes 结余) and the project
    money left unspent, (draws, 2). Carries 结转 to next year in ``state``.
    """
    v = scenario.value
    adopted = adopt(scenario, foreseen, expected, state.stabilization)
    if v("policy.budget_room") == "key_projects":
        need[:, T["key_projects"]] += adopted.room
    planned = need.copy()  # the need as planned, before the budget's cuts
    cut = np.minimum(adopted.cut, need)
    available = resources + adopted.fund_draw
    fund_left = state.stabilization - adopted.fund_draw
    executed = execute(scenario, adopted, need - cut, available, fund_left)
    tiers, draw, surplus, written_off, clearing_ratio, covered_adv, covered_arr = _budget(
        scenario, t, executed.need, available, fund_left, state.legacy - recovered, write_off
    )
    # What the budget cut shows as a shortfall of the need as planned; tier 5 is never cut,
    # but a surplus may have raised its write-off (policy.surplus_use: digestion).
    planned[:, T["clearing"]] = tiers["need"][:, T["clearing"]]
    tiers["need"] = planned
    tiers["budget"] = adopted.budget
    unspent, carried = project_execution(scenario, tiers["funded"][:, PROJECTS])
    for book in ("executed", "paid"):
        tiers[book][:, PROJECTS] -= unspent
    saved = unspent.sum(axis=1) - carried
    carryover_spent, state.projects_carried = state.projects_carried, carried
    lines = {
        "budget_expected_resources": expected,
        "budget_reserve": adopted.reserve,
        "budget_fund_draw": adopted.fund_draw,
        "budget_cut": cut.sum(axis=1),
        "budget_room": adopted.room,
        "revenue_vs_budget": resources - expected,
        "reserve_used": executed.reserve_used,
        "mid_year_adjustment": executed.adjustment.sum(axis=1),
        "project_savings": saved,
        "project_carried_over": carried,
        "project_carryover_spent": carryover_spent,
    }
    draw = adopted.fund_draw + draw
    outcome = (draw, surplus + saved, written_off, clearing_ratio, covered_adv, covered_arr)
    return tiers, lines, *outcome, unspent


def _new_advances(scenario, t, vintages):
    """New advances by issue year (OPS.4.3.2): issued to budget units, repaid the year after,
    but for the rollover share, which stays outstanding and is recovered at
    ``advances.overdue_recovery`` a year from then on.

    ``vintages[:, v]`` is what is still outstanding of the advances issued in year ``v``; the
    rules read the ages from it. Returns the year's lines and the closing vintages.
    """
    issued = yearly(scenario, "advances.new_issued")
    rollover = yearly(scenario, "advances.rollover_share")
    recovery = value(scenario, "advances.overdue_recovery")
    vintages = vintages.copy()
    repaid = np.zeros(vintages.shape[0])
    overdue_recovered = recovery * vintages[:, : max(t - 1, 0)].sum(axis=1)
    vintages[:, : max(t - 1, 0)] *= 1.0 - value(scenario, "advances.overdue_recovery", ndim=2)
    if t > 0:  # last year's issue, as a re-forecast may have restarted it (restart_advances)
        repaid = repaid + (1.0 - rollover[..., t - 1]) * vintages[:, t - 1]
        vintages[:, t - 1] = rollover[..., t - 1] * vintages[:, t - 1]
    vintages[:, t] = issued[..., t]
    lines = {
        "new_advances_issued": np.full(vintages.shape[0], issued[..., t]),
        "new_advances_repaid": repaid,
        "new_advances_outstanding": vintages.sum(axis=1),
        "overdue_advances": vintages[:, :t].sum(axis=1),
        "overdue_recovered": overdue_recovered,
    }
    return lines, vintages


def _bond_funded_projects(need, bonds_available):
    """General-bond proceeds fund key projects (tier 6) and nothing else (OPS.4.2.4; Budget
    Law art. 35: borrowing only for public-interest capital spending).

    Returns the part of the tier-6 need the proceeds fund and the proceeds left for next year.
    """
    funded = np.minimum(need[:, T["key_projects"]], bonds_available)
    return funded, bonds_available - funded


def _debt_service(scenario, t, general, state):
    """General-bond service of year ``t``: the year's interest and unrefinanced principal, and
    what the budget left unpaid last year (OPS.4.4.2).

    Unpaid principal stays on the balance and bears interest. With
    ``policy.unpaid_debt_service: deducted`` (结算扣款, the default) the province services it
    and deducts it, with the interest, from this year's general transfers; with ``carried`` it
    stays due and is added to this year's tier 4. Returns (interest need, principal need,
    deduction from transfers).
    """
    carried_interest = state.debt_interest_unpaid + (
        general["rate"][:, t] * state.debt_principal_unpaid
    )
    carried_principal = state.debt_principal_unpaid
    interest = general["interest"][:, t]
    principal = general["unrefinanced"][:, t]
    if scenario.value("policy.unpaid_debt_service") == "deducted":
        return interest, principal, carried_interest + carried_principal
    return interest + carried_interest, principal + carried_principal, np.zeros_like(interest)


def _tier_needs(needs, t, clearing_known, debt_service) -> np.ndarray:
    """The year's need by tier, (draws, tiers): the annual paths, with tier 5 (what is due to
    be cleared this year on top of its deltas) and tier 4 (debt service) from the ledgers."""
    need = np.stack([needs[tier][:, t] for tier in TIERS], axis=1)
    need[:, T["clearing"]] += clearing_known
    need[:, T["debt_service"]] = debt_service
    return need


def _ordinary_resources(revenue, t, row, stock, deduction) -> np.ndarray:
    """The GPB's ordinary resources of year ``t`` (model.md §3), shape (draws,)."""
    return (
        revenue["tax"][:, t]
        + revenue["nontax"][:, t]
        + revenue["rebates"][:, t]
        + revenue["general_transfers"][:, t]
        - deduction
        + row["transfer_out"]
        + stock["stock_funds_recovered"]
        - revenue["remittance"][:, t]
    )


def _unforeseen_revenue(scenario, revenue, expected_revenue, t) -> np.ndarray:
    """What the year's ordinary resources bring beyond what the budget expected (超收, or a
    shortfall if negative): the foreseeable revenue lines, and the fund book's planned
    transfer on the land sales that came (model.md §3a)."""
    surprise = sum(revenue[line][:, t] - expected_revenue[line][:, t] for line in FORESEEABLE)
    land = revenue["land_sales"][:, t] - expected_revenue["land_sales"][:, t]
    return surprise + value(scenario, "fund.transfer_out_share") * land


class _ByYear(dict):
    """The ledgers' outputs, each allocated once for every year: the line of year ``t``,
    (draws, ...), is written into ``[:, t]`` of its array (draws, years, ...)."""

    def __init__(self, years: int):
        super().__init__()
        self.years = years

    def put(self, t: int, lines: dict) -> None:
        for name, line in lines.items():
            out = self.get(name)
            if out is None:
                line = np.asarray(line)
                shape = (line.shape[0], self.years, *line.shape[1:])
                out = self[name] = np.empty(shape, dtype=line.dtype)
            out[:, t] = line


def arrears_owed_by_month(scenario, annual) -> dict[str, np.ndarray]:
    """SME arrears still owed at each month end (draws, years, 12), small items and the rest.

    Each year's payment follows the plan's monthly schedule (``arrears.small_profile``,
    ``arrears.other_profile``), so the owed amount is the year's opening stock less the
    payments made up to that month (MKT.4.3.9).
    """
    out = {}
    for part in ("small", "other"):
        schedule = np.cumsum(value(scenario, f"arrears.{part}_profile", ndim=3), axis=-1)
        opening = annual[f"arrears_{part}_owed"] + annual[f"arrears_{part}_paid"]
        paid_so_far = annual[f"arrears_{part}_paid"][..., None] * schedule
        out[f"arrears_{part}_owed"] = np.subtract(opening[..., None], paid_so_far, out=paid_so_far)
    return out


def run_ledgers(
    scenario,
    revenue: dict,
    expected_revenue: dict,
    needs: dict,
    foreseen_needs: dict,
    general: dict,
    special: dict,
    draws: int,
    restart: dict | None = None,
    arrears_restart: dict | None = None,
    compiled: bool = False,
) -> tuple[dict, dict]:
    """Run the annual budget over the projection years.

    Parameters
    ----------
    revenue, needs, general, special
        Paths from :mod:`fiscal_sim.engine.paths` and :mod:`fiscal_sim.engine.debt`; ``needs``
        holds annual needs (draws, years) of every tier, tier 5 by its deltas only.
    expected_revenue, foreseen_needs
        The same paths as the budget foresaw them at adoption (model.md §3a).
    restart
        ``{year index: (months closed, {stock: balance})}``: the advance balances at the end
        of a re-forecast's last closed month (:class:`~fiscal_sim.engine.anchor.Anchor`
        ``stocks``), from which the year's advance ledger goes on (:func:`restart_advances`).
    arrears_restart
        ``{year index: SME arrears paid by month, NaN after the last closed one}`` (the
        anchor's ``arrears_paid``): what was paid so far restarts the year's arrears
        payments (:func:`restart_arrears`).
    compiled
        Run the years in :func:`fiscal_sim.engine.kernels.ledgers` (the Monte Carlo's
        chunks), the same numbers bit for bit, when there is no restart and no parameter
        varies by draw.

    Returns
    -------
    annual, tiers
        ``annual[name]`` arrays (draws, years), but ``new_advances_by_vintage`` (draws,
        years, years): at the end of year ``t``, what is outstanding of the new advances issued
        in year ``v``; ``tiers[name]`` arrays (draws, years, 8) for ``need, funded, shortfall,
        executed, paid``.
    """

    if compiled and not (restart or arrears_restart or getattr(scenario, "stacked_paths", ())):
        from fiscal_sim.engine.kernels import PAIRWISE_BLOCK, ledgers

        if len(scenario.years) <= PAIRWISE_BLOCK:
            return ledgers(
                scenario, revenue, expected_revenue, needs, foreseen_needs, general, special, draws
            )

    def v(path):
        return value(scenario, path)

    legacy_opening = v("advances.legacy")
    digestion = yearly(scenario, "advances.digestion")
    recovery_share = yearly(scenario, "advances.recovery_share")
    clear_year = v("arrears.clear_year")
    state = _Balances.opening(scenario, draws)
    annual, tier_arrays = _ByYear(len(scenario.years)), _ByYear(len(scenario.years))

    for t, year in enumerate(scenario.years):
        # The fund book first: its transfer to the GPB is a GPB resource.
        row, state.fund_book = fund_book(scenario, t, revenue, special, state.fund_book)
        stock, state.carryover = stock_funds(scenario, t, state.carryover)
        row.update(stock)
        row["earmarked_spending"] = (
            revenue["earmarked_transfers"][:, t]
            - in_year(scenario, "stock_funds.formed", t)
            + stock["carryover_spent"]
        )

        # Legacy advances: the plan's digestion, by recovery (cash) or write-off (tier 5).
        planned = np.minimum(digestion[..., t] * legacy_opening, state.legacy)
        recovered = recovery_share[..., t] * planned
        write_off_need = planned - recovered
        # SME arrears (清欠): due from the clearing year until paid (OPS.4.2.5, MKT.4.3.8-9).
        clearing_now = year >= clear_year  # by draw in a stack
        small_due = np.where(clearing_now, state.sme_small, 0.0)
        other_due = np.where(clearing_now, state.sme_other, 0.0)
        interest_need, principal_need, deduction = _debt_service(scenario, t, general, state)
        known = write_off_need + small_due + other_due + state.gap_arrears
        need = _tier_needs(needs, t, known, interest_need + principal_need)
        foreseen = _tier_needs(foreseen_needs, t, known, interest_need + principal_need)
        resources = _ordinary_resources(revenue, t, row, stock, deduction)
        expected = resources - _unforeseen_revenue(scenario, revenue, expected_revenue, t)
        bond_funded, state.bonds_unspent = _bond_funded_projects(
            need, state.bonds_unspent + general["new_issue"][:, t]
        )
        need[:, T["key_projects"]] -= bond_funded
        foreseen[:, T["key_projects"]] = np.maximum(
            foreseen[:, T["key_projects"]] - bond_funded, 0.0
        )
        (
            tiers,
            lines,
            draw,
            surplus,
            written_off,
            clearing_ratio,
            covered_adv,
            covered_arr,
            unspent,
        ) = _budget_year(
            scenario, t, need, foreseen, resources, expected, state, recovered, write_off_need
        )
        row.update(lines)
        for book in ("need", "budget", "funded", "executed", "paid"):
            tiers[book][:, T["key_projects"]] += bond_funded
        state.legacy = state.legacy - recovered - written_off
        state.stabilization = state.stabilization - draw + surplus
        small_paid, other_paid = small_due * clearing_ratio, other_due * clearing_ratio
        gap_paid = state.gap_arrears * clearing_ratio
        modelled, so_far = small_paid + other_paid + gap_paid, (np.zeros(draws),) * 3
        if arrears_restart and t in arrears_restart:  # a re-forecast: paid so far, actual
            stocks = (state.sme_small, state.sme_other, state.gap_arrears)
            (small_paid, other_paid, gap_paid), so_far = restart_arrears(
                scenario, arrears_restart[t], stocks, (small_paid, other_paid, gap_paid)
            )
        state.sme_small, state.sme_other = (
            state.sme_small - small_paid,
            state.sme_other - other_paid,
        )
        state.gap_arrears = state.gap_arrears - gap_paid + covered_arr
        row.update(
            arrears_restart_adjustment=modelled - (small_paid + other_paid + gap_paid),
            arrears_small_paid_so_far=so_far[0],
            arrears_other_paid_so_far=so_far[1],
        )

        # Cash support from the upper level's treasury (OPS.4.3.3) is returned on its
        # schedule: cash only, no budget (model.md §6).
        support_repaid = np.minimum(
            in_year(scenario, "treasury.upper_support_repaid", t) * v("treasury.upper_support"),
            state.upper_support,
        )
        state.upper_support = state.upper_support - support_repaid
        row.update(upper_support_repaid=support_repaid, upper_support=state.upper_support)
        new_opening = state.vintages.sum(axis=1) + state.gap_cover_advances
        advances, state.vintages = _new_advances(scenario, t, state.vintages)
        state.gap_cover_advances = state.gap_cover_advances + covered_adv
        restarted = (np.zeros(draws), np.zeros(draws))
        if restart and t in restart:
            closed, given = restart[t]
            restarted = restart_advances(
                t, closed, given, state, recovered + written_off, advances, new_opening
            )
        row.update(advances)
        row.update(
            legacy_restart_adjustment=restarted[0], new_advances_restart_adjustment=restarted[1]
        )

        # Debt service: interest first, then principal; what is unpaid stays owed.
        funded = tiers["funded"]
        interest_paid = np.minimum(funded[:, T["debt_service"]], interest_need)
        principal = funded[:, T["debt_service"]] - interest_paid
        state.debt_interest_unpaid = interest_need - interest_paid
        state.debt_principal_unpaid = principal_need - principal
        # Booked expenditure excludes principal and the spending papered over by advances.
        row.update(
            transfer_in=row["transfer_out"],
            fund_draw=draw,
            gpb_resources=resources + draw + bond_funded,
            surplus=surplus,
            stabilization_fund=state.stabilization,
            gap_covered_advances=covered_adv,
            gap_covered_arrears=covered_arr,
            gap_arrears_paid=gap_paid,
            gpb_expenditure=funded.sum(axis=1)
            - unspent.sum(axis=1)
            - principal
            + row["earmarked_spending"]
            + row["project_carryover_spent"],
            general_bond_projects=bond_funded,
            general_bond_unspent=state.bonds_unspent,
            debt_service_unpaid=state.debt_interest_unpaid + state.debt_principal_unpaid,
            debt_principal_unpaid=state.debt_principal_unpaid,
            settlement_deduction=deduction,
            legacy_advances=state.legacy,
            legacy_recovered=recovered,
            legacy_written_off=written_off,
            legacy_planned=planned,
            new_advances_by_vintage=state.vintages,
            gap_cover_advances_stock=state.gap_cover_advances,
            advance_balance=state.legacy
            + advances["new_advances_outstanding"]
            + state.gap_cover_advances,
            sme_arrears=state.sme_small + state.sme_other + state.gap_arrears,
            sme_arrears_paid=small_paid + other_paid,
            arrears_small_paid=small_paid,
            arrears_other_paid=other_paid,
            arrears_small_owed=state.sme_small,
            arrears_other_owed=state.sme_other,
        )
        annual.put(t, row)
        tier_arrays.put(t, {name: tiers[name] for name in TIER_ARRAYS})

    tier_arrays["shortfall"] = tier_arrays["need"] - tier_arrays["funded"]
    return dict(annual), dict(tier_arrays)
