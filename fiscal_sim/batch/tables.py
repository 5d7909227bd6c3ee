"""The tidy tables of a batch, built from its counties' results.

- ``indicators``: county × year × indicator: ``code, name, prefecture, year, indicator,
  value`` (the deterministic projection) and, with draws, ``mean, p5, p50, p95`` of the
  Monte Carlo;
- ``rules``: county × rule × year: ``code, name, prefecture, rule, clause, year, breached``
  (in the deterministic projection) and, with draws, ``probability`` (of a breach that year)
  and ``probability_any_year``;
- ``counties``: one row per county: file, title, scenario hash, seed, ``status`` (ok or
  failed);
- ``errors``: one row per county that failed: ``code, name, file, key, message``.
"""

from __future__ import annotations

import numpy as np

from fiscal_sim.batch.work import QUANTILE_LEVELS, TABLE_INDICATORS

QUANTILE_COLUMNS = tuple(f"p{round(level * 100)}" for level in QUANTILE_LEVELS)
ID_COLUMNS = ("code", "name", "prefecture")


def _ids(result, rows: int) -> dict:
    county = result.county
    return {
        "code": [county.code] * rows,
        "name": [county.name] * rows,
        "prefecture": [county.prefecture] * rows,
    }


def indicators_table(results, draws: int):
    """County × year × indicator (see the module docstring)."""
    import pandas as pd

    columns = [*ID_COLUMNS, "year", "indicator", "value"]
    if draws:
        columns += ["mean", *QUANTILE_COLUMNS]
    parts = []
    for result in results:
        if not result.ok:
            continue
        years = np.asarray(result.years)
        n = len(TABLE_INDICATORS) * len(years)
        part = {
            **_ids(result, n),
            "year": np.tile(years, len(TABLE_INDICATORS)),
            "indicator": np.repeat(TABLE_INDICATORS, len(years)),
            "value": result.values.reshape(-1),
        }
        if draws:
            part["mean"] = result.mean.reshape(-1)
            for name, values in zip(QUANTILE_COLUMNS, result.quantiles, strict=True):
                part[name] = values.reshape(-1)
        parts.append(pd.DataFrame(part))
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)[columns]


def rules_table(results, draws: int):
    """County × rule × year (see the module docstring)."""
    import pandas as pd

    from fiscal_sim.rules import RULES

    columns = [*ID_COLUMNS, "rule", "clause", "year", "breached"]
    if draws:
        columns += ["probability", "probability_any_year"]
    parts = []
    for result in results:
        if not result.ok:
            continue
        years, rules = np.asarray(result.years), list(result.rules)
        n = len(rules) * len(years)
        part = {
            **_ids(result, n),
            "rule": np.repeat(rules, len(years)),
            "clause": np.repeat([RULES[rule].clause for rule in rules], len(years)),
            "year": np.tile(years, len(rules)),
            "breached": result.breached.reshape(-1),
        }
        if draws:
            part["probability"] = result.probability.reshape(-1)
            part["probability_any_year"] = np.repeat(result.probability_any, len(years))
        parts.append(pd.DataFrame(part))
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)[columns]


def counties_table(results):
    """One row per county: ``code, name, prefecture, file, title, hash, seed, status``."""
    import pandas as pd

    rows = [
        {
            "code": r.county.code,
            "name": r.county.name,
            "prefecture": r.county.prefecture,
            "file": r.county.file,
            "title": r.title,
            "hash": r.hash,
            "seed": "" if r.seed is None else " ".join(str(part) for part in r.seed),
            "status": "ok" if r.ok else "failed",
        }
        for r in results
    ]
    return pd.DataFrame(
        rows, columns=["code", "name", "prefecture", "file", "title", "hash", "seed", "status"]
    )


def errors_table(results, lang: str = "en"):
    """One row per county that failed: ``code, name, file, key, message`` (in ``lang``)."""
    import pandas as pd

    rows = [
        {
            "code": r.county.code,
            "name": r.county.name,
            **r.error,
            "message": r.error.get(f"message_{lang}", r.error["message"]),
        }
        for r in results
        if not r.ok
    ]
    return pd.DataFrame(rows, columns=["code", "name", "file", "key", "message"])


def risk_rows(results) -> list[dict]:
    """The risk inputs of every county that completed, with its code, name and prefecture."""
    return [
        {
            "code": r.county.code,
            "name": r.county.name,
            "prefecture": r.county.prefecture,
            **r.risk,
        }
        for r in results
        if r.ok
    ]
