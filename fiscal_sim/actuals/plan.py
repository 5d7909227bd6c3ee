"""The plan's own months in the actuals layout: what a projection expects the treasury to see.

:func:`plan_lines` splits the engine's monthly receipts and payments into the columns of the
layout (``layout.yaml`` says where each comes from), every array ``(draws, years, 12)``;
their sums are the engine's ``months["receipts"]`` and the cash paid, so that opening cash +
receipts − payments = closing cash holds month by month. :func:`plan_months` is one year of
them as a DataFrame, through a month (``projection.actuals(through="2020-06")``).

The model books advances by year: the plan's month-end advance balances are the year's
change in equal monthly parts (advances are issued and recovered evenly, model.md §6).
"""

from __future__ import annotations

import numpy as np

from fiscal_sim.actuals.layout import KEYS, MONTH_KEY, month_text
from fiscal_sim.engine.paths import MONTHS, REVENUE_PROFILES
from fiscal_sim.engine.treasury import paid_in_months_left
from fiscal_sim.errors import Bilingual, FiscalSimError, outside_horizon
from fiscal_sim.params.schema import TIERS

SPENT_TIERS = ("wages", "livelihood", "operations", "key_projects", "non_rigid", "three_public")


class MonthError(FiscalSimError, ValueError):
    """A month that is not one (``2020-13``) or not of the projection; a ValueError too."""


def parse_month(text) -> tuple[int, int]:
    """``"2020-06"`` (or ``(2020, 6)``) -> ``(2020, 6)``.

    Examples
    --------
    >>> parse_month("2020-06"), parse_month((2019, 12))
    ((2020, 6), (2019, 12))
    """
    if isinstance(text, tuple):
        year, month = text
    else:
        year, dash, month = str(text).strip().partition("-")
        if not dash or not year.isdigit() or not month.isdigit():
            raise MonthError(
                Bilingual(
                    "应为 YYYY-MM 格式的月份，如 2020-06，实为 {text!r}",
                    "expected a month as YYYY-MM, e.g. 2020-06, got {text!r}",
                    text=text,
                )
            )
    year, month = int(year), int(month)
    if not 1 <= month <= MONTHS:
        raise MonthError(
            Bilingual(
                "{text!r} 的月份 {month} 应在 1 到 12 之间",
                "month {month} of {text!r} is not between 1 and 12",
                month=month,
                text=text,
            )
        )
    return year, month


def projection_deltas(projection) -> dict:
    """The monthly deltas the projection ran with: its own record, else the measures'."""
    recorded = projection.extra.get("deltas")
    if recorded is not None:
        return recorded
    if not projection.scenario.extra.get("measures"):
        return {}
    from fiscal_sim.engine.measures import measure_deltas

    return measure_deltas(projection.scenario)


def plan_lines(projection) -> dict[str, np.ndarray]:
    """Every column of the layout, ``(draws, years, 12)``, from the projection's arrays."""
    scenario, annual, months = projection.scenario, projection.annual, projection.months
    shape = months["cash"].shape
    deltas = projection_deltas(projection)

    def profile(path):
        return np.asarray(scenario.value(path), dtype=float)

    def spread(values, path):
        return np.broadcast_to(np.asarray(values)[..., None] * profile(path), shape)

    def delta(line):
        return np.broadcast_to(np.asarray(deltas.get(line, 0.0), dtype=float), shape)

    lines = {}
    for line, path in REVENUE_PROFILES.items():
        trend = annual[line] - delta(line).sum(axis=-1)
        if line == "general_transfers":
            trend = trend - annual["settlement_deduction"]
        lines[line] = spread(trend, path) + delta(line)
    lines["earmarked_transfers"] = spread(
        annual["earmarked_transfers"], "profiles.earmarked_transfers"
    )
    lines["general_bonds"] = spread(annual["general_bond_new"], "profiles.general_bonds")
    lines["special_bonds"] = spread(annual["special_bond_new"], "profiles.special_bonds")
    lines["other_receipts"] = spread(
        sum(
            annual[name]
            for name in (
                "rebates",
                "other_fund_revenue",
                "legacy_recovered",
                "new_advances_repaid",
                "overdue_recovered",
            )
        ),
        "profiles.even",
    )

    need, paid = projection.tiers["need"], projection.tiers["paid"]
    ratio = np.divide(paid, need, out=np.ones_like(need), where=need > 0)
    monthly_need = projection.extra["monthly_need"]
    closed = (projection.extra.get("anchor") or {}).get("tier_payments", {})
    for tier in SPENT_TIERS:
        # As the engine pays them (engine/treasury.py): the tier's monthly need times the
        # year's payments over its planned need, a re-forecast's closed months as the
        # treasury paid them; a payment with no planned month (room the budget arranged for a
        # tier planned at 0) by the projects profile.
        planned = monthly_need[tier].sum(axis=-1)
        tier_paid = paid[:, :, TIERS.index(tier)]
        share = np.divide(tier_paid, planned, out=np.zeros(tier_paid.shape), where=planned > 0)
        by_need = monthly_need[tier] * share[..., None]
        if tier in closed:
            by_need = paid_in_months_left(monthly_need[tier], tier_paid, closed[tier])
        lines[tier] = np.broadcast_to(
            by_need + spread(np.where(planned > 0, 0.0, tier_paid), "profiles.projects"), shape
        )
    lines["debt_service"] = spread(paid[:, :, TIERS.index("debt_service")], "profiles.even")
    arrears = (
        spread(annual["arrears_small_paid"], "arrears.small_profile")
        + spread(annual["arrears_other_paid"], "arrears.other_profile")
        + spread(annual["gap_arrears_paid"], "profiles.even")
    )
    lines["arrears_paid"] = arrears
    lines["clearing"] = arrears + delta("clearing") * ratio[:, :, TIERS.index("clearing"), None]
    treasury = projection.extra.get("actuals", {}).get("closed", {})
    if "clearing" in closed:  # as engine/treasury.py pays it in a re-forecast; arrears alike
        for line, given in (("clearing", closed["clearing"]), ("arrears_paid", None)):
            given = treasury.get(line) if given is None else given
            if given is not None:
                year = lines[line].sum(axis=-1)
                lines[line] = paid_in_months_left(lines[line], year, given)
    deferred = months["deferred_payments"]
    deferred_before = _month_before(deferred, 0.0)
    lines["other_payments"] = (
        spread(annual["earmarked_spending"], "profiles.earmarked_spending")
        + spread(annual["special_bond_projects"], "profiles.special_bonds")
        + spread(annual["land_acquisition"], "profiles.land_sales")
        + spread(
            annual["remittance"]
            + annual["gfb_debt_service"]
            + annual["gfb_other_programmes"]
            + annual["new_advances_issued"]
            + annual["upper_support_repaid"],
            "profiles.even",
        )
        + spread(annual["project_carryover_spent"], "profiles.projects")
        + deferred_before
        - deferred
    )
    # What a treasury anchor moved (a re-forecast's closed months, model.md §11) is cash on
    # lines the model does not follow: other receipts when it added cash, other payments when
    # it took some, so that the months keep the cash identity.
    anchored = months.get("cash_anchor_adjustment")
    if anchored is not None:
        lines["other_receipts"] = lines["other_receipts"] + np.maximum(anchored, 0.0)
        lines["other_payments"] = lines["other_payments"] + np.maximum(-anchored, 0.0)
    lines["closing_cash"] = months["cash"]
    lines["opening_cash"] = _month_before(months["cash"], scenario.value("treasury.opening_cash"))
    lines["deferred_payments"] = deferred
    legacy = annual["legacy_advances"]
    legacy_opening = _year_before(legacy, scenario.value("advances.legacy"))
    new = annual["advance_balance"] - legacy
    anchor = projection.extra.get("anchor") or {}
    lines["legacy_advances"] = _stock_months(legacy_opening, legacy, anchor.get("legacy_advances"))
    lines["new_advances"] = _stock_months(_year_before(new, 0.0), new, anchor.get("new_advances"))
    lines["headcount"] = np.broadcast_to(annual["headcount"][..., None], shape)
    # A re-forecast's closed months are the treasury's, every column in every draw.
    out = {}
    for key in KEYS:
        out[key] = np.array(lines[key], dtype=float)
        if key in treasury:
            given = ~np.isnan(treasury[key])
            out[key][:, given] = treasury[key][given]
    return out


def _month_before(array: np.ndarray, first) -> np.ndarray:
    """``array`` (draws, years, 12) moved one month later, ``first`` in the first month."""
    flat = array.reshape(array.shape[0], -1)
    before = np.concatenate([np.full((flat.shape[0], 1), float(first)), flat[:, :-1]], axis=1)
    return before.reshape(array.shape)


def _year_before(array: np.ndarray, first) -> np.ndarray:
    return np.concatenate([np.full((array.shape[0], 1), float(first)), array[:, :-1]], axis=1)


def _in_equal_parts(opening: np.ndarray, closing: np.ndarray) -> np.ndarray:
    share = np.arange(1, MONTHS + 1) / MONTHS
    return opening[..., None] + (closing - opening)[..., None] * share


def _stock_months(opening: np.ndarray, closing: np.ndarray, anchored) -> np.ndarray:
    """Month-end balances of a stock booked by year, (draws, years, 12): the year's change in
    equal monthly parts; in a year the projection was restarted in (the anchor's
    ``legacy_advances`` or ``new_advances``, :mod:`fiscal_sim.engine.anchor`), the balances
    given up to the last of them, in equal parts from it to the year end after it."""
    months = _in_equal_parts(opening, closing)
    if anchored is None:
        return months
    anchored = np.asarray(anchored, dtype=float)
    for t, row in enumerate(anchored):
        given = np.flatnonzero(~np.isnan(row))
        if not len(given):
            continue
        last = int(given[-1])
        share = np.arange(1, MONTHS - last) / (MONTHS - 1 - last)
        months[:, t, last + 1 :] = row[last] + (closing[:, t, None] - row[last]) * share
        months[:, t, given] = row[given]
    return months


def plan_months(projection, through=None, *, draw: int = 0):
    """The months of one year a projection expects, in the actuals layout (a DataFrame).

    Parameters
    ----------
    projection
        A :class:`~fiscal_sim.results.Projection`.
    through
        The last month, ``"2020-06"``; default: December of the first projection year.
    draw
        The draw to read.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``month`` (``2020-01`` …), one column per key of the layout, in 万元
        (headcount in persons). ``attrs`` record the as-of month, scenario and hash.

    Examples
    --------
    >>> import fiscal_sim
    >>> plan = fiscal_sim.project(fiscal_sim.load_scenario()).actuals(through="2020-06")
    >>> list(plan.index[[0, -1]]), plan.columns[0]
    (['2020-01', '2020-06'], 'opening_cash')
    >>> from fiscal_sim.actuals.layout import PAYMENTS, RECEIPTS
    >>> row = plan.iloc[2]
    >>> identity = row.opening_cash + row[list(RECEIPTS)].sum() - row[list(PAYMENTS)].sum()
    >>> bool(abs(identity - row.closing_cash) < 1e-6)
    True
    """
    import pandas as pd

    years = [int(year) for year in projection.scenario.years]
    year, last = parse_month(through) if through is not None else (years[0], MONTHS)
    if year not in years:
        raise MonthError(outside_horizon(month_text(year, last), years))
    t = years.index(year)
    lines = plan_lines(projection)
    frame = pd.DataFrame(
        {key: lines[key][draw, t, :last] for key in KEYS},
        index=pd.Index([month_text(year, m) for m in range(1, last + 1)], name=MONTH_KEY),
    )
    frame.attrs.update(
        as_of=month_text(year, last),
        year=year,
        scenario=projection.scenario.name,
        hash=projection.scenario.hash,
    )
    return frame
