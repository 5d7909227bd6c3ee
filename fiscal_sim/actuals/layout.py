"""The actuals layout, read from ``layout.yaml``: the columns a month of actuals holds.

One row per month of one budget year; each column has a key, its names in both languages, a
unit, a kind (receipt, payment, opening and closing cash, a month-end stock, a flow outside
the cash identity, a count) and the engine quantity the plan's month comes from. The
workbook, the CSV, the reader and :meth:`~fiscal_sim.results.Projection.actuals` all take
their columns from here.

Examples
--------
>>> [column.key for column in COLUMNS[:3]]
['opening_cash', 'tax', 'nontax']
>>> header(COLUMN["tax"], "zh"), header(COLUMN["headcount"], "en")
('税收收入（万元）', 'headcount on the payroll (persons)')
>>> RECEIPTS[-1], PAYMENTS[0]
('other_receipts', 'wages')
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from fiscal_sim.params.datafile import DataReader

KINDS = ("opening", "receipt", "payment", "closing", "stock", "flow", "count")
UNITS = {"wan_yuan": ("万元", "万元"), "persons": ("人", "persons")}
FIELDS = frozenset({"key", "zh", "en", "unit", "kind", "engine"})

MONTH_KEY = "month"
MONTH_NAMES = ("月份", "month")


@dataclass(frozen=True)
class Column:
    """One column of the actuals layout (see ``layout.yaml`` for the fields)."""

    key: str
    zh: str
    en: str
    unit: str
    kind: str
    engine: str
    note: str | None = None

    def name(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def _read() -> tuple[Column, ...]:
    path = Path(str(resources.files("fiscal_sim.actuals").joinpath("layout.yaml")))
    reader = DataReader(path)
    top = reader.mapping(reader.data, "", required={"columns"})
    columns = []
    for index, node in enumerate(top["columns"]):
        where = f"columns[{index}]"
        node = reader.mapping(node, where, required=FIELDS, optional={"note"})
        for name in ("key", "zh", "en", "engine"):
            reader.text(node[name], f"{where}.{name}")
        reader.word(node["unit"], f"{where}.unit", UNITS, "unit")
        reader.word(node["kind"], f"{where}.kind", KINDS, "kind")
        if node["key"] in {column.key for column in columns} | {MONTH_KEY}:
            raise reader.error(f"{where}.key", f"the column {node['key']!r} is given twice")
        columns.append(Column(**node))
    return tuple(columns)


COLUMNS = _read()
COLUMN = {column.key: column for column in COLUMNS}
KEYS = tuple(COLUMN)
RECEIPTS = tuple(c.key for c in COLUMNS if c.kind == "receipt")
PAYMENTS = tuple(c.key for c in COLUMNS if c.kind == "payment")


def unit_text(column: Column, lang: str) -> str:
    return UNITS[column.unit][0 if lang == "zh" else 1]


def header(column: Column, lang: str) -> str:
    """The column's name with its unit, as a header shows it: ``税收收入（万元）``."""
    unit = unit_text(column, lang)
    return f"{column.zh}（{unit}）" if lang == "zh" else f"{column.en} ({unit})"


def month_text(year: int, month: int) -> str:
    """``2020-06``: how a month is written in the layout."""
    return f"{year}-{month:02d}"
