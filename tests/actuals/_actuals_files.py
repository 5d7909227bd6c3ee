"""Actuals files of the tiny county, and a way to spoil one cell (the tests of tests/actuals).

Plain functions rather than fixtures: a conftest.py here would clash, under
``--doctest-modules``, with the conftest.py of other test folders.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import fiscal_sim
from fiscal_sim.actuals.files import write_csv, write_workbook

TINY = Path(__file__).resolve().parents[1] / "engine" / "tiny-county.yaml"


@cache
def tiny():
    """The tiny county of tests/engine (hand-checkable figures)."""
    return fiscal_sim.load_scenario(TINY)


def plan_file(folder, through="2020-06", suffix=".xlsx", scenario=None) -> Path:
    """The tiny county's own months through ``through`` as an actuals file in ``folder``
    (what the engine expects: the cash identity holds exactly)."""
    scenario = scenario or tiny()
    frame = fiscal_sim.project(scenario).actuals(through=through)
    path = Path(folder) / f"actuals{suffix}"
    if suffix == ".csv":
        write_csv(path, frame)
    else:
        write_workbook(path, frame.attrs["year"], scenario, frame)
    return path


def set_cells(path, cells: dict, sheet="实际执行") -> None:
    """Write ``{"C5": value}`` into a sheet of the workbook ``path``."""
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    for where, value in cells.items():
        workbook[sheet][where] = value
    workbook.save(path)


def set_csv(path, row: int, column: int, value: str) -> None:
    """Replace one cell (1-based row and column) of the CSV ``path``."""
    import csv

    rows = list(csv.reader(path.read_text("utf-8-sig").splitlines()))
    rows[row - 1][column - 1] = value
    with open(path, "w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
