"""Arrears owed to private firms and SMEs (清欠): cleared on the plan's deadlines."""

from __future__ import annotations

import numpy as np

from fiscal_sim.rules.findings import Outcome
from fiscal_sim.rules.registry import param_year, rule, simple_check, years_of


def _owed(projection, part: str) -> np.ndarray:
    """Arrears of ``part`` (``small`` or ``other``) owed at each month end, (draws, years, 12)."""
    return np.asarray(projection.months[f"arrears_{part}_owed"], dtype=float)


@rule(
    clauses=("OPS.4.2.5", "MKT.4.3.9"),
    params=(
        "arrears_deadline_year",
        "arrears_small_deadline_month",
        "arrears_other_deadline_month",
    ),
    title_zh="清理拖欠民营企业中小企业账款：按期应清尽清",
    title_en="SME arrears cleared on the plan's deadlines",
)
def arrears_cleared(projection):
    """SME arrears cleared by the plan's deadlines, and none left owing after them.

    Clauses OPS.4.2.5 (积极做好清欠工作) and MKT.4.3.9 (500万元以下的欠款6月底前实现清零，其他
    无分歧欠款10月底前清偿完毕). Three checks, each with value = arrears still owed (万元),
    threshold 0 and margin = −owed:

    - ``small_items``: in ``rules.arrears_deadline_year``, items under 5 million yuan owed at
      the end of month ``rules.arrears_small_deadline_month``;
    - ``other_items``: in that year, the other undisputed arrears owed at the end of month
      ``rules.arrears_other_deadline_month``;
    - ``after_deadline``: in each later year, all of them still owed at year end (arrears
      stay due until paid).
    """
    years = years_of(projection)
    deadline = param_year(projection, "arrears_deadline_year")
    small_month = param_year(projection, "arrears_small_deadline_month")
    other_month = param_year(projection, "arrears_other_deadline_month")
    checks = []
    for part, month, name_zh, name_en in (
        ("small", small_month, "500万元以下欠款", "arrears under 5 million yuan"),
        ("other", other_month, "其他无分歧欠款", "other undisputed arrears"),
    ):
        owed = _owed(projection, part)[:, :, min(max(month, 1), 12) - 1]
        checks.append(
            simple_check(
                projection,
                rule_id="arrears_cleared",
                clause="OPS.4.2.5, MKT.4.3.9",
                aspect=f"{part}_items",
                unit="wan_yuan",
                value=owed,
                threshold=0.0,
                margin=-owed,
                in_force=years == deadline,
                ok=Outcome(
                    "ok",
                    f"{{year}}年{month}月底{name_zh}已清偿完毕",
                    f"{{year}}: {name_en} cleared by the end of month {month}",
                ),
                breach=Outcome(
                    "breach",
                    f"{{year}}年{month}月底仍有{name_zh}{{value:,.0f}}万元未清偿",
                    f"{{year}}: {{value:,.0f}} 万元 of {name_en} still owed at the end of "
                    f"month {month}",
                ),
            )
        )
    left = _owed(projection, "small")[:, :, -1] + _owed(projection, "other")[:, :, -1]
    checks.append(
        simple_check(
            projection,
            rule_id="arrears_cleared",
            clause="OPS.4.2.5, MKT.4.3.9",
            aspect="after_deadline",
            unit="wan_yuan",
            value=left,
            threshold=0.0,
            margin=-left,
            in_force=years > deadline,
            ok=Outcome(
                "ok",
                "{year}年末无拖欠民营企业中小企业账款",
                "{year}: no SME arrears owed at year end",
            ),
            breach=Outcome(
                "breach",
                "{year}年末仍拖欠民营企业中小企业账款{value:,.0f}万元（期限" + f"{deadline}年）",
                "{year}: {value:,.0f} 万元 of SME arrears still owed (deadline " + f"{deadline})",
            ),
        )
    )
    return checks
