"""Strict, safe YAML reading: duplicate keys are errors, and every key path knows its line."""

from __future__ import annotations

import copy
import functools
from pathlib import Path

import yaml

from fiscal_sim.errors import ScenarioError

# libyaml's parser when PyYAML was built with it; the constructor stays the safe one.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _walk(node, prefix: str, file: str, lines: dict[str, int], seen: set[int]) -> None:
    """Record the line of every key path under ``node``; refuse a key given twice in a mapping.

    Walks the composed nodes with their key path, so a duplicate is named by its full path
    (``revenue.tax``, not ``tax``). List items are paths too (``history.tax.0``).
    """
    if id(node) in seen:  # an alias: already walked where the anchor was
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        first: dict[tuple, int] = {}
        for key_node, value_node in node.value:
            path = f"{prefix}.{key_node.value}" if prefix else str(key_node.value)
            line = key_node.start_mark.line + 1
            scalar = isinstance(key_node, yaml.ScalarNode)
            identity = (key_node.tag, key_node.value) if scalar else id(key_node)
            if identity in first:
                raise ScenarioError(
                    file, path, f"duplicate key (first at line {first[identity]})", line=line
                )
            first[identity] = line
            lines[path] = line
            _walk(value_node, path, file, lines, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, f"{prefix}.{index}" if prefix else str(index), file, lines, seen)


def read_yaml(path: Path) -> tuple[dict, dict[str, int]]:
    """Read a YAML mapping safely; return it and a map from dotted key path to line number.

    Parsed files are cached by path, size and modification time; callers get their own copy.

    Raises
    ------
    ScenarioError
        When the file is missing, not valid YAML, has duplicate keys or is not a mapping.
    """
    try:
        stat = Path(path).stat()
    except FileNotFoundError:
        raise ScenarioError(path, None, "file not found") from None
    except OSError as exc:
        raise ScenarioError(path, None, f"cannot read the file ({exc})") from None
    data, lines = _read_cached(str(path), stat.st_size, stat.st_mtime_ns)
    return copy.deepcopy(data), dict(lines)


@functools.lru_cache(maxsize=64)
def _read_cached(path: str, _size: int, _mtime_ns: int) -> tuple[dict, dict[str, int]]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(path, None, f"cannot read the file ({exc})") from None
    loader = _BaseLoader(text)
    try:
        node = loader.get_single_node()
        lines: dict[str, int] = {}
        if node is not None:
            _walk(node, "", path, lines, set())
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise ScenarioError(path, None, f"YAML syntax error: {exc.problem}", line=line) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(path, None, f"YAML error: {exc}") from None
    except (ValueError, TypeError) as exc:  # e.g. an impossible date such as 2026-13-01
        raise ScenarioError(path, None, f"cannot read a value ({exc})") from None
    finally:
        loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ScenarioError(path, None, "expected a mapping of keys at the top of the file")
    return data, lines
