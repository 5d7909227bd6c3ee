"""The engine never returns a non-finite figure silently: it names the input that caused it.

Every parameter is bounded at load (:data:`fiscal_sim.params.schema.UNIT_MAXIMA`), so an
overflow cannot come from one absurd number; what is left is a combination such as a zero
that a ratio divides by (no revenue, no spending). :func:`check_finite` costs one sum per
array; only when a figure is not finite does it look for the cause, by putting the default
county's value back into one parameter at a time until the projection is finite again.
"""

from __future__ import annotations

import contextvars
import dataclasses

import numpy as np

from fiscal_sim.errors import Bilingual, ScenarioError

_SEARCHING = contextvars.ContextVar("fiscal_sim_finite_search", default=False)


class _StillNotFinite(Exception):
    """Raised inside the search for a cause: the trial projection is not finite either."""


def first_non_finite(groups: dict[str, dict]) -> tuple[str, int, int] | None:
    """``(figure, draw, year index)`` of the first non-finite value in ``groups``, or None.

    ``groups`` maps a name to ``{figure: array (draws, years[, ...])}``. One sum per array
    (a NaN or an infinity makes the sum non-finite); the exact position only on failure.
    """
    for group in groups.values():
        for name, array in group.items():
            values = np.asarray(array)
            if values.dtype.kind != "f" or np.isfinite(values.sum()):
                continue
            bad = np.argwhere(~np.isfinite(values))
            if len(bad):  # else the sum overflowed on finite values
                draw, year = (int(index) for index in (*bad[0], 0, 0)[:2])
                return name, draw, year
    return None


def check_finite(scenario, groups: dict[str, dict], rerun) -> None:
    """Raise a :class:`ScenarioError` naming the input when a projected figure is not finite.

    Parameters
    ----------
    scenario
        The scenario projected.
    groups
        ``{"annual": {...}, "tiers": {...}, "months": {...}}`` arrays with a draw axis.
    rerun
        ``rerun(trial_scenario, draw)``: the same projection of one draw of a trial scenario
        (it calls back into this check, which then only says whether it is finite).
    """
    found = first_non_finite(groups)
    if found is None:
        return
    if _SEARCHING.get():
        raise _StillNotFinite
    figure, draw, year_index = found
    year = scenario.years[min(year_index, len(scenario.years) - 1)]
    what = Bilingual(
        "使 {year} 年的预测值 {figure} 不是有限数",
        "makes the projected {figure} in {year} not a finite number",
        figure=figure,
        year=year,
    )
    if draw:
        what += Bilingual("（第 {draw} 次抽样）", " (draw {draw})", draw=draw)
    param = _cause(scenario, lambda trial: rerun(trial, draw))
    if param is None:
        raise ScenarioError(
            scenario.files[-1] if scenario.files else None,
            None,
            Bilingual(
                "这组输入{what}；把任何一个参数单独改回默认县的值都无法避免",
                "this combination of inputs {what}; no single parameter set back to the "
                "default county's value avoids it",
                what=what,
            ),
        )
    file = "--set" if param.source.startswith("--set") else scenario.files[-1]
    raise ScenarioError(
        file,
        param.path,
        Bilingual(
            "{the_value} {value} {what}",
            "{the_value} {value} {what}",
            # The frame names the key; the Chinese names the parameter too.
            the_value=Bilingual._of(f"{param.label_zh}的值", "the value"),
            value=_short(param.value),
            what=what,
        ),
    )


def _cause(scenario, rerun):
    """The first parameter (schema order) whose default-county value makes ``rerun`` finite."""
    from fiscal_sim.scenario import load_scenario

    reference = load_scenario()
    years = len(scenario.years)
    token = _SEARCHING.set(True)
    try:
        for param in scenario.params():
            try:
                default = reference.param(param.path)
            except KeyError:  # a programme row the default county does not have
                continue
            value = default.value
            if param.kind == "yearly":  # the default's first year, over this horizon
                value = np.full(years, float(np.asarray(value)[0]))
            if np.array_equal(np.asarray(value), np.asarray(param.value)):
                continue
            params = {**scenario._params, param.path: dataclasses.replace(param, value=value)}
            try:
                rerun(dataclasses.replace(scenario, _params=params))
            except (_StillNotFinite, ScenarioError, ArithmeticError, ValueError):
                continue
            return param
    finally:
        _SEARCHING.reset(token)
    return None


def _short(value) -> str:
    values = np.asarray(value, dtype=float).ravel()
    if values.size and np.all(values == values[0]):
        return f"{values[0]:g}"
    return ", ".join(f"{item:g}" for item in values[:3]) + (", …" if values.size > 3 else "")
