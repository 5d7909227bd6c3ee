"""Validating one parameter's value against its spec: numbers, yearly series, profiles, words.

Every error is a :class:`~fiscal_sim.errors.ScenarioError` naming the file, the key path and
the line (``where`` = (file, path, line)) and saying what was expected.
"""

from __future__ import annotations

import math

import numpy as np

from fiscal_sim.errors import Bilingual, ScenarioError, year_outside_horizon
from fiscal_sim.params.schema import ParamSpec
from fiscal_sim.params.wording import (
    at_least,
    at_most,
    expected_finite,
    expected_number,
    expected_whole,
    one_of,
    wrong_unit,
)


def _number(value, spec: ParamSpec, where: tuple) -> float:
    file, path, line = where
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ScenarioError(file, path, expected_number(value), line=line)
    number = float(value)
    if not math.isfinite(number):
        raise ScenarioError(file, path, expected_finite(value), line=line)
    if spec.integer and number != int(number):
        raise ScenarioError(file, path, expected_whole(value), line=line)
    if spec.minimum is not None and number < spec.minimum:
        raise ScenarioError(file, path, at_least(spec.minimum, spec.unit, value), line=line)
    if spec.upper is not None and number > spec.upper:
        raise ScenarioError(file, path, at_most(spec.upper, spec.unit, value), line=line)
    return number


def _yearly(value, spec: ParamSpec, where: tuple, years: tuple[int, ...]) -> np.ndarray:
    file, path, line = where
    if not isinstance(value, dict):
        return np.full(len(years), _number(value, spec, where))
    steps = {}
    for year, item in value.items():
        if isinstance(year, bool) or not isinstance(year, int) or year not in years:
            raise ScenarioError(
                file,
                f"{path}.{year}",
                year_outside_horizon(year, years),
                line=line,
            )
        steps[year] = _number(item, spec, (file, f"{path}.{year}", line))
    if years[0] not in steps:
        raise ScenarioError(
            file,
            path,
            Bilingual(
                "应给出预测期第一年 {first} 的值（每个值沿用到下一个给出的年份）",
                "expected a value for the first projection year {first} "
                "(values hold until the next year given)",
                first=years[0],
            ),
            line=line,
        )
    series, current = [], None
    for year in years:
        current = steps.get(year, current)
        series.append(current)
    return np.array(series, dtype=float)


def _profile(value, where: tuple) -> np.ndarray:
    file, path, line = where
    if not isinstance(value, list) or len(value) != 12:
        raise ScenarioError(
            file,
            path,
            Bilingual("应为 12 个月度份额的列表", "expected a list of 12 monthly shares"),
            line=line,
        )
    spec = ParamSpec(path, "fraction", "scalar", "", "", maximum=1.0)
    shares = np.array([_number(v, spec, where) for v in value])
    if abs(shares.sum() - 1.0) > 1e-6:
        total = Bilingual(
            "月度份额之和应为 1，实为 {total:.6g}",
            "monthly shares must sum to 1, they sum to {total:.6g}",
            total=shares.sum(),
        )
        raise ScenarioError(file, path, total, line=line)
    return shares


def validate_value(spec: ParamSpec, entry: dict, years: tuple[int, ...]):
    where = (entry.get("file"), spec.path, entry.get("line"))
    unit = entry.get("unit")
    if unit is not None and unit != spec.unit:
        raise ScenarioError(where[0], spec.path, wrong_unit(unit, spec.unit), line=where[2])
    value = entry["value"]
    if spec.kind == "scalar":
        number = _number(value, spec, where)
        if spec.unit == "year" and years and not (spec.zero_allowed and number == 0):
            _within_horizon(number, years, where, spec.zero_allowed)
        return int(number) if spec.integer else number
    if spec.kind == "yearly":
        return _yearly(value, spec, where, years)
    if spec.kind == "profile":
        return _profile(value, where)
    if spec.kind == "choice":
        if value not in spec.choices:
            raise ScenarioError(where[0], spec.path, one_of(spec.choices, value), line=where[2])
        return value
    if spec.kind == "order":
        words = isinstance(value, list) and all(isinstance(item, str) for item in value)
        if not words or sorted(value) != sorted(spec.choices):
            raise ScenarioError(
                where[0],
                spec.path,
                Bilingual(
                    "应为 {choices} 全部各项的一种排序",
                    "expected an order of all of {choices}",
                    choices=list(spec.choices),
                ),
                line=where[2],
            )
        return tuple(value)
    raise AssertionError(spec.kind)


def _within_horizon(year: float, years: tuple[int, ...], where: tuple, zero_allowed: bool):
    """A deadline, mandate or payment year must fall in the horizon, or nothing checks it."""
    first, last = years[0] - 1, years[-1]
    if not first <= year <= last:
        also = Bilingual("（或 0）", " (or 0)") if zero_allowed else ""
        raise ScenarioError(
            where[0],
            where[1],
            Bilingual(
                "应为 {first} 到 {last} 之间的年份{also}，实为 {year:g}",
                "expected a year from {first} to {last}{also}, got {year:g}",
                first=first,
                last=last,
                also=also,
                year=year,
            ),
            line=where[2],
        )


def freeze(value):
    if isinstance(value, np.ndarray):
        value.setflags(write=False)
    return value
