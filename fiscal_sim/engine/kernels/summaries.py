"""The Monte Carlo's summaries of a chunk, compiled: the minima, maxima and the block sums of
the deviations from the baseline and of their squares (:class:`fiscal_sim.accumulator.Accumulator`),
in one pass over the chunk's indicators instead of six.

The numpy code of :meth:`fiscal_sim.accumulator.Accumulator.add` is the reference, and the
same numbers come out bit for bit: a minimum or a maximum keeps, of equal numbers, the later
draw's, as numpy's reduction along the draws does; within a block of draws the deviations
are added one after the other from the block's first, and the blocks' sums are added to the
totals in block order.
"""

from __future__ import annotations

import numpy as np

from fiscal_sim.engine.kernels.compiler import njit
from fiscal_sim.engine.kernels.numpy_order import maximum, minimum


@njit
def _moments(values, base, block_draws, low, high, sum1, sum2):
    """Fold the draws ``values`` (draws, rows) into ``low``, ``high``, ``sum1``, ``sum2``
    (rows,); blocks of ``block_draws`` draws from the first."""
    draws, rows = values.shape
    first, second = np.empty(rows), np.empty(rows)
    for start in range(0, draws, block_draws):
        stop = min(start + block_draws, draws)
        for j in range(rows):
            value = values[start, j]
            low[j] = minimum(low[j], value)
            high[j] = maximum(high[j], value)
            deviation = value - base[j]
            first[j] = deviation
            second[j] = deviation * deviation
        for i in range(start + 1, stop):
            for j in range(rows):
                value = values[i, j]
                low[j] = minimum(low[j], value)
                high[j] = maximum(high[j], value)
                deviation = value - base[j]
                first[j] += deviation
                second[j] += deviation * deviation
        for j in range(rows):
            sum1[j] += first[j]
            sum2[j] += second[j]


def moments(values, base, block_draws, low, high, sum1, sum2) -> None:
    """Add the draws ``values`` (draws, *shape) to ``low``, ``high``, ``sum1`` and ``sum2``
    (each of the baseline's ``shape``, C-contiguous), in place."""
    draws = values.shape[0]
    _moments(
        np.ascontiguousarray(values, dtype=float).reshape(draws, -1),
        np.ascontiguousarray(base, dtype=float).reshape(-1),
        block_draws,
        *(total.reshape(-1) for total in (low, high, sum1, sum2)),
    )
