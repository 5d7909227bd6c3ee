"""Hard budget constraint: no spending without, or beyond, a budget (OPS.4.1.3)."""

from __future__ import annotations

import numpy as np

from fiscal_sim.rules._tiers import TIERS
from fiscal_sim.rules.findings import Outcome
from fiscal_sim.rules.registry import rule, simple_check


@rule(
    clauses=("OPS.4.1.3",),
    title_zh="先有预算后有支出，严禁超预算或无预算安排支出",
    title_en="No spending without a budget or beyond it",
)
def no_spending_without_budget(projection):
    """Executed spending of every tier ≤ its budget (the funded amount), every year.

    Clause OPS.4.1.3 (严禁超预算或无预算安排支出). Spending paid beyond the budget — by new
    advances or by arrears when a gap is papered over — is spending without a budget.
    Value: executed − funded in 万元 per tier; threshold 0; margin = funded − executed.
    """
    executed = np.asarray(projection.tiers["executed"], dtype=float)
    funded = np.asarray(projection.tiers["funded"], dtype=float)
    return [
        simple_check(
            projection,
            rule_id="no_spending_without_budget",
            clause="OPS.4.1.3",
            aspect="tier",
            unit="wan_yuan",
            value=executed - funded,
            threshold=0.0,
            margin=funded - executed,
            sub="tier",
            sub_labels=TIERS,
            extra={"executed": executed, "funded": funded},
            ok=Outcome(
                "ok",
                "{year}年各项支出均在预算内",
                "{year}: every tier spent within its budget",
            ),
            breach=Outcome(
                "breach",
                "{year}年{item}支出{executed:,.0f}万元，超出预算{value:,.0f}万元",
                "{year}: {item} spent {executed:,.0f} 万元, {value:,.0f} 万元 beyond its budget",
            ),
        )
    ]
