"""Treasury cash month by month, the wage special account and 库款保障水平 (model.md §6)."""

from __future__ import annotations

import numpy as np

from fiscal_sim.params.schema import TIERS

MONTHS = 12
CASH_CLASSES = ("alarm", "low", "normal", "idle")  # 预警 / 偏低 / 正常 / 闲置


def _spread(annual: np.ndarray, profile) -> np.ndarray:
    """(draws, years) × 12 shares -> (draws, years, 12)."""
    return annual[..., None] * np.asarray(profile)[None, None, :]


def cash_flows(scenario, revenue, annual, tiers, monthly_need, general, special, deltas):
    """Monthly receipts, payments and payroll, each (draws, years, 12), in 万元.

    Cash is not budget (model.md §5): transfers between the books, stabilisation-fund draws,
    recovered carry-overs and advance write-offs move no cash; advances issued and recovered do.
    Refinancing bonds repay principal in the same month and are left out on both sides.
    """
    v = scenario.value
    p = {
        name: np.asarray(v(f"profiles.{name}"))
        for name in (
            "tax",
            "general_transfers",
            "earmarked_transfers",
            "earmarked_spending",
            "projects",
            "land_sales",
            "general_bonds",
            "special_bonds",
            "even",
        )
    }
    even = p["even"]

    def trend_and_delta(line, profile):
        delta = deltas[line]
        return _spread(revenue[line] - delta.sum(-1), profile) + delta

    receipts = (
        trend_and_delta("tax", p["tax"])
        + trend_and_delta("nontax", even)
        + _spread(revenue["rebates"], even)
        + trend_and_delta("general_transfers", p["general_transfers"])
        + _spread(revenue["earmarked_transfers"], p["earmarked_transfers"])
        + trend_and_delta("land_sales", p["land_sales"])
        + _spread(revenue["other_fund_revenue"], even)
        + _spread(general["new_issue"], p["general_bonds"])
        + _spread(special["new_issue"], p["special_bonds"])
        + _spread(
            annual["legacy_recovered"]
            + annual["new_advances_repaid"]
            + annual["overdue_recovered"],
            even,
        )
    )

    need, paid = tiers["need"], tiers["paid"]
    ratio = np.divide(paid, need, out=np.ones_like(need), where=need > 0)
    by_tier = {}
    for i, tier in enumerate(TIERS):
        if tier != "clearing":
            by_tier[tier] = monthly_need[tier] * ratio[:, :, i, None]
    # Tier 5: SME arrears on their schedule, gap arrears evenly, write-offs move no cash.
    small, other = v("arrears.small_items"), v("arrears.other_items")
    sme_profile = (
        small * np.asarray(v("arrears.small_profile"))
        + other * np.asarray(v("arrears.other_profile"))
    ) / max(small + other, 1e-12)
    clearing_ratio = ratio[:, :, TIERS.index("clearing"), None]
    by_tier["clearing"] = (
        _spread(annual["sme_arrears_paid"], sme_profile)
        + _spread(annual["gap_arrears_paid"], even)
        + deltas["clearing"] * clearing_ratio
    )

    payments = (
        sum(by_tier.values())
        + _spread(annual["earmarked_spending"], p["earmarked_spending"])
        + _spread(revenue["remittance"], even)
        + _spread(annual["gfb_debt_service"], even)
        + _spread(annual["special_bond_projects"], p["special_bonds"])
        + _spread(annual["land_acquisition"], p["land_sales"])
        + _spread(annual["gfb_other_programmes"], even)
        + _spread(annual["new_advances_issued"], even)
    )
    return receipts, payments, by_tier["wages"]


def run_treasury(scenario, receipts, payments, payroll) -> dict[str, np.ndarray]:
    """Follow treasury cash month by month; wages are paid first from the wage account.

    A month is a wage-arrears risk month when opening cash plus the month's receipts cannot
    cover its payroll (OPS.4.3.3). Payments that cash cannot meet are deferred to the next
    month (``deferred_payments``), so cash itself never goes negative.
    """
    draws, years, _ = receipts.shape
    cash = np.empty_like(receipts)
    deferred = np.empty_like(receipts)
    covered = np.empty_like(receipts)
    balance = np.full(draws, float(scenario.value("treasury.opening_cash")))
    owed = np.zeros(draws)
    for t in range(years):
        for m in range(MONTHS):
            available = balance + receipts[:, t, m]
            covered[:, t, m] = available + 1e-9 >= payroll[:, t, m]
            after = available - payments[:, t, m] - owed
            owed = np.maximum(-after, 0.0)
            balance = np.maximum(after, 0.0)
            cash[:, t, m], deferred[:, t, m] = balance, owed
    average_outflow = payments.sum(axis=2, keepdims=True) / MONTHS
    level = np.divide(cash, average_outflow, out=np.zeros_like(cash), where=average_outflow > 0)
    thresholds = [scenario.value(f"rules.cash_{name}_level") for name in ("alarm", "low", "idle")]
    cash_class = np.digitize(level, thresholds, right=False)
    return {
        "receipts": receipts,
        "payments": payments,
        "payroll": payroll,
        "cash": cash,
        "deferred_payments": deferred,
        "wage_covered": covered,
        "cash_level": level,
        "cash_class": cash_class.astype(float),
    }
