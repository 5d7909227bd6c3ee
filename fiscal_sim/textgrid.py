"""Tables as aligned text without pandas: a :class:`Grid` of cells under labelled rows and
columns, laid out as ``DataFrame.to_string`` lays out a table of text.

``fiscal-sim run`` prints its tables through this module, so that the command starts without
importing pandas (a third of its time before). The layout is pandas' own, kept cell for cell
(tests/test_textgrid.py compares the two on random tables), so a table reads the same whether
it came from a DataFrame or from a grid: the column labels on the first line with the columns'
name at the left, the names of the row levels on the next, then one line per row; a row level
that repeats the row above is left blank (pandas' *sparsified* MultiIndex); text is padded by
display width, in which a Chinese character takes two columns (``wide``) or one.

Examples
--------
>>> grid = Grid(rows=(("税收",), ("非税",)), columns=(2019,), cells=(("100",), ("5",)),
...             row_names=("收入",), column_name="年度")
>>> for line in grid_text(grid, wide=True).splitlines():
...     print(line.rstrip())   # the names' line is padded to the table's width
年度 2019
收入
税收  100
非税    5
"""

from __future__ import annotations

import numbers
import unicodedata
from dataclasses import dataclass, field
from typing import Any

_ESCAPES = str.maketrans({"\t": r"\t", "\r": r"\r", "\n": r"\n"})


@dataclass(frozen=True)
class Grid:
    """A table: ``rows`` are the row labels (one tuple of level values per row), ``columns``
    the column labels, ``cells`` one tuple of values per row.

    ``attrs`` carries what a DataFrame's ``attrs`` carries for the outputs: the kinds of the
    columns' numbers before formatting (``column_kinds``, ``kind``), and after it whether the
    row labels are shown (``hide_index``) and which columns hold text (``text_columns``).
    """

    rows: tuple[tuple, ...]
    columns: tuple
    cells: tuple[tuple, ...]
    row_names: tuple = (None,)
    column_name: Any = None
    attrs: dict = field(default_factory=dict, compare=False)

    @property
    def empty(self) -> bool:
        return not self.rows or not self.columns

    def column(self, position: int) -> list:
        """The values of one column, top to bottom."""
        return [row[position] for row in self.cells]

    def level(self, number: int) -> list:
        """The labels of one row level, top to bottom."""
        return [row[number] for row in self.rows]

    def to_frame(self):
        """The same table as a DataFrame (one index level per row level); imports pandas."""
        import pandas as pd

        if len(self.row_names) > 1:
            index = pd.MultiIndex.from_tuples(self.rows, names=list(self.row_names))
        else:
            index = pd.Index([row[0] for row in self.rows], name=self.row_names[0])
        columns = pd.Index(list(self.columns), name=self.column_name)
        frame = pd.DataFrame([list(row) for row in self.cells], index=index, columns=columns)
        frame.attrs.update(self.attrs)
        return frame


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: Chinese characters take two.

    Examples
    --------
    >>> display_width("财政 ok")
    7
    """
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def is_number(value) -> bool:
    """Whether a cell holds a number (what pandas counts as a numeric column)."""
    return isinstance(value, numbers.Number)


def grid_text(grid: Grid, wide: bool) -> str:
    """The grid as aligned text, as ``DataFrame.to_string`` writes it.

    Every cell is text already (:func:`fiscal_sim.outputs.shown_tables` formats them); the
    columns ``attrs["text_columns"]`` lists read left-aligned, the others right-aligned, and
    all of them left-aligned when every column holds text. ``attrs["hide_index"]`` leaves the
    row labels out. ``wide`` counts a Chinese character as two columns (pandas'
    ``display.unicode.east_asian_width``), otherwise as one.
    """
    width = display_width if wide else len
    show_rows = not grid.attrs.get("hide_index", False)
    text_columns = set(grid.attrs.get("text_columns", ()))
    mode = "left" if len(text_columns) == len(grid.columns) else "right"
    show_names = show_rows and any(name is not None for name in grid.row_names)
    labels = _label_texts(list(grid.columns), width)
    columns = []
    for position, label in enumerate(labels):
        values = [str(value) for value in grid.column(position)]
        if position in text_columns:  # padded to one display width, Chinese counted wide
            values = _justify(values, max(map(display_width, values)), "left", display_width)
        values = [(" " if show_rows else "") + _escape(value) for value in values]
        values = _justify(values, max(map(width, values)), "right", width)  # as pandas does
        header = [label, ""] if show_names else [label]
        column_width = max(max(map(width, header)), max(map(width, values)))
        columns.append(_justify(header + values, column_width, mode, width))
    if show_rows:
        columns.insert(0, _row_label_column(grid, show_names, width))
    return _adjoin(columns, width)


def _row_label_column(grid: Grid, show_names: bool, width) -> list[str]:
    """The row labels as one column of text: the columns' name, the levels' names, the rows."""
    levels = []
    for number, name in enumerate(grid.row_names):
        texts = _label_texts(grid.level(number), width)
        levels.append([_name(name), *texts] if show_names else texts)
    if len(levels) > 1:
        levels = _sparsify(levels, start=1 if show_names else 0)
    levels = [_justify(level, max(map(width, level)), "left", width) for level in levels]
    lines = _adjoin(levels, width).split("\n")
    return [_name(grid.column_name), *lines]


def _label_texts(values: list, width) -> list[str]:
    """Labels as pandas writes an index: whole numbers with a sign place, left-aligned to one
    width; other labels as they are; then the spaces every label starts with removed."""
    if values and all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in values):
        texts = [f"{int(value): d}" for value in values]
        texts = _justify(texts, max(map(width, texts)), "left", width)
    else:
        texts = [" " + _escape(value) for value in values]
    lead = min((len(text) - len(text.lstrip()) for text in texts), default=0)
    return [text[lead:] for text in texts]


def _sparsify(levels: list[list[str]], start: int) -> list[list[str]]:
    """Blank each level that repeats the row above, up to the first level that changes (the
    last level is always shown); rows before ``start`` (the names) are kept as they are."""
    rows = list(zip(*levels, strict=True))
    kept = [list(row) for row in rows[: start + 1]]
    for previous, row in zip(rows[start:], rows[start + 1 :], strict=False):
        shown = list(row)
        for number in range(len(row) - 1):
            if previous[number] != row[number]:
                break
            shown[number] = ""
        kept.append(shown)
    return [list(level) for level in zip(*kept, strict=True)]


def _adjoin(columns: list[list[str]], width) -> str:
    """Columns side by side, each padded to its widest text and one space; the last one as
    pandas pads it (to its longest text in characters: its cells are of one width already)."""
    widths = [max(map(width, column)) + 1 for column in columns[:-1]]
    widths.append(max(map(len, columns[-1])))
    height = max(map(len, columns))
    padded = []
    for column, column_width in zip(columns, widths, strict=True):
        texts = _justify(column, column_width, "left", width)
        padded.append([" " * column_width] * (height - len(column)) + texts)
    return "\n".join("".join(line) for line in zip(*padded, strict=True))


def _justify(texts: list[str], column_width: int, mode: str, width) -> list[str]:
    def room(text: str) -> int:
        return column_width - width(text) + len(text)

    if mode == "left":
        return [text.ljust(room(text)) for text in texts]
    return [text.rjust(room(text)) for text in texts]


def _escape(value) -> str:
    return str(value).translate(_ESCAPES)


def _name(name) -> str:
    return "" if name is None else _escape(name)
