"""A small stand-in with the shape of ``Projection`` (docs/architecture.md), for chart and
report tests that need cases the default county does not produce: a 三保 shortfall in 2020, a
wage-arrears risk month (2020-06), an advance balance above the cap and a scenario title with
markup in it. Numbers are illustrative, at the default county's orders of magnitude.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd

from fiscal_sim.params.schema import TIERS

YEARS = np.arange(2019, 2026)


@dataclass(frozen=True)
class FakeParam:
    path: str
    value: object
    unit: str
    label_zh: str
    label_en: str
    source: str


@dataclass
class FakeScenario:
    name: str = "fake-county"
    title: dict = field(default_factory=lambda: {"zh": "测试县", "en": "Test county"})
    hash: str = "0123456789ab"
    years: tuple = tuple(int(year) for year in YEARS)
    description: str = ""

    _values: ClassVar[dict] = {
        "rules.advance_cap_ratio": (0.05, "fraction", "暂付款控制比例", "Advance cap", "OPS.4.3.2"),
        "rules.cash_alarm_level": (0.3, "months", "库款预警线", "Cash alarm level", "assumption"),
        "rules.cash_low_level": (0.5, "months", "库款偏低线", "Cash low level", "assumption"),
        "rules.cash_idle_level": (0.8, "months", "库款闲置线", "Cash idle level", "assumption"),
        "rules.debt_ratio_warning": (1.0, "fraction", "债务率警戒线", "Debt warning", "assumption"),
        "rules.debt_ratio_high": (1.2, "fraction", "债务率高风险线", "Debt high", "assumption"),
        "revenue.tax_growth": (
            np.full(len(YEARS), 0.06),
            "fraction",
            "税收增长率",
            "Tax growth",
            "assumption <b>bold</b>",
        ),
    }

    def param(self, path):
        value, unit, zh, en, source = self._values[path]
        return FakeParam(path, value, unit, zh, en, source)

    def params(self):
        return [self.param(path) for path in self._values]


def _series(start, growth, draws=1):
    values = start * (1 + growth) ** np.arange(len(YEARS))
    return np.tile(values, (draws, 1))


class FakeProjection:
    """Arrays with a leading draw axis, like ``fiscal_sim.results.Projection``."""

    def __init__(self, title=None, draws=1):
        self.scenario = FakeScenario()
        if title is not None:
            self.scenario.title = {"zh": title, "en": title}
        self.years = YEARS.copy()
        n = len(YEARS)
        annual = {
            "tax": _series(18_000, 0.05, draws),
            "nontax": _series(9_600, 0.02, draws),
            "rebates": _series(4_000, 0.0, draws),
            "general_transfers": _series(120_000, 0.03, draws),
            "earmarked_transfers": _series(26_000, 0.02, draws),
            "gfb_revenue": _series(10_000, 0.01, draws),
            "gfb_expenditure": _series(9_500, 0.01, draws),
            "surplus": np.zeros((draws, n)),
            "headcount": _series(4_975, -0.005, draws),
            "general_debt": _series(90_000, 0.04, draws),
            "special_debt": _series(60_000, 0.08, draws),
            "general_ceiling": _series(100_000, 0.04, draws),
            "special_ceiling": _series(75_000, 0.08, draws),
            "legacy_target_cum": np.tile(np.minimum(np.arange(1, n + 1), 5) * 3_400.0, (draws, 1)),
        }
        annual["own_revenue"] = annual["tax"] + annual["nontax"]
        need = np.zeros((draws, n, 8))
        need[..., :] = [60_000, 45_000, 12_000, 8_000, 3_400, 20_000, 15_000, 1_000]
        shortfall = np.zeros_like(need)
        shortfall[:, 1, 6] = 15_000  # 2020: non-rigid projects unfunded
        shortfall[:, 1, 2] = 2_500  # 2020: operations short: a 三保 shortfall
        funded = need - shortfall
        self.tiers = {"need": need, "funded": funded, "shortfall": shortfall, "executed": funded}
        annual["gpb_expenditure"] = funded.sum(axis=2) + annual["earmarked_transfers"]
        annual["gpb_resources"] = annual["gpb_expenditure"] + annual["surplus"]
        annual["legacy_digested_cum"] = annual["legacy_target_cum"] * 0.9
        annual["legacy_advances"] = 17_000 - annual["legacy_digested_cum"]
        annual["new_advances_outstanding"] = np.tile(np.full(n, 2_000.0), (draws, 1))
        annual["gap_cover_advances_stock"] = np.zeros((draws, n))
        annual["advance_balance"] = annual["legacy_advances"] + annual["new_advances_outstanding"]
        annual["advance_ratio"] = annual["advance_balance"] / (
            annual["gpb_expenditure"] + annual["gfb_expenditure"]
        )
        annual["debt_total"] = annual["general_debt"] + annual["special_debt"]
        annual["comprehensive_capacity"] = (
            annual["own_revenue"]
            + annual["rebates"]
            + annual["general_transfers"]
            + annual["earmarked_transfers"]
            + annual["gfb_revenue"]
        )
        annual["debt_ratio"] = annual["debt_total"] / annual["comprehensive_capacity"]
        payroll = np.tile(annual["gpb_expenditure"][..., None] * 0.35 / 12, (1, 1, 12))
        payroll[..., 11] *= 1.6
        cash_level = np.tile(
            np.array([0.9, 0.7, 0.6, 0.5, 0.45, 0.2, 0.4, 0.55, 0.6, 0.5, 0.35, 0.3]),
            (draws, n, 1),
        )
        wage_covered = np.ones((draws, n, 12), dtype=bool)
        wage_covered[:, 1, 5] = False  # 2020-06
        outflow = annual["gpb_expenditure"][..., None] / 12 * np.ones(12)
        self.months = {
            "receipts": outflow * 0.98,
            "payments": outflow,
            "cash": cash_level * outflow,
            "payroll": payroll,
            "wage_covered": wage_covered,
            "cash_level": cash_level,
            "deferred_payments": np.zeros((draws, n, 12)),
        }
        annual["cash_year_end"] = self.months["cash"][..., 11]
        self.annual = annual
        self.meta = {
            "scenario": self.scenario.name,
            "title": self.scenario.title,
            "hash": self.scenario.hash,
            "files": ["fake.yaml"],
            "fiscal_sim_version": "0.1.0",
            "seed": None,
            "draws": draws,
        }

    def indicators(self, draw=0):
        a = {name: values[draw] for name, values in self.annual.items()}
        need = self.tiers["need"][draw, :, :3].sum(axis=1)
        short = self.tiers["shortfall"][draw, :, :3].sum(axis=1)
        frame = pd.DataFrame(
            {
                "gpb_expenditure": a["gpb_expenditure"],
                "gfb_expenditure": a["gfb_expenditure"],
                "own_revenue": a["own_revenue"],
                "self_sufficiency": a["own_revenue"] / a["gpb_expenditure"],
                "sanbao_need": need,
                "sanbao_shortfall": short,
                "advance_balance": a["advance_balance"],
                "advance_ratio": a["advance_ratio"],
                "legacy_advances": a["legacy_advances"],
                "legacy_digested_cum": a["legacy_digested_cum"],
                "cash_year_end": a["cash_year_end"],
                "cash_cover_min_months": self.months["cash_level"][draw].min(axis=1),
                "debt_total": a["debt_total"],
                "debt_ratio": a["debt_ratio"],
                "headcount": a["headcount"],
                "stabilization_fund": np.zeros(len(YEARS)),
            },
            index=pd.Index(self.years, name="year"),
        )
        return frame

    def waterfall(self, draw=0):
        rows = []
        for year_index, year in enumerate(self.years):
            for tier_no, tier in enumerate(TIERS, start=1):
                rows.append(
                    {
                        "year": int(year),
                        "tier_no": tier_no,
                        "tier": tier,
                        "need": self.tiers["need"][draw, year_index, tier_no - 1],
                        "funded": self.tiers["funded"][draw, year_index, tier_no - 1],
                        "shortfall": self.tiers["shortfall"][draw, year_index, tier_no - 1],
                    }
                )
        return pd.DataFrame(rows)

    def monthly_tiers(self, draw=0):
        """The year's need and funding of each tier in twelve equal months (need, paid)."""
        rows = []
        for year_index, year in enumerate(self.years):
            for month in range(1, 13):
                for tier_no, tier in enumerate(TIERS, start=1):
                    rows.append(
                        {
                            "year": int(year),
                            "month": month,
                            "tier_no": tier_no,
                            "tier": tier,
                            "need": self.tiers["need"][draw, year_index, tier_no - 1] / 12,
                            "paid": self.tiers["funded"][draw, year_index, tier_no - 1] / 12,
                        }
                    )
        return pd.DataFrame(rows)

    def monthly(self, draw=0):
        rows = []
        low, alarm, idle = 0.5, 0.3, 0.8
        for year_index, year in enumerate(self.years):
            for month in range(12):
                level = self.months["cash_level"][draw, year_index, month]
                cash_class = (
                    "alarm"
                    if level < alarm
                    else "low"
                    if level < low
                    else "normal"
                    if level <= idle
                    else "idle"
                )
                row = {"year": int(year), "month": month + 1}
                for name in (
                    "receipts",
                    "payments",
                    "cash",
                    "payroll",
                    "wage_covered",
                    "cash_level",
                ):
                    row[name] = self.months[name][draw, year_index, month]
                row["cash_class"] = cash_class
                row["deferred_payments"] = self.months["deferred_payments"][draw, year_index, month]
                rows.append(row)
        return pd.DataFrame(rows)


class FakeFindings:
    def __init__(self, title_text=""):
        self._frame = pd.DataFrame(
            [
                {
                    "rule": "operations_funded",
                    "clause": "OPS.1, OPS.2.2",
                    "year": 2020,
                    "month": None,
                    "aspect": "operations",
                    "value": 2500.0,
                    "threshold": 0.0,
                    "margin": -2500.0,
                    "unit": "wan_yuan",
                    "severity": "breach",
                    "message_zh": "2020年保运转缺口2,500万元" + title_text,
                    "message_en": "Operations short by 2,500 in 2020" + title_text,
                },
                {
                    "rule": "treasury_cash_level",
                    "clause": "OPS.4.3.3",
                    "year": 2019,
                    "month": 6,
                    "aspect": "monthly",
                    "value": 0.2,
                    "threshold": 0.3,
                    "margin": -0.1,
                    "unit": "months",
                    "severity": "warning",
                    "message_zh": "库款预警",
                    "message_en": "Treasury cash alarm",
                },
                {
                    "rule": "advance_cap",
                    "clause": "OPS.4.3.2",
                    "year": 2019,
                    "month": None,
                    "aspect": "annual",
                    "value": 0.08,
                    "threshold": 0.05,
                    "margin": -0.03,
                    "unit": "fraction",
                    "severity": "breach",
                    "message_zh": "暂付款超过5%",
                    "message_en": "Advances above 5 %",
                },
                {
                    "rule": "headcount_not_rising",
                    "clause": "OPS.5.2",
                    "year": 2019,
                    "month": None,
                    "aspect": "annual",
                    "value": 4975.0,
                    "threshold": 5000.0,
                    "margin": 25.0,
                    "unit": "persons",
                    "severity": "ok",
                    "message_zh": "人员未增加",
                    "message_en": "Headcount not rising",
                },
            ]
        )

    def to_frame(self):
        return self._frame.copy()
