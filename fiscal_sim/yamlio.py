"""Strict, safe YAML reading: duplicate keys are errors, and every key path knows its line.

One loader for every YAML a user gives (scenario files, policy files, ``--set`` values): the
safe constructor only (a ``!!python/object`` tag is an error, never code), and bounded — the
file through :func:`fiscal_sim.inputs.read_input` (a regular file of at most a few MiB),
nesting at most :data:`MAX_DEPTH` deep, aliases expanding to at most :data:`MAX_NODES`
values (a "billion laughs" document is refused before anything expands it), and no control
character in a text (a terminal escape in a title would reach every table and message).
"""

from __future__ import annotations

import copy
import functools
import pickle
import re
from pathlib import Path
from typing import TYPE_CHECKING

from fiscal_sim.errors import Bilingual, ScenarioError
from fiscal_sim.inputs import read_input_text

if TYPE_CHECKING:
    import yaml

# PyYAML is imported by the functions that parse (about 17 ms): a bundled file read from the
# cache of parses (below) needs none of it.


def _base_loader():
    """libyaml's parser when PyYAML was built with it; the constructor stays the safe one."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


MAX_DEPTH = 32
"""Deepest nesting of mappings and lists (a scenario needs about 6)."""

MAX_NODES = 100_000
"""Most values a document may hold once its aliases are expanded (the default county: ~1,400)."""


def _check_bounds(text: str, file, error: type[ScenarioError]) -> None:
    """Refuse a document nested deeper than MAX_DEPTH or expanding beyond MAX_NODES.

    Reads the parser's events once, without building anything: each open collection counts
    the values under it, an anchor remembers its count and an alias adds it again.
    """
    import yaml

    loader = _base_loader()(text)
    sizes: dict[str, int] = {}
    open_: list[list] = []  # [anchor, values so far] per open collection
    total = 0
    try:
        while (event := loader.get_event()) is not None:
            line = event.start_mark.line + 1 if event.start_mark else None
            if isinstance(event, yaml.CollectionStartEvent):
                if len(open_) >= MAX_DEPTH:
                    message = Bilingual(
                        "嵌套超过 {most} 层", "nested deeper than {most} levels", most=MAX_DEPTH
                    )
                    raise error(file, None, message, line=line)
                open_.append([event.anchor, 1])
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                anchor, count = open_.pop()
            elif isinstance(event, yaml.AliasEvent):
                if event.anchor not in sizes:  # a value that contains itself
                    message = Bilingual(
                        "别名 *{anchor} 出现在它自己的值中",
                        "alias *{anchor} inside its own value",
                        anchor=event.anchor,
                    )
                    raise error(file, None, message, line=line)
                anchor, count = None, sizes[event.anchor]
            elif isinstance(event, yaml.ScalarEvent):
                anchor, count = event.anchor, 1
            else:
                continue
            if anchor is not None:
                sizes[anchor] = count
            if open_:
                open_[-1][1] += count
            else:
                total += count
            if total + sum(size for _, size in open_) > MAX_NODES:
                message = Bilingual(
                    "文档的值超过 {most:,} 个（每个别名按它重复的值计）",
                    "the document holds more than {most:,} values "
                    "(each alias counted as the value it repeats)",
                    most=MAX_NODES,
                )
                raise error(file, None, message, line=line)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, file, error) from None
    except yaml.YAMLError as exc:
        raise error(file, None, _yaml_error(exc)) from None
    finally:
        loader.dispose()


def _yaml_error(exc: yaml.YAMLError) -> Bilingual:
    return Bilingual("YAML 错误：{exc}", "YAML error: {exc}", exc=exc)


def _syntax_error(exc: yaml.MarkedYAMLError, file, error) -> ScenarioError:
    import yaml

    line = exc.problem_mark.line + 1 if exc.problem_mark else None
    if isinstance(exc, yaml.constructor.ConstructorError):  # e.g. !!python/object
        message = Bilingual(
            "只读取普通的 YAML 值：{problem}",
            "only plain YAML values are read: {problem}",
            problem=exc.problem,
        )
        return error(file, None, message, line=line)
    message = Bilingual(
        "YAML 语法错误：{problem}", "YAML syntax error: {problem}", problem=exc.problem
    )
    return error(file, None, message, line=line)


def _walk(node, prefix: str, file, lines: dict[str, int], seen: set[int], error, item) -> None:
    """Record the line of every key path under ``node``; refuse a key given twice in a mapping.

    Walks the composed nodes with their key path, so a duplicate is named by its full path
    (``revenue.tax``, not ``tax``). List items are paths too: ``item`` spells them
    (``history.tax.0`` for scenarios, ``measures[0]`` for policies).
    """
    import yaml

    if id(node) in seen:  # an alias: already walked where the anchor was
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        first: dict[tuple, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            scalar = isinstance(key_node, yaml.ScalarNode)
            if scalar:
                _check_text(key_node.value, file, prefix, line, error)
            path = f"{prefix}.{key_node.value}" if prefix else str(key_node.value)
            identity = (key_node.tag, key_node.value) if scalar else id(key_node)
            if identity in first:
                message = Bilingual(
                    "重复的键（首次出现在第 {first} 行）",
                    "duplicate key (first at line {first})",
                    first=first[identity],
                )
                raise error(file, path, message, line=line)
            first[identity] = line
            lines[path] = line
            _walk(value_node, path, file, lines, seen, error, item)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            _walk(child, item(prefix, index), file, lines, seen, error, item)
    elif isinstance(node, yaml.ScalarNode):
        _check_text(node.value, file, prefix, node.start_mark.line + 1, error)


# Control characters (a terminal escape such as "\x1b[2J", NUL, CR) and the bidirectional
# overrides that disguise text: a message, a table or a file name would carry them.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _check_text(text: str, file, key: str, line: int, error) -> None:
    found = _CONTROL.search(text)
    if found:
        message = Bilingual(
            "文本中不允许控制字符 U+{code:04X}",
            "the control character U+{code:04X} is not allowed in a text",
            code=ord(found.group()),
        )
        raise error(file, key or None, message, line=line)


def _scenario_item(prefix: str, index: int) -> str:
    return f"{prefix}.{index}" if prefix else str(index)


def policy_item(prefix: str, index: int) -> str:
    """How a policy file names a list item: ``measures[0]``."""
    return f"{prefix}[{index}]"


def load_text(
    text: str,
    file,
    error: type[ScenarioError] = ScenarioError,
    item=_scenario_item,
) -> tuple[object, dict[str, int]]:
    """Parse YAML ``text`` strictly; return the data and a map from key path to line number.

    ``file`` names the source in errors (a path, or ``--set``).

    Raises
    ------
    ScenarioError
        (or ``error``) on a syntax error, a tag outside safe YAML, a duplicate key, nesting
        deeper than :data:`MAX_DEPTH` or more than :data:`MAX_NODES` values.
    """
    import yaml

    _check_bounds(text, file, error)
    loader = _base_loader()(text)
    try:
        node = loader.get_single_node()
        lines: dict[str, int] = {}
        if node is not None:
            _walk(node, "", file, lines, set(), error, item)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, file, error) from None
    except yaml.YAMLError as exc:
        raise error(file, None, _yaml_error(exc)) from None
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. a date such as 2026-13-01
        message = Bilingual("无法读取一个值（{exc}）", "cannot read a value ({exc})", exc=exc)
        raise error(file, None, message) from None
    finally:
        loader.dispose()
    return data, lines


def read_yaml(
    path: Path, error: type[ScenarioError] = ScenarioError, item=_scenario_item
) -> tuple[dict, dict[str, int]]:
    """Read a YAML mapping safely; return it and a map from dotted key path to line number.

    Parsed files are cached by path, size and modification time; callers get their own copy.

    Raises
    ------
    ScenarioError
        (or ``error``) when the file is missing, not a regular file, too large, not valid or
        bounded YAML (see :func:`load_text`), has duplicate keys or is not a mapping.
    """
    try:
        stat = Path(path).stat()
    except (OSError, ValueError):
        stat = None  # read_input says why
    key = (stat.st_size, stat.st_mtime_ns) if stat is not None else None
    data, lines = _read_cached(str(path), key, error, item)
    return copy.deepcopy(data), dict(lines)


@functools.lru_cache(maxsize=64)
def _read_cached(path: str, _key, error, item) -> tuple[dict, dict[str, int]]:
    stored = _stored_parse(path, _key, item)
    cached = _load_parse(stored)
    if cached is not None:
        return cached
    data, lines = load_text(read_input_text(path, error), path, error, item)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        message = Bilingual(
            "文件顶层应为键的映射", "expected a mapping of keys at the top of the file"
        )
        raise error(path, None, message)
    _keep_parse(stored, data, lines)
    return data, lines


# -- the parsed bundled files, kept between runs (start-up) ----------------------------------

_PACKAGE = Path(__file__).resolve().parent


def _stored_parse(path: str, key, item):
    """Where the parse of a bundled file is kept (:mod:`fiscal_sim.cache`, topic ``yaml``):
    named by the file, its size and time, the item naming, this module and the versions; None
    for a file outside the package (a user's files are parsed every time) or no cache."""
    if key is None:
        return None
    try:
        Path(path).resolve().relative_to(_PACKAGE)
    except (OSError, ValueError):
        return None
    import sys

    from fiscal_sim import cache
    from fiscal_sim._version import __version__

    folder = cache.cache_dir("yaml")
    if folder is None:
        return None
    this = Path(__file__).stat()
    parts = (path, *map(str, key), f"{item.__module__}.{item.__qualname__}")
    parts += (str(this.st_size), str(this.st_mtime_ns), __version__, _parser_stamp(), sys.version)
    return folder / f"{cache.entry_name(*parts)}.pickle"


def _parser_stamp() -> str:
    """The installed PyYAML, by its package file and that file's size and time, found without
    importing it: a parse kept under another PyYAML is not read."""
    from importlib.util import find_spec

    spec = find_spec("yaml")
    if spec is None or spec.origin is None:
        return "no yaml"
    stat = Path(spec.origin).stat()
    return f"{spec.origin}:{stat.st_size}:{stat.st_mtime_ns}"


class _PlainData(pickle.Unpickler):
    """Unpickles plain YAML data only: what pickle builds by itself (dicts, lists, strings,
    numbers, sets, bytes) and dates; any other class or function is refused."""

    def find_class(self, module, name):
        if module == "datetime" and name in ("date", "datetime", "time", "timedelta", "timezone"):
            import datetime

            return getattr(datetime, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not plain YAML data")


def _load_parse(stored) -> tuple[dict, dict[str, int]] | None:
    import io

    from fiscal_sim import cache

    content = cache.read(stored)
    if not content:
        return None
    try:
        data, lines = _PlainData(io.BytesIO(content)).load()
    except Exception:  # a damaged or foreign entry: parse the file again
        return None
    if not isinstance(data, dict) or not isinstance(lines, dict):
        return None
    return data, lines


def _keep_parse(stored, data: dict, lines: dict[str, int]) -> None:
    from fiscal_sim import cache

    if stored is not None:
        cache.keep(stored, pickle.dumps((data, lines), protocol=pickle.HIGHEST_PROTOCOL))
