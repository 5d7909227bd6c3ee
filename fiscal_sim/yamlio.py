"""Strict, safe YAML reading: duplicate keys are errors, and every key path knows its line."""

from __future__ import annotations

import copy
import functools
from pathlib import Path

import yaml

from fiscal_sim.errors import ScenarioError

# libyaml's parser when PyYAML was built with it; the constructor stays the safe one.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictSafeLoader(_BaseLoader):
    """``yaml.SafeLoader`` that refuses duplicate keys instead of silently keeping the last."""

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise ScenarioError(
                    self.name,
                    str(key),
                    f"duplicate key (first at line {seen[key] + 1})",
                    line=key_node.start_mark.line + 1,
                )
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


def _line_map(node, prefix: str, lines: dict[str, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            path = f"{prefix}.{key_node.value}" if prefix else str(key_node.value)
            lines[path] = key_node.start_mark.line + 1
            _line_map(value_node, path, lines)


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
    loader = _StrictSafeLoader(text)
    loader.name = path
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise ScenarioError(path, None, f"YAML syntax error: {exc.problem}", line=line) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(path, None, f"YAML error: {exc}") from None
    finally:
        loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ScenarioError(path, None, "expected a mapping of keys at the top of the file")
    lines: dict[str, int] = {}
    _line_map(yaml.compose(text, Loader=_BaseLoader), "", lines)
    return data, lines
