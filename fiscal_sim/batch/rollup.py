"""Roll-ups of a batch: by prefecture and for the whole batch.

Money (万元) and people are summed over the counties. A ratio is recomputed from the sums
of its numerator and denominator, never averaged over counties (a small county's ratio
weighs what its money weighs):

- 财政自给率 self-sufficiency = Σ own revenue ÷ Σ GPB expenditure;
- 暂付款比例 advance ratio = Σ advance balance ÷ (Σ GPB + Σ GFB expenditure);
- 债务率 debt ratio = Σ debt ÷ Σ 综合财力.

The lowest cash cover (months) is a minimum over months of each county's own treasury and
has no sum: it is left out of the roll-up.

Examples
--------
>>> import pandas as pd
>>> rows = pd.DataFrame({
...     "code": ["1", "2"], "prefecture": ["A", "A"], "year": [2019, 2019],
...     "indicator": ["own_revenue", "own_revenue"], "value": [10.0, 30.0]})
>>> rollup(rows).query("level == 'batch'")[["indicator", "value", "counties"]].values.tolist()
[['own_revenue', 40.0, 2]]
"""

from __future__ import annotations

from fiscal_sim.labels import INDICATORS

RATIOS = {
    "self_sufficiency": (("own_revenue",), ("gpb_expenditure",)),
    "advance_ratio": (("advance_balance",), ("gpb_expenditure", "gfb_expenditure")),
    "debt_ratio": (("debt_total",), ("comprehensive_capacity",)),
}
SUMMED = (
    *(name for name, (_, _, unit, _, _) in INDICATORS.items() if unit in ("wan_yuan", "persons")),
    "comprehensive_capacity",
)
LEVEL_LABELS = {"prefecture": ("地市", "prefecture"), "batch": ("全部", "whole batch")}
BATCH_GROUP = "all"


def _level(frame, level: str, by: list[str]):
    import pandas as pd

    sums = frame[frame["indicator"].isin(SUMMED)]
    summed = sums.groupby([*by, "year", "indicator"], sort=True).agg(
        value=("value", "sum"), counties=("code", "nunique")
    )
    wide = summed["value"].unstack("indicator")
    counties = summed["counties"].groupby(level=[*by, "year"]).max()
    ratios = {}
    for name, (top, bottom) in RATIOS.items():
        if all(part in wide for part in (*top, *bottom)):
            ratios[name] = sum(wide[part] for part in top) / sum(wide[part] for part in bottom)
    if ratios:
        wide = wide.assign(**ratios)
    long = wide.stack().rename("value").reset_index()
    long["counties"] = long.set_index([*by, "year"]).index.map(counties).to_numpy()
    if not by:
        long.insert(0, "group", BATCH_GROUP)
    else:
        long = long.rename(columns={by[0]: "group"})
    long.insert(0, "level", level)
    return pd.DataFrame(long, columns=["level", "group", "year", "indicator", "value", "counties"])


def rollup(indicators):
    """The roll-up table: ``level`` (prefecture / batch), ``group``, ``year``, ``indicator``,
    ``value``, ``counties``; from a tidy table with ``code, prefecture, year, indicator,
    value`` (the deterministic projection)."""
    import pandas as pd

    if indicators.empty:
        return pd.DataFrame(columns=["level", "group", "year", "indicator", "value", "counties"])
    by_prefecture = _level(indicators, "prefecture", ["prefecture"])
    whole = _level(indicators.assign(_all=BATCH_GROUP), "batch", [])
    return pd.concat([by_prefecture, whole], ignore_index=True)
