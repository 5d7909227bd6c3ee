"""The fan charts and the heat map show ratios as percentages (issue #17 item 7): a ratio's
axis ticks read "80%", never 0.8, and its axis says %; an amount's axis says 万元 and its
ticks are plain numbers. In Chinese and in English."""

from __future__ import annotations

import pytest

import fiscal_sim
from fiscal_sim import plots
from fiscal_sim.plots.uncertainty import breach_heatmap, fan_chart


@pytest.fixture(scope="module")
def ensemble():
    return fiscal_sim.simulate(fiscal_sim.load_scenario(), draws=256, seed=5)


def _ticks(axis) -> list[str]:
    axis.figure.canvas.draw()
    return [label.get_text() for label in axis.get_ticklabels() if label.get_text()]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("indicator", ["debt_ratio", "advance_ratio", "self_sufficiency"])
def test_a_ratio_s_fan_chart_reads_in_percent(ensemble, indicator, lang):
    ax = fan_chart(ensemble, indicator, lang=lang)
    try:
        ticks = _ticks(ax.yaxis)
        assert ticks and all(tick.endswith("%") for tick in ticks), ticks
        assert ax.get_ylim()[1] < 2  # the data stay fractions: the formatter says 90%
        assert "%" in ax.get_ylabel()
    finally:
        plots.close(ax)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_amount_s_fan_chart_says_wan_yuan(ensemble, lang):
    ax = fan_chart(ensemble, "stabilization_fund", lang=lang)
    try:
        assert "万元" in ax.get_ylabel()
        assert not any(tick.endswith("%") for tick in _ticks(ax.yaxis))
    finally:
        plots.close(ax)


def test_heat_map_cells_and_colour_bar_in_percent(ensemble):
    ax = breach_heatmap(ensemble, lang="zh")
    try:
        cells = [text.get_text() for text in ax.texts]
        assert cells and all(cell.endswith("%") for cell in cells), cells[:5]
        colour_bar = ax.figure.axes[-1]
        assert all(tick.endswith("%") for tick in _ticks(colour_bar.yaxis))
    finally:
        plots.close(ax)
