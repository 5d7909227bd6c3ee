"""The levers of the workbench, read from ``levers.yaml``, and what a lever does to a what-if.

A lever names a scenario parameter and how a change is written (``scope``); its label, unit,
source and value come from the loaded scenario, so a lever whose parameter the scenario does
not have is skipped. The six-guarantee measures are levers too: each is on or off, with the
quantities the bureau supplies (:func:`measure_levers`).

Nothing here imports Streamlit: the page (:mod:`fiscal_sim.app.page`) draws the inputs, these
functions turn a value typed into one into the what-if's changes.

Examples
--------
>>> import fiscal_sim
>>> scenario = fiscal_sim.load_scenario("plan-followed")
>>> [group.id for group in lever_groups(scenario)][:3]
['revenue', 'transfers', 'people']
>>> staff = next(lever for group in lever_groups(scenario) for lever in group.levers
...              if lever.path == "people.staff")
>>> staff.shown(scenario, 2020), staff.unit(scenario)
(5000.0, 'persons')
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import yaml

SCOPES = ("base", "year", "from_year")
PERCENT_UNITS = {"fraction"}  # shown in percent, stored as fractions
MEASURES_GROUP = "measures"


@dataclass(frozen=True)
class Lever:
    """One parameter the workbench lets a user change."""

    path: str
    scope: str
    step: float

    def param(self, scenario):
        return scenario.param(self.path)

    def unit(self, scenario) -> str:
        return self.param(scenario).unit

    def percent(self, scenario) -> bool:
        return self.unit(scenario) in PERCENT_UNITS

    def yearly(self, scenario) -> bool:
        return np.ndim(self.param(scenario).value) == 1

    def value(self, scenario, year: int) -> float:
        """The parameter's value in ``year`` (a scalar's only value), in its own unit."""
        value = self.param(scenario).value
        if np.ndim(value) == 0:
            return float(value)
        return float(np.asarray(value)[scenario.years.index(year)])

    def shown(self, scenario, year: int) -> float:
        """The value as the input shows it: percent for fractions."""
        value = self.value(scenario, year)
        return round(value * 100, 10) if self.percent(scenario) else value

    def typed(self, scenario, shown: float) -> float:
        """A value typed into the input, back in the parameter's unit."""
        return round(float(shown) / 100, 12) if self.percent(scenario) else float(shown)

    def changed(self, scenario, current, year: int, typed: float):
        """The parameter's whole value after ``typed`` is set in ``year``.

        ``current`` is the value before (the scenario's, or an earlier change); a yearly
        parameter changes in ``year`` only (``scope: year``) or from ``year`` on.
        """
        if np.ndim(current) == 0:
            return float(typed)
        values = np.array(current, dtype=float)
        index = scenario.years.index(year)
        if self.scope == "year":
            values[index] = typed
        else:
            values[index:] = typed
        return tuple(float(value) for value in values)


@dataclass(frozen=True)
class LeverGroup:
    """Levers shown together, under a bilingual heading."""

    id: str
    label: dict
    levers: tuple[Lever, ...]

    def title(self, lang: str) -> str:
        return self.label.get(lang) or self.label["zh"]


@dataclass(frozen=True)
class MeasureLever:
    """A six-guarantee measure: on or off, and its number quantities (name, unit, labels)."""

    id: str
    clause: str
    label_zh: str
    label_en: str
    quantities: tuple

    def label(self, lang: str) -> str:
        return self.label_zh if lang == "zh" else self.label_en


@cache
def _groups_data() -> tuple[LeverGroup, ...]:
    text = (resources.files("fiscal_sim.app") / "levers.yaml").read_text("utf-8")
    groups = []
    for group in yaml.safe_load(text)["groups"]:
        levers = []
        for item in group["levers"]:
            if item["scope"] not in SCOPES:
                raise ValueError(f"levers.yaml: {item['path']}: scope must be one of {SCOPES}")
            levers.append(Lever(item["path"], item["scope"], float(item["step"])))
        groups.append(LeverGroup(group["id"], dict(group["label"]), tuple(levers)))
    return tuple(groups)


def _has(scenario, path: str) -> bool:
    try:
        scenario.param(path)
    except KeyError:
        return False
    return True


def lever_groups(scenario) -> list[LeverGroup]:
    """The groups of ``levers.yaml`` with the levers ``scenario`` has (empty groups dropped)."""
    groups = []
    for group in _groups_data():
        levers = tuple(lever for lever in group.levers if _has(scenario, lever.path))
        if levers:
            groups.append(LeverGroup(group.id, group.label, levers))
    return groups


def measure_levers() -> list[MeasureLever]:
    """Every measure of the catalogue with its number quantities (timing keeps its default)."""
    from fiscal_sim.params.measures import CATALOGUE

    return [
        MeasureLever(
            measure.id,
            measure.clause,
            measure.label_zh,
            measure.label_en,
            tuple(q for q in measure.quantities if q.kind == "number"),
        )
        for measure in CATALOGUE.values()
    ]


def measure_values(scenario, measure_id: str) -> dict | None:
    """The measure's quantities in ``scenario`` (``{name: value}``), None when it is off."""
    listed = (scenario.extra.get("measures") or {}).get(measure_id)
    if listed is None:
        return None
    return {name: leaf["value"] for name, leaf in listed.items()}


def measure_source(scenario, measure_id: str, quantity: str) -> str:
    """Where the scenario's value of a measure's quantity comes from ('' when it is off)."""
    listed = (scenario.extra.get("measures") or {}).get(measure_id) or {}
    return str(listed.get(quantity, {}).get("source", ""))
