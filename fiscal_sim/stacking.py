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

from fiscal_sim.errors import Bilingual, FiscalSimError, ScenarioError
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


def _refuse(index: int, member, key: str, message: Bilingual) -> ScenarioError:
    file = member.files[-1] if member.files else None
    return ScenarioError(
        file,
        key,
        Bilingual(
            "无法叠加情景 {index}（{name}）：{message}",
            "cannot stack scenario {index} ({name}): {message}",
            index=index,
            name=member.name,
            message=message,
        ),
    )


def _check_member(index: int, member, first, words: list) -> None:
    """Refuse a member the stack cannot carry: another horizon, other rows, other words."""
    if not isinstance(member, Scenario) or isinstance(member, Stacked):
        raise FiscalSimError(
            Bilingual(
                "stack() 接受已加载的情景；第 {index} 项是 {kind}",
                "stack() takes loaded scenarios; item {index} is {kind}",
                index=index,
                kind=type(member).__name__,
            )
        )
    for key in HORIZON:
        mine, theirs = member.value(key), first.value(key)
        if mine != theirs:
            raise _refuse(
                index,
                member,
                key,
                Bilingual(
                    "{mine} 与情景 0（{first}）的 {theirs} 不同",
                    "{mine} differs from {theirs} of scenario 0 ({first})",
                    mine=mine,
                    theirs=theirs,
                    first=first.name,
                ),
            )
    if member._params.keys() != first._params.keys():
        extra = sorted(set(member._params) ^ set(first._params))[0]
        raise _refuse(
            index,
            member,
            extra,
            Bilingual(
                "其民生项目行与情景 0（{first}）的不同",
                "its livelihood programme rows differ from those of scenario 0 ({first})",
                first=first.name,
            ),
        )
    for path in words:
        if member.value(path) != first.value(path):
            raise _refuse(
                index,
                member,
                path,
                Bilingual(
                    "{mine!r} 与情景 0（{first}）的 {theirs!r} 不同；文字选项决定引擎的算法，"
                    "必须相同",
                    "{mine!r} differs from {theirs!r} of scenario 0 ({first}); words choose "
                    "the engine's code and must be the same",
                    mine=member.value(path),
                    theirs=first.value(path),
                    first=first.name,
                ),
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
        raise FiscalSimError(
            Bilingual("stack() 至少需要一个情景", "stack() needs at least one scenario")
        )
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
    given = (
        (bool(shocks), "冲击", "shocks"),
        (bool(deltas), "调整", "deltas"),
        (draws not in (None, 1), "多次抽样", "draws > 1"),
        (anchor is not None, "锚定值", "an anchor"),
    )
    refused = [(zh, en) for present, zh, en in given if present]
    if refused:
        raise FiscalSimError(
            Bilingual(
                "{count} 个情景的叠加按原样预测，每个成员一次抽样；不能带{refused}"
                "（请逐个预测各成员）",
                "a stack of {count} scenarios is projected as it is, one draw per "
                "member; it takes no {refused} (project the members one by one)",
                count=len(stacked.members),
                refused=Bilingual._of(
                    "、".join(zh for zh, _ in refused), ", no ".join(en for _, en in refused)
                ),
            )
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
