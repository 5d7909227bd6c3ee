"""Workbooks written from the bundled scenarios, and a way to find a parameter's cell."""

from __future__ import annotations

import shutil

import pytest

import fiscal_sim
from fiscal_sim.workbook import layout
from fiscal_sim.workbook.writer import write_template


@pytest.fixture(scope="session")
def default_template(tmp_path_factory):
    """The default county's template (zh), written once; copy it before changing it."""
    path = tmp_path_factory.mktemp("template") / "default.xlsx"
    write_template(fiscal_sim.load_scenario("default"), path)
    return path


@pytest.fixture
def county(default_template, tmp_path):
    """A fresh copy of the default county's template, as ``county.xlsx``."""
    return shutil.copy(default_template, tmp_path / "county.xlsx")


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
