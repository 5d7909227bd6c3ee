"""The result of a Monte Carlo run: quantiles per indicator and year, breach probabilities.

:class:`Ensemble` holds summaries only (never the draws), so a million draws fit in memory.
:class:`fiscal_sim.accumulator.Accumulator` builds it chunk by chunk (for
:func:`fiscal_sim.simulate`); this module says how the summaries are read: tables, text, HTML
and charts.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from fiscal_sim.labels import INDICATORS, get_lang, header, indicator_label, table_title
from fiscal_sim.numbers import format_frame, frame_text, kind_of_unit

if TYPE_CHECKING:  # pandas is imported when the summaries become tables
    import pandas as pd

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


@dataclass(frozen=True, eq=False)
class Ensemble:
    """Summaries of a Monte Carlo run (see :func:`fiscal_sim.simulate`).

    Arrays are indexed ``(indicator, year)`` in ``indicators`` and ``years`` order;
    ``quantile_values`` has a leading axis over ``levels``; ``breach_year_probability`` is
    indexed ``(rule, year)`` in ``rules`` order. Money in 万元. The tables (pandas) are built
    when asked for: a run itself needs no pandas.
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
    rules: tuple
    breach_year_probability: np.ndarray
    breach_any_probability: np.ndarray
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

    @property
    def breach(self) -> pd.DataFrame:
        """One row per rule: the probability of a breach in each year (columns ``year``) and
        in any year (``any_year``); a new table on each call."""
        import pandas as pd

        frame = pd.DataFrame(
            self.breach_year_probability,
            index=list(self.rules),
            columns=pd.Index(self.years, name="year"),
        )
        frame["any_year"] = self.breach_any_probability
        return frame

    def breach_probabilities(self) -> pd.DataFrame:
        """One row per rule: the probability of a breach in each year and in any year."""
        return self.breach

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
        breach = self.breach
        breach = breach[breach.to_numpy().max(axis=1) > 0]
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
        lang = lang or get_lang()
        lines = [self.headline(lang), *self._about(lang), ""]
        for title, table in self._shown_tables(lang).items():
            lines.append(f"== {title} ==")
            if table.empty:
                lines.append("(none)" if lang != "zh" else "（无）")
            else:
                lines.append(frame_text(table))
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
