"""The report as an Excel workbook: an about sheet, then one formatted sheet per table."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from fiscal_sim._version import __version__
from fiscal_sim.report.tables import (
    _cell_kind,
    _display,
    _header,
    _lang,
    column_kind,
    meta_rows,
    report_tables,
    word,
)
from fiscal_sim.report.uncertainty import check_ensemble, uncertainty_tables

_NUMBER_FORMATS = {
    "id": "0",
    "ratio": "0.0%",
    "months": "0.00",
    "number": "0.00",
    "persons": "#,##0",
    "money": "#,##0.00",
}
_HEADER_FILL = "DCE6F1"


def _write_sheet(workbook, title: str, frame: pd.DataFrame, lang: str) -> None:
    """One formatted sheet: labelled bold header in row 1 (frozen), numbers as numbers."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title=title[:31])
    headers = [_header(column, lang) for column in frame.columns]
    sheet.append(headers)
    for record in frame.itertuples(index=False, name=None):
        sheet.append(
            [
                _display(column, value, lang)
                for column, value in zip(frame.columns, record, strict=True)
            ]
        )
    bold, fill = Font(bold=True), PatternFill("solid", fgColor=_HEADER_FILL)
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    row_kinds = frame.attrs.get("kinds")  # one kind per row, for the kind_columns
    kind_columns = frame.attrs.get("kind_columns", ("value",))
    column_kinds = frame.attrs.get("column_kinds")
    records = frame.to_dict("records")
    for number, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(number)
        kinds = row_kinds if row_kinds and column in kind_columns else None
        texts = [headers[number - 1]]
        for row_number, cell in enumerate(sheet[letter][1:]):
            if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                if kinds:
                    kind = column_kind(kinds[row_number])
                else:
                    kind = _cell_kind(column, records[row_number], column_kinds)
                cell.number_format = _NUMBER_FORMATS[kind]
                texts.append(f"{cell.value:,.2f}")
            elif cell.value is not None:
                texts.append(str(cell.value))
        width = max(_display_width(text) for text in texts[:500])
        sheet.column_dimensions[letter].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"
    if sheet.max_row > 1:
        sheet.auto_filter.ref = sheet.dimensions


def _display_width(text: str) -> int:
    """Width in Excel character units: CJK characters are about two wide."""
    return sum(2 if ord(character) > 0x2E80 else 1 for character in str(text))


def _about_sheet(workbook, rows, lang: str) -> None:
    from openpyxl.styles import Font

    sheet = workbook.active
    sheet.title = word("sheet.about", lang)
    for key, value in rows:
        sheet.append([key, value])
    for cell in sheet["A"]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 70


def _workbook(projection, tables: Mapping[str, pd.DataFrame], lang: str, rows):
    from openpyxl import Workbook

    workbook = Workbook()
    _about_sheet(workbook, rows, lang)
    for key, frame in tables.items():
        _write_sheet(workbook, word(f"sheet.{key}", lang), frame, lang)
    meta = getattr(projection, "meta", {}) or {}
    workbook.properties.title = f"{word('report.title', lang)}: {meta.get('scenario', '')}"
    workbook.properties.subject = f"hash {meta.get('hash', '')}"
    workbook.properties.creator = f"fiscal_sim {meta.get('fiscal_sim_version', __version__)}"
    workbook.properties.keywords = str(meta.get("hash", ""))
    return workbook


def xlsx_workbook(
    projection,
    findings=None,
    *,
    lang: str | None = None,
    draw: int = 0,
    generated: str | None = None,
    ensemble=None,
):
    """The report as an openpyxl Workbook: an about sheet, then one sheet per table.

    With an ``ensemble`` (:func:`fiscal_sim.simulate` of the same scenario), the about sheet
    records its draws, seed and shocks, and two sheets follow: the breach probabilities
    (rule × year) and the quantiles of every indicator.
    """
    lang = _lang(lang)
    if findings is None:
        import fiscal_sim

        findings = fiscal_sim.check(projection)
    tables = report_tables(projection, findings, lang, draw)
    rows = meta_rows(projection, lang, generated=generated, draw=draw, ensemble=ensemble)
    if ensemble is not None:
        check_ensemble(projection, ensemble)
        tables.update(uncertainty_tables(ensemble, lang))
    return _workbook(projection, tables, lang, rows)
