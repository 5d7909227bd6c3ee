"""A filled actuals workbook (or the same layout as CSV) read and checked.

:func:`read_actuals` returns an :class:`Actuals`: the closed months of one budget year in
the layout of ``layout.yaml``. Problems are reported all at once, each naming its cell as
the scenario workbook does (``actuals.xlsx!实际执行!C5 (tax): …``), and stop the run (the CLI
exits with 2): a column the layout does not know (with a did-you-mean), a month out of order,
a figure after the file's as-of month, an empty or non-numeric figure in a closed month,
negative cash. The cash identity (opening + receipts − payments = closing, within
:data:`~fiscal_sim.actuals.files.IDENTITY_TOLERANCE`) and the continuity of cash from one
month to the next are checked month by month; a month that misses is a warning naming it.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
from dataclasses import dataclass, field
from pathlib import Path

from fiscal_sim.actuals.files import (
    ABOUT_SHEET,
    FIRST_MONTH_ROW,
    IDENTITY_TOLERANCE,
    MONTH_COLUMN,
    MONTHS_SHEET,
    column_bounds,
)
from fiscal_sim.actuals.layout import (
    COLUMN,
    KEYS,
    MONTH_KEY,
    MONTH_NAMES,
    PAYMENTS,
    RECEIPTS,
    month_text,
)
from fiscal_sim.errors import Bilingual, ScenarioError, did_you_mean
from fiscal_sim.inputs import read_input_text
from fiscal_sim.workbook import guard
from fiscal_sim.workbook.cells import expected_text, is_number
from fiscal_sim.workbook.sheets import (
    EMPTY,
    Problems,
    SheetReader,
    cannot_read,
    expected_got,
    shown,
)

# A closed month must give these; the stocks, arrears and headcount may be left empty.
REQUIRED = ("opening_cash", *RECEIPTS, *PAYMENTS, "closing_cash")


@dataclass(frozen=True)
class Actuals:
    """The closed months of one budget year, as read from an actuals file.

    ``frame`` is indexed by month (``2020-01`` … the as-of month), one column per key of
    the layout, in 万元 (headcount in persons); an optional figure left empty is NaN.
    ``cells`` names the cell of each ``(month, key)``; ``warnings`` the months whose cash
    does not add up.
    """

    file: str
    year: int
    as_of: int
    frame: object
    cells: dict = field(default_factory=dict)
    warnings: tuple = ()
    about: dict = field(default_factory=dict)

    @property
    def as_of_text(self) -> str:
        return month_text(self.year, self.as_of)


class _Grid:
    """The cells of the months table, whichever file they came from."""

    def __init__(self, rows: list[list], ref, problems: Problems):
        self.rows, self.ref, self.problems = rows, ref, problems

    def value(self, row: int, column: int):
        line = self.rows[row - 1] if row <= len(self.rows) else []
        return line[column - 1] if column <= len(line) else None


def read_actuals(path) -> Actuals:
    """Read and check an actuals ``.xlsx`` workbook or ``.csv`` file.

    Raises
    ------
    ScenarioError
        (a :class:`~fiscal_sim.workbook.sheets.WorkbookError` listing every problem) when the
        file cannot be used; warnings do not raise.
    """
    path = Path(path)
    problems = Problems(path)
    if path.suffix.lower() == ".csv":
        grid, about = _csv_grid(path, problems)
    else:
        grid, about = _workbook_grid(path, problems)
    problems.raise_any()
    columns = _columns(grid)
    first_data = FIRST_MONTH_ROW if _has_label_rows(grid) else 2
    year = about.get("year")
    months = _months(grid, first_data, year)
    problems.raise_any()
    year = year or (months[0][1][0] if months else None)
    if year is None:
        problems.add(
            None,
            None,
            Bilingual(
                "没有填写月份：每月一行，从一月开始",
                "no month given: one row per month, from January",
            ),
        )
        problems.raise_any()
    as_of = about.get("as_of") or _last_filled(grid, months, columns)
    values, cells = _figures(grid, months, columns, year, as_of, about.get("as_of_cell"))
    problems.raise_any()
    import pandas as pd

    index = pd.Index([month_text(year, m) for m in range(1, as_of + 1)], name=MONTH_KEY)
    frame = pd.DataFrame(values, index=index, columns=list(KEYS), dtype=float)
    return Actuals(
        file=str(path),
        year=year,
        as_of=as_of,
        frame=frame,
        cells=cells,
        warnings=tuple(cash_warnings(frame, cells, path)),
        about={k: v for k, v in about.items() if not k.endswith("_cell")},
    )


def _workbook_grid(path: Path, problems: Problems):
    from openpyxl import load_workbook

    data = guard.check_file(path)
    try:
        values = load_workbook(io.BytesIO(data), data_only=True)
        formulas = load_workbook(io.BytesIO(data), data_only=False)
    except Exception as error:  # a corrupt zip or XML: openpyxl raises many kinds
        raise ScenarioError(path, None, cannot_read(error)) from None
    readers = {}
    for sheet in (MONTHS_SHEET, ABOUT_SHEET):
        title = next((t for t in (sheet.name_zh, sheet.name_en) if t in values.sheetnames), None)
        if title is None:
            problems.add(
                None,
                None,
                Bilingual(
                    "缺少工作表 {sheet_zh}（{sheet_en}）",
                    "the sheet {sheet_zh} ({sheet_en}) is missing",
                    sheet_zh=sheet.name_zh,
                    sheet_en=sheet.name_en,
                ),
            )
            continue
        guard.check_shape(path, values[title])
        readers[sheet.name_en] = SheetReader(values[title], formulas[title], problems)
    if len(readers) < 2:
        return _Grid([], None, problems), {}
    months = readers["Actuals"]
    months.check_merged()
    rows = [
        [months.value(row, column) for column in range(1, months.ws.max_column + 1)]
        for row in range(1, months.ws.max_row + 1)
    ]
    return _Grid(rows, months.ref, problems), _about(readers["About"], problems)


def _about(reader: SheetReader, problems: Problems) -> dict:
    about: dict = {}
    for row in range(1, reader.ws.max_row + 1):
        key = reader.value(row, 1)
        if key not in ("as_of", "year", "scenario", "fiscal_sim_version"):
            continue
        value, where = reader.value(row, 3, key), reader.ref(row, 3)
        about[f"{key}_cell"] = where
        if value is None or value is EMPTY:
            continue
        if key == "as_of":
            month = _month_of(value)
            if month is None:
                problems.add(where, key, _not_a_month(value))
            else:
                about["as_of_month"] = month
        elif key == "year":
            if is_number(value) and value == int(value):
                about["year"] = int(value)
            else:
                problems.add(where, key, expected_got(Bilingual("年份", "a year"), value))
        else:
            about[key] = str(value)
    if "as_of_month" not in about and "as_of_cell" in about:
        problems.add(
            about["as_of_cell"],
            "as_of",
            Bilingual(
                "请填写最后一个已结账的月份（YYYY-MM，如 2020-06）",
                "write the last closed month (YYYY-MM, e.g. 2020-06)",
            ),
        )
    month = about.pop("as_of_month", None)
    if month is not None:
        if about.get("year") is not None and month[0] != about["year"]:
            problems.add(
                about["as_of_cell"],
                "as_of",
                Bilingual(
                    "{month} 不在预算年度 {year} 内",
                    "{month} is not in the budget year {year}",
                    month=month_text(*month),
                    year=about["year"],
                ),
            )
        about["as_of"] = month[1]
        about.setdefault("year", month[0])
    return about


def _csv_grid(path: Path, problems: Problems):
    text = read_input_text(path)
    rows = list(csv.reader(io.StringIO(text)))
    if len(rows) > guard.MAX_ROWS or max((len(r) for r in rows), default=0) > guard.MAX_COLUMNS:
        raise ScenarioError(
            path,
            None,
            Bilingual(
                "文件有 {rows} 行 × {columns} 列；最多读取 {max_rows} × {max_columns}",
                "the file spans {rows} rows × {columns} columns; at most "
                "{max_rows} × {max_columns} are read",
                rows=len(rows),
                columns=max(len(r) for r in rows),
                max_rows=guard.MAX_ROWS,
                max_columns=guard.MAX_COLUMNS,
            ),
        )
    parsed = [[_csv_value(cell) for cell in row] for row in rows]

    def ref(row: int, column: int) -> str:
        from openpyxl.utils import get_column_letter

        return f"{get_column_letter(column)}{row}"

    return _Grid(parsed, ref, problems), {}


def _csv_value(cell: str):
    cell = cell.strip()
    if not cell:
        return None
    try:
        number = float(cell)
    except ValueError:
        return cell
    return number if math.isfinite(number) else cell


def _has_label_rows(grid: _Grid) -> bool:
    return grid.value(2, MONTH_COLUMN) in MONTH_NAMES


def _columns(grid: _Grid) -> dict[str, int]:
    """Row 1: the month column, then the layout's keys (each once, none unknown, none missing)."""
    if grid.value(1, MONTH_COLUMN) != MONTH_KEY:
        grid.problems.add(
            grid.ref(1, MONTH_COLUMN),
            None,
            Bilingual(
                "表头应为 {key!r}（第 1 行放各列的键）",
                "expected the header {key!r} (row 1 holds the column keys)",
                key=MONTH_KEY,
            ),
        )
    found: dict[str, int] = {}
    width = max((len(row) for row in grid.rows[:1]), default=0)
    for column in range(MONTH_COLUMN + 1, width + 1):
        key = grid.value(1, column)
        if key is None:
            continue
        where = grid.ref(1, column)
        if key not in COLUMN:
            grid.problems.add(
                where,
                None,
                Bilingual(
                    "未知列 {column}{hint}；各列应为 layout.yaml 中的键（fiscal-sim template "
                    "--actuals YEAR 会写出它们）",
                    "unknown column {column}{hint}; the layout's columns are keys "
                    "of layout.yaml (fiscal-sim template --actuals YEAR writes them)",
                    column=shown(key),
                    hint=did_you_mean(key, KEYS),
                ),
            )
        elif key in found:
            grid.problems.add(
                where,
                key,
                Bilingual("列 {key} 重复", "the column {key} is given twice", key=key),
            )
        else:
            found[key] = column
    for key in KEYS:
        if key not in found and not grid.problems.found:
            grid.problems.add(
                grid.ref(1, MONTH_COLUMN),
                None,
                Bilingual(
                    "缺少列 {key!r}（{column_zh}）",
                    "the column {key!r} ({column_zh}) is missing",
                    key=key,
                    column_zh=COLUMN[key].zh,
                ),
            )
    return found


def _month_of(value) -> tuple[int, int] | None:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.year, value.month
    year, dash, month = str(value).strip().partition("-")
    if dash and year.isdigit() and month.isdigit() and 1 <= int(month) <= 12:
        return int(year), int(month)
    return None


def _months(grid: _Grid, first: int, year: int | None) -> list[tuple[int, tuple[int, int]]]:
    """The rows that name a month: January first, one month after another, in one year."""
    months = []
    position = 0
    for row in range(first, len(grid.rows) + 1):
        value = grid.value(row, MONTH_COLUMN)
        if value is None or value is EMPTY:
            continue
        position += 1
        where = grid.ref(row, MONTH_COLUMN)
        month = _month_of(value)
        if month is None:
            grid.problems.add(where, MONTH_KEY, _not_a_month(value))
            continue
        year = year or month[0]
        wanted = (year, position)
        if month != wanted:
            grid.problems.add(
                where,
                MONTH_KEY,
                Bilingual(
                    "应为 {wanted}，实为 {got}（预算年度每月一行，从一月起依次排列）",
                    "expected {wanted}, got {got} (one row per month of the budget year, in "
                    "order from January)",
                    wanted=month_text(*wanted),
                    got=month_text(*month),
                ),
            )
            continue
        months.append((row, month))
    return months


def _last_filled(grid: _Grid, months, columns) -> int:
    """A CSV's as-of month: the last month with any figure."""
    filled = [
        m for row, (_, m) in months if any(grid.value(row, c) is not None for c in columns.values())
    ]
    return max(filled, default=0)


def _figures(grid: _Grid, months, columns, year, as_of, as_of_cell):
    values: dict[str, list] = {key: [] for key in KEYS}
    cells: dict = {}
    if as_of < 1:
        grid.problems.add(
            None,
            None,
            Bilingual("没有已结账的月份：至少填写一月", "no closed month: fill at least January"),
        )
    for row, (_, month) in months:
        for key, column in columns.items():
            value, where = grid.value(row, column), grid.ref(row, column)
            cells[(month_text(year, month), key)] = where
            name = f"{key}, {month_text(year, month)}"
            if month > as_of:
                if value is not None:
                    grid.problems.add(
                        where,
                        name,
                        Bilingual(
                            "截止月份 {as_of}{cell}之后有数字：尚未结账的月份请留空，或调整截止"
                            "月份",
                            "a figure after the as-of month {as_of}{cell}: leave the months "
                            "not yet closed empty, or move the as-of month",
                            as_of=month_text(year, as_of),
                            cell=Bilingual("（{c}）", " ({c})", c=as_of_cell) if as_of_cell else "",
                        ),
                    )
                continue
            values[key].append(_figure(grid, where, name, key, value))
    closed = sum(1 for _, (_, m) in months if m <= as_of)
    if as_of > 0 and closed < as_of:
        grid.problems.add(
            None,
            None,
            Bilingual(
                "截止月份为 {as_of}，但只给出了 {closed} 个月份行",
                "the as-of month is {as_of} but only {closed} month rows are given",
                as_of=month_text(year, as_of),
                closed=closed,
            ),
        )
    return {key: column for key, column in values.items()}, cells


def _figure(grid, where, name, key, value) -> float:
    column = COLUMN[key]
    if value is EMPTY:
        return math.nan
    if value is None:
        if key in REQUIRED:
            grid.problems.add(
                where,
                name,
                Bilingual(
                    "已结账月份中为空：请填写每项收入、支出和库款数字（没有则填 0）",
                    "empty in a closed month: give every receipt, payment and cash figure "
                    "(0 for none)",
                ),
            )
        return math.nan
    bounds = column_bounds(column)
    if not is_number(value):
        grid.problems.add(where, name, expected_got(expected_text(bounds), value))
        return math.nan
    if bounds.minimum is not None and value < bounds.minimum:
        if column.kind in ("opening", "closing"):
            message = Bilingual(
                "库款不能为负，实为 {got}",
                "treasury cash cannot be negative, got {got}",
                got=shown(value),
            )
        else:
            message = expected_got(expected_text(bounds), value)
        grid.problems.add(where, name, message)
    return float(value)


def _not_a_month(value) -> Bilingual:
    return Bilingual(
        "应为 YYYY-MM 格式的月份，实为 {got}",
        "expected a month as YYYY-MM, got {got}",
        got=shown(value),
    )


def cash_warnings(frame, cells: dict, path) -> list[Bilingual]:
    """One line per month whose cash does not add up (identity, or continuity of cash)."""
    warnings = []
    previous = None
    for month, row in frame.iterrows():
        flows = row[list(RECEIPTS)].sum() - row[list(PAYMENTS)].sum()
        gap = row["opening_cash"] + flows - row["closing_cash"]
        if abs(gap) > IDENTITY_TOLERANCE:
            warnings.append(
                Bilingual(
                    "{path}!{cell}（{month}）：库款等式不平：期初库款 + 收入 − 支出 ="
                    " {sum:,.2f} 万元，期末库款 {closing:,.2f} 万元，"
                    "相差 {gap:,.2f}（容差 {tolerance:g} 万元）",
                    "{path}!{cell} ({month}): opening cash + receipts − payments = {sum:,.2f}"
                    " 万元, closing cash {closing:,.2f} 万元: off by {gap:,.2f}"
                    " (tolerance {tolerance:g} 万元)",
                    path=path,
                    cell=cells.get((month, "closing_cash"), ""),
                    month=month,
                    sum=row["opening_cash"] + flows,
                    closing=row["closing_cash"],
                    gap=gap,
                    tolerance=IDENTITY_TOLERANCE,
                )
            )
        if previous is not None and abs(row["opening_cash"] - previous) > IDENTITY_TOLERANCE:
            warnings.append(
                Bilingual(
                    "{path}!{cell}（{month}）：期初库款余额 {opening:,.2f} 万元与上月期末"
                    " {previous:,.2f} 万元不符",
                    "{path}!{cell} ({month}): opening cash {opening:,.2f} 万元 is not last"
                    " month's closing cash {previous:,.2f} 万元",
                    path=path,
                    cell=cells.get((month, "opening_cash"), ""),
                    month=month,
                    opening=row["opening_cash"],
                    previous=previous,
                )
            )
        previous = row["closing_cash"]
    return warnings
