"""What every budget chart shares: words, colours, money units, reading a projection, a new
Axes and the finishing touches (title, fonts, legend)."""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ticker import FuncFormatter

from fiscal_sim import fonts, labels
from fiscal_sim.params.schema import TIERS
from fiscal_sim.plots.layout import OneAxesLayout

LANGS = ("zh", "en")
SANBAO_TIERS = 3  # tiers 1-3 (wages, livelihood, operations) are the 三保 (model.md §3)
WAN_PER_YI = 1e4  # 1 亿元 = 10,000 万元

# Words only charts use: titles, axis names, legend entries of derived series and lines that
# fiscal_sim.labels does not name. Indicators, tiers, cash classes come from fiscal_sim.labels.
_TEXT: dict[str, tuple[str, str]] = {
    # chart titles
    "title.resources": (
        "一般公共预算：可用财力与支出安排（不含专项）",
        "General public budget: resources and allocations (earmarked aside)",
    ),
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
    "gpb_resources": ("可用财力", "Resources"),
    "allocated": ("各层级已安排支出", "Allocated to tiers 1–8"),
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


# ---------------------------------------------------------------------------------------------
# labels and units


def _lang(lang: str | None) -> str:
    return labels.resolve_lang(lang)


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
    title = str(title or meta.get("scenario") or "")
    changes = labels.describe_changes(meta.get("overrides"), lang)
    if changes:  # the title names a scenario: say what was changed in it
        title += f"，{changes}" if lang == "zh" else f", {changes}"
    return title


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
    return TIERS


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


# ---------------------------------------------------------------------------------------------
# drawing


def _new_axes(ax, size=(8.0, 4.8)):
    """A new Axes on a bare Figure, or on a pyplot figure when the user works with pyplot.

    The command line and the reports never import pyplot, so they keep no global state; in
    Jupyter (``%matplotlib inline`` imports pyplot) the chart then shows below the cell.
    """
    if ax is not None:
        return ax
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        return pyplot.figure(figsize=size, layout=OneAxesLayout()).add_subplot()
    return Figure(figsize=size, layout=OneAxesLayout()).add_subplot()


TITLE_Y = 1.0
"""Where a title sits, in Axes fraction: on top of the Axes. Given, matplotlib does not measure
every tick label again at each draw to see whether the title must move up, which it would
only do for ticks above the Axes or an offset text; no chart has either."""

_SUBTITLE_SIZE = "small"
_TITLE_GAP = 4.0  # points between the axes and the scenario line, and between the two lines


def _finish(ax, lang: str, title: str, result=None, *, legend_axes=()) -> None:
    """Title (the scenario's title on its own smaller line below it), fonts and legend.

    Both lines are wrapped to the width the chart has, so that no title runs off the figure.
    """
    scenario = _scenario_title(result, lang) if result is not None else ""
    width = _title_width(ax)
    if scenario:
        size = FontProperties(size=_SUBTITLE_SIZE).get_size_in_points()
        subtitle = _wrap(scenario, width, size)
        ax.annotate(
            subtitle,
            (0.5, 1.0),
            xycoords="axes fraction",
            xytext=(0, _TITLE_GAP),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=_SUBTITLE_SIZE,
            color="#444444",
            gid="scenario_title",
        )
        lines = subtitle.count("\n") + 1
        ax.set_title(
            _wrap(title, width, _title_size()),
            pad=2 * _TITLE_GAP + lines * size * 1.2,
            y=TITLE_Y,
        )
    else:
        ax.set_title(_wrap(title, width, _title_size()), y=TITLE_Y)
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


def _title_size() -> float:
    from matplotlib import rcParams

    return FontProperties(size=rcParams["axes.titlesize"]).get_size_in_points()


def _title_width(ax) -> float:
    """Points a title line may take: the figure's width for a chart that fills its figure,
    else the width of its Axes."""
    figure_width = ax.figure.get_figwidth() * 72.0
    share = ax.get_position().width
    return 0.94 * figure_width if share > 0.6 else share * figure_width


def _wrap(line: str, width: float, size: float) -> str:
    """``line`` broken into lines of at most ``width`` points at font ``size``.

    A wide (Chinese) character takes about one em, anything else about 0.55 em; English
    breaks between words, Chinese between characters (punctuation stays with the character
    before it, opening punctuation with the one after it).

    Examples
    --------
    >>> print(_wrap("Plan followed: the 2020 shock with every requirement", 180, 10))
    Plan followed: the 2020 shock
    with every requirement
    >>> print(_wrap("按方案执行（全部）", 60, 10))
    按方案执行
    （全部）
    """
    lines: list[str] = []
    current = ""
    for piece in _BREAKABLE.findall(line):
        candidate = current + piece
        if current.strip() and _ems(candidate.rstrip()) * size > width:
            lines.append(current.rstrip())
            current = piece.lstrip()
        else:
            current = candidate
    lines.append(current.rstrip())
    return "\n".join(lines)


_WIDE = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_BREAKABLE = re.compile(f"[（《「“]*[{_WIDE}][）」》”，。、：；]*\\s*|[^{_WIDE}\\s]+\\s*|\\s+")
"""The pieces a line breaks between: a Chinese character (with closing punctuation), a word."""


def _ems(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(char) in "WF" else 0.55 for char in text)


def _year_axis(ax, years, lang: str) -> None:
    ax.set_xticks(years, [str(year) for year in years])
    ax.set_xlabel(text("axis.year", lang))


def _indicator(result, name: str, draw: int) -> np.ndarray:
    """An indicator by year: from ``annual`` when stored there, else ``indicators()``."""
    if _has_annual(result, name):
        return _annual(result, name, draw)
    frame = result.indicators(draw=draw)
    return frame.loc[list(_years(result)), name].to_numpy(dtype=float)


def indicator_kind(name: str) -> str:
    """``ratio``, ``months``, ``persons`` or ``money`` (万元) for an indicator name."""
    if name in _RATIO_NAMES or name.endswith("_ratio"):
        return "ratio"
    return _KIND_BY_NAME.get(name, "money")


def _stacked_bars(ax, x, layers, scale: float, lang: str, width: float = 0.6) -> None:
    """Bars stacked bottom-up; each layer is ``(gid, colour key, label key, values)``."""
    bottom = np.zeros(len(x))
    for gid, colour, label_key, values in layers:
        ax.bar(
            x,
            values / scale,
            width,
            bottom=bottom,
            color=COLORS[colour],
            label=text(label_key, lang),
            gid=gid,
        )
        bottom = bottom + values / scale


def _shortfall_bars(ax, x, shortfall, bottom, scale: float, lang: str, width: float) -> None:
    """Unfunded need as red-hatched bars on top of what was funded (gid ``shortfall``)."""
    ax.bar(
        x,
        shortfall / scale,
        width,
        bottom=bottom / scale,
        color="white",
        edgecolor=COLORS["shortfall"],
        linewidth=np.where(shortfall > 0, 1.0, 0.0),  # no red rim on a zero gap
        hatch="///",
        label=text("shortfall", lang),
        gid="shortfall",
    )
