"""Stress tests on top of the engine (model.md §9).

A **stress test** is a deterministic shock run against the baseline: growth shocks for a few
years (in σ of the scenario's shock model, or as fractions), level changes against the
baseline path from a start year, and a delay of general transfers. :data:`STANDARD_TESTS`
are the standard set; a scenario may add its own under ``shocks.stress_tests``::

    shocks:
      stress_tests:
        drought:
          title: {zh: 旱灾, en: drought year}
          start: 2021            # default: the first projection year
          years: 2               # how long growth shocks last (default 2)
          sigmas: {tax: -1.5}    # growth shock in σ of the shock model, each year
          growth: {nontax: -0.05}    # growth shock as a fraction, each year
          level: {land_sales: -0.3, pay: 0.05}   # level change against the baseline
          transfer_delay: 2      # general transfers arrive 2 months late (within the year)

Level lines are the revenue lines ``tax, nontax, general_transfers, land_sales``, ``pay``
(the pay of serving staff: the wage standard) and the spending tiers ``wages, livelihood,
operations, key_projects, non_rigid, three_public``. A transfer delay of d months moves
each monthly instalment d months later, instalments past December arriving in December
(the year's total is unchanged: a cash stress, not a budget one); a fractional delay
splits each instalment between the two neighbouring whole delays.

Reverse stress tests and goal-seek (:mod:`fiscal_sim.solve`) search over the size of one
:class:`StressTest`.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from fiscal_sim.engine.paths import DELTA_LINES, MONTHS, REVENUE_PROFILES, SHOCK_LINES
from fiscal_sim.errors import Bilingual, FiscalSimError, outside_horizon
from fiscal_sim.labels import get_lang
from fiscal_sim.params.stress_specs import SPENDING_LEVEL_LINES

SHORTFALL_TOLERANCE = 1e-6  # 万元; = fiscal_sim.rules.findings.TOLERANCE


@dataclass(frozen=True)
class StressTest:
    """One deterministic stress: growth shocks, level changes and a transfer delay.

    Examples
    --------
    >>> StressTest("cut", {"zh": "削减", "en": "cut"}, level={"general_transfers": -0.1}).name
    'cut'
    """

    name: str
    title: Mapping = field(default_factory=dict)
    start: int | None = None
    years: int = 2
    growth: Mapping = field(default_factory=dict)
    sigmas: Mapping = field(default_factory=dict)
    level: Mapping = field(default_factory=dict)
    transfer_delay: float = 0.0

    def label(self, lang: str | None = None) -> str:
        lang = lang or get_lang()
        return str(self.title.get(lang) or self.title.get("en") or self.name)

    def inputs(self, scenario, spec, baseline) -> tuple[dict, dict]:
        """``(shocks, deltas)`` for :func:`fiscal_sim.project`, one draw."""
        years = tuple(scenario.years)
        start = years[0] if self.start is None else int(self.start)
        if start not in years:
            where = Bilingual("压力测试 {name!r}：", "stress test {name!r}: ", name=self.name)
            start_year = Bilingual("起始年 {start}", "start year {start}", start=start)
            raise FiscalSimError(where + outside_horizon(start_year, years))
        first = years.index(start)
        growth_years = np.zeros(len(years))
        growth_years[first : first + int(self.years)] = 1.0
        shocks = {}
        for line in SHOCK_LINES:
            size = float(self.growth.get(line, 0.0))
            size += float(self.sigmas.get(line, 0.0)) * spec.sigma_of(line)
            if size:
                shocks[line] = (size * growth_years)[None, :]
        from_start = (np.arange(len(years)) >= first).astype(float)[:, None]
        flows = baseline_flows(scenario, baseline)
        deltas = {}
        for line, fraction in self.level.items():
            target = "wages" if line == "pay" else line
            deltas[target] = deltas.get(target, 0.0) + fraction * flows[line] * from_start
        if self.transfer_delay:
            profile = np.asarray(scenario.value("profiles.general_transfers"))
            shift = delayed_profile(profile, self.transfer_delay) - profile
            annual = baseline.annual["general_transfers"][0][:, None]
            deltas["general_transfers"] = deltas.get("general_transfers", 0.0) + (
                annual * shift[None, :] * from_start
            )
        return shocks, {line: np.asarray(value)[None] for line, value in deltas.items()}


def standard_tests(scenario=None) -> dict[str, StressTest]:
    """The standard set (model.md §9): own revenue −1σ and −2σ for two years, general
    transfers −10 %, land revenue −50 %, the wage standard +10 %, and all of them at once
    (own revenue at −1σ)."""
    own = ("tax", "nontax")
    tests = [
        StressTest(
            "revenue_1sd",
            {"zh": "本级收入增速连续两年下降1个标准差", "en": "own revenue −1σ for two years"},
            sigmas={line: -1.0 for line in own},
        ),
        StressTest(
            "revenue_2sd",
            {"zh": "本级收入增速连续两年下降2个标准差", "en": "own revenue −2σ for two years"},
            sigmas={line: -2.0 for line in own},
        ),
        StressTest(
            "transfers_cut",
            {"zh": "一般性转移支付减少10%", "en": "general transfers −10 %"},
            level={"general_transfers": -0.10},
        ),
        StressTest(
            "land_halved",
            {"zh": "土地出让收入减少50%", "en": "land revenue −50 %"},
            level={"land_sales": -0.50},
        ),
        StressTest(
            "wage_rise", {"zh": "工资标准提高10%", "en": "wage standard +10 %"}, level={"pay": 0.10}
        ),
    ]
    tests.append(
        StressTest(
            "combined",
            {
                "zh": "组合冲击（收入−1σ、转移支付−10%、土地−50%、工资+10%）",
                "en": "combined (revenue −1σ, transfers −10 %, land −50 %, wages +10 %)",
            },
            sigmas={line: -1.0 for line in own},
            level={"general_transfers": -0.10, "land_sales": -0.50, "pay": 0.10},
        )
    )
    return {test.name: test for test in tests}


def scenario_tests(scenario) -> dict[str, StressTest]:
    """User-defined tests of ``shocks.stress_tests`` (validated when the scenario loads)."""
    from fiscal_sim.params.shocks import resolve_shocks

    raw = (getattr(scenario, "extra", None) or {}).get("shocks")
    tests = resolve_shocks(raw, years=tuple(scenario.years))["stress_tests"]
    return {name: StressTest(name, **fields) for name, fields in tests.items()}


def delayed_profile(profile, months: float) -> np.ndarray:
    """Monthly shares when every instalment arrives ``months`` later (at most December).

    Examples
    --------
    >>> delayed_profile(np.full(12, 1 / 12), 2)[[0, 1, 2, 11]] * 12
    array([0., 0., 1., 3.])
    """
    profile = np.asarray(profile, dtype=float)
    months = float(np.clip(months, 0.0, MONTHS - 1))
    whole = math.floor(months)
    fraction = months - whole

    def shifted(k: int) -> np.ndarray:
        out = np.zeros(MONTHS)
        np.add.at(out, np.minimum(np.arange(MONTHS) + k, MONTHS - 1), profile)
        return out

    out = shifted(whole)
    if fraction:
        out = (1.0 - fraction) * out + fraction * shifted(min(whole + 1, MONTHS - 1))
    return out


def baseline_flows(scenario, baseline) -> dict[str, np.ndarray]:
    """Monthly baseline flows (years, 12) in 万元 of every level line (see module docstring)."""
    from fiscal_sim.engine.debt import debt_path
    from fiscal_sim.engine.paths import monthly_needs, people_paths

    flows = {
        line: baseline.annual[line][0][:, None] * np.asarray(scenario.value(path))[None, :]
        for line, path in REVENUE_PROFILES.items()
    }
    years = len(scenario.years)
    zero = {line: np.zeros((1, years, MONTHS)) for line in DELTA_LINES}
    needs = monthly_needs(scenario, people_paths(scenario), debt_path(scenario, "general", 1), zero)
    for tier in SPENDING_LEVEL_LINES:
        flows[tier] = needs[tier][0]
    flows["pay"] = needs["payroll_staff"][0]
    return flows


def _resolve(scenario, tests) -> list[StressTest]:
    known = {**standard_tests(scenario), **scenario_tests(scenario)}
    if tests is None:
        return list(known.values())
    chosen = []
    for test in [tests] if isinstance(tests, str | StressTest) else tests:
        if isinstance(test, StressTest):
            chosen.append(test)
        elif test in known:
            chosen.append(known[test])
        else:
            raise FiscalSimError(
                Bilingual(
                    "未知压力测试 {test!r}；可用的测试：{tests}",
                    "unknown stress test {test!r}; tests are: {tests}",
                    test=test,
                    tests=", ".join(known),
                )
            )
    return chosen


def _stack(inputs: list[dict], years: int, shape) -> dict:
    lines = sorted({line for item in inputs for line in item})
    return {
        line: np.concatenate(
            [
                item.get(line, np.zeros((1, *shape)) if len(shape) > 1 else np.zeros((1, years)))
                for item in inputs
            ]
        )
        for line in lines
    }


# -- stress tests --------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class StressResult:
    """One stress test: its projection (draw ``draw``), indicators and findings vs baseline."""

    test: StressTest
    indicators: pd.DataFrame
    baseline: pd.DataFrame
    findings: object
    baseline_findings: object

    @property
    def changes(self) -> pd.DataFrame:
        """Indicators minus the baseline's."""
        return self.indicators - self.baseline

    def breached(self) -> list[str]:
        frame = self.findings.breaches.to_frame()
        return list(dict.fromkeys(frame["rule"]))

    @property
    def new_breaches(self) -> list[str]:
        """Rules breached under the stress but not in the baseline."""
        before = set(self.baseline_findings.breaches.to_frame()["rule"])
        return [rule for rule in self.breached() if rule not in before]

    def new_findings(self) -> pd.DataFrame:
        """Breaches under the stress that the baseline does not have in the same year."""
        breaches = self.findings.breaches.to_frame()
        before = self.baseline_findings.breaches.to_frame()
        seen = set(zip(before["rule"], before["year"], strict=True))
        keep = [
            (rule, year) not in seen
            for rule, year in zip(breaches["rule"], breaches["year"], strict=True)
        ]
        return breaches[keep]

    def summary(self, lang: str | None = None) -> dict:
        ind = self.indicators
        short = ind["sanbao_shortfall"]
        breaches = self.findings.breaches.to_frame()
        new = self.new_findings()
        return {
            "test": self.test.name,
            "title": self.test.label(lang),
            "sanbao_shortfall_total": float(short.sum()),
            "first_sanbao_year": int(short.index[short > SHORTFALL_TOLERANCE][0])
            if (short > SHORTFALL_TOLERANCE).any()
            else None,
            "cash_cover_min": float(ind["cash_cover_min_months"].min()),
            "wage_risk_months": int(ind["wage_risk_months"].sum()),
            "advance_ratio_max": float(ind["advance_ratio"].max()),
            "debt_ratio_max": float(ind["debt_ratio"].max()),
            "stabilization_fund_end": float(ind["stabilization_fund"].iloc[-1]),
            "rules_breached": len(self.breached()),
            "new_breaches": ", ".join(self.new_breaches),
            "first_breach": int(breaches["year"].min()) if len(breaches) else None,
            "first_new_breach": int(new["year"].min()) if len(new) else None,
        }


@dataclass(frozen=True, eq=False)
class StressReport:
    """Stress tests of one scenario against its baseline."""

    meta: dict
    baseline: pd.DataFrame
    baseline_findings: object
    results: tuple

    def __getitem__(self, name: str) -> StressResult:
        for result in self.results:
            if result.test.name == name:
                return result
        raise KeyError(name)

    def summary(self, lang: str | None = None) -> pd.DataFrame:
        """One row per test (the baseline first): key indicators and the rules it breaks;
        the tests' titles in ``lang``."""
        base = StressResult(
            StressTest("baseline", {"zh": "基准", "en": "baseline"}),
            self.baseline,
            self.baseline,
            self.baseline_findings,
            self.baseline_findings,
        )
        rows = [base.summary(lang), *(result.summary(lang) for result in self.results)]
        return pd.DataFrame(rows).set_index("test")

    def to_frame(self) -> pd.DataFrame:
        """Tidy: ``test, year, indicator, value, baseline, change``."""
        parts = []
        for result in self.results:
            long = result.indicators.reset_index().melt(id_vars="year", var_name="indicator")
            base = result.baseline.reset_index().melt(id_vars="year", var_name="indicator")
            long["baseline"] = base["value"].to_numpy()
            long["change"] = long["value"] - long["baseline"]
            long.insert(0, "test", result.test.name)
            parts.append(long)
        return pd.concat(parts, ignore_index=True)

    def findings(self) -> pd.DataFrame:
        """Every breach of every test, the test's name first; ``new`` marks a breach that the
        baseline does not have in that year."""
        parts = []
        for result in self.results:
            frame = result.findings.breaches.to_frame().assign(test=result.test.name)
            new = result.new_findings()
            frame["new"] = [
                (rule, year) in set(zip(new["rule"], new["year"], strict=True))
                for rule, year in zip(frame["rule"], frame["year"], strict=True)
            ]
            parts.append(frame)
        frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
        return frame[["test", *[c for c in frame.columns if c != "test"]]]

    def _heading(self, lang: str | None = None) -> str:
        name, digest = self.meta.get("scenario"), self.meta.get("hash")
        if (lang or get_lang()) == "zh":
            return f"压力测试：{name} [{digest}]"
        return f"stress tests of {name} [{digest}]"

    def readable_summary(self, lang: str | None = None) -> pd.DataFrame:
        """:meth:`summary` with the new breaches' rules by their names in ``lang``."""
        from fiscal_sim import labels

        lang = lang or get_lang()
        summary = self.summary(lang)
        summary["new_breaches"] = [
            ("、" if lang == "zh" else ", ").join(
                labels.rule_name(rule, lang) for rule in text.split(", ") if rule
            )
            for text in summary["new_breaches"]
        ]
        return summary

    def shown_summary(self, lang: str | None = None) -> pd.DataFrame:
        """The summary for a reader: headers and rule names in ``lang``, numbers by unit
        (万元 whole, ratios as percentages, months two decimals, years as labels)."""
        from fiscal_sim import labels
        from fiscal_sim.numbers import format_frame, kind_of_unit

        summary = self.readable_summary(lang)
        kinds = {column: kind_of_unit(labels.unit_of(column)) for column in summary.columns}
        shown = format_frame(summary, column_kinds=kinds)
        shown.columns = [labels.header(column, lang) for column in shown.columns]
        shown.index.name = labels.header(shown.index.name, lang)
        return shown

    def to_text(self, lang: str | None = None) -> str:
        from fiscal_sim.numbers import frame_text

        table = frame_text(self.shown_summary(lang))
        return f"{self._heading(lang)}\n{table}\n"

    def __str__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        head = html.escape(self._heading())
        table = self.shown_summary().to_html(border=0)
        return f"<p><b>{head}</b></p>\n{table}"


def stress(scenario, tests=None, spec=None) -> StressReport:
    """Run stress tests against the baseline of ``scenario``.

    Parameters
    ----------
    tests
        None for the standard set plus the scenario's own (``shocks.stress_tests``); a name,
        a :class:`StressTest`, or a list of them.
    spec
        The shock model giving σ (default: the scenario's, see :func:`shock_spec`).

    Examples
    --------
    >>> import fiscal_sim
    >>> report = stress(fiscal_sim.load_scenario(), ["transfers_cut"])
    >>> change = report["transfers_cut"].changes.loc[2019, "own_revenue"]
    >>> float(change)
    0.0
    """
    from fiscal_sim.results import project
    from fiscal_sim.rules import check
    from fiscal_sim.stochastic import shock_spec

    spec = shock_spec(scenario) if spec is None else spec
    chosen = _resolve(scenario, tests)
    baseline = project(scenario)
    inputs = [test.inputs(scenario, spec, baseline) for test in chosen]
    years = len(scenario.years)
    shocks = _stack([item[0] for item in inputs], years, (years,))
    deltas = _stack([item[1] for item in inputs], years, (years, MONTHS))
    stressed = project(scenario, shocks=shocks, deltas=deltas, draws=len(chosen))
    base_indicators = _indicators(baseline, 0)
    base_findings = check(baseline)
    results = tuple(
        StressResult(
            test, _indicators(stressed, i), base_indicators, check(stressed, draw=i), base_findings
        )
        for i, test in enumerate(chosen)
    )
    return StressReport(dict(baseline.meta), base_indicators, base_findings, results)


def _indicators(projection, draw: int) -> pd.DataFrame:
    frame = projection.indicators(draw)
    frame["wage_risk_months"] = projection.annual["wage_risk_months"][draw]
    return frame
