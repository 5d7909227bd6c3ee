"""The state a projection starts from at a given month: the anchor (model.md §11).

A re-forecast's closed months are the treasury's (:mod:`fiscal_sim.restart.inputs` builds the
anchor from an actuals file); the engine takes them as a plain record, every array
``(years, 12)`` in 万元, NaN in the months the model follows:

- ``cash`` (needed) and ``deferred_payments``: month-end treasury cash and payments due and
  unpaid; the treasury follows the model from there
  (:func:`fiscal_sim.engine.treasury.run_treasury`).
- ``wage_covered``: 1 where the month's payroll was covered, 0 where it was at risk.
- ``tier_payments``: ``{tier: (years, 12)}``, what each of tiers 1–3 and 5–8 paid in the
  month; the year's payments of the tier less them are paid over the months left
  (:func:`fiscal_sim.engine.treasury.cash_flows`; tier 5 by the cash it pays, SME arrears
  and gap arrears, not the write-offs).
- ``legacy_advances`` and ``new_advances``: month-end advance balances, the legacy stock and
  the rest; the last month given in a year restarts the advance ledger's year
  (:mod:`fiscal_sim.engine.ledgers`).
- ``headcount``: staff on the payroll at month end (persons); the last month given in a year
  restarts the staff path (:func:`fiscal_sim.engine.paths.restart_headcount`).
- ``arrears_paid``: SME arrears paid in the month; when every anchored month of a year gives
  it, what was paid so far restarts the year's arrears ledger (:func:`restart_arrears`).

Every key but ``cash`` may be left out; ``deferred_payments`` and ``wage_covered`` are a
number in exactly the months ``cash`` anchors, the others in some of them at most.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from fiscal_sim.engine.values import value
from fiscal_sim.errors import Bilingual, FiscalSimError
from fiscal_sim.params.schema import TIERS

MONTHS = 12
PAID_TIERS = (
    "wages",
    "livelihood",
    "operations",
    "clearing",
    "key_projects",
    "non_rigid",
    "three_public",
)
# Tier 5's paid includes write-offs, which move no cash: its closed months are not compared
# with it (cut_not_absorbed).
CASH_PAID_TIERS = tuple(tier for tier in PAID_TIERS if tier != "clearing")
STOCKS = ("legacy_advances", "new_advances")
MONTH_KEYS = ("cash", "deferred_payments", "wage_covered", *STOCKS, "headcount", "arrears_paid")
ANCHOR_KEYS = (*MONTH_KEYS, "tier_payments")


@dataclass(frozen=True)
class Anchor:
    """A read anchor.

    ``cash`` is ``{month index: (cash, deferred payments)}``, months counted from January of
    the first projection year; ``wage_covered`` ``{month index: 0.0 or 1.0}``;
    ``tier_payments`` ``{tier: (years, 12)}`` with NaN where the model pays; ``stocks``
    ``{year index: (months closed, {stock: balance})}``, the last month a stock is given in
    each year; ``headcount`` ``{year index: (months closed, persons)}``, likewise;
    ``arrears_paid`` ``{year index: (the months' payments (12,), NaN after the last)}``.
    """

    cash: dict = field(default_factory=dict)
    wage_covered: dict = field(default_factory=dict)
    tier_payments: dict = field(default_factory=dict)
    stocks: dict = field(default_factory=dict)
    headcount: dict = field(default_factory=dict)
    arrears_paid: dict = field(default_factory=dict)


def _months(key: str, given, years: int) -> np.ndarray:
    try:
        array = np.asarray(given, dtype=float)
    except (TypeError, ValueError):
        raise FiscalSimError(
            Bilingual(
                "锚定值 {key!r} 应为数字数组",
                "anchor {key!r} must be an array of numbers",
                key=key,
            )
        ) from None
    if array.shape != (years, MONTHS):
        raise FiscalSimError(
            Bilingual(
                "锚定值 {key!r} 的形状应为（年数, 12）=（{years}, 12），实为 {shape}",
                "anchor {key!r} must have shape (years, 12) = ({years}, 12), got {shape}",
                key=key,
                years=years,
                shape=array.shape,
            )
        )
    if np.isinf(array).any() or (array < 0).any():
        raise FiscalSimError(
            Bilingual(
                "锚定值 {key!r} 应为有限数且不小于 0（NaN 表示不锚定）",
                "anchor {key!r} must be finite and >= 0 (NaN: not anchored)",
                key=key,
            )
        )
    return array


def _only_where_cash(key: str, array: np.ndarray, cash: np.ndarray, exactly: bool) -> None:
    given, anchored = ~np.isnan(array), ~np.isnan(cash)
    if exactly and not np.array_equal(given, anchored):
        raise FiscalSimError(
            Bilingual(
                "锚定值 {key!r} 在 'cash' 锚定的月份应为数字，其他月份应为 NaN",
                "anchor {key!r} must be a number in the months 'cash' anchors, NaN in the others",
                key=key,
            )
        )
    if (given & ~anchored).any():
        raise FiscalSimError(
            Bilingual(
                "锚定值 {key!r} 出现在库款未锚定的月份",
                "anchor {key!r} is given in a month whose cash is not anchored",
                key=key,
            )
        )


def _stocks(values: dict, years: int) -> dict:
    """The restart point of each year: the last month a stock is given, and the stocks."""
    points = {}
    for t in range(years):
        given = {key: values[key][t] for key in STOCKS if key in values}
        closed = [np.flatnonzero(~np.isnan(row)) for row in given.values()]
        if not any(len(months) for months in closed):
            continue
        last = max(int(months[-1]) for months in closed if len(months))
        points[t] = (last + 1, {key: float(row[last]) for key, row in given.items()})
    return points


def read_anchor(anchor, years: int) -> Anchor | None:
    """The anchor checked and read; None for no anchor.

    Raises
    ------
    FiscalSimError
        Naming the key: unknown, ``cash`` missing, a wrong shape, a negative or infinite
        value, a figure in a month whose cash is not anchored.

    Examples
    --------
    >>> cash = np.full((1, 12), np.nan)
    >>> cash[0, :2] = [50.0, 40.0]
    >>> read_anchor({"cash": cash}, years=1).cash
    {0: (50.0, 0.0), 1: (40.0, 0.0)}
    >>> legacy = np.full((1, 12), np.nan)
    >>> legacy[0, 1] = 70.0
    >>> read_anchor({"cash": cash, "legacy_advances": legacy}, years=1).stocks
    {0: (2, {'legacy_advances': 70.0})}
    """
    if anchor is None:
        return None
    if not isinstance(anchor, dict) or "cash" not in anchor:
        raise FiscalSimError(
            Bilingual(
                "锚定值应为含键 {keys} 的字典（必须有 'cash'）",
                "anchor must be a dict with the keys {keys} ('cash' needed)",
                keys=ANCHOR_KEYS,
            )
        )
    for key in anchor:
        if key not in ANCHOR_KEYS:
            raise FiscalSimError(
                Bilingual(
                    "未知锚定键 {key!r}；应为 {keys} 之一",
                    "unknown anchor key {key!r}; expected one of {keys}",
                    key=key,
                    keys=ANCHOR_KEYS,
                )
            )
    values = {key: _months(key, anchor[key], years) for key in MONTH_KEYS if key in anchor}
    cash = values["cash"]
    values.setdefault("deferred_payments", np.where(np.isnan(cash), np.nan, 0.0))
    for key in ("deferred_payments", "wage_covered"):
        if key in values:
            _only_where_cash(key, values[key], cash, exactly=True)
    covered = values.get("wage_covered", np.zeros(0))
    if not np.isin(covered[~np.isnan(covered)], (0.0, 1.0)).all():
        raise FiscalSimError(
            Bilingual(
                "锚定值 'wage_covered' 应为 1（已保障）或 0（有风险）",
                "anchor 'wage_covered' must be 1 (covered) or 0 (at risk)",
            )
        )
    for key in (*STOCKS, "headcount", "arrears_paid"):
        if key in values:
            _only_where_cash(key, values[key], cash, exactly=False)
    payments = anchor.get("tier_payments", {})
    if not isinstance(payments, dict):
        raise FiscalSimError(
            Bilingual(
                "锚定值 'tier_payments' 应为按层级 {tiers} 的字典",
                "anchor 'tier_payments' must be a dict of tiers {tiers}",
                tiers=PAID_TIERS,
            )
        )
    tier_payments = {}
    for tier, given in payments.items():
        if tier not in PAID_TIERS:
            raise FiscalSimError(
                Bilingual(
                    "锚定值 'tier_payments' 中的未知层级 {tier!r}；应为 {tiers} 之一",
                    "unknown tier {tier!r} in anchor 'tier_payments'; expected one of {tiers}",
                    tier=tier,
                    tiers=PAID_TIERS,
                )
            )
        key = f"tier_payments.{tier}"
        tier_payments[tier] = _months(key, given, years)
        _only_where_cash(key, tier_payments[tier], cash, exactly=False)
    flat = {key: array.reshape(-1) for key, array in values.items()}
    months = np.flatnonzero(~np.isnan(flat["cash"]))
    return Anchor(
        cash={
            int(m): (float(flat["cash"][m]), float(flat["deferred_payments"][m])) for m in months
        },
        wage_covered={
            int(m): float(flat["wage_covered"][m]) for m in months if "wage_covered" in flat
        },
        tier_payments=tier_payments,
        stocks=_stocks(values, years),
        headcount=_last_given(values.get("headcount")),
        arrears_paid=_every_anchored_month(values.get("arrears_paid"), cash),
    )


def _every_anchored_month(array, cash) -> dict:
    """``{year index: the months' figures}`` for the years whose anchored months (from
    January on) all give one."""
    if array is None:
        return {}
    points = {}
    for t, row in enumerate(array):
        anchored = np.flatnonzero(~np.isnan(cash[t]))
        closed = len(anchored)
        if closed and anchored[-1] == closed - 1 and not np.isnan(row[:closed]).any():
            points[t] = row.copy()
    return points


def _last_given(array) -> dict:
    """``{year index: (months closed, value)}``: the last month given in each year."""
    if array is None:
        return {}
    points = {}
    for t, row in enumerate(array):
        given = np.flatnonzero(~np.isnan(row))
        if len(given):
            points[t] = (int(given[-1]) + 1, float(row[given[-1]]))
    return points


def cut_not_absorbed(anchor: Anchor | None, paid: np.ndarray) -> np.ndarray:
    """What the closed months paid beyond each tier's payments of the year, summed over the
    tiers, (draws, years) in 万元: the part of a mid-year cut the months left cannot absorb
    (they pay 0 and the year's cash pays what the closed months paid, model.md §11).

    ``paid`` is the tiers' payments of the year, (draws, years, 8); 0 without an anchor.

    Examples
    --------
    >>> closed = np.full((1, 12), np.nan)
    >>> closed[0, :6] = 100 / 12
    >>> paid = np.zeros((1, 1, 8))
    >>> paid[0, 0, TIERS.index("non_rigid")] = 40.0
    >>> anchor = Anchor(tier_payments={"non_rigid": closed})
    >>> round(float(cut_not_absorbed(anchor, paid)[0, 0]), 6)
    10.0
    """
    beyond = np.zeros(paid.shape[:2])
    if anchor is None:
        return beyond
    for tier, closed in anchor.tier_payments.items():
        if tier not in CASH_PAID_TIERS:
            continue
        paid_so_far = np.nansum(closed, axis=-1)
        beyond = beyond + np.maximum(paid_so_far - paid[:, :, TIERS.index(tier)], 0.0)
    return beyond


def restart_arrears(scenario, months_paid, stocks, paid):
    """The year's SME arrears payments restarted from what the treasury paid so far (the
    anchor's ``arrears_paid``: ``months_paid`` (12,), NaN after the last closed month;
    model.md §11).

    ``stocks`` are the opening stocks of small items, other items and gap arrears, ``paid``
    what the model pays of each in the year (the year's budget), each (draws,). What the
    closed months paid is split between the kinds as the model's schedules pay them by then
    (``arrears.small_profile``, ``arrears.other_profile``, gap arrears evenly; by the year's
    payments, or the stocks, where they pay nothing by then), never above a stock. A kind's
    year pays what the model pays, or what was paid so far where that is more: the months
    left pay the rest of the year's budget, and arrears paid beyond it leave fewer to pay.
    Returns ``(paid in the year, paid so far)``, each a tuple of the three kinds.
    """
    closed = int(np.count_nonzero(~np.isnan(months_paid)))
    shares = [
        np.cumsum(value(scenario, f"arrears.{part}_profile", ndim=2), axis=-1)[..., closed - 1]
        for part in ("small", "other")
    ] + [closed / MONTHS]
    by_then = [share * part for share, part in zip(shares, paid, strict=True)]
    by_then, year, stock = (np.stack(np.broadcast_arrays(*a)) for a in (by_then, paid, stocks))
    weights = by_then
    for fallback in (year, stock):
        weights = np.where(weights.sum(axis=0) > 0, weights, fallback)
    total = weights.sum(axis=0)
    weights = np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)
    weights[0] = np.where(total > 0, weights[0], 1.0)  # nothing owed: a payment is small items
    so_far = np.clip(np.nansum(months_paid) * weights, 0.0, stock)
    return tuple(np.maximum(year, so_far)), tuple(so_far)


def restart_arrears_months(opening, owed, so_far, months_paid, profile) -> np.ndarray:
    """Arrears of one kind owed at each month end of a restarted year, ``(draws, 12)``.

    Through the last closed month: the ``opening`` stock less the kind's payments
    ``so_far``, spread over the closed months as the kind's schedule ``profile`` spreads
    its payments (as the treasury paid, ``months_paid``, where the schedule has none by
    then); then down to the year-end ``owed`` along the months left of the schedule (in
    equal parts where it has none left).
    """
    closed = int(np.count_nonzero(~np.isnan(months_paid)))
    months = np.empty((np.size(opening), MONTHS))
    schedule = np.broadcast_to(np.cumsum(np.asarray(profile, dtype=float), axis=-1), months.shape)
    paid = np.cumsum(np.nan_to_num(months_paid))[:closed]
    by_then = schedule[:, closed - 1 : closed]
    actual = np.divide(paid, paid[-1], out=np.zeros_like(paid), where=paid[-1] > 0)
    share = np.where(
        by_then > 1e-12, schedule[:, :closed] / np.where(by_then > 1e-12, by_then, 1.0), actual
    )
    months[:, :closed] = opening[:, None] - so_far[:, None] * share
    left = schedule[:, closed:] - by_then
    whole = left[:, -1:] if closed < MONTHS else np.zeros((months.shape[0], 1))
    even = np.arange(1, MONTHS - closed + 1) / max(MONTHS - closed, 1)
    part = np.where(whole > 1e-12, left / np.where(whole > 1e-12, whole, 1.0), even)
    after = months[:, closed - 1 : closed]
    months[:, closed:] = after - (after - owed[:, None]) * part
    return months


def restart_advances(t, closed, given, state, digested, advances, new_opening):
    """The advance ledger of year ``t`` restarted from the balances at the end of its
    ``closed``-th month (a re-forecast, the anchor's ``stocks``; model.md §11).

    The months left go on as the model's year does, in equal monthly parts: the legacy stock
    is digested by the rest of the year's digestion (``digested``: recovered + written off),
    the other advances change by the rest of the year's change (from ``new_opening``), never
    below 0. Returns what this moves the year-end balances by, the legacy stock's and the new
    advances'. The new advances' change is on the year's own vintage (advances issued this
    year, repaid next year); a fall beyond it comes off the oldest vintages first, then off
    the gap-cover stock. ``state`` and ``advances`` (the year's lines of
    :func:`fiscal_sim.engine.ledgers._new_advances`) are updated in place.
    """
    left = (MONTHS - closed) / MONTHS
    legacy_change = new_change = np.zeros_like(digested)
    if "legacy_advances" in given:
        closing = np.maximum(given["legacy_advances"] - digested * left, 0.0)
        legacy_change = closing - state.legacy
        state.legacy = closing
    if "new_advances" in given:
        modelled = advances["new_advances_outstanding"] + state.gap_cover_advances
        closing = np.maximum(given["new_advances"] + (modelled - new_opening) * left, 0.0)
        new_change = closing - modelled
        vintages = state.vintages
        vintages[:, t] += new_change
        for older in range(t):
            taken = np.minimum(np.maximum(-vintages[:, t], 0.0), vintages[:, older])
            vintages[:, older] -= taken
            vintages[:, t] += taken
        state.gap_cover_advances = np.maximum(
            state.gap_cover_advances + np.minimum(vintages[:, t], 0.0), 0.0
        )
        vintages[:, t] = np.maximum(vintages[:, t], 0.0)
        advances["new_advances_outstanding"] = vintages.sum(axis=1)
        advances["overdue_advances"] = vintages[:, :t].sum(axis=1)
    return legacy_change, new_change
