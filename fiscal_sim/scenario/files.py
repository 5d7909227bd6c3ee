"""Scenario files: where bundled scenarios are, reading a file and its ``extends`` chain into
merged leaves (YAML lines or workbook cells kept for errors), and the ``meta:`` checks."""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path

from fiscal_sim.errors import Bilingual, ScenarioError, did_you_mean
from fiscal_sim.params.measures import merge_measures
from fiscal_sim.params.schema import (
    BY_PATH,
    MAX_TABLE_ROWS,
    PROGRAMME_FIELDS,
    TABLE_PATHS,
    spec_for,
)
from fiscal_sim.params.shocks import Locator, merge_shocks
from fiscal_sim.params.wording import TEXT_EXPECTED, unknown_key
from fiscal_sim.scenario.model import DEFAULT_NAME, _bilingual, _build
from fiscal_sim.yamlio import read_yaml

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


def _data_dir() -> Path:
    return Path(__file__).parent.parent / "data"


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
        message = Bilingual(
            "没有名为 {ref!r} 的内置情景或文件（内置情景：{known}）",
            "no bundled scenario or file named {ref!r} (bundled: {known})",
            ref=ref,
            known=known,
        )
    elif candidate.exists():
        message = Bilingual(
            "{ref!r} 不是文件（{path}）",
            "{ref!r} is not a file ({path})",
            ref=ref,
            path=candidate.resolve(),
        )
    else:
        message = Bilingual(
            "没有这个文件：{ref!r}（{path}）",
            "file not found: {ref!r} ({path})",
            ref=ref,
            path=candidate.resolve(),
        )
    raise ScenarioError(relative_to, "extends", message, line=line)


# -- flattening a file into leaves -----------------------------------------------------------


def _unknown(file, path: str, line: int | None) -> ScenarioError:
    return ScenarioError(file, path, unknown_key(did_you_mean(path, BY_PATH)), line=line)


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
                    Bilingual(
                        "未知键；参数只有 {keys}",
                        "unknown key; a parameter has only {keys}",
                        keys=sorted(LEAF_KEYS),
                    ),
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
                    message = Bilingual("应为各民生项目的映射", "expected a mapping of programmes")
                    raise ScenarioError(file, path, message, line=lines.get(path))
                if len(child) > MAX_TABLE_ROWS:
                    message = Bilingual(
                        "民生项目应不多于 {most} 个，实为 {got} 个",
                        "expected at most {most} programmes, got {got}",
                        most=MAX_TABLE_ROWS,
                        got=len(child),
                    )
                    raise ScenarioError(file, path, message, line=lines.get(path))
                for row, row_node in child.items():
                    row_path = f"{path}.{row}"
                    if not isinstance(row_node, dict):
                        message = Bilingual("应为各个字段的映射", "expected a mapping of fields")
                        raise ScenarioError(file, row_path, message, line=lines.get(row_path))
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
                            message = Bilingual(
                                "未知字段{hint}；民生项目的字段有：{fields}",
                                "unknown field{hint}; a programme has: {fields}",
                                hint=did_you_mean(field_name, fields),
                                fields=", ".join(fields),
                            )
                            raise ScenarioError(
                                file, field_path, message, line=lines.get(field_path)
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
        message = Bilingual(
            "extends 链中的文件多于 {most} 个（{first} -> …）",
            "more than {most} files in the extends chain ({first} -> …)",
            most=MAX_CHAIN,
            first=seen[0].name,
        )
        raise ScenarioError(seen[-1], "extends", message)
    if path in seen:
        chain = " -> ".join(p.name for p in (*seen, path))
        message = Bilingual("extends 形成循环：{chain}", "cycle in extends: {chain}", chain=chain)
        raise ScenarioError(path, "extends", message)
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
                Bilingual("应为情景名称或相对路径", "expected a scenario name or a relative path"),
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
        message = Bilingual(
            "应为含 {keys} 的映射", "expected a mapping with {keys}", keys=sorted(META_KEYS)
        )
        raise ScenarioError(file, "meta", message, line=lines.get("meta"))
    for key, value in meta.items():
        path = f"meta.{key}"

        def fail(expected: Bilingual, path=path, value=value) -> ScenarioError:
            message = Bilingual(
                "{expected}，实为 {got!r}", "{expected}, got {got!r}", expected=expected, got=value
            )
            return ScenarioError(file, path, message, line=lines.get(path, lines.get("meta")))

        if key not in META_KEYS:
            raise ScenarioError(
                file,
                path,
                Bilingual(
                    "未知键{hint}；meta 的键有 {keys}",
                    "unknown key{hint}; meta has {keys}",
                    hint=did_you_mean(key, sorted(META_KEYS)),
                    keys=sorted(META_KEYS),
                ),
                line=lines.get(path, lines.get("meta")),
            )
        if key == "name" and not (isinstance(value, str) and NAME_PATTERN.fullmatch(value)):
            raise fail(
                Bilingual(
                    "应为由字母、数字、'.'、'_' 或 '-' 组成的短名称"
                    "（至多 {most} 个字符；输出文件以它命名）",
                    "expected a short name of letters, digits, '.', '_' or '-' "
                    "(at most {most} characters; it names output files)",
                    most=MAX_NAME,
                )
            )
        if key in ("title", "description") and not _is_text(value):
            raise fail(TEXT_EXPECTED)
        if key == "sources" and not (
            isinstance(value, list) and all(isinstance(item, str) for item in value)
        ):
            raise fail(Bilingual("应为文字列表", "expected a list of texts"))
        if key == "date" and not _is_iso_date(value):
            raise fail(
                Bilingual("应为 ISO 日期（YYYY-MM-DD）", "expected an ISO date (YYYY-MM-DD)")
            )
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
