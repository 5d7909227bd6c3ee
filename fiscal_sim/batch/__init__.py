"""Many counties at once: a prefecture or a province, in this process or on Dask.

:func:`run` takes folders of county scenarios or manifests, projects every county (and its
Monte Carlo with ``draws``), in blocks that are Dask tasks when given a
``distributed.Client``, and returns a :class:`Batch`: tidy tables, ``.ranking()`` by a
documented risk score (:mod:`fiscal_sim.batch.risk`), ``.rollup()`` by prefecture and for the
batch (:mod:`fiscal_sim.batch.rollup`), ``_repr_html_`` and ``.plot``.
:func:`fiscal_sim.batch.synth.write_counties` writes a synthetic province to try it on.
See docs/batch.md.

The package is itself callable, ``fiscal_sim.batch(paths, draws=…, seed=…, client=None)``
being :func:`run` (the library call of the issue; ``fiscal_sim.batch.run`` is the same).
"""

import sys
import types

from fiscal_sim.batch.result import Batch, run

__all__ = ["Batch", "run"]


class _CallablePackage(types.ModuleType):
    """This package's class: calling it is :func:`run`."""

    def __call__(self, paths, draws: int = 0, seed: int = 0, client=None, **options) -> Batch:
        return run(paths, draws=draws, seed=seed, client=client, **options)


sys.modules[__name__].__class__ = _CallablePackage
