"""Scenario files: YAML in, a validated, immutable :class:`Scenario` out. Validates, never computes.

A scenario file is a nested mapping whose leaves are parameters::

    revenue:
      tax: {value: 18000, unit: wan_yuan, source: "default-county.md, 65 % of own revenue"}

An overlay names its base with ``extends:`` (a bundled name or a path relative to the file)
and lists only what it changes; a changed value may be written short (``tax: 17000``) and
then takes the overlay file as its source. ``--set key.path=value`` strings work the same way.
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
import json
import os
import re
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from fiscal_sim.errors import ScenarioError
from fiscal_sim.params.measures import merge_measures
from fiscal_sim.params.schema import (
    BY_PATH,
    MAX_HORIZON_YEARS,
    MAX_TABLE_ROWS,
    ORDERED,
    PROGRAMME_FIELDS,
    TABLE_PATHS,
    ParamSpec,
    spec_for,
)
from fiscal_sim.params.shocks import Locator, check_against_horizon, merge_shocks
from fiscal_sim.params.values import freeze, validate_value
from fiscal_sim.yamlio import load_text, read_yaml

DEFAULT_NAME = "default"
META_KEYS = {"name", "title", "description", "date", "sources"}
# Sections with their own schema in fiscal_sim.params (measures: the six-guarantee levers;
# shocks: Monte Carlo and stress tests), validated here as each file is merged.
EXTRA_SECTIONS = ("measures", "shocks")
LEAF_KEYS = {"value", "unit", "source", "note"}
MAX_NAME = 64
MAX_CHAIN = 16  # files in one extends chain (the bundled ones use 3)
# A scenario's name goes into output file names: a word character first (no "-", "=" or "."
# to start a file name or a spreadsheet formula), then word characters, ".", "_" or "-".
NAME_PATTERN = re.compile(rf"\w[\w.-]{{0,{MAX_NAME - 1}}}")


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


def _data_dir() -> Path:
    return Path(str(resources.files("fiscal_sim") / "data"))


def _bundled_path(name: str) -> Path | None:
    if name == DEFAULT_NAME:
        return _data_dir() / "default-county.yaml"
    candidate = _data_dir() / "scenarios" / f"{name}.yaml"
    return candidate if candidate.is_file() else None


def list_scenarios() -> list[dict]:
    """The bundled scenarios with title and description.

    Examples
    --------
    >>> [s["name"] for s in list_scenarios()][0]
    'default'
    """
    paths = [_bundled_path(DEFAULT_NAME), *sorted((_data_dir() / "scenarios").glob("*.yaml"))]
    listing = []
    for path in paths:
        data, _ = read_yaml(path)
        meta = data.get("meta") or {}
        name = DEFAULT_NAME if path.name == "default-county.yaml" else path.stem
        listing.append(
            {
                "name": name,
                "title": _bilingual(meta.get("title"), name),
                "description": _bilingual(meta.get("description"), ""),
                "path": str(path),
            }
        )
    return listing


def _resolve_reference(ref: str, relative_to: Path, line: int | str | None = None) -> Path:
    """The file ``extends: ref`` names in ``relative_to``; an error names that file and line."""
    bundled = _bundled_path(ref)
    if bundled is not None:
        return bundled
    candidate = Path(ref)
    if not candidate.is_absolute():
        candidate = relative_to.parent / candidate
    if candidate.is_file():
        return candidate
    if candidate.suffix not in (".yaml", ".yml", ".xlsx"):
        known = ", ".join(s["name"] for s in list_scenarios())
        message = f"no bundled scenario or file named {ref!r} (bundled: {known})"
    elif candidate.exists():
        message = f"{ref!r} is not a file ({candidate.resolve()})"
    else:
        message = f"file not found: {ref!r} ({candidate.resolve()})"
    raise ScenarioError(relative_to, "extends", message, line=line)


# -- flattening a file into leaves -----------------------------------------------------------


def _unknown(file, path: str, line: int | None) -> ScenarioError:
    close = difflib.get_close_matches(path, list(BY_PATH), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return ScenarioError(file, path, f"unknown key{hint}", line=line)


def _flatten(data: dict, file, lines: dict[str, int]) -> dict[str, dict]:
    """Turn a nested scenario mapping into ``{path: leaf}``; leaves keep file and line."""
    leaves: dict[str, dict] = {}

    def leaf(path: str, node) -> None:
        line = lines.get(path)
        if isinstance(node, dict) and "value" in node:
            extra = set(node) - LEAF_KEYS
            if extra:
                raise ScenarioError(
                    file,
                    f"{path}.{sorted(extra)[0]}",
                    f"unknown key; a parameter has only {sorted(LEAF_KEYS)}",
                    line=lines.get(f"{path}.{sorted(extra)[0]}"),
                )
            entry = dict(node)
        else:
            entry = {"value": node}
        entry.update(file=str(file), line=line)
        leaves[path] = entry

    def walk(prefix: str, node) -> None:
        for key, child in node.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if path in TABLE_PATHS:
                if not isinstance(child, dict):
                    raise ScenarioError(
                        file, path, "expected a mapping of programmes", line=lines.get(path)
                    )
                if len(child) > MAX_TABLE_ROWS:
                    message = f"expected at most {MAX_TABLE_ROWS} programmes, got {len(child)}"
                    raise ScenarioError(file, path, message, line=lines.get(path))
                for row, row_node in child.items():
                    row_path = f"{path}.{row}"
                    if not isinstance(row_node, dict):
                        raise ScenarioError(
                            file, row_path, "expected a mapping of fields", line=lines.get(row_path)
                        )
                    for field_name, value in row_node.items():
                        field_path = f"{row_path}.{field_name}"
                        if field_name == "label":
                            leaves[field_path] = {
                                "value": value,
                                "file": str(file),
                                "line": lines.get(field_path),
                            }
                        elif field_name in PROGRAMME_FIELDS:
                            leaf(field_path, value)
                        else:
                            fields = [*PROGRAMME_FIELDS, "label"]
                            close = difflib.get_close_matches(str(field_name), fields, n=1)
                            hint = f" (did you mean {close[0]!r}?)" if close else ""
                            raise ScenarioError(
                                file,
                                field_path,
                                f"unknown field{hint}; a programme has: {', '.join(fields)}",
                                line=lines.get(field_path),
                            )
                continue
            if spec_for(path) is not None:
                leaf(path, child)
            elif isinstance(child, dict) and any(s.startswith(path + ".") for s in BY_PATH):
                walk(path, child)
            else:
                raise _unknown(file, path, lines.get(path))

    walk("", data)
    return leaves


# -- reading a chain of files ------------------------------------------------------------------


def _read_chain(path: Path, seen: tuple[Path, ...] = ()) -> tuple[dict, dict, list, dict, Locator]:
    """Read ``path`` and its ``extends`` ancestors.

    Returns the merged leaves, meta, files (base first), extra sections and the
    :class:`~fiscal_sim.params.shocks.Locator` of the ``shocks:`` keys.
    """
    path = Path(path).resolve()
    if len(seen) >= MAX_CHAIN:
        message = f"more than {MAX_CHAIN} files in the extends chain ({seen[0].name} -> …)"
        raise ScenarioError(seen[-1], "extends", message)
    if path in seen:
        chain = " -> ".join(p.name for p in (*seen, path))
        raise ScenarioError(path, "extends", f"cycle in extends: {chain}")
    data, lines = _read_file(path, seen)
    unknown_top = (
        set(data) - {"extends", "meta", *EXTRA_SECTIONS} - {p.split(".")[0] for p in BY_PATH}
    )
    for key in sorted(unknown_top, key=str):
        raise _unknown(path, str(key), lines.get(str(key)))
    leaves: dict[str, dict] = {}
    meta: dict = {}
    files: list[str] = []
    extras: dict = {}
    where = Locator()
    parent = data.get("extends")
    if parent is not None:
        if not isinstance(parent, str):
            raise ScenarioError(
                path,
                "extends",
                "expected a scenario name or a relative path",
                line=lines.get("extends"),
            )
        parent_path = _resolve_reference(parent, path, lines.get("extends"))
        leaves, meta, files, extras, where = _read_chain(parent_path, (*seen, path))
    own_meta = _check_meta(data.get("meta"), path, lines)
    meta = {**meta, **own_meta}
    if "title" in own_meta or "title_file" not in meta:
        meta["title_file"] = str(path)  # the values of later files change the titled scenario
    if "name" not in own_meta:
        meta["name"] = DEFAULT_NAME if path.name == "default-county.yaml" else safe_name(path.stem)
    if "measures" in data:
        extras["measures"] = merge_measures(extras.get("measures"), data["measures"], path, lines)
    if "shocks" in data:
        extras["shocks"] = merge_shocks(extras.get("shocks"), data["shocks"], path, lines, where)
    body = {k: v for k, v in data.items() if k not in {"extends", "meta", *EXTRA_SECTIONS}}
    for key, entry in _flatten(body, path, lines).items():
        merged = dict(leaves.get(key, {}))
        merged.update(entry)
        if "source" not in entry:
            merged["source"] = f"override in {path.name}" if key in leaves else None
        leaves[key] = merged
    return leaves, meta, [*files, str(path)], extras, where


def _read_file(path: Path, seen: tuple[Path, ...]) -> tuple[dict, dict]:
    """A scenario file's mapping and where each key path is in it: a YAML file's lines, or a
    workbook's cells (:mod:`fiscal_sim.workbook`, which reads against the base it extends)."""
    from fiscal_sim.workbook.guard import is_workbook

    if not is_workbook(path):
        return read_yaml(path)
    from fiscal_sim.workbook.reader import read_workbook

    def base_of(reference: str, cell: str):
        parent = _resolve_reference(reference, path, cell)
        return _build(*_read_chain(parent, (*seen, path)))

    return read_workbook(path, base_of)


def read_overlay(path: str | Path, relative_to: str | Path | None = None) -> dict:
    """The mapping of one scenario file as written, checked: for a workbook, the YAML
    overlay it stands for (``fiscal-sim convert``). With ``relative_to`` (the file it will be
    written as), ``extends`` names the same base from there."""
    path = Path(path).resolve()
    data, lines = _read_file(path, ())
    if relative_to is not None and isinstance(data.get("extends"), str):
        base = _resolve_reference(data["extends"], path, lines.get("extends"))
        data["extends"] = reference_to(base, relative_to)
    return data


def reference_to(path: str | Path, from_file: str | Path) -> str:
    """How a file at ``from_file`` names the scenario file ``path`` in ``extends``: its
    bundled name, or its path relative to ``from_file``'s directory.

    Examples
    --------
    >>> reference_to(_bundled_path("covid-2020"), "anywhere/county.xlsx")
    'covid-2020'
    """
    resolved = Path(path).resolve()
    for entry in list_scenarios():
        if Path(entry["path"]).resolve() == resolved:
            return entry["name"]
    return os.path.relpath(resolved, Path(from_file).resolve().parent)


def _check_meta(meta, file, lines: dict) -> dict:
    """Validate a file's ``meta:``: name, title, description, date and sources."""
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise ScenarioError(
            file, "meta", f"expected a mapping with {sorted(META_KEYS)}", line=lines.get("meta")
        )
    for key, value in meta.items():
        path = f"meta.{key}"

        def fail(expected: str, path=path, value=value) -> ScenarioError:
            return ScenarioError(
                file, path, f"{expected}, got {value!r}", line=lines.get(path, lines.get("meta"))
            )

        if key not in META_KEYS:
            raise ScenarioError(
                file,
                path,
                f"unknown key{_hint(key, META_KEYS)}; meta has {sorted(META_KEYS)}",
                line=lines.get(path, lines.get("meta")),
            )
        if key == "name" and not (isinstance(value, str) and NAME_PATTERN.fullmatch(value)):
            raise fail(
                f"expected a short name of letters, digits, '.', '_' or '-' "
                f"(at most {MAX_NAME} characters; it names output files)"
            )
        if key in ("title", "description") and not _is_text(value):
            raise fail("expected a text or {zh: text, en: text}")
        if key == "sources" and not (
            isinstance(value, list) and all(isinstance(item, str) for item in value)
        ):
            raise fail("expected a list of texts")
        if key == "date" and not _is_iso_date(value):
            raise fail("expected an ISO date (YYYY-MM-DD)")
    return dict(meta)


def safe_name(text: str) -> str:
    """A scenario name made from a file name: unsafe characters become ``-``, at most 64.

    Examples
    --------
    >>> safe_name("my county (v2)"), safe_name("=cmd|x")
    ('my-county-v2', 'cmd-x')
    """
    name = re.sub(r"[^\w.-]+", "-", text).strip("-.")[:MAX_NAME].rstrip("-.")
    return name or "scenario"


def _hint(word, choices) -> str:
    close = difflib.get_close_matches(str(word), sorted(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _is_text(value) -> bool:
    if isinstance(value, str):
        return True
    return (
        isinstance(value, dict)
        and bool(value)
        and set(value) <= {"zh", "en"}
        and all(isinstance(text, str) for text in value.values())
    )


def _is_iso_date(value) -> bool:
    # An unquoted 2026-11-26 reaches us as a date already; a datetime is not a date here.
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return True
    if not isinstance(value, str):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == len("YYYY-MM-DD")


def _apply_override(leaves: dict, extras: dict, text: str) -> None:
    """Apply one ``key.path=value`` string: a parameter, or ``measures.<id>.<quantity>``."""
    if "=" not in text:
        raise ScenarioError("--set", text, "expected key.path=value")
    path, _, raw = text.partition("=")
    path = path.strip()
    is_measure = path.startswith("measures.")
    if not is_measure and spec_for(path) is None:
        raise _unknown("--set", path, None)
    try:
        value, _ = load_text(raw, "--set")
    except ScenarioError as error:
        raise ScenarioError("--set", path, f"cannot read the value: {error.message}") from None
    source = f"--set {path}={raw}"
    if is_measure:
        parts = path.split(".")
        if len(parts) != 3 or not all(parts):
            raise ScenarioError("--set", path, "expected measures.<measure id>.<quantity>=value")
        _, measure_id, quantity = parts
        fragment = {measure_id: {quantity: {"value": value, "source": source}}}
        extras["measures"] = merge_measures(extras.get("measures"), fragment, "--set")
        return
    entry = dict(leaves.get(path, {}))
    entry.update(value=value, file="--set", line=None, source=source)
    leaves[path] = entry


# -- validating values ---------------------------------------------------------------------------


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
            raise ScenarioError(files[-1], key, "missing required value")
        horizon[key] = int(validate_value(BY_PATH[key], leaves[key], ()))
    base_year, end_year = horizon["horizon.base_year"], horizon["horizon.end_year"]
    if end_year <= base_year:
        raise ScenarioError(
            leaves["horizon.end_year"]["file"],
            "horizon.end_year",
            f"expected a year after the base year {base_year}, got {end_year}",
        )
    if end_year - base_year > MAX_HORIZON_YEARS:
        raise ScenarioError(
            leaves["horizon.end_year"]["file"],
            "horizon.end_year",
            f"expected at most {MAX_HORIZON_YEARS} years after the base year {base_year}, "
            f"got {end_year}",
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
            raise ScenarioError(files[-1], spec.path, f"missing required value ({spec.unit})")
        if not entry.get("source"):
            raise ScenarioError(
                entry.get("file"),
                spec.path,
                "missing source (write the source or the word 'assumption')",
                line=entry.get("line"),
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
                f"{lower} ({low:g}) must not exceed {upper} ({high:g})",
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
                raise ScenarioError(file, path, "missing required value")
            field_spec = spec_for(path)
            if not entry.get("source"):
                raise ScenarioError(entry.get("file"), path, "missing source", line=entry["line"])
            params[path] = Param(
                path,
                validate_value(field_spec, entry, years),
                field_spec.unit,
                f"{label['zh']} · {field_spec.label_zh}",
                f"{label['en']} · {field_spec.label_en}",
                str(entry["source"]),
            )
    return params


def load_scenario(path_or_name: str | Path | None = None, overrides=()) -> Scenario:
    """Load and validate a scenario: a bundled name, a YAML or ``.xlsx`` workbook path, or
    ``None`` for the default.

    Parameters
    ----------
    path_or_name
        ``None`` or ``"default"`` for the bundled default county, a bundled scenario name
        (see :func:`list_scenarios`), or the path of a YAML file or of an Excel workbook
        (``.xlsx``, see :mod:`fiscal_sim.workbook`).
    overrides
        Strings ``"key.path=value"`` applied last, as the CLI's ``--set`` does.

    Raises
    ------
    ScenarioError
        Naming the file, the key path and what was expected.

    Examples
    --------
    >>> s = load_scenario(overrides=["people.staff=4800"])
    >>> s.value("people.staff"), s.param("people.staff").unit, s.years[0]
    (4800, 'persons', 2019)
    >>> load_scenario(overrides=["people.staf=1"])
    Traceback (most recent call last):
    ...
    fiscal_sim.errors.ScenarioError: --set: people.staf: unknown key (did you mean 'people.staff'?)
    """
    ref = DEFAULT_NAME if path_or_name is None else str(path_or_name)
    path = _bundled_path(ref) if _bundled_path(ref) is not None else Path(ref)
    if not path.exists():
        names = [s["name"] for s in list_scenarios()]
        close = difflib.get_close_matches(ref, names, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise ScenarioError(
            ref, None, f"no such file or bundled scenario ({hint}bundled: {', '.join(names)})"
        )
    leaves, meta, files, extras, where = _read_chain(path)
    for text in overrides:
        _apply_override(leaves, extras, text)
    scenario = _build(leaves, meta, files, extras, where)
    return replace(scenario, changes=_changes(scenario, leaves, meta, files, overrides))


def _changes(scenario: Scenario, leaves: dict, meta: dict, files: list, overrides) -> tuple:
    """The values set after the file whose title the scenario carries, then the ``--set``s."""
    later = files[files.index(meta["title_file"]) + 1 :] if meta.get("title_file") in files else []
    found = [
        (path, entry["value"], Path(entry["file"]).name)
        for path, entry in leaves.items()
        if entry.get("file") in later
    ]
    for text in overrides:
        path, _, raw = text.partition("=")
        path = path.strip()
        value = leaves[path]["value"] if path in leaves else load_text(raw, "--set")[0]
        found.append((path, value, "--set"))
    changes = []
    for path, value, origin in found:
        try:
            unit = scenario.param(path).unit
        except KeyError:  # a measure's quantity, or a programme's label
            unit = ""
        plain = value.tolist() if hasattr(value, "tolist") else value
        changes.append({"path": path, "value": plain, "unit": unit, "origin": origin})
    return tuple(changes)
