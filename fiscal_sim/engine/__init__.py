"""The pure projection engine: a validated scenario in, a plain :class:`EngineRun` out.

No file, network, printing, plotting or global random state here, and nothing from the layers
above (the :class:`~fiscal_sim.results.Projection` people read is built from the record in
:mod:`fiscal_sim.results`). Every array carries a leading draw axis, so a Monte Carlo run or a
batch goes through the same code as one deterministic draw.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fiscal_sim.engine.anchor import cut_not_absorbed, read_anchor, restart_arrears_months
from fiscal_sim.engine.debt import debt_path
from fiscal_sim.engine.finite import check_finite, first_non_finite
from fiscal_sim.engine.ledgers import arrears_owed_by_month, run_ledgers
from fiscal_sim.engine.paths import (
    DELTA_LINES,
    MONTHS,
    SHOCK_LINES,
    base_needs,
    monthly_needs,
    people_paths,
    restart_headcount,
    revenue_paths,
)
from fiscal_sim.engine.treasury import CASH_CLASSES, cash_flows, run_treasury
from fiscal_sim.engine.values import as_number, is_stacked, over_draws, value
from fiscal_sim.errors import Bilingual, FiscalSimError
from fiscal_sim.params.schema import TIERS

__all__ = [
    "CASH_CLASSES",
    "DELTA_LINES",
    "SHOCK_LINES",
    "TIERS",
    "EngineRun",
    "run",
]

SANBAO = [TIERS.index(t) for t in ("wages", "livelihood", "operations")]


@dataclass(frozen=True)
class EngineRun:
    """The arrays of one engine pass, each with a leading draw axis; money in 万元.

    ``annual[name]`` is (draws, years); ``tiers[name]`` is (draws, years, 8) in ``TIERS``
    order; ``months[name]`` is (draws, years, 12); ``monthly_need[tier]`` is the planned need
    of a tier month by month, ([draws,] years, 12). ``base`` holds base-year figures (needs,
    headcount, advance balance).
    """

    scenario: object
    annual: dict
    tiers: dict
    months: dict
    base: dict
    monthly_need: dict


def _draw_count(shocks: dict, deltas: dict, draws: int | None) -> int:
    sizes = {a.shape[0] for a in shocks.values()} | {
        a.shape[0] for a in deltas.values() if a.ndim == 3
    }
    if draws is not None:
        sizes.add(draws)
    sizes.discard(1)
    if len(sizes) > 1:
        raise FiscalSimError(
            Bilingual(
                "抽样次数不一致：{sizes}",
                "inconsistent numbers of draws: {sizes}",
                sizes=sorted(sizes),
            )
        )
    return sizes.pop() if sizes else 1


def _normalise(scenario, shocks, deltas, draws):
    n_years = len(scenario.years)
    shocks = {k: np.atleast_2d(np.asarray(a, dtype=float)) for k, a in (shocks or {}).items()}
    deltas = {k: np.asarray(a, dtype=float) for k, a in (deltas or {}).items()}
    for key in shocks:
        if key not in SHOCK_LINES:
            raise FiscalSimError(
                Bilingual(
                    "未知冲击项目 {key!r}；应为 {lines} 之一",
                    "unknown shock line {key!r}; expected one of {lines}",
                    key=key,
                    lines=SHOCK_LINES,
                )
            )
        if shocks[key].shape[-1] != n_years:
            raise FiscalSimError(
                Bilingual(
                    "冲击 {key!r} 的最后一维应有 {n_years} 个年度",
                    "shock {key!r} must have {n_years} years on its last axis",
                    key=key,
                    n_years=n_years,
                )
            )
    for key in deltas:
        if key not in DELTA_LINES:
            raise FiscalSimError(
                Bilingual(
                    "未知调整项目 {key!r}；应为 {lines} 之一",
                    "unknown delta line {key!r}; expected one of {lines}",
                    key=key,
                    lines=DELTA_LINES,
                )
            )
        if deltas[key].shape[-2:] != (n_years, MONTHS):
            raise FiscalSimError(
                Bilingual(
                    "调整 {key!r} 的形状应为（年数, 12）=（{n_years}, 12）",
                    "delta {key!r} must have shape (years, 12) = ({n_years}, 12)",
                    key=key,
                    n_years=n_years,
                )
            )
    # Deltas keep a draw axis of 1 unless they vary by draw: numpy broadcasts them.
    full = {key: np.zeros((1, n_years, MONTHS)) for key in DELTA_LINES}
    foreseen = {key: np.zeros((1, n_years, MONTHS)) for key in DELTA_LINES}
    for key, (array, known) in _measures(scenario).items():
        full[key] = full[key] + array
        foreseen[key] = foreseen[key] + known
    # Deltas given to run() (stress tests, the Monte Carlo, actuals) arrive during the year:
    # the next year's budget expects them again, as it carries the outturn forward.
    for key, array in deltas.items():
        array = array if array.ndim == 3 else array[None]
        full[key] = full[key] + array
        foreseen[key] = foreseen[key] + np.concatenate(
            [np.zeros_like(array[:, :1]), array[:, :-1]], axis=1
        )
    count = _draw_count(shocks, full, draws)
    shocks = {k: np.broadcast_to(a, (count, n_years)) for k, a in shocks.items()}
    return shocks, full, foreseen, count


def _measures(scenario) -> dict:
    """``{line: (deltas, foreseen deltas)}`` of the scenario's measures, each (years, 12);
    in a stack, each member's own, (draws, years, 12) (zeros for a member without them)."""
    # A Monte Carlo's drawn parameters do not resize its measures: the central values do.
    members = (
        scenario.members
        if is_stacked(scenario)
        else (getattr(scenario, "central", None) or scenario,)
    )
    if not any(member.extra.get("measures") for member in members):
        return {}
    from fiscal_sim.engine.measures import measure_deltas

    each = []
    for member in members:
        deltas = measure_deltas(member) if member.extra.get("measures") else {}
        # A measure is foreseen by the budgets of the years after it was decided (§3a).
        known = np.asarray(member.years) > member.value("policy.measures_decided")
        each.append({key: (array, array * known[:, None]) for key, array in deltas.items()})
    if not is_stacked(scenario):
        return each[0]
    zero = np.zeros((len(scenario.years), MONTHS))
    lines = sorted({key for deltas in each for key in deltas})
    return {
        key: tuple(
            np.stack([deltas.get(key, (zero, zero))[part] for deltas in each]) for part in (0, 1)
        )
        for key in lines
    }


def _annual_needs(monthly_need: dict, deltas: dict, shape) -> dict:
    """Each tier's annual need (draws, years); tier 5 by its deltas (the rest is the ledgers')."""
    annual = {
        tier: np.broadcast_to(monthly_need[tier].sum(axis=-1), shape)
        for tier in TIERS
        if tier != "clearing"
    }
    annual["clearing"] = np.broadcast_to(deltas["clearing"].sum(axis=-1), shape)
    return annual


def _lagged(shocks: dict) -> dict:
    """Growth shocks as a budget knows them at adoption: up to the year before (§3a)."""
    return {
        line: np.concatenate([np.zeros_like(a[:, :1]), a[:, :-1]], axis=1)
        for line, a in shocks.items()
    }


def _run(scenario, shocks, deltas, foreseen, count: int, anchor=None, compiled=False):
    """One pass of the engine over normalised shocks and deltas (see :func:`run`)."""
    revenue = revenue_paths(scenario, shocks, deltas, count)
    expected = revenue_paths(scenario, _lagged(shocks), foreseen, count, ex_ante=True)
    people = foreseen_people = people_paths(scenario)
    if anchor is not None and anchor.headcount:
        people = restart_headcount(foreseen_people, anchor.headcount)
        foreseen_people = restart_headcount(foreseen_people, anchor.headcount, ex_ante=True)
    general = debt_path(scenario, "general", count)
    special = debt_path(scenario, "special", count)
    monthly_need = monthly_needs(scenario, people, general, deltas)
    shape = (count, len(scenario.years))
    needs = _annual_needs(monthly_need, deltas, shape)
    foreseen_needs = _annual_needs(
        monthly_needs(scenario, foreseen_people, general, foreseen), foreseen, shape
    )
    annual, tiers = run_ledgers(
        scenario,
        revenue,
        expected,
        needs,
        foreseen_needs,
        general,
        special,
        count,
        restart=anchor.stocks if anchor is not None else None,
        arrears_restart=anchor.arrears_paid if anchor is not None else None,
        compiled=compiled and not is_stacked(scenario),
    )
    receipts, payments, payroll = cash_flows(
        scenario, revenue, annual, tiers, monthly_need, general, special, deltas, anchor
    )
    months = run_treasury(scenario, receipts, payments, payroll, anchor, compiled)
    months.update(arrears_owed_by_month(scenario, annual))
    # What the closed months paid of each kind: the ledgers' record for the months, not a line.
    so_far = {part: annual.pop(f"arrears_{part}_paid_so_far") for part in ("small", "other")}
    for t, months_paid in (anchor.arrears_paid if anchor is not None else {}).items():
        for part in ("small", "other"):  # the restarted year as the treasury paid it
            owed, paid = annual[f"arrears_{part}_owed"][:, t], annual[f"arrears_{part}_paid"][:, t]
            months[f"arrears_{part}_owed"][:, t] = restart_arrears_months(
                owed + paid,
                owed,
                so_far[part][:, t],
                months_paid,
                value(scenario, f"arrears.{part}_profile", ndim=2),
            )
    return annual, tiers, months, revenue, people, general, special, monthly_need


def _one_draw(shocks: dict, deltas: dict, draw: int) -> tuple[dict, dict]:
    """The shocks and deltas of one draw (for naming the input behind a non-finite figure)."""

    def pick(array, axes: int):
        array = np.asarray(array, dtype=float)
        return array[draw : draw + 1] if array.ndim == axes and array.shape[0] > 1 else array

    return (
        {key: pick(np.atleast_2d(array), 2) for key, array in shocks.items()},
        {key: pick(array, 3) for key, array in deltas.items()},
    )


def _check_members(stacked, groups: dict) -> None:
    """A figure of a stack that is not finite is its member's: that member projected alone
    raises its own error (naming its file and the input behind it)."""
    found = first_non_finite(groups)
    if found is None:
        return
    figure, draw, _ = found
    member = stacked.members[draw]
    run(member)
    raise FiscalSimError(  # the member alone was finite: say so rather than pass it on
        Bilingual(
            "叠加情景 {draw}（{name}）的预测值 {figure} 在叠加中不是有限数，单独预测时却是有限数",
            "the projected {figure} of stacked scenario {draw} ({name}) is not a finite "
            "number in the stack, though it is when projected alone",
            figure=figure,
            draw=draw,
            name=member.name,
        )
    )


# A zero a ratio divides by is not a warning but an error naming the input (check_finite).
@np.errstate(divide="ignore", invalid="ignore", over="ignore")
def run(
    scenario, shocks=None, deltas=None, draws: int | None = None, anchor=None, compiled=False
) -> EngineRun:
    """Project the county budget year by year and month by month, as plain arrays.

    Parameters
    ----------
    scenario
        A :class:`~fiscal_sim.scenario.Scenario` from :func:`fiscal_sim.load_scenario`.
    shocks
        Optional ``{line: array (draws, years)}`` of shocks to log growth for
        ``tax, nontax, general_transfers, land_sales`` (the Monte Carlo enters here).
    deltas
        Optional ``{line: array ([draws,] years, 12)}`` in 万元 added to a revenue line
        (``tax, nontax, general_transfers, land_sales``) or to the planned spending of a tier
        (``wages, livelihood, operations, clearing, key_projects, non_rigid, three_public``).
    draws
        Number of identical draws when neither shocks nor deltas set it (default 1).
    anchor
        Optional state to start from at a given month, ``{"cash": (years, 12), ...}`` in 万元,
        NaN in the months the model follows (a re-forecast's closed months,
        :func:`fiscal_sim.restart.inputs.treasury_anchor`; the keys in
        :mod:`fiscal_sim.engine.anchor`): where it is a number, month-end cash and payments
        deferred, payroll cover, the tiers' payments, the advance balances and the headcount
        are the anchor's in every draw and the months after follow the model from there; the
        difference from the model is ``months["cash_anchor_adjustment"]`` and, for the
        advance stocks, ``annual["legacy_restart_adjustment"]`` and
        ``annual["new_advances_restart_adjustment"]``; what the closed months paid beyond a
        tier's year is ``annual["cut_not_absorbed"]`` (model.md §11).
    compiled
        Run the loops over months and years in the compiled kernels of
        :mod:`fiscal_sim.engine.kernels` where they apply (the Monte Carlo's chunks; numba is
        imported then): the same numbers, bit for bit, in less time at many draws.

    Returns
    -------
    EngineRun
        :func:`fiscal_sim.project` wraps it in a :class:`~fiscal_sim.results.Projection`.

    Raises
    ------
    ScenarioError
        When a projected figure is not a finite number, naming the input that causes it
        (:mod:`fiscal_sim.engine.finite`).

    Examples
    --------
    >>> import fiscal_sim
    >>> record = run(fiscal_sim.load_scenario())
    >>> record.annual["tax"].shape, record.tiers["need"].shape, record.months["cash"].shape
    ((1, 7), (1, 7, 8), (1, 7, 12))
    >>> round(record.annual["legacy_advances"][0, 0]), round(record.annual["legacy_advances"][0, 4])
    (13600, 0)
    """
    if is_stacked(scenario):
        from fiscal_sim.stacking import check_projectable

        check_projectable(scenario, shocks, deltas, draws, anchor)
        draws = len(scenario.members)
    given = (shocks or {}, deltas or {})  # for rerunning one draw if a figure is not finite
    shocks, deltas, foreseen, count = _normalise(scenario, shocks, deltas, draws)
    restart = read_anchor(anchor, len(scenario.years))
    annual, tiers, months, revenue, people, general, special, monthly_need = _run(
        scenario, shocks, deltas, foreseen, count, restart, compiled
    )
    shape = (count, len(scenario.years))
    payroll = months["payroll"]
    annual.update({name: revenue[name] for name in revenue})
    annual.update({name: over_draws(people[name], shape) for name in ("headcount", "retirees")})
    annual["payroll"] = payroll.sum(axis=-1)
    annual["own_revenue"] = revenue["tax"] + revenue["nontax"]
    annual["self_sufficiency"] = annual["own_revenue"] / annual["gpb_expenditure"]
    annual["general_bond_new"], annual["general_bond_refi"] = (
        general["new_issue"],
        general["refinanced"],
    )
    annual["special_bond_new"], annual["special_bond_refi"] = (
        special["new_issue"],
        special["refinanced"],
    )
    annual["general_interest"], annual["special_interest"] = (
        general["interest"],
        special["interest"],
    )
    # Principal the budget left unpaid stays on the balance (OPS.4.4.2).
    annual["general_debt"] = general["balance"] + annual["debt_principal_unpaid"]
    annual["special_debt"] = special["balance"]
    annual["general_ceiling"], annual["special_ceiling"] = general["ceiling"], special["ceiling"]
    annual["debt_total"] = annual["general_debt"] + annual["special_debt"]
    annual["comprehensive_capacity"] = (
        annual["own_revenue"]
        + revenue["rebates"]
        + revenue["general_transfers"]
        + revenue["earmarked_transfers"]
        + annual["gfb_revenue"]
    )
    annual["debt_ratio"] = annual["debt_total"] / annual["comprehensive_capacity"]
    annual["advance_ratio"] = annual["advance_balance"] / (
        annual["gpb_expenditure"] + annual["gfb_expenditure"]
    )
    legacy0 = value(scenario, "advances.legacy", ndim=2)
    annual["legacy_digested_cum"] = legacy0 - annual["legacy_advances"]
    # The plan's target (OPS.4.3.1): the end-of-base-year stock digested in equal parts by the
    # deadline, whatever schedule the scenario itself follows (model.md §5, domain brief §2.2).
    deadline = value(scenario, "rules.legacy_deadline_year", ndim=2)
    elapsed = np.asarray(scenario.years, dtype=float) - scenario.base_year
    share = np.minimum(elapsed / np.maximum(deadline - scenario.base_year, 1), 1.0)
    annual["legacy_target_cum"] = over_draws(legacy0 * share, shape)
    annual["sanbao_need"] = tiers["need"][:, :, SANBAO].sum(axis=-1)
    annual["sanbao_shortfall"] = tiers["shortfall"][:, :, SANBAO].sum(axis=-1)
    annual["planned_non_rigid"] = tiers["need"][:, :, TIERS.index("non_rigid")]
    annual["planned_three_public"] = tiers["need"][:, :, TIERS.index("three_public")]
    annual["cash_year_end"] = months["cash"][:, :, -1]
    # How far the treasury's actual months moved cash from the model in the year (model.md §11):
    # without an anchor, nothing.
    annual["cash_anchor_adjustment"] = (
        months["cash_anchor_adjustment"].sum(axis=-1) if restart is not None else np.zeros(shape)
    )
    annual["cut_not_absorbed"] = cut_not_absorbed(restart, tiers["paid"])
    annual["cash_cover_min_months"] = months["cash_level"].min(axis=-1)
    annual["wage_risk_months"] = (months["wage_covered"] < 0.5).sum(axis=-1).astype(float)

    base = dict(base_needs(scenario))
    base["headcount"] = as_number(value(scenario, "people.staff"))
    base["advance_balance"] = as_number(value(scenario, "advances.legacy"))
    needs_by_month = {tier: need for tier, need in monthly_need.items() if tier in TIERS}
    groups = {"annual": annual, "tiers": tiers, "months": months}
    if is_stacked(scenario):
        _check_members(scenario, groups)
    else:
        check_finite(
            scenario,
            groups,
            lambda trial, draw: run(trial, *_one_draw(*given, draw), anchor=anchor),
        )
    return EngineRun(
        scenario=scenario,
        annual=annual,
        tiers=tiers,
        months=months,
        base=base,
        monthly_need=needs_by_month,
    )
