"""Treasury advances (暂付款): the 5 % cap, the one-year term, no gap cover, legacy digestion."""

from __future__ import annotations

import numpy as np

from fiscal_sim.rules.findings import TOLERANCE, Check, Outcome
from fiscal_sim.rules.registry import (
    annual,
    param_value,
    param_year,
    rule,
    simple_check,
    years_of,
)


@rule(
    clauses=("OPS.4.3.2",),
    params=("advance_cap_ratio",),
    title_zh="暂付款规模不得超过一般公共预算和政府性基金预算支出之和的控制比例",
    title_en="Advance balance within its cap on GPB plus GFB expenditure",
)
def advance_cap(projection):
    """Advance balance ÷ (GPB expenditure + GFB expenditure) ≤ ``rules.advance_cap_ratio``.

    Clause OPS.4.3.2 (暂付款规模不得超过一般公共预算和政府性基金预算支出之和的5%). The
    balance is legacy plus new advances outstanding at year end. Value and threshold are
    ratios; margin = cap − ratio; the message gives the excess (or room) in 万元.
    """
    balance = annual(projection, "advance_balance")
    spending = annual(projection, "gpb_expenditure") + annual(projection, "gfb_expenditure")
    cap = param_value(projection, "advance_cap_ratio")
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(spending > 0, balance / spending, np.inf)
    return [
        simple_check(
            projection,
            rule_id="advance_cap",
            clause="OPS.4.3.2",
            aspect="ratio",
            unit="fraction",
            value=ratio,
            threshold=cap,
            margin=cap - ratio,
            extra={
                "balance": balance,
                "room": cap * spending - balance,
                "excess": balance - cap * spending,
            },
            ok=Outcome(
                "ok",
                "{year}年末暂付款余额{balance:,.0f}万元，占支出{value:.1%}，"
                "在{threshold:.0%}以内（尚余{room:,.0f}万元）",
                "{year}: advance balance {balance:,.0f} 万元 is {value:.1%} of spending, "
                "within {threshold:.0%} ({room:,.0f} 万元 to spare)",
            ),
            breach=Outcome(
                "breach",
                "{year}年末暂付款余额{balance:,.0f}万元，占支出{value:.1%}，"
                "超过{threshold:.0%}上限（超出{excess:,.0f}万元）",
                "{year}: advance balance {balance:,.0f} 万元 is {value:.1%} of spending, "
                "above the {threshold:.0%} cap (over by {excess:,.0f} 万元)",
            ),
        )
    ]


def _older_than(vintages: np.ndarray, term_years: int) -> np.ndarray:
    """Of the new advances outstanding at each year end, those issued ``term_years`` or more
    years before: ``vintages[d, t, v]`` is what is left at the end of year ``t`` of the
    advances issued in year ``v``. Returns (draws, years)."""
    years = vintages.shape[1]
    age = np.arange(years)[:, None] - np.arange(years)[None, :]
    return (vintages * (age >= term_years)).sum(axis=-1)


@rule(
    clauses=("OPS.4.3.2",),
    params=("advance_term_years",),
    title_zh="暂付款借款不得超过规定期限",
    title_en="New advances repaid within the term",
)
def advance_term(projection):
    """No new advance outstanding longer than ``rules.advance_term_years``.

    Clause OPS.4.3.2 (借款期限不得超过一年). The engine keeps new advances by issue year
    (``new_advances_by_vintage``); at each year end, what is left of the advances issued
    ``rules.advance_term_years`` or more years before is overdue. Value: overdue advances in
    万元; threshold 0; margin = −overdue.
    """
    term_years = max(param_year(projection, "advance_term_years"), 1)
    outstanding = annual(projection, "new_advances_outstanding")
    overdue = _older_than(annual(projection, "new_advances_by_vintage"), term_years)
    return [
        simple_check(
            projection,
            rule_id="advance_term",
            clause="OPS.4.3.2",
            aspect="overdue",
            unit="wan_yuan",
            value=overdue,
            threshold=0.0,
            margin=-overdue,
            extra={"outstanding": outstanding, "term": np.full(overdue.shape, term_years)},
            ok=Outcome(
                "ok",
                "{year}年末新增暂付款余额{outstanding:,.0f}万元，均在{term:.0f}年期限内",
                "{year}: new advances outstanding {outstanding:,.0f} 万元, "
                "all within the {term:.0f}-year term",
            ),
            breach=Outcome(
                "breach",
                "{year}年末有{value:,.0f}万元新增暂付款超过{term:.0f}年期限未收回",
                "{year}: {value:,.0f} 万元 of new advances outstanding beyond "
                "the {term:.0f}-year term",
            ),
        )
    ]


@rule(
    clauses=("OPS.4.3.2",),
    title_zh="严禁通过暂付款实现收支平衡或解决新增支出",
    title_en="Advances never used to balance the budget",
)
def advance_no_gap_cover(projection):
    """No new advance is used to close a budget gap.

    Clause OPS.4.3.2 (严禁通过违规列示暂付款实现收支平衡或解决新增支出需求). Value: new
    advances booked to pay unfunded spending in the year (万元); threshold 0; margin = −value.
    """
    gap_cover = annual(projection, "gap_covered_advances")
    return [
        simple_check(
            projection,
            rule_id="advance_no_gap_cover",
            clause="OPS.4.3.2",
            aspect="flow",
            unit="wan_yuan",
            value=gap_cover,
            threshold=0.0,
            margin=-gap_cover,
            ok=Outcome(
                "ok",
                "{year}年未以暂付款弥补收支缺口",
                "{year}: no advances used to close a budget gap",
            ),
            breach=Outcome(
                "breach",
                "{year}年以暂付款弥补收支缺口{value:,.0f}万元",
                "{year}: {value:,.0f} 万元 of advances used to close a budget gap",
            ),
        )
    ]


@rule(
    clauses=("OPS.4.3.1",),
    params=("legacy_deadline_year",),
    title_zh="按期完成基年末暂付款存量消化任务",
    title_en="Legacy advance stock digested by the deadline",
)
def legacy_cleared(projection):
    """The legacy (end-of-base-year) advance stock is zero from ``rules.legacy_deadline_year``.

    Clause OPS.4.3.1 (确保2023年底前完成2018年底暂付款余额消化任务). Two checks:

    - ``deadline`` (years ≥ the deadline): value = legacy balance in 万元, threshold 0,
      margin = −balance; a balance left is a breach;
    - ``on_track`` (years up to the deadline): value = cumulative digestion, threshold = the
      five-year plan's cumulative target, margin = digestion − target; falling behind is a
      warning (the clause's breach is at the deadline).
    """
    years = years_of(projection)
    deadline = param_year(projection, "legacy_deadline_year")
    legacy = annual(projection, "legacy_advances")
    digested = annual(projection, "legacy_digested_cum")
    target = annual(projection, "legacy_target_cum")
    deadline_check = simple_check(
        projection,
        rule_id="legacy_cleared",
        clause="OPS.4.3.1",
        aspect="deadline",
        unit="wan_yuan",
        value=legacy,
        threshold=0.0,
        margin=-legacy,
        in_force=years >= deadline,
        ok=Outcome(
            "ok",
            "{year}年末存量暂付款已消化完毕",
            "{year}: legacy advances fully digested",
        ),
        breach=Outcome(
            "breach",
            "{year}年末仍有存量暂付款{value:,.0f}万元未消化（期限" + f"{deadline}年底）",
            "{year}: {value:,.0f} 万元 of legacy advances left (deadline end-" + f"{deadline})",
        ),
    )
    behind = (digested - target) < -TOLERANCE
    on_track = Check(
        rule="legacy_cleared",
        clause="OPS.4.3.1",
        aspect="on_track",
        unit="wan_yuan",
        years=years,
        value=digested,
        threshold=target,
        margin=digested - target,
        status=behind.astype(int),
        outcomes=(
            Outcome(
                "ok",
                "{year}年累计消化存量暂付款{value:,.0f}万元，达到计划进度{threshold:,.0f}万元",
                "{year}: {value:,.0f} 万元 of legacy advances digested, on track "
                "(plan {threshold:,.0f} 万元)",
            ),
            Outcome(
                "warning",
                "{year}年累计消化存量暂付款{value:,.0f}万元，落后计划进度{gap:,.0f}万元",
                "{year}: {value:,.0f} 万元 of legacy advances digested, "
                "{gap:,.0f} 万元 behind plan",
            ),
        ),
        in_force=years <= deadline,
    )
    return [deadline_check, on_track]
