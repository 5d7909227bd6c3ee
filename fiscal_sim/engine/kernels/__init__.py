"""Compiled per-draw kernels for the Monte Carlo's chunks (numba): one pass over a draw's
months in place of a dozen array operations a month over every draw.

The numpy code of :mod:`fiscal_sim.engine.treasury` and :mod:`fiscal_sim.engine.ledgers`
is the reference: each kernel does the same arithmetic on the same numbers in the same
order, so its results are equal to the reference bit for bit (``tests/engine/test_kernels.py``
asserts it, under Hypothesis). Where the reference relies on numpy's own rules, the kernels
spell them out (:mod:`.numpy_order`).

- :mod:`.numpy_order`: numpy's order of addition and its NaN rules for maximum and minimum;
- :mod:`.treasury_months`: the treasury's month loop (:func:`treasury`);
- :mod:`.ledger_years`: the ledgers' year loop (:func:`ledgers`);
- :mod:`.summaries`: what the Monte Carlo keeps of a chunk's draws (:func:`moments`);
- :mod:`.compiler`: how they are compiled and cached.

Only :func:`fiscal_sim.simulate` asks for these kernels (``engine.run(..., compiled=True)``),
so numba is imported on the Monte Carlo path alone, never by ``import fiscal_sim``, a
deterministic projection or ``fiscal-sim run``. Compiled code is cached on disk
(``numba``'s ``cache=True``) in :func:`fiscal_sim.cache.cache_dir` ``("numba")``, in a
folder per version of this package's source, unless ``NUMBA_CACHE_DIR`` says where; with
the cache off (``FISCAL_SIM_CACHE_DIR`` set empty) each process compiles again.
"""

from __future__ import annotations

from fiscal_sim.engine.kernels.ledger_years import ledgers
from fiscal_sim.engine.kernels.numpy_order import PAIRWISE_BLOCK
from fiscal_sim.engine.kernels.summaries import moments
from fiscal_sim.engine.kernels.treasury_months import treasury

__all__ = ["PAIRWISE_BLOCK", "ledgers", "moments", "treasury"]
