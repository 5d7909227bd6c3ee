"""The result of a Monte Carlo run: quantiles per indicator and year, breach probabilities.

:class:`Ensemble` holds summaries only (never the draws), so a million draws fit in memory.
It is built chunk by chunk by :class:`Accumulator` (used by :func:`fiscal_sim.simulate`):

- quantiles are exact up to ``exact_limit`` draws (every draw's indicators are kept); above
  it, they come from a systematic subsample of every k-th draw (draws are independent, so
  this is a uniform random sample of at most ``exact_limit`` draws);
- means, standard deviations, minima, maxima and every probability use all draws. Sums are
  taken per fixed block of draws and added in block order, so the numbers do not depend on
  the chunk size.

One module, though over 400 lines: how the summaries are gathered (:class:`Accumulator`) and
how they are read (:class:`Ensemble`) share their layout and are checked together.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from fiscal_sim.labels import INDICATORS, get_lang, header, indicator_label, table_title
from fiscal_sim.numbers import format_frame, kind_of_unit

if TYPE_CHECKING:  # pandas is imported when the summaries become tables
    import pandas as pd

BLOCK_DRAWS = 1024  # = fiscal_sim.stochastic.BLOCK_DRAWS (kept here to avoid an import cycle)
DEFAULT_QUANTILES = (0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95)
# Every indicator of Projection.indicators(), the shocked revenue lines, wage-risk months and
# the 三保 shortfall cumulated over the years.
ENSEMBLE_INDICATORS = (
    *INDICATORS,
    "tax",
    "nontax",
    "general_transfers",
    "land_sales",
    "wage_risk_months",
    "sanbao_shortfall_cum",
)
KEY_INDICATORS = (
    "sanbao_shortfall",
    "self_sufficiency",
    "advance_ratio",
    "cash_cover_min_months",
    "stabilization_fund",
    "debt_ratio",
)
SHORTFALL_TOLERANCE = 1e-6  # 万元; = fiscal_sim.rules.findings.TOLERANCE


def _rule_title(rule_id: str, lang: str) -> str:
    try:
        from fiscal_sim.rules import RULES
    except ImportError:
        return rule_id
    rule = RULES.get(rule_id)
    if rule is None:
        return rule_id
    return f"{rule_id} ({rule.title_zh if lang == 'zh' else rule.title_en})"


def _quantile_name(level: float) -> str:
    """``0.05`` -> ``'p5'``, ``0.5`` -> ``'p50'``, ``0.025`` -> ``'p2.5'``."""
    return f"p{100 * level:.6g}"


def indicator_values(projection) -> np.ndarray:
    """The ensemble indicators of a projection, shape (draws, indicators, years)."""
    annual = projection.annual
    columns = []
    for name in ENSEMBLE_INDICATORS:
        if name == "sanbao_shortfall_cum":
            columns.append(np.cumsum(annual["sanbao_shortfall"], axis=1))
        else:
            columns.append(annual[name])
    return np.stack(columns, axis=1)


def own_breach_matrix(projection) -> dict[str, np.ndarray]:
    """Breaches per draw and year when :mod:`fiscal_sim.rules` is not available: 三保
    shortfall, the advance cap, wage-risk months and the cash alarm line."""
    scenario = projection.scenario
    tiers = projection.tiers["shortfall"]
    from fiscal_sim.params.schema import TIERS

    out = {
        rule: tiers[:, :, TIERS.index(tier)] > SHORTFALL_TOLERANCE
        for rule, tier in (
            ("wages_funded", "wages"),
            ("livelihood_funded", "livelihood"),
            ("operations_funded", "operations"),
        )
    }
    out["advance_cap"] = projection.annual["advance_ratio"] > scenario.value(
        "rules.advance_cap_ratio"
    )
    out["wage_account_covered"] = projection.annual["wage_risk_months"] > 0
    alarm = scenario.value("rules.cash_alarm_level")
    out["treasury_cash_level"] = (projection.months["cash_level"] < alarm).any(axis=2)
    return out


def breach_matrix(projection) -> dict[str, np.ndarray]:
    """``fiscal_sim.rules.breach_matrix`` when importable, else :func:`own_breach_matrix`."""
    try:
        from fiscal_sim.rules import breach_matrix as rules_breach_matrix
    except ImportError:
        return own_breach_matrix(projection)
    return rules_breach_matrix(projection)


class Accumulator:
    """Summaries of an ensemble, fed one chunk of draws at a time (see the module docstring).

    Chunks must start at a multiple of :data:`BLOCK_DRAWS` and come in order.
    """

    def __init__(self, baseline, draws: int, quantiles=None, exact_limit: int = 200_000):
        levels = tuple(float(q) for q in (quantiles or DEFAULT_QUANTILES))
        if not levels or any(not 0.0 <= q <= 1.0 for q in levels):
            raise ValueError(f"quantile levels must lie in [0, 1], got {levels}")
        self.levels = levels
        self.baseline = baseline
        self.draws = draws
        self.base = indicator_values(baseline)[0]
        shape = self.base.shape
        years = shape[1]
        self.stride = 1 if draws <= exact_limit else math.ceil(draws / exact_limit)
        # The kept draws of each indicator and year side by side (draws last): the quantiles
        # then partition this array in place, along contiguous rows, without a second copy.
        self.kept = np.empty((*shape, math.ceil(draws / self.stride)))
        self.sum1, self.sum2 = np.zeros(shape), np.zeros(shape)
        self.low, self.high = np.full(shape, np.inf), np.full(shape, -np.inf)
        self.breach_years: dict[str, np.ndarray] = {}
        self.breach_any: dict[str, int] = {}
        self.sanbao_years, self.sanbao_any = np.zeros(years, dtype=np.int64), 0
        self.wage_months = np.zeros((years, 12), dtype=np.int64)
        self.wage_years, self.wage_any = np.zeros(years, dtype=np.int64), 0
        self.done = 0

    def add(self, projection, start: int) -> None:
        """Add the draws ``start`` … ``start + n - 1`` held in ``projection``."""
        if start != self.done or start % BLOCK_DRAWS:
            raise ValueError("chunks must come in order and start on a block boundary")
        values = indicator_values(projection)
        n = values.shape[0]
        first = (-start) % self.stride
        kept = values[first :: self.stride]
        position = (start + first) // self.stride
        self.kept[:, :, position : position + len(kept)] = kept.transpose(1, 2, 0)
        deviation = values - self.base
        whole = n // BLOCK_DRAWS
        blocks = [deviation[: whole * BLOCK_DRAWS].reshape(whole, BLOCK_DRAWS, *self.base.shape)]
        if n % BLOCK_DRAWS:  # only the very last chunk ends in a partial block
            blocks.append(deviation[whole * BLOCK_DRAWS :][None])
        for part in blocks:
            # Sum within each block, then add the blocks in order: the same additions in the
            # same order for any chunk size.
            for first, second in zip(part.sum(axis=1), (part * part).sum(axis=1), strict=True):
                self.sum1 += first
                self.sum2 += second
        np.minimum(self.low, values.min(axis=0), out=self.low)
        np.maximum(self.high, values.max(axis=0), out=self.high)

        for rule, breached in breach_matrix(projection).items():
            years = self.breach_years.setdefault(rule, np.zeros(values.shape[2], dtype=np.int64))
            years += breached.sum(axis=0)
            self.breach_any[rule] = self.breach_any.get(rule, 0) + int(breached.any(axis=1).sum())
        short = projection.annual["sanbao_shortfall"] > SHORTFALL_TOLERANCE
        self.sanbao_years += short.sum(axis=0)
        self.sanbao_any += int(short.any(axis=1).sum())
        risk = projection.months["wage_covered"] < 0.5
        self.wage_months += risk.sum(axis=0)
        risk_year = risk.any(axis=2)
        self.wage_years += risk_year.sum(axis=0)
        self.wage_any += int(risk_year.any(axis=1).sum())
        self.done += n

    def result(self, **meta) -> Ensemble:
        """The :class:`Ensemble` of every draw added so far."""
        import pandas as pd

        if self.done != self.draws:
            raise ValueError(f"{self.done} draws added, {self.draws} expected")
        n = self.draws
        mean_deviation = self.sum1 / n
        variance = np.maximum(self.sum2 / n - mean_deviation**2, 0.0)
        # In place: partitioning reorders each row's draws, which leaves its quantiles as
        # they are (a second result() gives the same numbers).
        quantiles = np.quantile(self.kept, self.levels, axis=-1, overwrite_input=True)
        exact = self.stride == 1
        info = dict(self.baseline.meta)
        info.update(meta)
        info.update(
            draws=n,
            quantile_method=(
                "exact"
                if exact
                else f"systematic subsample: every {self.stride}th draw "
                f"({self.kept.shape[-1]:,} draws)"
            ),
        )
        return Ensemble(
            meta=info,
            years=tuple(int(year) for year in self.baseline.years),
            indicators=ENSEMBLE_INDICATORS,
            levels=self.levels,
            quantile_values=quantiles,
            mean=self.base + mean_deviation,
            std=np.sqrt(variance),
            minimum=self.low,
            maximum=self.high,
            baseline=self.base,
            breach=pd.DataFrame(
                {rule: counts / n for rule, counts in self.breach_years.items()},
                index=pd.Index(self.baseline.years, name="year"),
            ).T.assign(any_year=[self.breach_any[rule] / n for rule in self.breach_years]),
            sanbao_probability=self.sanbao_years / n,
            sanbao_probability_any=self.sanbao_any / n,
            wage_month_probability=self.wage_months / n,
            wage_year_probability=self.wage_years / n,
            wage_probability_any=self.wage_any / n,
        )


@dataclass(frozen=True, eq=False)
class Ensemble:
    """Summaries of a Monte Carlo run (see :func:`fiscal_sim.simulate`).

    Arrays are indexed ``(indicator, year)`` in ``indicators`` and ``years`` order;
    ``quantile_values`` has a leading axis over ``levels``. Money in 万元.
    """

    meta: dict
    years: tuple
    indicators: tuple
    levels: tuple
    quantile_values: np.ndarray
    mean: np.ndarray
    std: np.ndarray
    minimum: np.ndarray
    maximum: np.ndarray
    baseline: np.ndarray
    breach: pd.DataFrame
    sanbao_probability: np.ndarray
    sanbao_probability_any: float
    wage_month_probability: np.ndarray
    wage_year_probability: np.ndarray
    wage_probability_any: float

    @property
    def draws(self) -> int:
        return int(self.meta["draws"])

    def _row(self, indicator: str) -> int:
        try:
            return self.indicators.index(indicator)
        except ValueError:
            raise KeyError(
                f"unknown indicator {indicator!r}; expected one of {self.indicators}"
            ) from None

    @property
    def plot(self) -> _PlotAccessor:
        """Charts: ``ensemble.plot.fan_chart("cash_cover_min_months")``,
        ``ensemble.plot.breach_heatmap()`` (matplotlib is imported only when drawing)."""
        return _PlotAccessor(self)

    # -- tables ------------------------------------------------------------------------------
    def quantiles(self, indicator: str) -> pd.DataFrame:
        """One row per year: the quantiles, mean, std, min, max and the deterministic
        baseline of ``indicator``."""
        import pandas as pd

        i = self._row(indicator)
        columns = {_quantile_name(q): self.quantile_values[k, i] for k, q in enumerate(self.levels)}
        columns.update(
            mean=self.mean[i],
            std=self.std[i],
            min=self.minimum[i],
            max=self.maximum[i],
            baseline=self.baseline[i],
        )
        return pd.DataFrame(columns, index=pd.Index(self.years, name="year"))

    def quantile(self, indicator: str, level: float) -> pd.Series:
        """The ``level`` quantile of ``indicator`` by year (``level`` one of ``levels``)."""
        if level not in self.levels:
            raise KeyError(f"quantile {level} not computed; levels are {self.levels}")
        return self.quantiles(indicator)[_quantile_name(level)]

    def breach_probabilities(self) -> pd.DataFrame:
        """One row per rule: the probability of a breach in each year and in any year."""
        return self.breach.copy()

    def breach_probability(self, rule: str) -> pd.Series:
        """The probability that ``rule`` is breached, by year."""
        return self.breach.loc[rule, list(self.years)].rename("probability")

    def sanbao(self) -> pd.DataFrame:
        """The 三保 shortfall by year: probability of a shortfall, its mean, its mean when
        there is one, and its quantiles (also cumulated over the years)."""
        import pandas as pd

        i = self._row("sanbao_shortfall")
        probability = np.asarray(self.sanbao_probability)
        frame = pd.DataFrame(
            {
                "probability": probability,
                "mean": self.mean[i],
                "mean_if_short": np.divide(
                    self.mean[i],
                    probability,
                    out=np.zeros_like(self.mean[i]),
                    where=probability > 0,
                ),
            },
            index=pd.Index(self.years, name="year"),
        )
        for k, q in enumerate(self.levels):
            frame[_quantile_name(q)] = self.quantile_values[k, i]
        cumulative = self._row("sanbao_shortfall_cum")
        for k, q in enumerate(self.levels):
            frame[f"cum_{_quantile_name(q)}"] = self.quantile_values[k, cumulative]
        return frame

    def wage_risk(self) -> pd.DataFrame:
        """The probability of a wage-arrears risk month: by year and month, any month of the
        year, and the mean number of risk months."""
        import pandas as pd

        frame = pd.DataFrame(
            self.wage_month_probability,
            index=pd.Index(self.years, name="year"),
            columns=list(range(1, 13)),
        )
        frame["any_month"] = self.wage_year_probability
        frame["mean_months"] = self.mean[self._row("wage_risk_months")]
        return frame

    def to_frame(self) -> pd.DataFrame:
        """Tidy: ``section, name, year, month, statistic, value`` (year 0: the whole horizon,
        month 0: the whole year)."""
        import pandas as pd

        parts = []
        for name in self.indicators:
            table = self.quantiles(name).reset_index().melt(id_vars="year", var_name="statistic")
            parts.append(table.assign(section="indicator", name=name, month=0))
        breach = self.breach.rename(columns={"any_year": 0})
        breach = breach.rename_axis("name").reset_index().melt(id_vars="name", var_name="year")
        parts.append(breach.assign(section="breach", statistic="probability", month=0))
        sanbao = self.sanbao().reset_index().melt(id_vars="year", var_name="statistic")
        parts.append(sanbao.assign(section="sanbao", name="sanbao_shortfall", month=0))
        parts.append(
            pd.DataFrame(
                {
                    "section": ["sanbao", "wage_risk"],
                    "name": ["sanbao_shortfall", "wage_risk_month"],
                    "year": [0, 0],
                    "month": [0, 0],
                    "statistic": "probability",
                    "value": [self.sanbao_probability_any, self.wage_probability_any],
                }
            )
        )
        wage = self.wage_risk().drop(columns=["any_month", "mean_months"]).reset_index()
        wage = wage.melt(id_vars="year", var_name="month")
        parts.append(
            wage.assign(section="wage_risk", name="wage_risk_month", statistic="probability")
        )
        yearly = pd.DataFrame({"year": self.years, "value": self.wage_year_probability, "month": 0})
        parts.append(
            yearly.assign(section="wage_risk", name="wage_risk_month", statistic="probability")
        )
        frame = pd.concat(parts, ignore_index=True)
        frame["year"] = frame["year"].astype(int)
        frame["month"] = frame["month"].astype(int)
        frame["value"] = frame["value"].astype(float)
        return frame[["section", "name", "year", "month", "statistic", "value"]]

    # -- presentation: text and HTML show the same tables -------------------------------------
    def headline(self, lang: str | None = None) -> str:
        lang = lang or get_lang()
        meta = self.meta
        p = self.sanbao_probability_any
        w = self.wage_probability_any
        if lang == "zh":
            return (
                f"{meta.get('scenario')} [{meta.get('hash')}]：{self.draws:,}次模拟，"
                f"种子{meta.get('seed')}；三保缺口概率（任一年）{p:.1%}，"
                f"工资风险月概率（任一月）{w:.1%}"
            )
        return (
            f"{meta.get('scenario')} [{meta.get('hash')}]: {self.draws:,} draws, seed "
            f"{meta.get('seed')}; P(三保 shortfall in any year) {p:.1%}, "
            f"P(wage-arrears risk month) {w:.1%}"
        )

    def summary_tables(self, lang: str | None = None) -> dict[str, pd.DataFrame]:
        """The tables the text and HTML views show: key indicators' 5/50/95 % quantiles,
        breach probabilities (rules that break in some draw), 三保 and wage risk."""
        import pandas as pd

        lang = lang or get_lang()
        shown = [q for q in (0.05, 0.5, 0.95) if q in self.levels] or list(self.levels)
        rows = {}
        for name in KEY_INDICATORS:
            table = self.quantiles(name)
            for q in shown:
                rows[(indicator_label(name, lang), _quantile_name(q))] = table[_quantile_name(q)]
        indicators = pd.DataFrame(rows).T
        indicators.columns = list(self.years)
        breach = self.breach[self.breach.to_numpy().max(axis=1) > 0]
        breach = breach.rename(index=lambda rule: _rule_title(rule, lang))
        risk = pd.DataFrame(
            {
                "三保缺口概率" if lang == "zh" else "P(三保 shortfall)": self.sanbao_probability,
                "工资风险月概率" if lang == "zh" else "P(wage risk month)": (
                    self.wage_year_probability
                ),
            },
            index=list(self.years),
        ).T
        indicators.attrs["row_kinds"] = [
            kind_of_unit(INDICATORS[name][2]) if name in INDICATORS else "money"
            for name in KEY_INDICATORS
            for _ in shown
        ]
        breach.attrs["kind"] = risk.attrs["kind"] = "ratio"
        return {"indicators": indicators, "breach_probability": breach, "risk": risk}

    def _shown_tables(self, lang: str) -> dict[str, pd.DataFrame]:
        """:meth:`summary_tables` as text: each number by its unit (ratios as percentages),
        titled in ``lang``."""
        shown = {}
        for key, table in self.summary_tables(lang).items():
            text = format_frame(
                table, table.attrs.get("kind", "money"), row_kinds=table.attrs.get("row_kinds")
            )
            text.columns = [header(column, lang) for column in text.columns]
            text.columns.name = None
            shown[table_title(key, lang)] = text
        return shown

    def _about(self, lang: str) -> list[str]:
        meta = self.meta
        model = meta.get("shock_model", "")
        method = meta.get("quantile_method", "")
        if lang == "zh":
            return [f"冲击模型：{model}", f"分位数：{method}"]
        return [f"shock model: {model}", f"quantiles: {method}"]

    def to_text(self, lang: str | None = None) -> str:
        import pandas as pd

        lang = lang or get_lang()
        lines = [self.headline(lang), *self._about(lang), ""]
        with pd.option_context(
            "display.width",
            200,
            "display.max_columns",
            20,
            "display.unicode.east_asian_width",
            True,
        ):
            for title, table in self._shown_tables(lang).items():
                lines.append(f"== {title} ==")
                if table.empty:
                    lines.append("(none)" if lang != "zh" else "（无）")
                else:
                    lines.append(table.to_string())
                lines.append("")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        meta = self.meta
        return (
            f"<Ensemble {meta.get('scenario')} [{meta.get('hash')}] {self.years[0]}–"
            f"{self.years[-1]}, {self.draws:,} draws, seed {meta.get('seed')}>"
        )

    def _repr_html_(self) -> str:
        lang = get_lang()
        parts = [f"<p><b>{html.escape(self.headline(lang))}</b></p>"]
        parts += [f"<p>{html.escape(line)}</p>" for line in self._about(lang)]
        for title, table in self._shown_tables(lang).items():
            parts.append(f"<h4>{html.escape(title)}</h4>")
            parts.append("<p>(none)</p>" if table.empty else table.to_html(border=0))
        return "\n".join(parts)


class _PlotAccessor:
    """Forwards to :mod:`fiscal_sim.plots.uncertainty`, so that matplotlib stays there."""

    def __init__(self, ensemble: Ensemble):
        self._ensemble = ensemble

    def fan_chart(self, indicator: str, ax=None, **options):
        from fiscal_sim.plots.uncertainty import fan_chart

        return fan_chart(self._ensemble, indicator, ax=ax, **options)

    def breach_heatmap(self, ax=None, **options):
        from fiscal_sim.plots.uncertainty import breach_heatmap

        return breach_heatmap(self._ensemble, ax=ax, **options)
