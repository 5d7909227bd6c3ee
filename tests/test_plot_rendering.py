"""Charts drawn on two cores are the bytes of charts drawn one by one (issue #14)."""

import functools
import os
import threading

import fiscal_sim
from fiscal_sim import plots
from fiscal_sim.plots.rendering import render_charts


def test_forked_rendering_gives_the_bytes_of_serial_rendering():
    result = fiscal_sim.project(fiscal_sim.load_scenario())
    draws = [functools.partial(plots.chart, name, result, lang="en") for name in plots.CHARTS]
    assert render_charts(draws, fork=True) == render_charts(draws, fork=False)


def test_a_process_with_other_threads_is_not_forked(monkeypatch):
    """The workbench's server runs threads: a fork there could hang on a lock they hold."""
    result = fiscal_sim.project(fiscal_sim.load_scenario())
    draws = [functools.partial(plots.chart, name, result, lang="en") for name in plots.CHARTS]

    def fork():
        raise AssertionError("a process running another thread was forked")

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(os, "fork", fork)
    stop = threading.Event()
    server = threading.Thread(target=stop.wait)
    server.start()
    try:
        rendered = render_charts(draws)
    finally:
        stop.set()
        server.join()
    assert rendered == render_charts(draws, fork=False)
