"""The report's tables of a Monte Carlo run (:func:`fiscal_sim.simulate` -> ``Ensemble``):
breach probabilities by rule and year, quantiles and the shock model, selected, labelled and
ordered from the ensemble's own tables. Nothing is computed or drawn here.
"""

from __future__ import annotations

import pandas as pd

_PROBABILITY = "ratio"


def check_ensemble(projection, ensemble) -> None:
    """A report's ensemble must be a run of the projection's scenario (the same hash)."""
    meta = getattr(projection, "meta", {}) or {}
    if ensemble.meta.get("hash") != meta.get("hash"):
        raise ValueError(
            f"the ensemble is of {ensemble.meta.get('scenario')} [{ensemble.meta.get('hash')}], "
            f"the projection of {meta.get('scenario')} [{meta.get('hash')}]"
        )


def breach_frame(ensemble, lang: str) -> pd.DataFrame:
    """The probability that each rule breaks, by year and in any year (``any_year``), with
    its title and clause; the most likely breaches first (then registry order)."""
    from fiscal_sim.rules import RULES

    table = ensemble.breach_probabilities()
    years = [int(year) for year in ensemble.years]
    rows = []
    for rule, probabilities in table.iterrows():
        found = RULES.get(rule)
        rows.append(
            {
                "rule": rule,
                "title": ""
                if found is None
                else (found.title_zh if lang == "zh" else found.title_en),
                "clause": "" if found is None else found.clause,
                **{year: float(probabilities[year]) for year in years},
                "any_year": float(probabilities["any_year"]),
            }
        )
    frame = pd.DataFrame(rows, columns=["rule", "title", "clause", *years, "any_year"])
    peak = frame[years].max(axis=1) if years else 0.0
    frame = (
        frame.assign(_peak=peak)
        .sort_values(["any_year", "_peak"], ascending=False, kind="stable")
        .drop(columns="_peak")
        .reset_index(drop=True)
    )
    frame.attrs["column_kinds"] = {column: _PROBABILITY for column in [*years, "any_year"]}
    return frame


def quantiles_frame(ensemble, lang: str, indicators=None) -> pd.DataFrame:
    """One row per indicator and year: the ensemble's quantiles, mean, std, min, max and the
    deterministic baseline (``Ensemble.quantiles``); every indicator unless ``indicators``."""
    from fiscal_sim.labels import indicator_label

    parts = []
    for name in indicators or ensemble.indicators:
        table = ensemble.quantiles(name).reset_index()
        table.insert(0, "label", indicator_label(name, lang))
        table.insert(0, "indicator", name)
        parts.append(table)
    frame = pd.concat(parts, ignore_index=True)
    frame["year"] = frame["year"].astype(int)
    frame.attrs["kinds"] = list(frame["indicator"])
    frame.attrs["kind_columns"] = [
        column for column in frame.columns if column not in ("indicator", "label", "year")
    ]
    return frame


def shocks_frame(ensemble, lang: str) -> pd.DataFrame:
    """The shock model of the run (``meta["shock_table"]``): line, distribution, σ, φ, source."""
    from fiscal_sim.labels import indicator_label

    rows = [
        {
            "line": indicator_label(row["line"], lang),
            "distribution": row.get("distribution", ""),
            "sigma": row.get("sigma"),
            "persistence": row.get("persistence"),
            "source": row.get("source", ""),
        }
        for row in ensemble.meta.get("shock_table", ())
    ]
    frame = pd.DataFrame(rows, columns=["line", "distribution", "sigma", "persistence", "source"])
    frame.attrs["column_kinds"] = {"sigma": "ratio", "persistence": "number"}
    return frame


def uncertainty_tables(ensemble, lang: str) -> dict[str, pd.DataFrame]:
    """The tables a report adds for a Monte Carlo run, by sheet key."""
    return {
        "breach_probability": breach_frame(ensemble, lang),
        "quantiles": quantiles_frame(ensemble, lang),
    }
