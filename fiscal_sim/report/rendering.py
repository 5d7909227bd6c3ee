"""A report's charts drawn as PNG on two cores: this process and a forked copy share them out.

A report's charts are most of its time and each is drawn alone, by one core. On a machine
with more than one core, :func:`render_charts` forks the process (the child has the data
and matplotlib already loaded, so it starts at once); the two take the charts one
at a time, whichever is free, and this process reads the child's PNGs back through a pipe.
Both processes run the same code on the same state, so the bytes are those of drawing
every chart here (tests/test_report_rendering.py). Without ``os.fork``, on one core, or if the
child fails in any way, the charts it took are drawn here: the result never changes,
only the time. A process with other threads running (the workbench's server) is never
forked: a lock one of them holds would stay locked in the child for ever.

:class:`ChartsAhead`, which :func:`render_charts` is made of, forks the child earlier, to
draw charts whose data is ready (a report's charts of the projection) while this process goes
on with the work the others wait for (the report's Monte Carlo run); when this process comes
for them it draws those the child has not taken yet. Nothing here imports matplotlib: a
chart's ``draw()`` does.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import threading
from collections.abc import Callable, Hashable, Mapping, Sequence


def render_one(draw: Callable) -> tuple[str, bytes]:
    """Draw one chart (``draw()`` returns its Axes): its title and PNG; the figure released."""
    from fiscal_sim.plots import close, figure_bytes

    ax = draw()
    title = ax.get_title() or ax.figure.get_suptitle()  # read before close() clears it
    try:
        png = figure_bytes(ax.figure, "png")
    finally:
        close(ax)
    return title, png


# Charts are handed out through a pipe, a token of this many bytes each (a pipe's write of
# up to PIPE_BUF bytes and a read of one token are atomic): two processes never take the same.
_TOKEN = 2
_MOST_TOKENS = 4096  # 8 KiB of tokens, written before the fork into a pipe that holds 64 KiB


_children = 0  # forked children drawing charts: the collector stays frozen while there are any


def _freeze() -> None:
    """Freeze the objects made so far out of the garbage collector's reach (``gc.freeze``)
    until the child about to be forked is done: its passes would otherwise write to every
    one of them, and each page written is copied in whichever process writes it
    (copy-on-write), which made each chart half again as slow as drawn alone."""
    global _children
    _children += 1
    gc.freeze()


def _thaw() -> None:
    """A child is done (or was never forked): thaw the collector once no child is left."""
    global _children
    _children -= 1
    if _children == 0:
        gc.unfreeze()


def can_fork() -> bool:
    """Whether a forked child can draw charts beside this process: ``os.fork`` exists, the
    machine has more than one core and this process runs no other thread."""
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1 and threading.active_count() == 1


def render_charts(
    draws: Sequence[Callable], *, fork: bool | None = None
) -> list[tuple[str, bytes]]:
    """Every chart of ``draws`` as ``(title, png)``, in order, drawn on two cores if it pays.

    ``fork=None`` forks where :func:`can_fork` and there are two charts or more; ``False``
    draws them all here, and so do more than :data:`_MOST_TOKENS` charts. A forked child
    (:class:`ChartsAhead`) and this process take the charts one at a time, whichever is free:
    they take from 0.07 to 0.2 s each, and taking turns would leave one core idle while the
    other draws the slow ones.
    """
    if fork is None:
        fork = can_fork() and len(draws) > 1
    if not fork:
        return [render_one(draw) for draw in draws]
    with ChartsAhead(dict(enumerate(draws)), fork=True) as ahead:
        drawn = [ahead.take(index) for index in range(len(draws))]
    # Those a failed child took (or all, where no child could be forked) are drawn here.
    return [
        chart if chart is not None else render_one(draw)
        for chart, draw in zip(drawn, draws, strict=True)
    ]


def _take_and_render(draws: Sequence[Callable], tokens: int):
    """``(index, (title, png))`` of each chart this process takes from the ``tokens`` pipe,
    until it is empty."""
    while token := os.read(tokens, _TOKEN):
        index = int.from_bytes(token, "little")
        yield index, render_one(draws[index])


class ChartsAhead:
    """Charts drawn in a forked child while this process goes on with other work (a report's
    charts of the projection while its Monte Carlo runs).

    ``draws`` maps a name to a ``draw()`` that returns the chart's Axes; ``key`` records what
    they were drawn from, for the caller to check before it takes them; ``fork=None`` forks
    where :func:`can_fork`, ``False`` never. The child takes the charts one at a time, a
    token from a pipe for each; the first :meth:`take` joins in: this process draws those
    the child has not taken yet, then reads the child's. :meth:`take` gives a
    chart's ``(title, png)``, or None when it was not drawn ahead (no child could be forked,
    or it failed): the caller then draws it itself, and the page is the same either way. Use
    it as a context manager: a child whose charts are no longer wanted (the work they were
    for failed) is stopped on the way out.
    """

    def __init__(self, draws: Mapping[Hashable, Callable], key=None, *, fork: bool | None = None):
        self.key = key
        self.names = frozenset(draws)
        self._draws = list(draws.items())
        self._drawn: dict[Hashable, tuple[str, bytes]] = {}
        self._child: int | None = None
        wanted = can_fork() if fork is None else fork
        if not draws or not wanted or len(draws) > _MOST_TOKENS:
            return
        tokens, tokens_out = os.pipe()
        os.write(tokens_out, b"".join(i.to_bytes(_TOKEN, "little") for i in range(len(draws))))
        reader, writer = os.pipe()
        _freeze()
        try:
            child = os.fork()
        except OSError:
            _thaw()
            for end in (tokens, tokens_out, reader, writer):
                os.close(end)
            return
        os.close(tokens_out)
        if child == 0:  # pragma: no cover - runs in the forked child, which never returns
            os.close(reader)
            status = 1
            try:
                charts = [draw for _, draw in self._draws]
                payload = pickle.dumps(dict(_take_and_render(charts, tokens)))
                with os.fdopen(writer, "wb") as pipe:
                    pipe.write(payload)
                status = 0
            finally:
                os._exit(status)
        os.close(writer)
        self._child, self._reader, self._tokens = child, reader, tokens

    @property
    def drawing(self) -> bool:
        """Whether a child is drawing the charts (or has drawn them, not yet taken)."""
        return self._child is not None

    def take(self, name: Hashable) -> tuple[str, bytes] | None:
        """The chart ``name`` drawn ahead, once (None if it was not)."""
        if self._child is not None:
            charts = [draw for _, draw in self._draws]
            try:
                drawn = dict(_take_and_render(charts, self._tokens))  # those left: here
            finally:
                os.close(self._tokens)
                with os.fdopen(self._reader, "rb") as pipe:
                    payload = pipe.read()
                _, status = os.waitpid(self._child, 0)
                self._child = None
                _thaw()
            if os.waitstatus_to_exitcode(status) == 0:
                drawn.update(pickle.loads(payload))
            self._drawn = {self._draws[i][0]: chart for i, chart in drawn.items()}
        return self._drawn.pop(name, None)

    def close(self) -> None:
        """Stop a child still drawing and let its charts go."""
        if self._child is not None:
            os.kill(self._child, signal.SIGKILL)
            os.waitpid(self._child, 0)
            os.close(self._reader)
            os.close(self._tokens)
            self._child = None
            _thaw()
        self._drawn = {}

    def __enter__(self) -> ChartsAhead:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
