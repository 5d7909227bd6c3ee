"""The charts' layout (fiscal_sim/plots/layout.py): measured once, nothing cut off, no margin
wasted, and constrained layout for any figure that is not one plotting area."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from fiscal_sim import plots
from fiscal_sim.plots import layout
from fiscal_sim.plots.layout import EDGE_PAD_INCHES, OneAxesLayout
from fiscal_sim.plots.uncertainty import fan_chart
from fiscal_sim.report.charts import FAN_INDICATORS

DPI = 110


@functools.cache
def _projection(name):
    import fiscal_sim

    return fiscal_sim.project(fiscal_sim.load_scenario(name))


@functools.cache
def _ensemble():
    import fiscal_sim

    return fiscal_sim.simulate(fiscal_sim.load_scenario(), draws=256, seed=5)


def _drawn(ax):
    """The figure drawn at the report's resolution, its renderer and its pixels."""
    figure = ax.figure
    figure.dpi = DPI
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    return figure, canvas.get_renderer(), np.asarray(canvas.buffer_rgba())


CHARTS = [
    *[
        (name, scenario, lang)
        for name in plots.CHARTS
        for scenario in ("plan-followed", "covid-2020")
        for lang in ("zh", "en")
    ],
    *[(f"fan:{name}", "plan-followed", lang) for name in FAN_INDICATORS for lang in ("zh", "en")],
]


def _chart(name, scenario, lang):
    if name.startswith("fan:"):
        return fan_chart(_ensemble(), name.removeprefix("fan:"), lang=lang)
    return plots.chart(name, _projection(scenario), lang=lang)


@pytest.mark.parametrize(("name", "scenario", "lang"), CHARTS)
def test_every_label_is_inside_the_figure_and_the_margins_are_what_labels_need(
    name, scenario, lang
):
    ax = _chart(name, scenario, lang)
    assert isinstance(ax.figure.get_layout_engine(), OneAxesLayout)
    figure, renderer, pixels = _drawn(ax)
    pad = EDGE_PAD_INCHES * DPI
    width, height = figure.bbox.width, figure.bbox.height
    # Nothing is drawn into the pad at the edge, so nothing is cut off there ...
    band = int(pad) - 1
    white = np.full(4, 255, dtype=np.uint8)
    for edge in (pixels[:band], pixels[-band:], pixels[:, :band], pixels[:, -band:]):
        assert (edge == white).all()
    # ... and the labels reach it on every side: no space is left over.
    decorated = Bbox.union(
        [axes.get_tightbbox(renderer, for_layout_only=True) for axes in figure.axes]
    )
    assert decorated.x0 == pytest.approx(pad, abs=1)
    assert decorated.y0 == pytest.approx(pad, abs=1)
    assert decorated.x1 == pytest.approx(width - pad, abs=1)
    assert decorated.y1 == pytest.approx(height - pad, abs=1)
    plots.close(ax)


def test_a_second_draw_keeps_the_layout():
    ax = plots.chart("debt", _projection("plan-followed"), lang="zh")
    figure, _, _ = _drawn(ax)
    first = [axes.get_position().bounds for axes in figure.axes]
    _drawn(ax)
    again = [axes.get_position().bounds for axes in figure.axes]
    assert np.allclose(again, first, rtol=0, atol=1e-12)
    assert len(first) == 2 and first[0] == first[1]  # the twin shares the plotting area


def _moved_by_a_second_layout(passes: int, monkeypatch) -> float:
    """Pixels the plotting area moves when a laid-out figure is laid out again. Its ten-line
    title leaves the y axis short: ticks 0.5 apart ("2.5") become 1 apart ("3")."""
    monkeypatch.setattr(layout, "_MOST_PASSES", passes)
    figure = Figure(figsize=(6, 4), layout=OneAxesLayout())
    ax = figure.add_subplot()
    ax.plot([0, 1], [0, 2.5])
    ax.set_title("\n".join(["title"] * 10))
    canvas = FigureCanvasAgg(figure)
    ticks_before = tuple(ax.yaxis.get_majorticklocs())
    canvas.draw()
    assert tuple(ax.yaxis.get_majorticklocs()) != ticks_before
    laid_out = np.array(ax.get_position().bounds)
    figure.get_layout_engine().execute(figure)
    return float(np.abs(np.array(ax.get_position().bounds) - laid_out).max() * figure.bbox.width)


def test_the_layout_measures_again_when_the_new_size_moves_the_ticks(monkeypatch):
    most = layout._MOST_PASSES
    assert _moved_by_a_second_layout(1, monkeypatch) > 5  # one measurement is not enough
    assert _moved_by_a_second_layout(most, monkeypatch) < 1e-9


def test_a_figure_with_two_plotting_areas_is_laid_out_by_constrained_layout():
    def two_areas(layout):
        figure = Figure(figsize=(6, 4), layout=layout)
        for column in (1, 2):
            ax = figure.add_subplot(1, 2, column)
            ax.plot([0, 1], [0, 10**column])
            ax.set_ylabel("a label")
        FigureCanvasAgg(figure).draw()
        return [ax.get_position().bounds for ax in figure.axes]

    assert two_areas(OneAxesLayout()) == two_areas("constrained")
