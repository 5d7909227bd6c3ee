"""Writing results to files and streams: table, CSV, JSON or Excel, atomically.

Every output records where it came from (scenario name, scenario hash, fiscal_sim version):
in its file name when fiscal_sim chooses the name, and in its content always (header lines,
a ``meta`` object, an ``about`` sheet). Files are written to a temporary file in the target
directory and moved into place with :func:`os.replace`, so a reader never sees half a file,
and an output never overwrites one of the run's input files (:mod:`fiscal_sim.writing`).
Text cells go through :mod:`fiscal_sim.cells`, so a spreadsheet never runs them.

pandas is imported inside the functions that need it, so importing this module is cheap.

Examples
--------
>>> meta = {"scenario": "default-county", "hash": "3f2a9c1b04de", "fiscal_sim_version": "0.1.0"}
>>> output_name(meta, "csv")
'default-county_3f2a9c1b04de_v0.1.0.csv'
>>> format_from_path("results/plan.xlsx")
'xlsx'
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fiscal_sim import csvtables, labels
from fiscal_sim.cells import strings_not_formulas
from fiscal_sim.csvtables import flat as _flat
from fiscal_sim.errors import Bilingual, FiscalSimError
from fiscal_sim.numbers import EXCEL_FORMATS, format_value, kind_of_unit
from fiscal_sim.textgrid import Grid, display_width, grid_text, is_number
from fiscal_sim.writing import OutputError, check_directory, check_file, write_atomic

__all__ = [  # and what follows
    "OutputError",
    "check_directory",
    "check_file",
    "display_width",
    "write_atomic",
]

FORMATS = ("table", "csv", "json", "xlsx")
"""The output formats, in the order ``--help`` shows them."""

MACHINE_FORMATS = ("csv", "json")
"""The formats written from an output's machine ``tables``; the others show ``display``."""

SUFFIXES = {"table": ".txt", "csv": ".csv", "json": ".json", "xlsx": ".xlsx", "html": ".html"}

_KEY_COLUMNS = csvtables.KEY_COLUMNS


@dataclass
class Output:
    """What a command produces, before it is rendered in one format.

    Parameters
    ----------
    meta
        Where the result came from; at least ``scenario``, ``hash`` and
        ``fiscal_sim_version``. Written into every format.
    tables
        Named DataFrames in machine form (identifiers, not labels), for CSV and JSON.
    display
        The same tables shaped for people (labelled, possibly transposed), for the text table
        and Excel; defaults to ``tables``. DataFrames, or :class:`~fiscal_sim.textgrid.Grid`
        where a command prints without pandas (``run``).
    row_units
        ``{table: {row label: unit}}`` for display tables whose rows are quantities of
        different units (``fraction`` shows as a percentage, ``persons`` as whole persons,
        ``months`` with two decimals); other rows are amounts.
    """

    meta: dict[str, Any]
    tables: dict[str, Any]
    display: dict[str, Any] = field(default_factory=dict)
    row_units: dict[str, dict[str, str]] = field(default_factory=dict)

    def for_people(self) -> dict[str, Any]:
        """The tables to show a reader: ``display`` where given, else ``tables``."""
        return self.display or self.tables


def format_from_path(path: str | os.PathLike | None) -> str | None:
    """The format an output path's suffix asks for, or None when the suffix names none.

    Examples
    --------
    >>> format_from_path("out/run.json"), format_from_path("out/"), format_from_path(None)
    ('json', None, None)
    """
    if path is None:
        return None
    suffix = Path(path).suffix.lower()
    return {value: key for key, value in SUFFIXES.items()}.get(suffix)


def output_name(meta: Mapping[str, Any], fmt: str, prefix: str = "") -> str:
    """A file name that records the scenario, its hash and the fiscal_sim version.

    Examples
    --------
    >>> meta = {"scenario": "plan", "hash": "0123456789ab", "fiscal_sim_version": "0.1.0"}
    >>> output_name(meta, "table", prefix="compare_")
    'compare_plan_0123456789ab_v0.1.0.txt'
    """
    scenario = str(meta["scenario"]).replace(os.sep, "-").replace(" ", "-")
    return f"{prefix}{scenario}_{meta['hash']}_v{meta['fiscal_sim_version']}{SUFFIXES[fmt]}"


def resolve_output(
    path: str | os.PathLike,
    meta: Mapping[str, Any],
    fmt: str,
    inputs: Iterable[str | os.PathLike] = (),
    prefix: str = "",
) -> Path:
    """The file to write for ``-o PATH``, checked before any work is done.

    A directory (an existing one, or a path ending in ``/``) gets a file named by
    :func:`output_name`. Raises :class:`OutputError` when the directory does not exist, the
    target is a directory, or the target is one of ``inputs``.

    Examples
    --------
    >>> meta = {"scenario": "plan", "hash": "0123456789ab", "fiscal_sim_version": "0.1.0"}
    >>> resolve_output("no/such/dir/out.csv", meta, "csv")
    Traceback (most recent call last):
    ...
    fiscal_sim.writing.OutputError: no/such/dir/out.csv: the directory no/such/dir does not exist
    """
    text = os.fspath(path)
    if text.endswith(("/", os.sep)) or Path(text).is_dir():
        return check_file(check_directory(text) / output_name(meta, fmt, prefix), inputs)
    return check_file(text, inputs)


def render(output: Output, fmt: str, lang: str = "zh", precision: str = "cents") -> str:
    """The text of ``output`` in ``fmt`` (``table``, ``csv`` or ``json``).

    CSV headers and names follow ``lang``; CSV amounts in 万元 are rounded to 0.01 unless
    ``precision="full"`` (:mod:`fiscal_sim.csvtables`).

    Examples
    --------
    >>> import pandas as pd
    >>> meta = {"scenario": "plan", "hash": "0123456789ab", "fiscal_sim_version": "0.1.0"}
    >>> frame = pd.DataFrame({"year": [2019], "headcount": [4975.0]})
    >>> print(render(Output(meta, {"people": frame}), "csv", "en"))
    # scenario: plan
    # hash: 0123456789ab
    # fiscal_sim_version: 0.1.0
    # columns: year,headcount
    year,serving staff (persons)
    2019,4975.0
    <BLANKLINE>
    """
    if fmt == "table":
        return render_table(output, lang)
    if fmt == "csv":
        return render_csv(output, lang, precision)
    if fmt == "json":
        return render_json(output)
    raise OutputError(
        Bilingual(
            "格式 {fmt!r} 不能以文本显示；请从 table、csv、json 中选择",
            "format {fmt!r} cannot be shown as text; choose one of table, csv, json",
            fmt=fmt,
        )
    )


def meta_lines(meta: Mapping[str, Any]) -> list[str]:
    """``key: value`` lines that record where a result came from."""
    return [f"{key}: {_inline(value)}" for key, value in meta.items()]


def _inline(value: Any) -> str:
    """A metadata value on one line: a scenario as ``name hash``, lists comma-separated."""
    if isinstance(value, Mapping):
        if "scenario" in value and "hash" in value:
            return f"{value['scenario']} {value['hash']}"
        return " / ".join(_inline(item) for item in value.values())
    if isinstance(value, list | tuple):
        return ", ".join(_inline(item) for item in value) or "-"
    return str(value)


def format_number(value: Any, kind: str = "money") -> str:
    """A number as a reader wants it (:func:`fiscal_sim.numbers.format_value`; missing: '-').

    Examples
    --------
    >>> format_number(179137.5), format_number(0.1541, "ratio"), format_number(float("nan"))
    ('179,138', '15.4%', '-')
    >>> format_number(-80.0), format_number(2018, "year")
    ('-80.00', '2018')
    """
    return format_value(value, kind, missing="-")


def _row_kind(units: Mapping[str, str], row) -> str | None:
    """The kind of a row from ``row_units``: by its label, or any level of a multi-level row."""
    for level in row if isinstance(row, tuple) else (row,):
        if isinstance(level, str) and level in units:
            return kind_of_unit(units[level])
    return None


def _column_kind(column, frame) -> str:
    """How a column's numbers read: a key (year, month, tier), the frame's own kinds
    (``attrs["column_kinds"]``, ``attrs["kind"]``), the unit of a known column, else money."""
    if column in _KEY_COLUMNS:
        return "id"
    kinds = frame.attrs.get("column_kinds") or {}
    if column in kinds:
        return kinds[column]
    if "kind" in frame.attrs:
        return frame.attrs["kind"]
    unit = labels.unit_of(column) if isinstance(column, str) else None
    return kind_of_unit(unit) if unit else "money"


def shown_tables(output: Output, lang: str = "zh") -> dict[str, Grid]:
    """The tables as the text table shows them: titled, headed and formatted in ``lang``.

    Each table becomes a :class:`~fiscal_sim.textgrid.Grid` of text cells. Numbers follow
    :mod:`fiscal_sim.numbers` by the row's unit (``row_units``), else the column's; headers and
    titles are named by :func:`fiscal_sim.labels.header`; a default 0, 1, 2 … index is not
    shown (``attrs["hide_index"]``); ``attrs["text_columns"]`` lists the columns of text.
    """
    shown = {}
    for name, table in output.for_people().items():
        grid = table if isinstance(table, Grid) else _grid_of_frame(table)
        units = output.row_units.get(name, {})
        kinds = [_column_kind(column, grid) for column in grid.columns]
        cells = []
        for row, values in zip(grid.rows, grid.cells, strict=True):
            kind = _row_kind(units, row)
            cells.append(tuple(format_number(v, kind or kinds[c]) for c, v in enumerate(values)))
        numeric = grid.attrs.get("numeric_columns") or [
            all(is_number(value) for value in grid.column(position))
            for position in range(len(grid.columns))
        ]
        shown[labels.table_title(name, lang)] = Grid(
            rows=grid.rows,
            columns=tuple(labels.header(column, lang) for column in grid.columns),
            cells=tuple(cells),
            row_names=tuple(labels.header(level, lang) for level in grid.row_names),
            column_name=labels.header(grid.column_name, lang),
            attrs={
                "hide_index": grid.attrs.get("hide_index", False),
                "text_columns": [position for position, number in enumerate(numeric) if not number],
            },
        )
    return shown


def _grid_of_frame(frame) -> Grid:
    """A display DataFrame as a grid of its values; its attrs say which columns are numbers
    (by dtype, as pandas aligns them) and whether its index is a default 0, 1, 2 …."""
    import pandas as pd

    rows = tuple(key if isinstance(key, tuple) else (key,) for key in frame.index)
    attrs = dict(frame.attrs)
    attrs["numeric_columns"] = [
        pd.api.types.is_numeric_dtype(frame.iloc[:, position])
        for position in range(len(frame.columns))
    ]
    attrs["hide_index"] = isinstance(frame.index, pd.RangeIndex) and all(
        level is None for level in frame.index.names
    )
    return Grid(
        rows=rows,
        columns=tuple(frame.columns),
        cells=tuple(tuple(frame.iloc[number].tolist()) for number in range(len(frame))),
        row_names=tuple(frame.index.names),
        column_name=frame.columns.name,
        attrs=attrs,
    )


def render_table(output: Output, lang: str = "zh") -> str:
    """Aligned text: a header that records the source, then each table under its title
    (laid out by :func:`fiscal_sim.textgrid.grid_text`). A Chinese character takes two
    columns in either language: under en the cells still hold Chinese (county and measure
    names, 三保), and a terminal shows them two columns wide."""
    lines = [f"# {line}" for line in meta_lines(output.meta)]
    for title, grid in shown_tables(output, lang).items():
        lines.extend(["", f"## {title}"])
        if grid.empty:
            lines.append(labels.NONE[0 if lang == "zh" else 1])
            continue
        lines.append(grid_text(grid, wide=True))
    return "\n".join(lines) + "\n"


def render_csv(output: Output, lang: str = "zh", precision: str = "cents") -> str:
    """CSV with ``# key: value`` header lines, the column codes and headers in ``lang``;
    several tables are stacked in long form (:mod:`fiscal_sim.csvtables`)."""
    return csvtables.render(output.tables, meta_lines(output.meta), lang, precision)


def _jsonable(value: Any) -> Any:
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return _jsonable(value.tolist())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): _jsonable(item) for key, item in value.items()}
    return value


def to_records(frame) -> list[dict[str, Any]]:
    """A DataFrame as a list of plain-JSON rows (NaN becomes None).

    Examples
    --------
    >>> import pandas as pd
    >>> to_records(pd.DataFrame({"year": [2019], "x": [float("nan")]}))
    [{'year': 2019, 'x': None}]
    """
    return [_jsonable(row) for row in _flat(frame).to_dict("records")]


def render_json(output: Output) -> str:
    """``{"meta": {...}, "<table>": [rows...], ...}``, UTF-8, Chinese left readable."""
    document: dict[str, Any] = {"meta": _jsonable(dict(output.meta))}
    for name, frame in output.tables.items():
        document[name] = to_records(frame)
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def write_xlsx(path: Path, output: Output, lang: str = "zh") -> None:
    """An Excel workbook: an about sheet with the metadata, then one sheet per table, the
    sheets and the about sheet's rows named in ``lang`` (:func:`fiscal_sim.labels.sheet_name`)."""
    import pandas as pd

    try:
        import openpyxl  # noqa: F401
    except ImportError as missing:
        raise FiscalSimError(
            Bilingual(
                "--format xlsx 需要 openpyxl：pip install openpyxl",
                "--format xlsx needs openpyxl: pip install openpyxl",
            )
        ) from missing
    rows = [line.split(": ", 1) for line in meta_lines(output.meta)]
    about = pd.DataFrame(
        [(labels.meta_label(key, lang), value) for key, value in rows],
        columns=[labels.meta_label("item", lang), labels.meta_label("content", lang)],
    )
    names = dict(zip(output.for_people(), _unique_sheet_names(output, lang), strict=True))
    with pd.ExcelWriter(path, engine="openpyxl") as workbook:
        about.to_excel(workbook, sheet_name=labels.sheet_name("about", lang), index=False)
        for name, table in output.for_people().items():
            frame = table.to_frame() if isinstance(table, Grid) else table
            frame.to_excel(workbook, sheet_name=names[name])
            _format_rows(workbook.sheets[names[name]], frame, output.row_units.get(name, {}))
        strings_not_formulas(workbook.book)


def _unique_sheet_names(output: Output, lang: str) -> list[str]:
    """The tables' sheet names in ``lang``, a repeated one (or the about sheet's) numbered."""
    taken = {labels.sheet_name("about", lang)}
    names = []
    for name in output.for_people():
        sheet, count = labels.sheet_name(name, lang), 1
        while sheet in taken:
            count += 1
            sheet = f"{labels.sheet_name(name, lang)[:28]} {count}"
        taken.add(sheet)
        names.append(sheet)
    return names


def _format_rows(sheet, frame, units: dict[str, str]) -> None:
    """Give every number its format: a row's unit (``row_units``) first, else its column's
    kind (:func:`_column_kind`); index numbers and year headers are labels ("2018", never
    "2,018"). A cell keeps its full precision: the format only says how it shows.
    """
    index_width = frame.index.nlevels
    header_rows = 1 if frame.columns.nlevels == 1 else frame.columns.nlevels + 1
    label_format = EXCEL_FORMATS["year"]
    for row in sheet.iter_rows(min_row=1, max_row=header_rows):
        for cell in row:
            if _is_number(cell.value):
                cell.number_format = label_format
    kinds = [_column_kind(column, frame) for column in frame.columns]
    for number, row in enumerate(frame.index):
        excel_row = header_rows + 1 + number
        row_kind = _row_kind(units, row)
        for level in range(1, index_width + 1):
            cell = sheet.cell(row=excel_row, column=level)
            if _is_number(cell.value):
                cell.number_format = label_format
        for position, kind in enumerate(kinds):
            cell = sheet.cell(row=excel_row, column=index_width + 1 + position)
            if _is_number(cell.value):
                cell.number_format = EXCEL_FORMATS[row_kind or kind]


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def write(output: Output, fmt: str, path: Path, lang: str = "zh", precision: str = "cents") -> Path:
    """Write ``output`` in ``fmt`` to ``path`` atomically; returns ``path``.

    CSV files start with a byte-order mark so that Excel reads the Chinese labels.
    """
    if fmt == "xlsx":
        return write_atomic(path, lambda temporary: write_xlsx(temporary, output, lang))
    text = render(output, fmt, lang, precision)
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    return write_atomic(path, lambda temporary: temporary.write_text(text, encoding=encoding))
