"""A what-if: a base scenario and what the user changed, written as a scenario overlay.

The workbench never projects a what-if any other way than the command line would: the
changes become a YAML overlay (``extends:`` the base, listing only what changed), the overlay
is written into the app's private folder and read back with :func:`fiscal_sim.load_scenario`.
The file a user downloads is that overlay, so reading it back gives the same scenario and the
same hash.

Examples
--------
>>> import fiscal_sim
>>> base = Base("plan-followed")
>>> whatif = WhatIf(base, params={"people.staff": 4800.0})
>>> text = overlay_text(whatif, fiscal_sim.load_scenario("plan-followed"))
>>> text.splitlines()[:3]
['extends: plan-followed', 'meta:', '  name: plan-followed-what-if']
>>> print(text[text.index("people:") :], end="")
people:
  staff:
    value: 4800
    unit: persons
    source: what-if (fiscal-sim app)
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from fiscal_sim._version import __version__

SOURCE = "what-if (fiscal-sim app)"
TOLERANCE = 1e-12  # a value typed back to the scenario's is no change


@dataclass(frozen=True)
class Base:
    """The scenario a what-if starts from.

    ``ref`` is what the overlay's ``extends:`` says: a bundled scenario's name, or the file
    name of an upload, which lives in ``folder`` (the app's private copy of it).
    """

    ref: str
    folder: str | None = None

    @property
    def uploaded(self) -> bool:
        return self.folder is not None


@dataclass(frozen=True)
class WhatIf:
    """A base and the changes: ``params`` (path -> whole value) and ``measures``.

    ``measures`` maps a measure id to ``None`` (switched off) or ``{quantity: value}`` (the
    quantities that differ from the base, or all of them for a measure the base lacks).
    """

    base: Base
    params: dict = field(default_factory=dict)
    measures: dict = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.params or self.measures)

    def with_param(self, path: str, value, base_value) -> WhatIf:
        """This what-if with ``path`` set to ``value`` (dropped when it equals the base's)."""
        params = dict(self.params)
        if _same(value, base_value):
            params.pop(path, None)
        else:
            params[path] = value
        return WhatIf(self.base, params, dict(self.measures))

    def with_measure(self, measure_id: str, values: dict | None, base_values: dict | None):
        """This what-if with a measure off (``values`` None) or on with ``values``."""
        measures = dict(self.measures)
        if values is None:
            if base_values is None:
                measures.pop(measure_id, None)
            else:
                measures[measure_id] = None
        elif base_values is None:
            measures[measure_id] = dict(values)
        else:
            differ = {
                name: value
                for name, value in values.items()
                if not _same(value, base_values.get(name))
            }
            if differ:
                measures[measure_id] = differ
            else:
                measures.pop(measure_id, None)
        return WhatIf(self.base, dict(self.params), measures)


def _same(value, other) -> bool:
    if other is None:
        return value is None
    a, b = np.asarray(value, dtype=float), np.asarray(other, dtype=float)
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= TOLERANCE))


def _number(value: float):
    """A whole number as an int (``4800``, not ``4800.0``), else the float."""
    value = float(value)
    return int(value) if value.is_integer() else value


def _leaf(value, unit: str, years) -> dict:
    if isinstance(value, tuple | list):
        value = {int(year): _number(item) for year, item in zip(years, value, strict=True)}
    else:
        value = _number(value)
    return {"value": value, "unit": unit, "source": SOURCE}


def overlay(whatif: WhatIf, base_scenario) -> dict:
    """The overlay as a mapping: ``extends``, ``meta``, the changed parameters, measures."""
    data: dict = {
        "extends": whatif.base.ref,
        "meta": {
            "name": f"{base_scenario.name}-what-if",
            "title": {
                "zh": f"{base_scenario.title['zh']}（假设情形）",
                "en": f"{base_scenario.title['en']} (what-if)",
            },
        },
    }
    for path in sorted(whatif.params):
        param = base_scenario.param(path)
        node = data
        *parents, last = path.split(".")
        for key in parents:
            node = node.setdefault(key, {})
        node[last] = _leaf(whatif.params[path], param.unit, base_scenario.years)
    if whatif.measures:
        from fiscal_sim.params.measures import CATALOGUE

        section = data["measures"] = {}
        for measure_id in sorted(whatif.measures):
            values = whatif.measures[measure_id]
            if values is None:
                section[measure_id] = None
                continue
            measure = CATALOGUE[measure_id]
            section[measure_id] = {
                name: {
                    "value": _number(value),
                    "unit": measure.quantity(name).unit,
                    "source": SOURCE,
                }
                for name, value in values.items()
            }
    return data


def overlay_text(whatif: WhatIf, base_scenario) -> str:
    """The overlay as YAML text (what is loaded, and downloaded under a comment header)."""
    return yaml.safe_dump(
        overlay(whatif, base_scenario), allow_unicode=True, sort_keys=False, width=100
    )


def download_text(body: str, scenario) -> str:
    """The overlay a user downloads: a comment naming the what-if, its hash and version."""
    header = (
        f"# fiscal_sim what-if: {scenario.name}\n"
        f"# scenario hash {scenario.hash}, fiscal_sim {__version__}\n"
        f"# Read it with: fiscal-sim run THIS-FILE (next to the file it extends, if one)\n"
    )
    return header + body


def overlay_path(whatif: WhatIf, body: str, folder: Path) -> Path:
    """Where the overlay is written: beside an uploaded base, else in ``folder``."""
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]
    home = Path(whatif.base.folder) if whatif.base.uploaded else folder
    return home / f"what-if-{digest}.yaml"


def write_once(path: Path, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` (named after its content) unless it is there already."""
    if not path.exists():
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(temporary, path)
    return path


def load_whatif(whatif: WhatIf, base_scenario, folder: Path):
    """The what-if as a :class:`~fiscal_sim.scenario.Scenario`, read from its overlay file."""
    import fiscal_sim

    body = overlay_text(whatif, base_scenario)
    path = write_once(overlay_path(whatif, body, folder), body)
    return fiscal_sim.load_scenario(path)
