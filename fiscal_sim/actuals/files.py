"""The actuals layout written: the workbook a treasury fills in each month, and its CSV.

The workbook has an About sheet (what to fill, the as-of month, the scenario and version)
and one sheet of months: row 1 the column keys, rows 2 and 3 the names in Chinese and
English with their units, then one row per month of the budget year. Figure cells are
unlocked, coloured and validated, as in the scenario workbook (the sheet and cell helpers of
:mod:`fiscal_sim.workbook.writer`); a month not yet closed is left empty. The CSV holds the
same rows. Cells go through :mod:`fiscal_sim.cells`; the CLI writes atomically.
"""

from __future__ import annotations

from fiscal_sim._version import __version__
from fiscal_sim.actuals.layout import (
    COLUMNS,
    MONTH_KEY,
    MONTH_NAMES,
    header,
    month_text,
)
from fiscal_sim.workbook import cells as C
from fiscal_sim.workbook.writer import _Sheet, _styles, _width

IDENTITY_TOLERANCE = 1.0
"""万元: opening + receipts − payments may miss closing cash by this much (rounding of the
lines to the 元 or 百元 a treasury report shows) before the reader warns."""

FIRST_MONTH_ROW = 4  # rows 1-3: keys, 中文, English
MONTH_COLUMN = 1


class SheetName:
    """A sheet's names in both languages (what :class:`_Sheet` asks of a layout)."""

    def __init__(self, zh: str, en: str):
        self.name_zh, self.name_en = zh, en

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


MONTHS_SHEET = SheetName("实际执行", "Actuals")
ABOUT_SHEET = SheetName("说明", "About")

# key -> (中文, English): the About rows the reader takes.
ABOUT_ROWS = {
    "as_of": ("截至月份（已结账的最后一个月，YYYY-MM）", "as of (the last closed month, YYYY-MM)"),
    "year": ("预算年度", "budget year"),
    "scenario": ("对照情景", "scenario compared against"),
    "fiscal_sim_version": ("fiscal_sim 版本", "fiscal_sim version"),
}

INSTRUCTIONS = {
    "zh": (
        "本工作簿记录一个预算年度的实际执行：每月一行，黄色单元格填写国库和预算系统的月度数据。",
        "金额单位为万元，人数单位为人；表头第2、3行给出单位。未结账的月份留空。",
        "库款等式：期初库款余额 + 各项流入 − 各项流出 = 期末库款余额，"
        f"误差超过 {IDENTITY_TOLERANCE:g} 万元时给出提示。",
        "填写后运行：fiscal-sim reforecast --actuals 本文件.xlsx；月报：fiscal-sim report "
        "--month 2020-06 --actuals 本文件.xlsx",
    ),
    "en": (
        "This workbook records one budget year's actual execution: one row per month; fill the "
        "yellow cells with the treasury's and the budget system's monthly figures.",
        "Money in 万元 (10,000 yuan), headcount in persons; rows 2 and 3 of the header give "
        "the units. Leave the months not yet closed empty.",
        "Cash identity: opening cash + receipts − payments = closing cash; a month that misses "
        f"it by more than {IDENTITY_TOLERANCE:g} 万元 is reported.",
        "Then run: fiscal-sim reforecast --actuals this.xlsx; the monthly report: fiscal-sim "
        "report --month 2020-06 --actuals this.xlsx",
    ),
}


def column_bounds(column) -> C.Bounds:
    """What a figure cell accepts: cash, stocks and headcount never negative; flows any number
    (a refund can make a month's line negative)."""
    if column.kind in ("opening", "closing", "stock"):
        return C.Bounds(column.unit, False, 0.0, None)
    if column.kind == "count":
        return C.Bounds(column.unit, True, 0.0, None)
    return C.Bounds(column.unit, False, None, None)


def write_workbook(path, year: int, scenario, frame=None, lang: str = "zh") -> None:
    """Write the actuals workbook of ``year``: empty, or filled with ``frame``'s months.

    Parameters
    ----------
    path
        The ``.xlsx`` file (the CLI writes it through :func:`fiscal_sim.writing.write_atomic`).
    year
        The budget year: one row per month of it.
    scenario
        The scenario the figures are compared against (named on the About sheet).
    frame
        Optional months in the layout (:meth:`~fiscal_sim.results.Projection.actuals`); its
        last month is the as-of month. Without it the workbook is the empty template.
    lang
        ``"zh"`` or ``"en"``: sheet names, instructions (headers carry both languages).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    from fiscal_sim.cells import save_workbook

    styles = _styles()
    workbook = Workbook()
    workbook.remove(workbook.active)
    as_of = frame.attrs.get("as_of") if frame is not None else None
    _write_about(workbook, lang, styles, year, scenario, as_of, Alignment(wrap_text=True))
    _write_months(workbook, lang, styles, year, frame)
    workbook.properties.creator = f"fiscal_sim {__version__}"
    save_workbook(workbook, path)


def _write_about(workbook, lang, styles, year, scenario, as_of, wrap) -> None:
    sheet = _Sheet(workbook, ABOUT_SHEET, lang, styles)
    pick = 0 if lang == "zh" else 1
    title = "fiscal_sim 实际执行工作簿" if lang == "zh" else "fiscal_sim actuals workbook"
    rows = [("", title, "", False)]
    rows += [("", "", line, False) for line in INSTRUCTIONS[lang]]
    rows.append(("", "", "", False))
    values = {
        "as_of": as_of,
        "year": year,
        "scenario": f"{scenario.name} (hash {scenario.hash})",
        "fiscal_sim_version": __version__,
    }
    rows += [(key, names[pick], values[key], key == "as_of") for key, names in ABOUT_ROWS.items()]
    for row, (key, text, value, editable) in enumerate(rows, start=1):
        sheet.text(row, 1, key)
        sheet.text(row, 2, text)
        sheet.text(row, 3, value, editable=editable).alignment = wrap
    for letter, width in (("A", 20), ("B", 40), ("C", 90)):
        sheet.ws.column_dimensions[letter].width = width
    sheet.finish({})


def _write_months(workbook, lang, styles, year, frame) -> None:
    sheet = _Sheet(workbook, MONTHS_SHEET, lang, styles)
    ws = sheet.ws
    heads = [
        (MONTH_KEY, *MONTH_NAMES),
        *((c.key, header(c, "zh"), header(c, "en")) for c in COLUMNS),
    ]
    for column, texts in enumerate(heads, start=1):
        for row, text in enumerate(texts, start=1):
            cell = sheet.text(row, column, text)
            cell.font = styles["header_font"]
            cell.fill = styles["header"]
    rules = {}
    for offset in range(12):
        row = FIRST_MONTH_ROW + offset
        month = month_text(year, offset + 1)
        sheet.text(row, MONTH_COLUMN, month)
        for index, column in enumerate(COLUMNS, start=MONTH_COLUMN + 1):
            bounds = column_bounds(column)
            if bounds not in rules:
                rules[bounds] = sheet.number_rule(bounds)
            value = None
            if frame is not None and month in frame.index:
                value = float(frame.at[month, column.key])
            sheet.number(row, index, value, rules[bounds])
    ws.freeze_panes = ws.cell(row=FIRST_MONTH_ROW, column=MONTH_COLUMN + 1)
    widths = {MONTH_COLUMN: 10}
    for index, (_, zh, en) in enumerate(heads[1:], start=MONTH_COLUMN + 1):
        widths[index] = min(_width([zh, en]), 24)
    sheet.finish(widths)
    ws.print_title_rows = "1:3"


def write_csv(path, frame) -> None:
    """The months of ``frame`` as CSV in the same layout: keys, then the two header rows."""
    import pandas as pd

    from fiscal_sim.cells import to_csv

    heads = pd.DataFrame(
        [
            [MONTH_NAMES[0], *(header(c, "zh") for c in COLUMNS)],
            [MONTH_NAMES[1], *(header(c, "en") for c in COLUMNS)],
        ],
        columns=[MONTH_KEY, *(c.key for c in COLUMNS)],
    )
    body = frame.reset_index()[[MONTH_KEY, *(c.key for c in COLUMNS)]]
    body = body.astype({c.key: object for c in COLUMNS})
    to_csv(pd.concat([heads, body], ignore_index=True), path, index=False, encoding="utf-8-sig")
