"""The levers goal-seek pulls, read from ``levers.yaml`` (data, not code).

A :class:`Lever` maps a size per year onto the engine: a **delta** lever adds a share of a
baseline flow through the engine's deltas (many candidate sizes in one engine call, on the
draw axis); a **param** lever changes a yearly parameter (one projection per candidate until
parameters can vary by draw).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from fiscal_sim.errors import Bilingual, FiscalSimError
from fiscal_sim.labels import get_lang

REVENUE_LINES = ("tax", "nontax", "general_transfers", "land_sales")


@dataclass(frozen=True)
class Lever:
    """One row of ``levers.yaml`` (see the file's header for the fields)."""

    name: str
    label: dict
    unit: str
    upper: float
    kind: str
    sign: int
    money: dict
    lines: tuple = ()
    param: str | None = None
    mode: str | None = None
    per: str | None = None

    def title(self, lang: str | None = None) -> str:
        """The lever's name in ``lang`` (the current language by default)."""
        return self.label["zh" if (lang or get_lang()) == "zh" else "en"]

    def money_word(self, lang: str | None = None) -> str:
        return self.money["zh" if (lang or get_lang()) == "zh" else "en"]

    @property
    def vectorised(self) -> bool:
        """Whether candidate sizes can share one engine call (the draw axis)."""
        return self.kind == "delta"

    def base(self, scenario, baseline) -> np.ndarray:
        """万元 per year that one unit of size moves (money = size × base)."""
        if self.kind == "delta":
            flows = _flows(scenario, baseline)
            return sum(flows[line].sum(axis=1) for line in self.lines)
        if self.mode == "scale":
            return np.broadcast_to(_yearly(scenario, self.param), (len(scenario.years),)).copy()
        per = 1.0 if self.per is None else float(scenario.value(self.per))
        return np.full(len(scenario.years), per)

    def projections(self, scenario, baseline, sizes: np.ndarray):
        """Projections with the lever at ``sizes`` (candidates × years): a list of
        projections whose draws, taken in order, are the candidates."""
        from fiscal_sim.results import project

        sizes = np.atleast_2d(np.asarray(sizes, dtype=float))
        if self.kind == "delta":
            flows = _flows(scenario, baseline)
            deltas = {
                line: self.sign * sizes[:, :, None] * flows[line][None] for line in self.lines
            }
            return [project(scenario, deltas=deltas, draws=len(sizes))]
        return [project(self.scenario_at(scenario, row)) for row in sizes]

    def scenario_at(self, scenario, sizes: np.ndarray):
        """The scenario with a param lever at ``sizes`` (one per year)."""
        from fiscal_sim.perturb import with_values

        value = _yearly(scenario, self.param)
        if self.mode == "scale":
            changed = value * (1.0 + self.sign * sizes)
        else:
            changed = value + self.sign * sizes
        return with_values(scenario, {self.param: np.maximum(changed, 0.0)})


def _yearly(scenario, path: str) -> np.ndarray:
    value = np.asarray(scenario.value(path), dtype=float)
    return np.broadcast_to(value, (len(scenario.years),)).astype(float)


def _flows(scenario, baseline) -> dict[str, np.ndarray]:
    """Baseline monthly flows (years, 12) in 万元: revenue lines and planned tier spending
    (as budgeted, foreseen surplus included)."""
    from fiscal_sim.engine.paths import REVENUE_PROFILES

    flows = {
        line: baseline.annual[line][0][:, None] * np.asarray(scenario.value(path))[None, :]
        for line, path in REVENUE_PROFILES.items()
    }
    for tier, need in baseline.extra["monthly_need"].items():
        flows[tier] = np.broadcast_to(need, (1, *need.shape[-2:]))[0]
    return flows


@cache
def _table() -> dict[str, Lever]:
    from fiscal_sim.yamlio import read_yaml

    path = resources.files("fiscal_sim") / "goalseek" / "levers.yaml"
    data, _ = read_yaml(str(path))
    levers = {}
    for name, row in data.items():
        row = dict(row)
        row["lines"] = tuple(row.get("lines", ()))
        levers[name] = Lever(name=name, **row)
    return levers


def levers() -> dict[str, Lever]:
    """Every lever, by name, in the file's order.

    Examples
    --------
    >>> list(levers())[:3]
    ['revenue_effort', 'transfers_requested', 'discretionary_cut']
    >>> levers()["discretionary_cut"].lines
    ('key_projects', 'non_rigid', 'three_public')
    """
    return dict(_table())


def lever(name) -> Lever:
    """The lever called ``name`` (a :class:`Lever` is returned as it is)."""
    if isinstance(name, Lever):
        return name
    table = _table()
    if name not in table:
        raise FiscalSimError(
            Bilingual(
                "未知缓解手段 {name!r}；可用的缓解手段：{levers}",
                "unknown lever {name!r}; levers are: {levers}",
                name=name,
                levers=", ".join(table),
            )
        )
    return table[name]
