"""Exogenous paths over the projection years: revenue, people, and the need of each tier.

Everything here is vectorised over (draws, years); nothing depends on the budget outcome of an
earlier year, so no year loop is needed (the ledgers that do depend on it are in ledgers.py).
"""

from __future__ import annotations

import numpy as np

from fiscal_sim.engine.values import over_draws, per_draw, value, yearly
from fiscal_sim.params.schema import DELTA_LINES
from fiscal_sim.params.shocks import SHOCK_LINES

__all__ = ["DELTA_LINES", "MONTHS", "REVENUE_PROFILES", "SHOCK_LINES"]
MONTHS = 12
# The revenue lines that take monthly deltas (measures, stress levels, actuals), each with the
# monthly profile its trend arrives by.
REVENUE_PROFILES = {
    "tax": "profiles.tax",
    "nontax": "profiles.even",
    "general_transfers": "profiles.general_transfers",
    "land_sales": "profiles.land_sales",
}


def _grow(base: float, growth: np.ndarray, shock=None) -> np.ndarray:
    """``base · Π(1 + growth) · exp(Σ shock)`` along the year axis, shape (draws, years).

    Shocks act on log growth, so a deep shock drives a line towards zero but never below it
    (or to an absorbing zero); for small shocks ``exp(ε) ≈ 1 + ε``.
    """
    level = base * np.cumprod(1.0 + growth, axis=-1)
    if shock is None:
        return level
    return level * np.exp(np.cumsum(shock, axis=-1))


def _level_shock(scenario, path: str, ex_ante: bool) -> np.ndarray:
    """A level shock by year; ex ante, the one of the year before (the outturn the budget of
    a year is drawn up on, model.md §3a)."""
    shock = yearly(scenario, path) + np.zeros(len(scenario.years))
    if not ex_ante:
        return shock
    return np.concatenate([np.zeros_like(shock[..., :1]), shock[..., :-1]], axis=-1)


def revenue_paths(
    scenario, shocks: dict, deltas: dict, draws: int, ex_ante: bool = False
) -> dict[str, np.ndarray]:
    """Tax, non-tax, rebates, transfers, remittance and fund revenue, shape (draws, years).

    ``shocks[line]`` are growth shocks (draws, years) on log growth that compound; level shocks
    in the scenario (``revenue.tax_level_shock``) are one-off deviations from trend that do not.
    ``ex_ante`` gives the paths as a budget expects them at adoption (model.md §3a): the
    caller passes the shocks and deltas it foresees, level shocks are the prior year's, and
    direct funds (直达资金), allotted during the year, are not foreseen.
    """
    shape = (draws, len(scenario.years))

    def v(path):  # a scalar against (draws, years)
        return value(scenario, path, ndim=2)

    def shock(line):
        return shocks.get(line)

    tax_growth = yearly(scenario, "revenue.nominal_growth") * v("revenue.tax_buoyancy")
    tax = _grow(v("revenue.tax"), tax_growth, shock("tax"))
    tax = tax * (1.0 + _level_shock(scenario, "revenue.tax_level_shock", ex_ante)) + deltas[
        "tax"
    ].sum(-1)
    nontax = _grow(v("revenue.nontax"), yearly(scenario, "revenue.nontax_growth"), shock("nontax"))
    nontax = (
        nontax * (1.0 + _level_shock(scenario, "revenue.nontax_level_shock", ex_ante))
        + yearly(scenario, "revenue.asset_disposals")
        + deltas["nontax"].sum(-1)
    )
    general = _grow(
        v("revenue.general_transfers"),
        yearly(scenario, "revenue.general_transfers_growth"),
        shock("general_transfers"),
    )
    direct = 0.0 if ex_ante else yearly(scenario, "revenue.direct_funds")
    general = general + direct + deltas["general_transfers"].sum(-1)
    land = _grow(v("fund.land_sales"), yearly(scenario, "fund.land_growth"), shock("land_sales"))
    land = land * (1.0 + _level_shock(scenario, "fund.land_level_shock", ex_ante)) + deltas[
        "land_sales"
    ].sum(-1)
    paths = {
        "tax": tax,
        "nontax": nontax,
        "rebates": _grow(v("revenue.rebates"), yearly(scenario, "revenue.rebates_growth")),
        "general_transfers": general,
        "earmarked_transfers": _grow(
            v("revenue.earmarked_transfers"), yearly(scenario, "revenue.earmarked_growth")
        ),
        "remittance": _grow(v("revenue.remittance"), yearly(scenario, "revenue.remittance_growth")),
        "land_sales": np.maximum(land, 0.0),
        "other_fund_revenue": _grow(v("fund.other_revenue"), yearly(scenario, "fund.other_growth")),
    }
    for line in ("tax", "nontax", "general_transfers"):
        paths[line] = np.maximum(paths[line], 0.0)
    # Each line grows along its years where its inputs vary (a line no shock reaches is the
    # same in every draw): spread over the draws once, at the end, the same numbers.
    return {line: over_draws(path, shape) for line, path in paths.items()}


def people_paths(scenario) -> dict[str, np.ndarray]:
    """Serving staff, retirees and pay per head over the projection years, shape (years,),
    or (draws, years) when their parameters vary by draw (a stack)."""

    def v(path):  # a scalar against (draws, years)
        return value(scenario, path, ndim=2)

    staff = v("people.staff") * np.cumprod(
        1.0 - yearly(scenario, "people.attrition") + yearly(scenario, "people.hiring"), axis=-1
    )
    retirees = v("people.retirees") + np.cumsum(
        yearly(scenario, "people.retirements") - yearly(scenario, "people.retiree_deaths"),
        axis=-1,
    )
    return {
        "headcount": staff,
        "retirees": np.maximum(retirees, 0.0),
        "pay": _grow(v("pay.average_pay"), yearly(scenario, "pay.growth")),
        "retiree_topup": _grow(
            v("pay.retiree_topup"), yearly(scenario, "pay.retiree_topup_growth")
        ),
    }


def restart_headcount(people: dict, restart: dict, ex_ante: bool = False) -> dict:
    """The staff path restarted from the headcount at the end of a re-forecast's last closed
    month (the anchor's ``headcount``, ``{year index: (months closed, persons)}``; model.md
    §11).

    The months left of that year have the headcount found; the later years follow the
    plan's path scaled by it (``headcount found ÷ the plan's headcount of the year``: the
    plan's attrition and hiring go on from the staff there is). The closed months keep the
    plan's headcount: what they paid is the treasury's, and their need moves by the wage
    deltas. ``ex_ante`` gives the path as the year's budget expects it: the plan's in the
    year found, restarted from the next. Returns ``people`` with ``headcount`` (the
    headcount found in its year) and ``headcount_months``, ([draws,] years, 12).
    """
    staff = np.asarray(people["headcount"], dtype=float)
    annual = staff.copy()
    months = np.repeat(staff[..., None], MONTHS, axis=-1)
    for t, (closed, found) in sorted(restart.items()):
        planned = staff[..., t]
        ratio = np.divide(found, planned, out=np.ones_like(planned), where=planned > 0)
        later = np.where(planned[..., None] > 0, staff[..., t + 1 :] * ratio[..., None], found)
        annual[..., t], annual[..., t + 1 :] = found, later
        months[..., t + 1 :, :] = later[..., None]
        if not ex_ante:
            months[..., t, closed:] = found
    return {**people, "headcount": annual, "headcount_months": months}


def employer_loading(scenario, ndim: int = 1) -> float:
    """Sum of the employer contribution rates on pay (model.md §3: default 0.437); read for
    arrays of ``ndim`` axes (:func:`fiscal_sim.engine.values.value`)."""
    return sum(
        value(scenario, f"pay.loading.{part}", ndim)
        for part in ("pension", "annuity", "medical", "housing", "unemployment", "injury")
    )


def livelihood_base(scenario, ndim: int = 1) -> float:
    """Base-year county-funded livelihood need (万元): Σ recipients × standard × 12 × share;
    read for arrays of ``ndim`` axes (:func:`fiscal_sim.engine.values.value`)."""

    def field(row, name):
        return value(scenario, f"livelihood.programmes.{row}.{name}", ndim)

    return sum(
        field(row, "recipients") * field(row, "standard") * 12 * field(row, "county_share") / 1e4
        for row in scenario.programmes()
    )


def base_needs(scenario) -> dict[str, float]:
    """Tier needs of the base year (万元), rebuilt from the base-year parameters; each
    (draws,) when its parameters vary by draw (a stack)."""

    def v(path):
        return value(scenario, path)

    staff_cost = v("people.staff") * v("pay.average_pay") * (1.0 + employer_loading(scenario))
    return {
        "wages": staff_cost + v("people.retirees") * v("pay.retiree_topup"),
        "livelihood": livelihood_base(scenario),
        "operations": v("people.staff") * v("operations.standard"),
        "key_projects": v("projects.key"),
        "non_rigid": v("projects.non_rigid"),
        "three_public": v("projects.three_public"),
    }


def monthly_needs(scenario, people: dict, debt_general: dict, deltas: dict) -> dict:
    """The monthly need of each tier except clearing, shape (1 or draws, years, 12), in 万元.

    Annual needs are spread by their profiles (wages: equal parts plus December performance
    pay) and the measure deltas, already monthly, are added on top. The draw axis is 1 unless
    a delta or (in a stack) a parameter varies by draw.
    """

    def v(path):  # a scalar against (draws, years), a profile (draws, 12)
        return value(scenario, path, ndim=2)

    even = np.asarray(v("profiles.even"))
    projects = np.asarray(v("profiles.projects"))
    december = np.zeros(MONTHS)
    december[-1] = 1.0
    share_dec = v("pay.december_share")
    staff_profile = (1.0 - share_dec) * np.full(MONTHS, 1.0 / MONTHS) + share_dec * december

    loading = 1.0 + employer_loading(scenario, 2)
    staff_cost = people["headcount"] * people["pay"] * loading
    retiree_cost = people["retirees"] * people["retiree_topup"]
    livelihood = livelihood_base(scenario, 2) * np.cumprod(
        1.0 + yearly(scenario, "livelihood.standard_growth"), axis=-1
    )
    standard = _grow(v("operations.standard"), yearly(scenario, "operations.standard_growth"))
    fixed_costs = yearly(scenario, "operations.fixed_costs")
    operations = people["headcount"] * standard + fixed_costs
    key = _grow(v("projects.key"), yearly(scenario, "projects.key_growth"))
    non_rigid = _grow(v("projects.non_rigid"), -yearly(scenario, "projects.non_rigid_cut"))
    three_public = _grow(v("projects.three_public"), -yearly(scenario, "projects.three_public_cut"))
    debt_service = per_draw(scenario, debt_general["interest"]) + per_draw(
        scenario, debt_general["unrefinanced"]
    )

    def spread(annual, profile):
        """(years,) or (draws, years) by (12,) or (draws, 12): ([draws,] years, 12)."""
        return np.asarray(annual)[..., None] * np.asarray(profile)[..., None, :]

    def with_draw_axis(months):
        return months if months.ndim == 3 else months[None]

    staff_months = spread(staff_cost, staff_profile)
    operations_months = spread(operations, even)
    headcount_months = people.get("headcount_months")
    if headcount_months is not None:  # a re-forecast's headcount (restart_headcount)
        staff_months = headcount_months * spread(people["pay"] * loading, staff_profile)
        operations_months = headcount_months * spread(standard, even) + spread(fixed_costs, even)
    monthly = {
        "wages": staff_months + spread(retiree_cost, even),
        "livelihood": spread(livelihood, even),
        "operations": operations_months,
        "debt_service": spread(debt_service, even),
        "key_projects": spread(key, projects),
        "non_rigid": spread(non_rigid, projects),
        "three_public": spread(three_public, even),
    }
    # A draw axis of 1 unless a measure delta varies by draw; numpy broadcasts the rest.
    out = {
        tier: with_draw_axis(months) + deltas[tier] if tier in deltas else with_draw_axis(months)
        for tier, months in monthly.items()
    }
    out["payroll_staff"] = with_draw_axis(staff_months)
    return out
