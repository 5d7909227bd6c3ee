"""What the months gone by tell the engine: unforeseen deltas and the treasury's anchor.

A re-forecast is an ordinary projection of the scenario with two inputs the engine already
understands or takes as a plain record (model.md §11, *Re-forecast on actuals*):

- **deltas** (万元, ``(draws, years, 12)``): in each closed month, the actual receipt of a
  revenue line (tax, non-tax, general transfers, land sales) less what the plan expected,
  and the actual payment of a tier (wages, livelihood, operations, clearing, key projects,
  non-rigid, 三公) less the plan's. They are not foreseen by the budget: a shortfall meets
  the budget adopted on the plan's resources, first at the bottom of the waterfall. A tier's
  payment delta enters its need divided by the share of its year the plan paid, so that the
  tier pays the actual amount when that share does not change.
- **the anchor** (:func:`treasury_anchor`, the engine's ``anchor``,
  :mod:`fiscal_sim.engine.anchor`): the state of every closed month, the model following
  from the last one on: month-end cash and payments deferred (the engine records the
  anchored net position less the modelled one in ``months["cash_anchor_adjustment"]``: what
  moved cash on lines the deltas do not track); whether payroll was covered
  (:func:`payroll_covered`); what each tier paid, so that the year's cut falls on the months
  left; the month-end advance balances, legacy and new, from which the advance ledger goes
  on; the headcount, from which the staff path goes on; the SME arrears paid so far, from
  which the year's arrears payments go on (tier 5's delta is then what it paid besides
  arrears).

Receipts outside those lines (earmarked transfers, bond proceeds, other receipts) and debt
service enter only through the anchor: the model keeps their annual paths, so their actual
months move cash but not the budget.
"""

from __future__ import annotations

import numpy as np

from fiscal_sim.actuals.layout import KEYS, RECEIPTS
from fiscal_sim.actuals.plan import SPENT_TIERS, plan_lines
from fiscal_sim.engine.anchor import STOCKS
from fiscal_sim.engine.paths import REVENUE_PROFILES
from fiscal_sim.params.schema import TIERS

PAID_TIERS = (*SPENT_TIERS, "clearing")


def closed_year(scenario, actuals) -> int:
    """The index of the actuals' budget year among the projection years."""
    years = [int(year) for year in scenario.years]
    if actuals.year not in years:
        from fiscal_sim.errors import Bilingual, ScenarioError

        raise ScenarioError(
            actuals.file,
            None,
            Bilingual(
                "执行数是 {year} 年的，不在 {scenario} 的预测期 {first}–{last} 之内",
                "the actuals are of {year}, outside the projection years "
                "{first}–{last} of {scenario}",
                year=actuals.year,
                first=years[0],
                last=years[-1],
                scenario=scenario.name,
            ),
        )
    return years.index(actuals.year)


def restart_deltas(plan, actuals) -> dict[str, np.ndarray]:
    """The deltas that make the closed months of ``plan`` what the treasury recorded.

    ``plan`` is the projection the actuals are compared against (one draw, or the shocked
    draws of a Monte Carlo run: each draw gets its own deltas).
    """
    t = closed_year(plan.scenario, actuals)
    months = actuals.as_of
    lines = plan_lines(plan)
    shape = lines["tax"].shape
    frame = actuals.frame
    deltas = {}
    for line in REVENUE_PROFILES:
        delta = np.zeros(shape)
        delta[:, t, :months] = frame[line].to_numpy() - lines[line][:, t, :months]
        deltas[line] = delta
    need, paid = plan.tiers["need"], plan.tiers["paid"]
    share = np.divide(paid, need, out=np.ones_like(need), where=need > 0)
    arrears = frame["arrears_paid"].to_numpy(dtype=float)
    for tier in PAID_TIERS:
        delta = np.zeros(shape)
        gap = frame[tier].to_numpy() - lines[tier][:, t, :months]
        if tier == "clearing" and not np.isnan(arrears).any():
            # The arrears restart their own ledger (the anchor's arrears_paid): tier 5's
            # delta is the rest of what it paid.
            gap = gap - (arrears - lines["arrears_paid"][:, t, :months])
        paid_share = share[:, t, TIERS.index(tier), None]
        delta[:, t, :months] = np.divide(
            gap, paid_share, out=np.zeros_like(gap), where=paid_share > 0
        )
        deltas[tier] = delta
    return deltas


def payroll_covered(plan, actuals) -> np.ndarray:
    """Whether each closed month's payroll was covered, from the treasury's own figures: 1
    where its opening cash plus the month's receipts reach the month's payroll as the plan
    has it (the wage need of ``plan``, OPS.4.3.3), 0 where payroll was at risk.

    The model's own test (:func:`fiscal_sim.engine.treasury.run_treasury`) on the actual cash.
    """
    t = closed_year(plan.scenario, actuals)
    frame = actuals.frame
    available = frame["opening_cash"].to_numpy() + frame[list(RECEIPTS)].sum(axis=1).to_numpy()
    due = np.asarray(plan.extra["monthly_need"]["wages"])[0, t, : actuals.as_of]
    return (available + 1e-9 >= due).astype(float)


def closed_months(plan, actuals) -> dict[str, np.ndarray]:
    """The treasury's figures of the closed months by column of the layout, ``(years, 12)``,
    NaN in the months the model follows and in a cell the treasury left empty.

    :func:`~fiscal_sim.actuals.plan.plan_lines` shows them as a re-forecast's closed months
    in every draw: the engine's cash is anchored, but the lines it does not follow
    (earmarked and fund spending, other receipts and payments) are the model's, and in a
    Monte Carlo run they move with each draw's shocks of the year (model.md §11).
    """
    t = closed_year(plan.scenario, actuals)
    years = len(plan.scenario.years)
    out = {}
    for key in KEYS:
        array = np.full((years, 12), np.nan)
        array[t, : actuals.as_of] = actuals.frame[key].to_numpy(dtype=float)
        out[key] = array
    return out


def treasury_anchor(plan, actuals) -> dict:
    """The state of the closed months, the engine's ``anchor`` (:mod:`fiscal_sim.engine.anchor`,
    :func:`fiscal_sim.engine.run`): month-end cash and payments deferred, payroll cover
    (:func:`payroll_covered`), each tier's payments, the advance balances and the headcount,
    ``(years, 12)``, NaN in the months the model follows.

    Payments deferred left empty in a closed month are taken as none; an advance balance or
    a headcount left empty is not restarted in that month (the last month given in the year
    is).
    """
    scenario = plan.scenario
    t = closed_year(scenario, actuals)
    years, months = len(scenario.years), actuals.as_of
    frame = actuals.frame

    def closed(values) -> np.ndarray:
        array = np.full((years, 12), np.nan)
        array[t, :months] = values
        return array

    return {
        "cash": closed(frame["closing_cash"].to_numpy()),
        "deferred_payments": closed(np.nan_to_num(frame["deferred_payments"].to_numpy())),
        "wage_covered": closed(payroll_covered(plan, actuals)),
        "tier_payments": {tier: closed(frame[tier].to_numpy()) for tier in PAID_TIERS},
        **{stock: closed(frame[stock].to_numpy()) for stock in STOCKS},
        "headcount": closed(frame["headcount"].to_numpy()),
        "arrears_paid": closed(frame["arrears_paid"].to_numpy()),
    }
