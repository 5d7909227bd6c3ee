"""Validating one parameter's value against its spec: numbers, yearly series, profiles, words.

Every error is a :class:`~fiscal_sim.errors.ScenarioError` naming the file, the key path and
the line (``where`` = (file, path, line)) and saying what was expected.
"""

from __future__ import annotations

import math

import numpy as np

from fiscal_sim.errors import ScenarioError
from fiscal_sim.params.schema import ParamSpec


def _number(value, spec: ParamSpec, where: tuple) -> float:
    file, path, line = where
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ScenarioError(file, path, f"expected a number, got {value!r}", line=line)
    number = float(value)
    if not math.isfinite(number):
        raise ScenarioError(file, path, f"expected a finite number, got {value!r}", line=line)
    if spec.integer and number != int(number):
        raise ScenarioError(file, path, f"expected a whole number, got {value!r}", line=line)
    if spec.minimum is not None and number < spec.minimum:
        raise ScenarioError(
            file, path, f"expected at least {spec.minimum:g} {spec.unit}, got {value!r}", line=line
        )
    if spec.upper is not None and number > spec.upper:
        raise ScenarioError(
            file, path, f"expected at most {spec.upper:g} {spec.unit}, got {value!r}", line=line
        )
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
                f"year outside the horizon {years[0]}-{years[-1]}",
                line=line,
            )
        steps[year] = _number(item, spec, (file, f"{path}.{year}", line))
    if years[0] not in steps:
        raise ScenarioError(
            file,
            path,
            f"expected a value for the first projection year "
            f"{years[0]} (values hold until the next year given)",
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
        raise ScenarioError(file, path, "expected a list of 12 monthly shares", line=line)
    spec = ParamSpec(path, "fraction", "scalar", "", "", maximum=1.0)
    shares = np.array([_number(v, spec, where) for v in value])
    if abs(shares.sum() - 1.0) > 1e-6:
        raise ScenarioError(
            file, path, f"monthly shares must sum to 1, they sum to {shares.sum():.6g}", line=line
        )
    return shares


def validate_value(spec: ParamSpec, entry: dict, years: tuple[int, ...]):
    where = (entry.get("file"), spec.path, entry.get("line"))
    unit = entry.get("unit")
    if unit is not None and unit != spec.unit:
        raise ScenarioError(
            where[0], spec.path, f"wrong unit {unit!r}: expected {spec.unit!r}", line=where[2]
        )
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
            raise ScenarioError(
                where[0],
                spec.path,
                f"expected one of {list(spec.choices)}, got {value!r}",
                line=where[2],
            )
        return value
    if spec.kind == "order":
        words = isinstance(value, list) and all(isinstance(item, str) for item in value)
        if not words or sorted(value) != sorted(spec.choices):
            raise ScenarioError(
                where[0],
                spec.path,
                f"expected an order of all of {list(spec.choices)}",
                line=where[2],
            )
        return tuple(value)
    raise AssertionError(spec.kind)


def _within_horizon(year: float, years: tuple[int, ...], where: tuple, zero_allowed: bool):
    """A deadline, mandate or payment year must fall in the horizon, or nothing checks it."""
    first, last = years[0] - 1, years[-1]
    if not first <= year <= last:
        also = " (or 0)" if zero_allowed else ""
        raise ScenarioError(
            where[0],
            where[1],
            f"expected a year from {first} to {last}{also}, got {year:g}",
            line=where[2],
        )


def freeze(value):
    if isinstance(value, np.ndarray):
        value.setflags(write=False)
    return value
