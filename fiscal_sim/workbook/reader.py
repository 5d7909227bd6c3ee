"""Reading a filled workbook as a scenario overlay: the same mapping a YAML file gives.

:func:`read_workbook` returns ``(data, cells)``: ``data`` is what ``yaml.safe_load`` would give
for the equivalent YAML overlay (``extends``, ``meta``, the parameters, ``measures``,
``shocks``), ``cells`` maps each key path to its cell (``收入!E14``), so that the loader's own
checks name the cell as they name a YAML line. Every cell is first checked on its own with
the schema's validation (:func:`fiscal_sim.params.values.validate_value`), and all problems
are reported at once.

An empty cell inherits the value of the scenario the About sheet ``extends``. A number that
agrees with the inherited one to the 15 digits a spreadsheet keeps is the inherited value
(so that a template saved by Excel or LibreOffice reads back exactly). A changed value whose
source cell still holds the inherited source is sourced as an override in the workbook.
"""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path

from fiscal_sim.errors import Bilingual, ScenarioError, did_you_mean
from fiscal_sim.params.schema import BY_PATH, spec_for
from fiscal_sim.params.values import validate_value
from fiscal_sim.workbook import cells as C
from fiscal_sim.workbook import guard
from fiscal_sim.workbook import layout as L
from fiscal_sim.workbook.about import META_ROWS
from fiscal_sim.workbook.sheets import (
    EMPTY,
    Problems,
    SheetReader,
    cannot_read,
    expected_got,
    expected_headers,
    given_twice,
    shown,
)


def _open(path: Path):
    import io

    from openpyxl import load_workbook

    data = guard.check_file(path)
    try:
        return (
            load_workbook(io.BytesIO(data), data_only=True),
            load_workbook(io.BytesIO(data), data_only=False),
        )
    except Exception as error:  # a corrupt zip or XML: openpyxl raises many kinds
        raise ScenarioError(path, None, cannot_read(error)) from None


def _sheets(path, books, problems: Problems) -> dict[str, SheetReader]:
    values, formulas = books
    found = {}
    for layout in L.SHEET_ORDER:
        title = next((t for t in (layout.name_zh, layout.name_en) if t in values.sheetnames), None)
        if title is None:
            problems.add(
                None,
                None,
                Bilingual(
                    "缺少工作表 {sheet_zh}（{sheet_en}）；请保留模板的每个工作表（空单元格沿用"
                    "基础情景）",
                    "the sheet {sheet_zh} ({sheet_en}) is missing; keep every sheet of the "
                    "template (empty cells inherit)",
                    sheet_zh=layout.name_zh,
                    sheet_en=layout.name_en,
                ),
            )
            continue
        guard.check_shape(path, values[title])
        found[layout.id] = SheetReader(values[title], formulas[title], problems)
    return found


def read_workbook(path, base_of) -> tuple[dict, dict[str, str]]:
    """Read a workbook into the overlay mapping and the cell of each key path.

    Parameters
    ----------
    path
        The ``.xlsx`` file.
    base_of
        ``base_of(reference, cell)`` loads the scenario the About sheet extends.

    Raises
    ------
    ScenarioError
        A :class:`~fiscal_sim.workbook.sheets.WorkbookError` listing every problem, each
        naming its cell.
    """
    path = Path(path)
    problems = Problems(path)
    readers = _sheets(path, _open(path), problems)
    if "about" not in readers:
        problems.raise_any()
    data, cells = _read_about(readers["about"], problems)
    if "extends" not in data:
        problems.raise_any()  # without the base nothing else can be checked
    base = base_of(data["extends"], cells["extends"])
    years = _horizon(readers.get("settings"), base)
    for layout in L.SHEET_ORDER:
        if layout in L.PARAM_SHEETS and layout.id in readers:
            _read_param_sheet(readers[layout.id], layout, base, years, data, cells, path)
    from fiscal_sim.workbook.sections import read_measures, read_shocks

    if "shocks" in readers:
        read_shocks(readers["shocks"], base, data, cells, path)
    if "measures" in readers:
        read_measures(readers["measures"], base, data, cells, path)
    problems.raise_any()
    return data, cells


def _read_about(reader: SheetReader, problems: Problems) -> tuple[dict, dict]:
    data: dict = {}
    cells: dict = {}
    meta: dict = {}
    for row in range(1, reader.ws.max_row + 1):
        key = reader.value(row, 1)
        if key not in META_ROWS:
            continue
        value = reader.value(row, 3, key)
        cells[key] = reader.ref(row, 3)
        if value is None or value is EMPTY:
            continue
        if key == "extends":
            data["extends"] = str(value)
            continue
        if isinstance(value, datetime.datetime | datetime.date):
            value = value.date().isoformat() if isinstance(value, datetime.datetime) else value
            value = value.isoformat()
        if key == "meta.sources":
            value = [line.strip() for line in str(value).splitlines() if line.strip()]
        parts = key.split(".")[1:]
        target = meta
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value if key == "meta.sources" else str(value)
    if "extends" not in data:
        problems.add(
            cells.get("extends", f"{reader.title}!C1"),
            "extends",
            Bilingual(
                "请写明此工作簿所继承的情景（内置情景名，如 default，或相对于工作簿的路径）",
                "name the scenario this workbook extends (a bundled name such as default, or a "
                "path relative to the workbook)",
            ),
        )
    if meta:
        data["meta"] = meta
        cells.update({f"meta.{key}": cells.get(f"meta.{key}") for key in meta})
    return data, cells


def _horizon(reader: SheetReader | None, base) -> tuple[int, ...]:
    """The projection years: the workbook's horizon where it gives a valid one, else the base's."""
    first, last = base.base_year, base.end_year
    if reader is not None:
        for row in range(2, reader.ws.max_row + 1):
            key, value = reader.value(row, L.KEY), reader.value(row, L.FIRST_VALUE)
            if C.is_number(value) and value == int(value):
                if key == "horizon.base_year":
                    first = int(value)
                elif key == "horizon.end_year":
                    last = int(value)
    return tuple(range(first + 1, last + 1)) if last > first else base.years


def _unknown_key(key, sheet: L.SheetLayout) -> Bilingual:
    return Bilingual(
        "未知键 {key}{hint}；工作表 {sheet} 只放其各行的参数",
        "unknown key {key}{hint}; sheet {sheet} holds the parameters of its rows",
        key=shown(key),
        hint=did_you_mean(key, BY_PATH),
        sheet=sheet.name_zh,
    )


def _read_param_sheet(reader, layout, base, years, data, cells, path) -> None:
    columns = L.value_columns(layout, base.years)
    reader.check_merged()
    if not reader.check_headers(expected_headers(columns)):
        return
    source_column = L.FIRST_VALUE + len(columns)
    seen: dict[str, str] = {}
    for row in range(2, reader.ws.max_row + 1):
        key = reader.value(row, L.KEY)
        if key is None or key is EMPTY:
            continue
        where = reader.ref(row, L.KEY)
        if not isinstance(key, str) or not _belongs(key, layout):
            reader.problems.add(where, None, _misplaced(key, layout))
            continue
        if key in seen:
            reader.problems.add(where, key, given_twice(seen[key]))
            continue
        seen[key] = where
        row_reader = _Row(reader, row, key, columns, source_column, base, years, path)
        leaf = row_reader.read()
        if leaf is not None:
            _set(data, key, leaf)
            cells[key] = row_reader.first_cell


def _belongs(key: str, layout) -> bool:
    if L.is_table_path(key) and key.endswith(".label"):
        key = key.rsplit(".", 1)[0] + ".recipients"
    return spec_for(key) is not None and L.sheet_of(key) is layout


def _misplaced(key, layout) -> Bilingual:
    if isinstance(key, str) and (spec_for(key) is not None or L.is_table_path(key)):
        return Bilingual(
            "{key} 应在工作表 {right}，不在 {wrong}",
            "{key} belongs on the sheet {right}, not {wrong}",
            key=key,
            right=L.sheet_of(key).name_zh,
            wrong=layout.name_zh,
        )
    return _unknown_key(key, layout)


def _set(data: dict, key: str, leaf) -> None:
    parts = key.split(".")
    node = data
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = leaf


class _Row:
    """One parameter row: its cells checked one by one, merged with the inherited value."""

    def __init__(self, reader, row, key, columns, source_column, base, years, path):
        self.reader, self.row, self.key = reader, row, key
        self.columns, self.source_column = columns, source_column
        self.years = years
        self.file = path
        self.first_cell = reader.ref(row, L.FIRST_VALUE)
        try:
            self.inherited = base.param(key)
        except KeyError:
            self.inherited = None

    def problem(self, column: int, message: Bilingual, year=None) -> None:
        key = self.key if year is None else f"{self.key}, {year}"
        self.reader.problems.add(self.reader.ref(self.row, column), key, message)

    def read(self):
        if self.key.endswith(".label") and L.is_table_path(self.key):
            return self._label()
        spec = spec_for(self.key)
        value = getattr(self, f"_{spec.kind}")(spec)
        if value is EMPTY:
            return None
        source = _text(self.reader.value(self.row, self.source_column, self.key))
        note = _text(self.reader.value(self.row, self.source_column + 1, self.key))
        inherited = self.inherited
        before = None if inherited is None else _plain(inherited.value, spec, self.years)
        if value is None:
            if inherited is None or source is None or source == inherited.source:
                return None
            value = before  # a new source for the inherited value
        leaf = {"value": value, "unit": spec.unit}
        source = C.kept_source(source, before != value, inherited.source if inherited else None)
        if source is not None:
            leaf["source"] = source
        if note is not None:
            leaf["note"] = note
        return leaf

    def _cells(self):
        """``(column, header, value)`` of each value cell."""
        for offset, header in enumerate(self.columns):
            column = L.FIRST_VALUE + offset
            yield column, header, self.reader.value(self.row, column, self.key)

    def _only_value_column(self):
        value = None
        for column, header, cell in self._cells():
            if header == "value":
                value = cell
            elif cell is not None:
                self.problem(
                    column,
                    Bilingual(
                        "此参数只取一个值，填在数值列",
                        "this parameter takes one value, in the value column",
                    ),
                )
                return EMPTY
        return value

    def _number(self, spec, column, cell, inherited=None, year=None):
        """A checked number (the inherited one when it agrees), or EMPTY after a problem."""
        scalar = dataclasses.replace(spec, kind="scalar")
        try:
            validate_value(scalar, {"value": cell, "file": self.file}, self.years)
        except ScenarioError:
            what = C.expected_text(C.bounds_of(spec, self.years))
            self.problem(column, expected_got(what, cell), year)
            return EMPTY
        return inherited if C.same_number(cell, inherited) else cell

    def _scalar(self, spec):
        cell = self._only_value_column()
        if cell is None or cell is EMPTY:
            return cell
        inherited = self.inherited.value if self.inherited is not None else None
        return self._number(spec, L.FIRST_VALUE + self.columns.index("value"), cell, inherited)

    def _yearly(self, spec):
        inherited = self.inherited.value if self.inherited is not None else None
        series, given, broken = {}, False, False
        for column, header, cell in self._cells():
            if header == "value":
                if cell is not None:
                    self.problem(
                        column,
                        Bilingual(
                            "逐年参数每个年度列取一个值",
                            "a yearly parameter takes one value per year column",
                        ),
                    )
                    broken = True
                continue
            if header not in self.years:
                continue  # a year the horizon of this workbook no longer holds
            index = self.years.index(header)
            before = None
            if inherited is not None and index < len(inherited):
                before = float(inherited[index])
            if cell is None or cell is EMPTY:
                series[header] = before
                broken |= cell is EMPTY
                continue
            given = True
            number = self._number(spec, column, cell, before, year=header)
            broken |= number is EMPTY
            series[header] = number
        if broken:
            return EMPTY
        if not given:
            return None
        if None in series.values():
            missing = [year for year, value in series.items() if value is None]
            self.problem(
                L.FIRST_VALUE + 1,
                Bilingual(
                    "缺少这些年度的值：{missing}",
                    "expected values for the years {missing}",
                    missing=missing,
                ),
            )
            return EMPTY
        return series

    def _profile(self, spec):
        inherited = self.inherited.value if self.inherited is not None else [None] * 12
        shares, given, broken = [], False, False
        bounds = dataclasses.replace(spec, unit="fraction", minimum=0.0, maximum=1.0)
        for (column, _, cell), before in zip(self._cells(), inherited, strict=True):
            before = None if before is None else float(before)
            if cell is None or cell is EMPTY:
                shares.append(before)
                broken |= cell is EMPTY
                continue
            given = True
            number = self._number(bounds, column, cell, before, year=f"month {column - 4}")
            broken |= number is EMPTY
            shares.append(number)
        if broken or not given:
            return EMPTY if broken else None
        try:
            validate_value(spec, {"value": shares, "file": self.file}, self.years)
        except (ScenarioError, TypeError):
            total = sum(share or 0 for share in shares)
            where = self.reader.ref(self.row, L.FIRST_VALUE, L.FIRST_VALUE + 11)
            self.reader.problems.add(
                where,
                self.key,
                Bilingual(
                    "12 个月的占比之和应为 1，实为 {total:.6g}",
                    "the 12 monthly shares must sum to 1, they sum to {total:.6g}",
                    total=total,
                ),
            )
            return EMPTY
        return shares

    def _choice(self, spec):
        cell = self._only_value_column()
        if cell is None or cell is EMPTY:
            return cell
        if cell not in spec.choices:
            self.problem(
                self._value_column(),
                Bilingual(
                    "应为 {choices} 之一，实为 {got}",
                    "expected one of {choices}, got {got}",
                    choices=list(spec.choices),
                    got=shown(cell),
                ),
            )
            return EMPTY
        return cell

    def _order(self, spec):
        cell = self._only_value_column()
        if cell is None or cell is EMPTY:
            return cell
        order = C.words(cell) if isinstance(cell, str) else []
        if sorted(order) != sorted(spec.choices):
            self.problem(
                self._value_column(),
                Bilingual(
                    "应为 {choices} 各一次，以逗号分隔，实为 {got}",
                    "expected all of {choices} once each, comma-separated, got {got}",
                    choices=", ".join(spec.choices),
                    got=shown(cell),
                ),
            )
            return EMPTY
        return order

    def _value_column(self) -> int:
        return L.FIRST_VALUE + self.columns.index("value")

    def _label(self):
        zh = self.reader.value(self.row, L.LABEL_ZH, self.key)
        en = self.reader.value(self.row, L.LABEL_EN, self.key)
        if zh in (None, EMPTY) and en in (None, EMPTY):
            return None
        label = {}
        if zh not in (None, EMPTY):
            label["zh"] = str(zh)
        if en not in (None, EMPTY):
            label["en"] = str(en)
        self.first_cell = self.reader.ref(self.row, L.LABEL_ZH)
        return label


def _text(value) -> str | None:
    """A text cell's text; None when empty or unreadable."""
    return None if value is None or value is EMPTY else str(value)


def _plain(value, spec, years):
    """A resolved value as the overlay mapping writes it: lists, not arrays; a yearly
    parameter as ``{year: value}``."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if spec.kind == "yearly":
        return dict(zip(years, value, strict=False))
    return list(value) if isinstance(value, tuple) else value
