"""How a Monte Carlo run is summed up, chunk by chunk, into an Ensemble (fiscal_sim.ensemble).

:class:`Accumulator` (used by :func:`fiscal_sim.simulate`) is fed one chunk of draws at a time:

- quantiles are exact up to ``exact_limit`` draws (every draw's indicators are kept); above
  it, they come from a systematic subsample of every k-th draw (draws are independent, so
  this is a uniform random sample of at most ``exact_limit`` draws);
- means, standard deviations, minima, maxima and every probability use all draws. Sums are
  taken per fixed block of draws and added in block order, so the numbers do not depend on
  the chunk size.

The kept draws are most of a large run's memory. :class:`KeptSample` keeps of them only what
the baseline does not already say: a draw whose indicator is bit for bit the baseline's (a
year before any shock, a line no shock reaches, a 三保 shortfall of 0) costs one bit, so the
kept draws are rebuilt exactly, in draw order, for the quantiles.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

import numpy as np

from fiscal_sim.ensemble import DEFAULT_QUANTILES, ENSEMBLE_INDICATORS, Ensemble

BLOCK_DRAWS = 1024  # = fiscal_sim.stochastic.BLOCK_DRAWS (stochastic imports this module)
SHORTFALL_TOLERANCE = 1e-6  # 万元; = fiscal_sim.rules.findings.TOLERANCE
# Threads that take the quantiles of the kept rows, each a row at a time: two cores halve
# the time of this part of a large run; results do not depend on it.
QUANTILE_WORKERS = min(2, os.cpu_count() or 1)


def indicator_values(projection) -> np.ndarray:
    """The ensemble indicators of a projection, shape (draws, indicators, years)."""
    annual = projection.annual
    columns = []
    for name in ENSEMBLE_INDICATORS:
        if name == "sanbao_shortfall_cum":
            columns.append(np.cumsum(annual["sanbao_shortfall"], axis=1))
        else:
            columns.append(annual[name])
    return np.stack(columns, axis=1)


def own_breach_matrix(projection) -> dict[str, np.ndarray]:
    """Breaches per draw and year when :mod:`fiscal_sim.rules` is not available: 三保
    shortfall, the advance cap, wage-risk months and the cash alarm line."""
    scenario = projection.scenario
    tiers = projection.tiers["shortfall"]
    from fiscal_sim.params.schema import TIERS

    out = {
        rule: tiers[:, :, TIERS.index(tier)] > SHORTFALL_TOLERANCE
        for rule, tier in (
            ("wages_funded", "wages"),
            ("livelihood_funded", "livelihood"),
            ("operations_funded", "operations"),
        )
    }
    out["advance_cap"] = projection.annual["advance_ratio"] > scenario.value(
        "rules.advance_cap_ratio"
    )
    out["wage_account_covered"] = projection.annual["wage_risk_months"] > 0
    alarm = scenario.value("rules.cash_alarm_level")
    out["treasury_cash_level"] = (projection.months["cash_level"] < alarm).any(axis=2)
    return out


def breach_matrix(projection) -> dict[str, np.ndarray]:
    """``fiscal_sim.rules.breach_matrix`` when importable, else :func:`own_breach_matrix`."""
    try:
        from fiscal_sim.rules import breach_matrix as rules_breach_matrix
    except ImportError:
        return own_breach_matrix(projection)
    return rules_breach_matrix(projection)


def moments(values, base, low, high, sum1, sum2) -> None:
    """Add the draws ``values`` (draws, *shape; overwritten) of a chunk that starts on a block
    boundary to the minima ``low``, maxima ``high`` and the sums of the deviations from
    ``base`` and of their squares, ``sum1`` and ``sum2``, in place.

    Sums are taken within each block of :data:`BLOCK_DRAWS` draws, then the blocks added in
    order: the same additions in the same order for any chunk size.
    (:func:`fiscal_sim.engine.kernels.moments` is the same in one compiled pass.)
    """
    n = values.shape[0]
    np.minimum(low, values.min(axis=0), out=low)
    np.maximum(high, values.max(axis=0), out=high)
    # The deviations from the baseline, then their squares, in the place of the values.
    deviation = np.subtract(values, base, out=values)
    whole = n // BLOCK_DRAWS
    blocks = [deviation[: whole * BLOCK_DRAWS].reshape(whole, BLOCK_DRAWS, *base.shape)]
    if n % BLOCK_DRAWS:  # only the very last chunk ends in a partial block
        blocks.append(deviation[whole * BLOCK_DRAWS :][None])
    firsts = [part.sum(axis=1) for part in blocks]
    seconds = [np.multiply(part, part, out=part).sum(axis=1) for part in blocks]
    for first, second in zip(firsts, seconds, strict=True):
        for block_first, block_second in zip(first, second, strict=True):
            sum1 += block_first
            sum2 += block_second


Counts = tuple[np.ndarray, int]  # draws per year, draws in any year


@dataclass(frozen=True)
class ChunkSummary:
    """What :class:`Accumulator` takes of a chunk's projection: its indicators (draws,
    indicators, years) and how many of its draws breach each rule, fall short on the 三保
    and leave the wage account uncovered, in each year (the wage account: in each month
    too) and in any year. Counts are whole numbers: chunks summed up in any thread add up
    to the same totals."""

    values: np.ndarray
    breaches: dict[str, Counts]
    sanbao: Counts
    wage_months: np.ndarray
    wage_years: Counts


def _counts(breached: list[np.ndarray]) -> list[Counts]:
    """Draws breaching in each year and in any year, of each (draws, years[, months]) array.

    The arrays are counted together, each year's draws side by side: one count along the
    draws in place of two small reductions an array (a third of a chunk's summing up)."""
    by_year = np.stack([(b if b.ndim == 2 else b.any(axis=2)).T for b in breached])
    years, any_year = np.count_nonzero(by_year, axis=2), np.count_nonzero(by_year.any(axis=1), 1)
    return [(counts, int(drawn)) for counts, drawn in zip(years, any_year, strict=True)]


def summarise(projection) -> ChunkSummary:
    """The :class:`ChunkSummary` of a chunk's projection; the projection can go after it."""
    risk = projection.months["wage_covered"] < 0.5
    breaches = breach_matrix(projection)
    sanbao = projection.annual["sanbao_shortfall"] > SHORTFALL_TOLERANCE
    *by_rule, sanbao_counts, wage_counts = _counts([*breaches.values(), sanbao, risk])
    return ChunkSummary(
        values=indicator_values(projection),
        breaches=dict(zip(breaches, by_rule, strict=True)),
        sanbao=sanbao_counts,
        wage_months=risk.sum(axis=0),
        wage_years=wage_counts,
    )


class KeptSample:
    """The kept draws of every indicator and year (a row), stored apart from the baseline.

    Each chunk's draws are compared with the baseline bit for bit: a packed bit per draw says
    which equal it, and only the others are stored, per row, in draw order. :meth:`row`
    rebuilds a row's draws exactly as they came, so its quantiles are those of every kept
    draw, bit for bit, whatever the draws are; a row no shock reaches costs a bit per draw.

    A row that differs from the baseline gets a buffer for ``capacity`` draws, filled from
    the front: memory the system hands out only as it is written, so a row costs what it
    stores, and is given back whole when the row is let go.

    Examples
    --------
    >>> base = np.array([[1.0, 2.0]])
    >>> sample = KeptSample(base, capacity=3)
    >>> sample.add(np.array([[[1.0, 5.0]], [[1.0, 2.0]], [[3.0, 2.0]]]))
    >>> sample.row(0).tolist(), sample.row(1).tolist(), sample.stored
    ([1.0, 1.0, 3.0], [5.0, 2.0, 2.0], 2)
    """

    def __init__(self, base: np.ndarray, capacity: int):
        self.shape = base.shape
        self.base = np.ascontiguousarray(base, dtype=float).reshape(-1)
        self.capacity = capacity
        self.size = 0
        self._chunks: list[tuple[np.ndarray, int]] = []  # (packed "equals the baseline", n)
        self._values: list[np.ndarray | None] = [None] * self.base.size
        self._counts = np.zeros(self.base.size, dtype=np.int64)

    @property
    def stored(self) -> int:
        """How many draws are stored as numbers (the others are the baseline's)."""
        return int(self._counts.sum())

    def add(self, kept: np.ndarray) -> None:
        """Append draws ``kept`` (draws, *shape) after those added before."""
        n = kept.shape[0]
        if self.size + n > self.capacity:
            raise ValueError(f"{self.size + n} draws kept, room for {self.capacity}")
        rows = np.ascontiguousarray(kept.reshape(n, -1).T)  # one row per indicator and year
        same = rows.view(np.int64) == self.base.view(np.int64)[:, None]
        self._chunks.append((np.packbits(same, axis=1), n))
        for index in np.flatnonzero(~same.all(axis=1)):
            different = rows[index][~same[index]] if same[index].any() else rows[index]
            if self._values[index] is None:
                self._values[index] = np.empty(self.capacity)
            count = self._counts[index]
            self._values[index][count : count + different.size] = different
            self._counts[index] += different.size
        self.size += n

    def row(self, index: int, taken: bool = False) -> np.ndarray:
        """Every kept draw of row ``index`` (indicators × years, flattened), in draw order;
        ``taken``: the row's own storage where it holds them all, for a caller that lets the
        row go after (no copy)."""
        if self._counts[index] == self.size:  # no draw of it equals the baseline
            stored = self._values[index][: self.size]
            return stored if taken else stored.copy()
        equal = np.concatenate(
            [np.unpackbits(packed[index], count=n).view(bool) for packed, n in self._chunks]
        )
        out = np.empty(self.size)
        out[...] = self.base[index]
        if self._values[index] is not None:
            out[~equal] = self._values[index][: self._counts[index]]
        return out

    def quantiles(self, levels, release: bool = False) -> np.ndarray:
        """``np.quantile`` of every row at ``levels``: (levels, *shape), a row at a time in
        each of :data:`QUANTILE_WORKERS` threads (numpy partitions a row without holding the
        interpreter), so that only that many rows are ever rebuilt together; ``release`` lets
        each row go once done.

        A row no draw moved from the baseline has the baseline's value at every level, as
        ``np.quantile`` of equal numbers gives (but for -0.0, which interpolation may turn
        into 0.0: that row is computed).
        """
        from concurrent.futures import ThreadPoolExecutor

        out = np.empty((len(levels), self.base.size))

        def one(index: int) -> None:
            base = self.base[index]
            if self._values[index] is None and (base != 0.0 or not np.signbit(base)):
                out[:, index] = base
            else:
                row = self.row(index, taken=release)
                out[:, index] = np.quantile(row, levels, overwrite_input=True)
            if release:
                self._values[index] = None

        with ThreadPoolExecutor(QUANTILE_WORKERS) as pool:
            list(pool.map(one, range(self.base.size)))  # raises what a row raised
        return out.reshape(len(levels), *self.shape)


class Accumulator:
    """Summaries of an ensemble, fed one chunk of draws at a time (see the module docstring).

    Chunks must start at a multiple of :data:`BLOCK_DRAWS` and come in order. ``compiled``
    sums them up in the compiled kernels (:mod:`fiscal_sim.engine.kernels`, numba), the same
    numbers bit for bit.
    """

    def __init__(
        self,
        baseline,
        draws: int,
        quantiles=None,
        exact_limit: int = 200_000,
        compiled: bool = False,
    ):
        levels = tuple(float(q) for q in (quantiles or DEFAULT_QUANTILES))
        if not levels or any(not 0.0 <= q <= 1.0 for q in levels):
            raise ValueError(f"quantile levels must lie in [0, 1], got {levels}")
        self.levels = levels
        self.baseline = baseline
        self.draws = draws
        self.base = indicator_values(baseline)[0]
        shape = self.base.shape
        years = shape[1]
        self.stride = 1 if draws <= exact_limit else math.ceil(draws / exact_limit)
        self.kept = KeptSample(self.base, math.ceil(draws / self.stride))
        self._quantiles = None  # computed once, when every draw is in (result())
        self.sum1, self.sum2 = np.zeros(shape), np.zeros(shape)
        self.low, self.high = np.full(shape, np.inf), np.full(shape, -np.inf)
        self.breach_years: dict[str, np.ndarray] = {}
        self.breach_any: dict[str, int] = {}
        self.sanbao_years, self.sanbao_any = np.zeros(years, dtype=np.int64), 0
        self.wage_months = np.zeros((years, 12), dtype=np.int64)
        self.wage_years, self.wage_any = np.zeros(years, dtype=np.int64), 0
        self.done = 0
        self.compiled = compiled

    def add(self, chunk, start: int) -> None:
        """Add the draws ``start`` … ``start + n - 1``: a projection of them, or its
        :func:`summarise` (made where the chunk was projected, e.g. in a worker thread)."""
        if start != self.done or start % BLOCK_DRAWS:
            raise ValueError("chunks must come in order and start on a block boundary")
        chunk = chunk if isinstance(chunk, ChunkSummary) else summarise(chunk)
        values = chunk.values
        n = values.shape[0]
        first = (-start) % self.stride
        self.kept.add(values[first :: self.stride])
        totals = (self.low, self.high, self.sum1, self.sum2)
        if self.compiled:
            from fiscal_sim.engine.kernels import moments as compiled_moments

            compiled_moments(values, self.base, BLOCK_DRAWS, *totals)
        else:
            moments(values, self.base, *totals)

        for rule, (years, any_year) in chunk.breaches.items():
            self.breach_years[rule] = self.breach_years.get(rule, 0) + years
            self.breach_any[rule] = self.breach_any.get(rule, 0) + any_year
        self.sanbao_years += chunk.sanbao[0]
        self.sanbao_any += chunk.sanbao[1]
        self.wage_months += chunk.wage_months
        self.wage_years += chunk.wage_years[0]
        self.wage_any += chunk.wage_years[1]
        self.done += n

    def result(self, **meta) -> Ensemble:
        """The :class:`Ensemble` of every draw added so far."""
        if self.done != self.draws:
            raise ValueError(f"{self.done} draws added, {self.draws} expected")
        if self._quantiles is None:
            # The kept draws let go as their quantiles are taken: the two largest pieces of
            # memory of a large run are never held together.
            self._quantiles = self.kept.quantiles(self.levels, release=True), self.kept.size
            self.kept = None
        quantiles, kept = self._quantiles

        n, years = self.draws, len(self.baseline.years)
        rules = tuple(self.breach_years)  # both counts read in this order
        by_year = np.reshape([self.breach_years[rule] for rule in rules], (-1, years))
        any_year = np.array([self.breach_any[rule] for rule in rules], dtype=float)
        mean_deviation = self.sum1 / n
        variance = np.maximum(self.sum2 / n - mean_deviation**2, 0.0)
        exact = self.stride == 1
        info = dict(self.baseline.meta)
        info.update(meta)
        info.update(
            draws=n,
            quantile_method=(
                "exact"
                if exact
                else f"systematic subsample: every {self.stride}th draw ({kept:,} draws)"
            ),
        )
        return Ensemble(
            meta=info,
            years=tuple(int(year) for year in self.baseline.years),
            indicators=ENSEMBLE_INDICATORS,
            levels=self.levels,
            quantile_values=quantiles.copy(),
            mean=self.base + mean_deviation,
            std=np.sqrt(variance),
            minimum=self.low,
            maximum=self.high,
            baseline=self.base,
            rules=rules,
            breach_year_probability=by_year / n,
            breach_any_probability=any_year / n,
            sanbao_probability=self.sanbao_years / n,
            sanbao_probability_any=self.sanbao_any / n,
            wage_month_probability=self.wage_months / n,
            wage_year_probability=self.wage_years / n,
            wage_probability_any=self.wage_any / n,
        )
