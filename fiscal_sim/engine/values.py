"""The one way the engine reads a numeric scenario parameter, so that any may vary by draw.

A scenario's parameter is a number (scalar), one number per projection year (yearly, shape
``(years,)``) or twelve monthly shares (profile, ``(12,)``). In a scenario stacked from several
(:func:`fiscal_sim.stack`) a parameter that differs between the members carries a leading
draw axis instead: ``(draws,)``, ``(draws, years)`` or ``(draws, 12)``, one row per member.
:func:`value` returns it shaped to broadcast against the engine's arrays, whose first axis is
the draw, exactly as numpy broadcasts a shock; a parameter without a draw axis comes back as
the scenario holds it, untouched, so an ordinary projection computes what it always did.

Words (``policy.gap_financing``, the priority order) are read with ``scenario.value``: they
steer the code, and a stack refuses members whose words differ.

Examples
--------
>>> import fiscal_sim
>>> scenario = fiscal_sim.load_scenario()
>>> value(scenario, "revenue.tax", ndim=2) == scenario.value("revenue.tax")
True
"""

from __future__ import annotations

import numpy as np


def is_stacked(scenario) -> bool:
    """Whether ``scenario`` is a stack of several (:class:`fiscal_sim.stacking.Stacked`)."""
    return bool(getattr(scenario, "members", ()))


def on_draw_axis(scenario, path: str) -> bool:
    """Whether the parameter at ``path`` varies by draw (differs between stacked members)."""
    return path in getattr(scenario, "stacked_paths", ())


def value(scenario, path: str, ndim: int = 1):
    """The number(s) of the parameter at ``path``, to combine with arrays of ``ndim`` axes.

    Without a draw axis the value is returned as the scenario holds it (a float, or an array
    ``(years,)`` or ``(12,)`` that broadcasts from the right). With one, its own axes stay
    last and ones are put between them and the draw axis, so that it broadcasts against an
    array ``(draws, ...)`` of ``ndim`` axes: a scalar read with ``ndim=2`` is ``(draws, 1)``
    against ``(draws, years)``, a yearly value read with ``ndim=2`` is ``(draws, years)``, a
    profile read with ``ndim=3`` is ``(draws, 1, 12)`` against ``(draws, years, 12)``.

    Examples
    --------
    >>> import types
    >>> stacked = types.SimpleNamespace(
    ...     value=lambda path: np.array([1.0, 2.0]), stacked_paths={"revenue.tax"})
    >>> value(stacked, "revenue.tax", ndim=2).shape
    (2, 1)
    """
    given = scenario.value(path)
    if not on_draw_axis(scenario, path):
        return given
    padding = (1,) * (ndim - given.ndim)
    return given.reshape(given.shape[0], *padding, *given.shape[1:])


def yearly(scenario, path: str) -> np.ndarray:
    """A yearly parameter as floats: ``(years,)``, or ``(draws, years)`` when it varies."""
    return np.asarray(value(scenario, path, ndim=2), dtype=float)


def in_year(scenario, path: str, t: int):
    """A yearly parameter in year ``t``: a number, or ``(draws,)`` when it varies by draw."""
    return yearly(scenario, path)[..., t]


def as_number(number):
    """A float, or an array of floats (draws,) for a value that varies by draw."""
    return float(number) if np.ndim(number) == 0 else np.asarray(number, dtype=float)


def over_draws(array, shape: tuple[int, ...]) -> np.ndarray:
    """``array`` broadcast to ``shape`` (draws, ...) as an array of its own, sharing nothing."""
    return np.broadcast_to(array, shape).copy()


def per_draw(scenario, array: np.ndarray) -> np.ndarray:
    """``array`` (draws, ...) as its first draw when the scenario is not stacked.

    Paths computed from parameters only (the debt service of the needs) are the same in every
    draw of an ordinary scenario, so the monthly needs keep a draw axis of 1 that numpy
    broadcasts; in a stack, or with parameters drawn by the Monte Carlo
    (:func:`fiscal_sim.stacking.with_draws`), they differ by draw and keep every draw.
    """
    varies = is_stacked(scenario) or bool(getattr(scenario, "stacked_paths", ()))
    return array if varies else array[0]
