"""Charts of the general public budget: resources against uses, the funding waterfall of one
year, and the revenue mix with self-sufficiency."""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import PercentFormatter

from fiscal_sim import fonts
from fiscal_sim.errors import year_outside_horizon
from fiscal_sim.plots._common import (
    COLORS,
    SANBAO_TIERS,
    _annual,
    _finish,
    _has_annual,
    _indicator,
    _lang,
    _new_axes,
    _shortfall_bars,
    _thousands,
    _tier_names,
    _tiers,
    _year_axis,
    _years,
    money_unit,
    text,
)


def resources_uses(result, ax=None, *, lang=None, draw: int = 0, unit: str = "auto"):
    """Resources against what they fund, by year, with the 三保 need and any shortfall.

    Bars: the resources the waterfall allocates (earmarked transfers, which pay for their
    own programmes, aside) and the amount allocated to tiers 1-8, with any unfunded need
    stacked on top in red; the gap between the bars is the surplus. Line: the 三保 need
    (tiers 1-3); a red triangle marks each year with a 三保 shortfall.
    """
    lang = _lang(lang)
    years = _years(result)
    resources = _annual(result, "gpb_resources", draw)
    expenditure = _tiers(result, "funded", draw).sum(axis=1)
    shortfall = _tiers(result, "shortfall", draw).sum(axis=1)
    sanbao_need = _tiers(result, "need", draw)[:, :SANBAO_TIERS].sum(axis=1)
    sanbao_short = _tiers(result, "shortfall", draw)[:, :SANBAO_TIERS].sum(axis=1)
    scale, unit_key = money_unit(np.concatenate([resources, expenditure + shortfall]), unit)
    with fonts.font_context(lang):
        ax = _new_axes(ax)
        width = 0.38
        ax.bar(
            years - width / 2,
            resources / scale,
            width,
            color=COLORS["resources"],
            label=text("gpb_resources", lang),
            gid="resources",
        )
        ax.bar(
            years + width / 2,
            expenditure / scale,
            width,
            color=COLORS["uses"],
            label=text("allocated", lang),
            gid="uses",
        )
        if np.any(shortfall > 0):
            _shortfall_bars(ax, years + width / 2, shortfall, expenditure, scale, lang, width)
        (line,) = ax.plot(
            years,
            sanbao_need / scale,
            color=COLORS["need"],
            marker="o",
            label=text("sanbao_need", lang),
        )
        line.set_gid("sanbao_need")
        short_years = sanbao_short > 0
        if short_years.any():
            marks = ax.scatter(
                years[short_years],
                sanbao_need[short_years] / scale,
                s=90,
                marker="v",
                color=COLORS["shortfall"],
                zorder=5,
                label=text("sanbao_shortfall", lang),
            )
            marks.set_gid("sanbao_shortfall")
            for year, need, gap in zip(
                years[short_years], sanbao_need[short_years], sanbao_short[short_years], strict=True
            ):
                ax.annotate(
                    f"−{gap / scale:,.{2 if scale > 1 else 0}f}",
                    (year, need / scale),
                    xytext=(0, 8),
                    textcoords="offset points",
                    ha="center",
                    color=COLORS["shortfall"],
                    fontsize="small",
                )
        _year_axis(ax, years, lang)
        ax.set_ylabel(text("axis.amount", lang, unit=text(unit_key, lang)))
        ax.yaxis.set_major_formatter(_thousands(0))
        ax.set_ylim(0, max(resources.max(), (expenditure + shortfall).max()) / scale * 1.3)
        _finish(ax, lang, text("title.resources", lang), result)
    return ax


def _default_waterfall_year(result, draw: int) -> int:
    """The year with the largest shortfall, else the first projection year."""
    shortfall = _tiers(result, "shortfall", draw).sum(axis=1)
    years = _years(result)
    return int(years[int(np.argmax(shortfall))] if np.any(shortfall > 0) else years[0])


def waterfall(
    result, year: int | None = None, ax=None, *, lang=None, draw: int = 0, unit: str = "auto"
):
    """The funding waterfall of one year: need, funded and shortfall tier by tier.

    Each tier's bar is its need: the funded part solid, the shortfall hatched red above it.
    A step line shows the resources still available before each tier (what the tiers above
    left); the 三保 tiers are shaded. ``year`` defaults to the year with the largest shortfall,
    else the first projection year.
    """
    lang = _lang(lang)
    years = _years(result)
    year = _default_waterfall_year(result, draw) if year is None else int(year)
    if year not in years:
        raise ValueError(str(year_outside_horizon(year, years)))
    index = int(np.flatnonzero(years == year)[0])
    need = _tiers(result, "need", draw)[index]
    funded = _tiers(result, "funded", draw)[index]
    shortfall = _tiers(result, "shortfall", draw)[index]
    surplus = _annual(result, "surplus", draw)[index] if _has_annual(result, "surplus") else 0.0
    available = funded.sum() + max(float(surplus), 0.0)
    remaining_before = available - np.concatenate([[0.0], np.cumsum(funded)[:-1]])
    scale, unit_key = money_unit(np.concatenate([need, [available]]), unit)
    names = _tier_names()
    positions = np.arange(len(names))
    with fonts.font_context(lang):
        ax = _new_axes(ax, size=(9.0, 5.0))
        ax.axvspan(
            -0.5,
            SANBAO_TIERS - 0.5,
            color="#f2d7d5",
            alpha=0.35,
            lw=0,
            label=text("sanbao", lang),
            gid="sanbao_span",
        )
        ax.bar(
            positions,
            funded / scale,
            0.6,
            color=COLORS["resources"],
            label=text("funded", lang),
            gid="funded",
        )
        _shortfall_bars(ax, positions, shortfall, funded, scale, lang, 0.6)
        (need_marks,) = ax.plot(
            positions,
            need / scale,
            linestyle="none",
            marker="_",
            markersize=22,
            color=COLORS["need"],
            label=text("need", lang),
        )
        need_marks.set_gid("need")
        (steps,) = ax.step(
            np.append(positions, positions[-1] + 1) - 0.5,
            np.append(remaining_before, remaining_before[-1]) / scale,
            where="post",
            color=COLORS["plan"],
            linestyle="--",
            label=text("remaining", lang),
        )
        steps.set_gid("remaining")
        tick_labels = [
            f"{number}. {text('tier.' + name, lang)}" for number, name in enumerate(names, start=1)
        ]
        ax.set_xticks(positions, tick_labels, rotation=30, ha="right")
        ax.set_xlabel(text("axis.tier", lang))
        ax.set_ylabel(text("axis.amount", lang, unit=text(unit_key, lang)))
        ax.yaxis.set_major_formatter(_thousands(1 if scale > 1 else 0))
        ax.set_xlim(-0.6, len(names) - 0.4)
        ax.set_ylim(0, max(available, need.max()) / scale * 1.3)
        _finish(ax, lang, text("title.waterfall", lang, year=year), result)
    return ax


def revenue_mix(result, ax=None, *, lang=None, draw: int = 0, unit: str = "auto"):
    """Revenue composition (tax, non-tax, transfers, fund revenue) and self-sufficiency.

    Stacked bars in money; on a second y-axis (``ax.figure.axes[-1]``), self-sufficiency =
    own revenue ÷ GPB expenditure, in per cent.
    """
    lang = _lang(lang)
    years = _years(result)
    parts = {
        "tax": _annual(result, "tax", draw),
        "nontax": _annual(result, "nontax", draw),
        "transfers": sum(
            _annual(result, name, draw)
            for name in ("rebates", "general_transfers", "earmarked_transfers")
        ),
        "gfb_revenue": _annual(result, "gfb_revenue", draw),
    }
    self_sufficiency = _indicator(result, "self_sufficiency", draw)
    scale, unit_key = money_unit(sum(parts.values()), unit)
    with fonts.font_context(lang):
        ax = _new_axes(ax)
        bottom = np.zeros(len(years))
        for name, values in parts.items():
            ax.bar(
                years,
                values / scale,
                0.6,
                bottom=bottom,
                color=COLORS[name],
                label=text(name, lang),
                gid=name,
            )
            bottom += values / scale
        twin = ax.twinx()
        (line,) = twin.plot(
            years,
            self_sufficiency * 100,
            color=COLORS["need"],
            marker="o",
            label=text("self_sufficiency", lang),
        )
        line.set_gid("self_sufficiency")
        twin.set_ylim(0, max(100.0, float(np.nanmax(self_sufficiency)) * 110))
        twin.yaxis.set_major_formatter(PercentFormatter(decimals=0))
        twin.set_ylabel(text("axis.self_sufficiency", lang))
        _year_axis(ax, years, lang)
        ax.set_ylabel(text("axis.amount", lang, unit=text(unit_key, lang)))
        ax.yaxis.set_major_formatter(_thousands(0))
        ax.set_ylim(0, bottom.max() * 1.35)
        _finish(ax, lang, text("title.revenue", lang), result, legend_axes=(twin,))
    return ax
