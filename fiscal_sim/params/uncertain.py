"""Uncertain parameters: the ``shocks.parameters`` section of a scenario (model.md §9).

Besides the revenue shocks, a scenario may say that some of its own numbers are uncertain, so
that the Monte Carlo draws them too, one value per draw::

    shocks:
      parameters:
        people.attrition: {sd: 0.005, source: "assumption: 2015-2018 spread"}
        pay.growth: {low: 0.02, high: 0.06}
        people.staff: {low: 4800, high: 5100, distribution: triangular}

- ``sd``: normal, centred on the scenario's own value; the draw is added to every year of a
  yearly parameter, so its path keeps its shape and moves as a whole.
- ``low`` and ``high``: uniform between them; with ``distribution: triangular``, triangular
  with its peak at ``mode`` (default: the scenario's own value). The drawn number is the
  parameter's value in every year.

A drawn value is kept within the parameter's allowed range (the schema's minimum and
maximum) and rounded where the parameter is a whole number (persons). Only plain numbers may
be uncertain (``scalar`` and ``yearly`` parameters, not years, words, monthly profiles or
table rows); the plan's own thresholds (``rules.*``), the horizon and the policy settings
(``policy.*``) are not uncertain.

Examples
--------
>>> from fiscal_sim.params.located import Locator
>>> resolve_parameters({"pay.growth": {"low": 0.02, "high": 0.06}}, Locator())["pay.growth"]
{'distribution': 'uniform', 'low': 0.02, 'high': 0.06, 'mode': None, 'sd': None, \
'source': 'scenario'}
>>> resolve_parameters({"pay.growht": {"sd": 0.01}}, Locator("x.yaml"))
Traceback (most recent call last):
...
fiscal_sim.errors.ScenarioError: x.yaml: shocks.parameters.pay.growht: not a parameter of \
the scenario (did you mean 'pay.growth'?)
"""

from __future__ import annotations

import math

from fiscal_sim.errors import Bilingual, did_you_mean
from fiscal_sim.params.located import number
from fiscal_sim.params.schema import SPECS, spec_for
from fiscal_sim.params.wording import one_of, unknown_key_expected

ENTRY_KEYS = {"sd", "low", "high", "mode", "distribution", "source"}
DISTRIBUTIONS = ("normal", "uniform", "triangular")
# Sections whose numbers are the plan's or the model's settings, not uncertain quantities.
FIXED_SECTIONS = ("rules.", "horizon.", "policy.")
FIXED_UNITS = ("year", "choice", "shares")
MAX_PARAMETERS = 50


def uncertain_paths() -> list[str]:
    """Every path that may be declared uncertain."""
    return [spec.path for spec in SPECS if _allowed(spec)]


def _allowed(spec) -> bool:
    return (
        spec.kind in ("scalar", "yearly")
        and spec.unit not in FIXED_UNITS
        and not spec.path.startswith(FIXED_SECTIONS)
    )


def _check_path(path, where) -> None:
    key = f"parameters.{path}"
    spec = spec_for(str(path))
    if spec is None:
        raise where.error(
            key,
            Bilingual(
                "不是情景的参数{hint}",
                "not a parameter of the scenario{hint}",
                hint=did_you_mean(path, uncertain_paths()),
            ),
        )
    if not _allowed(spec):
        raise where.error(
            key,
            Bilingual(
                "不能设为不确定：只有 rules.*、horizon.* 和 policy.* 以外的普通数值"
                "（scalar 或 yearly）可以抽样",
                "cannot be uncertain: only plain numbers (scalar or yearly) outside rules.*, "
                "horizon.* and policy.* may be drawn",
            ),
        )


def resolve_parameters(raw, where) -> dict:
    """Validate ``shocks.parameters``: ``{path: {distribution, sd, low, high, mode, source}}``.

    ``where`` is the section's :class:`~fiscal_sim.params.located.Locator`; an error names the
    file, the key (``shocks.parameters.<path>.<key>``) and the line.
    """
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise where.error(
            "parameters",
            Bilingual(
                "应为 {parameter path: {sd: ...} 或 {low, high}}",
                "expected {parameter path: {sd: ...} or {low, high}}",
            ),
        )
    if len(raw) > MAX_PARAMETERS:
        raise where.error(
            "parameters",
            Bilingual(
                "参数应不多于 {most} 个",
                "expected at most {most} parameters",
                most=MAX_PARAMETERS,
            ),
        )
    resolved = {}
    for path, entry in raw.items():
        _check_path(path, where)
        key = f"parameters.{path}"
        if isinstance(entry, int | float) and not isinstance(entry, bool):
            entry = {"sd": entry}
        if not isinstance(entry, dict):
            raise where.error(
                key,
                Bilingual(
                    "应为 {sd: ...} 或 {low: ..., high: ...}",
                    "expected {sd: ...} or {low: ..., high: ...}",
                ),
            )
        for name in entry:
            if name not in ENTRY_KEYS:
                raise where.error(f"{key}.{name}", unknown_key_expected(sorted(ENTRY_KEYS)))
        resolved[str(path)] = _entry(entry, key, where)
    return resolved


def _entry(entry: dict, key: str, where) -> dict:
    bounded = "low" in entry or "high" in entry
    default = "uniform" if bounded else "normal"
    distribution = entry.get("distribution", default)
    if distribution not in DISTRIBUTIONS:
        raise where.error(f"{key}.distribution", one_of(DISTRIBUTIONS, distribution))
    source = str(entry.get("source") or "scenario")
    if distribution == "normal":
        for name in ("low", "high", "mode"):
            if name in entry:
                raise where.error(
                    f"{key}.{name}",
                    Bilingual(
                        "仅用于均匀分布和三角分布抽样", "only for uniform and triangular draws"
                    ),
                )
        if "sd" not in entry:
            raise where.error(
                key,
                Bilingual(
                    "应给出 sd：正态抽样的标准差",
                    "expected sd: the standard deviation of a normal draw",
                ),
            )
        sd = number(where, f"{key}.sd", entry["sd"], 0.0)
        return dict(distribution="normal", low=None, high=None, mode=None, sd=sd, source=source)
    if "sd" in entry:
        raise where.error(
            f"{key}.sd",
            Bilingual(
                "仅用于正态抽样；请给出 low 和 high", "only for normal draws; give low and high"
            ),
        )
    for name in ("low", "high"):
        if name not in entry:
            raise where.error(
                key,
                Bilingual(
                    "应给出 {name}：{distribution} 抽样需要 low 和 high",
                    "expected {name}: a {distribution} draw needs low and high",
                    name=name,
                    distribution=distribution,
                ),
            )
    low = number(where, f"{key}.low", entry["low"])
    high = number(where, f"{key}.high", entry["high"])
    if high < low:
        raise where.error(
            f"{key}.high",
            Bilingual(
                "应为不小于 low（{low:g}）的数，实为 {high:g}",
                "expected a number at least low ({low:g}), got {high:g}",
                low=low,
                high=high,
            ),
        )
    mode = None
    if "mode" in entry:
        if distribution != "triangular":
            raise where.error(
                f"{key}.mode", Bilingual("仅用于三角分布抽样", "only for triangular draws")
            )
        mode = number(where, f"{key}.mode", entry["mode"], low, high)
    return dict(distribution=distribution, low=low, high=high, mode=mode, sd=None, source=source)


def mode_of(entry: dict, value, path: str, where) -> float:
    """A triangular draw's peak: its ``mode``, else the scenario's own (flat) value."""
    if entry["mode"] is not None:
        return entry["mode"]
    values = [float(v) for v in (value if hasattr(value, "__len__") else [value])]
    key = f"parameters.{path}.mode"
    if len(set(values)) != 1:
        raise where.error(
            key,
            Bilingual(
                "情景的值逐年不同：请给出 mode",
                "the scenario's value differs by year: give the mode",
            ),
        )
    if not entry["low"] <= values[0] <= entry["high"]:
        raise where.error(
            key,
            Bilingual(
                "情景的值 {value:g} 不在 low..high（{low:g}..{high:g}）之内：请给出 mode",
                "the scenario's value {value:g} is outside low..high ({low:g}..{high:g}): "
                "give the mode",
                value=values[0],
                low=entry["low"],
                high=entry["high"],
            ),
        )
    return values[0]


def spread(entry: dict) -> float:
    """The standard deviation of a draw (for tables): sd, or that of the uniform/triangular."""
    if entry["distribution"] == "normal":
        return entry["sd"]
    low, high = entry["low"], entry["high"]
    if entry["distribution"] == "uniform":
        return (high - low) / math.sqrt(12.0)
    mode = entry["mode"] if entry["mode"] is not None else (low + high) / 2
    return math.sqrt((low**2 + high**2 + mode**2 - low * high - low * mode - high * mode) / 18)
