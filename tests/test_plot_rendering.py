"""Charts drawn on two cores are the bytes of charts drawn one by one (issue #14)."""

import functools

import fiscal_sim
from fiscal_sim import plots
from fiscal_sim.plots.rendering import render_charts


def test_forked_rendering_gives_the_bytes_of_serial_rendering():
    result = fiscal_sim.project(fiscal_sim.load_scenario())
    draws = [functools.partial(plots.chart, name, result, lang="en") for name in plots.CHARTS]
    assert render_charts(draws, fork=True) == render_charts(draws, fork=False)
