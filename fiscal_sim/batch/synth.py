"""A synthetic province to try batches on: county files perturbed from a base scenario.

Each county is a YAML overlay that ``extends:`` the base (``default`` unless told) and
changes only its money, people, own revenue, staff, legacy advances and debt. Every file
says in its title, description and sources that it is **synthetic** (合成数据, not a real
county); its code is ``99PPCC`` (99 is no province: PP the synthetic prefecture, CC the
county), and the seed of its draws is ``SeedSequence([seed, code])``, so county 990103 is
the same whatever the number of counties written.

The perturbations (independent, lognormal around 1, clipped; an *assumption* for demos,
tests and benchmarks, not an estimate):

==============  ======================================================  ======  ==========
factor          multiplies                                              σ       clipped to
==============  ======================================================  ======  ==========
size            every 万元 and persons parameter (a county k times as    0.35    0.4 – 2.5
                large)
own revenue     tax and non-tax revenue, on top of size (self-           0.25    0.5 – 2.0
                sufficiency)
staff           serving staff, on top of size                           0.10    0.7 – 1.4
advances        the legacy advance stock, on top of size                0.50    0.2 – 3.0
debt            debt balances, ceilings and new issues, on top of size  0.30    0.4 – 2.2
==============  ======================================================  ======  ==========

Examples
--------
>>> code_for(0, 8), code_for(9, 8)
('990101', '990202')
"""

from __future__ import annotations

import datetime
import math
from pathlib import Path

import numpy as np

from fiscal_sim.batch.counties import MANIFEST_COLUMNS, MANIFEST_NAME

FACTORS = {
    # name: (sigma, low, high, which parameters on top of size)
    "size": (0.35, 0.4, 2.5, None),
    "own_revenue": (0.25, 0.5, 2.0, ("revenue.tax", "revenue.nontax")),
    "staff": (0.10, 0.7, 1.4, ("people.staff",)),
    "advances": (0.50, 0.2, 3.0, ("advances.legacy",)),
    "debt": (
        0.30,
        0.4,
        2.2,
        tuple(
            f"debt.{kind}.{key}"
            for kind in ("general", "special")
            for key in ("balance", "ceiling", "new_issue", "ceiling_increase")
        ),
    ),
}
SCALED_UNITS = ("wan_yuan", "persons")
PER_PREFECTURE = 8
MAX_COUNTIES = 99 * 99


def code_for(index: int, per_prefecture: int) -> str:
    """The code ``99PPCC`` of the ``index``-th county (from 0)."""
    prefecture, county = divmod(index, per_prefecture)
    return f"99{prefecture + 1:02d}{county + 1:02d}"


def per_prefecture_for(counties: int) -> int:
    """Counties per prefecture: about :data:`PER_PREFECTURE`, more when 99 prefectures of
    that size would not hold them (codes have two digits for each)."""
    return max(PER_PREFECTURE, math.ceil(counties / 99))


def factors(seed: int, code: str) -> dict[str, float]:
    """The county's perturbation factors, drawn from ``SeedSequence([seed, code])``."""
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), int(code)]))
    out = {}
    for name, (sigma, low, high, _) in FACTORS.items():
        out[name] = float(np.clip(np.exp(sigma * rng.standard_normal()), low, high))
    return out


def _rounded(value: float, unit: str):
    return round(value) if unit == "persons" else round(float(value), 1)


def scale_of(path: str, drawn: dict[str, float]) -> float:
    """The factor a county's drawn ``factors`` put on the parameter at ``path``: its size,
    times the factor drawn on top for the paths that factor names."""
    factor = drawn["size"]
    for name, (_, _, _, paths) in FACTORS.items():
        if paths is not None and path in paths:
            factor *= drawn[name]
    return factor


def scaled_values(base, drawn: dict[str, float]):
    """``(param, factor, value)`` of each parameter of ``base`` a county scales: its money and
    persons (scalar or yearly, not zero), ``value`` scaled and rounded as the file writes it
    (a float, or a list by projection year)."""
    for param in base.params():
        if param.unit not in SCALED_UNITS or param.kind not in ("scalar", "yearly"):
            continue
        values = np.asarray(param.value, dtype=float)
        if not np.any(values):
            continue
        factor = scale_of(param.path, drawn)
        if param.kind == "scalar":
            yield param, factor, _rounded(float(values) * factor, param.unit)
        else:
            yield param, factor, [_rounded(v * factor, param.unit) for v in values]


def synthetic_scenario(base, code: str, seed: int):
    """The synthetic county ``code`` as a scenario in memory (no file): the values its file
    would hold (:func:`overlay`), for benchmarks and tests that need many counties quickly."""
    import dataclasses

    from fiscal_sim.perturb import with_values

    values = {param.path: value for param, _, value in scaled_values(base, factors(seed, code))}
    return dataclasses.replace(with_values(base, values), name=f"synthetic-{code}")


def overlay(base, code: str, seed: int, extends: str, date: str) -> dict:
    """The YAML mapping of one synthetic county."""
    drawn = factors(seed, code)
    title = {
        "zh": f"合成县{code}（合成数据，非真实县）",
        "en": f"Synthetic county {code} (synthetic data, not a real county)",
    }
    note = (
        f"{extends} × size {drawn['size']:.3f}"
        + "".join(f", {name} {drawn[name]:.3f}" for name in FACTORS if name != "size")
        + f"; fiscal-sim synth --seed {seed}"
    )
    document: dict = {
        "extends": extends,
        "meta": {
            "name": f"synthetic-{code}",
            "title": title,
            "description": {
                "zh": f"由{extends}按文档所述分布扰动生成的合成县，"
                "仅供演示、测试和基准，不是真实数据。",
                "en": f"A county perturbed from {extends} by documented distributions, for demos, "
                "tests and benchmarks only; not real data.",
            },
            "date": date,
            "sources": [f"合成数据 synthetic: {note} (docs/batch.md)"],
        },
    }
    for param, factor, value in scaled_values(base, drawn):
        if param.kind == "yearly":
            # A step mapping: the first year, then each year the value changes.
            steps = value
            value = {
                int(year): step
                for i, (year, step) in enumerate(zip(base.years, steps, strict=True))
                if i == 0 or step != steps[i - 1]
            }
        leaf = {"value": value, "unit": param.unit, "source": f"synthetic: × {factor:.3f}"}
        node = document
        *parents, last = param.path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = leaf
    return document


def write_counties(counties: int, seed: int, output, extends: str = "default") -> Path:
    """Write ``counties`` synthetic county files and their ``manifest.csv`` into ``output``.

    Returns the manifest's path. The base is loaded once; each file is named by its code.
    """
    import csv

    import yaml

    from fiscal_sim.scenario import load_scenario

    if not 1 <= counties <= MAX_COUNTIES:
        raise ValueError(f"counties must be between 1 and {MAX_COUNTIES:,}, got {counties}")
    folder = Path(output)
    folder.mkdir(parents=True, exist_ok=True)
    base = load_scenario(extends)
    date = datetime.date.today().isoformat()
    per = per_prefecture_for(counties)
    rows = []
    for index in range(counties):
        code = code_for(index, per)
        path = folder / f"{code}.yaml"
        document = overlay(base, code, seed, extends, date)
        text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
        header = f"# 合成数据，非真实县 / synthetic data, not a real county ({code})\n"
        path.write_text(header + text, encoding="utf-8")
        rows.append(
            {
                "file": path.name,
                "code": code,
                "name": f"合成县{code}",
                "prefecture": code[:4] + "00",
            }
        )
    manifest = folder / MANIFEST_NAME
    with open(manifest, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(MANIFEST_COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return manifest
