"""A :class:`~fiscal_sim.display.cells.View` written out as aligned text or as HTML."""

from __future__ import annotations

import base64
import html
from collections.abc import Callable

from fiscal_sim.display.cells import Table, View, word
from fiscal_sim.textgrid import display_width

CHART_SIZE = (6.4, 3.6)  # inches; small enough to sit under the tables
CHART_DPI = 80


# --- text -------------------------------------------------------------------------------------
def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * max(width - display_width(text), 0)
    return gap + text if right else text + gap


def table_text(table: Table, lang: str) -> str:
    """A table as aligned text (Chinese characters count two columns)."""
    lines = [table.title]
    if not table.rows:
        lines.append(word("none", lang))
    else:
        columns = list(zip(table.header, *table.rows, strict=True))
        widths = [max(display_width(cell) for cell in column) for column in columns]
        for cells in (table.header, *table.rows):
            padded = [
                _pad(cell, width, right)
                for cell, width, right in zip(cells, widths, table.numeric, strict=True)
            ]
            lines.append("  ".join(padded).rstrip())
    if table.note:
        lines.append(table.note)
    return "\n".join(lines)


def view_text(view: View, lang: str) -> str:
    """The whole view as text: title, headline, each table, footer."""
    parts = ["\n".join((view.title, *view.lines))]
    parts += [table_text(table, lang) for table in view.tables]
    if view.footer:
        parts.append("\n".join(view.footer))
    return "\n\n".join(parts)


# --- HTML -------------------------------------------------------------------------------------
_SEVERITY_STYLE = {"breach": "color:#b03a2e;font-weight:bold", "warning": "color:#b9770e"}
_NUMERIC_STYLE = "text-align:right;white-space:nowrap"


def _esc(text) -> str:
    return html.escape(str(text), quote=True)


def table_html(table: Table, lang: str) -> str:
    """A table as HTML; every cell escaped, numbers right-aligned, breaches in red."""
    parts = [f"<h4>{_esc(table.title)}</h4>"]
    if not table.rows:
        parts.append(f"<p>{_esc(word('none', lang))}</p>")
    else:
        head = "".join(
            f'<th style="{_NUMERIC_STYLE if right else "text-align:left"}">{_esc(cell)}</th>'
            for cell, right in zip(table.header, table.numeric, strict=True)
        )
        body = []
        for index, cells in enumerate(table.rows):
            severity = table.severity[index] if table.severity else ""
            row_style = _SEVERITY_STYLE.get(severity, "")
            tds = "".join(
                f'<td style="{_NUMERIC_STYLE if right else "text-align:left"}">{_esc(cell)}</td>'
                for cell, right in zip(cells, table.numeric, strict=True)
            )
            style = f' style="{row_style}"' if row_style else ""
            css = f' class="{_esc(severity)}"' if severity else ""
            body.append(f"<tr{css}{style}>{tds}</tr>")
        parts.append(
            f'<table class="fiscal-sim"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>"
        )
    if table.note:
        parts.append(f"<p><em>{_esc(table.note)}</em></p>")
    return "\n".join(parts)


def chart_png(draw_chart: Callable) -> bytes:
    """Draw a chart (a callable returning its Axes) small, as PNG bytes; free the figure."""
    from fiscal_sim import plots

    ax = draw_chart()
    try:
        ax.figure.set_size_inches(*CHART_SIZE)
        return plots.figure_bytes(ax.figure, "png", dpi=CHART_DPI)
    finally:
        plots.close(ax)


def chart_html(draw_chart: Callable) -> str:
    """An ``<img>`` with the chart inline (base64 PNG), or nothing without matplotlib."""
    try:
        png = chart_png(draw_chart)
    except ImportError:  # matplotlib is optional for reading results
        return ""
    encoded = base64.b64encode(png).decode("ascii")
    return f'<img alt="chart" src="data:image/png;base64,{encoded}">'


def view_html(view: View, lang: str, chart: bool = True) -> str:
    """The whole view as an HTML fragment for Jupyter."""
    parts = [f"<p><strong>{_esc(view.title)}</strong></p>"]
    parts += [f"<p>{_esc(line)}</p>" for line in view.lines]
    parts += [table_html(table, lang) for table in view.tables]
    if chart and view.chart is not None:
        parts.append(chart_html(view.chart))
    parts += [f"<p><code>{_esc(line)}</code></p>" for line in view.footer]
    return '<div class="fiscal-sim">\n' + "\n".join(parts) + "\n</div>"
