"""三保: wages, basic livelihood and operations are funded in full (tiers 1–3)."""

from __future__ import annotations

import numpy as np

from fiscal_sim.rules._tiers import tier_index
from fiscal_sim.rules.findings import Outcome
from fiscal_sim.rules.registry import rule, simple_check


def _tier_funded(projection, *, rule_id: str, clause: str, tier: str, name_zh: str, name_en: str):
    need = np.asarray(projection.tiers["need"], dtype=float)[..., tier_index(tier)]
    shortfall = np.asarray(projection.tiers["shortfall"], dtype=float)[..., tier_index(tier)]
    return simple_check(
        projection,
        rule_id=rule_id,
        clause=clause,
        aspect="annual",
        unit="wan_yuan",
        value=shortfall,
        threshold=0.0,
        margin=-shortfall,
        extra={"need": need},
        ok=Outcome(
            "ok",
            f"{{year}}年{name_zh}足额保障（需求{{need:,.0f}}万元）",
            f"{{year}}: {name_en} funded in full (need {{need:,.0f}} 万元)",
        ),
        breach=Outcome(
            "breach",
            f"{{year}}年{name_zh}缺口{{value:,.0f}}万元（需求{{need:,.0f}}万元）",
            f"{{year}}: {name_en} short by {{value:,.0f}} 万元 (need {{need:,.0f}} 万元)",
        ),
    )


@rule(
    clauses=("OPS.2.1", "OPS.3"),
    title_zh="保工资：工资足额按时发放",
    title_en="Wages paid on time and in full",
)
def wages_funded(projection):
    """Tier 1 (wages, retirees' fees) has no shortfall in any year.

    Clause OPS.2.1 (坚决杜绝工资拖欠) and OPS.3 (在职人员工资、离休费、养老金按时足额发放).
    Value: tier-1 shortfall in 万元; threshold 0; margin = −shortfall. The month-by-month
    side of the same promise (cash to pay each payroll) is :func:`wage_account_covered`.
    """
    return [
        _tier_funded(
            projection,
            rule_id="wages_funded",
            clause="OPS.2.1, OPS.3",
            tier="wages",
            name_zh="保工资",
            name_en="wages (tier 1)",
        )
    ]


@rule(
    clauses=("OPS.2.2",),
    title_zh="保基本民生：民生支出足额保障",
    title_en="Basic livelihood funded in full",
)
def livelihood_funded(projection):
    """Tier 2 (basic livelihood) has no shortfall in any year.

    Clause OPS.2.2 (把保基层运转放在财政支出的优先位置). Value: tier-2 shortfall in 万元;
    threshold 0; margin = −shortfall.
    """
    return [
        _tier_funded(
            projection,
            rule_id="livelihood_funded",
            clause="OPS.2.2",
            tier="livelihood",
            name_zh="保基本民生",
            name_en="basic livelihood (tier 2)",
        )
    ]


@rule(
    clauses=("OPS.1", "OPS.2.2"),
    title_zh="保运转：运转经费足额保障",
    title_en="Operations funded in full",
)
def operations_funded(projection):
    """Tier 3 (operations funds: office expenses, equipment) has no shortfall in any year.

    Clause OPS.1 (运转经费 in scope) and OPS.2.2 (operations first). Value: tier-3 shortfall
    in 万元; threshold 0; margin = −shortfall.
    """
    return [
        _tier_funded(
            projection,
            rule_id="operations_funded",
            clause="OPS.1, OPS.2.2",
            tier="operations",
            name_zh="保运转",
            name_en="operations (tier 3)",
        )
    ]
