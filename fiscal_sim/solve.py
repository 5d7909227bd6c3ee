"""Reverse stress tests on top of the engine (model.md §9).

A **reverse stress test** finds the smallest shock of one kind that breaks 三保 funding (a
三保 shortfall in some year) or drives treasury cash below the alarm line
(``rules.cash_alarm_level``) in some month: a grid over the shock size, evaluated in one
vectorised engine call, brackets the first break and :func:`scipy.optimize.brentq` finds it
on a continuous margin.

It searches over the size of one :class:`~fiscal_sim.stress_tests.StressTest`. Goal-seek,
the same question the other way round over every rule of the plan and year by year, is
:mod:`fiscal_sim.goalseek`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from fiscal_sim.engine.paths import MONTHS
from fiscal_sim.errors import Bilingual, FiscalSimError
from fiscal_sim.labels import get_lang
from fiscal_sim.numbers import format_value, kind_of_unit
from fiscal_sim.stress_tests import SHORTFALL_TOLERANCE, StressTest, _stack

SANBAO_TIERS = ("wages", "livelihood", "operations")


# -- reverse stress --------------------------------------------------------------------------

REVERSE_KINDS = {
    # kind: (unit, largest size searched, label zh, label en)
    "revenue_fall": ("fraction", 1.0, "本级收入下降", "own revenue fall"),
    "transfer_cut": ("fraction", 1.0, "一般性转移支付削减", "general transfer cut"),
    "transfer_delay": ("months", 11.0, "转移支付延迟到账", "general transfer delay"),
    "land_fall": ("fraction", 1.0, "土地出让收入下降", "land revenue fall"),
}
TARGETS = ("sanbao", "cash", "any")
TARGET_NAMES = {
    "sanbao": ("三保保障", "三保 funding"),
    "cash": ("库款预警线", "treasury cash alarm line"),
    "any": ("三保保障和库款预警线", "三保 funding or the cash alarm line"),
}


def _check_kind(kind: str) -> None:
    if kind not in REVERSE_KINDS:
        raise FiscalSimError(
            Bilingual(
                "未知冲击类型 {kind!r}；可用的类型：{kinds}",
                "unknown shock kind {kind!r}; kinds are: {kinds}",
                kind=kind,
                kinds=", ".join(REVERSE_KINDS),
            )
        )


def reverse_test(kind: str, size: float, start: int | None = None) -> StressTest:
    """The stress of ``kind`` at ``size`` (a fraction, or months for ``transfer_delay``)."""
    _check_kind(kind)
    title = {"zh": REVERSE_KINDS[kind][2], "en": REVERSE_KINDS[kind][3]}
    if kind == "revenue_fall":
        return StressTest(kind, title, start, level={"tax": -size, "nontax": -size})
    if kind == "transfer_cut":
        return StressTest(kind, title, start, level={"general_transfers": -size})
    if kind == "land_fall":
        return StressTest(kind, title, start, level={"land_sales": -size})
    return StressTest(kind, title, start, transfer_delay=size)


def margins(projection) -> dict[str, np.ndarray]:
    """Continuous margins per draw and year (or month); negative exactly when the rule breaks.

    ``sanbao`` (draws, years), 万元: what the tiers ranked below the 三保 tiers received
    from ordinary resources (bond proceeds left out), plus
    the surplus (or, when gaps may draw the stabilisation fund, the fund's balance), minus the
    三保 shortfall, plus the rules' rounding tolerance. ``cash`` (draws, years, 12), months:
    the cash-guarantee level minus the alarm line.
    """
    from fiscal_sim.params.schema import TIERS

    scenario = projection.scenario
    order = list(scenario.value("policy.priority"))
    last = max(order.index(tier) for tier in SANBAO_TIERS)
    below = [TIERS.index(tier) for tier in order[last + 1 :]]
    # Bond proceeds fund key projects only (OPS.4.2.4): they are no slack for the 三保.
    funded = projection.tiers["funded"].copy()
    funded[:, :, TIERS.index("key_projects")] -= projection.annual["general_bond_projects"]
    slack = funded[:, :, below].sum(axis=2)
    if scenario.value("policy.gap_financing") == "fund":
        slack = slack + projection.annual["stabilization_fund"]
    else:
        slack = slack + projection.annual["surplus"]
    sanbao = slack + SHORTFALL_TOLERANCE - projection.annual["sanbao_shortfall"]
    cash = projection.months["cash_level"] - scenario.value("rules.cash_alarm_level")
    return {"sanbao": sanbao, "cash": cash}


@dataclass(frozen=True)
class ReverseStress:
    """The smallest shock of ``kind`` that breaks ``broken`` (None when none up to ``upper``)."""

    kind: str
    target: str
    unit: str
    upper: float
    baseline_margin: float
    margin_at_size: float
    size: float | None = None
    broken: str | None = None
    year: int | None = None
    month: int | None = None
    margin_at_99: float | None = None
    meta: dict = field(default_factory=dict)
    candidates: tuple = ()

    @property
    def found(self) -> bool:
        return self.size is not None

    def to_frame(self) -> pd.DataFrame:
        """One row per target searched (the chosen one first)."""
        rows = [self, *[c for c in self.candidates if c is not self]]
        frame = pd.DataFrame(
            [
                {
                    "kind": row.kind,
                    "target": row.target,
                    "unit": row.unit,
                    "size": row.size,
                    "breaks": row.broken,
                    "year": row.year,
                    "month": row.month,
                    "margin_at_size": row.margin_at_size,
                    "margin_at_99pct": row.margin_at_99,
                    "baseline_margin": row.baseline_margin,
                    "margin_unit": row.margin_unit,
                    "searched_up_to": row.upper,
                }
                for row in rows
            ]
        ).astype({"year": "Int64", "month": "Int64", "size": float})
        margins = ("margin_at_size", "margin_at_99pct", "baseline_margin")
        frame.attrs["unit_columns"] = dict.fromkeys(margins, "margin_unit")  # 万元 or months
        return frame

    @property
    def margin_unit(self) -> str:
        """The unit of the margins: 万元 for 三保 funding, months for the cash alarm line
        (``any`` without a break reports the 三保 search, the first)."""
        return "months" if (self.broken or self.target) == "cash" else "wan_yuan"

    def _size_text(self, size: float, lang: str) -> str:
        unit = REVERSE_KINDS[self.kind][0]
        if unit != "months":
            return format_value(size, "ratio")
        return f"{format_value(size, 'months')}{'个月' if lang == 'zh' else ' months'}"

    def _margin_text(self, lang: str) -> str:
        margin = format_value(self.margin_at_size, kind_of_unit(self.margin_unit))
        if self.margin_unit == "months":
            return f"{margin}{'个月' if lang == 'zh' else ' months'}"
        return f"{margin}万元" if lang == "zh" else f"{margin} 万元"

    def to_text(self, lang: str | None = None) -> str:
        lang = lang or get_lang()
        zh, en = REVERSE_KINDS[self.kind][2:]
        pick = 0 if lang == "zh" else 1
        when = f"{self.year}" + (f"-{self.month:02d}" if self.month else "")
        if not self.found:
            bound = self._size_text(self.upper, lang)
            target = TARGET_NAMES.get(self.target, (self.target,) * 2)[pick]
            if lang == "zh":
                return f"{zh}：冲击达到{bound}仍未突破{target}（余量{self._margin_text(lang)}）\n"
            margin = self._margin_text(lang)
            return f"{en}: no break of {target} up to {bound} (margin left {margin})\n"
        size = self._size_text(self.size, lang)
        target = TARGET_NAMES[self.broken][pick]
        if lang == "zh":
            return f"{zh}：最小冲击{size}，首先突破{target}（{when}）\n"
        return f"{en}: smallest shock {size} breaks {target}, first in {when}\n"

    def display_frame(self, lang: str | None = None) -> pd.DataFrame:
        """:meth:`to_frame` for a reader: names in ``lang``, the sizes by the shock's unit
        (a fall as a percentage), the margins by the target's (万元 or months)."""
        from fiscal_sim.labels import unit_label

        lang = lang or get_lang()
        pick = 0 if lang == "zh" else 1
        rows = [self, *[c for c in self.candidates if c is not self]]

        def name(target):
            return "-" if target is None else TARGET_NAMES[target][pick]

        def margin(row, value):
            return format_value(value, kind_of_unit(row.margin_unit), missing="-")

        def size(row, value):
            return "-" if value is None else row._size_text(value, lang)

        return pd.DataFrame(
            [
                {
                    "kind": REVERSE_KINDS[row.kind][2 + pick],
                    "target": name(row.target),
                    "size": size(row, row.size),
                    "breaks": name(row.broken),
                    "year": "-" if row.year is None else str(row.year),
                    "month": "-" if row.month is None else str(row.month),
                    "margin_at_size": margin(row, row.margin_at_size),
                    "margin_at_99pct": margin(row, row.margin_at_99),
                    "baseline_margin": margin(row, row.baseline_margin),
                    "margin_unit": unit_label(row.margin_unit, lang),
                    "searched_up_to": size(row, row.upper),
                }
                for row in rows
            ]
        )

    def __str__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(self.to_text())}</p>" + self.to_frame().to_html(border=0)


def _margin_of(projection, target: str) -> np.ndarray:
    """The margin of ``target`` per draw: its minimum over years (and months)."""
    margin = margins(projection)[target]
    return margin.reshape(margin.shape[0], -1).min(axis=1)


def _smallest(evaluate, upper: float, grid: int, xtol: float, wanted) -> tuple:
    """The smallest size in ``[0, upper]`` whose margin satisfies ``wanted`` (``< 0`` to
    break, ``>= 0`` to hold): a grid finds the first bracket, brentq the crossing in it.

    Returns ``(size or None, margins on the grid)``.
    """
    from scipy.optimize import brentq

    sizes = np.linspace(0.0, upper, grid)
    values = evaluate(sizes)
    hits = np.flatnonzero(wanted(values))
    if not len(hits):
        return None, values
    i = int(hits[0])
    if i == 0:
        return 0.0, values

    def margin(x: float) -> float:
        return float(evaluate([x])[0])

    size = brentq(margin, sizes[i - 1], sizes[i], xtol=xtol * upper)
    # brentq lands within xtol of the crossing, on either side: step onto the wanted side.
    while not wanted(np.array([margin(size)]))[0] and size < sizes[i]:
        size = min(size + xtol * upper, sizes[i])
    return float(size), values


def _runner(scenario, spec, baseline, make_test, start):
    """``run(sizes)``: one engine call with one draw per size of the test ``make_test``."""
    from fiscal_sim.results import project

    years = len(scenario.years)

    def run(sizes):
        inputs = [make_test(float(size), start).inputs(scenario, spec, baseline) for size in sizes]
        deltas = _stack([item[1] for item in inputs], years, (years, MONTHS))
        return project(scenario, deltas=deltas, draws=len(sizes))

    return run


def _search(scenario, spec, baseline, kind, target, start, grid, xtol) -> ReverseStress:
    unit, upper = REVERSE_KINDS[kind][:2]
    years = len(scenario.years)
    run = _runner(scenario, spec, baseline, lambda x, y: reverse_test(kind, x, y), start)
    size, values = _smallest(
        lambda sizes: _margin_of(run(sizes), target), upper, grid, xtol, lambda m: m < 0
    )
    found = dict(kind=kind, target=target, unit=unit, upper=upper, meta=dict(baseline.meta))
    found["baseline_margin"] = float(values[0])
    if size is None:
        return ReverseStress(**found, margin_at_size=float(values[-1]))
    at = run([size, 0.99 * size])
    margin_at = _margin_of(at, target)
    location = margins(at)[target][0] < 0
    year_index = int(np.flatnonzero(location.reshape(years, -1).any(axis=1))[0])
    month = None
    if target == "cash":
        month = int(np.flatnonzero(location[year_index])[0]) + 1
    return ReverseStress(
        **found,
        margin_at_size=float(margin_at[0]),
        size=float(size),
        broken=target,
        year=int(scenario.years[year_index]),
        month=month,
        margin_at_99=float(margin_at[1]),
    )


def reverse_stress(
    scenario,
    kind: str,
    target: str = "any",
    start: int | None = None,
    grid: int = 41,
    xtol: float = 1e-7,
    spec=None,
) -> ReverseStress:
    """The smallest shock of ``kind`` that breaks 三保 funding or the cash alarm line.

    Parameters
    ----------
    kind
        ``revenue_fall`` (tax and non-tax, a fraction of the baseline), ``transfer_cut``
        (general transfers, a fraction), ``transfer_delay`` (months, within the year) or
        ``land_fall`` (land revenue, a fraction); from ``start`` (default: the first
        projection year) to the end of the horizon.
    target
        ``sanbao``, ``cash`` or ``any`` (whichever breaks at the smaller shock).
    grid
        Grid points over ``[0, largest size]`` to find the first break (one engine call).
    xtol
        Tolerance of the root, relative to the largest size.

    Returns
    -------
    ReverseStress
        ``size`` None when no shock up to the largest size breaks the target. The found
        size breaks it; 99 % of it does not (``margin_at_99`` ≥ 0) unless the baseline
        itself breaks (size 0).

    Examples
    --------
    >>> import fiscal_sim
    >>> found = reverse_stress(fiscal_sim.load_scenario(), "transfer_cut", target="sanbao")
    >>> found.margin_at_size < 0 <= found.margin_at_99
    True
    """
    from fiscal_sim.results import project
    from fiscal_sim.stochastic import shock_spec

    _check_kind(kind)
    if target not in TARGETS:
        raise FiscalSimError(
            Bilingual(
                "未知目标 {target!r}；可用的目标：{targets}",
                "unknown target {target!r}; targets are: {targets}",
                target=target,
                targets=", ".join(TARGETS),
            )
        )
    spec = shock_spec(scenario) if spec is None else spec
    baseline = project(scenario)
    targets = ("sanbao", "cash") if target == "any" else (target,)
    found = [_search(scenario, spec, baseline, kind, t, start, grid, xtol) for t in targets]
    if len(found) == 1:
        return found[0]
    hits = [item for item in found if item.found]
    best = min(hits, key=lambda item: item.size) if hits else found[0]
    return ReverseStress(**{**best.__dict__, "target": "any", "candidates": tuple(found)})
