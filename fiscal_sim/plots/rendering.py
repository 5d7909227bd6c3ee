"""Many charts drawn as PNG on two cores: a forked copy of this process draws every other one.

A report's charts are most of its time and each is drawn alone, by one core. On a machine
with more than one core, :func:`render_charts` forks the process (the child has the data,
matplotlib and the fonts already loaded, so it starts at once), lets the child draw every
other chart while this process draws the rest, and reads the child's PNGs back through a
pipe. Both processes run the same code on the same state, so the bytes are those of drawing
every chart here (tests/test_plot_rendering.py). Without ``os.fork``, on one core, or if the
child fails in any way, the charts it was given are drawn here: the result never changes,
only the time. A process with other threads running (the workbench's server) is never
forked: a lock one of them holds would stay locked in the child for ever.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable, Sequence

from fiscal_sim.plots import close, figure_bytes


def render_one(draw: Callable) -> tuple[str, bytes]:
    """Draw one chart (``draw()`` returns its Axes): its title and PNG; the figure released."""
    ax = draw()
    title = ax.get_title() or ax.figure.get_suptitle()  # read before close() clears it
    try:
        png = figure_bytes(ax.figure, "png")
    finally:
        close(ax)
    return title, png


def render_charts(
    draws: Sequence[Callable], *, fork: bool | None = None
) -> list[tuple[str, bytes]]:
    """Every chart of ``draws`` as ``(title, png)``, in order, drawn on two cores if it pays.

    ``fork=None`` forks when the machine has more than one core, this process runs no other
    thread and there are two charts or more; ``False`` draws them all here.
    """
    if fork is None:
        fork = (
            hasattr(os, "fork")
            and (os.cpu_count() or 1) > 1
            and threading.active_count() == 1
            and len(draws) > 1
        )
    if not fork:
        return [render_one(draw) for draw in draws]
    # The first chart is drawn before the fork: the fonts, glyph and text caches it fills
    # are then the child's too, instead of being filled twice.
    rendered: dict[int, tuple[str, bytes]] = {0: render_one(draws[0])}
    theirs = list(range(1, len(draws), 2))
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the forked child, which never returns
        os.close(reader)
        status = 1
        try:
            payload = pickle.dumps([render_one(draws[index]) for index in theirs])
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(payload)
            status = 0
        finally:
            os._exit(status)  # no atexit handlers, no flushing of the parent's buffers
    os.close(writer)
    try:
        for index in range(2, len(draws), 2):
            rendered[index] = render_one(draws[index])
    finally:
        with os.fdopen(reader, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(child, 0)
    if os.waitstatus_to_exitcode(status) == 0:
        rendered.update(zip(theirs, pickle.loads(payload), strict=True))
    for index in theirs:
        if index not in rendered:
            rendered[index] = render_one(draws[index])
    return [rendered[index] for index in range(len(draws))]
