"""The report as an Excel workbook: an about sheet, then one formatted sheet per table."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from fiscal_sim._version import __version__
from fiscal_sim.numbers import EXCEL_FORMATS
from fiscal_sim.report.bureau import bureau_tables
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

_NUMBER_FORMATS = EXCEL_FORMATS
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
    page_setup(sheet)


def page_setup(sheet, title_rows: str | None = "1:1") -> None:
    """Print set-up: A4 landscape, fitted to the page width, the header row on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = False
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    if title_rows:
        sheet.print_title_rows = title_rows


_RAG_FILLS = {"red": "F4C7C3", "amber": "FCE8B2", "green": "B7E1CD"}


def _summary_sheet(workbook, projection, findings, lang: str, draw: int, generated) -> None:
    """The first sheet: title (with what was changed), one red/amber/green row per group of
    rules with its figures, then the sentences (:mod:`~fiscal_sim.report.summary`)."""
    from openpyxl.styles import Alignment, Font, PatternFill

    from fiscal_sim.report import summary as first_page
    from fiscal_sim.report.tables import changes_text, report_title

    page = first_page.summary(projection, findings, lang, draw)
    words = first_page.page_words(lang)
    sheet = workbook.active
    sheet.title = word("sheet.summary", lang)
    sheet.append([report_title(projection, lang)])
    sheet["A1"].font = Font(bold=True, size=14)
    changes = changes_text(projection, lang)
    if changes:
        sheet.append([changes])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, color="9C5700")
    sheet.append([first_page.about_line(projection, lang, generated)])
    sheet.append([page.headline])
    sheet.append([])
    sheet.append([words["group"], words["status"], words["figures"]])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
    top = Alignment(wrap_text=True, vertical="top")
    for line in page.lines:
        figures = "\n".join(line.figures)
        sheet.append([line.name, words[f"status.{line.status}"], figures])
        row = sheet[sheet.max_row]
        row[1].fill = PatternFill("solid", fgColor=_RAG_FILLS[line.status])
        for cell in row:
            cell.alignment = top
        sheet.row_dimensions[sheet.max_row].height = 15 * max(len(line.figures), 1) + 3
    sheet.append([])
    for sentence in page.sentences():
        sheet.append([sentence])
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 14
    sheet.column_dimensions["C"].width = 90
    page_setup(sheet, title_rows=None)


def _charts_sheet(workbook, projection, lang: str, draw: int) -> None:
    """The report's charts as pictures, two to a printed page."""
    from io import BytesIO

    from openpyxl.drawing.image import Image
    from openpyxl.worksheet.pagebreak import Break

    from fiscal_sim import plots

    sheet = workbook.create_sheet(word("sheet.charts", lang))
    # Two charts a landscape A4 page, one above the other (every sheet prints landscape).
    rows_per_chart = 16  # rows of 15 pt: a chart 480 px wide is at most 290 px (218 pt) high
    for number, name in enumerate(plots.CHARTS):
        ax = plots.chart(name, projection, lang=lang, draw=draw)
        try:
            png = plots.figure_bytes(ax.figure, "png", dpi=90)
        finally:
            plots.close(ax)
        image = Image(BytesIO(png))
        scale = 480 / image.width
        image.width, image.height = 480, image.height * scale
        row = 1 + number * rows_per_chart
        sheet.add_image(image, f"A{row}")
        if number % 2 == 1:
            sheet.row_breaks.append(Break(id=row + rows_per_chart - 1))
    page_setup(sheet, title_rows=None)
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5  # inches: 2 × 16 rows fit


def _display_width(text: str) -> int:
    """Width in Excel character units: CJK characters are about two wide."""
    return sum(2 if ord(character) > 0x2E80 else 1 for character in str(text))


def _about_sheet(workbook, rows, lang: str, first: bool = True) -> None:
    """The scenario, hash, files, version, date (and Monte Carlo) of the report: the first
    sheet of the monthly table, the last (the appendix) of the report."""
    from openpyxl.styles import Alignment, Font

    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = word("sheet.about", lang)
    for key, value in rows:
        sheet.append([key, value])
    for cell in sheet["A"]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 70
    for cell in sheet["B"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    page_setup(sheet, title_rows=None)


def _workbook(projection, tables: Mapping[str, pd.DataFrame], lang: str, rows, first_page=None):
    """A workbook: the about sheet first, or ``first_page(workbook)`` first and the about
    sheet last (the report's appendix); one sheet per table between them."""
    from openpyxl import Workbook

    workbook = Workbook()
    if first_page is None:
        _about_sheet(workbook, rows, lang)
    else:
        first_page(workbook)
    for key, frame in tables.items():
        _write_sheet(workbook, word(f"sheet.{key}", lang), frame, lang)
    if first_page is not None:
        _about_sheet(workbook, rows, lang, first=False)
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
    charts: bool = True,
    what_it_would_take=None,
):
    """The report as an openpyxl Workbook, every sheet set up to print on A4.

    The summary sheet first (the same first page as the HTML report), then one sheet per
    table, the charts (unless ``charts=False``), the parameters and last the about sheet
    (scenario, hash, files, version, date). With an ``ensemble`` (:func:`fiscal_sim.simulate`
    of the same scenario), the about sheet records its draws, seed and shocks, and two sheets
    come before the parameters: the breach probabilities (rule × year) and the quantiles of
    every indicator. A ``what_it_would_take`` (goal-seek of every lever) adds its levers ×
    years sheet.
    """
    lang = _lang(lang)
    if findings is None:
        import fiscal_sim

        findings = fiscal_sim.check(projection)
    tables = report_tables(projection, findings, lang, draw)
    parameters = tables.pop("parameters", None)
    tables.update(bureau_tables(projection, lang, draw))
    rows = meta_rows(projection, lang, generated=generated, draw=draw, ensemble=ensemble)
    if ensemble is not None:
        check_ensemble(projection, ensemble)
        tables.update(uncertainty_tables(ensemble, lang))
    if what_it_would_take is not None:
        tables["what_it_would_take"] = what_it_would_take.table(lang).reset_index()
    if parameters is not None:
        tables["parameters"] = parameters

    def first_page(workbook):
        _summary_sheet(workbook, projection, findings, lang, draw, generated)

    workbook = _workbook(projection, tables, lang, rows, first_page)
    if charts:
        _charts_sheet(workbook, projection, lang, draw)
        after = 2 if parameters is not None else 1  # before the parameters and the about sheet
        workbook.move_sheet(word("sheet.charts", lang), offset=-after)
    return workbook
