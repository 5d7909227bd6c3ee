"""The rule registry and the small helpers every rule uses.

A rule is a pure function ``projection -> list[Check]`` registered with :func:`rule`, which
records its clause(s), the ``rules.*`` parameters it reads, its topic (the module it lives
in) and its bilingual title.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from fiscal_sim.rules.findings import Check, Outcome

REGISTERED: dict[str, Rule] = {}


@dataclass(frozen=True)
class Rule:
    """A registered rule: the function and what it cites."""

    id: str
    function: Callable
    clauses: tuple[str, ...]
    params: tuple[str, ...]
    topic: str
    title_zh: str
    title_en: str

    @property
    def clause(self) -> str:
        """The clause IDs as one string, e.g. ``"OPS.2.1, OPS.3"``."""
        return ", ".join(self.clauses)

    @property
    def doc(self) -> str:
        """The rule function's docstring."""
        return self.function.__doc__ or ""

    def __call__(self, projection) -> list[Check]:
        return list(self.function(projection))


def rule(*, clauses, title_zh: str, title_en: str, params=()):
    """Register a rule function under its own name.

    ``params`` lists the ``rules.*`` parameter names (without the ``rules.`` prefix) the rule
    reads; a meta-test checks the rule reads exactly these.
    """

    def register(function):
        topic = function.__module__.rsplit(".", 1)[-1]
        REGISTERED[function.__name__] = Rule(
            id=function.__name__,
            function=function,
            clauses=tuple(clauses),
            params=tuple(params),
            topic=topic,
            title_zh=title_zh,
            title_en=title_en,
        )
        return function

    return register


def param_value(projection, name: str) -> np.ndarray:
    """Value of the rule parameter ``rules.<name>`` as a float array (scalar or per year)."""
    return np.asarray(projection.scenario.param(f"rules.{name}").value, dtype=float)


def param_year(projection, name: str) -> int:
    """The rule parameter ``rules.<name>`` as a calendar year (an integer)."""
    return round(float(np.asarray(projection.scenario.param(f"rules.{name}").value)))


def years_of(projection) -> np.ndarray:
    """Projection years as an int array."""
    return np.asarray(projection.years, dtype=int)


def all_years(projection) -> np.ndarray:
    """In-force mask for a rule that applies every projection year."""
    return np.ones(len(projection.years), dtype=bool)


def annual(projection, name: str) -> np.ndarray:
    """Annual array ``(draws, years)`` as floats."""
    return np.asarray(projection.annual[name], dtype=float)


def base_values(projection, name: str, draws: int) -> np.ndarray:
    """A base-year figure per draw, (draws,): one number for all, or one per draw where a
    parameter it comes from was drawn by the Monte Carlo (``shocks.parameters``)."""
    return np.broadcast_to(np.asarray(projection.base[name], dtype=float), (draws,))


def previous_years(projection, name: str, base_name: str | None = None) -> np.ndarray:
    """The annual array shifted one year back; the first year takes the base-year value."""
    values = annual(projection, name)
    first = base_values(projection, base_name or name, values.shape[0])[:, None]
    return np.concatenate([first, values[:, :-1]], axis=1)


def simple_check(
    projection,
    *,
    rule_id: str,
    clause: str,
    aspect: str,
    unit: str,
    value,
    threshold,
    margin,
    ok: Outcome,
    breach: Outcome,
    in_force=None,
    sub=None,
    sub_labels=(),
    extra=None,
) -> Check:
    """A pass/fail :class:`Check`: breach where ``margin`` is below zero."""
    from fiscal_sim.rules.findings import pass_fail

    value = np.asarray(value, dtype=float)
    margin = np.broadcast_to(np.asarray(margin, dtype=float), value.shape)
    status, outcomes = pass_fail(margin=margin, ok=ok, breach=breach)
    return Check(
        rule=rule_id,
        clause=clause,
        aspect=aspect,
        unit=unit,
        years=years_of(projection),
        value=value,
        threshold=np.broadcast_to(np.asarray(threshold, dtype=float), value.shape),
        margin=margin,
        status=status,
        outcomes=outcomes,
        in_force=all_years(projection) if in_force is None else np.asarray(in_force, bool),
        sub=sub,
        sub_labels=tuple(sub_labels),
        extra=dict(extra or {}),
    )
