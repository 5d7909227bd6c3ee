"""The year's budget as a county draws it up and executes it (model.md §3a).

:func:`adopt` balances the budget ex ante, on the resources expected when it is adopted: a
reserve (预备费) is set aside, a share of the stabilisation fund is taken in as a resource
(调入预算稳定调节基金), and what is still missing is cut from the adjustable tiers in
proportion; room left over is arranged for key projects (以收定支). :func:`execute` then meets
what actually comes: a shortfall is met by the reserve, a draw on the fund and a mid-year
adjustment (预算调整) across the adjustable tiers in proportion, in that order; only what
remains reaches the waterfall. Both are vectorised over draws: arrays are (draws,) or
(draws, tiers).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fiscal_sim.engine.values import value
from fiscal_sim.params.schema import TIERS

ADJUSTABLE = ("key_projects", "non_rigid", "three_public")
T = {tier: i for i, tier in enumerate(TIERS)}


@dataclass
class Adopted:
    """The budget adopted for a year, each array (draws,) unless said otherwise."""

    expected_resources: np.ndarray  # ordinary resources expected at adoption
    reserve: np.ndarray  # 预备费, set aside out of the resources
    fund_draw: np.ndarray  # the stabilisation fund taken in at adoption
    cut: np.ndarray  # (draws, tiers): cut at adoption from the adjustable tiers
    room: np.ndarray  # resources left over, arranged for key projects or left to the fund
    budget: np.ndarray  # (draws, tiers): the adopted budget by tier (年初预算)


@dataclass
class Executed:
    """How the year's budget met what came: the need the waterfall funds and the steps taken."""

    need: np.ndarray  # (draws, tiers): the need the waterfall is asked to fund
    reserve_used: np.ndarray
    adjustment: np.ndarray  # (draws, tiers): the mid-year adjustment by tier


def _adjustable(scenario) -> np.ndarray:
    """Share of each tier a budget adjustment may cut, shape (tiers,), or (draws, tiers) when
    the shares vary by draw (a stack)."""
    given = {tier: value(scenario, f"policy.adjustable.{tier}") for tier in ADJUSTABLE}
    shares = np.zeros((*np.broadcast_shapes(*(np.shape(s) for s in given.values())), len(TIERS)))
    for tier, share in given.items():
        shares[..., T[tier]] = share
    return shares


def cut_in_proportion(need: np.ndarray, gap: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Cut ``gap`` from ``need`` across tiers at one rate on their adjustable parts.

    Each tier can give up to ``shares · need``; all give the same fraction of that, so no tier
    is zeroed while another is untouched. Returns the cut by tier, (draws, tiers).

    Examples
    --------
    >>> cut_in_proportion(np.array([[100.0, 50.0, 20.0]]), np.array([40.0]),
    ...                   np.array([1.0, 1.0, 0.5]))
    array([[25. , 12.5,  2.5]])
    """
    capacity = need * shares
    total = capacity.sum(axis=1)
    rate = np.divide(np.maximum(gap, 0.0), total, out=np.zeros_like(total), where=total > 0).clip(
        max=1.0
    )
    return capacity * rate[:, None]


def adopt(scenario, foreseen_need, expected_resources, fund_available) -> Adopted:
    """Balance the budget ex ante (Budget Law art. 40-41; OPS.4.1.2-4.1.3: 以收定支).

    ``foreseen_need`` (draws, tiers) is the need known at adoption; ``expected_resources``
    the ordinary resources expected; ``fund_available`` the stabilisation fund at the
    year's opening.
    """
    v = scenario.value
    reserve = value(scenario, "policy.reserve_share") * foreseen_need.sum(axis=1)
    fund_draw = value(scenario, "policy.fund_budgeted_share") * np.maximum(fund_available, 0.0)
    gap = foreseen_need.sum(axis=1) + reserve - expected_resources - fund_draw
    cut = cut_in_proportion(foreseen_need, gap, _adjustable(scenario))
    room = np.maximum(-gap, 0.0)
    budget = foreseen_need - cut
    if v("policy.budget_room") == "key_projects":
        budget[:, T["key_projects"]] += room
    return Adopted(expected_resources, reserve, fund_draw, cut, room, budget)


def execute(scenario, adopted: Adopted, need, resources, fund_left) -> Executed:
    """Meet the year's actual need with its actual resources (Budget Law art. 64-67).

    ``need`` (draws, tiers) is the actual need with the adopted room and cut applied;
    ``resources`` the ordinary resources that came plus the draw planned at adoption;
    ``fund_left`` the stabilisation fund left after that draw. A gap is met by the reserve,
    then (``policy.gap_financing: fund``) by the fund, then by a mid-year adjustment cutting
    the adjustable tiers at one rate; the rest is for the waterfall, which draws the fund
    itself (ledgers._budget), so the draw is not returned here.
    """
    gap_before_reserve = need.sum(axis=1) - resources + adopted.reserve
    reserve_used = np.clip(gap_before_reserve, 0.0, adopted.reserve)
    gap = np.maximum(gap_before_reserve - adopted.reserve, 0.0)
    if scenario.value("policy.gap_financing") == "fund":
        fund_draw = np.minimum(gap, np.maximum(fund_left, 0.0))
    else:
        fund_draw = np.zeros_like(gap)
    adjustment = cut_in_proportion(need, gap - fund_draw, _adjustable(scenario))
    return Executed(need - adjustment, reserve_used, adjustment)


def project_execution(scenario, funded_projects) -> tuple[np.ndarray, np.ndarray]:
    """Project money funded but not paid within the year.

    ``funded_projects`` (draws, k) is what the year funded of the project tiers.
    ``policy.project_execution_rate`` of it is paid; of the rest
    ``policy.project_carryover_share`` is carried over and paid next year (结转), the other
    part lapses (结余) into the stabilisation fund. Returns the unspent money by tier, (draws,
    k), and the carried part, (draws,).
    """
    unspent = (1.0 - value(scenario, "policy.project_execution_rate", ndim=2)) * funded_projects
    return unspent, value(scenario, "policy.project_carryover_share") * unspent.sum(axis=1)
