"""Stock funds (存量资金): carry-overs of two years or more are recovered (OPS.4.2.2)."""

from __future__ import annotations

import numpy as np

from fiscal_sim.errors import Bilingual, ScenarioError
from fiscal_sim.rules.findings import Outcome
from fiscal_sim.rules.registry import annual, param_year, rule, simple_check

# The engine's carry-over buckets at year end: carryover_age1 holds what was under a year old
# at the start of the year, carryover_age2 what was one year old or more (including what
# was due for recovery this year and is still held), carryover_old only the latter. So the
# carry-overs that had reached `max_age` years at the start of the year and are still held
# at its end are these buckets (each carry-over counted once):
STILL_HELD_BY_MAX_AGE = {
    0: ("carryover_age1", "carryover_age2"),
    1: ("carryover_age2",),
    2: ("carryover_old",),
}


@rule(
    clauses=("OPS.4.2.2",),
    params=("stock_fund_max_age",),
    title_zh="连续结转超过规定年限的专项资金全部清理收回",
    title_en="Carry-overs past the age limit recovered",
)
def stock_funds_recovered(projection):
    """No carry-over aged ``rules.stock_fund_max_age`` years or more is left at year end.

    Clause OPS.4.2.2 (对项目结余资金、连续结转两年以上的专项资金……全部予以清理收回).
    Value: carry-overs that had reached the age limit at the start of the year and are still
    held at its end (万元); threshold 0; margin = −value.
    """
    max_age = param_year(projection, "stock_fund_max_age")
    if max_age not in STILL_HELD_BY_MAX_AGE:
        raise ScenarioError(
            None,
            "rules.stock_fund_max_age",
            Bilingual(
                "应为 0、1 或 2（结转资金最多跟踪两年），实为 {got}",
                "expected 0, 1 or 2 (carry-overs are tracked up to two years), got {got}",
                got=max_age,
            ),
        )
    too_old = sum(annual(projection, name) for name in STILL_HELD_BY_MAX_AGE[max_age])
    return [
        simple_check(
            projection,
            rule_id="stock_funds_recovered",
            clause="OPS.4.2.2",
            aspect="carryover",
            unit="wan_yuan",
            value=too_old,
            threshold=0.0,
            margin=-too_old,
            extra={"age": np.full(too_old.shape, max_age)},
            ok=Outcome(
                "ok",
                "{year}年末无结转{age:.0f}年以上未收回的存量资金",
                "{year}: no carry-over of {age:.0f} years or more left at year end",
            ),
            breach=Outcome(
                "breach",
                "{year}年末仍有结转{age:.0f}年以上的存量资金{value:,.0f}万元未收回",
                "{year}: {value:,.0f} 万元 of carry-overs aged {age:.0f} years or more "
                "not recovered",
            ),
        )
    ]
