"""Budget charts, in Chinese or English. matplotlib is imported here and nowhere else.

Every chart function takes a projection (and ``ax=None``), draws one draw of it
(``draw=0``: the deterministic run), and returns the :class:`~matplotlib.axes.Axes`. Without
an ``ax`` a new :class:`~matplotlib.figure.Figure` is made (no pyplot state). Names of lines,
tiers and indicators come from :mod:`fiscal_sim.labels`; chart titles and axis words that
only charts need are in ``_TEXT`` below. Money is shown in 万元, or in 亿元 when values reach
1 亿 (``unit="auto"``; ``unit="wan"`` or ``"yi"`` forces one).

Artists that tests and readers look for carry a ``gid`` (``advance_cap``, ``sanbao_need``,
``wage_risk`` ...), independent of the language.

Examples
--------
>>> import fiscal_sim
>>> from fiscal_sim import plots
>>> result = fiscal_sim.project(fiscal_sim.load_scenario())
>>> ax = plots.advances(result, lang="en")
>>> ax.get_title().startswith("Treasury advances")
True
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from fiscal_sim import fonts

LANGS = ("zh", "en")
SANBAO_TIERS = 3  # tiers 1-3 (wages, livelihood, operations) are the 三保 (model.md §3)
WAN_PER_YI = 1e4  # 1 亿元 = 10,000 万元

_FALLBACK_TIERS = (
    "wages",
    "livelihood",
    "operations",
    "debt_service",
    "clearing",
    "key_projects",
    "non_rigid",
    "three_public",
)

# Words only charts use: titles, axis names, legend entries of derived series and lines that
# fiscal_sim.labels does not name. Indicators, tiers, cash classes come from fiscal_sim.labels.
_TEXT: dict[str, tuple[str, str]] = {
    # chart titles
    "title.resources": ("一般公共预算：资源与支出", "General public budget: resources and uses"),
    "title.waterfall": ("{year}年保障顺序（瀑布）", "Funding waterfall, {year}"),
    "title.advances": ("暂付款余额：分存量与新增", "Treasury advances by vintage"),
    "title.cash": ("库款保障水平（按月）", "Treasury-cash guarantee level by month"),
    "title.revenue": ("收入构成与财政自给率", "Revenue composition and self-sufficiency"),
    "title.debt": ("政府债务与债务率", "Government debt and debt ratio"),
    "title.compare": ("情景比较：{indicator}", "Scenario comparison: {indicator}"),
    # units and axes
    "unit.wan": ("万元", "CNY 10k"),
    "unit.yi": ("亿元", "CNY 100m"),
    "unit.months": ("月", "months"),
    "unit.persons": ("人", "persons"),
    "unit.percent": ("%", "%"),
    "axis.year": ("年度", "Year"),
    "axis.tier": ("保障层级", "Tier"),
    "axis.cash_level": ("库款保障水平（月）", "Cash guarantee level (months)"),
    "axis.self_sufficiency": ("财政自给率（%）", "Self-sufficiency (%)"),
    "axis.debt_ratio": ("债务率（%）", "Debt ratio (%)"),
    "axis.amount": ("金额（{unit}）", "Amount ({unit})"),
    # series
    "gpb_resources": ("一般公共预算可用资源", "GPB resources"),
    "remaining": ("剩余可用财力", "Resources remaining"),
    "sanbao": ("三保", "Three guarantees"),
    "new_advances": ("新增暂付款", "New advances"),
    "gap_cover_advances_stock": ("垫付缺口形成的暂付款", "Advances covering budget gaps"),
    "advance_cap_ratio": ("{pct}%控制线", "{pct} % cap"),
    "legacy_plan": ("{first}—{last}年消化计划", "{first}–{last} digestion plan"),
    "wage_risk": ("工资发放风险月", "Wage-arrears risk month"),
    "tax": ("税收收入", "Tax revenue"),
    "nontax": ("非税收入", "Non-tax revenue"),
    "transfers": ("上级转移支付及返还", "Transfers and rebates"),
    "gfb_revenue": ("政府性基金收入", "Government fund revenue"),
    "general_debt": ("一般债务", "General debt"),
    "special_debt": ("专项债务", "Special debt"),
    "debt_ceiling": ("债务限额", "Debt ceiling"),
    "debt_ratio_warning": ("警戒线 {pct}%", "Warning line {pct} %"),
    "debt_ratio_high": ("高风险线 {pct}%", "High-risk line {pct} %"),
    "axis.month_tick": ("{month}月", "{month_name}"),
}
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Indicators that are not money, by name; everything else is in 万元.
_RATIO_NAMES = {"self_sufficiency", "advance_ratio", "debt_ratio"}
_KIND_BY_NAME = {"headcount": "persons", "cash_cover_min_months": "months", "cash_level": "months"}

COLORS = {
    "resources": "#4c72b0",
    "uses": "#8c8c8c",
    "shortfall": "#c0392b",
    "need": "#222222",
    "legacy": "#8172b3",
    "new": "#64b5cd",
    "cap": "#c0392b",
    "plan": "#2d7f3e",
    "tax": "#4c72b0",
    "nontax": "#55a868",
    "transfers": "#dd8452",
    "gfb_revenue": "#8172b3",
    "general_debt": "#4c72b0",
    "special_debt": "#dd8452",
}
_BANDS = (  # (name, colour): alarm < low < normal < idle (model.md §6)
    ("alarm", "#e74c3c"),
    ("low", "#f5b041"),
    ("normal", "#58d68d"),
    ("idle", "#aab7b8"),
)


# ---------------------------------------------------------------------------------------------
# labels and units


def _lang(lang: str | None) -> str:
    if lang is None:
        try:
            from fiscal_sim.labels import get_lang
        except ImportError:
            return "zh"
        lang = get_lang()
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    return lang


def text(key: str, lang: str, **fields) -> str:
    """A chart's word for ``key`` in ``lang``: from :mod:`fiscal_sim.labels`, else ``_TEXT``.

    Examples
    --------
    >>> text("title.debt", "en")
    'Government debt and debt ratio'
    """
    found = None
    prefix, _, name = key.rpartition(".")
    if prefix in ("tier", "band"):  # tiers and cash classes are named in fiscal_sim.labels
        found = _metadata_label(name, lang)
    elif not prefix:
        found = _metadata_label(key, lang)
    if found is None:
        pair = _TEXT.get(key)
        found = key if pair is None else pair[LANGS.index(lang)]
    return found.format(**fields) if fields else found


def _metadata_label(key: str, lang: str) -> str | None:
    try:
        from fiscal_sim.labels import label
    except ImportError:
        return None
    try:
        found = label(key, lang)
    except (KeyError, ValueError):
        return None
    if not found or (found == key and label(key, "zh") == key):
        return None  # labels echo a key they do not know
    return str(found)


def _scenario_title(result, lang: str) -> str:
    meta = getattr(result, "meta", {}) or {}
    title = meta.get("title")
    if isinstance(title, Mapping):
        title = title.get(lang) or title.get("zh") or title.get("en")
    return str(title or meta.get("scenario") or "")


def money_unit(values, unit: str = "auto") -> tuple[float, str]:
    """Divisor and unit key for money in 万元: 亿元 once any value reaches 1 亿.

    Examples
    --------
    >>> money_unit([8_000, 9_500])
    (1.0, 'unit.wan')
    >>> money_unit([180_000])
    (10000.0, 'unit.yi')
    """
    if unit == "wan":
        return 1.0, "unit.wan"
    if unit == "yi":
        return WAN_PER_YI, "unit.yi"
    if unit != "auto":
        raise ValueError(f"unit must be 'auto', 'wan' or 'yi', got {unit!r}")
    finite = np.abs(np.asarray(values, dtype=float))
    finite = finite[np.isfinite(finite)]
    if finite.size and finite.max() >= WAN_PER_YI:
        return WAN_PER_YI, "unit.yi"
    return 1.0, "unit.wan"


def _thousands(decimals: int = 0) -> FuncFormatter:
    """Thousands separators, at least ``decimals`` decimals and as many more as a tick needs
    to be shown exactly (a tick at 0.25 亿 reads 0.25, never 0.2)."""

    def text(value, _pos):
        shown = decimals
        while shown < 4 and abs(round(value, shown) - value) > 1e-9 * max(1.0, abs(value)):
            shown += 1
        return f"{value:,.{shown}f}"

    return FuncFormatter(text)


# ---------------------------------------------------------------------------------------------
# reading a projection


def _annual(result, name: str, draw: int) -> np.ndarray:
    return np.asarray(result.annual[name], dtype=float)[draw]


def _has_annual(result, name: str) -> bool:
    return name in result.annual


def _years(result) -> np.ndarray:
    return np.asarray(result.years, dtype=int)


def _tiers(result, kind: str, draw: int) -> np.ndarray:
    return np.asarray(result.tiers[kind], dtype=float)[draw]


def _tier_names() -> tuple[str, ...]:
    try:
        from fiscal_sim.params.schema import TIERS
    except ImportError:
        return _FALLBACK_TIERS
    return tuple(TIERS)


def _months(result, name: str, draw: int) -> np.ndarray:
    """Monthly array ``(years, 12)``: ``result.months`` per architecture.md, else ``monthly``."""
    store = getattr(result, "months", None)
    if not isinstance(store, Mapping):
        store = getattr(result, "monthly", None)
    return np.asarray(store[name])[draw]


def _param(result, path: str):
    return result.scenario.param(path).value


def _ratio_value(result, path: str) -> float:
    return float(np.asarray(_param(result, path), dtype=float).ravel()[0])


def wage_risk_months(result, draw: int = 0) -> np.ndarray:
    """Bool ``(years, 12)``: months whose payroll the treasury cash could not cover.

    ``wage_covered`` is a 0/1 flag (the engine's) or an amount; an amount below the payroll
    is a risk month too.
    """
    covered = _months(result, "wage_covered", draw)
    if covered.dtype == bool:
        return ~covered
    covered = covered.astype(float)
    payroll = _months(result, "payroll", draw).astype(float)
    if np.nanmax(covered, initial=0.0) <= 1.0:  # a 0/1 flag, as the engine stores it
        return covered < 0.5
    return covered < payroll - 1e-6


def _new_axes(ax, size=(8.0, 4.8)):
    """A new Axes on a bare Figure, or on a pyplot figure when the user works with pyplot.

    The command line and the reports never import pyplot, so they keep no global state; in
    Jupyter (``%matplotlib inline`` imports pyplot) the chart then shows below the cell.
    """
    if ax is not None:
        return ax
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        return pyplot.figure(figsize=size, layout="constrained").add_subplot()
    return Figure(figsize=size, layout="constrained").add_subplot()


def _finish(ax, lang: str, title: str, result=None, *, legend_axes=()) -> None:
    scenario = _scenario_title(result, lang) if result is not None else ""
    if scenario:
        title = f"{title}（{scenario}）" if lang == "zh" else f"{title} ({scenario})"
    ax.set_title(title)
    families = fonts.font_families(lang)
    # Ticks may be created at draw time, outside the font context: give them the font.
    for axes in (ax, *legend_axes):
        axes.tick_params(labelfontfamily=families)
    handles, labels = [], []
    for axes in (ax, *legend_axes):
        more_handles, more_labels = axes.get_legend_handles_labels()
        handles += more_handles
        labels += more_labels
    if handles:
        # On the top-most axes, so that a twin's lines do not cross it.
        top = legend_axes[-1] if legend_axes else ax
        top.legend(handles, labels, fontsize="small", loc="upper left", ncols=2, framealpha=0.9)


def _year_axis(ax, years, lang: str) -> None:
    ax.set_xticks(years, [str(year) for year in years])
    ax.set_xlabel(text("axis.year", lang))


# ---------------------------------------------------------------------------------------------
# the charts


def resources_uses(result, ax=None, *, lang=None, draw: int = 0, unit: str = "auto"):
    """Resources against uses of the general public budget by year, 三保 need and shortfall.

    Bars: resources, and expenditure with any unfunded need (all tiers) stacked on top in
    red. Line: the 三保 need (tiers 1-3); a red triangle marks each year with a 三保
    shortfall.
    """
    lang = _lang(lang)
    years = _years(result)
    resources = _annual(result, "gpb_resources", draw)
    expenditure = _annual(result, "gpb_expenditure", draw)
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
            label=text("gpb_expenditure", lang),
            gid="uses",
        )
        if np.any(shortfall > 0):
            ax.bar(
                years + width / 2,
                shortfall / scale,
                width,
                bottom=expenditure / scale,
                color="white",
                edgecolor=COLORS["shortfall"],
                linewidth=np.where(shortfall > 0, 1.0, 0.0),  # no red rim on a zero gap
                hatch="///",
                label=text("shortfall", lang),
                gid="shortfall",
            )
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
        raise ValueError(f"year {year} is outside the projection years {years[0]}–{years[-1]}")
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
        ax.bar(
            positions,
            shortfall / scale,
            0.6,
            bottom=funded / scale,
            color="white",
            edgecolor=COLORS["shortfall"],
            linewidth=np.where(shortfall > 0, 1.0, 0.0),  # no red rim on a zero gap
            hatch="///",
            label=text("shortfall", lang),
            gid="shortfall",
        )
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
        ax.bar(
            years,
            legacy / scale,
            0.6,
            color=COLORS["legacy"],
            label=text("legacy_advances", lang),
            gid="legacy",
        )
        ax.bar(
            years,
            new / scale,
            0.6,
            bottom=legacy / scale,
            color=COLORS["new"],
            label=text("new_advances", lang),
            gid="new",
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


def monthly_cash(result, year: int | None = None, ax=None, *, lang=None, draw: int = 0):
    """Month-end 库款保障水平 against its bands; wage-arrears risk months flagged.

    Bands from the parameters ``rules.cash_alarm_level``, ``cash_low_level`` and
    ``cash_idle_level`` (alarm / low / normal / idle, model.md §6). A red cross and a
    dated note mark each month whose payroll the cash could not cover (OPS.4.3.3).
    ``year`` restricts the chart to one year; by default all projection years are shown.
    """
    lang = _lang(lang)
    years = _years(result)
    level = _months(result, "cash_level", draw).astype(float)
    risk = wage_risk_months(result, draw)
    if year is not None:
        if int(year) not in years:
            raise ValueError(f"year {year} is outside the projection years {years[0]}–{years[-1]}")
        keep = years == int(year)
        years, level, risk = years[keep], level[keep], risk[keep]
    month_years = np.repeat(years, 12)
    month_numbers = np.tile(np.arange(1, 13), len(years))
    level, risk = level.ravel(), risk.ravel()
    positions = np.arange(level.size)
    limits = [_ratio_value(result, f"rules.cash_{name}_level") for name in ("alarm", "low", "idle")]
    alarm, low, idle = limits
    top = max(float(np.nanmax(level, initial=0.0)) * 1.1, idle * 1.5)
    bottom = min(float(np.nanmin(level, initial=0.0)) * 1.1, 0.0)
    edges = (bottom, alarm, low, idle, top)
    with fonts.font_context(lang):
        ax = _new_axes(ax, size=(10.0, 4.8))
        for (name, colour), lower, upper in zip(_BANDS, edges[:-1], edges[1:], strict=True):
            ax.axhspan(
                lower,
                upper,
                color=colour,
                alpha=0.18,
                lw=0,
                label=text(f"band.{name}", lang),
                gid=f"band_{name}",
            )
        (line,) = ax.plot(
            positions,
            level,
            color="#1f3b57",
            marker="o",
            markersize=3,
            label=text("cash_level", lang),
        )
        line.set_gid("cash_level")
        if risk.any():
            marks = ax.scatter(
                positions[risk],
                level[risk],
                marker="X",
                s=80,
                zorder=5,
                color=COLORS["shortfall"],
                label=text("wage_risk", lang),
            )
            marks.set_gid("wage_risk")
            for position, value in zip(positions[risk], level[risk], strict=True):
                ax.annotate(
                    f"{month_years[position]}-{month_numbers[position]:02d}",
                    (position, value),
                    xytext=(0, -14),
                    textcoords="offset points",
                    ha="center",
                    color=COLORS["shortfall"],
                    fontsize="x-small",
                )
        if len(years) == 1:
            labels = [_month_label(month, lang) for month in range(1, 13)]
            ax.set_xticks(positions, labels)
            ax.set_xlabel(str(years[0]))
        else:
            ax.set_xticks(positions[::12], [str(year) for year in years])
            ax.set_xticks(positions, minor=True)
            ax.set_xlabel(text("axis.year", lang))
        ax.set_xlim(-0.5, positions[-1] + 0.5)
        ax.set_ylim(bottom, top)
        ax.set_ylabel(text("axis.cash_level", lang))
        _finish(ax, lang, text("title.cash", lang), result)
    return ax


def _month_label(month: int, lang: str) -> str:
    return text("axis.month_tick", lang, month=month, month_name=_MONTH_NAMES[month - 1])


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


def _indicator(result, name: str, draw: int) -> np.ndarray:
    """An indicator by year: from ``annual`` when stored there, else ``indicators()``."""
    if _has_annual(result, name):
        return _annual(result, name, draw)
    frame = result.indicators(draw=draw)
    return frame.loc[list(_years(result)), name].to_numpy(dtype=float)


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
        ax.bar(
            years,
            general / scale,
            0.6,
            color=COLORS["general_debt"],
            label=text("general_debt", lang),
            gid="general_debt",
        )
        ax.bar(
            years,
            special / scale,
            0.6,
            bottom=general / scale,
            color=COLORS["special_debt"],
            label=text("special_debt", lang),
            gid="special_debt",
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


def indicator_kind(name: str) -> str:
    """``ratio``, ``months``, ``persons`` or ``money`` (万元) for an indicator name."""
    if name in _RATIO_NAMES or name.endswith("_ratio"):
        return "ratio"
    return _KIND_BY_NAME.get(name, "money")


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


CHARTS: dict[str, Callable] = {
    "resources": resources_uses,
    "waterfall": waterfall,
    "advances": advances,
    "cash": monthly_cash,
    "revenue": revenue_mix,
    "debt": debt,
}
"""Charts of one projection, by the name the CLI uses (``fiscal-sim chart NAME``)."""

CHART_NAMES = (*CHARTS, "compare")
"""Every chart name, the scenario comparison last (it takes several projections)."""

SAVE_FORMATS = ("png", "svg", "pdf")


def chart(name: str, result, *, lang=None, **options):
    """Draw the chart ``name`` of one projection on a new figure; return the Axes.

    Examples
    --------
    >>> import fiscal_sim
    >>> ax = chart("debt", fiscal_sim.project(fiscal_sim.load_scenario()), lang="zh")
    >>> ax.get_title().startswith("政府债务")
    True
    """
    if name not in CHARTS:
        raise ValueError(f"unknown chart {name!r}; choose one of {', '.join(CHART_NAMES)}")
    return CHARTS[name](result, lang=lang, **options)


def save_figure(figure, path: str | Path, *, dpi: int = 150) -> Path:
    """Save a figure (or the figure of an Axes) as PNG, SVG or PDF by the suffix, atomically."""
    from fiscal_sim.outputs import write_atomic

    figure = getattr(figure, "figure", figure)
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in SAVE_FORMATS:
        raise ValueError(f"chart files end in .png, .svg or .pdf, got {path.name!r}")
    metadata = {"png": {"Software": "fiscal_sim"}, "svg": {"Date": None}, "pdf": {}}[fmt]
    return write_atomic(
        path, lambda temporary: figure.savefig(temporary, format=fmt, dpi=dpi, metadata=metadata)
    )


def figure_bytes(figure, fmt: str = "png", *, dpi: int = 110) -> bytes:
    """The figure rendered in memory (for reports that embed charts)."""
    import io

    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, dpi=dpi, metadata={"Software": None} if fmt == "png" else {})
    return buffer.getvalue()


def close(ax_or_figure) -> None:
    """Release a figure made by this module (and forget it in pyplot if it was made there)."""
    figure = getattr(ax_or_figure, "figure", ax_or_figure)
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None and pyplot.fignum_exists(getattr(figure, "number", -1)):
        pyplot.close(figure)
    figure.clear()
