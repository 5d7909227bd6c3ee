"""The mandated cuts of OPS.4.1.2: non-rigid projects ≥ 10 %, 三公经费 ≥ 3 %.

The check is on the scenario's *planned* tier-7 and tier-8 spending. A plan that cuts less
than the mandate is reported with the money still to be cut; it is never corrected here.
"""

from __future__ import annotations

import numpy as np

from fiscal_sim.errors import Bilingual, ScenarioError
from fiscal_sim.rules.findings import Outcome
from fiscal_sim.rules.registry import (
    annual,
    base_values,
    param_value,
    param_year,
    rule,
    simple_check,
    years_of,
)


def _reference(projection, planned: np.ndarray, base_name: str) -> tuple[np.ndarray, np.ndarray]:
    """Level each year's plan is compared with, and the years the comparison makes sense.

    ``rules.cut_base_year`` = 0 compares with the prior year (the first projection year with
    the base year); a named year compares every later year with that year's level.
    """
    years = years_of(projection)
    base_value = base_values(projection, base_name, planned.shape[0])
    reference_year = param_year(projection, "cut_base_year")
    if reference_year == 0:
        first = base_value[:, None]
        return np.concatenate([first, planned[:, :-1]], axis=1), np.ones(len(years), bool)
    if reference_year == int(projection.base_year):
        level = base_value.copy()
    elif reference_year in years:
        level = planned[:, int(np.flatnonzero(years == reference_year)[0])]
    else:
        raise ScenarioError(
            None,
            "rules.cut_base_year",
            Bilingual(
                "应为 0（上一年）或 {first} 到 {last} 之间的年度，实为 {got}",
                "expected 0 (prior year) or a year from {first} to {last}, got {got}",
                first=int(projection.base_year),
                last=int(years[-1]),
                got=reference_year,
            ),
        )
    return np.repeat(level[:, np.newaxis], len(years), axis=1), years > reference_year


def _cut_check(projection, *, rule_id: str, line: str, minimum_param: str, name_zh, name_en):
    planned = annual(projection, f"planned_{line}")
    reference, comparable = _reference(projection, planned, line)
    minimum_cut = param_value(projection, minimum_param)
    allowed = (1.0 - minimum_cut) * reference
    years = years_of(projection)
    in_force = (
        comparable
        & (years >= param_year(projection, "cut_mandate_from"))
        & (years <= param_year(projection, "cut_mandate_to"))
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        cut_rate = np.where(reference > 0, 1.0 - planned / reference, 0.0)
    # Messages show the rate to 0.1 %: round to that first, and + 0.0 turns -0.0 into 0.0.
    cut_rate = np.round(cut_rate, 3) + 0.0
    return simple_check(
        projection,
        rule_id=rule_id,
        clause="OPS.4.1.2",
        aspect="planned",
        unit="wan_yuan",
        value=planned,
        threshold=allowed,
        margin=allowed - planned,
        in_force=in_force,
        extra={
            "cut": cut_rate,
            "required": np.broadcast_to(minimum_cut, planned.shape),
            "reference": reference,
        },
        ok=Outcome(
            "ok",
            f"{{year}}年{name_zh}预算{{value:,.0f}}万元，压减{{cut:.1%}}，"
            "达到不低于{required:.0%}的要求",
            f"{{year}}: planned {name_en} {{value:,.0f}} 万元, cut {{cut:.1%}}, "
            "meets the minimum cut of {required:.0%}",
        ),
        breach=Outcome(
            "breach",
            f"{{year}}年{name_zh}预算{{value:,.0f}}万元，仅压减{{cut:.1%}}，"
            "低于{required:.0%}的要求，还需压减{gap:,.0f}万元",
            f"{{year}}: planned {name_en} {{value:,.0f}} 万元 is cut only {{cut:.1%}}, "
            "below the minimum {required:.0%}; {gap:,.0f} 万元 still to cut",
        ),
    )


@rule(
    clauses=("OPS.4.1.2",),
    params=("non_rigid_cut_min", "cut_mandate_from", "cut_mandate_to", "cut_base_year"),
    title_zh="非刚性、非重点项目支出按不低于规定比例压减",
    title_en="Non-rigid, non-priority project spending cut by the minimum rate",
)
def non_rigid_cut(projection):
    """Planned tier-7 spending ≤ (1 − ``rules.non_rigid_cut_min``) × the reference level.

    Clause OPS.4.1.2 (非刚性、非重点项目支出按不低于10%的幅度压减). The reference is the
    prior year's plan (``rules.cut_base_year`` = 0) or a named year's level; the mandate is
    in force from ``rules.cut_mandate_from`` to ``rules.cut_mandate_to``. Value: planned
    spending in 万元; threshold: the most the plan may spend; margin: the room left (negative:
    the money still to be cut).
    """
    return [
        _cut_check(
            projection,
            rule_id="non_rigid_cut",
            line="non_rigid",
            minimum_param="non_rigid_cut_min",
            name_zh="非刚性、非重点项目支出",
            name_en="non-rigid project spending",
        )
    ]


@rule(
    clauses=("OPS.4.1.2",),
    params=("three_public_cut_min", "cut_mandate_from", "cut_mandate_to", "cut_base_year"),
    title_zh="“三公经费”按不低于规定比例压减",
    title_en="“Three public funds” cut by the minimum rate",
)
def three_public_cut(projection):
    """Planned tier-8 (三公经费) ≤ (1 − ``rules.three_public_cut_min``) × the reference level.

    Clause OPS.4.1.2 (“三公经费”按不低于3%的幅度压减). Same reference and in-force years as
    :func:`non_rigid_cut`. Value: planned 三公经费 in 万元; threshold: the most the plan may
    spend; margin: the room left (negative: the money still to be cut).
    """
    return [
        _cut_check(
            projection,
            rule_id="three_public_cut",
            line="three_public",
            minimum_param="three_public_cut_min",
            name_zh="“三公经费”",
            name_en="three public funds",
        )
    ]
