"""Budget charts, in Chinese or English. matplotlib is imported in this package only.

Every chart function takes a projection (and ``ax=None``), draws one draw of it
(``draw=0``: the deterministic run), and returns the :class:`~matplotlib.axes.Axes`. Without
an ``ax`` a new :class:`~matplotlib.figure.Figure` is made (no pyplot state). Names of lines,
tiers and indicators come from :mod:`fiscal_sim.labels`; chart titles and axis words that
only charts need are in ``_common._TEXT``. Money is shown in 万元, or in 亿元 when values reach
1 亿 (``unit="auto"``; ``unit="wan"`` or ``"yi"`` forces one).

Artists that tests and readers look for carry a ``gid`` (``advance_cap``, ``sanbao_need``,
``wage_risk`` ...), independent of the language.

The charts live by topic: :mod:`~fiscal_sim.plots.budget` (resources and uses, the
waterfall, the revenue mix), :mod:`~fiscal_sim.plots.liabilities` (advances, debt),
:mod:`~fiscal_sim.plots.treasury` (monthly cash), :mod:`~fiscal_sim.plots.comparison`
(scenarios side by side) and :mod:`~fiscal_sim.plots.uncertainty` (an ensemble's fan charts
and breach heat map); what they share is in ``_common``. This module names them all.

Examples
--------
>>> import fiscal_sim
>>> from fiscal_sim import plots
>>> result = fiscal_sim.project(fiscal_sim.load_scenario())
>>> ax = plots.advances(result, lang="en")
>>> ax.get_title().startswith("Treasury advances")
True
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from fiscal_sim.plots._common import (
    COLORS,
    LANGS,
    SANBAO_TIERS,
    WAN_PER_YI,
    indicator_kind,
    money_unit,
    text,
)
from fiscal_sim.plots._common import _lang as _lang
from fiscal_sim.plots._common import _scenario_title as _scenario_title
from fiscal_sim.plots._common import _tier_names as _tier_names
from fiscal_sim.plots._common import _years as _years
from fiscal_sim.plots.budget import resources_uses, revenue_mix, waterfall
from fiscal_sim.plots.comparison import compare
from fiscal_sim.plots.liabilities import advances, debt
from fiscal_sim.plots.treasury import _BANDS as _BANDS
from fiscal_sim.plots.treasury import monthly_cash, wage_risk_months

__all__ = [
    "CHARTS",
    "CHART_NAMES",
    "COLORS",
    "LANGS",
    "SANBAO_TIERS",
    "SAVE_FORMATS",
    "WAN_PER_YI",
    "advances",
    "chart",
    "close",
    "compare",
    "debt",
    "figure_bytes",
    "indicator_kind",
    "money_unit",
    "monthly_cash",
    "resources_uses",
    "revenue_mix",
    "save_figure",
    "text",
    "wage_risk_months",
    "waterfall",
]

CHARTS: dict[str, Callable] = {
    "resources": resources_uses,
    "waterfall": waterfall,
    "advances": advances,
    "cash": monthly_cash,
    "revenue": revenue_mix,
    "debt": debt,
}
"""Charts of one projection, by the name the CLI uses (``fiscal-sim chart NAME``)."""

CHART_NAMES = (*CHARTS, "compare")
"""Every chart name, the scenario comparison last (it takes several projections)."""

SAVE_FORMATS = ("png", "svg", "pdf")


def chart(name: str, result, *, lang=None, **options):
    """Draw the chart ``name`` of one projection on a new figure; return the Axes.

    Examples
    --------
    >>> import fiscal_sim
    >>> ax = chart("debt", fiscal_sim.project(fiscal_sim.load_scenario()), lang="zh")
    >>> ax.get_title().startswith("政府债务")
    True
    """
    if name not in CHARTS:
        raise ValueError(f"unknown chart {name!r}; choose one of {', '.join(CHART_NAMES)}")
    return CHARTS[name](result, lang=lang, **options)


def save_figure(figure, path: str | Path, *, dpi: int = 150) -> Path:
    """Save a figure (or the figure of an Axes) as PNG, SVG or PDF by the suffix, atomically."""
    from fiscal_sim.outputs import write_atomic

    figure = getattr(figure, "figure", figure)
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in SAVE_FORMATS:
        raise ValueError(f"chart files end in .png, .svg or .pdf, got {path.name!r}")
    metadata = {"png": {"Software": "fiscal_sim"}, "svg": {"Date": None}, "pdf": {}}[fmt]
    return write_atomic(
        path, lambda temporary: figure.savefig(temporary, format=fmt, dpi=dpi, metadata=metadata)
    )


def figure_bytes(figure, fmt: str = "png", *, dpi: int = 110) -> bytes:
    """The figure rendered in memory (for reports that embed charts).

    A PNG is drawn once. ``savefig`` draws a figure that has a layout engine twice (a pass
    that lays it out, then the picture); here the Agg canvas lays out and paints in one
    pass: the picture ``savefig`` writes, pixel for pixel (tests/test_plots.py). An opaque
    picture is written without its alpha channel and with zlib's fastest level, which
    makes a file of the size ``savefig``'s has in 2/5 of the time. Other formats, and rc
    settings that change what ``savefig`` writes (``savefig.bbox``, colours,
    transparency), go through ``savefig``.
    """
    import io

    buffer = io.BytesIO()
    if fmt == "png" and _saved_as_drawn():
        _png_drawn_once(figure, buffer, dpi)
    else:
        metadata = {"Software": None} if fmt == "png" else {}
        figure.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata)
    return buffer.getvalue()


def _saved_as_drawn() -> bool:
    """Whether ``savefig`` would write the canvas as drawn (no rc setting alters it)."""
    from matplotlib import rcParams

    return (
        rcParams["savefig.bbox"] in (None, "standard")
        and rcParams["savefig.facecolor"] == "auto"
        and rcParams["savefig.edgecolor"] == "auto"
        and not rcParams["savefig.transparent"]
    )


def _png_drawn_once(figure, buffer, dpi: int) -> None:
    """The picture ``FigureCanvasAgg.print_png`` writes, after one draw at ``dpi``."""
    import numpy as np
    from matplotlib import image
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas, own_dpi = figure.canvas, figure.dpi
    figure.dpi = dpi
    try:
        agg = FigureCanvasAgg(figure)
        agg.draw()
        pixels = agg.buffer_rgba()
    finally:
        figure.dpi = own_dpi
        figure.set_canvas(canvas)
    rgba = np.asarray(pixels)
    if (rgba[..., 3] == 255).all():
        from PIL import Image

        picture = Image.fromarray(np.ascontiguousarray(rgba[..., :3]))
        picture.save(buffer, format="png", dpi=(dpi, dpi), compress_level=_PNG_ZLIB_LEVEL)
    else:
        image.imsave(
            buffer, pixels, format="png", origin="upper", dpi=dpi, metadata={"Software": None}
        )


_PNG_ZLIB_LEVEL = 1
"""zlib's fastest level: on a chart's flat colours it compresses as well as RGBA at level 6."""


def close(ax_or_figure) -> None:
    """Release a figure made by this module: pyplot forgets it if it was made there.

    A bare Figure (the command line and the reports make no other) holds no global state and
    goes with its last reference; it is not cleared, which would set up its Axes anew.
    """
    figure = getattr(ax_or_figure, "figure", ax_or_figure)
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None and pyplot.fignum_exists(getattr(figure, "number", -1)):
        pyplot.close(figure)
