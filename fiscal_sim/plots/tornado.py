"""The tornado chart of a sensitivity sweep: the change in one outcome when each parameter
moves down and up, largest effect on top (matplotlib lives in :mod:`fiscal_sim.plots` only).

Examples
--------
>>> import fiscal_sim
>>> found = fiscal_sim.sensitivity(fiscal_sim.load_scenario(), "cash_min", group="treasury")
>>> tornado(found, "cash_min", lang="en").get_gid()
'tornado'
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from fiscal_sim import fonts

_TEXT = {
    "title": ("敏感性：{outcome}（参数±{step}）", "Sensitivity: {outcome} (parameters ±{step})"),
    "down": ("参数下调", "parameter down"),
    "up": ("参数上调", "parameter up"),
    "change": ("相对基准的变化（{unit}）", "change from the baseline ({unit})"),
    "breaks": ("⚠ 新增违规", "⚠ breaks a rule"),
}
_UNITS = {
    "wan_yuan": ("万元", "CNY 10k"),
    "months": ("月", "months"),
    "fraction": ("百分点", "percentage points"),
}


def _word(key: str, lang: str, **fields) -> str:
    return _TEXT[key][0 if lang == "zh" else 1].format(**fields)


def tornado(result, outcome: str, top: int = 15, ax=None, *, lang=None):
    """Horizontal bars of Δ``outcome`` for the ``top`` parameters with the largest swing;
    a parameter whose move newly breaks a rule is marked ⚠.

    Returns
    -------
    matplotlib.axes.Axes
    """
    from fiscal_sim.labels import get_lang

    lang = lang or get_lang()
    frame = result.to_frame()
    frame = frame[frame["outcome"] == outcome].copy()
    frame["swing"] = (frame["up"] - frame["down"]).abs()
    frame = frame.sort_values("swing", ascending=False, kind="stable").head(top).iloc[::-1]
    unit = result.unit_of(outcome)
    scale = 100.0 if unit == "fraction" else 1.0
    names = []
    for _, row in frame.iterrows():
        name = result.labels[row["parameter"]].label(lang)
        names.append(f"⚠ {name}" if row["breaks_down"] or row["breaks_up"] else name)
    positions = np.arange(len(frame))
    with fonts.font_context(lang):
        if ax is None:
            ax = Figure(figsize=(8.0, 0.35 * len(frame) + 1.6), layout="constrained").add_subplot()
        ax.set_gid("tornado")
        ax.barh(positions, frame["change_down"] * scale, color="#4c72b0", label=_word("down", lang))
        ax.barh(positions, frame["change_up"] * scale, color="#dd8452", label=_word("up", lang))
        ax.axvline(0.0, color="black", linewidth=0.8)
        ax.set_yticks(positions, names)
        words = _UNITS.get(unit, _UNITS["wan_yuan"])
        ax.set_xlabel(_word("change", lang, unit=words[0 if lang == "zh" else 1]))
        step = f"{result.step:.0%}"
        ax.set_title(_word("title", lang, outcome=result.label_of(outcome, lang), step=step))
        ax.legend(fontsize="small", loc="best")
        ax.tick_params(labelfontfamily=fonts.font_families(lang))
    return ax
