"""The work of a batch: a block of counties loaded, projected, checked and simulated.

:func:`project_block` is the task a Dask worker runs (or the batch runs in its own process):
it loads each county's file, keeps a bad file as an error of that county, and hands the
loaded scenarios to :func:`project_counties`. What comes back is small and plain (numpy
arrays of indicators per year and of breaches per rule and year), so a block's result costs
little to send back from a worker.

:func:`project_counties` is the one place that calls the engine. The counties of a block
that can be stacked (the same :func:`stack_key`: horizon, words, programme rows) are one
engine call, their parameters on the draw axis (:func:`fiscal_sim.stack`); the projection is
split back per county and the rules are checked on each part, which equals the county
projected alone bit for bit. A county with no other of its key runs alone, and so does every
county of a group whose stacked call fails (the failure is then pinned on its county).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from fiscal_sim.batch.counties import County, county_seed
from fiscal_sim.errors import FiscalSimError, in_lang
from fiscal_sim.labels import INDICATORS

# Indicators of the tables: those of Projection.indicators() and 综合财力 (the debt ratio's
# denominator, so that a roll-up can recompute the ratio from sums).
TABLE_INDICATORS = (*INDICATORS, "comprehensive_capacity")
QUANTILE_LEVELS = (0.05, 0.50, 0.95)
TOLERANCE = 1e-6  # 万元, as the rules' own tolerance


@dataclass
class CountyResult:
    """What a batch keeps of one county (or, with ``error`` set, why it failed).

    ``values`` is (indicators, years) in :data:`TABLE_INDICATORS` order, the deterministic
    projection; ``breached`` is (rules, years) in ``rules`` order; with draws,
    ``probability`` is (rules, years), ``probability_any`` (rules,), ``mean`` and
    ``quantiles`` (levels, indicators, years) of the Monte Carlo. ``risk`` holds the inputs
    of the risk score (:mod:`fiscal_sim.batch.risk`).
    """

    county: County
    hash: str = ""
    title: str = ""
    years: tuple = ()
    rules: tuple = ()
    values: np.ndarray | None = None
    breached: np.ndarray | None = None
    probability: np.ndarray | None = None
    probability_any: np.ndarray | None = None
    mean: np.ndarray | None = None
    quantiles: np.ndarray | None = None
    risk: dict = field(default_factory=dict)
    seed: list | None = None
    error: dict | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def error_record(county: County, error: BaseException) -> dict:
    """The file, key and message of a county that failed (``message_zh``: its Chinese)."""
    if isinstance(error, FiscalSimError):
        message, message_zh = str(error), in_lang(error, "zh")
    else:
        message = message_zh = f"{type(error).__name__}: {error}"
    return {
        "file": getattr(error, "file", None) or county.file,
        "key": getattr(error, "key", None) or "",
        "message": message,
        "message_zh": message_zh,
    }


def _risk_inputs(scenario, projection, any_probability: dict) -> dict:
    """The inputs of the risk score, read from the projection and the rules' probabilities."""
    annual = {name: projection.annual[name][0] for name in projection.annual}
    years = np.asarray(scenario.years)
    deadline = scenario.value("rules.legacy_deadline_year")
    legacy_start = float(scenario.value("advances.legacy"))
    behind = annual["legacy_target_cum"] - annual["legacy_digested_cum"]
    behind = np.where(behind > TOLERANCE, behind, 0.0)  # rounding is not a lag
    behind = behind[years <= deadline]
    left = annual["legacy_advances"][years >= deadline]
    return {
        "p_sanbao": any_probability["sanbao"],
        "p_cash_alarm": any_probability["treasury_cash_level"],
        "advance_ratio_max": float(annual["advance_ratio"].max()),
        "advance_cap": float(scenario.value("rules.advance_cap_ratio")),
        "legacy_behind_max": float(behind.max()) if behind.size else 0.0,
        "legacy_left_after_deadline": float(left.max()) if left.size else 0.0,
        "legacy_start": legacy_start,
        "debt_ratio_max": float(annual["debt_ratio"].max()),
        "debt_warning": float(scenario.value("rules.debt_ratio_warning")),
        "debt_high": float(scenario.value("rules.debt_ratio_high")),
    }


def stack_key(scenario) -> tuple:
    """What counties must share to be stacked into one engine call (:mod:`fiscal_sim.stacking`):
    the horizon, the words (policy choices, priority order) and the parameter paths (the
    livelihood programme rows)."""
    from fiscal_sim.stacking import WORD_KINDS

    words = tuple(param.value for param in scenario.params() if param.kind in WORD_KINDS)
    return scenario.base_year, scenario.end_year, words, tuple(scenario._params)


def project_stacked(scenarios) -> list:
    """The projections of ``scenarios``, each as if projected alone: those of the same
    :func:`stack_key` in one engine call (split back), a scenario alone in its own call. Should
    a stacked call fail, its scenarios are projected one by one (an error is then its own)."""
    from fiscal_sim.results import project
    from fiscal_sim.stacking import stack

    groups: dict[tuple, list[int]] = {}
    for index, scenario in enumerate(scenarios):
        groups.setdefault(stack_key(scenario), []).append(index)
    projections = [None] * len(scenarios)
    for members in groups.values():
        parts = None
        if len(members) > 1:
            try:
                parts = project(stack([scenarios[i] for i in members])).split()
            except FiscalSimError:  # some member fails: each alone, below, to name it
                parts = None
        if parts is None:
            parts = [project(scenarios[i]) for i in members]
        for index, part in zip(members, parts, strict=True):
            projections[index] = part
    return projections


def project_counties(counties, scenarios, draws: int, seed: int) -> list[CountyResult]:
    """Project, check and (with ``draws``) simulate loaded counties; one result each.

    The counties that can be stacked are projected in one engine call
    (:func:`project_stacked`); the Monte Carlo of each county is its own (its draws are on
    the draw axis).
    """
    from fiscal_sim.rules import RULE_IDS, breach_matrix
    from fiscal_sim.stochastic import simulate

    results = []
    projections = project_stacked(scenarios)
    for county, scenario, projection in zip(counties, scenarios, projections, strict=True):
        matrix = breach_matrix(projection)
        breached = np.stack([matrix[rule][0] for rule in RULE_IDS])
        values = np.stack([projection.annual[name][0] for name in TABLE_INDICATORS])
        sanbao_short = bool((projection.annual["sanbao_shortfall"][0] > TOLERANCE).any())
        result = CountyResult(
            county=county,
            hash=scenario.hash,
            title=scenario.title.get("zh") or scenario.name,
            years=tuple(int(year) for year in scenario.years),
            rules=RULE_IDS,
            values=values,
            breached=breached,
        )
        any_probability = {
            "sanbao": float(sanbao_short),
            "treasury_cash_level": float(breached[RULE_IDS.index("treasury_cash_level")].any()),
        }
        if draws:
            root = county_seed(seed, county.code)
            ensemble = simulate(scenario, draws=int(draws), seed=root)
            table = ensemble.breach.reindex(list(RULE_IDS)).fillna(0.0)
            result.probability = table[list(ensemble.years)].to_numpy(dtype=float)
            result.probability_any = table["any_year"].to_numpy(dtype=float)
            result.mean = _pick(ensemble.mean, ensemble.indicators)
            levels = [ensemble.levels.index(level) for level in QUANTILE_LEVELS]
            result.quantiles = np.stack(
                [_pick(ensemble.quantile_values[i], ensemble.indicators) for i in levels]
            )
            result.seed = list(root.entropy)
            any_probability = {
                "sanbao": float(ensemble.sanbao_probability_any),
                "treasury_cash_level": float(table.loc["treasury_cash_level", "any_year"]),
            }
        result.risk = _risk_inputs(scenario, projection, any_probability)
        results.append(result)
    return results


def _pick(array: np.ndarray, names) -> np.ndarray:
    """Rows of ``array`` (indicators, years) in TABLE_INDICATORS order; NaN where the ensemble
    has no such indicator."""
    names = list(names)
    out = np.full((len(TABLE_INDICATORS), array.shape[-1]), np.nan)
    for row, name in enumerate(TABLE_INDICATORS):
        if name in names:
            out[row] = array[names.index(name)]
    return out


def load_counties(counties):
    """Each county's scenario, or the error that stopped it: ``(loaded, failed)``."""
    from fiscal_sim.scenario import load_scenario

    loaded, failed = [], []
    for county in counties:
        try:
            loaded.append((county, load_scenario(county.file)))
        except (FiscalSimError, OSError) as error:
            failed.append(CountyResult(county=county, error=error_record(county, error)))
    return loaded, failed


def project_block(counties, draws: int = 0, seed: int = 0) -> list[CountyResult]:
    """The task of one block: load its counties, project those that load in one call; every
    county of the block comes back, in order, as a result or as its error.

    Should the projection of the block fail, its counties are projected again one by one, so
    that the failure is pinned on its county and the others still complete.
    """
    loaded, failed = load_counties(counties)
    results = {result.county.code: result for result in failed}
    try:
        projected = project_counties(
            [county for county, _ in loaded], [scenario for _, scenario in loaded], draws, seed
        )
    except Exception:  # find the county that failed, below
        projected = []
        for county, scenario in loaded:
            try:
                projected += project_counties([county], [scenario], draws, seed)
            except Exception as error:  # one county must not stop the others
                projected.append(CountyResult(county=county, error=error_record(county, error)))
    results.update((result.county.code, result) for result in projected)
    return [results[county.code] for county in counties]
