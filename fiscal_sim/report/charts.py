"""The report's charts by name, and children that draw them ahead while the command goes on.

Nothing here imports matplotlib or pandas: each chart's ``draw()`` imports
:mod:`fiscal_sim.plots` when it is called. So ``fiscal-sim report`` forks the child that
draws the charts of the projection (:func:`charts_ahead`) as soon as it has the projection
and matplotlib, before pandas: the child draws while this process loads pandas and runs the
Monte Carlo, and a second child, forked once the run is done, draws its charts
(:func:`ensemble_charts_ahead`) while this process builds the tables; then this process
draws those charts no child has taken yet (:class:`~fiscal_sim.report.rendering.ChartsAhead`).
Where no child can be forked the page draws every chart itself, and it is the same page,
byte for byte.
"""

from __future__ import annotations

import functools

from fiscal_sim.labels import resolve_lang

# The charts of the projection itself, as the report draws them (an ensemble adds its own).
PROJECTION_CHARTS = ("waterfall", "resources", "advances", "cash", "debt", "revenue")
FAN_INDICATORS = ("cash_cover_min_months", "debt_ratio", "stabilization_fund")
"""The fan charts of the report: payment risk (the lowest month's cash cover, OPS.4.3.3), the
debt ratio (OPS.4.4.2, the rule whose breach is most often uncertain) and the stabilization
fund, the buffer that absorbs the shocks. The 三保 shortfall is in the probability table."""


def _chart(name: str, projection, lang: str, draw: int):
    from fiscal_sim import plots

    return plots.chart(name, projection, lang=lang, draw=draw)


def _breach_heatmap(ensemble, lang: str):
    from fiscal_sim.plots.uncertainty import breach_heatmap

    return breach_heatmap(ensemble, lang=lang)


def _fan_chart(ensemble, name: str, lang: str):
    from fiscal_sim.plots.uncertainty import fan_chart

    return fan_chart(ensemble, name, lang=lang)


def projection_charts(projection, lang: str, draw: int = 0) -> dict:
    """``{name: draw()}`` of the report's charts of the projection (:data:`PROJECTION_CHARTS`)."""
    return {
        name: functools.partial(_chart, name, projection, lang, draw) for name in PROJECTION_CHARTS
    }


def ensemble_charts(ensemble, lang: str) -> dict:
    """``{name: draw()}`` of the report's charts of a Monte Carlo run: the breach heat map and
    a fan chart of each of :data:`FAN_INDICATORS`."""
    charts = {"breach-heatmap": functools.partial(_breach_heatmap, ensemble, lang)}
    for name in FAN_INDICATORS:
        charts[f"fan-{name}"] = functools.partial(_fan_chart, ensemble, name, lang)
    return charts


def charts_ahead(projection, lang: str | None = None, draw: int = 0, *, fork: bool | None = None):
    """Start drawing the report's charts of ``projection`` in a forked child while this
    process goes on (its Monte Carlo run, its goal-seek): a
    :class:`~fiscal_sim.report.rendering.ChartsAhead` for ``html_report(..., ahead=...)`` of
    the same projection, language and draw. Where no child can be forked (or ``fork`` is
    False) it draws nothing and the report draws every chart itself."""
    from fiscal_sim.report.rendering import ChartsAhead

    lang = resolve_lang(lang)
    draws = projection_charts(projection, lang, draw)
    return ChartsAhead(draws, key=("projection", projection, lang, draw), fork=fork)


def ensemble_charts_ahead(ensemble, lang: str | None = None, *, fork: bool | None = None):
    """As :func:`charts_ahead`, for the charts of ``ensemble`` (:func:`ensemble_charts`): for
    ``html_report(..., ensemble=ensemble, ahead=[...])`` in the same language."""
    from fiscal_sim.report.rendering import ChartsAhead

    lang = resolve_lang(lang)
    return ChartsAhead(ensemble_charts(ensemble, lang), key=("ensemble", ensemble, lang), fork=fork)
