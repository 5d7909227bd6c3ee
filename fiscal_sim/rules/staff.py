"""Fiscally supported staff only decrease, never increase (OPS.5.2)."""

from __future__ import annotations

from fiscal_sim.rules.findings import Outcome
from fiscal_sim.rules.registry import annual, previous_years, rule, simple_check


@rule(
    clauses=("OPS.5.2",),
    title_zh="财政供养人员只减不增",
    title_en="Fiscally supported staff never increase",
)
def headcount_not_rising(projection):
    """Serving headcount in year t ≤ headcount in year t − 1 (the base year for the first).

    Clause OPS.5.2 (严格落实财政供养人员“只减不增”). Value: headcount (persons); threshold:
    the prior year's headcount; margin = prior − current.
    """
    headcount = annual(projection, "headcount")
    prior = previous_years(projection, "headcount")
    return [
        simple_check(
            projection,
            rule_id="headcount_not_rising",
            clause="OPS.5.2",
            aspect="annual",
            unit="persons",
            value=headcount,
            threshold=prior,
            margin=prior - headcount,
            ok=Outcome(
                "ok",
                "{year}年财政供养人员{value:,.0f}人，未超过上年{threshold:,.0f}人",
                "{year}: {value:,.0f} staff, not above the prior year's {threshold:,.0f}",
            ),
            breach=Outcome(
                "breach",
                "{year}年财政供养人员{value:,.0f}人，比上年增加{gap:,.0f}人",
                "{year}: {value:,.0f} staff, {gap:,.0f} more than the prior year",
            ),
        )
    ]
