"""Text cells a spreadsheet shows and never runs: the one writer of CSV and xlsx cells.

A scenario name, title, label or programme name is text from the user's file. Written as
is, ``=HYPERLINK("http://x","y")`` becomes a live formula when the output is opened in a
spreadsheet (CSV or formula injection). Every output goes through this module:

- :func:`to_csv` writes a DataFrame as CSV whose text cells (and headers) that begin with
  ``=``, ``+``, ``-``, ``@``, a tab or a carriage return get a leading ``'`` (OWASP's advice),
  so a spreadsheet shows them as text; numbers stay numbers.
- :func:`save_workbook` saves an openpyxl workbook with every text cell a string cell,
  never a formula (fiscal_sim writes no formulas).

pandas and openpyxl are not imported here: callers pass their objects in.

Examples
--------
>>> csv_cell('=HYPERLINK("http://x","y")'), csv_cell("-0.03, -0.02"), csv_cell("税收")
('\\'=HYPERLINK("http://x","y")', '-0.03, -0.02', '税收')
"""

from __future__ import annotations

import re

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Numbers (a list of them, as `params` writes a yearly series) are not formulas.
_NUMBERS = re.compile(r"[-+]?\d[\d.]*(e[-+]?\d+)?%?(, [-+]?\d[\d.]*(e[-+]?\d+)?%?)*", re.I)


def csv_cell(value):
    """``value`` safe in a CSV cell: text that a spreadsheet would run is prefixed with ``'``."""
    if isinstance(value, str) and value.startswith(_TRIGGERS) and not _NUMBERS.fullmatch(value):
        return "'" + value
    return value


def safe_frame(frame):
    """A copy of a DataFrame whose text cells, column names and index labels are CSV-safe."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype.kind not in "biufcmM":  # text (object or str), not numbers
            safe[column] = safe[column].map(csv_cell)
    safe.columns = safe.columns.map(_labels)
    safe.index = safe.index.map(_labels)
    safe.index.names = [csv_cell(name) for name in safe.index.names]
    safe.columns.names = [csv_cell(name) for name in safe.columns.names]
    return safe


def _labels(label):
    return tuple(csv_cell(part) for part in label) if isinstance(label, tuple) else csv_cell(label)


def to_csv(frame, path_or_buffer=None, **options):
    """``frame.to_csv(...)`` with every text cell made safe by :func:`csv_cell`."""
    return safe_frame(frame).to_csv(path_or_buffer, **options)


def strings_not_formulas(workbook) -> None:
    """Make every formula cell of an openpyxl ``workbook`` a string cell (shown, never run)."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def save_workbook(workbook, path) -> None:
    """Save an openpyxl ``workbook`` to ``path`` after :func:`strings_not_formulas`."""
    strings_not_formulas(workbook)
    workbook.save(path)
