"""The treasury's month loop, compiled: :func:`fiscal_sim.engine.treasury.run_treasury`
without an anchor, draw by draw, then each month's 库款保障水平 and its class."""

from __future__ import annotations

import numpy as np

from fiscal_sim.engine.kernels.compiler import njit
from fiscal_sim.engine.kernels.numpy_order import contiguous_sum, maximum


@njit
def _treasury(opening, receipts, payments, payroll, thresholds, out):
    """The month loop of :func:`fiscal_sim.engine.treasury.run_treasury` without an anchor,
    each month's 库款保障水平 and its class with it (a year's average payment is known before
    its months), draw by draw.

    ``opening`` is the opening cash by draw; ``receipts``, ``payments``, ``payroll`` are
    (draws, years * 12); ``out`` is (5, draws,
    years * 12) for cash, payments deferred, payroll covered (1.0 or 0.0), the cash level
    and its class; ``thresholds`` the increasing levels the class counts.
    """
    draws, months = receipts.shape
    years = months // 12
    for d in range(draws):
        balance = opening[d]
        owed = 0.0
        row = payments[d]
        for y in range(years):
            average = contiguous_sum(row, 12 * y, 12) / 12  # the year's, known before it
            for m in range(12 * y, 12 * y + 12):
                available = balance + receipts[d, m]
                out[2, d, m] = 1.0 if available + 1e-9 >= payroll[d, m] else 0.0
                after = available - payments[d, m] - owed
                owed = maximum(-after, 0.0)
                balance = maximum(after, 0.0)
                out[0, d, m] = balance
                out[1, d, m] = owed
                level = balance / average if average > 0 else 0.0
                out[3, d, m] = level
                if level != level:  # np.digitize puts NaN after every threshold
                    reached = len(thresholds)
                else:
                    reached = 0
                    for threshold in thresholds:
                        if threshold <= level:
                            reached += 1
                out[4, d, m] = reached


def treasury(opening, receipts, payments, payroll, thresholds) -> dict[str, np.ndarray]:
    """Cash, payments deferred, payroll covered, cash level and class, each (draws, years,
    12): :func:`fiscal_sim.engine.treasury.run_treasury`'s arrays without an anchor."""
    draws, years, months = receipts.shape
    out = np.empty((5, draws, years, months))
    _treasury(
        np.ascontiguousarray(np.broadcast_to(np.asarray(opening, dtype=float), (draws,))),
        *(np.ascontiguousarray(a).reshape(draws, -1) for a in (receipts, payments, payroll)),
        np.asarray(thresholds, dtype=float),
        out.reshape(5, draws, -1),
    )
    names = ("cash", "deferred_payments", "wage_covered", "cash_level", "cash_class")
    return dict(zip(names, out, strict=True))
