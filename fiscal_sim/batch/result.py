"""A batch of counties run: :func:`run` and the :class:`Batch` it returns.

Examples
--------
>>> from fiscal_sim.batch import run
>>> from fiscal_sim.scenario import _data_dir
>>> batch = run([_data_dir() / "default-county.yaml"])
>>> batch.counties_done, batch.counties_failed
(1, 0)
>>> sorted(batch.ranking().columns[:4])
['code', 'name', 'prefecture', 'rank']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from fiscal_sim._version import __version__
from fiscal_sim.batch import risk, tables
from fiscal_sim.batch.counties import discover
from fiscal_sim.batch.rollup import rollup
from fiscal_sim.batch.schedule import DEFAULT_BLOCK, run_blocks

if TYPE_CHECKING:
    import pandas as pd


@dataclass(eq=False)
class Batch:
    """The counties of a batch, their results and the tables read from them.

    ``results`` keeps every county in input order (those that failed with their error).
    ``meta``: fiscal_sim version, seed, draws, block size, where the work ran, and each
    county's scenario hash.
    """

    results: list
    draws: int
    seed: int
    meta: dict = field(default_factory=dict)

    @property
    def counties_done(self) -> int:
        return sum(result.ok for result in self.results)

    @property
    def counties_failed(self) -> int:
        return sum(not result.ok for result in self.results)

    @cached_property
    def indicators(self) -> pd.DataFrame:
        """County × year × indicator (:func:`fiscal_sim.batch.tables.indicators_table`)."""
        return tables.indicators_table(self.results, self.draws)

    @cached_property
    def rules(self) -> pd.DataFrame:
        """County × rule × year with breach flags (and probabilities with draws)."""
        return tables.rules_table(self.results, self.draws)

    @cached_property
    def counties(self) -> pd.DataFrame:
        return tables.counties_table(self.results)

    @cached_property
    def errors(self) -> pd.DataFrame:
        return tables.errors_table(self.results)

    def errors_in(self, lang: str) -> pd.DataFrame:
        """:attr:`errors` with each message in ``lang`` (``errors`` is the English)."""
        return self.errors if lang != "zh" else tables.errors_table(self.results, lang)

    def ranking(self) -> pd.DataFrame:
        """Counties by risk score, highest first, with their class (:mod:`~.risk`)."""
        return risk.ranking(tables.risk_rows(self.results))

    def rollup(self) -> pd.DataFrame:
        """Sums by prefecture and for the batch, ratios recomputed from the sums."""
        return rollup(self.indicators)

    def high_risk(self) -> pd.DataFrame:
        """The computed high-risk list: the red counties of the ranking."""
        ranking = self.ranking()
        return ranking[ranking["risk_class"] == "red"].reset_index(drop=True)

    @property
    def plot(self):
        """The batch's charts (:mod:`fiscal_sim.plots.batch`): ``batch.plot.heatmap()``,
        ``batch.plot.scores()``, ``batch.plot.histogram("debt_ratio")``."""
        return _PlotAccessor(self)

    def summary(self, lang: str | None = None) -> str:
        """One line: counties done and failed, red/amber/green counts, in ``lang`` (without
        one, Chinese then English)."""
        ranking = self.ranking()
        counts = {name: int((ranking["risk_class"] == name).sum()) for name in risk.CLASS_LABELS}
        done, failed = self.counties_done, self.counties_failed
        zh = (
            f"{done}个县完成，{failed}个失败；"
            f"高风险{counts['red']}、关注{counts['amber']}、正常{counts['green']}"
        )
        en = (
            f"{done} counties done, {failed} failed; "
            f"red {counts['red']}, amber {counts['amber']}, green {counts['green']}"
        )
        return {"zh": zh, "en": en}.get(lang, f"{zh} / {en}")

    def __repr__(self) -> str:
        head = f"<Batch {len(self.results)} counties, {self.draws} draws, seed {self.seed}>"
        return f"{head}\n{self.summary()}"

    def _repr_html_(self) -> str:
        import html

        ranking = self.ranking().head(20)
        return f"<p>{html.escape(self.summary())}</p>" + ranking.to_html(
            index=False, float_format=lambda value: f"{value:.2f}"
        )


def run(
    paths,
    draws: int = 0,
    seed: int = 0,
    client=None,
    block: int = DEFAULT_BLOCK,
    on_block=None,
) -> Batch:
    """Run many counties: each projected, checked and (with ``draws``) simulated.

    Parameters
    ----------
    paths
        Folders of scenario files, manifests (CSV/YAML) or scenario files
        (:func:`fiscal_sim.batch.counties.discover`).
    draws
        Monte Carlo draws per county (0: the deterministic projection only).
    seed
        The batch seed; each county's seed is ``SeedSequence([seed, code])``.
    client
        A ``distributed.Client``: blocks become tasks on its cluster. None: this process.
    block
        Counties per task.
    on_block
        Called in this process with each block's list of county results as the block
        completes, with or without a client (the ``batch`` command counts counties done and
        failed on its progress bar with it).
    """
    counties = discover(paths)
    if isinstance(draws, bool) or int(draws) != draws or draws < 0:
        raise ValueError(f"draws must be a whole number ≥ 0, got {draws!r}")
    results = run_blocks(
        counties,
        int(draws),
        int(seed),
        client=client,
        block=block,
        on_block=on_block,
    )
    where = "this process" if client is None else client.scheduler.address
    meta = {
        "fiscal_sim_version": __version__,
        "seed": int(seed),
        "draws": int(draws),
        "block": int(block),
        "scheduler": where,
        "counties": len(results),
        "failed": sum(not result.ok for result in results),
        "hashes": {result.county.code: result.hash for result in results if result.ok},
    }
    return Batch(results=results, draws=int(draws), seed=int(seed), meta=meta)


class _PlotAccessor:
    """``batch.plot``: the charts of :mod:`fiscal_sim.plots.batch` on this batch's tables."""

    def __init__(self, batch: Batch):
        self._batch = batch

    def heatmap(self, ax=None, **options):
        from fiscal_sim.plots.batch import rule_heatmap

        return rule_heatmap(self._batch.rules, self._batch.ranking(), ax=ax, **options)

    def scores(self, ax=None, **options):
        from fiscal_sim.plots.batch import score_histogram

        lines = (risk.AMBER_SCORE, risk.RED_SCORE)
        return score_histogram(self._batch.ranking(), ax=ax, lines=lines, **options)

    def histogram(self, indicator: str, ax=None, **options):
        from fiscal_sim.plots.batch import indicator_histogram

        return indicator_histogram(self._batch.indicators, indicator, ax=ax, **options)
