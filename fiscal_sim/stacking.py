"""Scenarios stacked along the engine's draw axis: many counties or variants in one call.

:func:`stack` turns scenarios with the same horizon into one :class:`Stacked` scenario, each
member a draw of the engine: a parameter that differs between members carries a leading draw
axis (scalar ``(draws,)``, yearly ``(draws, years)``, profile ``(draws, 12)``), one the members
share stays as it is. :func:`fiscal_sim.project` projects a stack in one engine call and
:meth:`fiscal_sim.results.Projection.split` gives each member's projection back, the same,
bit for bit, as the member projected alone (tests/engine/test_stacking.py).

What a stack cannot carry, it refuses (naming the member and the key): members whose horizons
differ (the arrays would not line up), whose words differ (``policy.gap_financing``, the
priority order …: they choose the engine's code, not a number), or whose livelihood
programme rows differ. Each member's measures stay its own: the engine turns them into
deltas member by member. A stack is projected as it is: with shocks, deltas, several draws or
a treasury anchor it is refused (those vary by draw themselves; stack the scenarios of one
county's Monte Carlo by projecting them one by one).

Examples
--------
>>> import fiscal_sim
>>> from fiscal_sim.perturb import with_values
>>> base = fiscal_sim.load_scenario()
>>> both = stack([base, with_values(base, {"people.staff": 5500})])
>>> both.members[1].value("people.staff"), both.value("people.staff").tolist()
(5500, [5000.0, 5500.0])
>>> "revenue.tax" in both.stacked_paths, "people.staff" in both.stacked_paths
(False, True)
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass

import numpy as np

from fiscal_sim.errors import FiscalSimError, ScenarioError
from fiscal_sim.scenario.model import Scenario

WORD_KINDS = ("choice", "order")
HORIZON = ("horizon.base_year", "horizon.end_year")


@dataclass(frozen=True)
class Stacked(Scenario):
    """Several scenarios as one, each member a draw (build it with :func:`stack`).

    ``members`` are the scenarios in order; ``stacked_paths`` the parameters that differ
    between them, whose values carry the draw axis. Everything else is the first member's.
    """

    members: tuple = ()
    stacked_paths: frozenset = frozenset()


def _refuse(index: int, member, key: str, message: str) -> ScenarioError:
    file = member.files[-1] if member.files else None
    return ScenarioError(file, key, f"cannot stack scenario {index} ({member.name}): {message}")


def _check_member(index: int, member, first, words: list) -> None:
    """Refuse a member the stack cannot carry: another horizon, other rows, other words."""
    if not isinstance(member, Scenario) or isinstance(member, Stacked):
        raise FiscalSimError(
            f"stack() takes loaded scenarios; item {index} is {type(member).__name__}"
        )
    for key in HORIZON:
        mine, theirs = member.value(key), first.value(key)
        if mine != theirs:
            raise _refuse(
                index, member, key, f"{mine} differs from {theirs} of scenario 0 ({first.name})"
            )
    if member._params.keys() != first._params.keys():
        extra = sorted(set(member._params) ^ set(first._params))[0]
        raise _refuse(
            index,
            member,
            extra,
            f"its livelihood programme rows differ from those of scenario 0 ({first.name})",
        )
    for path in words:
        if member.value(path) != first.value(path):
            raise _refuse(
                index,
                member,
                path,
                f"{member.value(path)!r} differs from {first.value(path)!r} of scenario 0 "
                f"({first.name}); words choose the engine's code and must be the same",
            )


def _numbers(values: list) -> np.ndarray | None:
    """The members' values with a draw axis, or None when they are all the same."""
    first = values[0]
    if not isinstance(first, np.ndarray):
        if all(value == first for value in values):
            return None
        return np.asarray(values, dtype=float)
    stacked = np.stack(values).astype(float)
    if (stacked == stacked[0]).all():
        return None
    return stacked


def stack(scenarios) -> Stacked:
    """Stack scenarios with the same horizon into one, each member a draw of the engine.

    Parameters
    ----------
    scenarios
        Loaded scenarios (:func:`fiscal_sim.load_scenario`), at least one, with the same
        horizon, the same words (``policy.*`` choices and priority order) and the same
        livelihood programme rows.

    Returns
    -------
    Stacked
        A scenario whose differing parameters carry a leading draw axis, one row per member;
        ``fiscal_sim.project(stacked)`` projects all in one engine call, and the result's
        ``split()`` (or ``result[i]``, ``result["name"]``) gives each member's projection.

    Raises
    ------
    ScenarioError
        Naming the member (its position, name and file) and the key it cannot be stacked on.
    """
    members = tuple(scenarios)
    if not members:
        raise FiscalSimError("stack() needs at least one scenario")
    first = members[0]
    words = [param.path for param in first.params() if param.kind in WORD_KINDS]
    for index, member in enumerate(members):
        _check_member(index, member, first, words)
    params, varying = {}, set()
    tables = [member._params for member in members]
    for path, param in first._params.items():
        if param.kind in WORD_KINDS:
            params[path] = param
            continue
        numbers = _numbers([table[path].value for table in tables])
        if numbers is None:
            params[path] = param
        else:
            numbers.flags.writeable = False
            params[path] = dataclasses.replace(param, value=numbers)
            varying.add(path)
    digest = hashlib.sha256(" ".join(m.hash for m in members).encode()).hexdigest()[:12]
    count = len(members)
    return Stacked(
        name=f"stack-of-{count}",
        title={"zh": f"{count}个情景叠加", "en": f"{count} scenarios stacked"},
        description={"zh": "", "en": ""},
        files=tuple(dict.fromkeys(file for member in members for file in member.files)),
        base_year=first.base_year,
        end_year=first.end_year,
        hash=digest,
        _params=params,
        extra={},
        members=members,
        stacked_paths=frozenset(varying),
    )


def check_projectable(stacked: Stacked, shocks, deltas, draws, anchor) -> None:
    """Refuse what a stack cannot be projected with: it is projected as it is."""
    given = {
        "shocks": bool(shocks),
        "deltas": bool(deltas),
        "draws > 1": draws not in (None, 1),
        "an anchor": anchor is not None,
    }
    refused = [name for name, present in given.items() if present]
    if refused:
        raise FiscalSimError(
            f"a stack of {len(stacked.members)} scenarios is projected as it is, one draw per "
            f"member; it takes no {', no '.join(refused)} (project the members one by one)"
        )


@dataclass(frozen=True)
class Drawn(Scenario):
    """A scenario whose uncertain parameters carry a draw axis (:func:`with_draws`).

    ``stacked_paths`` are the drawn parameters, read by the engine like a stack's
    (:mod:`fiscal_sim.engine.values`); ``central`` is the scenario as loaded, whose values
    size its measures (model.md §9).
    """

    central: Scenario | None = None
    stacked_paths: frozenset = frozenset()


def with_draws(scenario, values: dict) -> Drawn:
    """``scenario`` with the parameters of ``values`` (``{path: (draws,) or (draws, years)}``)
    on the draw axis: one value per draw of the Monte Carlo (:func:`fiscal_sim.simulate`).

    Examples
    --------
    >>> import fiscal_sim
    >>> base = fiscal_sim.load_scenario()
    >>> drawn = with_draws(base, {"people.staff": np.array([4900.0, 5100.0])})
    >>> fiscal_sim.project(drawn, draws=2).annual["headcount"][:, 0].round().tolist()
    [4876.0, 5074.0]
    """
    params = dict(scenario._params)
    for path, value in values.items():
        value = np.array(value, dtype=float)
        value.flags.writeable = False
        params[path] = dataclasses.replace(params[path], value=value)
    fields = {f.name: getattr(scenario, f.name) for f in dataclasses.fields(Scenario)}
    fields["_params"] = params
    return Drawn(**fields, central=scenario, stacked_paths=frozenset(values))
