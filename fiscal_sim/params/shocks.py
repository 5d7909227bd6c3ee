"""The ``shocks:`` section of a scenario: its schema and its validation (model.md §9).

The loader validates the section of every file of an ``extends`` chain as it merges it, like
``measures:``, so a bad shock stops ``load_scenario`` with the file, the key path and the line;
:mod:`fiscal_sim.stochastic` and :mod:`fiscal_sim.stress_tests` build their objects from the
resolved values. The section::

    shocks:
      distribution: student_t     # normal (default), student_t or bootstrap
      df: 5                       # Student-t degrees of freedom, > 2
      tax: {sigma: 0.03, persistence: 0.3, source: "assumption"}
      correlation:                # of the yearly innovations; pairs not given are 0
        tax: {nontax: 0.5, land_sales: 0.3}
      stress_tests:               # scenario-defined stress tests (fiscal_sim.stress_tests)
        drought: {start: 2021, years: 2, sigmas: {tax: -1.5}, level: {land_sales: -0.3}}
      parameters:                 # uncertain parameters, drawn too (fiscal_sim.params.uncertain)
        pay.growth: {low: 0.02, high: 0.06}

or ``distribution: bootstrap`` with ``history: {line: [growth rates]}`` and ``block_years``.

Examples
--------
>>> resolve_shocks({"tax": {"sigma": 0.05}})["sigma"][0]
0.05
>>> resolve_shocks({"tax": {"sigma": float("nan")}}, Locator("x.yaml", {"shocks.tax.sigma": 4}))
Traceback (most recent call last):
...
fiscal_sim.errors.ScenarioError: x.yaml:4: shocks.tax.sigma: expected a finite number, got nan
"""

from __future__ import annotations

import copy

import numpy as np

from fiscal_sim.errors import Bilingual
from fiscal_sim.params.located import Locator, number
from fiscal_sim.params.schema import SHOCK_LINES, UNIT_MAXIMA
from fiscal_sim.params.stress_specs import resolve_stress_tests
from fiscal_sim.params.uncertain import resolve_parameters
from fiscal_sim.params.wording import one_of, unknown_key_expected

DISTRIBUTIONS = ("normal", "student_t", "bootstrap")
# Defaults when a scenario declares no shock (or leaves a line out): all *assumptions*.
DEFAULT_SIGMA = {
    "tax": (0.03, "assumption (tax growth σ 3 %)"),
    "nontax": (0.06, "assumption (non-tax growth σ 6 %)"),
    "general_transfers": (0.02, "assumption (general transfers growth σ 2 %)"),
    "land_sales": (0.30, "assumption (default-county.md: land sales volatile, σ ≈ 30 %)"),
}
DEFAULT_PERSISTENCE = (0.3, "assumption (AR(1) persistence 0.3)")
DEFAULT_CORRELATION = (
    {("tax", "nontax"): 0.5, ("tax", "land_sales"): 0.3, ("nontax", "land_sales"): 0.3},
    "assumption (own revenue and land sales move with the local economy; transfers do not)",
)
DEFAULT_DF = (5.0, "assumption (Student-t with 5 degrees of freedom)")
LINE_KEYS = {"sigma", "persistence", "source"}
TOP_KEYS = {
    "distribution",
    "df",
    "correlation",
    "history",
    "block_years",
    "source",
    "stress_tests",
    "parameters",
    *SHOCK_LINES,
}

# -- merging the files of a chain --------------------------------------------------------------


def _merge(base, overlay):
    if isinstance(base, dict) and isinstance(overlay, dict):
        merged = dict(base)
        for key, value in overlay.items():
            merged[key] = _merge(base.get(key), value)
        return merged
    return copy.deepcopy(overlay)


def merge_shocks(base, fragment, file, lines: dict | None = None, where: Locator | None = None):
    """Merge one file's ``shocks:`` over its base's and validate the result.

    Mappings merge key by key (an overlay changes ``tax.sigma`` and keeps ``tax.persistence``);
    anything else replaces. The merged section must be valid on its own.

    Parameters
    ----------
    base
        The section resolved so far (from the ``extends`` chain), or ``None``.
    fragment
        The file's ``shocks:`` value as read from YAML.
    file, lines
        The file and its map from dotted key path to line number.
    where
        The chain's :class:`Locator`, updated with this file's keys (a new one if ``None``).

    Returns
    -------
    The merged section, as written (numbers unconverted), or ``None`` when empty.

    Raises
    ------
    ScenarioError
        Naming the file, the key path under ``shocks`` and the line.
    """
    where = where if where is not None else Locator()
    where.add(file, lines or {})
    merged = _merge(base, fragment)
    resolve_shocks(merged, where)
    return merged


# -- validation --------------------------------------------------------------------------------


def _only_for(distribution: str) -> Bilingual:
    return Bilingual(
        "仅用于 distribution: {name}", "only for distribution: {name}", name=distribution
    )


def _unknown_line(lines) -> Bilingual:
    return Bilingual(
        "未知收入项目；应为 {lines} 之一", "unknown line; expected one of {lines}", lines=lines
    )


def resolve_shocks(raw, where: Locator | None = None, years=None) -> dict:
    """Validate a merged ``shocks:`` section and resolve it with its defaults.

    Returns ``{distribution, sigma, persistence, correlation, df, history, block_years,
    sources, stress_tests, parameters}``: ``sigma``/``persistence`` are lists in
    :data:`SHOCK_LINES` order, ``correlation`` a nested list, ``history`` the demeaned
    bootstrap deviations (years × lines) or ``None``, ``stress_tests`` ``{name: {title,
    start, years, growth, sigmas, level, transfer_delay}}``, ``parameters`` the uncertain
    parameters (:func:`fiscal_sim.params.uncertain.resolve_parameters`). ``years`` (the
    projection years), when given, bounds the start years of stress tests.
    """
    where = where if where is not None else Locator()
    raw = {} if raw is None else raw
    if not isinstance(raw, dict):
        raise where.error(
            "",
            Bilingual(
                "应为映射（distribution、各收入项目、correlation、history）",
                "expected a mapping (distribution, lines, correlation, history)",
            ),
        )
    for key in raw:
        if key not in TOP_KEYS:
            raise where.error(
                str(key),
                Bilingual(
                    "未知键；应为 {keys} 之一",
                    "unknown key; expected one of {keys}",
                    keys=sorted(TOP_KEYS),
                ),
            )
    tests = resolve_stress_tests(raw.get("stress_tests"), where, years)
    parameters = resolve_parameters(raw.get("parameters"), where)
    distribution = raw.get("distribution", "normal")
    if distribution not in DISTRIBUTIONS:
        raise where.error("distribution", one_of(DISTRIBUTIONS, distribution))
    if distribution == "bootstrap":
        return {**_bootstrap(raw, where), "stress_tests": tests, "parameters": parameters}
    for key in ("history", "block_years"):
        if key in raw:
            raise where.error(key, _only_for("bootstrap"))

    k = len(SHOCK_LINES)
    sigma, persistence, sources = [0.0] * k, [0.0] * k, {}
    for i, line in enumerate(SHOCK_LINES):
        entry = raw.get(line, {})
        if isinstance(entry, int | float) and not isinstance(entry, bool):
            entry = {"sigma": entry}
        if not isinstance(entry, dict):
            raise where.error(
                line,
                Bilingual(
                    "应为 {sigma: ..., persistence: ..., source: ...}",
                    "expected {sigma: ..., persistence: ..., source: ...}",
                ),
            )
        for key in entry:
            if key not in LINE_KEYS:
                raise where.error(f"{line}.{key}", unknown_key_expected(sorted(LINE_KEYS)))
        default_sigma, default_source = DEFAULT_SIGMA[line]
        sigma[i] = number(where, f"{line}.sigma", entry.get("sigma", default_sigma), 0.0, 1.0)
        persistence[i] = number(
            where,
            f"{line}.persistence",
            entry.get("persistence", DEFAULT_PERSISTENCE[0]),
            -0.99,
            0.99,
        )
        parts = [
            (entry.get("source") or "scenario") if "sigma" in entry else f"σ: {default_source}"
        ]
        if "persistence" not in entry:
            parts.append(f"φ: {DEFAULT_PERSISTENCE[1]}")
        sources[line] = "; ".join(str(part) for part in parts)

    if "correlation" in raw:
        correlation = _correlation(raw["correlation"], where)
        sources["correlation"] = str(raw.get("source") or "scenario")
    else:
        correlation = np.eye(k)
        for (a, b), rho in DEFAULT_CORRELATION[0].items():
            i, j = SHOCK_LINES.index(a), SHOCK_LINES.index(b)
            correlation[i, j] = correlation[j, i] = rho
        sources["correlation"] = DEFAULT_CORRELATION[1]
    try:
        np.linalg.cholesky(correlation)
    except np.linalg.LinAlgError:
        raise where.error(
            "correlation",
            Bilingual(
                "相关系数矩阵不是正定矩阵", "the correlation matrix is not positive definite"
            ),
        ) from None

    df = DEFAULT_DF[0]
    if distribution == "student_t":
        df = number(where, "df", raw.get("df", DEFAULT_DF[0]), 2.0, low_open=True)
        sources["df"] = "scenario" if "df" in raw else DEFAULT_DF[1]
    elif "df" in raw:
        raise where.error("df", _only_for("student_t"))
    return {
        "distribution": distribution,
        "sigma": sigma,
        "persistence": persistence,
        "correlation": correlation.tolist(),
        "df": df,
        "history": None,
        "block_years": 1,
        "sources": sources,
        "stress_tests": tests,
        "parameters": parameters,
    }


def _correlation(raw, where: Locator) -> np.ndarray:
    matrix = np.eye(len(SHOCK_LINES))
    if not isinstance(raw, dict):
        raise where.error(
            "correlation",
            Bilingual(
                "应为 {line: {other_line: rho, ...}, ...}",
                "expected {line: {other_line: rho, ...}, ...}",
            ),
        )
    seen = {}
    for a, row in raw.items():
        if a not in SHOCK_LINES:
            raise where.error(f"correlation.{a}", _unknown_line(SHOCK_LINES))
        if not isinstance(row, dict):
            raise where.error(
                f"correlation.{a}",
                Bilingual("应为 {other_line: rho, ...}", "expected {other_line: rho, ...}"),
            )
        for b, rho in row.items():
            key = f"correlation.{a}.{b}"
            if b not in SHOCK_LINES or b == a:
                raise where.error(
                    key,
                    Bilingual(
                        "应为 {lines} 中的另一个收入项目",
                        "expected another line of {lines}",
                        lines=SHOCK_LINES,
                    ),
                )
            value = number(where, key, rho, -1.0, 1.0)
            pair = frozenset((a, b))
            if pair in seen and seen[pair] != value:
                raise where.error(
                    key,
                    Bilingual(
                        "重复给出且取值不同（{other:g}）",
                        "given twice with different values ({other:g})",
                        other=seen[pair],
                    ),
                )
            seen[pair] = value
            i, j = SHOCK_LINES.index(a), SHOCK_LINES.index(b)
            matrix[i, j] = matrix[j, i] = value
    return matrix


def _bootstrap(raw: dict, where: Locator) -> dict:
    for key in ("correlation", "df", *SHOCK_LINES):
        if key in raw:
            raise where.error(
                key,
                Bilingual(
                    "distribution: bootstrap 时不用此项（冲击由 history 给出）",
                    "not used with distribution: bootstrap (the history gives the shocks)",
                ),
            )
    history = raw.get("history")
    if not isinstance(history, dict) or not history:
        raise where.error(
            "history",
            Bilingual(
                "应为 {line: [增长率，每年一个], ...}",
                "expected {line: [growth rates, one per year], ...}",
            ),
        )
    columns, length = {}, None
    for line, series in history.items():
        if line not in SHOCK_LINES:
            raise where.error(f"history.{line}", _unknown_line(SHOCK_LINES))
        if isinstance(series, dict):  # {year: growth} keeps the years in order
            if not all(isinstance(year, int) and not isinstance(year, bool) for year in series):
                raise where.error(
                    f"history.{line}",
                    Bilingual(
                        "应以年份为键（{2015: 0.08, ...}）",
                        "expected years as keys ({2015: 0.08, ...})",
                    ),
                )
            series = [series[year] for year in sorted(series)]
        if not isinstance(series, list) or len(series) < 2:
            raise where.error(
                f"history.{line}",
                Bilingual(
                    "应为至少 2 个增长率的列表", "expected a list of at least 2 growth rates"
                ),
            )
        values = [
            number(where, f"history.{line}.{n}", value, -1.0, UNIT_MAXIMA["fraction"], True)
            for n, value in enumerate(series)
        ]
        if length is not None and len(values) != length:
            raise where.error(
                f"history.{line}",
                Bilingual(
                    "应与其他收入项目一样为 {length} 年（各项目年份相同）",
                    "expected {length} years like the other lines (joint years)",
                    length=length,
                ),
            )
        length = len(values)
        columns[line] = np.asarray(values)
    block = raw.get("block_years", 1)
    if isinstance(block, bool) or not isinstance(block, int) or not 1 <= block <= length:
        raise where.error(
            "block_years",
            Bilingual(
                "应为 1 到 {length} 之间的整数",
                "expected a whole number from 1 to {length}",
                length=length,
            ),
        )
    deviations = np.zeros((length, len(SHOCK_LINES)))
    for line, values in columns.items():
        deviations[:, SHOCK_LINES.index(line)] = values - values.mean()
    k = len(SHOCK_LINES)
    return {
        "distribution": "bootstrap",
        "sigma": [0.0] * k,
        "persistence": [0.0] * k,
        "correlation": np.eye(k).tolist(),
        "df": DEFAULT_DF[0],
        "history": deviations.tolist(),
        "block_years": int(block),
        "sources": {
            line: (raw.get("source") or "scenario history") if line in columns else "no shock"
            for line in SHOCK_LINES
        },
    }
