"""One convention for numbers, used by every table, report and message.

* Money is in 万元, the unit is in the header (or the row's unit column), never in the cell:
  thousands separated, whole 万元 from 100 up, two decimals below (never three: "-80.000"
  reads as eighty thousand to a Chinese reader).
* Ratios are percentages with one decimal.
* Headcounts are whole persons; months of cash cover have two decimals.
* Years, months and tier numbers are labels: never a thousands separator ("2018", not "2,018").
* Excel cells keep full precision under :data:`EXCEL_FORMATS`; CSV money is rounded to the
  cent of 万元 (:data:`CSV_MONEY_DECIMALS`) unless full precision is asked for.

Pure Python (no numpy or pandas), so that anything may import it.

Examples
--------
>>> format_value(179137.46, "money"), format_value(-80, "money"), format_value(0.4, "money")
('179,137', '-80.00', '0.40')
>>> format_value(0.0760, "ratio"), format_value(4975.4, "persons"), format_value(2018, "year")
('7.6%', '4,975', '2018')
"""

from __future__ import annotations

import math

KINDS = ("money", "ratio", "persons", "count", "months", "number", "year", "id")

EXCEL_FORMATS = {
    "money": "#,##0.00",
    "ratio": "0.0%",
    "persons": "#,##0",
    "count": "0",
    "months": "0.00",
    "number": "0.00",
    "year": "0",
    "id": "0",
}
"""Excel number formats by kind: what a cell shows; the cell itself keeps full precision."""

CSV_MONEY_DECIMALS = 2
"""CSV money is rounded to 0.01 万元 (100 yuan) unless ``--precision full``."""

_UNIT_KINDS = {
    "wan_yuan": "money",
    "fraction": "ratio",
    "persons": "persons",
    "months": "months",
    "year": "year",
    "count": "count",
}


def kind_of_unit(unit: str | None) -> str:
    """The kind of a parameter's or finding's unit (``wan_yuan`` -> ``money``).

    Examples
    --------
    >>> kind_of_unit("fraction"), kind_of_unit("wan_yuan"), kind_of_unit("choice")
    ('ratio', 'money', 'number')
    """
    return _UNIT_KINDS.get(str(unit), "number")


def _plain(value):
    """A float or int from a numpy scalar (anything with ``item``) or a number; else None."""
    if hasattr(value, "item") and getattr(value, "ndim", 0) == 0:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def format_value(value, kind: str = "money", missing: str = "") -> str:
    """``value`` as text by ``kind`` (one of :data:`KINDS`); text passes through unchanged.

    Examples
    --------
    >>> format_value(-0.0001, "ratio"), format_value(float("nan"), "money", missing="–")
    ('0.0%', '–')
    >>> format_value(0.7184, "months"), format_value("abc", "money"), format_value(None)
    ('0.72', 'abc', '')
    """
    if value is None:
        return missing
    number = _plain(value)
    if number is None:
        return str(value)
    if isinstance(number, float) and not math.isfinite(number):
        return missing if math.isnan(number) else ("∞" if number > 0 else "-∞")
    if kind in ("year", "id"):
        return str(int(number))
    if kind == "ratio":
        return f"{round(number, 3) + 0.0:.1%}"  # + 0.0: no "-0.0%"
    if kind in ("persons", "count"):
        return f"{round(number) + 0:,}"
    if kind in ("months", "number"):
        return f"{round(number, 2) + 0.0:.2f}"
    if abs(number) >= 100 or round(number, 2) == 0:
        return f"{round(number) + 0:,}"
    return f"{round(number, 2) + 0.0:,.2f}"


def format_frame(frame, kind: str = "money", column_kinds=None, row_kinds=None, missing="-"):
    """A copy of a DataFrame with every cell as text by :func:`format_value`: a row's kind
    (``row_kinds``, one per row) first, else its column's (``column_kinds``), else ``kind``.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"fund": [1234.5678, -80.0], "ratio": [0.0761, None]})
    >>> format_frame(frame, column_kinds={"ratio": "ratio"}).to_dict("list")
    {'fund': ['1,235', '-80.00'], 'ratio': ['7.6%', '-']}
    >>> format_frame(frame, row_kinds=["ratio", "money"]).iloc[0].tolist()
    ['123456.8%', '7.6%']
    """
    column_kinds = column_kinds or {}
    shown = frame.astype(object)
    for row in range(len(frame)):
        cells = []
        for column, value in zip(frame.columns, frame.iloc[row].tolist(), strict=True):
            chosen = row_kinds[row] if row_kinds else column_kinds.get(column, kind)
            cells.append(format_value(value, chosen, missing))
        shown.iloc[row] = cells
    return shown


def frame_text(frame) -> str:
    """A DataFrame as terminal text: up to 200 characters wide and 20 columns, Chinese
    characters counted two wide, so that columns line up under Chinese headers.

    Examples
    --------
    >>> import pandas as pd
    >>> print(frame_text(pd.DataFrame({"库款": ["1,235"]}, index=["2019"])))
           库款
    2019  1,235
    """
    import pandas as pd

    with pd.option_context(
        "display.width", 200, "display.max_columns", 20, "display.unicode.east_asian_width", True
    ):
        return frame.to_string()


def round_money(value, full: bool = False):
    """A money value for CSV: rounded to the cent of 万元 unless ``full``.

    Examples
    --------
    >>> round_money(1234.56789), round_money(1234.56789, full=True)
    (1234.57, 1234.56789)
    """
    number = _plain(value)
    if full or number is None or not math.isfinite(number):
        return value
    return round(number, CSV_MONEY_DECIMALS)


def year_ranges(years, lang: str = "zh") -> str:
    """Years as compact ranges: ``2019–2020、2023`` (zh) or ``2019–2020, 2023`` (en).

    Examples
    --------
    >>> year_ranges([2019, 2020, 2023], "zh"), year_ranges([2021], "en"), year_ranges([])
    ('2019–2020、2023', '2021', '')
    """
    ordered = sorted({int(year) for year in years})
    parts: list[str] = []
    start = previous = None
    for year in [*ordered, None]:
        if previous is not None and year == previous + 1:
            previous = year
            continue
        if start is not None:
            parts.append(str(start) if start == previous else f"{start}–{previous}")
        start = previous = year
    return ("、" if lang == "zh" else ", ").join(parts)
