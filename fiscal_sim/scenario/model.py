"""The validated scenario: :class:`Param`, :class:`Scenario`, and building one from merged
leaves (values checked against the schema, thresholds in order, the content hash)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from fiscal_sim.errors import Bilingual, ScenarioError
from fiscal_sim.params.located import Locator
from fiscal_sim.params.schema import (
    BY_PATH,
    MAX_HORIZON_YEARS,
    ORDERED,
    PROGRAMME_FIELDS,
    ParamSpec,
    spec_for,
)
from fiscal_sim.params.stress_specs import check_against_horizon
from fiscal_sim.params.values import freeze, validate_value
from fiscal_sim.params.wording import MISSING_SOURCE, MISSING_VALUE, unit_words

DEFAULT_NAME = "default"


@dataclass(frozen=True)
class Param:
    """One resolved parameter: value with its unit, bilingual label and source."""

    path: str
    value: Any
    unit: str
    label_zh: str
    label_en: str
    source: str
    kind: str = "scalar"

    def label(self, lang: str = "en") -> str:
        return self.label_zh if lang == "zh" else self.label_en


@dataclass(frozen=True)
class Scenario:
    """A validated scenario: every parameter resolved over the horizon.

    Build it with :func:`load_scenario`; it never changes afterwards.
    """

    name: str
    title: dict
    description: dict
    files: tuple[str, ...]
    base_year: int
    end_year: int
    hash: str
    _params: dict = field(repr=False)
    extra: dict = field(repr=False, default_factory=dict)
    changes: tuple = ()
    """What was changed in the scenario its title names: ``{path, value, unit, origin}`` for
    each value set by a file that extends it without a title of its own (origin: the file
    name) and each ``--set`` (origin ``--set``), in the order they were applied."""

    @property
    def years(self) -> tuple[int, ...]:
        """The projection years, base year excluded."""
        return tuple(range(self.base_year + 1, self.end_year + 1))

    def param(self, path: str) -> Param:
        """The parameter at ``path`` (e.g. ``"revenue.tax"``)."""
        try:
            return self._params[path]
        except KeyError:
            raise KeyError(f"no parameter {path!r} in scenario {self.name!r}") from None

    def value(self, path: str):
        """Shortcut for ``param(path).value``."""
        return self.param(path).value

    def params(self):
        """Every parameter, in schema order (table rows after their table)."""
        return list(self._params.values())

    def programmes(self) -> dict[str, dict]:
        """Livelihood programme rows: ``{key: {label_zh, label_en, recipients, ...}}``."""
        rows: dict[str, dict] = {}
        for path, param in self._params.items():
            if path.startswith("livelihood.programmes."):
                row, field_name = path.split(".")[2:4]
                entry = rows.setdefault(row, {})
                entry[field_name] = param.value
                entry["label_zh"], entry["label_en"] = (
                    param.label_zh.split(" · ")[0],
                    (param.label_en.split(" · ")[0]),
                )
        return rows


# -- locating files ---------------------------------------------------------------------------


def _bilingual(value, default: str) -> dict:
    if isinstance(value, dict):
        return {
            "zh": str(value.get("zh", value.get("en", default))),
            "en": str(value.get("en", value.get("zh", default))),
        }
    text = default if value is None else str(value)
    return {"zh": text, "en": text}


def _build(leaves: dict, meta: dict, files: list, extras: dict, where: Locator) -> Scenario:
    horizon = {}
    for key in ("horizon.base_year", "horizon.end_year"):
        if key not in leaves:
            raise ScenarioError(files[-1], key, MISSING_VALUE)
        horizon[key] = int(validate_value(BY_PATH[key], leaves[key], ()))
    base_year, end_year = horizon["horizon.base_year"], horizon["horizon.end_year"]
    if end_year <= base_year:
        raise ScenarioError(
            leaves["horizon.end_year"]["file"],
            "horizon.end_year",
            Bilingual(
                "应为基年 {base} 之后的年份，实为 {end}",
                "expected a year after the base year {base}, got {end}",
                base=base_year,
                end=end_year,
            ),
        )
    if end_year - base_year > MAX_HORIZON_YEARS:
        raise ScenarioError(
            leaves["horizon.end_year"]["file"],
            "horizon.end_year",
            Bilingual(
                "应不超过基年 {base} 之后 {most} 年，实为 {end}",
                "expected at most {most} years after the base year {base}, got {end}",
                most=MAX_HORIZON_YEARS,
                base=base_year,
                end=end_year,
            ),
            line=leaves["horizon.end_year"].get("line"),
        )
    years = tuple(range(base_year + 1, end_year + 1))
    check_against_horizon(extras.get("shocks"), years, where)

    params: dict[str, Param] = {}
    for spec in BY_PATH.values():
        if spec.kind == "table":
            params.update(_table_params(spec, leaves, years))
            continue
        entry = leaves.get(spec.path)
        if entry is None:
            message = Bilingual(
                "{missing}（{unit}）",
                "{missing} ({unit})",
                missing=MISSING_VALUE,
                unit=unit_words(spec.unit),
            )
            raise ScenarioError(files[-1], spec.path, message)
        if not entry.get("source"):
            raise ScenarioError(
                entry.get("file"), spec.path, MISSING_SOURCE, line=entry.get("line")
            )
        params[spec.path] = Param(
            spec.path,
            freeze(validate_value(spec, entry, years)),
            spec.unit,
            spec.label_zh,
            spec.label_en,
            str(entry["source"]),
            spec.kind,
        )
    _check_order(params, leaves, files)
    canonical = {
        path: (p.value.tolist() if isinstance(p.value, np.ndarray) else p.value)
        for path, p in params.items()
    }
    canonical["__extra__"] = extras
    digest = hashlib.sha256(
        json.dumps(canonical, sort_keys=True, default=str, ensure_ascii=False).encode()
    ).hexdigest()[:12]
    name = str(meta.get("name", DEFAULT_NAME))
    return Scenario(
        name=name,
        title=_bilingual(meta.get("title"), name),
        description=_bilingual(meta.get("description"), ""),
        files=tuple(files),
        base_year=base_year,
        end_year=end_year,
        hash=digest,
        _params=params,
        extra=extras,
    )


def _rank(file, files) -> int:
    return files.index(file) if file in files else len(files)


def _check_order(params: dict[str, Param], leaves: dict, files: list) -> None:
    """Thresholds that come in order (schema ``ORDERED``): the lower may not exceed the upper."""
    for lower, upper in ORDERED:
        low, high = params[lower].value, params[upper].value
        if low > high:  # named where the later of the two was set (an overlay, --set)
            later = max((lower, upper), key=lambda key: _rank(leaves[key].get("file"), files))
            entry = leaves[later]
            raise ScenarioError(
                entry.get("file"),
                later,
                Bilingual(
                    "{lower}（{low:g}）不应大于 {upper}（{high:g}）",
                    "{lower} ({low:g}) must not exceed {upper} ({high:g})",
                    lower=lower,
                    low=low,
                    upper=upper,
                    high=high,
                ),
                line=entry.get("line"),
            )


def _table_params(spec: ParamSpec, leaves: dict, years) -> dict[str, Param]:
    rows = sorted({p.split(".")[2] for p in leaves if p.startswith(spec.path + ".")})
    params = {}
    for row in rows:
        label_entry = leaves.get(f"{spec.path}.{row}.label")
        label = _bilingual(label_entry["value"] if label_entry else None, row)
        for field_name in PROGRAMME_FIELDS:
            path = f"{spec.path}.{row}.{field_name}"
            entry = leaves.get(path)
            if entry is None:
                file = label_entry["file"] if label_entry else None
                raise ScenarioError(file, path, MISSING_VALUE)
            field_spec = spec_for(path)
            if not entry.get("source"):
                message = Bilingual("缺少来源", "missing source")
                raise ScenarioError(entry.get("file"), path, message, line=entry["line"])
            params[path] = Param(
                path,
                validate_value(field_spec, entry, years),
                field_spec.unit,
                f"{label['zh']} · {field_spec.label_zh}",
                f"{label['en']} · {field_spec.label_en}",
                str(entry["source"]),
            )
    return params
