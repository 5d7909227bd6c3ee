"""New spending or revenue measures for the affordability assessment (OPS.4.1.1).

A policy file holds one measure at the top level, or a list under ``measures``::

    name: dibao_raise
    title: {zh: 城乡低保标准提高10%, en: Subsistence allowance standards +10 %}
    source: LIV.4.3.9
    line: livelihood          # where it lands (see LINES)
    quantity: 6000            # units (persons, households, ...)
    unit_cost_yuan: 45        # yuan per unit and month
    months: 12                # months a year it runs (default 12) ...
    start_month: 1            # ... starting in this month (default 1)
    county_share: 1.0         # share the county pays (default 1)
    start_year: 2021
    end_year: 2025            # default: the last projection year

or, instead of ``quantity`` × ``unit_cost_yuan`` × ``months``, ``amount`` in 万元 a year
(spread evenly over the months it runs), or an amount for each year it runs::

    amount: {2021: 1000, 2022: 1200}   # 万元; start_year and end_year default to the first
                                       # and last year given, and every year between needs one

Signs follow the engine: on a spending line a
positive amount is more spending; on a revenue line a positive amount is more revenue, so a
tax relief is a negative ``amount``. ``growth`` (a fraction a year) is optional, with a
single amount only.

Examples
--------
>>> policy = Policy.from_dict({"line": "livelihood", "amount": 120, "start_year": 2021})
>>> policy.measures[0].monthly_cost(2021)[:3]
array([10., 10., 10.])
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from fiscal_sim.errors import Bilingual, PolicyError, year_outside_horizon
from fiscal_sim.params.schema import DELTA_LINES as LINES
from fiscal_sim.params.schema import UNIT_MAXIMA
from fiscal_sim.params.wording import expected_finite, expected_number, expected_whole
from fiscal_sim.yamlio import policy_item, read_yaml

_POLICY_KEYS = {"name", "title", "description", "source", "measures"}
_MEASURE_KEYS = {
    "name",
    "line",
    "amount",
    "quantity",
    "unit_cost_yuan",
    "months",
    "start_month",
    "county_share",
    "start_year",
    "end_year",
    "growth",
    "source",
}
YUAN_PER_WAN = 10_000.0
MAX_MEASURES = 100  # measures in one policy file
# Bounds of the schema's units (fiscal_sim.params.schema.UNIT_MAXIMA): far above any county.
_MAX = UNIT_MAXIMA
_AMOUNT = {"low": -_MAX["wan_yuan"], "high": _MAX["wan_yuan"]}
_UNIT_COST = {"low": -_MAX["yuan_per_person_month"], "high": _MAX["yuan_per_person_month"]}


# --- the policy ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Measure:
    """One cost or revenue stream of a policy, in 万元 (county share only)."""

    line: str
    start_year: int
    end_year: int | None = None
    amount: float | None = None
    quantity: float | None = None
    unit_cost_yuan: float | None = None
    months: int = 12
    start_month: int = 1
    county_share: float = 1.0
    growth: float = 0.0
    name: str = ""
    source: str = ""
    yearly_amounts: tuple[tuple[int, float], ...] = ()
    """``(year, 万元)`` pairs when the file gives an amount per year (``amount`` is then None)."""

    @property
    def annual_amount(self) -> float:
        """County cost (or revenue) in the first year, 万元."""
        return self.year_amount(self.start_year)

    def year_amount(self, year: int) -> float:
        """County cost (or revenue) in ``year`` while the measure runs, 万元."""
        if self.yearly_amounts:
            return dict(self.yearly_amounts).get(year, 0.0) * self.county_share
        if self.amount is not None:
            gross = self.amount
        else:
            gross = self.quantity * self.unit_cost_yuan * self.months / YUAN_PER_WAN
        return gross * self.county_share * (1.0 + self.growth) ** (year - self.start_year)

    def active(self, year: int, last_year: int) -> bool:
        """Whether the measure runs in ``year`` (open-ended measures run to ``last_year``)."""
        end = self.end_year if self.end_year is not None else last_year
        return self.start_year <= year <= end

    def monthly_cost(self, year: int, last_year: int | None = None) -> np.ndarray:
        """The 12 monthly amounts in ``year`` (万元; zeros when the measure does not run)."""
        months = np.zeros(12)
        if not self.active(year, last_year if last_year is not None else year):
            return months
        amount = self.year_amount(year)
        first = self.start_month - 1
        months[first : first + self.months] = amount / self.months
        return months


@dataclass(frozen=True)
class Policy:
    """A new spending or revenue policy: one or more :class:`Measure`."""

    name: str
    measures: tuple[Measure, ...]
    title: dict = field(default_factory=dict)
    description: str = ""
    source: str = ""
    file: str | None = None
    single: bool = field(default=False, repr=False)  # one measure at the top level of the file

    @classmethod
    def from_dict(cls, data: dict, file=None, lines: dict | None = None) -> Policy:
        """Validate a policy given as a dict (as read from YAML); ``PolicyError`` if invalid."""
        return _parse_policy(data, None if file is None else str(file), lines or {})

    def deltas(self, years) -> dict[str, np.ndarray]:
        """Monthly deltas per line over ``years``: ``{line: array (years, 12)}`` in 万元.

        A measure starting or ending outside the projection years is a ``PolicyError``.
        """
        years = [int(year) for year in years]
        result: dict[str, np.ndarray] = {}
        for index, measure in enumerate(self.measures):
            where = "" if self.single else f"measures[{index}]."
            keys = [("start_year", measure.start_year), ("end_year", measure.end_year)]
            if measure.yearly_amounts:  # the years were given as the amount's keys
                keys = [(f"amount.{year}", year) for year, _ in measure.yearly_amounts]
            for key, year in keys:
                if year is not None and not years[0] <= year <= years[-1]:
                    raise PolicyError(
                        self.file,
                        f"{where}{key}",
                        year_outside_horizon(year, years),
                    )
            block = np.array([measure.monthly_cost(year, years[-1]) for year in years])
            result[measure.line] = result.get(measure.line, 0.0) + block
        return result

    def label(self, lang: str = "zh") -> str:
        """The policy's title in ``lang`` (its name when untitled)."""
        return self.title.get(lang) or self.title.get("en") or self.name


def bundled_policy(name) -> Path | None:
    """The bundled policy ``name`` (``fiscal_sim/data/policies/<name>.yaml``), unless a file
    of that name exists; None when there is none.

    Examples
    --------
    >>> bundled_policy("dibao-raise").name, bundled_policy("no-such-policy")
    ('dibao-raise.yaml', None)
    """
    from importlib import resources

    if Path(str(name)).exists() or "/" in str(name) or str(name).endswith((".yaml", ".yml")):
        return None
    candidate = Path(str(resources.files("fiscal_sim") / "data" / "policies")) / f"{name}.yaml"
    return candidate if candidate.is_file() else None


def load_policy(path) -> Policy:
    """Read and validate a policy YAML file.

    Raises
    ------
    PolicyError
        Naming the file, the key (and line) and what was expected: a file that is missing,
        not a regular file, too large or not safe, bounded YAML (the scenario loader's rules,
        :mod:`fiscal_sim.yamlio`), unknown or duplicate keys,
        a line that does not exist, a negative quantity, a share outside 0–1, months outside
        the year, both or neither of ``amount`` and ``quantity`` × ``unit_cost_yuan``.
    """
    path = bundled_policy(path) or Path(path)
    data, lines = read_yaml(path, error=PolicyError, item=policy_item)
    data.setdefault("name", path.stem)
    return _parse_policy(data, str(path), lines)


def _parse_policy(data: dict, file: str | None, lines: dict) -> Policy:
    def fail(key, message):
        raise PolicyError(file, key, message, lines.get(key))

    single = "measures" not in data
    if single:
        policy_part = {key: data[key] for key in data if key in _POLICY_KEYS}
        measure_parts = [{key: data[key] for key in data if key not in _POLICY_KEYS}]
        prefixes = [""]
    else:
        unknown = sorted(set(data) - _POLICY_KEYS)
        if unknown:
            fail(
                unknown[0],
                Bilingual(
                    "与 `measures` 并列的未知键（措施的键写在列表里）",
                    "unknown key beside `measures` (measure keys go inside the list)",
                ),
            )
        policy_part = data
        measure_parts = data["measures"]
        if not isinstance(measure_parts, list) or not measure_parts:
            fail(
                "measures", Bilingual("应为非空的措施列表", "expected a non-empty list of measures")
            )
        if len(measure_parts) > MAX_MEASURES:
            fail(
                "measures",
                Bilingual(
                    "措施应不多于 {most} 项，实为 {got} 项",
                    "expected at most {most} measures, got {got}",
                    most=MAX_MEASURES,
                    got=len(measure_parts),
                ),
            )
        prefixes = [f"measures[{index}]." for index in range(len(measure_parts))]
    title = policy_part.get("title") or {}
    if isinstance(title, str):
        title = {"zh": title, "en": title}
    if not isinstance(title, dict) or set(title) - {"zh", "en"}:
        fail(
            "title",
            Bilingual("应为文字或 {zh: ..., en: ...}", "expected a text or {zh: ..., en: ...}"),
        )
    measures = tuple(
        _parse_measure(part, prefix, fail)
        for part, prefix in zip(measure_parts, prefixes, strict=True)
    )
    policy = Policy(
        name=str(policy_part.get("name") or "policy"),
        measures=measures,
        title=dict(title),
        description=str(policy_part.get("description") or ""),
        source=str(policy_part.get("source") or ""),
        file=file,
        single=single,
    )
    return policy


def _number(part, key, prefix, fail, *, low=None, high=None, integer=False, default=None):
    if key not in part or part[key] is None:
        return default
    value = part[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        fail(f"{prefix}{key}", expected_number(value))
    if not math.isfinite(value):
        fail(f"{prefix}{key}", expected_finite(value))
    if integer and value != int(value):
        fail(f"{prefix}{key}", expected_whole(value))
    if (low is not None and value < low) or (high is not None and value > high):
        fail(f"{prefix}{key}", _out_of_bounds(low, high, value))
    return int(value) if integer else float(value)


def _out_of_bounds(low: float, high: float | None, value) -> Bilingual:
    if high is None:
        return Bilingual(
            "应不小于 {low:g}，实为 {got!r}",
            "expected a value from {low:g}, got {got!r}",
            low=low,
            got=value,
        )
    return Bilingual(
        "应在 {low:g} 到 {high:g} 之间，实为 {got!r}",
        "expected a value from {low:g} to {high:g}, got {got!r}",
        low=low,
        high=high,
        got=value,
    )


def _parse_measure(part, prefix: str, fail) -> Measure:
    if not isinstance(part, dict):
        fail(
            prefix.rstrip("."),
            Bilingual(
                "应为映射（line、amount、start_year 等）",
                "expected a mapping (line, amount, start_year, ...)",
            ),
        )
    unknown = sorted(set(part) - _MEASURE_KEYS)
    if unknown:
        fail(
            f"{prefix}{unknown[0]}",
            Bilingual(
                "未知键；应为 {keys} 之一",
                "unknown key; expected one of {keys}",
                keys=", ".join(sorted(_MEASURE_KEYS)),
            ),
        )
    line = part.get("line")
    if line not in LINES:
        fail(
            f"{prefix}line",
            Bilingual(
                "应为 {lines} 之一，实为 {got!r}",
                "expected one of {lines}, got {got!r}",
                lines=", ".join(LINES),
                got=line,
            ),
        )
    has_amount = "amount" in part
    has_quantity = "quantity" in part or "unit_cost_yuan" in part
    if has_amount == has_quantity:
        fail(
            f"{prefix}amount",
            Bilingual(
                "应给出 `amount`（每年万元）或 `quantity` 与 `unit_cost_yuan`，二者选一",
                "give either `amount` (万元 a year) or `quantity` and `unit_cost_yuan`",
            ),
        )
    if has_quantity and not {"quantity", "unit_cost_yuan"} <= set(part):
        missing = "quantity" if "quantity" not in part else "unit_cost_yuan"
        fail(
            f"{prefix}{missing}",
            Bilingual(
                "按数量 × 单位成本的写法时必填", "required with the quantity × unit cost form"
            ),
        )
    yearly = _yearly_amounts(part, prefix, fail)
    if "start_year" not in part and not yearly:
        fail(
            f"{prefix}start_year",
            Bilingual("必填：措施开始执行的第一年", "required: the first year the measure runs"),
        )
    start_year = _number(part, "start_year", prefix, fail, low=1900, high=2200, integer=True)
    end_year = _number(part, "end_year", prefix, fail, low=1900, high=2200, integer=True)
    if yearly:
        start_year, end_year = _yearly_span(yearly, start_year, end_year, prefix, fail)
        if part.get("growth"):
            fail(
                f"{prefix}growth",
                Bilingual(
                    "只适用于单一金额；按年映射已给出每年的金额",
                    "applies to a single amount; the mapping gives every year's",
                ),
            )
    if end_year is not None and end_year < start_year:
        fail(
            f"{prefix}end_year",
            Bilingual(
                "{end} 早于 start_year {start}",
                "{end} comes before start_year {start}",
                end=end_year,
                start=start_year,
            ),
        )
    months = _number(part, "months", prefix, fail, low=1, high=12, integer=True, default=12)
    start_month = _number(
        part, "start_month", prefix, fail, low=1, high=12, integer=True, default=1
    )
    if start_month + months - 1 > 12:
        fail(
            f"{prefix}months",
            Bilingual(
                "从 {start} 月起 {months} 个月超过了 12 月",
                "{months} months from month {start} run past December",
                months=months,
                start=start_month,
            ),
        )
    return Measure(
        line=line,
        start_year=start_year,
        end_year=end_year,
        amount=None if yearly else _number(part, "amount", prefix, fail, **_AMOUNT),
        quantity=_number(part, "quantity", prefix, fail, low=0, high=_MAX["persons"]),
        unit_cost_yuan=_number(part, "unit_cost_yuan", prefix, fail, **_UNIT_COST),
        months=months,
        start_month=start_month,
        county_share=_number(part, "county_share", prefix, fail, low=0, high=1, default=1.0),
        growth=_number(part, "growth", prefix, fail, low=-1, high=1, default=0.0),
        name=str(part.get("name") or ""),
        source=str(part.get("source") or ""),
        yearly_amounts=yearly,
    )


def _yearly_amounts(part, prefix: str, fail) -> tuple[tuple[int, float], ...]:
    """``amount: {2021: 1000, ...}`` as sorted ``(year, 万元)`` pairs; () for one amount."""
    amounts = part.get("amount")
    if not isinstance(amounts, dict):
        return ()
    if not amounts:
        fail(
            f"{prefix}amount",
            Bilingual(
                "应为每年万元数，或至少含一年的映射 {year: 万元}",
                "expected 万元 a year, or a mapping {year: 万元} with a year",
            ),
        )
    pairs = []
    for year, amount in amounts.items():
        key = f"{prefix}amount.{year}"
        if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2200:
            fail(
                key,
                Bilingual(
                    "键应为公历年份，实为 {got!r}",
                    "expected a calendar year as the key, got {got!r}",
                    got=year,
                ),
            )
        number = _number({str(year): amount}, str(year), f"{prefix}amount.", fail, **_AMOUNT)
        if number is None:
            fail(
                key, Bilingual("应为数字（万元），实为空", "expected a number (万元), got nothing")
            )
        pairs.append((year, number))
    return tuple(sorted(pairs))


def _yearly_span(yearly, start_year, end_year, prefix: str, fail) -> tuple[int, int]:
    """The years a measure with an amount per year runs: given, else the mapping's first and
    last; every one of them needs an amount and no amount may fall outside them."""
    given = [year for year, _ in yearly]
    start = given[0] if start_year is None else start_year
    end = given[-1] if end_year is None else end_year
    for year in given:
        if not start <= year <= end:
            fail(
                f"{prefix}amount.{year}",
                Bilingual(
                    "{year} 不在措施的执行年份 {start}–{end} 之内",
                    "{year} is outside the measure's years {start}–{end}",
                    year=year,
                    start=start,
                    end=end,
                ),
            )
    missing = sorted(set(range(start, end + 1)) - set(given))
    if missing:
        fail(
            f"{prefix}amount",
            Bilingual(
                "缺少 {year} 年的金额（措施执行 {start}–{end} 年）",
                "no amount for {year} (the measure runs {start}–{end})",
                year=missing[0],
                start=start,
                end=end,
            ),
        )
    return start, end
