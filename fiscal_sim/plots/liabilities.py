"""Charts of what the county owes: treasury advances by vintage against the cap and the
digestion plan, and government debt against its ceilings and ratio lines."""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import PercentFormatter

from fiscal_sim import fonts
from fiscal_sim.plots._common import (
    COLORS,
    _annual,
    _finish,
    _has_annual,
    _lang,
    _new_axes,
    _ratio_value,
    _stacked_bars,
    _thousands,
    _year_axis,
    _years,
    money_unit,
    text,
)


def advances(result, ax=None, *, lang=None, draw: int = 0, unit: str = "auto"):
    """Advance balance by vintage, the cap line and the legacy digestion plan.

    Stacked bars: the legacy stock (end-2018) and the new advances outstanding (balance minus
    legacy). Red line: ``rules.advance_cap_ratio`` × (GPB + GFB expenditure) (OPS.4.3.2).
    Dashed green: the legacy stock the plan allows, from the end-2018 stock down to zero
    (OPS.4.3.1).
    """
    lang = _lang(lang)
    years = _years(result)
    legacy = _annual(result, "legacy_advances", draw)
    balance = _annual(result, "advance_balance", draw)
    new = balance - legacy
    ratio = _ratio_value(result, "rules.advance_cap_ratio")
    cap = ratio * (
        _annual(result, "gpb_expenditure", draw) + _annual(result, "gfb_expenditure", draw)
    )
    opening = legacy[0] + _annual(result, "legacy_digested_cum", draw)[0]
    plan = opening - _annual(result, "legacy_target_cum", draw)
    cleared = np.flatnonzero(plan <= 1e-6)  # the plan's deadline: its target reaches the stock
    plan_end = int(years[cleared[0]] if cleared.size else years[-1])
    plan_years = np.concatenate([[years[0] - 1], years])
    plan_values = np.concatenate([[opening], np.maximum(plan, 0.0)])
    scale, unit_key = money_unit(np.concatenate([balance, cap, plan_values]), unit)
    with fonts.font_context(lang):
        ax = _new_axes(ax)
        _stacked_bars(
            ax,
            years,
            [("legacy", "legacy", "legacy_advances", legacy), ("new", "new", "new_advances", new)],
            scale,
            lang,
        )
        if _has_annual(result, "gap_cover_advances_stock"):
            gap_cover = _annual(result, "gap_cover_advances_stock", draw)
            if np.any(gap_cover > 0):
                ax.bar(
                    years,
                    gap_cover / scale,
                    0.6,
                    bottom=legacy / scale,
                    fill=False,
                    edgecolor=COLORS["shortfall"],
                    hatch="xx",
                    label=text("gap_cover_advances_stock", lang),
                    gid="gap_cover",
                )
        (cap_line,) = ax.plot(
            years,
            cap / scale,
            color=COLORS["cap"],
            lw=2,
            marker="_",
            label=text("advance_cap_ratio", lang, pct=f"{ratio * 100:g}"),
        )
        cap_line.set_gid("advance_cap")
        (plan_line,) = ax.plot(
            plan_years,
            plan_values / scale,
            color=COLORS["plan"],
            linestyle="--",
            marker="o",
            markersize=4,
            label=text("legacy_plan", lang, first=years[0], last=plan_end),
        )
        plan_line.set_gid("legacy_plan")
        ax.set_xticks(plan_years, [str(year) for year in plan_years])
        ax.set_ylim(0, max(balance.max(), cap.max(), plan_values.max()) / scale * 1.3)
        ax.set_xlabel(text("axis.year", lang))
        ax.set_ylabel(text("axis.amount", lang, unit=text(unit_key, lang)))
        ax.yaxis.set_major_formatter(_thousands(1 if scale > 1 else 0))
        _finish(ax, lang, text("title.advances", lang), result)
    return ax


def debt(result, ax=None, *, lang=None, draw: int = 0, unit: str = "auto"):
    """General and special debt against their ceilings; the debt ratio against its lines.

    Stacked bars: general and special debt; step line: the total ceiling (限额). On a second
    y-axis (``ax.figure.axes[-1]``): debt ÷ 综合财力 in per cent, with the warning and
    high-risk lines (``rules.debt_ratio_warning``, ``rules.debt_ratio_high``).
    """
    lang = _lang(lang)
    years = _years(result)
    general = _annual(result, "general_debt", draw)
    special = _annual(result, "special_debt", draw)
    ceiling = _annual(result, "general_ceiling", draw) + _annual(result, "special_ceiling", draw)
    ratio = _annual(result, "debt_ratio", draw)
    warning = _ratio_value(result, "rules.debt_ratio_warning")
    high = _ratio_value(result, "rules.debt_ratio_high")
    scale, unit_key = money_unit(np.concatenate([general + special, ceiling]), unit)
    with fonts.font_context(lang):
        ax = _new_axes(ax)
        _stacked_bars(
            ax,
            years,
            [
                ("general_debt", "general_debt", "general_debt", general),
                ("special_debt", "special_debt", "special_debt", special),
            ],
            scale,
            lang,
        )
        (ceiling_line,) = ax.plot(
            years,
            ceiling / scale,
            color="#555555",
            marker="_",
            markersize=18,
            linestyle=":",
            label=text("debt_ceiling", lang),
        )
        ceiling_line.set_gid("debt_ceiling")
        twin = ax.twinx()
        (ratio_line,) = twin.plot(
            years, ratio * 100, color=COLORS["need"], marker="o", label=text("debt_ratio", lang)
        )
        ratio_line.set_gid("debt_ratio")
        for name, level, style in (
            ("debt_ratio_warning", warning, "--"),
            ("debt_ratio_high", high, "-"),
        ):
            line = twin.axhline(
                level * 100,
                color=COLORS["cap"],
                linestyle=style,
                lw=1.2,
                label=text(name, lang, pct=f"{level * 100:g}"),
            )
            line.set_gid(name)
        twin.set_ylim(0, max(high * 100, float(np.nanmax(ratio)) * 100) * 1.5)
        twin.yaxis.set_major_formatter(PercentFormatter(decimals=0))
        twin.set_ylabel(text("axis.debt_ratio", lang))
        _year_axis(ax, years, lang)
        ax.set_ylabel(text("axis.amount", lang, unit=text(unit_key, lang)))
        ax.yaxis.set_major_formatter(_thousands(1 if scale > 1 else 0))
        ax.set_ylim(0, max((general + special).max(), ceiling.max()) / scale * 1.5)
        _finish(ax, lang, text("title.debt", lang), result, legend_axes=(twin,))
    return ax
