"""One indicator by year across scenarios (``fiscal-sim chart compare``)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.ticker import MaxNLocator, PercentFormatter

from fiscal_sim import fonts
from fiscal_sim.plots._common import (
    COLORS,
    _finish,
    _indicator,
    _lang,
    _new_axes,
    _ratio_value,
    _scenario_title,
    _thousands,
    _year_axis,
    _years,
    indicator_kind,
    money_unit,
    text,
)


def compare(
    results,
    indicator: str = "advance_ratio",
    ax=None,
    *,
    lang=None,
    draw: int = 0,
    unit: str = "auto",
):
    """One indicator by year across scenarios: one line per projection.

    ``results`` is a mapping of legend name to projection, or a sequence of projections
    (named by their scenario titles). ``indicator`` is an ``annual`` array name or an
    ``indicators()`` column.
    """
    lang = _lang(lang)
    if isinstance(results, Mapping):
        named = list(results.items())
    else:
        named = [(_scenario_title(result, lang), result) for result in results]
    if not named:
        raise ValueError("compare needs at least one projection")
    series = [(name, _years(result), _indicator(result, indicator, draw)) for name, result in named]
    kind = indicator_kind(indicator)
    scale, unit_key = 1.0, None
    if kind == "ratio":
        scale = 0.01
    elif kind == "money":
        scale, unit_key = money_unit(np.concatenate([values for _, _, values in series]), unit)
    with fonts.font_context(lang):
        ax = _new_axes(ax)
        for number, (name, years, values) in enumerate(series):
            (line,) = ax.plot(years, values / scale, marker="o", label=name)
            line.set_gid(f"scenario_{number}")
        if kind == "ratio" and indicator == "advance_ratio":
            ratio = _ratio_value(named[0][1], "rules.advance_cap_ratio")
            cap = ax.axhline(
                ratio * 100,
                color=COLORS["cap"],
                linestyle="--",
                label=text("advance_cap_ratio", lang, pct=f"{ratio * 100:g}"),
            )
            cap.set_gid("advance_cap")
        all_years = sorted({int(year) for _, years, _ in series for year in years})
        _year_axis(ax, all_years, lang)
        label = text(indicator, lang)
        if kind == "ratio":
            ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
            ax.set_ylabel(f"{label}（%）" if lang == "zh" else f"{label} (%)")
        elif kind == "money":
            ax.yaxis.set_major_formatter(_thousands(1 if scale > 1 else 0))
            unit_word = text(unit_key, lang)
            ax.set_ylabel(f"{label}（{unit_word}）" if lang == "zh" else f"{label} ({unit_word})")
        else:
            unit_word = text(f"unit.{kind}", lang)
            ax.set_ylabel(f"{label}（{unit_word}）" if lang == "zh" else f"{label} ({unit_word})")
            ax.yaxis.set_major_locator(MaxNLocator(integer=kind == "persons"))
        _finish(ax, lang, text("title.compare", lang, indicator=label))
    return ax
