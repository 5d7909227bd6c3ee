"""Reading the package's own data files (the schema, the measures catalogue), checked.

A :class:`DataReader` walks a file read by :func:`fiscal_sim.yamlio.read_yaml` (duplicate keys
refused, a line for every key path) and checks it node by node; every error is a
:class:`~fiscal_sim.errors.ScenarioError` naming the file, the key path and its line.
"""

from __future__ import annotations

from pathlib import Path

from fiscal_sim.errors import Bilingual, ScenarioError
from fiscal_sim.yamlio import read_yaml


def as_tuple(value):
    """YAML lists become tuples (nested ones too): the data files' values are immutable."""
    return tuple(as_tuple(v) for v in value) if isinstance(value, list) else value


class DataReader:
    """The checks shared by the readers of the data files."""

    def __init__(self, path=None, bundled: str = ""):
        """Read ``path``, or the file ``bundled`` of :mod:`fiscal_sim.params`."""
        if path is None:
            path = Path(__file__).parent / bundled
        self.file = path
        self.data, self.lines = read_yaml(Path(path))

    def error(self, key: str, message: Bilingual | str) -> ScenarioError:
        return ScenarioError(self.file, key, message, line=self.lines.get(key))

    def mapping(self, node, key: str, required=None, optional=frozenset()) -> dict:
        """``node`` as a mapping; with ``required``, of those keys and ``optional`` ones only."""
        if not isinstance(node, dict):
            raise self.error(key, Bilingual("应为映射", "expected a mapping"))
        if required is None:
            return node
        for name in sorted(set(node) - required - optional):
            expected = sorted(required | optional)
            raise self.error(
                f"{key}.{name}".lstrip("."),
                Bilingual(
                    "未知键；应为 {keys} 之一", "unknown key; expected {keys}", keys=expected
                ),
            )
        for name in sorted(required - set(node)):
            raise self.error(key, Bilingual("缺少 {name!r}", "missing {name!r}", name=name))
        return node

    def text(self, node, key: str) -> str:
        if not isinstance(node, str) or not node.strip():
            raise self.error(key, Bilingual("应为非空文字", "expected a non-empty text"))
        return node

    def word(self, node, key: str, words, what: Bilingual) -> str:
        """One of ``words``: ``what`` says which (a unit, a kind, a budget line)."""
        if node not in words:
            raise self.error(
                key,
                Bilingual(
                    "未知的{what} {node!r}；应为 {words} 之一",
                    "unknown {what} {node!r}; expected one of {words}",
                    what=what,
                    node=node,
                    words=list(words),
                ),
            )
        return node
