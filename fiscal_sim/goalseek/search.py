"""The search of one year: the smallest lever size with which every selected rule holds.

``evaluate(sizes)`` returns the rules' margins that year, one row per candidate size. A grid
over ``[0, upper]`` (one engine call for a delta lever) finds, for every rule, whether it
holds somewhere; the joint margin (the smallest of the reachable rules') is then refined on
its first bracket by k-section: many candidates per engine call on the draw axis
(``"vector"``), or bisection, one candidate per projection (``"scalar"``). Bisection on
"holds or not" rather than a root finder on the margin: a funded tier's margin is exactly 0
over the whole range where it holds, which root finders read as a root anywhere.
Margins are assumed monotone in the size within a year (more relief, more room); a rule
that holds nowhere on the grid is reported as unreachable by the lever.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Rounding noise of the engine's sums (−0.0, −1e-12): a rule that holds at size 0 up to this
# is taken as holding. A rule that breaks at size 0 must reach a margin ≥ 0 exactly.
NOISE = 1e-9
GRID = 41  # one engine call on the draw axis
SCALAR_GRID = 5  # one projection each: margins are monotone, a coarse grid brackets them
CANDIDATES = 30  # per k-section round


@dataclass(frozen=True)
class YearSolution:
    """The outcome of one year's search (rule columns as in the selection)."""

    size: float | None
    binding: int | None  # the rule that breaks first just below ``size``
    unreachable: tuple[int, ...]  # rules the lever cannot make hold that year
    conflict: tuple[int, ...]  # rules that need the lever, when it breaks others first
    broken_by: tuple[int, ...]  # rules that hold without the lever and break with it
    evaluations: int


def _chosen(margins: np.ndarray, breaking: np.ndarray) -> np.ndarray:
    """Margins as the search reads them: exact for the rules breaking at size 0, rounding
    noise read as zero for the others."""
    noisy = np.where(margins >= -NOISE, np.maximum(margins, 0.0), margins)
    return np.where(breaking[None, :], margins, noisy)


def _joint(margins: np.ndarray, breaking: np.ndarray, active: np.ndarray) -> np.ndarray:
    """The joint margin per candidate: the smallest of the active rules'."""
    chosen = _chosen(margins, breaking)[:, active]
    return chosen.min(axis=1) if chosen.shape[1] else np.full(len(margins), np.inf)


def solve_year(evaluate, upper: float, strategy: str, xtol: float = 1e-10) -> YearSolution:
    """The smallest size in ``[0, upper]`` at which every reachable rule holds."""
    grid = np.linspace(0.0, upper, GRID if strategy == "vector" else SCALAR_GRID)
    values = evaluate(grid)
    count = len(grid)
    holds = values >= -NOISE
    breaking = ~holds[0]
    reachable = holds.any(axis=0)
    unreachable = tuple(int(i) for i in np.flatnonzero(~reachable))
    active = reachable.copy()
    joint = _joint(values, breaking, active)
    feasible = np.flatnonzero(joint >= 0)
    if not len(feasible):
        # Each rule holds somewhere, but not together: the rules that need the lever, and
        # those that hold without it and break as it grows.
        conflict = tuple(int(i) for i in np.flatnonzero(active & breaking))
        broken_by = tuple(int(i) for i in np.flatnonzero(active & ~breaking & ~holds.all(0)))
        return YearSolution(None, None, unreachable, conflict, broken_by, count)
    first = int(feasible[0])
    if first == 0:
        return YearSolution(0.0, None, unreachable, (), (), count)

    def joint_at(sizes):
        nonlocal count
        count += len(sizes)
        margins = evaluate(np.asarray(sizes, dtype=float))
        return _joint(margins, breaking, active), margins

    low, high = grid[first - 1], grid[first]
    below = values[first - 1]
    tolerance = xtol * max(upper, 1.0)
    per_round = CANDIDATES if strategy == "vector" else 1
    while high - low > tolerance:
        points = np.linspace(low, high, per_round + 2)[1:-1]
        joint_values, margins = joint_at(points)
        ok = np.flatnonzero(joint_values >= 0)
        index = int(ok[0]) if len(ok) else len(points)
        if index > 0:
            low, below = points[index - 1], margins[index - 1]
        if index < len(points):
            high = points[index]
    # The binding rule: the tightest just below the solution (the one that breaks there).
    tight = np.where(active, _chosen(below[None, :], breaking)[0], np.inf)
    return YearSolution(float(high), int(np.argmin(tight)), unreachable, (), (), count)
