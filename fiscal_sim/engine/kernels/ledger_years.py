"""The ledgers' year loop, compiled: :func:`fiscal_sim.engine.ledgers.run_ledgers` without a
restart, draw by draw; each step names the reference function it mirrors.

One module, though over 500 lines: it is one loop, a year of the ledgers step by step, and
its steps are read beside the reference's in the same order; split, the order that makes it
equal the numpy engine bit for bit would be spread over files."""

from __future__ import annotations

import enum

import numpy as np

from fiscal_sim.engine.kernels.compiler import njit
from fiscal_sim.engine.kernels.numpy_order import contiguous_sum, maximum, minimum, sum8


@njit
def _cut_in_proportion(need, gap, shares, out):
    """:func:`fiscal_sim.engine.budget.cut_in_proportion` of one draw, into ``out``."""
    for k in range(8):
        out[k] = need[k] * shares[k]
    total = sum8(out)
    rate = minimum(maximum(gap, 0.0) / total if total > 0 else 0.0, 1.0)
    for k in range(8):
        out[k] = out[k] * rate


# The annual lines of fiscal_sim.engine.ledgers.run_ledgers, in its order; the vintages
# (draws, years, years) apart.
LINES = (
    "gfb_revenue",
    "gfb_expenditure",
    "gfb_balance",
    "gfb_shortfall",
    "transfer_out",
    "gfb_debt_service",
    "special_bond_projects",
    "land_acquisition",
    "gfb_other_programmes",
    "stock_funds_recovered",
    "carryover_old",
    "carryover_spent",
    "carryover_age0",
    "carryover_age1",
    "carryover_age2",
    "earmarked_spending",
    "budget_expected_resources",
    "budget_reserve",
    "budget_fund_draw",
    "budget_cut",
    "budget_room",
    "revenue_vs_budget",
    "reserve_used",
    "mid_year_adjustment",
    "project_savings",
    "project_carried_over",
    "project_carryover_spent",
    "arrears_restart_adjustment",
    "arrears_small_paid_so_far",
    "arrears_other_paid_so_far",
    "upper_support_repaid",
    "upper_support",
    "new_advances_issued",
    "new_advances_repaid",
    "new_advances_outstanding",
    "overdue_advances",
    "overdue_recovered",
    "legacy_restart_adjustment",
    "new_advances_restart_adjustment",
    "transfer_in",
    "fund_draw",
    "gpb_resources",
    "surplus",
    "stabilization_fund",
    "gap_covered_advances",
    "gap_covered_arrears",
    "gap_arrears_paid",
    "gpb_expenditure",
    "general_bond_projects",
    "general_bond_unspent",
    "debt_service_unpaid",
    "debt_principal_unpaid",
    "settlement_deduction",
    "legacy_advances",
    "legacy_recovered",
    "legacy_written_off",
    "legacy_planned",
    "new_advances_by_vintage",
    "gap_cover_advances_stock",
    "advance_balance",
    "sme_arrears",
    "sme_arrears_paid",
    "arrears_small_paid",
    "arrears_other_paid",
    "arrears_small_owed",
    "arrears_other_owed",
)
# Their rows in the kernel's output (numba reads an IntEnum's members as constants).
Line = enum.IntEnum("Line", [name for name in LINES if name != "new_advances_by_vintage"], start=0)
TIER_BOOKS = ("need", "budget", "funded", "executed", "paid")
# Inputs by draw and year, stacked in this order (revenue, expected revenue, debt).
REVENUE = (
    "tax",
    "nontax",
    "rebates",
    "general_transfers",
    "remittance",
    "land_sales",
    "other_fund_revenue",
    "earmarked_transfers",
)
EXPECTED = ("tax", "nontax", "general_transfers", "land_sales")
DEBT = (
    ("general", "rate"),
    ("general", "interest"),
    ("general", "unrefinanced"),
    ("general", "new_issue"),
    ("special", "interest"),
    ("special", "unrefinanced"),
    ("special", "new_issue"),
)
# Parameters: numbers, then paths by year, in these orders.
NUMBERS = (
    "advances.legacy",
    "arrears.clear_year",
    "stabilization.opening_balance",
    "arrears.small_items",
    "arrears.other_items",
    "stock_funds.age0",
    "stock_funds.age1",
    "stock_funds.age2",
    "fund.opening_balance",
    "treasury.upper_support",
    "fund.acquisition_share",
    "fund.transfer_out_share",
    "fund.carryover_cap_share",
    "stock_funds.use_age0",
    "stock_funds.use_age1",
    "policy.reserve_share",
    "policy.fund_budgeted_share",
    "policy.project_execution_rate",
    "policy.project_carryover_share",
    "advances.overdue_recovery",
)
BY_YEAR = (
    "advances.digestion",
    "advances.recovery_share",
    "fund.other_programmes",
    "stock_funds.recovery_rate",
    "stock_funds.formed",
    "advances.new_issued",
    "advances.rollover_share",
    "treasury.upper_support_repaid",
)

# Tier indices (fiscal_sim.params.schema.TIERS), the gap-financing words in the order of
# their codes, and the policy's words as the kernel takes them.
DEBT_SERVICE, CLEARING, KEY_PROJECTS, NON_RIGID = 3, 4, 5, 6
GAP_FINANCING = ("none", "fund", "advances", "arrears")
WORDS = (
    "policy.gap_financing (its code)",
    "policy.surplus_use == digestion",
    "policy.budget_room == key_projects",
    "policy.unpaid_debt_service == deducted",
)


@njit
def _ledgers(
    revenue,
    expected,
    needs,
    foreseen_needs,
    debt,
    years,
    numbers,
    by_year,
    words,
    order,
    shares,
    lines,
    vintages,
    books,
):
    """The year loop of :func:`fiscal_sim.engine.ledgers.run_ledgers` (no restart), draw by
    draw; each step names the reference function it mirrors. ``numbers`` and ``words`` are
    tuples in the order of :data:`NUMBERS` and :data:`WORDS`; ``by_year`` has a row per
    path of :data:`BY_YEAR`; the inputs are (lines, draws, years), a line each of
    :data:`REVENUE`, :data:`EXPECTED`, the tiers, :data:`DEBT`."""
    draws, n_years = revenue.shape[1], revenue.shape[2]
    (
        legacy_opening,
        clear_year,
        stabilization_opening,
        small_items,
        other_items,
        age0_opening,
        age1_opening,
        age2_opening,
        fund_opening,
        upper_support_opening,
        acquisition_share,
        transfer_out_share,
        carryover_cap_share,
        use_age0,
        use_age1,
        reserve_share,
        fund_budgeted_share,
        execution_rate,
        carryover_share,
        overdue_recovery,
    ) = numbers
    gap_financing, digestion, room_to_projects, deducted = words
    need, foreseen, cut, budget = np.empty(8), np.empty(8), np.empty(8), np.empty(8)
    adopted_cut, need_e, adjustment, funded = np.empty(8), np.empty(8), np.empty(8), np.empty(8)
    planned_need, coverable, vintage = np.empty(8), np.empty(8), np.empty(n_years)
    fund_needs, fund_funded = np.empty(4), np.empty(4)
    # A draw's lines and books, written year by year here and stored at the draw's end: the
    # outputs' rows lie a chunk apart in memory, and storing into each every year of every
    # draw reached across all of them (the kernel 10.2 ms a 4,096-draw chunk, 8.8 ms so).
    draw_lines = np.empty((lines.shape[0], n_years))
    draw_books = np.empty((books.shape[0], n_years, books.shape[3]))
    for d in range(draws):
        # _Balances.opening
        stabilization, legacy = stabilization_opening, legacy_opening
        vintage[:] = 0.0
        gap_cover_advances, gap_arrears = 0.0, 0.0
        sme_small, sme_other = small_items, other_items
        age0, age1, age2 = age0_opening, age1_opening, age2_opening
        fund_book, bonds_unspent = fund_opening, 0.0
        principal_unpaid, interest_unpaid, projects_carried = 0.0, 0.0, 0.0
        upper_support = upper_support_opening
        for t in range(n_years):
            out = draw_lines[:, t]
            # funds.fund_book
            land, other = revenue[5, d, t], revenue[6, d, t]
            fund_revenue = land + other
            bond_projects = debt[6, d, t]
            fund_needs[0] = debt[4, d, t] + debt[5, d, t]
            fund_needs[1] = acquisition_share * land
            fund_needs[2] = by_year[2, t]
            fund_needs[3] = transfer_out_share * fund_revenue
            available = fund_book + fund_revenue
            remaining = maximum(available, 0.0)
            for k in range(4):  # waterfall.allocate
                fund_funded[k] = minimum(fund_needs[k], remaining)
                remaining = remaining - fund_funded[k]
            fund_remaining = available - (
                0.0 + fund_funded[0] + fund_funded[1] + fund_funded[2] + fund_funded[3]
            )
            excess = maximum(fund_remaining - carryover_cap_share * fund_revenue, 0.0)
            principal = maximum(fund_funded[0] - debt[4, d, t], 0.0)
            out[Line.gfb_revenue] = fund_revenue
            out[Line.gfb_expenditure] = (
                (0.0 + fund_funded[0] + fund_funded[1] + fund_funded[2]) + bond_projects - principal
            )
            out[Line.gfb_balance] = fund_remaining - excess
            out[Line.gfb_shortfall] = (
                0.0
                + (fund_needs[0] - fund_funded[0])
                + (fund_needs[1] - fund_funded[1])
                + (fund_needs[2] - fund_funded[2])
            )
            transfer_out = fund_funded[3] + excess
            out[Line.transfer_out] = transfer_out
            out[Line.gfb_debt_service] = fund_funded[0]
            out[Line.special_bond_projects] = bond_projects
            out[Line.land_acquisition] = fund_funded[1]
            out[Line.gfb_other_programmes] = fund_funded[2]
            fund_book = fund_remaining - excess
            # funds.stock_funds
            stock_recovered = by_year[3, t] * age2
            unrecovered = age2 - stock_recovered
            carryover_spent = use_age0 * age0 + use_age1 * age1
            age0, age1, age2 = (
                by_year[4, t],
                (1.0 - use_age0) * age0,
                unrecovered + (1.0 - use_age1) * age1,
            )
            out[Line.stock_funds_recovered] = stock_recovered
            out[Line.carryover_old] = unrecovered
            out[Line.carryover_spent] = carryover_spent
            out[Line.carryover_age0] = age0
            out[Line.carryover_age1] = age1
            out[Line.carryover_age2] = age2
            earmarked_spending = revenue[7, d, t] - by_year[4, t] + carryover_spent
            out[Line.earmarked_spending] = earmarked_spending

            # Legacy advances and SME arrears
            planned = minimum(by_year[0, t] * legacy_opening, legacy)
            recovered = by_year[1, t] * planned
            write_off_need = planned - recovered
            clearing_now = years[t] >= clear_year
            small_due = sme_small if clearing_now else 0.0
            other_due = sme_other if clearing_now else 0.0
            # ledgers._debt_service
            carried_interest = interest_unpaid + (debt[0, d, t] * principal_unpaid)
            if deducted:
                interest_need, principal_need = debt[1, d, t], debt[2, d, t]
                deduction = carried_interest + principal_unpaid
            else:
                interest_need = debt[1, d, t] + carried_interest
                principal_need = debt[2, d, t] + principal_unpaid
                deduction = 0.0
            known = write_off_need + small_due + other_due + gap_arrears
            for k in range(8):  # ledgers._tier_needs
                need[k] = needs[k, d, t]
                foreseen[k] = foreseen_needs[k, d, t]
            need[CLEARING] += known
            foreseen[CLEARING] += known
            need[DEBT_SERVICE] = interest_need + principal_need
            foreseen[DEBT_SERVICE] = interest_need + principal_need
            resources = (  # ledgers._ordinary_resources
                revenue[0, d, t]
                + revenue[1, d, t]
                + revenue[2, d, t]
                + revenue[3, d, t]
                - deduction
                + transfer_out
                + stock_recovered
                - revenue[4, d, t]
            )
            surprise = (
                0.0
                + (revenue[0, d, t] - expected[0, d, t])
                + (revenue[1, d, t] - expected[1, d, t])
                + (revenue[3, d, t] - expected[2, d, t])
            )
            unforeseen = surprise + transfer_out_share * (revenue[5, d, t] - expected[3, d, t])
            expected_resources = resources - unforeseen
            # ledgers._bond_funded_projects
            bonds_available = bonds_unspent + debt[3, d, t]
            bond_funded = minimum(need[KEY_PROJECTS], bonds_available)
            bonds_unspent = bonds_available - bond_funded
            need[KEY_PROJECTS] -= bond_funded
            foreseen[KEY_PROJECTS] = maximum(foreseen[KEY_PROJECTS] - bond_funded, 0.0)

            # ledgers._budget_year: budget.adopt
            foreseen_total = sum8(foreseen)
            reserve = reserve_share * foreseen_total
            adopted_draw = fund_budgeted_share * maximum(stabilization, 0.0)
            gap = sum8(foreseen) + reserve - expected_resources - adopted_draw
            _cut_in_proportion(foreseen, gap, shares, adopted_cut)
            room = maximum(-gap, 0.0)
            for k in range(8):
                budget[k] = foreseen[k] - adopted_cut[k]
            if room_to_projects:
                budget[KEY_PROJECTS] += room
                need[KEY_PROJECTS] += room
            for k in range(8):
                planned_need[k] = need[k]
                cut[k] = minimum(adopted_cut[k], need[k])
                need_e[k] = need[k] - cut[k]
            available = resources + adopted_draw
            fund_left = stabilization - adopted_draw
            # budget.execute
            gap_before_reserve = sum8(need_e) - available + reserve
            reserve_used = minimum(maximum(gap_before_reserve, 0.0), reserve)
            execute_gap = maximum(gap_before_reserve - reserve, 0.0)
            if gap_financing == 1:
                execute_draw = minimum(execute_gap, maximum(fund_left, 0.0))
            else:
                execute_draw = 0.0
            _cut_in_proportion(need_e, execute_gap - execute_draw, shares, adjustment)
            for k in range(8):
                need_e[k] = need_e[k] - adjustment[k]
            # ledgers._budget
            waterfall_gap = maximum(sum8(need_e) - available, 0.0)
            draw = minimum(waterfall_gap, fund_left) if gap_financing == 1 else 0.0
            remaining = maximum(available + draw, 0.0)
            funded[:] = 0.0
            for k in range(len(order)):  # waterfall.allocate
                tier = order[k]
                funded[tier] = minimum(need_e[tier], remaining)
                remaining = remaining - funded[tier]
            surplus = maximum(available + draw - sum8(funded), 0.0)
            most_unfunded = need_e[0] - funded[0]
            for k in range(1, 8):
                most_unfunded = maximum(most_unfunded, need_e[k] - funded[k])
            if most_unfunded > 0.0:
                surplus = 0.0
            clearing_need = need_e[CLEARING]
            clearing_ratio = funded[CLEARING] / clearing_need if clearing_need > 0 else 1.0
            written_off = write_off_need * clearing_ratio
            if digestion:
                extra = minimum(surplus, (legacy - recovered) - written_off)
                written_off, surplus = written_off + extra, surplus - extra
                need_e[CLEARING] += extra
                funded[CLEARING] += extra
            for k in range(8):
                coverable[k] = need_e[k] - funded[k]
            coverable[CLEARING] = 0.0
            covered = sum8(coverable)
            covered_advances = covered if gap_financing == 2 else 0.0
            covered_arrears = covered if gap_financing == 3 else 0.0
            planned_need[CLEARING] = need_e[CLEARING]
            # budget.project_execution, and the books of the year
            unspent_key = (1.0 - execution_rate) * funded[KEY_PROJECTS]
            unspent_other = (1.0 - execution_rate) * funded[NON_RIGID]
            unspent = 0.0 + unspent_key + unspent_other
            carried = carryover_share * unspent
            book = draw_books[:, t]
            for k in range(8):
                executed = funded[k] + coverable[k] if gap_financing >= 2 else funded[k]
                paid = funded[k] + coverable[k] if gap_financing == 2 else funded[k]
                if k == KEY_PROJECTS:
                    executed, paid = executed - unspent_key, paid - unspent_key
                elif k == NON_RIGID:
                    executed, paid = executed - unspent_other, paid - unspent_other
                bonds = bond_funded if k == KEY_PROJECTS else 0.0
                if k == KEY_PROJECTS:
                    book[0, k] = planned_need[k] + bonds
                    book[1, k] = budget[k] + bonds
                    book[2, k] = funded[k] + bonds
                    book[3, k] = executed + bonds
                    book[4, k] = paid + bonds
                else:
                    book[0, k], book[1, k], book[2, k] = planned_need[k], budget[k], funded[k]
                    book[3, k], book[4, k] = executed, paid
            saved = unspent - carried
            carryover_spent_projects, projects_carried = projects_carried, carried
            out[Line.budget_expected_resources] = expected_resources
            out[Line.budget_reserve] = reserve
            out[Line.budget_fund_draw] = adopted_draw
            out[Line.budget_cut] = sum8(cut)
            out[Line.budget_room] = room
            out[Line.revenue_vs_budget] = resources - expected_resources
            out[Line.reserve_used] = reserve_used
            out[Line.mid_year_adjustment] = sum8(adjustment)
            out[Line.project_savings] = saved
            out[Line.project_carried_over] = carried
            out[Line.project_carryover_spent] = carryover_spent_projects
            year_draw = adopted_draw + draw
            year_surplus = surplus + saved

            # run_ledgers: stocks at the year end
            legacy = legacy - recovered - written_off
            stabilization = stabilization - year_draw + year_surplus
            small_paid, other_paid = small_due * clearing_ratio, other_due * clearing_ratio
            gap_paid = gap_arrears * clearing_ratio
            modelled = small_paid + other_paid + gap_paid
            sme_small, sme_other = sme_small - small_paid, sme_other - other_paid
            gap_arrears = gap_arrears - gap_paid + covered_arrears
            out[Line.arrears_restart_adjustment] = modelled - (small_paid + other_paid + gap_paid)
            out[Line.arrears_small_paid_so_far] = 0.0
            out[Line.arrears_other_paid_so_far] = 0.0
            support_repaid = minimum(by_year[7, t] * upper_support_opening, upper_support)
            upper_support = upper_support - support_repaid
            out[Line.upper_support_repaid] = support_repaid
            out[Line.upper_support] = upper_support
            # ledgers._new_advances
            overdue = max(t - 1, 0)
            overdue_recovered = overdue_recovery * contiguous_sum(vintage, 0, overdue)
            for v in range(overdue):
                vintage[v] *= 1.0 - overdue_recovery
            repaid = 0.0
            if t > 0:
                repaid = repaid + (1.0 - by_year[6, t - 1]) * vintage[t - 1]
                vintage[t - 1] = by_year[6, t - 1] * vintage[t - 1]
            vintage[t] = by_year[5, t]
            outstanding = contiguous_sum(vintage, 0, n_years)
            out[Line.new_advances_issued] = by_year[5, t]
            out[Line.new_advances_repaid] = repaid
            out[Line.new_advances_outstanding] = outstanding
            out[Line.overdue_advances] = contiguous_sum(vintage, 0, t)
            out[Line.overdue_recovered] = overdue_recovered
            gap_cover_advances = gap_cover_advances + covered_advances
            out[Line.legacy_restart_adjustment] = 0.0
            out[Line.new_advances_restart_adjustment] = 0.0
            # Debt service: interest first, then principal
            funded_service = funded[DEBT_SERVICE]
            interest_paid = minimum(funded_service, interest_need)
            principal_paid = funded_service - interest_paid
            interest_unpaid = interest_need - interest_paid
            principal_unpaid = principal_need - principal_paid
            funded[KEY_PROJECTS] += bond_funded
            out[Line.transfer_in] = transfer_out
            out[Line.fund_draw] = year_draw
            out[Line.gpb_resources] = resources + year_draw + bond_funded
            out[Line.surplus] = year_surplus
            out[Line.stabilization_fund] = stabilization
            out[Line.gap_covered_advances] = covered_advances
            out[Line.gap_covered_arrears] = covered_arrears
            out[Line.gap_arrears_paid] = gap_paid
            out[Line.gpb_expenditure] = (
                sum8(funded)
                - unspent
                - principal_paid
                + earmarked_spending
                + carryover_spent_projects
            )
            out[Line.general_bond_projects] = bond_funded
            out[Line.general_bond_unspent] = bonds_unspent
            out[Line.debt_service_unpaid] = interest_unpaid + principal_unpaid
            out[Line.debt_principal_unpaid] = principal_unpaid
            out[Line.settlement_deduction] = deduction
            out[Line.legacy_advances] = legacy
            out[Line.legacy_recovered] = recovered
            out[Line.legacy_written_off] = written_off
            out[Line.legacy_planned] = planned
            vintages[d, t, :] = vintage
            out[Line.gap_cover_advances_stock] = gap_cover_advances
            out[Line.advance_balance] = legacy + outstanding + gap_cover_advances
            out[Line.sme_arrears] = sme_small + sme_other + gap_arrears
            out[Line.sme_arrears_paid] = small_paid + other_paid
            out[Line.arrears_small_paid] = small_paid
            out[Line.arrears_other_paid] = other_paid
            out[Line.arrears_small_owed] = sme_small
            out[Line.arrears_other_owed] = sme_other
        lines[:, d, :] = draw_lines
        books[:, d] = draw_books


def ledgers(scenario, revenue, expected_revenue, needs, foreseen_needs, general, special, draws):
    """:func:`fiscal_sim.engine.ledgers.run_ledgers`'s ``annual, tiers`` without a restart,
    for a scenario whose parameters are the same in every draw."""
    from fiscal_sim.engine.budget import _adjustable
    from fiscal_sim.params.schema import TIERS

    years = len(scenario.years)
    shape = (draws, years)

    def stacked(arrays):  # (lines, draws, years): each line's draws as they come
        return np.stack([np.broadcast_to(np.asarray(a, dtype=float), shape) for a in arrays])

    words = scenario.value
    lines = np.empty((len(Line), draws, years))
    vintages = np.empty((draws, years, years))
    books = np.empty((len(TIER_BOOKS), draws, years, len(TIERS)))
    _ledgers(
        stacked(revenue[line] for line in REVENUE),
        stacked(expected_revenue[line] for line in EXPECTED),
        stacked(needs[tier] for tier in TIERS),
        stacked(foreseen_needs[tier] for tier in TIERS),
        stacked({"general": general, "special": special}[kind][key] for kind, key in DEBT),
        np.asarray(scenario.years, dtype=float),
        tuple(float(scenario.value(path)) for path in NUMBERS),
        np.stack([np.broadcast_to(np.asarray(words(path), float), (years,)) for path in BY_YEAR]),
        (
            GAP_FINANCING.index(words("policy.gap_financing")),
            words("policy.surplus_use") == "digestion",
            words("policy.budget_room") == "key_projects",
            words("policy.unpaid_debt_service") == "deducted",
        ),
        np.array([TIERS.index(tier) for tier in words("policy.priority")], dtype=np.int64),
        np.ascontiguousarray(_adjustable(scenario), dtype=float),
        lines,
        vintages,
        books,
    )
    annual = {
        name: vintages if name == "new_advances_by_vintage" else lines[Line[name]] for name in LINES
    }
    tiers = dict(zip(TIER_BOOKS, books, strict=True))
    tiers["shortfall"] = tiers["need"] - tiers["funded"]
    return annual, tiers
