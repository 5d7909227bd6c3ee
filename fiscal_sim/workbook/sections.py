"""The shocks and measures sheets: the ``shocks:`` section as rows of dotted keys and back,
and both sheets read into the overlay mapping.

A nested mapping becomes ``{"shocks.tax.sigma": 0.03, ...}``; a list of numbers (a bootstrap
history) one cell of comma-separated numbers written exactly; a key that is a number (a year
of a history mapping) comes back as a number.

Examples
--------
>>> rows = flatten_shocks({"tax": {"sigma": 0.05}, "history": {"tax": [0.1, -0.02]}})
>>> rows
{'shocks.tax.sigma': 0.05, 'shocks.history.tax': '0.1, -0.02'}
>>> unflatten_shocks({"shocks.tax.sigma": 0.05, "shocks.history.tax": [0.1, -0.02]})
{'tax': {'sigma': 0.05}, 'history': {'tax': [0.1, -0.02]}}
"""

from __future__ import annotations

from fiscal_sim.errors import Bilingual, ScenarioError
from fiscal_sim.workbook import cells as C
from fiscal_sim.workbook import layout as L
from fiscal_sim.workbook.cells import numbers_text


def flatten_shocks(raw) -> dict[str, object]:
    """``{dotted key: cell value}`` of a merged ``shocks:`` section (None: no rows)."""
    rows: dict[str, object] = {}

    def walk(prefix: str, node) -> None:
        if isinstance(node, dict):
            for key, child in node.items():
                walk(f"{prefix}.{key}", child)
        elif isinstance(node, list | tuple):
            rows[prefix] = numbers_text(node)
        else:
            rows[prefix] = node

    if isinstance(raw, dict):
        walk("shocks", raw)
    return rows


def _key(part: str):
    return int(part) if part.isdigit() else part


def unflatten_shocks(rows: dict[str, object]) -> dict:
    """The nested ``shocks:`` mapping of ``{dotted key: value}`` rows."""
    section: dict = {}
    for key, value in rows.items():
        parts = [_key(part) for part in key.split(".")[1:]]
        node = section
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return section


# -- reading the shocks and measures sheets ------------------------------------------------------


def _raw_at(raw, key: str):
    node = raw
    for part in key.split(".")[1:]:
        if not isinstance(node, dict):
            return None
        node = node.get(_key(part), node.get(part))
    return node


def _rows(reader, problems_key: str, path):
    """``(row, key)`` of a section sheet's rows, after its header and key checks."""
    from fiscal_sim.workbook.sheets import EMPTY, expected_headers, given_twice, shown

    reader.check_merged()
    if not reader.check_headers(expected_headers(("value",))):
        return
    seen = {}
    for row in range(2, reader.ws.max_row + 1):
        key = reader.value(row, L.KEY)
        if key is None or key is EMPTY:
            continue
        where = reader.ref(row, L.KEY)
        if not isinstance(key, str) or not key.startswith(problems_key + "."):
            reader.problems.add(
                where,
                None,
                Bilingual(
                    "未知键 {key}；此工作表只放 {section}.* 行",
                    "unknown key {key}; this sheet holds {section}.* rows",
                    key=shown(key),
                    section=problems_key,
                ),
            )
            continue
        if key in seen:
            reader.problems.add(where, key, given_twice(seen[key]))
            continue
        seen[key] = where
        yield row, key


def read_shocks(reader, base, data: dict, cells: dict, path) -> None:
    """The shocks sheet into ``data["shocks"]``, checked by :func:`merge_shocks`."""
    from fiscal_sim.params.shocks import Locator, merge_shocks
    from fiscal_sim.workbook.sheets import EMPTY, shown

    raw = base.extra.get("shocks")
    written = flatten_shocks(raw)
    rows: dict[str, object] = {}
    for row, key in _rows(reader, "shocks", path):
        value = reader.value(row, L.FIRST_VALUE, key)
        if key.endswith(".sigma"):
            source = reader.value(row, L.FIRST_VALUE + 1, key)
            if source not in (None, EMPTY):
                rows[key.replace(".sigma", ".source")] = str(source)
                cells[key.replace(".sigma", ".source")] = reader.ref(row, L.FIRST_VALUE + 1)
        if value is None or value is EMPTY:
            continue
        cells[key] = reader.ref(row, L.FIRST_VALUE)
        if value == written.get(key) or C.same_number(value, written.get(key)):
            rows[key] = _raw_at(raw, key)  # unchanged: exactly as the base has it
        elif key.startswith("shocks.history.") and isinstance(value, str):
            numbers = C.parse_numbers(value)
            if numbers is None:
                reader.problems.add(
                    cells[key],
                    key,
                    Bilingual(
                        "应为增长率，以逗号分隔，实为 {got}",
                        "expected growth rates, comma-separated, got {got}",
                        got=shown(value),
                    ),
                )
                continue
            rows[key] = numbers
        else:
            rows[key] = value
    if not rows:
        return
    fragment = unflatten_shocks(rows)
    try:
        merge_shocks(raw, fragment, path, cells, Locator())
    except ScenarioError as error:
        reader.problems.add_error(error)
        return
    data["shocks"] = fragment


def read_measures(reader, base, data: dict, cells: dict, path) -> None:
    """The measures sheet into ``data["measures"]``, each measure checked by
    :func:`merge_measures`."""
    from fiscal_sim.params.measures import CATALOGUE, merge_measures
    from fiscal_sim.workbook.sheets import EMPTY, shown

    listed = base.extra.get("measures") or {}
    switches: dict[str, bool | None] = {}
    quantities: dict[str, dict] = {}
    for row, key in _rows(reader, "measures", path):
        parts = key.split(".")
        measure = CATALOGUE.get(parts[1])
        names = [q.name for q in measure.quantities] if measure else []
        if measure is None or len(parts) > 3 or (len(parts) == 3 and parts[2] not in names):
            reader.problems.add(
                reader.ref(row, L.KEY),
                key,
                Bilingual("未知的措施或数量", "unknown measure or quantity"),
            )
            continue
        value = reader.value(row, L.FIRST_VALUE, key)
        cells[key] = reader.ref(row, L.FIRST_VALUE)
        if len(parts) == 2:
            switch = _switch(value)
            if switch is EMPTY:
                reader.problems.add(
                    cells[key],
                    key,
                    Bilingual(
                        "应为 是 或 否（开启/关闭），实为 {got}",
                        "expected 是 or 否 (on/off), got {got}",
                        got=shown(value),
                    ),
                )
            switches[parts[1]] = None if switch is EMPTY else switch
            continue
        if value is None or value is EMPTY:
            continue
        quantity = measure.quantity(parts[2])
        before = (listed.get(parts[1]) or {}).get(parts[2]) or {}
        if quantity.kind != "number":
            months = value if C.is_number(value) else C.parse_months(value)
            if months is None:
                reader.problems.add(
                    cells[key],
                    key,
                    Bilingual(
                        "应为月份，如 3, 4, 5，实为 {got}",
                        "expected calendar months such as 3, 4, 5, got {got}",
                        got=shown(value),
                    ),
                )
                continue
            if quantity.kind == "months":
                months = [months] if C.is_number(months) else months
                if sorted(months) == list(before.get("value") or ()):
                    months = list(before["value"])
            value = months
        elif C.same_number(value, before.get("value")):
            value = before["value"]
        leaf = {"value": value}
        source = reader.value(row, L.FIRST_VALUE + 1, key)
        note = reader.value(row, L.FIRST_VALUE + 2, key)
        changed = _plain_months(value) != _plain_months(before.get("value"))
        source = C.kept_source(
            None if source in (None, EMPTY) else str(source), changed, before.get("source")
        )
        if source is not None:
            leaf["source"] = source
        if note not in (None, EMPTY):
            leaf["note"] = str(note)
        quantities.setdefault(parts[1], {})[parts[2]] = leaf
    fragment = {}
    for measure_id in CATALOGUE:
        switch, given = switches.get(measure_id), quantities.get(measure_id)
        if switch is False:
            if given:
                where = cells[f"measures.{measure_id}"]
                reader.problems.add(
                    where,
                    f"measures.{measure_id}",
                    Bilingual(
                        "已关闭（否），但其数量已填写；请开启该措施或清空这些数量",
                        "switched off (否) but its quantities are filled; switch it on or "
                        "empty them",
                    ),
                )
            elif measure_id in listed:
                fragment[measure_id] = None
            continue
        if given or (switch and measure_id not in listed):
            fragment[measure_id] = given or {}
            try:
                merge_measures(listed, {measure_id: fragment[measure_id]}, path, cells)
            except ScenarioError as error:
                reader.problems.add_error(error)
    if fragment:
        data["measures"] = fragment


def _plain_months(value):
    return list(value) if isinstance(value, tuple | list) else value


def _switch(value):
    from fiscal_sim.workbook.sheets import EMPTY

    if value is None or value is EMPTY:
        return None
    if value is True or value is False:
        return value
    return L.SWITCH_WORDS.get(str(value).strip().lower(), EMPTY)
