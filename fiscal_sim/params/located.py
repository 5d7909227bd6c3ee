"""Where a key of a section was written, and the number check of its validation.

The ``shocks:`` section (:mod:`fiscal_sim.params.shocks`) and its uncertain parameters
(:mod:`fiscal_sim.params.uncertain`) are validated after the files of an ``extends`` chain are
merged; a :class:`Locator` remembers which file and line set each key, so that an error still
names them.
"""

from __future__ import annotations

import math

from fiscal_sim.errors import Bilingual, ScenarioError
from fiscal_sim.params.wording import expected_finite


class Locator:
    """Where each ``shocks.<key>`` was written: file and line, for error messages.

    Built by the loader as it reads the files of a chain (the last file that sets a key wins,
    as in merging); a key not found is reported at the nearest section above it.
    """

    def __init__(self, file=None, lines: dict | None = None):
        self.origins: dict[str, tuple[str | None, int | None]] = {}
        self.default_file = None if file is None else str(file)
        if lines:
            self.add(file, lines)

    def add(self, file, lines: dict) -> None:
        """Record the ``shocks`` key paths of one file (``lines``: dotted path -> line)."""
        self.default_file = str(file)
        for path, line in lines.items():
            if path == "shocks" or path.startswith("shocks."):
                self.origins[path] = (str(file), line)

    def error(self, key: str, message: Bilingual | str) -> ScenarioError:
        path = f"shocks.{key}" if key else "shocks"
        probe = path
        while probe:  # the key itself, else the nearest section above it
            if probe in self.origins:
                file, line = self.origins[probe]
                return ScenarioError(file, path, message, line=line)
            probe = probe.rpartition(".")[0]
        return ScenarioError(self.default_file, path, message)


def number(where: Locator, key: str, value, low=None, high=None, low_open=False) -> float:
    """``value`` as a finite float in ``[low, high]`` (``(low, high]`` when ``low_open``)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise where.error(key, expected_finite(value))
    result = float(value)
    if low is not None and (result <= low if low_open else result < low):
        relation = Bilingual("大于", "above") if low_open else Bilingual("不小于", "at least")
        raise where.error(key, _bounded(relation, low, value))
    if high is not None and result > high:
        raise where.error(key, _bounded(Bilingual("不大于", "at most"), high, value))
    return result


def _bounded(relation: Bilingual, bound: float, value) -> Bilingual:
    return Bilingual(
        "应为{relation} {bound:g} 的数，实为 {got!r}",
        "expected a number {relation} {bound:g}, got {got!r}",
        relation=relation,
        bound=bound,
        got=value,
    )
