"""Monte Carlo: the shock model of a scenario and :func:`simulate` (model.md §9).

One module, though just over 500 lines: the shock model and the simulation that draws from
it share one set of random streams and seeds, and keeping them together keeps that in one place.

This is the only module that draws random numbers. A scenario declares its shocks in a
``shocks:`` section, validated when the scenario loads (:mod:`fiscal_sim.params.shocks`, the
schema and its defaults) and kept as written in ``scenario.extra``::

    shocks:
      distribution: student_t     # normal (default), student_t or bootstrap
      df: 5                       # Student-t degrees of freedom, > 2
      tax: {sigma: 0.03, persistence: 0.3, source: "assumption"}
      nontax: {sigma: 0.06}
      general_transfers: {sigma: 0.02}
      land_sales: {sigma: 0.30, persistence: 0.2}
      correlation:                # of the yearly innovations; pairs not given are 0
        tax: {nontax: 0.5, land_sales: 0.3}

or a bootstrap of observed growth rates (demeaned, so the scenario's own growth path stays
the centre; whole years are resampled jointly, in blocks of ``block_years``)::

    shocks:
      distribution: bootstrap
      block_years: 2
      history:
        tax: [0.08, 0.11, 0.02, -0.04, 0.09, 0.07]
        land_sales: [0.40, -0.35, 0.10, 0.25, -0.50, 0.30]

Shocks are yearly shocks to log growth that compound along the years (the engine's
``shocks=`` argument). The yearly innovation ``e`` has unit variance and the declared
correlation; the shock of a line follows a stationary AR(1),
``x[1] = e[1]``, ``x[t] = φ·x[t-1] + √(1-φ²)·e[t]``, times σ, so σ is the standard deviation
of the shock in every year and φ its year-on-year autocorrelation.

Reproducibility. Draws are generated in fixed blocks of :data:`BLOCK_DRAWS` draws; block ``b``
takes its generator from ``SeedSequence(seed).spawn``'s ``b``-th child. So draw ``i`` is the
same whatever the chunk size and whatever the total number of draws.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np

from fiscal_sim.params.shocks import DEFAULT_DF, SHOCK_LINES, Locator, resolve_shocks
from fiscal_sim.params.uncertain import mode_of, spread

BLOCK_DRAWS = 1024


@dataclass(frozen=True)
class ShockSpec:
    """The validated shock model of a scenario.

    ``sigma``, ``persistence`` are per line in :data:`SHOCK_LINES` order; ``correlation`` is
    the innovations' correlation matrix; ``history`` (years × lines, demeaned growth
    deviations, NaN-free) is set for the bootstrap only. ``sources`` says where each number
    comes from; defaults say *assumption*. ``parameters`` are the uncertain parameters
    (:mod:`fiscal_sim.params.uncertain`), each ``{distribution, sd, low, high, mode,
    source}``, a triangular draw's mode resolved.
    """

    distribution: str = "normal"
    sigma: np.ndarray = field(default_factory=lambda: np.zeros(len(SHOCK_LINES)))
    persistence: np.ndarray = field(default_factory=lambda: np.zeros(len(SHOCK_LINES)))
    correlation: np.ndarray = field(default_factory=lambda: np.eye(len(SHOCK_LINES)))
    df: float = DEFAULT_DF[0]
    history: np.ndarray | None = None
    block_years: int = 1
    sources: dict = field(default_factory=dict)
    parameters: dict = field(default_factory=dict)

    @property
    def lines(self) -> tuple[str, ...]:
        return SHOCK_LINES

    def sigma_of(self, line: str) -> float:
        """The standard deviation of a line's yearly growth shock (from the history when
        bootstrapping)."""
        i = SHOCK_LINES.index(line)
        if self.distribution == "bootstrap":
            return float(self.history[:, i].std()) if self.history is not None else 0.0
        return float(self.sigma[i])

    def describe(self) -> list[dict]:
        """One row per line: sigma, persistence and sources (for reports and metadata)."""
        return [
            {
                "line": line,
                "distribution": self.distribution,
                "sigma": self.sigma_of(line),
                "persistence": float(self.persistence[i]),
                "source": self.sources.get(line, ""),
            }
            for i, line in enumerate(SHOCK_LINES)
        ]

    def summary(self) -> str:
        """One line: the distribution and each line's σ (and φ)."""
        parts = [
            f"{row['line']} σ={row['sigma']:.3g}"
            + (f" φ={row['persistence']:.2g}" if self.distribution != "bootstrap" else "")
            for row in self.describe()
        ]
        kind = {
            "normal": "normal",
            "student_t": f"student_t(df={self.df:g})",
            "bootstrap": f"bootstrap(blocks of {self.block_years} years)",
        }[self.distribution]
        drawn = [
            f"{path} {entry['distribution']} sd={spread(entry):.3g}"
            for path, entry in self.parameters.items()
        ]
        tail = "; parameters: " + ", ".join(drawn) if drawn else ""
        return f"{kind}: " + ", ".join(parts) + tail

    def describe_parameters(self) -> list[dict]:
        """One row per uncertain parameter: its draw, its spread and its source."""
        return [
            {"parameter": path, **entry, "spread": spread(entry)}
            for path, entry in self.parameters.items()
        ]

    def scaled(self, factor: float) -> ShockSpec:
        """The same model with every σ (or the bootstrap deviations) times ``factor``."""
        history = None if self.history is None else self.history * factor
        return ShockSpec(
            self.distribution,
            self.sigma * factor,
            self.persistence,
            self.correlation,
            self.df,
            history,
            self.block_years,
            dict(self.sources),
            {path: _scaled(entry, factor) for path, entry in self.parameters.items()},
        )


def _scaled(entry: dict, factor: float) -> dict:
    """An uncertain parameter's draw with its spread times ``factor``, about its centre (the
    scenario's value for a normal draw, the mode or the midpoint for the others)."""
    if entry["distribution"] == "normal":
        return {**entry, "sd": entry["sd"] * factor}
    centre = entry["mode"] if entry["mode"] is not None else (entry["low"] + entry["high"]) / 2
    low, high = (centre + (entry[key] - centre) * factor for key in ("low", "high"))
    return {**entry, "low": low, "high": high}


# -- the scenario's shock model --------------------------------------------------------------


def shock_spec(scenario) -> ShockSpec:
    """The :class:`ShockSpec` of ``scenario.extra["shocks"]``.

    The loader has validated the section (:mod:`fiscal_sim.params.shocks`); missing lines,
    persistence and correlations take the documented defaults, whose sources say *assumption*.

    Raises
    ------
    ScenarioError
        When ``scenario.extra`` was replaced by an invalid section after loading.

    Examples
    --------
    >>> import fiscal_sim
    >>> spec = shock_spec(fiscal_sim.load_scenario())
    >>> spec.distribution, spec.sigma_of("land_sales"), "assumption" in spec.sources["land_sales"]
    ('normal', 0.3, True)
    """
    raw = (getattr(scenario, "extra", None) or {}).get("shocks")
    resolved = resolve_shocks(raw)
    history = resolved["history"]
    return ShockSpec(
        resolved["distribution"],
        np.asarray(resolved["sigma"]),
        np.asarray(resolved["persistence"]),
        np.asarray(resolved["correlation"]),
        resolved["df"],
        None if history is None else np.asarray(history),
        resolved["block_years"],
        resolved["sources"],
        _with_modes(scenario, resolved["parameters"]),
    )


def _with_modes(scenario, parameters: dict) -> dict:
    """The uncertain parameters with each triangular draw's peak resolved (its ``mode``, else
    the scenario's own value)."""
    if not parameters:
        return {}
    files = getattr(scenario, "files", ())
    where = Locator(files[-1] if files else None)
    return {
        path: {**entry, "mode": mode_of(entry, scenario.value(path), path, where)}
        if entry["distribution"] == "triangular"
        else entry
        for path, entry in parameters.items()
    }


# -- generating draws ------------------------------------------------------------------------


def seed_sequence(seed=None) -> np.random.SeedSequence:
    """The root :class:`numpy.random.SeedSequence` of a run (fresh entropy when ``seed`` is
    None; record ``.entropy`` to repeat the run)."""
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        raise TypeError("pass an int seed or a SeedSequence, not a Generator")
    return np.random.SeedSequence(seed)


def _block_rng(root: np.random.SeedSequence, block: int, stream=()) -> np.random.Generator:
    """The generator of draw block ``block``: ``root.spawn(block + 1)[block]``, built directly;
    with ``stream`` (e.g. ``(PARAMETER_STREAM,)``) that of another stream, spawn key
    ``(…, *stream, block)``."""
    child = np.random.SeedSequence(
        root.entropy, spawn_key=(*root.spawn_key, *stream, block), pool_size=root.pool_size
    )
    return np.random.default_rng(child)


def _block_shocks(spec: ShockSpec, rng: np.random.Generator, years: int) -> np.ndarray:
    """Shocks of one block, shape (BLOCK_DRAWS, years, lines); always the same calls in the
    same order, so a block depends on its seed only."""
    n, k = BLOCK_DRAWS, len(SHOCK_LINES)
    if spec.distribution == "bootstrap":
        length, block = spec.history.shape[0], spec.block_years
        n_blocks = -(-years // block)
        starts = rng.integers(0, length - block + 1, size=(n, n_blocks))
        rows = (starts[:, :, None] + np.arange(block)).reshape(n, -1)[:, :years]
        return spec.history[rows]
    innovations = rng.standard_normal((n, years, k)) @ np.linalg.cholesky(spec.correlation).T
    if spec.distribution == "student_t":
        # Multivariate t with unit variance: one chi-square per draw and year, shared by lines.
        chi2 = rng.chisquare(spec.df, size=(n, years))
        innovations *= np.sqrt((spec.df - 2.0) / chi2)[:, :, None]
    phi = spec.persistence
    scale = np.sqrt(1.0 - phi**2)
    path = np.empty_like(innovations)
    path[:, 0] = innovations[:, 0]
    for t in range(1, years):
        path[:, t] = phi * path[:, t - 1] + scale * innovations[:, t]
    return path * spec.sigma


def draw_shocks(spec: ShockSpec, years: int, start: int, stop: int, seed=None) -> dict:
    """Growth shocks of draws ``start`` … ``stop - 1``: ``{line: array (stop-start, years)}``.

    Draw ``i`` is the same whatever ``start``/``stop`` ask for it (see the module docstring).

    Examples
    --------
    >>> spec = ShockSpec(sigma=np.full(4, 0.1))
    >>> whole = draw_shocks(spec, 7, 0, 3000, seed=1)["tax"]
    >>> part = draw_shocks(spec, 7, 2000, 2500, seed=1)["tax"]
    >>> bool((whole[2000:2500] == part).all()), whole.shape
    (True, (3000, 7))
    """
    root = seed_sequence(seed)
    first, last = start // BLOCK_DRAWS, -(-stop // BLOCK_DRAWS)
    blocks = [_block_shocks(spec, _block_rng(root, b), years) for b in range(first, last)]
    array = np.concatenate(blocks, axis=0)[start - first * BLOCK_DRAWS : stop - first * BLOCK_DRAWS]
    return {line: np.ascontiguousarray(array[:, :, i]) for i, line in enumerate(SHOCK_LINES)}


# Uncertain parameters draw from their own stream, spawn key (…, PARAMETER_STREAM, block):
# declaring one leaves the revenue shocks of every draw as they were.
PARAMETER_STREAM = 1


def _block_parameters(spec: ShockSpec, rng: np.random.Generator) -> dict:
    """One block's draws per uncertain parameter, in the section's order: a standard normal
    deviate for a normal draw, the value itself for a uniform or triangular one."""
    n, drawn = BLOCK_DRAWS, {}
    for path, entry in spec.parameters.items():
        if entry["distribution"] == "normal":
            drawn[path] = rng.standard_normal(n)
        elif entry["distribution"] == "uniform":
            drawn[path] = rng.uniform(entry["low"], entry["high"], n)
        elif entry["low"] == entry["high"]:
            drawn[path] = np.full(n, entry["low"])
        else:
            drawn[path] = rng.triangular(entry["low"], entry["mode"], entry["high"], n)
    return drawn


def draw_parameters(spec: ShockSpec, scenario, start: int, stop: int, seed=None) -> dict:
    """The uncertain parameters in draws ``start`` … ``stop - 1``: ``{path: (n,)}`` for a
    scalar, ``{path: (n, years)}`` for a yearly parameter, kept within its allowed range and
    rounded where it is a whole number. Draw ``i`` is the same whatever ``start``/``stop``.

    Examples
    --------
    >>> import fiscal_sim
    >>> from fiscal_sim.params.uncertain import resolve_parameters
    >>> spec = ShockSpec(parameters=resolve_parameters({"people.staff": 100}, Locator()))
    >>> staff = draw_parameters(spec, fiscal_sim.load_scenario(), 0, 3000, seed=1)["people.staff"]
    >>> staff.shape, bool((staff == staff.round()).all()), bool(4950 < staff.mean() < 5050)
    ((3000,), True, True)
    """
    from fiscal_sim.params.schema import spec_for

    root = seed_sequence(seed)
    first, last = start // BLOCK_DRAWS, -(-stop // BLOCK_DRAWS)
    blocks = [
        _block_parameters(spec, _block_rng(root, b, (PARAMETER_STREAM,)))
        for b in range(first, last)
    ]
    cut = slice(start - first * BLOCK_DRAWS, stop - first * BLOCK_DRAWS)
    values = {}
    for path, entry in spec.parameters.items():
        drawn = np.concatenate([block[path] for block in blocks])[cut]
        given = np.asarray(scenario.value(path), dtype=float)
        column = drawn[:, None] if given.ndim else drawn
        if entry["distribution"] == "normal":
            value = given + entry["sd"] * column
        else:
            value = np.broadcast_to(column, (drawn.size, *given.shape))
        schema = spec_for(path)
        low = -np.inf if schema.minimum is None else schema.minimum
        high = np.inf if schema.upper is None else schema.upper
        value = np.clip(value, low, high)
        values[path] = np.round(value) if schema.integer else value
    return values


# -- the Monte Carlo run -----------------------------------------------------------------------

DEFAULT_CHUNK = 4 * BLOCK_DRAWS
# Above the exact limit the kept subsample is as large as it gets: half the chunk keeps the
# run's peak memory (kept draws + one chunk's engine arrays) under 300 MB at 10^6 draws.
LARGE_RUN_CHUNK = 2 * BLOCK_DRAWS
EXACT_LIMIT = 200_000
# From this many draws the compiled kernels pay for numba's import and for loading them
# (about a second on first use in a process); below it the numpy engine is faster.
KERNELS_FROM = 100_000


# Chunks projected ahead, each in a thread of its own (up to the machine's cores), while the
# one before is summed up.
CHUNKS_AHEAD = 2


def in_order(project, starts, ahead: int = CHUNKS_AHEAD):
    """``(start, project(start))`` for each of ``starts``, in order; with ``ahead`` > 0 the
    next ``ahead`` chunks are projected in threads (as many as there are cores, at most
    ``ahead``) while the caller works on this one.

    numpy and the compiled kernels leave the interpreter for most of a chunk's projection,
    so on two cores two chunks are projected at once and the caller's summing up fills the
    gaps (at 10^5 draws 1.4 s where one chunk ahead took 2.1 s); each chunk ahead holds
    what ``project`` returns in memory. The results are the same: each chunk is projected alone
    and summed up in its turn. An error in a chunk is raised when its turn comes.
    """
    if ahead < 1:
        for start in starts:
            yield start, project(start)
        return
    import contextvars
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    starts = list(starts)
    workers = max(1, min(ahead, os.cpu_count() or 1))
    with ThreadPoolExecutor(workers, thread_name_prefix="fiscal-sim-chunks") as pool:

        def submit(start):  # in the caller's context (numpy's error state included)
            return pool.submit(contextvars.copy_context().run, project, start)

        pending = deque(submit(start) for start in starts[:ahead])
        for index, start in enumerate(starts):
            projection = pending.popleft().result()
            if index + ahead < len(starts):
                pending.append(submit(starts[index + ahead]))
            yield start, projection
            del projection


def uses_kernels(draws: int, exact_limit: int = EXACT_LIMIT) -> bool:
    """Whether :func:`simulate` projects ``draws`` draws through the compiled kernels by
    default: from :data:`KERNELS_FROM` draws up to ``exact_limit``, when numba is installed
    and the cache is on (else every process would compile them again, which takes longer
    than they save).

    Above the exact limit the run keeps its memory low (its kept subsample is as large as it
    gets), and numba's libraries and compiled code take about 120 MB more: there the kernels
    (about 1.6x faster at 10^6 draws) are asked for with ``compiled=True``.
    """
    from importlib.util import find_spec

    from fiscal_sim.cache import cache_dir

    if not KERNELS_FROM <= draws <= exact_limit or cache_dir("numba") is None:
        return False
    return find_spec("numba") is not None


def simulate(
    scenario,
    draws: int = 10_000,
    seed=None,
    chunk_size: int | None = None,
    quantiles=None,
    exact_limit: int = EXACT_LIMIT,
    spec: ShockSpec | None = None,
    progress=None,
    projector=None,
    compiled: bool | None = None,
):
    """Run ``draws`` Monte Carlo draws of ``scenario`` through the engine; return an Ensemble.

    Parameters
    ----------
    scenario
        A loaded :class:`~fiscal_sim.scenario.Scenario`; its ``shocks:`` section (or the
        defaults, *assumptions*) gives the shock model.
    draws
        Number of draws (1 … 10,000,000).
    seed
        An int or a :class:`numpy.random.SeedSequence`; None takes fresh entropy, recorded in
        ``ensemble.meta["seed"]`` so the run can be repeated.
    chunk_size
        Draws per engine call (memory is bounded by it: up to ``exact_limit`` draws the
        next two chunks are projected while one is summed up, :func:`in_order`); rounded up to a
        multiple of :data:`BLOCK_DRAWS`. Results do not depend on it. Default
        :data:`DEFAULT_CHUNK`, or :data:`LARGE_RUN_CHUNK` above ``exact_limit`` draws.
    quantiles
        Quantile levels (default 5, 10, 25, 50, 75, 90, 95 %).
    exact_limit
        Up to this many draws quantiles are exact; above it they come from a systematic
        subsample of every k-th draw (at most ``exact_limit`` kept). Probabilities, means,
        standard deviations, minima and maxima always use every draw.
    spec
        A :class:`ShockSpec` to use instead of the scenario's (e.g. ``spec.scaled(0)``).
    progress
        Optional callable, called with the number of draws just finished after each chunk.
    projector
        Optional ``projector(shocks) -> Projection`` in place of ``project(scenario,
        shocks=shocks)`` (``shocks=None``: the baseline), for a projection that takes more
        inputs than the shocks (a re-forecast on actuals, :mod:`fiscal_sim.restart`).
    compiled
        Project the draws through the engine's compiled kernels (numba,
        :mod:`fiscal_sim.engine.kernels`): the same numbers bit for bit, in less time at
        many draws, for about 120 MB more memory. Default: :func:`uses_kernels`, from
        :data:`KERNELS_FROM` draws (where they save more than numba's start-up costs) up to
        ``exact_limit``.

    Returns
    -------
    fiscal_sim.ensemble.Ensemble

    Examples
    --------
    >>> import fiscal_sim
    >>> ens = simulate(fiscal_sim.load_scenario(), draws=2000, seed=7)
    >>> ens.draws, float(ens.breach_probability("advance_cap").loc[2019])
    (2000, 1.0)
    """
    from fiscal_sim.accumulator import Accumulator, summarise
    from fiscal_sim.engine import run
    from fiscal_sim.memory import chunk_memory_kept
    from fiscal_sim.results import Projection, project
    from fiscal_sim.stacking import with_draws

    if isinstance(draws, bool) or not isinstance(draws, int | np.integer) or draws < 1:
        raise ValueError(f"draws must be a positive whole number, got {draws!r}")
    spec = shock_spec(scenario) if spec is None else spec
    root = seed_sequence(seed)
    chunk = int(chunk_size or (DEFAULT_CHUNK if draws <= exact_limit else LARGE_RUN_CHUNK))
    if chunk < 1:
        raise ValueError(f"chunk_size must be positive, got {chunk_size!r}")
    chunk = -(-chunk // BLOCK_DRAWS) * BLOCK_DRAWS
    years = len(scenario.years)
    drawn_parameters = bool(spec.parameters) and projector is None
    compiled = uses_kernels(draws, exact_limit) if compiled is None else compiled
    if projector is None:

        def projector(shocks, start=0, stop=0):
            if shocks is None:  # the baseline: the reference engine
                return project(scenario, seed=root.entropy)
            drawn = scenario
            if spec.parameters:
                drawn = with_draws(scenario, draw_parameters(spec, scenario, start, stop, root))
            record = run(drawn, shocks=shocks, compiled=compiled)
            return Projection.from_run(record, seed=root.entropy)

    baseline = projector(None)
    accumulator = Accumulator(baseline, int(draws), quantiles, exact_limit, compiled)

    def projected(start):  # in a worker thread: only the chunk's summary comes back
        shocks = draw_shocks(spec, years, start, min(start + chunk, draws), root)
        if drawn_parameters:
            return summarise(projector(shocks, start, min(start + chunk, draws)))
        return summarise(projector(shocks))

    # Above the exact limit the run is kept small in memory: no chunk is projected ahead.
    ahead = CHUNKS_AHEAD if draws <= exact_limit else 0
    seed_meta = {"seed": root.entropy}
    if spec.parameters:  # a re-forecast's own projector draws the revenue shocks only
        seed_meta["parameter_uncertainty"] = (
            spec.describe_parameters() if drawn_parameters else "not drawn (re-forecast)"
        )
    if root.spawn_key:
        seed_meta["seed_spawn_key"] = list(root.spawn_key)
    with chunk_memory_kept():  # each chunk's arrays in the memory the one before freed
        for start, summary in in_order(projected, range(0, draws, chunk), ahead):
            accumulator.add(summary, start)
            del summary
            if progress is not None:
                progress(min(start + chunk, draws) - start)
        return accumulator.result(
            **seed_meta, shock_model=spec.summary(), shock_table=spec.describe()
        )
