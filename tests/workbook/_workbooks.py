"""Helpers of the workbook tests: write a template, convert to YAML, find a parameter's cell."""

from __future__ import annotations

from fiscal_sim.scenario import read_overlay, reference_to
from fiscal_sim.workbook import layout
from fiscal_sim.workbook.convert import overlay_yaml
from fiscal_sim.workbook.writer import write_template


def write(scenario, path, lang: str = "zh"):
    """Write ``scenario``'s template at ``path``, extending the scenario itself."""
    write_template(scenario, path, reference_to(scenario.files[-1], path), lang)
    return path


def to_yaml(workbook, target):
    """Convert ``workbook`` to the YAML file ``target``, as ``fiscal-sim convert`` does."""
    target.write_text(overlay_yaml(read_overlay(workbook, target), workbook.name), "utf-8")
    return target


def cell_of(workbook, key: str, column=None):
    """The cell of parameter ``key``: its value column, a year's, or (``("m", n)``) a month's."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(min_col=1, max_col=1):
            if row[0].value == key:
                headers = [cell.value for cell in sheet[1]]
                wanted = {None: ("数值", "value")}.get(column, (column,))
                if isinstance(column, tuple):
                    wanted = (
                        layout.MONTH_HEADERS[0][column[1] - 1],
                        layout.MONTH_HEADERS[1][column[1] - 1],
                    )
                index = next(i for i, header in enumerate(headers) if header in wanted)
                return sheet.cell(row=row[0].row, column=index + 1)
    raise KeyError(key)
