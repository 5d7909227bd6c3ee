"""Scenario files: YAML in, a validated, immutable :class:`Scenario` out. Validates, never computes.

A scenario file is a nested mapping whose leaves are parameters::

    revenue:
      tax: {value: 18000, unit: wan_yuan, source: "default-county.md, 65 % of own revenue"}

An overlay names its base with ``extends:`` (a bundled name or a path relative to the file)
and lists only what it changes; a changed value may be written short (``tax: 17000``) and
then takes the overlay file as its source. ``--set key.path=value`` strings work the same way.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from fiscal_sim.errors import Bilingual, ScenarioError, did_you_mean
from fiscal_sim.params.measures import merge_measures
from fiscal_sim.params.schema import spec_for
from fiscal_sim.scenario.files import (
    _bundled_path,
    _read_chain,
    _unknown,
    list_scenarios,
    read_overlay,
    reference_to,
    safe_name,
)
from fiscal_sim.scenario.files import (
    _data_dir as _data_dir,  # tests find the bundled files through it
)
from fiscal_sim.scenario.model import DEFAULT_NAME, Param, Scenario, _build
from fiscal_sim.yamlio import load_text

__all__ = [
    "DEFAULT_NAME",
    "Param",
    "Scenario",
    "list_scenarios",
    "load_scenario",
    "read_overlay",
    "reference_to",
    "safe_name",
]


def _apply_override(leaves: dict, extras: dict, text: str) -> None:
    """Apply one ``key.path=value`` string: a parameter, or ``measures.<id>.<quantity>``."""
    if "=" not in text:
        raise ScenarioError(
            "--set", text, Bilingual("应为 key.path=value", "expected key.path=value")
        )
    path, _, raw = text.partition("=")
    path = path.strip()
    is_measure = path.startswith("measures.")
    if not is_measure and spec_for(path) is None:
        raise _unknown("--set", path, None)
    try:
        value, _ = load_text(raw, "--set")
    except ScenarioError as error:
        message = Bilingual("无法读取该值：{why}", "cannot read the value: {why}", why=error.text)
        raise ScenarioError("--set", path, message) from None
    source = f"--set {path}={raw}"
    if is_measure:
        parts = path.split(".")
        if len(parts) != 3 or not all(parts):
            message = Bilingual(
                "应为 measures.<措施 id>.<数量>=value",
                "expected measures.<measure id>.<quantity>=value",
            )
            raise ScenarioError("--set", path, message)
        _, measure_id, quantity = parts
        fragment = {measure_id: {quantity: {"value": value, "source": source}}}
        extras["measures"] = merge_measures(extras.get("measures"), fragment, "--set")
        return
    entry = dict(leaves.get(path, {}))
    entry.update(value=value, file="--set", line=None, source=source)
    leaves[path] = entry


# -- validating values ---------------------------------------------------------------------------


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
        message = Bilingual(
            "没有这个文件或内置情景{hint}（内置情景：{names}）",
            "no such file or bundled scenario{hint} (bundled: {names})",
            hint=did_you_mean(ref, names),
            names=", ".join(names),
        )
        raise ScenarioError(ref, None, message)
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
