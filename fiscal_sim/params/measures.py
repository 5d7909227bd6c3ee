"""The six-guarantee measures of the other sub-plans: their catalogue and the ``measures:`` check.

The catalogue is data (``measures.yaml``, read by :mod:`fiscal_sim.params.catalogue`). Each
:class:`Measure` carries the plan's own figures (rates, yuan amounts, months), each with
its clause or the word *assumption* as source, and names the quantities a county bureau must
supply (taxable base, persons, months, county share). How the two become money is one small
function per measure in :mod:`fiscal_sim.engine.measures`.

A scenario lists the measures it applies as ``measure_id: {quantity: leaf}``, where a leaf is
written like a parameter::

    measures:
      hiring_bonus:
        persons_6m: {value: 400, unit: persons, source: assumption}
        persons_12m: {value: 600, unit: persons, source: assumption}
        county_share: {value: 0.5, unit: fraction, source: assumption}

An overlay may change one quantity of a measure its base introduced, short (``persons_6m: 500``,
sourced to the overlay file) or in full, and take an inherited measure out with
``measure_id: null``. A measure is introduced with all its quantities except the optional
ones: the timing the plan leaves open (which months, from which month), whose defaults are the
catalogue's *assumptions* and which a bureau may set to its county's own calendar::

    measures:
      startup_grant:
        persons: {value: 120, unit: persons, source: "county HR bureau"}
        county_share: {value: 1, unit: fraction, source: assumption}
        pay_months: {value: [10, 11], unit: calendar_months, source: "county finance bureau"}

The plan's own figures (rates, yuan amounts, numbers of months, months the plan names) stay
fixed, each with its clause.

Not in the catalogue, because they do not land on the county's general public budget:
social-insurance relief (EMP.4.2.5; social-insurance funds are outside the model, model.md §1),
electricity at 95 % (MKT.4.2.7(2), FE.2.4.3; borne by the grid company), the work-relief labour
share (LIV.4.1.2; a split inside project budgets), grain targets (FE.1.4.1).
"""

from __future__ import annotations

import math
from pathlib import Path

from fiscal_sim.errors import Bilingual, ScenarioError, did_you_mean
from fiscal_sim.params.catalogue import (
    FIGURE_UNITS,
    MONTHS_A_YEAR,
    Figure,
    Measure,
    Quantity,
    load_catalogue,
    measure_catalogue,
)
from fiscal_sim.params.schema import UNIT_MAXIMA
from fiscal_sim.params.wording import (
    MISSING_SOURCE,
    at_least,
    at_most,
    expected_finite,
    expected_number,
    unit_words,
    wrong_unit,
)

__all__ = [  # and CATALOGUE, read on first use
    "FIGURE_UNITS",
    "LEAF_KEYS",
    "Figure",
    "Measure",
    "Quantity",
    "load_catalogue",
    "measure_catalogue",
    "merge_measures",
]


def __getattr__(name: str):
    if name == "CATALOGUE":  # read on first use (see fiscal_sim.params.catalogue)
        return measure_catalogue()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


LEAF_KEYS = {"value", "unit", "source", "note"}


# -- the `measures:` section of a scenario file ---------------------------------------------------


def _number(value, quantity: Quantity, where: tuple) -> float:
    file, key, line = where
    unit = quantity.unit
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ScenarioError(file, key, expected_number(value, unit), line=line)
    number = float(value)
    if not math.isfinite(number):
        raise ScenarioError(file, key, expected_finite(value), line=line)
    if number < 0:
        raise ScenarioError(file, key, at_least(0, unit, value), line=line)
    upper = quantity.maximum if quantity.maximum is not None else UNIT_MAXIMA.get(unit)
    if upper is not None and number > upper:
        raise ScenarioError(file, key, at_most(upper, unit, value), line=line)
    return number


def _calendar_months(value, quantity: Quantity, where: tuple):
    """One calendar month (``kind="month"``) or a list of them, checked against the plan."""
    file, key, line = where
    first, last = quantity.within
    span = f"{first}-{last}"

    def month(item) -> int:
        if isinstance(item, bool) or not isinstance(item, int) or not first <= item <= last:
            message = Bilingual(
                "应为 {span} 的月份，实为 {got!r}",
                "expected a calendar month {span}, got {got!r}",
                span=span,
                got=item,
            )
            raise ScenarioError(file, key, message, line=line)
        return item

    if quantity.kind == "month":
        return month(value)
    if not isinstance(value, list | tuple) or not value:
        message = Bilingual(
            "应为 {span} 的月份列表，实为 {got!r}",
            "expected a list of calendar months {span}, got {got!r}",
            span=span,
            got=value,
        )
        raise ScenarioError(file, key, message, line=line)
    months = tuple(month(item) for item in value)
    if len(set(months)) != len(months):
        message = Bilingual(
            "每个月份应只出现一次，实为 {got!r}", "expected each month once, got {got!r}", got=value
        )
        raise ScenarioError(file, key, message, line=line)
    if quantity.count is not None and len(months) != quantity.count:
        message = Bilingual(
            "应为 {count} 个月份（方案规定的个数），实为 {got}",
            "expected {count} months (the plan's number), got {got}",
            count=quantity.count,
            got=len(months),
        )
        raise ScenarioError(file, key, message, line=line)
    return tuple(sorted(months))


def _leaf(node, quantity: Quantity, base: dict | None, where: tuple) -> dict:
    """Validate one quantity leaf; return ``{value, unit, source[, note]}``."""
    file, key, line = where
    if isinstance(node, dict):
        if "value" not in node:
            message = Bilingual(
                "应为一个值，或含 {keys} 的映射",
                "expected a value, or a mapping with {keys}",
                keys=sorted(LEAF_KEYS),
            )
            raise ScenarioError(file, key, message, line=line)
        extra = sorted(set(node) - LEAF_KEYS)
        if extra:
            raise ScenarioError(
                file,
                f"{key}.{extra[0]}",
                Bilingual(
                    "未知键；数量只有 {keys}",
                    "unknown key; a quantity has only {keys}",
                    keys=sorted(LEAF_KEYS),
                ),
                line=line,
            )
        entry = dict(node)
    else:
        entry = {"value": node}
    unit = entry.get("unit")
    if unit is not None and unit != quantity.unit:
        raise ScenarioError(file, key, wrong_unit(unit, quantity.unit), line=line)
    if quantity.kind == "number":
        entry["value"] = _number(entry["value"], quantity, where)
    else:
        entry["value"] = _calendar_months(entry["value"], quantity, where)
    entry["unit"] = quantity.unit
    if not entry.get("source"):
        if base is None:
            raise ScenarioError(file, key, MISSING_SOURCE, line=line)
        entry["source"] = f"override in {Path(str(file)).name}"
    entry["source"] = str(entry["source"])
    return entry


def merge_measures(base: dict | None, fragment, file, lines: dict | None = None) -> dict:
    """Validate the ``measures:`` section of one file and merge it over its base's.

    Parameters
    ----------
    base
        The measures resolved so far (from the ``extends`` chain), or ``None``.
    fragment
        The file's ``measures:`` mapping as read from YAML.
    file, lines
        The file, and its map from dotted key path to line number, for error messages.

    Returns
    -------
    dict
        ``{measure_id: {quantity: {"value": float, "unit": str, "source": str}}}``.

    Raises
    ------
    ScenarioError
        Unknown measure or quantity, missing quantity or source, wrong unit, a negative,
        non-finite or too-large value, a subset larger than its set, months outside the
        plan's span or past December, or ``null`` for a measure the base does not list.

    Examples
    --------
    >>> merge_measures(None, {"startup_grant": {"persons": 10, "county_share": 1}}, "x.yaml")
    Traceback (most recent call last):
    ...
    fiscal_sim.errors.ScenarioError: x.yaml: measures.startup_grant.persons: missing source \
(write the source or the word 'assumption')
    """
    lines = lines or {}
    catalogue = measure_catalogue()
    merged = {key: dict(value) for key, value in (base or {}).items()}
    if fragment is None:
        fragment = {}
    if not isinstance(fragment, dict):
        raise ScenarioError(
            file,
            "measures",
            Bilingual("应为以措施 id 为键的映射", "expected a mapping of measure ids"),
            line=lines.get("measures"),
        )
    for measure_id, node in fragment.items():
        path = f"measures.{measure_id}"
        if measure_id not in catalogue:
            raise ScenarioError(
                file,
                path,
                Bilingual(
                    "未知措施{hint}；措施有：{measures}",
                    "unknown measure{hint}; measures are: {measures}",
                    hint=did_you_mean(measure_id, catalogue),
                    measures=", ".join(catalogue),
                ),
                line=lines.get(path),
            )
        measure = catalogue[measure_id]
        if node is None:  # `measure_id: null` takes out a measure the base lists
            if measure_id not in merged:
                raise ScenarioError(
                    file,
                    path,
                    Bilingual(
                        "null 用于去掉继承来的措施，但基础情景没有列出 {measure}"
                        "（要列出一项措施，请给出它的各个数量）",
                        "null removes an inherited measure, but the base does not list "
                        "{measure} (to list a measure, give its quantities)",
                        measure=measure_id,
                    ),
                    line=lines.get(path),
                )
            del merged[measure_id]
            continue
        if not isinstance(node, dict):
            raise ScenarioError(
                file,
                path,
                Bilingual("应为各个数量的映射", "expected a mapping of quantities"),
                line=lines.get(path),
            )
        names = [q.name for q in measure.quantities]
        previous = merged.get(measure_id)
        entry = dict(previous or {})
        for name, leaf in node.items():
            key = f"{path}.{name}"
            if name not in names:
                expected = Bilingual.same(", ".join(names)) if names else Bilingual("无", "none")
                raise ScenarioError(
                    file,
                    key,
                    Bilingual(
                        "未知数量{hint}；{measure} 的数量有：{expected}",
                        "unknown quantity{hint}; {measure} takes: {expected}",
                        hint=did_you_mean(name, names),
                        measure=measure_id,
                        expected=expected,
                    ),
                    line=lines.get(key),
                )
            where = (file, key, lines.get(key))
            entry[name] = _leaf(leaf, measure.quantity(name), entry.get(name), where)
        for quantity in measure.quantities:
            if quantity.name in entry:
                continue
            if quantity.optional:  # the catalogue's assumption, sourced as such
                default = quantity.default
                entry[quantity.name] = {
                    "value": default.value,
                    "unit": quantity.unit,
                    "source": default.source,
                }
                continue
            raise ScenarioError(
                file,
                f"{path}.{quantity.name}",
                Bilingual(
                    "缺少数量（{unit}）：{label}",
                    "missing quantity ({unit}): {label}",
                    unit=unit_words(quantity.unit),
                    label=Bilingual(quantity.label_zh, quantity.label_en),
                ),
                line=lines.get(path),
            )
        for small, large in measure.at_most.items():
            if entry[small]["value"] > entry[large]["value"]:
                raise ScenarioError(
                    file,
                    f"{path}.{small}",
                    Bilingual(
                        "应不大于 {large}（{limit:g}），实为 {got:g}",
                        "expected at most {large} ({limit:g}), got {got:g}",
                        large=large,
                        limit=entry[large]["value"],
                        got=entry[small]["value"],
                    ),
                    line=lines.get(f"{path}.{small}"),
                )
        for months, first in measure.within_year:
            room = MONTHS_A_YEAR - entry[first]["value"] + 1
            if entry[months]["value"] > room:
                changed = months if months in node else first
                raise ScenarioError(
                    file,
                    f"{path}.{changed}",
                    Bilingual(
                        "{months} 应在 12 月前结束：从 {first} {start} 起最多 {room} 个月，"
                        "实为 {got:g}",
                        "expected {months} to end by December: at most {room} months from "
                        "{first} {start}, got {got:g}",
                        months=months,
                        room=room,
                        first=first,
                        start=entry[first]["value"],
                        got=entry[months]["value"],
                    ),
                    line=lines.get(f"{path}.{changed}", lines.get(path)),
                )
        merged[measure_id] = entry
    return merged
