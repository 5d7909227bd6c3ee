"""Many counties at once: a prefecture or a province, in this process or on Dask.

:func:`run` takes folders of county scenarios or manifests, projects every county (and its
Monte Carlo with ``draws``), in blocks that are Dask tasks when given a
``distributed.Client``, and returns a :class:`Batch`: tidy tables, ``.ranking()`` by a
documented risk score (:mod:`fiscal_sim.batch.risk`), ``.rollup()`` by prefecture and for the
batch (:mod:`fiscal_sim.batch.rollup`), ``_repr_html_`` and ``.plot``.
:func:`fiscal_sim.batch.synth.write_counties` writes a synthetic province to try it on.
See docs/batch.md.
"""

from fiscal_sim.batch.result import Batch, run

__all__ = ["Batch", "run"]
