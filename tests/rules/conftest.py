"""A small synthetic Projection-like object for rule tests, built from YAML case data.

The default spec is a healthy three-year county (2019–2021) in which every rule holds;
a case overrides only the arrays and parameters it is about.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np
import pytest

from fiscal_sim.params.schema import TIERS

# Values of the scenario's rules.* parameters (as in the default county), with their clause.
RULE_PARAMS = {
    "non_rigid_cut_min": (0.10, "fraction", "OPS.4.1.2"),
    "three_public_cut_min": (0.03, "fraction", "OPS.4.1.2"),
    "cut_mandate_from": (2020, "year", "OPS.4.1.2"),
    "cut_mandate_to": (2025, "year", "OPS.4.1.2"),
    "cut_base_year": (0, "year", "OPS.4.1.2"),
    "advance_cap_ratio": (0.05, "fraction", "OPS.4.3.2"),
    "advance_term_years": (1, "years", "OPS.4.3.2"),
    "legacy_deadline_year": (2023, "year", "OPS.4.3.1"),
    "arrears_deadline_year": (2020, "year", "MKT.4.3.9"),
    "arrears_small_deadline_month": (6, "month", "MKT.4.3.9"),
    "arrears_other_deadline_month": (10, "month", "MKT.4.3.9"),
    "cash_alarm_level": (0.3, "months", "OPS.4.3.3; thresholds assumption"),
    "cash_low_level": (0.5, "months", "OPS.4.3.3; thresholds assumption"),
    "cash_idle_level": (0.8, "months", "OPS.4.3.3; thresholds assumption"),
    "debt_ratio_warning": (1.0, "fraction", "OPS.4.4.2; assumption"),
    "debt_ratio_high": (1.2, "fraction", "OPS.4.4.2; assumption"),
    "stock_fund_max_age": (2, "years", "OPS.4.2.2"),
}

DEFAULT_SPEC = {
    "years": [2019, 2020, 2021],
    "base_year": 2018,
    "base": {"non_rigid": 16000.0, "three_public": 1000.0, "headcount": 5000.0},
    "annual": {
        "headcount": [4975, 4950, 4925],
        "planned_non_rigid": [16000, 14400, 12960],
        "planned_three_public": [1000, 970, 940.9],
        "gpb_expenditure": 180000,
        "gfb_expenditure": 20000,
        "advance_balance": 5000,
        "new_advances_issued": 2000,
        "new_advances_repaid": 2000,
        "new_advances_outstanding": 2000,
        # By issue year (rows: year end, columns: issue year): each issue repaid the next year.
        "new_advances_by_vintage": [[2000, 0, 0], [0, 2000, 0], [0, 0, 2000]],
        "gap_covered_advances": 0,
        "legacy_advances": [3000, 2000, 1000],
        "legacy_digested_cum": [1000, 2000, 3000],
        "legacy_target_cum": [1000, 2000, 3000],
        "general_debt": 90000,
        "general_ceiling": 100000,
        "special_debt": 40000,
        "special_ceiling": 50000,
        "debt_total": 130000,
        "comprehensive_capacity": 200000,
        "carryover_age0": 8000,
        "carryover_age1": 3000,
        "carryover_age2": 1500,
        "carryover_old": 0,
    },
    "tiers": {
        "need": {
            "wages": 60000,
            "livelihood": 30000,
            "operations": 6000,
            "debt_service": 3150,
            "clearing": 2000,
            "key_projects": 15700,
            "non_rigid": 14400,
            "three_public": 970,
        },
    },
    "months": {
        "payroll": 5000.0,
        "payments": 16000.0,
        "cash": 15000.0,
        "deferred_payments": 0.0,
        "cash_level": 0.6,
        "arrears_small_owed": 0.0,
        "arrears_other_owed": 0.0,
    },
    "params": {},
}


@dataclass(frozen=True)
class Param:
    path: str
    value: object
    unit: str
    label_zh: str
    label_en: str
    source: str


@dataclass
class SyntheticScenario:
    values: dict
    read: list = field(default_factory=list)
    name: str = "synthetic"

    def param(self, path):
        self.read.append(path)
        name = path.removeprefix("rules.")
        default, unit, source = RULE_PARAMS[name]
        value = self.values.get(name, default)
        return Param(path, value, unit, name, name, source)

    def params(self):
        return [self.param(f"rules.{name}") for name in RULE_PARAMS]


@dataclass
class SyntheticProjection:
    years: np.ndarray
    base_year: int
    scenario: SyntheticScenario
    annual: dict
    base: dict
    tiers: dict
    months: dict


def _merge(base: dict, override: dict) -> dict:
    merged = copy.deepcopy(base)
    for key, value in (override or {}).items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _yearly(value, n_years: int) -> np.ndarray:
    array = np.asarray(value, dtype=float)
    if array.ndim == 2:  # a (years, years) matrix such as new_advances_by_vintage
        return array[np.newaxis].copy()
    return np.broadcast_to(array, (n_years,)).copy()[np.newaxis, :]


def _monthly(value, years) -> np.ndarray:
    """A scalar, or {year: scalar or 12 values} over a default of 0 for other years."""
    if isinstance(value, dict):
        default = value.get("default", 0.0)
        rows = [
            np.broadcast_to(np.asarray(value.get(int(y), default), float), (12,)) for y in years
        ]
        return np.array(rows)[np.newaxis, :, :]
    return np.broadcast_to(np.asarray(value, dtype=float), (len(years), 12)).copy()[np.newaxis]


def build_projection(spec: dict | None = None) -> SyntheticProjection:
    """A one-draw synthetic projection: the default spec overridden by ``spec``."""
    spec = _merge(DEFAULT_SPEC, spec or {})
    years = np.asarray(spec["years"], dtype=int)
    annual = {name: _yearly(value, len(years)) for name, value in spec["annual"].items()}
    tiers = {}
    for book in ("need", "funded", "shortfall", "executed"):
        given = spec["tiers"].get(book, {})
        if book == "need" or given:
            tiers[book] = np.stack(
                [_yearly(given.get(tier, 0.0), len(years))[0] for tier in TIERS], axis=-1
            )[np.newaxis]
    tiers.setdefault("funded", tiers["need"].copy())
    if "funded" in spec["tiers"]:  # tiers not named keep their full funding
        for index, tier in enumerate(TIERS):
            if tier not in spec["tiers"]["funded"]:
                tiers["funded"][..., index] = tiers["need"][..., index]
    tiers.setdefault("shortfall", tiers["need"] - tiers["funded"])
    if "executed" in spec["tiers"]:
        for index, tier in enumerate(TIERS):
            if tier not in spec["tiers"]["executed"]:
                tiers["executed"][..., index] = tiers["funded"][..., index]
    tiers.setdefault("executed", tiers["funded"].copy())
    months = {name: _monthly(value, years) for name, value in spec["months"].items()}
    return SyntheticProjection(
        years=years,
        base_year=int(spec["base_year"]),
        scenario=SyntheticScenario(dict(spec["params"])),
        annual=annual,
        base={name: float(value) for name, value in spec["base"].items()},
        tiers=tiers,
        months=months,
    )


def stack_draws(projections) -> SyntheticProjection:
    """Stack one-draw projections along the draw axis (same years and parameters)."""
    first = projections[0]
    return SyntheticProjection(
        years=first.years,
        base_year=first.base_year,
        scenario=first.scenario,
        annual={k: np.concatenate([p.annual[k] for p in projections]) for k in first.annual},
        base=first.base,
        tiers={k: np.concatenate([p.tiers[k] for p in projections]) for k in first.tiers},
        months={k: np.concatenate([p.months[k] for p in projections]) for k in first.months},
    )


@pytest.fixture
def make_projection():
    """The builder of synthetic projections (``make_projection(spec_overrides)``)."""
    return build_projection


@pytest.fixture(name="stack_draws")
def stack_draws_fixture():
    """Stack one-draw synthetic projections along the draw axis."""
    return stack_draws
