"""Writing a scenario as the workbook a bureau fills in (``fiscal-sim template``).

The sheets and rows come from :mod:`fiscal_sim.workbook.layout`; every cell the bureau fills
is unlocked, coloured and carries data validation from :mod:`fiscal_sim.workbook.cells`;
labels are locked (sheet protection without a password), headers frozen, and each sheet
prints landscape on one page width. openpyxl is imported inside :func:`write_template`.
"""

from __future__ import annotations

import os

from fiscal_sim._version import __version__
from fiscal_sim.cells import save_workbook
from fiscal_sim.params.measures import CATALOGUE
from fiscal_sim.params.schema import PROGRAMME_FIELDS, spec_for
from fiscal_sim.params.shocks import SHOCK_LINES
from fiscal_sim.workbook import cells as C
from fiscal_sim.workbook import layout as L
from fiscal_sim.workbook.about import about_rows

INPUT_FILL = "FFF7D6"  # the cells to fill: light yellow
EMPTY_FILL = "EEEEEE"  # value columns a row does not use: grey, locked
HEADER_FILL = "1F4E79"


class _Sheet:
    """One worksheet being written: cells, their styles and validations."""

    def __init__(self, workbook, layout: L.SheetLayout, lang: str, styles):
        self.ws = workbook.create_sheet(layout.name(lang))
        self.lang = lang
        self.styles = styles
        self.row = 1
        self.rules: dict[str, object] = {}  # one validation per parameter, shared by its cells

    def text(self, row: int, column: int, value, editable: bool = False):
        """A text cell: saved as text, never a formula (:func:`fiscal_sim.cells.save_workbook`)."""
        cell = self.ws.cell(row=row, column=column, value=value)
        if editable:
            self.unlock(cell)
        return cell

    def unlock(self, cell) -> None:
        cell.protection = self.styles["unlocked"]
        cell.fill = self.styles["input"]

    def number(self, row: int, column: int, value, validation=None):
        cell = self.ws.cell(row=row, column=column, value=value)
        self.unlock(cell)
        if validation is not None:
            validation.add(cell)
        return cell

    def grey(self, row: int, column: int) -> None:
        self.ws.cell(row=row, column=column).fill = self.styles["empty"]

    def validation(self, **options):
        from openpyxl.worksheet.datavalidation import DataValidation

        rule = DataValidation(allow_blank=True, showErrorMessage=True, **options)
        self.ws.add_data_validation(rule)
        return rule

    def number_rule(self, bounds: C.Bounds):
        low, high = bounds.minimum, bounds.maximum
        kind = "whole" if bounds.integer or bounds.unit == "year" else "decimal"
        if low is not None and high is not None:
            options = {"operator": "between", "formula1": f"{low:g}", "formula2": f"{high:g}"}
        elif low is not None:
            operator = "greaterThan" if bounds.low_open else "greaterThanOrEqual"
            options = {"operator": operator, "formula1": f"{low:g}"}
        elif high is not None:
            options = {"operator": "lessThanOrEqual", "formula1": f"{high:g}"}
        else:
            options = {"operator": "between", "formula1": "-1E+15", "formula2": "1E+15"}
        what = C.expected(bounds)
        return self.validation(
            type=kind, error=f"expected {what}", errorTitle="fiscal_sim", prompt=what, **options
        )

    def param_rule(self, spec, years):
        """The validation of a parameter's cells: the schema's bounds (a profile's shares 0-1)."""
        if spec.path not in self.rules:
            if spec.kind == "profile":
                bounds = C.Bounds("fraction", False, 0.0, 1.0)
            else:
                bounds = C.bounds_of(spec, years)
            self.rules[spec.path] = self.number_rule(bounds)
        return self.rules[spec.path]

    def list_rule(self, choices):
        return self.validation(type="list", formula1='"' + ",".join(choices) + '"')

    def headers(self, values: list) -> None:
        for column, value in enumerate(values, start=1):
            cell = self.text(1, column, value)
            cell.font = self.styles["header_font"]
            cell.fill = self.styles["header"]
        self.ws.freeze_panes = self.ws.cell(row=2, column=L.FIRST_VALUE)
        self.row = 2

    def labels(self, key: str, zh: str, en: str, unit: str, editable: bool = False) -> int:
        row = self.row
        self.text(row, L.KEY, key)
        self.text(row, L.LABEL_ZH, zh, editable=editable)
        self.text(row, L.LABEL_EN, en, editable=editable)
        self.text(row, L.UNIT, unit)
        self.row += 1
        return row

    def finish(self, widths: dict[int, int]) -> None:
        from openpyxl.worksheet.properties import PageSetupProperties

        for column, width in widths.items():
            letter = self.ws.cell(row=1, column=column).column_letter
            self.ws.column_dimensions[letter].width = width
        self.ws.protection.sheet = True
        self.ws.protection.formatColumns = False  # widths may change; labels may not
        self.ws.page_setup.orientation = "landscape"
        self.ws.page_setup.fitToWidth = 1
        self.ws.page_setup.fitToHeight = 0
        self.ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        self.ws.print_title_rows = "1:1"


def _styles():
    from openpyxl.styles import Font, PatternFill, Protection

    def fill(colour):
        return PatternFill("solid", start_color=colour, end_color=colour)

    return {
        "unlocked": Protection(locked=False),
        "input": fill(INPUT_FILL),
        "empty": fill(EMPTY_FILL),
        "header": fill(HEADER_FILL),
        "header_font": Font(bold=True, color="FFFFFF"),
    }


def _width(texts, wide: bool = False) -> int:
    """A column width that fits its longest text; a Chinese character takes two."""
    from unicodedata import east_asian_width

    longest = max(
        (sum(2 if east_asian_width(ch) in "WF" else 1 for ch in str(t)) for t in texts),
        default=8,
    )
    return max(8, min(longest + 2, 60 if wide else 40))


def _header_row(layout: L.SheetLayout, columns: tuple, lang: str) -> list:
    values = [L.header(name, lang) for name in ("key", "label_zh", "label_en", "unit")]
    for column in columns:
        if column == "value":
            values.append(L.header("value", lang))
        elif isinstance(column, tuple):
            values.append(L.MONTH_HEADERS[0 if lang == "zh" else 1][column[1] - 1])
        else:
            values.append(column)  # a year, as a number
    return [*values, L.header("source", lang), L.header("note", lang)]


def _write_param_sheet(workbook, layout, scenario, lang, styles) -> None:
    sheet = _Sheet(workbook, layout, lang, styles)
    columns = L.value_columns(layout, scenario.years)
    sheet.headers(_header_row(layout, columns, lang))
    source_column = L.FIRST_VALUE + len(columns)
    for spec in L.specs_on(layout):
        if spec.kind == "table":
            _write_table(sheet, spec, scenario, columns, source_column)
            continue
        param = scenario.param(spec.path)
        row = sheet.labels(spec.path, spec.label_zh, spec.label_en, L.unit_text(spec.unit, lang))
        _write_values(sheet, row, spec, param.value, columns, scenario.years)
        sheet.text(row, source_column, param.source, editable=True)
        sheet.text(row, source_column + 1, None, editable=True)
    _finish(sheet, source_column)


def _write_values(sheet, row, spec, value, columns, years) -> None:
    for offset, column in enumerate(columns):
        at = L.FIRST_VALUE + offset
        if spec.kind == "yearly" and column in years:
            sheet.number(row, at, float(value[years.index(column)]), sheet.param_rule(spec, years))
        elif spec.kind == "profile":
            sheet.number(row, at, float(value[column[1] - 1]), sheet.param_rule(spec, years))
        elif column == "value" and spec.kind == "scalar":
            sheet.number(row, at, value, sheet.param_rule(spec, years))
        elif column == "value" and spec.kind == "choice":
            sheet.text(row, at, value, editable=True)
            sheet.list_rule(spec.choices).add(sheet.ws.cell(row=row, column=at))
        elif column == "value" and spec.kind == "order":
            sheet.text(row, at, ", ".join(value), editable=True)
        else:
            sheet.grey(row, at)


def _write_table(sheet, spec, scenario, columns, source_column) -> None:
    """The rows of a table (livelihood programmes): a label row, then one row per field."""
    lang = sheet.lang
    for row_key, entry in scenario.programmes().items():
        prefix = f"{spec.path}.{row_key}"
        sheet.labels(f"{prefix}.label", entry["label_zh"], entry["label_en"], "", editable=True)
        for offset in range(len(columns) + 2):
            sheet.grey(sheet.row - 1, L.FIRST_VALUE + offset)
        for field_name in PROGRAMME_FIELDS:
            path = f"{prefix}.{field_name}"
            param = scenario.param(path)
            field_spec = spec_for(path)
            row = sheet.labels(path, param.label_zh, param.label_en, L.unit_text(param.unit, lang))
            _write_values(sheet, row, field_spec, param.value, columns, scenario.years)
            sheet.text(row, source_column, param.source, editable=True)
            sheet.text(row, source_column + 1, None, editable=True)


def _finish(sheet, source_column: int) -> None:
    ws = sheet.ws
    widths = {
        L.KEY: _width(c.value for c in ws["A"]),
        L.LABEL_ZH: _width(c.value for c in ws["B"]),
        L.LABEL_EN: _width(c.value for c in ws["C"]),
        L.UNIT: _width(c.value for c in ws["D"]),
        source_column: 50,
        source_column + 1: 20,
    }
    for column in range(L.FIRST_VALUE, source_column):
        widths[column] = 12
    sheet.finish(widths)


def _write_shocks(workbook, scenario, lang, styles) -> None:
    from fiscal_sim.workbook.sections import flatten_shocks

    sheet = _Sheet(workbook, L.SHOCKS, lang, styles)
    sheet.headers(_header_row(L.SHOCKS, ("value",), lang))
    values = flatten_shocks(scenario.extra.get("shocks"))
    rules = {
        "sigma": C.Bounds("fraction", False, 0.0, 1.0),
        "persistence": C.Bounds("fraction", False, -0.99, 0.99),
        "correlation": C.Bounds("fraction", False, -1.0, 1.0),
        "df": C.Bounds("years", False, 2.0, None, low_open=True),
        "block_years": C.Bounds("years", True, 1.0, None),
    }
    keys = L.shock_rows() + [key for key in values if key not in L.shock_rows()]
    for key in keys:
        if key.endswith(".source") and key.split(".")[1] in SHOCK_LINES:
            continue  # a line's source sits in the source column of its sigma row
        zh, en = L.shock_labels(key)
        row = sheet.labels(key, zh, en, "")
        value = values.get(key)
        kind = key.split(".")[1] if key.split(".")[1] in rules else key.split(".")[-1]
        if key in L.SHOCK_CHOICES:
            sheet.text(row, L.FIRST_VALUE, value, editable=True)
            sheet.list_rule(L.SHOCK_CHOICES[key]).add(sheet.ws.cell(row, L.FIRST_VALUE))
        elif C.is_number(value) or (value is None and kind in rules):
            rule = sheet.number_rule(rules[kind]) if kind in rules else None
            sheet.number(row, L.FIRST_VALUE, value, rule)
        else:
            sheet.text(row, L.FIRST_VALUE, value, editable=True)
        if key.endswith(".sigma"):
            line_source = values.get(key.replace(".sigma", ".source"))
            sheet.text(row, L.FIRST_VALUE + 1, line_source, editable=True)
        else:
            sheet.grey(row, L.FIRST_VALUE + 1)
        sheet.grey(row, L.FIRST_VALUE + 2)
    _finish(sheet, L.FIRST_VALUE + 1)


def _write_measures(workbook, scenario, lang, styles) -> None:
    sheet = _Sheet(workbook, L.MEASURES, lang, styles)
    sheet.headers(_header_row(L.MEASURES, ("value",), lang))
    listed = scenario.extra.get("measures") or {}
    switch = [L.SWITCH["on"][0 if lang == "zh" else 1], L.SWITCH["off"][0 if lang == "zh" else 1]]
    for measure_id, quantity_name in L.measure_rows():
        measure = CATALOGUE[measure_id]
        entry = listed.get(measure_id)
        if quantity_name is None:
            row = sheet.labels(f"measures.{measure_id}", measure.label_zh, measure.label_en, "")
            sheet.text(row, L.UNIT, "是/否" if lang == "zh" else "on/off")
            cell = sheet.text(
                row, L.FIRST_VALUE, switch[0 if entry is not None else 1], editable=True
            )
            sheet.list_rule(switch).add(cell)
            sheet.text(row, L.FIRST_VALUE + 1, measure.clause)  # the clause: fixed
            sheet.grey(row, L.FIRST_VALUE + 2)
            continue
        quantity = measure.quantity(quantity_name)
        leaf = (entry or {}).get(quantity_name) or {}
        row = sheet.labels(
            f"measures.{measure_id}.{quantity_name}",
            quantity.label_zh,
            quantity.label_en,
            L.unit_text(quantity.unit, lang),
        )
        value = leaf.get("value")
        if quantity.kind == "number":
            sheet.number(row, L.FIRST_VALUE, value, sheet.number_rule(C.quantity_bounds(quantity)))
        else:
            text = None if value is None else C.months_text(value)
            cell = sheet.text(row, L.FIRST_VALUE, text, editable=True)
            if quantity.kind == "month":
                cell.value = value
        sheet.text(row, L.FIRST_VALUE + 1, leaf.get("source"), editable=True)
        sheet.text(row, L.FIRST_VALUE + 2, leaf.get("note"), editable=True)
    _finish(sheet, L.FIRST_VALUE + 1)


def _write_about(workbook, scenario, lang, styles, extends: str) -> None:
    sheet = _Sheet(workbook, L.ABOUT, lang, styles)
    ws = sheet.ws
    for row, (key, text, value, editable) in enumerate(
        about_rows(scenario, lang, extends), start=1
    ):
        sheet.text(row, 1, key)
        sheet.text(row, 2, text)
        cell = sheet.text(row, 3, value, editable=editable)
        cell.alignment = styles.get("wrap")
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 36
    ws.column_dimensions["C"].width = 90
    sheet.finish({})


def write_template(scenario, path: str | os.PathLike, extends: str, lang: str = "zh") -> None:
    """Write ``scenario`` as a workbook to fill in: every value, unit, label and source.

    Parameters
    ----------
    scenario
        A loaded :class:`~fiscal_sim.scenario.Scenario`; the workbook extends it.
    path
        The ``.xlsx`` file to write (the CLI writes atomically through a temporary file).
    extends
        How the About sheet names ``scenario`` from ``path``
        (:func:`fiscal_sim.scenario.reference_to`): a bundled name or a relative path.
    lang
        ``"zh"`` or ``"en"``: sheet names, headers and instructions (labels are always both).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    styles = _styles()
    styles["wrap"] = Alignment(wrap_text=True, vertical="top")
    workbook = Workbook()
    workbook.remove(workbook.active)
    for layout in L.SHEET_ORDER:
        if layout is L.ABOUT:
            _write_about(workbook, scenario, lang, styles, extends)
        elif layout is L.SHOCKS:
            _write_shocks(workbook, scenario, lang, styles)
        elif layout is L.MEASURES:
            _write_measures(workbook, scenario, lang, styles)
        else:
            _write_param_sheet(workbook, layout, scenario, lang, styles)
    workbook.properties.creator = f"fiscal_sim {__version__}"
    save_workbook(workbook, path)
