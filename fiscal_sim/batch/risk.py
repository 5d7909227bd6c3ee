"""The risk score of a county, built from the plan's rules, and its red/amber/green class.

Five components, each between 0 (no sign of risk) and 1 (the rule is broken outright):

=================  =========================================================  ============
component          value                                                      clause
=================  =========================================================  ============
``sanbao``         P(a 三保 shortfall in some year): wages, livelihood or      OPS.2.1-2.2
                   operations not funded in full (0 or 1 without draws)
``cash``           P(treasury cash below the alarm line in some month)        OPS.4.3.3
``advance``        highest advance ratio ÷ (2 × the cap), at most 1: 0.5 at   OPS.4.3.2
                   the cap, 1 at twice the cap
``legacy``         1 when legacy advances are left after the deadline; else   OPS.4.3.1
                   the largest lag behind the plan's line of digestion as a
                   share of the end-of-base-year stock, at most 1
``debt``           highest debt ratio: rising 0 → 0.5 up to the warning line,  OPS.4.4.2
                   0.5 → 1 from the warning to the high-risk line, 1 above
=================  =========================================================  ============

The score is ``100 × Σ weight × component`` with :data:`WEIGHTS` (they add up to 1): the
三保 first, as the plan puts them. A county is **red** (高风险) when its score is at least
:data:`RED_SCORE` or a 三保 shortfall is more likely than not (``sanbao ≥ 0.5``), **amber**
(关注) from :data:`AMBER_SCORE`, else **green** (正常). The weights and lines are a
documented judgement (an *assumption*), not a clause; change them here.

Examples
--------
A county at the advance cap, with its debt ratio at the warning line and nothing else wrong:

>>> row = dict(p_sanbao=0.0, p_cash_alarm=0.0, advance_ratio_max=0.05, advance_cap=0.05,
...            legacy_behind_max=0.0, legacy_left_after_deadline=0.0, legacy_start=100.0,
...            debt_ratio_max=1.0, debt_warning=1.0, debt_high=1.2)
>>> components(row)
{'sanbao': 0.0, 'cash': 0.0, 'advance': 0.5, 'legacy': 0.0, 'debt': 0.5}
>>> score(components(row)), risk_class(components(row))   # 100 × (0.2 × 0.5 + 0.2 × 0.5)
(20.0, 'green')
"""

from __future__ import annotations

WEIGHTS = {"sanbao": 0.30, "cash": 0.20, "advance": 0.20, "legacy": 0.10, "debt": 0.20}
RED_SCORE = 50.0
AMBER_SCORE = 25.0
RED_SANBAO = 0.5
TOLERANCE = 1e-6  # 万元, as the rules' own tolerance

CLASS_LABELS = {
    "red": ("高风险", "red (high risk)"),
    "amber": ("关注", "amber (watch)"),
    "green": ("正常", "green"),
}
COMPONENT_LABELS = {
    "sanbao": ("三保缺口概率", "P(三保 shortfall)"),
    "cash": ("库款低于预警线概率", "P(cash below the alarm line)"),
    "advance": ("暂付款比例对控制线", "advance ratio against the cap"),
    "legacy": ("存量暂付款消化落后", "legacy digestion behind the line"),
    "debt": ("债务率对警戒线", "debt ratio against its warning lines"),
    "score": ("风险评分", "risk score"),
    "risk_class": ("风险等级", "risk class"),
}


def _clip(value: float) -> float:
    return float(min(max(value, 0.0), 1.0))


def components(row) -> dict[str, float]:
    """The five components of one county's risk inputs (a mapping with the keys above)."""
    if row["legacy_left_after_deadline"] > TOLERANCE:
        legacy = 1.0
    elif row["legacy_start"] > TOLERANCE:
        legacy = _clip(row["legacy_behind_max"] / row["legacy_start"])
    else:
        legacy = 0.0
    ratio, warning, high = row["debt_ratio_max"], row["debt_warning"], row["debt_high"]
    if ratio <= warning:
        debt = 0.5 * ratio / warning if warning > 0 else 1.0
    elif ratio < high:
        debt = 0.5 + 0.5 * (ratio - warning) / (high - warning)
    else:
        debt = 1.0
    cap = row["advance_cap"]
    return {
        "sanbao": _clip(row["p_sanbao"]),
        "cash": _clip(row["p_cash_alarm"]),
        "advance": _clip(row["advance_ratio_max"] / (2 * cap)) if cap > 0 else 1.0,
        "legacy": legacy,
        "debt": _clip(debt),
    }


def score(parts: dict[str, float]) -> float:
    """``100 × Σ weight × component``, rounded to 0.1."""
    return round(100.0 * sum(WEIGHTS[name] * parts[name] for name in WEIGHTS), 1)


def risk_class(parts: dict[str, float]) -> str:
    """``red``, ``amber`` or ``green`` (see the module docstring)."""
    total = score(parts)
    if total >= RED_SCORE or parts["sanbao"] >= RED_SANBAO:
        return "red"
    return "amber" if total >= AMBER_SCORE else "green"


def ranking(rows):
    """The ranking table: one row per county, highest score first (ties by code).

    ``rows`` are mappings with ``code, name, prefecture`` and the risk inputs.
    """
    import pandas as pd

    table = []
    for row in rows:
        parts = components(row)
        table.append(
            {
                "code": row["code"],
                "name": row["name"],
                "prefecture": row["prefecture"],
                **parts,
                "score": score(parts),
                "risk_class": risk_class(parts),
            }
        )
    columns = ["code", "name", "prefecture", *WEIGHTS, "score", "risk_class"]
    frame = pd.DataFrame(table, columns=columns)
    frame = frame.sort_values(["score", "code"], ascending=[False, True], ignore_index=True)
    frame.insert(0, "rank", range(1, len(frame) + 1))
    return frame
