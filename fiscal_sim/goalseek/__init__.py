"""Goal-seek over the plan's rules, year by year: what it would take for every rule to hold.

For one lever (``levers.yaml``: own-revenue effort, transfers requested, a discretionary cut,
new-advance restraint, faster legacy digestion, bond issuance) and a set of rules (default:
every rule of the registry that can fail), :func:`goal_seek` finds for each projection year
in turn — each year's size given the sizes already found for the years before it, the lever
untouched in later years — the smallest size with which every selected rule holds that year.
It names the rule that binds (the one that breaks first at a smaller size), the margin of
every rule at the solution, the money the lever costs or frees, and the rules no size of the
lever can make hold.
"""

from __future__ import annotations

import numpy as np

from fiscal_sim.goalseek.levers import Lever, lever, levers
from fiscal_sim.goalseek.margins import rule_margins, select
from fiscal_sim.goalseek.result import GoalSeek
from fiscal_sim.goalseek.search import solve_year

__all__ = ["GoalSeek", "Lever", "goal_seek", "lever", "levers"]

STRATEGIES = ("auto", "vector", "scalar")


def goal_seek(scenario, lever_name, rules=None, strategy: str = "auto") -> GoalSeek:
    """The smallest size of one lever, year by year, with which every selected rule holds.

    Parameters
    ----------
    scenario
        A :class:`~fiscal_sim.scenario.Scenario`.
    lever_name
        A lever of :func:`levers` (or a :class:`Lever`).
    rules
        Rule ids (default: every rule of the registry that can fail).
    strategy
        ``vector`` (candidate sizes on the engine's draw axis, k-section), ``scalar``
        (bisection, one projection per candidate) or ``auto``: vector for delta levers,
        scalar for parameter levers (``benchmarks/bench_solve.py`` measures both).

    Returns
    -------
    GoalSeek
        Per year: the size, the binding rule, every rule's margin at the solution, the money,
        and the rules the lever cannot make hold.

    Examples
    --------
    >>> import fiscal_sim
    >>> short = fiscal_sim.load_scenario(overrides=["revenue.general_transfers=40000"])
    >>> sanbao = ["wages_funded", "livelihood_funded", "operations_funded"]
    >>> found = goal_seek(short, "transfers_requested", rules=sanbao)
    >>> found.binding[0], round(found.sizes[0], 3), round(found.money[0])
    ('operations_funded', 0.585, 24333)
    """
    from fiscal_sim.results import project

    chosen = lever(lever_name)
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {STRATEGIES}, got {strategy!r}")
    if strategy == "auto":
        strategy = "vector" if chosen.vectorised else "scalar"
    baseline = project(scenario)
    selected = select(baseline, rules)
    years = len(scenario.years)
    solved = np.zeros(years)
    solutions = []
    for t in range(years):

        def evaluate(sizes, t=t):
            rows = np.tile(solved, (len(sizes), 1))
            rows[:, t] = sizes
            runs = chosen.projections(scenario, baseline, rows)
            return np.concatenate([rule_margins(run, selected)[:, t, :] for run in runs])

        solution = solve_year(evaluate, chosen.upper, strategy)
        solved[t] = solution.size or 0.0
        solutions.append(solution)
    final = chosen.projections(scenario, baseline, solved[None, :])[0]
    return GoalSeek.build(scenario, chosen, selected, baseline, final, solved, solutions)
