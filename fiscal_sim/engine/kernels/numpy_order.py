"""numpy's own arithmetic rules, spelled out for the compiled kernels: the order in which a
sum adds, and what a maximum or a minimum does with NaN and with equal numbers.

``np.maximum`` and ``np.minimum`` propagate NaN and, between equal numbers, return the
second (``0.0`` for ``max(-0.0, 0.0)``); a sum along a contiguous axis adds from 0 one by
one below 8 terms and in numpy's pairwise order from 8 (:func:`contiguous_sum`).
"""

from __future__ import annotations

from fiscal_sim.engine.kernels.compiler import njit


@njit
def maximum(a, b):
    """``np.maximum(a, b)`` of two floats."""
    if a != a:
        return a
    if b != b:
        return b
    return a if a > b else b


@njit
def minimum(a, b):
    """``np.minimum(a, b)`` of two floats."""
    if a != a:
        return a
    if b != b:
        return b
    return a if a < b else b


# numpy adds a contiguous row in blocks of this many terms, halving longer rows first: the
# kernels add rows up to this length (the horizon's years, a year's months) as numpy does.
PAIRWISE_BLOCK = 128


@njit
def contiguous_sum(values, start, count):
    """``values[start:start + count].sum()`` (``count`` up to :data:`PAIRWISE_BLOCK`) as
    numpy adds a contiguous row: from 0 one by one below 8 terms, else in eight running sums
    combined pairwise, then the terms left over."""
    if count < 8:
        total = 0.0
        for i in range(start, start + count):
            total += values[i]
        return 0.0 + total
    r0, r1, r2, r3 = values[start], values[start + 1], values[start + 2], values[start + 3]
    r4, r5, r6, r7 = values[start + 4], values[start + 5], values[start + 6], values[start + 7]
    whole = count - count % 8
    for i in range(start + 8, start + whole, 8):
        r0 += values[i]
        r1 += values[i + 1]
        r2 += values[i + 2]
        r3 += values[i + 3]
        r4 += values[i + 4]
        r5 += values[i + 5]
        r6 += values[i + 6]
        r7 += values[i + 7]
    total = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    for i in range(start + whole, start + count):
        total += values[i]
    return 0.0 + total


@njit
def sum8(values):
    """``values.sum()`` of a row of the 8 tiers, as numpy adds it (pairwise from 0)."""
    return 0.0 + (
        ((values[0] + values[1]) + (values[2] + values[3]))
        + ((values[4] + values[5]) + (values[6] + values[7]))
    )
