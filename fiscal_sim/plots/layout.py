"""How a chart of one Axes (and its twins) is laid out: measured once, at draw time.

matplotlib's constrained layout measures every label of a figure twice before each draw,
which was half the time of a report's chart. A chart of this package has one plotting area,
shared by a twin Axes at most, so its layout is four margins: :class:`OneAxesLayout` measures
the decorations (tick labels, axis labels, titles, the scenario line, the legend) once and
gives the plotting area what is left of the figure, with constrained layout's pad at the
edges. If moving the area changes the ticks (a taller axis may get one more tick, and a
wider label), it measures again; nothing is ever cut off at the edge.

A figure that has Axes elsewhere (someone added a subplot) or a colorbar is laid out by
constrained layout, as before.
"""

from __future__ import annotations

from matplotlib.layout_engine import ConstrainedLayoutEngine, LayoutEngine
from matplotlib.transforms import Bbox

EDGE_PAD_INCHES = 3 / 72
"""Space between the decorations and the edge of the figure (constrained layout's pad)."""

_MOST_PASSES = 3


class OneAxesLayout(LayoutEngine):
    """Lay out a figure whose Axes share one position: the margins its decorations need."""

    _adjust_compatible = False
    _colorbar_gridspec = False  # a colorbar is made as for constrained layout, which lays it out

    def set(self, **kwargs):
        raise TypeError("OneAxesLayout has no settings")

    def execute(self, fig) -> None:
        axes = fig.get_axes()
        if not axes:
            return
        if any(ax.get_position().bounds != axes[0].get_position().bounds for ax in axes):
            ConstrainedLayoutEngine().execute(fig)  # a second plotting area, or a colorbar
            return
        renderer = fig._get_renderer()  # as matplotlib's own engines find it
        pad = EDGE_PAD_INCHES * fig.dpi
        width, height = fig.bbox.width, fig.bbox.height
        for _ in range(_MOST_PASSES):
            ticks = _tick_places(axes)
            area = axes[0].get_window_extent(renderer)
            decorated = Bbox.union(
                [ax.get_tightbbox(renderer, for_layout_only=True) for ax in axes]
            )
            left = (pad + area.x0 - decorated.x0) / width
            right = 1 - (pad + decorated.x1 - area.x1) / width
            bottom = (pad + area.y0 - decorated.y0) / height
            top = 1 - (pad + decorated.y1 - area.y1) / height
            if right <= left or top <= bottom:
                return  # decorations larger than the figure: leave it as it is
            for ax in axes:
                ax.set_position([left, bottom, right - left, top - bottom])
                ax.set_in_layout(True)  # set_position takes it out of the figure's tight box
            if _tick_places(axes) == ticks:
                return


def _tick_places(axes) -> list[tuple]:
    """Where every axis puts its major ticks: their labels are what the margins hold."""
    return [
        (tuple(ax.xaxis.get_majorticklocs()), tuple(ax.yaxis.get_majorticklocs())) for ax in axes
    ]
