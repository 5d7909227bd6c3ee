"""CSV tables that follow ``--lang`` and read back the same in either language.

A CSV file of fiscal_sim is written for two readers: a person opening it in Excel, who wants
Chinese (or English) headers and names, and a program, which wants the codes. So:

* ``# key: value`` lines first record where the table came from (scenario, hash, version);
* the last comment line, ``# columns: ...``, holds the column codes, directly above the
  header row that names the same columns in the chosen language (Chinese under zh);
* each coded column (``table``, ``variable``, ``indicator``, ``tier``, ``rule``, ``severity``,
  ``aspect``, ``unit``, ``measure``, ``parameter``, ``outcome`` …) keeps its codes and gets a
  ``<code>_name`` column of names in the chosen language beside it;
* a ``unit`` column (when the table has none) says the unit of each row's numbers; a wide
  table whose columns are indicators of different units has the unit in each header instead;
* amounts in 万元 are rounded to the cent of 万元 (0.01) unless ``precision="full"``; ratios,
  months and persons keep their digits.

:func:`read_csv` skips the comment lines, takes the column codes from ``# columns:`` and
drops the ``_name`` columns (they are derived from the codes): a table written under zh and
the same table written under en read back identically.

pandas is imported inside the functions that need it.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"year": [2019], "headcount": [4975.0], "own_revenue": [1.234]})
>>> meta = {"scenario": "plan", "hash": "0123456789ab"}
>>> print(render({"indicators": frame.set_index("year")}, meta, "zh"), end="")
# scenario: plan
# hash: 0123456789ab
# columns: year,headcount,own_revenue
年度,财政供养在职人员（人）,本级一般公共预算收入（万元）
2019,4975.0,1.23
>>> print(render({"indicators": frame.set_index("year"), "more": frame}, lang="en"), end="")
# columns: table,table_name,year,variable,variable_name,unit,unit_name,value
table,table name,year,variable,variable name,unit,unit name,value
indicators,indicators,2019,headcount,serving staff,persons,persons,4975.0
indicators,indicators,2019,own_revenue,own revenue,wan_yuan,万元,1.23
more,more,2019,headcount,serving staff,persons,persons,4975.0
more,more,2019,own_revenue,own revenue,wan_yuan,万元,1.23
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from typing import Any

from fiscal_sim import labels
from fiscal_sim.cells import csv_cell, to_csv
from fiscal_sim.numbers import round_money

PRECISIONS = ("cents", "full")
"""``--precision``: amounts rounded to 0.01 万元 (``cents``, the default) or as computed."""

COLUMNS_MARK = "# columns: "
NAME_SUFFIX = "_name"

# Columns that identify a row rather than hold a measured value (never rounded, no unit).
KEY_COLUMNS = ("year", "month", "tier_no")
# Numbers without a unit: never rounded as money.
_UNITLESS = ("elasticity",)

# Headers of CSV columns that the tables of fiscal_sim.labels do not name (or name with a
# unit that a CSV column does not always have: ``value`` is not always in 万元).
CSV_HEADERS = {
    "table": ("表", "table"),
    "variable": ("变量", "variable"),
    "value": ("数值", "value"),
    "unit": ("单位", "unit"),
    "parameter": ("参数", "parameter"),
    "parameter_unit": ("参数单位", "parameter unit"),
    "outcome": ("结果指标", "outcome"),
    "base": ("基准值", "base"),
    "down": ("下调后", "down"),
    "up": ("上调后", "up"),
    "change_down": ("下调变化", "change down"),
    "change_up": ("上调变化", "change up"),
    "elasticity": ("弹性", "elasticity"),
    "breaks_down": ("下调新增违规", "breaks down"),
    "breaks_up": ("上调新增违规", "breaks up"),
    "message_zh": ("说明（中文）", "message (Chinese)"),
    "message_en": ("说明（英文）", "message (English)"),
    "amount_wan": ("金额", "amount"),
    "clause": ("条款", "clause"),
    "measure": ("措施", "measure"),
    "rule": ("规则", "rule"),
    "title_zh": ("名称（中文）", "title (Chinese)"),
    "title_en": ("名称（英文）", "title (English)"),
    "gating": ("是否决定可承受性", "gating"),
    "severity_before": ("实施前结果", "severity before"),
    "severity_after": ("实施后结果", "severity after"),
    "unreachable": ("无法满足的规则", "unreachable"),
    "conflict": ("相互冲突的规则", "conflict"),
    "broken_by": ("随之突破的规则", "broken by"),
    "holds": ("是否满足", "holds"),
}

# The unit of a table's numbers when neither the row's variable nor its indicator says.
TABLE_UNITS = {
    "waterfall": "wan_yuan",
    "measures": "wan_yuan",
    "sanbao": "wan_yuan",
    "wage_risk": "fraction",
    "breach_probability": "fraction",
}


def header(code, lang: str) -> str:
    """A column's header in ``lang``: ``<code>_name`` reads 名称 after its column's header.

    Examples
    --------
    >>> header("tier_name", "zh"), header("tier_name", "en"), header("austerity", "zh")
    ('层级名称', 'tier name', 'austerity')
    """
    code = str(code)
    if code.endswith(NAME_SUFFIX) and code != NAME_SUFFIX:
        base = header(code[: -len(NAME_SUFFIX)], lang)
        return f"{base}名称" if lang == "zh" else f"{base} name"
    if code in CSV_HEADERS:
        return CSV_HEADERS[code][0 if lang == "zh" else 1]
    return str(labels.header(code, lang))


def _measure_name(code: str, lang: str) -> str:
    from fiscal_sim.params.catalogue import measure_catalogue

    measure = measure_catalogue().get(code)
    if measure is None:
        return code
    return measure.label_zh if lang == "zh" else measure.label_en


def _parameter_name(code: str, lang: str) -> str:
    from fiscal_sim.params.schema import spec_for

    spec = spec_for(code)
    if spec is None:
        return code
    return spec.label_zh if lang == "zh" else spec.label_en


def _variable_name(code: str, lang: str) -> str:
    if code in labels.EXTRA_INDICATOR_LABELS:
        return labels.indicator_label(code, lang)
    if code in labels.TIER_LABELS or code in labels.CASH_CLASS_LABELS:
        return labels.label(code, lang)
    return str(labels.header(code, lang))


NAMERS: dict[str, Callable[[str, str], str]] = {
    "table": labels.table_title,
    "variable": _variable_name,
    "indicator": labels.indicator_label,
    "tier": labels.label,
    "rule": labels.rule_name,
    "severity": labels.severity_label,
    "severity_before": labels.severity_label,
    "severity_after": labels.severity_label,
    "margin_unit": labels.unit_label,
    "aspect": labels.aspect_label,
    "unit": labels.unit_label,
    "parameter_unit": labels.unit_label,
    "cash_class": labels.label,
    "measure": _measure_name,
    "parameter": _parameter_name,
}
"""The coded columns and how a code is named in a language. A table may name the codes of
its own columns in ``attrs["names"]``: ``{column: {code: (中文, English)}}`` (the
sensitivity's outcomes: their names live with the sweep, above this module); and the
column that holds the unit of a column's numbers when it is not ``unit``, in
``attrs["unit_columns"]``: ``{column: unit column}`` (a reverse stress test's margins)."""


def flat(frame):
    """The frame with its named index levels as columns."""
    if any(name is not None for name in frame.index.names):
        return frame.reset_index()
    return frame.reset_index(drop=True)


def long_form(tables: Mapping[str, Any]):
    """Stack several tables into one tidy table: ``table``, key columns, ``variable``, ``value``.

    Key columns are the index levels, text and flag columns and ``year``/``month``/``tier_no``.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"headcount": [4975.0]}, index=pd.Index([2019], name="year"))
    >>> long_form({"indicators": a}).to_dict("records")
    [{'table': 'indicators', 'year': 2019, 'variable': 'headcount', 'value': 4975.0}]
    """
    import pandas as pd

    parts = []
    for name, frame in tables.items():
        flattened = flat(frame)
        keys = [
            column
            for column in flattened.columns
            if column in KEY_COLUMNS
            or not pd.api.types.is_numeric_dtype(flattened[column])
            or pd.api.types.is_bool_dtype(flattened[column])  # a flag, not a measured value
        ]
        part = flattened.melt(id_vars=keys, var_name="variable", value_name="value")
        part.insert(0, "table", name)
        parts.append(part)
    stacked = pd.concat(parts, ignore_index=True)
    ordered = ["table", *[c for c in stacked.columns if c not in ("table", "variable", "value")]]
    return stacked[[*ordered, "variable", "value"]]


def one_frame(tables: Mapping[str, Any]):
    """One table as it is (its index levels as columns), several stacked by :func:`long_form`."""
    if len(tables) == 1:
        name, frame = next(iter(tables.items()))
        flattened = flat(frame)
        flattened.attrs["table"] = name
        return flattened
    return long_form(tables)


def _row_unit(row: Mapping[str, Any], table: str | None) -> str | None:
    """The unit of a row's numbers: its variable's, its indicator's or outcome's, the table's."""
    variable = row.get("variable")
    if isinstance(variable, str) and labels.unit_of(variable):
        return labels.unit_of(variable)
    indicator = row.get("indicator")
    if isinstance(indicator, str) and labels.unit_of(indicator):
        return labels.unit_of(indicator)
    name = row.get("table", table)
    return TABLE_UNITS.get(name) if isinstance(name, str) else None


def _own_unit(row: Mapping[str, Any]) -> str | None:
    """The unit of a stacked row's variable, when the variable has one of its own."""
    variable = row.get("variable")
    return labels.unit_of(variable) if isinstance(variable, str) else None


def _is_code(value) -> bool:
    return isinstance(value, str) and value != ""


def csv_frame(tables: Mapping[str, Any], lang: str = "zh", precision: str = "cents"):
    """The tables as one CSV table in codes: names beside codes, a unit column, money rounded.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"rule": ["advance_cap"], "value": [0.076], "unit": ["fraction"]})
    >>> csv_frame({"findings": frame}, "en").columns.tolist()
    ['rule', 'rule_name', 'value', 'unit', 'unit_name']
    """
    import pandas as pd

    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, got {precision!r}")
    frame = one_frame(tables).copy()
    table = frame.attrs.get("table")
    own_names: dict[str, dict] = {}
    for part in tables.values():
        for column, names in (part.attrs.get("names") or {}).items():
            own_names.setdefault(column, {}).update(names)
    numeric = [
        column
        for column in frame.columns
        if column not in KEY_COLUMNS
        and column not in _UNITLESS
        and pd.api.types.is_numeric_dtype(frame[column])
        and not pd.api.types.is_bool_dtype(frame[column])
    ]
    column_units = {column: labels.unit_of(column) for column in numeric if labels.unit_of(column)}
    unit_columns: dict[str, str] = {}
    for part in tables.values():
        unit_columns.update(part.attrs.get("unit_columns") or {})
    records = frame.to_dict("records")
    if "unit" not in frame.columns:
        units = [_row_unit(record, table) or "" for record in records]
        if any(units) or not column_units:
            first_number = next((c for c in frame.columns if c in numeric), None)
            at = frame.columns.get_loc(first_number) if first_number is not None else None
            frame.insert(frame.shape[1] if at is None else at, "unit", units)
    else:  # stacked tables: a row's variable knows its unit best, then the table's own
        frame["unit"] = [
            _own_unit(record)
            or (record["unit"] if _is_code(record["unit"]) else "")
            or _row_unit(record, table)
            or ""
            for record in records
        ]
    if "unit" in frame.columns:  # a unit per row
        money = frame["unit"] == "wan_yuan"
        rounded = {column: money for column in numeric}
        for column, unit_column in unit_columns.items():
            if column in rounded and unit_column in frame.columns:
                rounded[column] = frame[unit_column] == "wan_yuan"
    else:  # a unit per column (a wide table of indicators): it is in the header
        every_row = pd.Series(True, index=frame.index)
        rounded = {c: every_row for c, unit in column_units.items() if unit == "wan_yuan"}
        frame.attrs["column_units"] = column_units
    for column in KEY_COLUMNS:  # stacked with a table without it, a year reads 2019.0
        if column in frame.columns and pd.api.types.is_float_dtype(frame[column]):
            known = frame[column].dropna()
            if (known == known.round()).all():
                frame[column] = frame[column].astype("Int64")
    if precision == "cents":
        for column, rows in rounded.items():
            if rows.any() and pd.api.types.is_float_dtype(frame[column]):  # ints are whole
                frame.loc[rows, column] = frame.loc[rows, column].map(round_money)
    for column in list(frame.columns):
        if column not in NAMERS and column not in own_names:
            continue
        if f"{column}{NAME_SUFFIX}" in frame.columns:
            continue
        known, name_of = own_names.get(column, {}), NAMERS.get(column)
        names = []
        for code in frame[column]:
            if not _is_code(code):
                names.append("")
            elif code in known:
                names.append(known[code][0 if lang == "zh" else 1])
            else:
                names.append(name_of(code, lang) if name_of else code)
        frame.insert(frame.columns.get_loc(column) + 1, f"{column}{NAME_SUFFIX}", names)
    return frame


def _with_unit(text: str, unit: str | None, lang: str) -> str:
    """A header with its column's unit: 本级一般公共预算收入（万元）."""
    if not unit:
        return text
    name = labels.unit_label(unit, lang)
    return f"{text}（{name}）" if lang == "zh" else f"{text} ({name})"


def _csv_line(cells) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow([csv_cell(str(cell)) for cell in cells])
    return buffer.getvalue()


def render(
    tables: Mapping[str, Any],
    meta_lines: list[str] | Mapping[str, Any] = (),
    lang: str = "zh",
    precision: str = "cents",
) -> str:
    """CSV text: the ``# key: value`` lines, ``# columns:`` with the codes, the header in
    ``lang``, then the rows (:func:`csv_frame`)."""
    if isinstance(meta_lines, Mapping):
        meta_lines = [f"{key}: {value}" for key, value in meta_lines.items()]
    frame = csv_frame(tables, lang, precision)
    codes = [str(column) for column in frame.columns]
    head = "".join(f"# {line}\n" for line in meta_lines)
    head += COLUMNS_MARK + _csv_line(codes) + "\n"
    units = frame.attrs.get("column_units") or {}
    headers = [
        csv_cell(_with_unit(header(code, lang), units.get(code), lang)) for code in frame.columns
    ]
    body = to_csv(frame, index=False, header=headers, lineterminator="\n")
    return head + body


def read_csv(source):
    """A CSV file of fiscal_sim (a path or a text buffer) as a DataFrame in codes.

    The ``# key: value`` lines become ``attrs["meta"]`` (text); the ``_name`` columns are
    dropped, so the same table read from its zh and its en file is identical. A file without
    a ``# columns:`` line is read by its header row.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"tier": ["wages"], "need": [61547.123]})
    >>> zh = read_csv(io.StringIO(render({"waterfall": frame}, lang="zh")))
    >>> en = read_csv(io.StringIO(render({"waterfall": frame}, lang="en")))
    >>> zh.equals(en), zh.to_dict("records")
    (True, [{'tier': 'wages', 'unit': 'wan_yuan', 'need': 61547.12}])
    """
    import pandas as pd

    if hasattr(source, "read"):
        text = source.read()
    else:
        with open(source, encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    text = text.lstrip("\ufeff")
    lines = text.splitlines(keepends=True)
    meta: dict[str, str] = {}
    codes = None
    body_start = 0
    for number, line in enumerate(lines):
        if not line.startswith("#"):
            body_start = number
            break
        if line.startswith(COLUMNS_MARK):
            codes = next(csv.reader([line[len(COLUMNS_MARK) :].rstrip("\r\n")]))
        else:
            key, _, value = line[1:].strip().partition(": ")
            meta[key] = value
    else:
        body_start = len(lines)
    body = "".join(lines[body_start:])
    if codes is None:
        frame = pd.read_csv(io.StringIO(body))
    else:
        frame = pd.read_csv(io.StringIO(body), header=0, names=codes)
    derived = [
        column
        for column in frame.columns
        if str(column).endswith(NAME_SUFFIX) and str(column)[: -len(NAME_SUFFIX)] in frame.columns
    ]
    frame = frame.drop(columns=derived)
    frame.attrs["meta"] = meta
    return frame
