"""What a cell must hold, said once for both directions: the writer's data validation and the
reader's error messages come from the same bounds (the schema's and the catalogue's).

Examples
--------
>>> from fiscal_sim.params.schema import BY_PATH
>>> expected(bounds_of(BY_PATH["revenue.tax"]))
'a number of 万元 ≥ 0'
>>> expected(bounds_of(BY_PATH["people.attrition"]))
'a number of 比例 from 0 to 1'
>>> months_text((3, 4, 5)), parse_months("3, 4、5")
('3, 4, 5', [3, 4, 5])
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from fiscal_sim.errors import Bilingual
from fiscal_sim.params.measures import FIGURE_UNITS, Quantity
from fiscal_sim.params.schema import ParamSpec

# A spreadsheet keeps 15 significant digits (LibreOffice writes no more): a number that agrees
# with the inherited value to that precision is the inherited value, not a change.
SAME_NUMBER = 1e-14  # relative: below a 15-digit rounding's error, far below any typed change
_LIST_SEPARATORS = re.compile(r"[,，、;；\s]+")


@dataclass(frozen=True)
class Bounds:
    """The numbers a cell accepts: unit, whole or not, lowest and highest."""

    unit: str
    integer: bool = False
    minimum: float | None = None
    maximum: float | None = None
    low_open: bool = False


def bounds_of(spec: ParamSpec, years: tuple[int, ...] = ()) -> Bounds:
    """The bounds of a schema parameter's cells (a year parameter: the horizon, when known)."""
    minimum, maximum = spec.minimum, spec.maximum
    if spec.unit == "year" and years:
        minimum, maximum = (0 if spec.zero_allowed else years[0] - 1), years[-1]
    return Bounds(spec.unit, spec.integer, minimum, maximum)


def quantity_bounds(quantity: Quantity) -> Bounds:
    """The bounds of a measure's number quantity: never negative, at most its maximum."""
    return Bounds(quantity.unit, False, 0.0, quantity.maximum)


def expected(bounds: Bounds) -> str:
    """What a cell of these bounds expects, in English words (the unit in Chinese, as 万元)."""
    return expected_text(bounds).en


def expected_text(bounds: Bounds) -> Bilingual:
    """What a cell of these bounds expects, in both languages (the unit as 万元 in both).

    >>> from fiscal_sim.params.schema import BY_PATH
    >>> expected_text(bounds_of(BY_PATH["people.attrition"])).zh
    '数字（比例），在 0 到 1 之间'
    """
    unit = FIGURE_UNITS.get(bounds.unit, (bounds.unit,))[0]
    kind = ("整数", "a whole number") if bounds.integer else ("数字", "a number")
    if bounds.unit == "year":
        kind, unit = ("年份", "a year"), ""
    noun = Bilingual(
        "{kind}（{unit}）" if unit else "{kind}",
        "{kind} of {unit}" if unit else "{kind}",
        kind=Bilingual(*kind),
        **({"unit": unit} if unit else {}),
    )
    low, high = bounds.minimum, bounds.maximum
    if low is not None and high is not None:
        return noun + Bilingual(
            "，在 {low:g} 到 {high:g} 之间", " from {low:g} to {high:g}", low=low, high=high
        )
    if low is not None:
        sign = ">" if bounds.low_open else "≥"
        return noun + Bilingual("，{sign} {low:g}", " {sign} {low:g}", sign=sign, low=low)
    if high is not None:
        return noun + Bilingual("，≤ {high:g}", " ≤ {high:g}", high=high)
    return noun


def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def same_number(cell, inherited) -> bool:
    """Whether a cell's number is ``inherited`` as a spreadsheet keeps it (15 digits)."""
    if not (is_number(cell) and is_number(inherited)):
        return False
    return math.isclose(cell, inherited, rel_tol=SAME_NUMBER, abs_tol=0.0)


def kept_source(source, changed: bool, inherited_source) -> str | None:
    """The source a filled row keeps: none (the loader then writes "override in <file>")
    when the value changed but the source cell still holds the inherited source.

    Examples
    --------
    >>> kept_source("assumption", True, "assumption"), kept_source("bureau", True, "assumption")
    (None, 'bureau')
    """
    if not isinstance(source, str) or (changed and source == inherited_source):
        return None
    return source


def months_text(months) -> str:
    """Calendar months as a cell shows them: ``3, 4, 5``; one month as its number."""
    if isinstance(months, int):
        return str(months)
    return ", ".join(str(month) for month in months)


def parse_months(text: str) -> list[int] | None:
    """``"3, 4、5"`` -> ``[3, 4, 5]``; None when an item is not a whole number."""
    items = [item for item in _LIST_SEPARATORS.split(str(text).strip()) if item]
    if not items or not all(item.isdigit() for item in items):
        return None
    return [int(item) for item in items]


def words(text: str) -> list[str]:
    """An order written in a cell (``wages, livelihood, …``) as its words."""
    return [item for item in _LIST_SEPARATORS.split(str(text).strip()) if item]


def numbers_text(values) -> str:
    """A list of numbers in one cell, exactly (``repr``), comma-separated."""
    return ", ".join(repr(value) for value in values)


def parse_numbers(text: str) -> list[float] | None:
    """The inverse of :func:`numbers_text`; None when an item is not a number."""
    result = []
    for item in (part.strip() for part in str(text).split(",")):
        try:
            result.append(float(item) if any(c in item for c in ".eE") else int(item))
        except ValueError:
            return None
    return result
