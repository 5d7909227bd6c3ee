"""How results present themselves: the text and HTML views of a projection and a comparison.

A view is built once, as formatted cells (:class:`View`, :class:`Table`), and then written
out as text (``str(result)``) or as HTML (``result._repr_html_()``, what Jupyter shows), so the
two always show the same indicators and findings. The HTML view adds one small chart (a
base64 PNG drawn by :mod:`fiscal_sim.plots`; matplotlib is imported only then). Every piece
of text in HTML is escaped: scenario titles come from user files.

Also here: :class:`PlotAccessor`, behind ``projection.plot`` (``projection.plot.advances()``
forwards to :func:`fiscal_sim.plots.advances`).

The language follows :func:`fiscal_sim.labels.set_lang` unless ``lang`` is given.

Examples
--------
>>> import fiscal_sim
>>> result = fiscal_sim.project(fiscal_sim.load_scenario())
>>> print(projection_text(result, lang="en").splitlines()[1])
Rule check: 2 breaches, 0 warnings (rules breached: advance_cap)
>>> "<table" in projection_html(result, chart=False)
True
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from fiscal_sim.labels import INDICATORS, get_lang, label
from fiscal_sim.outputs import display_width

KEY_INDICATORS = (
    "own_revenue",
    "gpb_expenditure",
    "self_sufficiency",
    "sanbao_shortfall",
    "advance_balance",
    "advance_ratio",
    "legacy_advances",
    "cash_cover_min_months",
    "debt_ratio",
    "headcount",
    "stabilization_fund",
)
"""The indicators a projection and a comparison show, in this order (all in ``indicators()``)."""

MAX_FINDING_ROWS = 20
"""Breach and warning rows shown at most; the rest are counted (``check(p)`` has them all)."""

# The chart that explains a breach of each rule (the first breach picks the chart).
CHART_FOR_RULE = {
    "wages_funded": "waterfall",
    "livelihood_funded": "waterfall",
    "operations_funded": "waterfall",
    "advance_cap": "advances",
    "advance_term": "advances",
    "advance_no_gap_cover": "advances",
    "legacy_cleared": "advances",
    "wage_account_covered": "cash",
    "treasury_cash_level": "cash",
    "debt_ratio": "debt",
}
DEFAULT_CHART = "resources"
CHART_SIZE = (6.4, 3.6)  # inches; small enough to sit under the tables
CHART_DPI = 80

_WORDS: dict[str, tuple[str, str]] = {
    "projection": ("预测", "Projection"),
    "comparison": ("情景比较", "Scenario comparison"),
    "draws": ("显示第{draw}次模拟（共{draws}次）", "draw {draw} of {draws} shown"),
    "findings": ("违规与预警", "Breaches and warnings"),
    "findings.more": ("另有{count}行未显示", "{count} more rows not shown"),
    "indicators": ("主要指标", "Key indicators"),
    "rules_breached": ("违规规则及年份", "Rules breached, by year"),
    "none": ("（无）", "(none)"),
    "charts": (
        "图表：{owner}.plot.{names}()",
        "Charts: {owner}.plot.{names}()",
    ),
    "compare_chart": ("图表：{owner}.plot(指标名)", "Chart: {owner}.plot(indicator)"),
    "differences": (
        "差异（相对于{first}）见 .to_frame()",
        "Differences against {first}: .to_frame()",
    ),
    "severity": ("状态", "severity"),
    "rule": ("规则", "rule"),
    "clause": ("条款", "clause"),
    "year": ("年度", "year"),
    "month": ("月", "month"),
    "value": ("数值", "value"),
    "threshold": ("阈值", "threshold"),
    "margin": ("余量", "margin"),
    "message": ("说明", "message"),
    "indicator": ("指标", "indicator"),
    "unit": ("单位", "unit"),
    "scenario": ("情景", "scenario"),
    "breach": ("违规", "breach"),
    "warning": ("预警", "warning"),
    "ok": ("满足", "ok"),
    "unit.wan_yuan": ("万元", "万元"),
    "unit.fraction": ("%", "%"),
    "unit.months": ("月", "months"),
    "unit.persons": ("人", "persons"),
}


def word(key: str, lang: str, **fields) -> str:
    """A display word in ``lang``, with ``fields`` filled in.

    Examples
    --------
    >>> word("indicators", "zh"), word("findings.more", "en", count=3)
    ('主要指标', '3 more rows not shown')
    """
    text = _WORDS[key][0 if lang == "zh" else 1]
    return text.format(**fields) if fields else text


def _lang(lang: str | None) -> str:
    return get_lang() if lang is None else lang


# --- cells ------------------------------------------------------------------------------------
def format_indicator(name: str, value) -> str:
    """An indicator's value as the displays show it, by the indicator's unit.

    Examples
    --------
    >>> format_indicator("advance_ratio", 0.0771), format_indicator("own_revenue", 28512.4)
    ('7.7%', '28,512')
    >>> format_indicator("cash_cover_min_months", 0.718), format_indicator("headcount", 4975.2)
    ('0.72', '4,975')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    value = float(value)
    unit = INDICATORS[name][2] if name in INDICATORS else "wan_yuan"
    if unit == "fraction":
        return f"{value:.1%}"
    if unit == "months":
        return f"{value:.2f}"
    if abs(value) < 0.5:  # rounding noise and -0 show as zero
        value = 0.0
    return f"{value:,.0f}"


def unit_word(name: str, lang: str) -> str:
    """The unit of an indicator in ``lang`` (万元, %, months, persons)."""
    unit = INDICATORS[name][2] if name in INDICATORS else "wan_yuan"
    return word(f"unit.{unit}", lang)


def scenario_title(scenario, lang: str) -> str:
    """A scenario's title in ``lang`` (its name when it has none)."""
    title = getattr(scenario, "title", None)
    if isinstance(title, dict):
        title = title.get(lang) or title.get("zh") or title.get("en")
    return str(title or getattr(scenario, "name", ""))


# --- the view ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Table:
    """A titled table of formatted cells; ``numeric`` marks right-aligned columns."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]
    note: str = ""
    severity: tuple[str, ...] = ()  # per row, for colouring breaches in HTML


@dataclass(frozen=True)
class View:
    """What a result shows: a title, headline lines, tables, and (HTML only) a chart."""

    title: str
    lines: tuple[str, ...]
    tables: tuple[Table, ...]
    footer: tuple[str, ...] = ()
    chart: Callable | None = field(default=None, compare=False)


def findings_table(findings, lang: str, max_rows: int = MAX_FINDING_ROWS) -> Table:
    """Breach and warning rows of ``findings`` (breaches first), each with its clause."""
    from fiscal_sim.rules.findings import format_value

    frame = findings.to_frame()
    flagged = frame[frame["severity"] != "ok"]
    shown = flagged.head(max_rows)
    rows = []
    for record in shown.to_dict("records"):
        month = record["month"]
        rows.append(
            (
                word(record["severity"], lang),
                record["rule"],
                record["clause"],
                str(int(record["year"])),
                _month_text(month),
                format_value(record["value"], record["unit"]),
                format_value(record["threshold"], record["unit"]),
                format_value(record["margin"], record["unit"]),
                str(record[f"message_{lang}"]),
            )
        )
    columns = ("severity", "rule", "clause", "year", "month", "value", "threshold", "margin")
    header = tuple(word(column, lang) for column in (*columns, "message"))
    numeric = (False, False, False, True, True, True, True, True, False)
    more = len(flagged) - len(shown)
    return Table(
        title=word("findings", lang),
        header=header,
        rows=tuple(rows),
        numeric=numeric,
        note=word("findings.more", lang, count=more) if more > 0 else "",
        severity=tuple(shown["severity"]),
    )


def _month_text(month) -> str:
    import pandas as pd

    return "" if month is None or pd.isna(month) else str(int(month))


def indicator_table(indicators, lang: str, names=KEY_INDICATORS) -> Table:
    """Key indicators: one row per indicator (with its unit), one column per year."""
    years = [int(year) for year in indicators.index]
    rows = tuple(
        (
            label(name, lang),
            unit_word(name, lang),
            *(format_indicator(name, value) for value in indicators[name]),
        )
        for name in names
    )
    header = (word("indicator", lang), word("unit", lang), *map(str, years))
    return Table(
        title=word("indicators", lang),
        header=header,
        rows=rows,
        numeric=(False, False, *(True for _ in years)),
    )


def chart_for(findings) -> str:
    """The chart that explains the first breach (``resources`` when nothing is breached)."""
    frame = findings.to_frame()
    breached = frame.loc[frame["severity"] == "breach", "rule"]
    for rule_id in breached:
        if rule_id in CHART_FOR_RULE:
            return CHART_FOR_RULE[rule_id]
    return DEFAULT_CHART


def projection_view(projection, lang: str | None = None, draw: int = 0, findings=None) -> View:
    """The view of one projection: findings headline, breaches and warnings, key indicators."""
    from fiscal_sim.rules import check

    lang = _lang(lang)
    if findings is None:
        findings = check(projection, draw=draw)
    scenario = projection.scenario
    years = list(scenario.years)
    about = f"{scenario.name} [{scenario.hash}], {years[0]}–{years[-1]}"
    if projection.draws > 1:
        about += ", " + word("draws", lang, draw=draw, draws=projection.draws)
    title = f"{word('projection', lang)}：" if lang == "zh" else f"{word('projection', lang)}: "
    chart_name = chart_for(findings)
    charts = ", ".join(("resources", "waterfall", "advances", "cash", "revenue", "debt"))
    return View(
        title=f"{title}{scenario_title(scenario, lang)} — {about}",
        lines=(findings.headline(lang),),
        tables=(findings_table(findings, lang), indicator_table(projection.indicators(draw), lang)),
        footer=(word("charts", lang, owner="projection", names="{" + charts + "}"),),
        chart=lambda: _draw(chart_name, projection, lang, draw),
    )


def _draw(name: str, projection, lang: str, draw: int):
    from fiscal_sim import plots

    return plots.chart(name, projection, lang=lang, draw=draw)


# --- text -------------------------------------------------------------------------------------
def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * max(width - display_width(text), 0)
    return gap + text if right else text + gap


def table_text(table: Table, lang: str) -> str:
    """A table as aligned text (Chinese characters count two columns)."""
    lines = [table.title]
    if not table.rows:
        lines.append(word("none", lang))
    else:
        columns = list(zip(table.header, *table.rows, strict=True))
        widths = [max(display_width(cell) for cell in column) for column in columns]
        for cells in (table.header, *table.rows):
            padded = [
                _pad(cell, width, right)
                for cell, width, right in zip(cells, widths, table.numeric, strict=True)
            ]
            lines.append("  ".join(padded).rstrip())
    if table.note:
        lines.append(table.note)
    return "\n".join(lines)


def view_text(view: View, lang: str) -> str:
    """The whole view as text: title, headline, each table, footer."""
    parts = ["\n".join((view.title, *view.lines))]
    parts += [table_text(table, lang) for table in view.tables]
    if view.footer:
        parts.append("\n".join(view.footer))
    return "\n\n".join(parts)


# --- HTML -------------------------------------------------------------------------------------
_SEVERITY_STYLE = {"breach": "color:#b03a2e;font-weight:bold", "warning": "color:#b9770e"}
_NUMERIC_STYLE = "text-align:right;white-space:nowrap"


def _esc(text) -> str:
    return html.escape(str(text), quote=True)


def table_html(table: Table, lang: str) -> str:
    """A table as HTML; every cell escaped, numbers right-aligned, breaches in red."""
    parts = [f"<h4>{_esc(table.title)}</h4>"]
    if not table.rows:
        parts.append(f"<p>{_esc(word('none', lang))}</p>")
    else:
        head = "".join(
            f'<th style="{_NUMERIC_STYLE if right else "text-align:left"}">{_esc(cell)}</th>'
            for cell, right in zip(table.header, table.numeric, strict=True)
        )
        body = []
        for index, cells in enumerate(table.rows):
            severity = table.severity[index] if table.severity else ""
            row_style = _SEVERITY_STYLE.get(severity, "")
            tds = "".join(
                f'<td style="{_NUMERIC_STYLE if right else "text-align:left"}">{_esc(cell)}</td>'
                for cell, right in zip(cells, table.numeric, strict=True)
            )
            style = f' style="{row_style}"' if row_style else ""
            css = f' class="{_esc(severity)}"' if severity else ""
            body.append(f"<tr{css}{style}>{tds}</tr>")
        parts.append(
            f'<table class="fiscal-sim"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>"
        )
    if table.note:
        parts.append(f"<p><em>{_esc(table.note)}</em></p>")
    return "\n".join(parts)


def chart_png(draw_chart: Callable) -> bytes:
    """Draw a chart (a callable returning its Axes) small, as PNG bytes; free the figure."""
    from fiscal_sim import plots

    ax = draw_chart()
    try:
        ax.figure.set_size_inches(*CHART_SIZE)
        return plots.figure_bytes(ax.figure, "png", dpi=CHART_DPI)
    finally:
        plots.close(ax)


def chart_html(draw_chart: Callable) -> str:
    """An ``<img>`` with the chart inline (base64 PNG), or nothing without matplotlib."""
    try:
        png = chart_png(draw_chart)
    except ImportError:  # matplotlib is optional for reading results
        return ""
    encoded = base64.b64encode(png).decode("ascii")
    return f'<img alt="chart" src="data:image/png;base64,{encoded}">'


def view_html(view: View, lang: str, chart: bool = True) -> str:
    """The whole view as an HTML fragment for Jupyter."""
    parts = [f"<p><strong>{_esc(view.title)}</strong></p>"]
    parts += [f"<p>{_esc(line)}</p>" for line in view.lines]
    parts += [table_html(table, lang) for table in view.tables]
    if chart and view.chart is not None:
        parts.append(chart_html(view.chart))
    parts += [f"<p><code>{_esc(line)}</code></p>" for line in view.footer]
    return '<div class="fiscal-sim">\n' + "\n".join(parts) + "\n</div>"


# --- entry points -----------------------------------------------------------------------------
def projection_text(projection, lang: str | None = None, draw: int = 0) -> str:
    """The text view of a projection (what ``str(projection)`` prints)."""
    lang = _lang(lang)
    return view_text(projection_view(projection, lang, draw), lang)


def projection_html(projection, lang: str | None = None, draw: int = 0, chart: bool = True) -> str:
    """The HTML view of a projection (what Jupyter shows); same tables as the text."""
    lang = _lang(lang)
    return view_html(projection_view(projection, lang, draw), lang, chart=chart)


def comparison_view(comparison, lang: str | None = None) -> View:
    """The :class:`View` of a :class:`~fiscal_sim.comparison.Comparison` (text and HTML).

    The rules breached in any scenario with the years, then the key indicators of each
    scenario by year; the chart is :meth:`Comparison.plot` of its default indicator.
    """
    lang = lang or get_lang()
    first = comparison.names[0]
    lines = []
    for name, projection in comparison.projections.items():
        scenario = projection.scenario
        headline = comparison.findings[name].headline(lang)
        title = scenario_title(scenario, lang)
        lines.append(f"{name} [{scenario.hash}] {title} — {headline}")
    breaches = comparison.breach_years()
    rules_table = Table(
        title=word("rules_breached", lang),
        header=(word("rule", lang), word("clause", lang), *comparison.names),
        rows=tuple(
            (rule_id, row["clause"], *(row[name] or "–" for name in comparison.names))
            for rule_id, row in breaches.iterrows()
        ),
        numeric=(False, False, *(False for _ in comparison.names)),
    )
    frames = {name: comparison.indicators(name) for name in comparison.names}
    years = sorted({int(year) for frame in frames.values() for year in frame.index})
    rows = []
    for indicator in KEY_INDICATORS:
        for name, frame in frames.items():
            series = frame[indicator].reindex(years)
            rows.append(
                (
                    label(indicator, lang),
                    unit_word(indicator, lang),
                    name,
                    *(format_indicator(indicator, value) for value in series),
                )
            )
    indicator_table = Table(
        title=word("indicators", lang),
        header=(
            word("indicator", lang),
            word("unit", lang),
            word("scenario", lang),
            *map(str, years),
        ),
        rows=tuple(rows),
        numeric=(False, False, False, *(True for _ in years)),
        note=word("differences", lang, first=first) if len(comparison.names) > 1 else "",
    )
    title = (
        word("comparison", lang) + ("：" if lang == "zh" else ": ") + ", ".join(comparison.names)
    )
    return View(
        title=title,
        lines=tuple(lines),
        tables=(rules_table, indicator_table),
        footer=(word("compare_chart", lang, owner="comparison"),),
        chart=lambda: comparison.plot(lang=lang),
    )


def comparison_text(comparison, lang: str | None = None) -> str:
    """The text view of a :class:`~fiscal_sim.comparison.Comparison`."""
    lang = _lang(lang)
    return view_text(comparison.view(lang), lang)


def comparison_html(comparison, lang: str | None = None, chart: bool = True) -> str:
    """The HTML view of a :class:`~fiscal_sim.comparison.Comparison`."""
    lang = _lang(lang)
    return view_html(comparison.view(lang), lang, chart=chart)


# --- projection.plot --------------------------------------------------------------------------
class PlotAccessor:
    """``projection.plot``: the charts of :mod:`fiscal_sim.plots` for one projection.

    ``projection.plot.advances()`` is ``fiscal_sim.plots.advances(projection)``; the short
    names of ``fiscal-sim chart`` work too (``projection.plot.cash()``), and
    ``projection.plot("debt")`` draws a chart by name. Each returns the matplotlib Axes.
    """

    def __init__(self, projection):
        self._projection = projection

    @staticmethod
    def _functions() -> dict[str, Callable]:
        from fiscal_sim import plots

        functions = {function.__name__: function for function in plots.CHARTS.values()}
        return {**plots.CHARTS, **functions}

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        functions = self._functions()
        if name not in functions:
            known = ", ".join(sorted(functions))
            raise AttributeError(f"no chart {name!r}; charts are: {known}")
        function = functions[name]
        projection = self._projection

        def draw(*args, **options):
            return function(projection, *args, **options)

        draw.__name__ = name
        draw.__doc__ = function.__doc__
        return draw

    def __call__(self, name: str = DEFAULT_CHART, **options):
        return getattr(self, name)(**options)

    def __dir__(self):
        return sorted(self._functions())

    def __repr__(self) -> str:
        return f"<plot accessor: {', '.join(sorted(self._functions()))}>"
