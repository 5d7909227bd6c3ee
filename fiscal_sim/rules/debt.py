"""Debt risk (OPS.4.4.2): debt service paid, the debt ratio and the balances against ceilings."""

from __future__ import annotations

import numpy as np

from fiscal_sim.rules._tiers import tier_index
from fiscal_sim.rules.findings import Check, Outcome
from fiscal_sim.rules.registry import annual, param_value, rule, simple_check, years_of


@rule(
    clauses=("OPS.4.4.2",),
    title_zh="确保不发生支付风险：法定债务还本付息足额保障",
    title_en="Debt service on legal debt paid in full",
)
def debt_service_paid(projection):
    """The budget funds the year's general-bond service in full (tier 4).

    Clause OPS.4.4.2 (确保不发生支付风险). Value: debt service (interest and principal not
    refinanced, arrears of service from the year before included) that the budget left
    unfunded, in 万元; threshold 0; margin = −value. Unpaid principal stays on the balance and
    is deducted from the next year's transfers or stays due (``policy.unpaid_debt_service``).
    """
    shortfall = np.asarray(projection.tiers["shortfall"], dtype=float)
    unpaid = shortfall[:, :, tier_index("debt_service")]
    return [
        simple_check(
            projection,
            rule_id="debt_service_paid",
            clause="OPS.4.4.2",
            aspect="shortfall",
            unit="wan_yuan",
            value=unpaid,
            threshold=0.0,
            margin=-unpaid,
            ok=Outcome(
                "ok",
                "{year}年一般债务还本付息足额保障",
                "{year}: general-bond service paid in full",
            ),
            breach=Outcome(
                "breach",
                "{year}年一般债务还本付息缺口{value:,.0f}万元，存在支付风险",
                "{year}: {value:,.0f} 万元 of general-bond service unfunded: a payment risk",
            ),
        )
    ]


@rule(
    clauses=("OPS.4.4.2",),
    params=("debt_ratio_warning", "debt_ratio_high"),
    title_zh="防范债务风险：债务率低于警戒线，债务余额不超过限额",
    title_en="Debt ratio below the warning line; balances within ceilings",
)
def debt_ratio(projection):
    """Debt ratio below the warning line; general and special debt within their ceilings.

    Clause OPS.4.4.2 (对债务风险……定期做综合分析，确保不发生支付风险). Three checks:

    - ``ratio``: total debt ÷ 综合财力 ≤ ``rules.debt_ratio_warning`` (above it a breach,
      named high risk above ``rules.debt_ratio_high``); margin = warning line − ratio;
    - ``general_ceiling`` / ``special_ceiling``: balance ≤ ceiling (万元); margin = ceiling −
      balance.
    """
    debt = annual(projection, "debt_total")
    capacity = annual(projection, "comprehensive_capacity")
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(capacity > 0, debt / capacity, np.inf)
    warning_line = param_value(projection, "debt_ratio_warning")
    high_line = param_value(projection, "debt_ratio_high")
    # Status codes: 0 within the warning line, 1 above it, 2 above the high-risk line.
    status = np.select([ratio > high_line, ratio > warning_line], [2, 1], default=0).astype(int)
    ratio_check = Check(
        rule="debt_ratio",
        clause="OPS.4.4.2",
        aspect="ratio",
        unit="fraction",
        years=years_of(projection),
        value=ratio,
        threshold=np.broadcast_to(warning_line, ratio.shape),
        margin=warning_line - ratio,
        status=status,
        outcomes=(
            Outcome(
                "ok",
                "{year}年债务率{value:.1%}，低于{threshold:.0%}警戒线",
                "{year}: debt ratio {value:.1%}, below the {threshold:.0%} warning line",
            ),
            Outcome(
                "breach",
                "{year}年债务率{value:.1%}，超过{threshold:.0%}警戒线",
                "{year}: debt ratio {value:.1%}, above the {threshold:.0%} warning line",
            ),
            Outcome(
                "breach",
                "{year}年债务率{value:.1%}，超过{high:.0%}，属高风险",
                "{year}: debt ratio {value:.1%}, above {high:.0%}: high risk",
            ),
        ),
        in_force=np.ones(len(projection.years), dtype=bool),
        extra={"high": np.broadcast_to(high_line, ratio.shape)},
    )
    checks = [ratio_check]
    for book, name_zh, name_en in (
        ("general", "一般债务", "general debt"),
        ("special", "专项债务", "special debt"),
    ):
        balance = annual(projection, f"{book}_debt")
        ceiling = annual(projection, f"{book}_ceiling")
        checks.append(
            simple_check(
                projection,
                rule_id="debt_ratio",
                clause="OPS.4.4.2",
                aspect=f"{book}_ceiling",
                unit="wan_yuan",
                value=balance,
                threshold=ceiling,
                margin=ceiling - balance,
                ok=Outcome(
                    "ok",
                    f"{{year}}年{name_zh}余额{{value:,.0f}}万元，在限额{{threshold:,.0f}}万元以内",
                    f"{{year}}: {name_en} {{value:,.0f}} 万元, within the ceiling "
                    "{threshold:,.0f} 万元",
                ),
                breach=Outcome(
                    "breach",
                    f"{{year}}年{name_zh}余额{{value:,.0f}}万元，超过限额{{gap:,.0f}}万元",
                    f"{{year}}: {name_en} {{value:,.0f}} 万元, {{gap:,.0f}} 万元 above the ceiling",
                ),
            )
        )
    return checks
