"""Treasury cash month by month, the wage special account and 库款保障水平 (model.md §6)."""

from __future__ import annotations

import itertools

import numpy as np

from fiscal_sim.engine.values import on_draw_axis, value
from fiscal_sim.params.schema import TIERS

MONTHS = 12
CASH_CLASSES = ("alarm", "low", "normal", "idle")  # 预警 / 偏低 / 正常 / 闲置
CLASS_THRESHOLDS = ("alarm", "low", "idle")
# What the treasury's month loop gives, after the flows it follows, in this order.
MONTHLY_OUTPUTS = (
    "cash",
    "deferred_payments",
    "cash_anchor_adjustment",
    "wage_covered",
    "cash_level",
    "cash_class",
)  # rules.cash_{name}_level, the classes' lower ends


def _spread(annual_by_profile: list, profiles: list) -> np.ndarray:
    """Σ annual_k ⊗ profile_k: (draws, years) lines times 12 shares -> (draws, years, 12).

    One matrix product instead of one full-size array per line: lines that share a profile
    are added up first, which is most of the engine's time at many draws. A profile that
    varies by draw (a stack) is (draws, 12): one product per draw.
    """
    lines = np.stack(np.broadcast_arrays(*annual_by_profile), axis=-1)
    return lines @ np.stack(np.broadcast_arrays(*profiles), axis=-2)


def _plus(total: np.ndarray, term) -> np.ndarray:
    """``total + term``, added into ``total`` (an array of this module's own making, read by
    nothing else) when it has the shape of the sum: the same numbers, one array fewer."""
    if np.shape(total) == np.broadcast_shapes(np.shape(total), np.shape(term)):
        return np.add(total, term, out=total)
    return total + term


def paid_in_months_left(need_months, paid, closed):
    """A tier's payments month by month when some months are closed (model.md §11).

    ``closed`` (years, 12) holds what the tier paid in a closed month, NaN in the others;
    the year's payments less the closed months' are paid in the months left in proportion to
    their need, never below 0: a cut falls on the months left only.
    """
    is_closed = ~np.isnan(closed)
    open_need = np.where(is_closed, 0.0, need_months)
    left = np.maximum(paid - np.nansum(closed, axis=-1), 0.0)
    need_left = open_need.sum(axis=-1)
    share = np.divide(left, need_left, out=np.zeros(left.shape), where=need_left > 0)
    return np.where(is_closed, np.nan_to_num(closed), open_need * share[..., None])


def cash_flows(
    scenario, revenue, annual, tiers, monthly_need, general, special, deltas, anchor=None
):
    """Monthly receipts, payments and payroll, each (draws, years, 12), in 万元.

    Cash is not budget (model.md §5): transfers between the books, stabilisation-fund draws,
    recovered carry-overs and advance write-offs move no cash; advances issued and recovered do.
    Refinancing bonds repay principal in the same month and are left out on both sides.
    Measure deltas are already monthly, so they keep their own months. A tier the ``anchor``
    gives closed months of (:class:`~fiscal_sim.engine.anchor.Anchor` ``tier_payments``)
    pays them as given and the rest of its year in the months left; tier 5, the cash it
    pays in the year (arrears on their schedule and its deltas).
    """

    def profile(name):  # (12,), or (draws, 12) when it varies by draw
        return np.asarray(value(scenario, name, ndim=2))

    def trend(line):
        """A revenue line without its measure deltas, which are added month by month."""
        return revenue[line] - deltas[line].sum(-1)

    receipts = _spread(
        [
            trend("tax"),
            trend("general_transfers") - annual["settlement_deduction"],
            revenue["earmarked_transfers"],
            trend("land_sales"),
            general["new_issue"],
            special["new_issue"],
            trend("nontax")
            + revenue["rebates"]
            + revenue["other_fund_revenue"]
            + annual["legacy_recovered"]
            + annual["new_advances_repaid"]
            + annual["overdue_recovered"],
        ],
        [
            profile(f"profiles.{name}")
            for name in (
                "tax",
                "general_transfers",
                "earmarked_transfers",
                "land_sales",
                "general_bonds",
                "special_bonds",
                "even",
            )
        ],
    )
    receipts = _plus(
        receipts, sum(deltas[line] for line in ("tax", "nontax", "general_transfers", "land_sales"))
    )

    need, paid = tiers["need"], tiers["paid"]

    def paid_ratio(tier):  # (draws, years, 1): what the year paid of the tier's need
        k = TIERS.index(tier)
        ratio = np.divide(
            paid[:, :, k], need[:, :, k], out=np.ones(need.shape[:2]), where=need[:, :, k] > 0
        )
        return ratio[:, :, None]

    spent = [i for i, tier in enumerate(TIERS) if tier not in ("clearing", "debt_service")]
    # Tiers 1-3 and 6-8 pay their monthly need in the proportion the year paid of it (room
    # the budget arranged for key projects included); debt service (tier 4) pays what the
    # year paid evenly, arrears of service included.
    tier_months = np.stack(np.broadcast_arrays(*(monthly_need[TIERS[i]] for i in spent)), -2)
    planned = tier_months.sum(axis=-1)
    paid_spent = paid[:, :, spent]
    pay_ratio = np.divide(paid_spent, planned, out=np.zeros(paid_spent.shape), where=planned > 0)
    if (planned > 0).all():  # every tier planned some months: none is paid evenly
        unplanned = np.zeros(paid_spent.shape[:2])
    else:
        unplanned = np.where(planned > 0, 0.0, paid_spent).sum(axis=-1)
    if tier_months.shape[0] == 1:  # needs are the same in every draw: one product per year
        tier_payments = np.einsum("dti,tim->dtm", pay_ratio, tier_months[0])
    else:
        tier_payments = np.einsum("dti,dtim->dtm", pay_ratio, tier_months)
    payroll = monthly_need["wages"] * paid_ratio("wages")
    # A re-forecast's closed months paid what the treasury paid: the rest in the months left.
    for i, tier in enumerate(TIERS[k] for k in spent):
        closed = anchor.tier_payments.get(tier) if anchor is not None else None
        if closed is None:
            continue
        need_months = tier_months[..., i, :]
        restarted = paid_in_months_left(need_months, paid[:, :, spent[i]], closed)
        tier_payments = tier_payments + restarted - pay_ratio[:, :, i, None] * need_months
        if tier == "wages":
            payroll = restarted
    # Tier 5: SME arrears on their schedule, gap arrears evenly, write-offs move no cash.
    clearing_ratio = paid_ratio("clearing")
    payments = _plus(
        tier_payments,
        _spread(
            [
                annual["arrears_small_paid"],
                annual["arrears_other_paid"],
                annual["earmarked_spending"],
                annual["special_bond_projects"],
                annual["land_acquisition"],
                unplanned + annual["project_carryover_spent"],
                annual["gap_arrears_paid"]
                + paid[:, :, TIERS.index("debt_service")]
                + revenue["remittance"]
                + annual["gfb_debt_service"]
                + annual["gfb_other_programmes"]
                + annual["new_advances_issued"]
                + annual["upper_support_repaid"],
            ],
            [
                profile("arrears.small_profile"),
                profile("arrears.other_profile"),
                profile("profiles.earmarked_spending"),
                profile("profiles.special_bonds"),
                profile("profiles.land_sales"),
                profile("profiles.projects"),
                profile("profiles.even"),
            ],
        ),
    )
    payments = _plus(payments, deltas["clearing"] * clearing_ratio)
    closed = anchor.tier_payments.get("clearing") if anchor is not None else None
    if closed is not None:  # as the other tiers: the closed months paid what was paid
        clearing = (
            _spread(
                [
                    annual["arrears_small_paid"],
                    annual["arrears_other_paid"],
                    annual["gap_arrears_paid"],
                ],
                [
                    profile("arrears.small_profile"),
                    profile("arrears.other_profile"),
                    profile("profiles.even"),
                ],
            )
            + deltas["clearing"] * clearing_ratio
        )
        payments = payments - clearing + paid_in_months_left(clearing, clearing.sum(-1), closed)
    return receipts, payments, payroll


def run_treasury(
    scenario, receipts, payments, payroll, anchor=None, compiled=False
) -> dict[str, np.ndarray]:
    """Follow treasury cash month by month; wages are paid first from the wage account.

    A month is a wage-arrears risk month when opening cash plus the month's receipts cannot
    cover its payroll (OPS.4.3.3). Payments that cash cannot meet are deferred to the next
    month (``deferred_payments``), so cash itself never goes negative.

    In a month the ``anchor`` gives (:class:`~fiscal_sim.engine.anchor.Anchor`, the
    treasury's actual closed months), month-end cash and payments deferred are the anchor's
    in every draw, and the months after follow the model from there; so is whether payroll
    was covered, where the anchor says. ``cash_anchor_adjustment`` is the anchored net
    position (cash less payments deferred) less the modelled one, 0 in the other months, so
    that ``cash − deferred`` moves month by month by receipts − payments + the adjustment.

    ``compiled`` (the Monte Carlo's chunks) runs the months of a run without an anchor in
    :func:`fiscal_sim.engine.kernels.treasury`, the same numbers bit for bit.
    """
    draws, years, _ = receipts.shape
    thresholds = _plain_thresholds(scenario)
    if compiled and anchor is None and thresholds is not None:
        from fiscal_sim.engine.kernels import treasury

        opening = value(scenario, "treasury.opening_cash")
        months = treasury(opening, receipts, payments, payroll, thresholds)
        months["cash_anchor_adjustment"] = np.zeros((draws, years, MONTHS))
        flows = {"receipts": receipts, "payments": payments, "payroll": payroll}
        return {**flows, **{name: months[name] for name in MONTHLY_OUTPUTS}}
    # The loop reads each month's column of every draw through month-major views (faster
    # than copies made contiguous per month, which cost more to make than they save). The
    # outputs are (draws, years, 12), C-contiguous like every other monthly output (the
    # rules and the Monte Carlo summaries read them draw by draw); the loop writes each
    # month's column the same way.
    by_month = [a.reshape(draws, -1).T for a in (receipts, payments, payroll)]
    cash, deferred, covered = (np.empty((draws, years, MONTHS)) for _ in range(3))
    cash_by_month, deferred_by_month, covered_by_month = (
        a.reshape(draws, -1).T for a in (cash, deferred, covered)
    )
    adjustment = np.zeros((years * MONTHS, draws))
    balance = np.full(draws, value(scenario, "treasury.opening_cash"), dtype=float)
    owed = np.zeros(draws)
    anchored = anchor.cash if anchor is not None else {}
    wage_cover = anchor.wage_covered if anchor is not None else {}
    flows = enumerate(zip(*by_month, strict=True))
    start = 0
    # Runs of modelled months, each closed by an anchored month (one run without an anchor):
    # the anchor costs nothing in the months it does not touch.
    last = years * MONTHS - 1
    for stop in [*anchored] if last in anchored else [*anchored, last]:
        for month, (inflow, outflow, wages) in itertools.islice(flows, stop + 1 - start):
            available = balance + inflow
            covered_by_month[month] = available + 1e-9 >= wages
            after = available - outflow - owed
            owed = np.maximum(-after, 0.0)
            balance = np.maximum(after, 0.0)
            cash_by_month[month], deferred_by_month[month] = balance, owed
        if stop in anchored:
            level, still_owed = anchored[stop]
            adjustment[stop] = (level - still_owed) - (balance - owed)
            balance, owed = np.full(draws, level), np.full(draws, still_owed)
            cash_by_month[stop], deferred_by_month[stop] = balance, owed
            if stop in wage_cover:
                covered_by_month[stop] = wage_cover[stop]
        start = stop + 1
    # All zeros without an anchor: reshaped as it is, not transposed (no copy).
    adjustment = (np.ascontiguousarray(adjustment.T) if anchored else adjustment).reshape(
        draws, years, MONTHS
    )
    average_outflow = payments.sum(axis=2, keepdims=True) / MONTHS
    level = np.divide(cash, average_outflow, out=np.zeros_like(cash), where=average_outflow > 0)
    outputs = (cash, deferred, adjustment, covered, level, cash_classes(scenario, level))
    flows = {"receipts": receipts, "payments": payments, "payroll": payroll}
    return {**flows, **dict(zip(MONTHLY_OUTPUTS, outputs, strict=True))}


def _plain_thresholds(scenario) -> list[float] | None:
    """The cash-class thresholds when they are the same in every draw and increasing (what
    the compiled treasury counts), else None."""
    paths = [f"rules.cash_{name}_level" for name in CLASS_THRESHOLDS]
    if any(on_draw_axis(scenario, path) for path in paths):
        return None
    thresholds = [float(scenario.value(path)) for path in paths]
    return thresholds if thresholds == sorted(thresholds) else None


def cash_classes(scenario, level: np.ndarray) -> np.ndarray:
    """The class of each month's cash cover (0 alarm, 1 low, 2 normal, 3 idle; OPS.4.3.3).

    The number of the thresholds ``rules.cash_{alarm,low,idle}_level`` the level reaches:
    one search over the plain thresholds, or (thresholds by draw, in a stack) the count of
    those reached, the same number.
    """
    paths = [f"rules.cash_{name}_level" for name in CLASS_THRESHOLDS]
    if not any(on_draw_axis(scenario, path) for path in paths):
        thresholds = [scenario.value(path) for path in paths]
        return np.digitize(level, thresholds, right=False).astype(float)
    reached = sum(level >= value(scenario, path, ndim=3) for path in paths)
    return reached.astype(float)
