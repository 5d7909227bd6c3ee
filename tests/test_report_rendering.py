"""A report's charts drawn on two cores are the bytes of charts drawn one by one (issue #14)."""

import functools
import gc
import os
import threading
import time

import pytest

import fiscal_sim
from fiscal_sim import plots
from fiscal_sim.report.rendering import ChartsAhead, render_charts


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


def test_the_charts_a_failed_child_took_are_drawn_here(monkeypatch):
    """The child takes charts as it goes: those it took when it failed are drawn here, and
    the garbage collector, frozen for the fork, is thawed again."""
    from fiscal_sim.report import rendering

    result = fiscal_sim.project(fiscal_sim.load_scenario())
    draws = [functools.partial(plots.chart, name, result, lang="en") for name in plots.CHARTS]
    serial = render_charts(draws, fork=False)
    parent, drawn_here = os.getpid(), []
    real = rendering.render_one

    def render_one(draw):
        if os.getpid() != parent:
            raise RuntimeError("the child fails on the first chart it takes")
        drawn_here.append(draw)
        return real(draw)

    monkeypatch.setattr(rendering, "render_one", render_one)
    assert render_charts(draws, fork=True) == serial
    assert len(drawn_here) == len(draws)  # the child's one chart too
    assert gc.get_freeze_count() == 0


def _projection_draws():
    result = fiscal_sim.project(fiscal_sim.load_scenario())
    return {name: functools.partial(plots.chart, name, result, lang="en") for name in plots.CHARTS}


def test_charts_drawn_ahead_are_the_bytes_of_charts_drawn_here():
    draws = _projection_draws()
    serial = dict(zip(draws, render_charts(list(draws.values()), fork=False), strict=True))
    with ChartsAhead(draws, key="k", fork=True) as ahead:
        assert ahead.drawing and ahead.key == "k" and ahead.names == set(draws)
        taken = {name: ahead.take(name) for name in draws}
        assert not ahead.drawing
        assert ahead.take(next(iter(draws))) is None  # each is taken once
    assert taken == serial
    assert gc.get_freeze_count() == 0


def test_the_first_take_draws_here_what_the_child_has_not_taken(monkeypatch):
    """The caller that comes for the charts joins in: a child still busy with its first
    chart leaves the others to this process, and the charts are the same bytes."""
    from fiscal_sim.report import rendering

    draws = _projection_draws()
    serial = dict(zip(draws, render_charts(list(draws.values()), fork=False), strict=True))
    parent, real, drawn_here = os.getpid(), rendering.render_one, []
    started, says_started = os.pipe()

    def render_one(draw):
        if os.getpid() != parent:
            os.write(says_started, b"1")
            time.sleep(3)  # the child is slow: the caller comes before it is done
        else:
            drawn_here.append(draw)
        return real(draw)

    monkeypatch.setattr(rendering, "render_one", render_one)
    try:
        with ChartsAhead(draws, fork=True) as ahead:
            assert os.read(started, 1) == b"1"  # the child has taken its first chart
            taken = {name: ahead.take(name) for name in draws}
    finally:
        os.close(started)
        os.close(says_started)
    assert taken == serial
    assert len(drawn_here) == len(draws) - 1  # the child drew one
    assert gc.get_freeze_count() == 0


def test_a_failed_child_draws_nothing_ahead_and_a_stopped_one_is_reaped(monkeypatch):
    from fiscal_sim.report import rendering

    draws = _projection_draws()
    serial = dict(zip(draws, render_charts(list(draws.values()), fork=False), strict=True))
    parent, real = os.getpid(), rendering.render_one

    def render_one(draw):
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return real(draw)

    monkeypatch.setattr(rendering, "render_one", render_one)
    with ChartsAhead(draws, fork=True) as ahead:
        taken = {name: ahead.take(name) for name in draws}
    # The chart the child took when it failed is not drawn ahead (the caller draws it);
    # this process drew the others when it came for them.
    missing = [name for name, chart in taken.items() if chart is None]
    assert len(missing) <= 1
    assert all(chart == serial[name] for name, chart in taken.items() if chart is not None)
    monkeypatch.undo()
    ahead = ChartsAhead(draws, fork=True)
    child = ahead._child
    ahead.close()  # the work the charts were for failed: the child is stopped
    assert not ahead.drawing and ahead.take("cash") is None
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)  # reaped already
    assert gc.get_freeze_count() == 0


def test_nothing_is_drawn_ahead_beside_other_threads(monkeypatch):
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("forked beside another thread"))
    stop = threading.Event()
    server = threading.Thread(target=stop.wait)
    server.start()
    try:
        ahead = ChartsAhead(_projection_draws())
    finally:
        stop.set()
        server.join()
    assert not ahead.drawing and ahead.take("cash") is None


def test_the_report_package_loads_neither_pandas_nor_matplotlib():
    """``fiscal-sim report`` forks the child that draws the projection's charts before it
    loads pandas (which it loads while the child draws): the report package, its charts and
    their rendering load neither pandas nor matplotlib until a chart is drawn."""
    import json
    import subprocess
    import sys

    probe = (
        "import json, sys\n"
        "from fiscal_sim import report\n"
        "from fiscal_sim.report import charts, rendering\n"
        "report.charts_ahead, report.ensemble_charts_ahead, report.FAN_INDICATORS\n"
        "print(json.dumps([m for m in ('pandas', 'matplotlib') if m in sys.modules]))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
