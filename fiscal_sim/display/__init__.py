"""How results present themselves: the text and HTML views of a projection and a comparison.

A view is built once, as formatted cells (:class:`View`, :class:`Table`), and then written
out as text (``str(result)``) or as HTML (``result._repr_html_()``, what Jupyter shows), so the
two always show the same indicators and findings. The HTML view adds one small chart (a
base64 PNG drawn by :mod:`fiscal_sim.plots`; matplotlib is imported only then). Every piece
of text in HTML is escaped: scenario titles come from user files.

The package: :mod:`~fiscal_sim.display.cells` (words, formatted numbers, :class:`Table`,
:class:`View`, the findings and indicator tables), :mod:`~fiscal_sim.display.render` (a view as
text or HTML); here, the views of a projection and a comparison and the entry points. Also
here: :class:`PlotAccessor`, behind ``projection.plot`` (``projection.plot.advances()``
forwards to :func:`fiscal_sim.plots.advances`).

The language follows :func:`fiscal_sim.labels.set_lang` unless ``lang`` is given.

Examples
--------
>>> import fiscal_sim
>>> result = fiscal_sim.project(fiscal_sim.load_scenario())
>>> print(projection_text(result, lang="en").splitlines()[1])
Rule check: 14 breaches, 7 warnings (rules breached: non_rigid_cut, three_public_cut, advance_cap)
>>> "<table" in projection_html(result, chart=False)
True
"""

from __future__ import annotations

from collections.abc import Callable

from fiscal_sim.display.cells import (
    KEY_INDICATORS,
    MAX_FINDING_ROWS,
    Table,
    View,
    _lang,
    findings_table,
    format_indicator,
    indicator_table,
    scenario_title,
    unit_word,
    word,
)
from fiscal_sim.display.render import (
    chart_html,
    chart_png,
    table_html,
    table_text,
    view_html,
    view_text,
)
from fiscal_sim.labels import get_lang, label

__all__ = [
    "KEY_INDICATORS",
    "MAX_FINDING_ROWS",
    "PlotAccessor",
    "Table",
    "View",
    "chart_for",
    "chart_html",
    "chart_png",
    "comparison_html",
    "comparison_text",
    "comparison_view",
    "findings_table",
    "format_indicator",
    "indicator_table",
    "projection_html",
    "projection_text",
    "projection_view",
    "scenario_title",
    "table_html",
    "table_text",
    "unit_word",
    "view_html",
    "view_text",
    "word",
]

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
