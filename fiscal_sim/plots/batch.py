"""Charts of a batch of counties: the county × rule heat map and the distributions across
counties (issue #21).

matplotlib lives in :mod:`fiscal_sim.plots` only. Each function takes the batch's tables
(pandas frames, :mod:`fiscal_sim.batch.tables`) and an optional ``ax`` and returns the Axes;
labels are Chinese or English from :mod:`fiscal_sim.labels`.

Examples
--------
>>> import pandas as pd
>>> ranking = pd.DataFrame({"code": ["990102", "990101"], "name": ["乙县", "甲县"],
...                         "score": [60.0, 10.0], "risk_class": ["red", "green"]})
>>> rules = pd.DataFrame({"code": ["990101", "990102"], "rule": ["advance_cap"] * 2,
...                       "year": [2019, 2019], "breached": [False, True]})
>>> rule_heatmap(rules, ranking, lang="en").get_gid()
'batch_rule_heatmap'
>>> score_histogram(ranking, lang="zh").get_title()
'各县风险评分分布'
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from fiscal_sim import fonts, labels

_TEXT = {
    "heatmap": ("各县各规则：任一年被突破{what}", "Counties × rules: breached in some year{what}"),
    "probability": ("的概率", " (probability)"),
    "county": ("县（按风险排序）", "county (by risk)"),
    "scores": ("各县风险评分分布", "Risk scores across counties"),
    "score": ("风险评分", "risk score"),
    "counties": ("县数", "counties"),
    "spread": ("各县{indicator}分布（{how}）", "{indicator} across counties ({how})"),
    "worst": ("各县最不利年份", "each county's worst year"),
    "red": ("高风险", "red"),
    "amber": ("关注", "amber"),
    "green": ("正常", "green"),
}
CLASS_COLORS = {"red": "#c0392b", "amber": "#e6a23c", "green": "#55a868"}
# Which year of each county a distribution shows: the worst one for the indicator.
WORST = {
    "self_sufficiency": "min",
    "cash_cover_min_months": "min",
    "advance_ratio": "max",
    "debt_ratio": "max",
    "sanbao_shortfall": "max",
}
KEY_INDICATORS = tuple(WORST)
MAX_HEATMAP_COUNTIES = 40


def _lang(lang):
    return lang or labels.get_lang()


def _word(key: str, lang: str, **fields) -> str:
    return _TEXT[key][0 if lang == "zh" else 1].format(**fields)


def _new_axes(ax, size):
    if ax is not None:
        return ax
    return Figure(figsize=size, layout="constrained").add_subplot()


def _county(name: str, code: str) -> str:
    """A county's tick label: its name, with its code unless the name holds it."""
    return name if code in name else f"{name} {code}".strip()


def rule_heatmap(rules, ranking, ax=None, *, lang=None, top: int = MAX_HEATMAP_COUNTIES):
    """Counties (the ``top`` highest-ranked, rows) × rules (columns): the probability that the
    rule breaks in some year (with draws), else whether it breaks in some year. Rules that
    hold in every county are left out."""
    lang = _lang(lang)
    with_draws = "probability_any_year" in rules.columns
    if with_draws:
        cells = rules.groupby(["code", "rule"])["probability_any_year"].max()
    else:
        cells = rules.groupby(["code", "rule"])["breached"].any().astype(float)
    table = cells.unstack("rule").fillna(0.0)
    order = [code for code in ranking["code"] if code in table.index][:top]
    table = table.loc[order]
    kept = table.columns[table.to_numpy().max(axis=0) > 0]
    table = table[kept] if len(kept) else table
    names = dict(zip(ranking["code"], ranking["name"], strict=True))
    values = table.to_numpy(dtype=float)
    with fonts.font_context(lang):
        ax = _new_axes(ax, (max(7.0, 3.0 + 0.55 * len(table.columns)), 2.0 + 0.28 * len(table)))
        image = ax.imshow(values, cmap="Reds", vmin=0.0, vmax=1.0, aspect="auto")
        ax.set_gid("batch_rule_heatmap")
        ax.set_xticks(
            range(len(table.columns)),
            [labels.rule_name(rule, lang) for rule in table.columns],
            rotation=45,
            ha="right",
        )
        ax.set_yticks(
            range(len(table)), [_county(names.get(code, ""), code) for code in table.index]
        )
        ax.set_ylabel(_word("county", lang))
        what = _word("probability", lang) if with_draws else ""
        ax.set_title(_word("heatmap", lang, what=what))
        ax.figure.colorbar(image, ax=ax, format="{x:.0%}")
        ax.tick_params(labelfontfamily=fonts.font_families(lang))
    return ax


def score_histogram(ranking, ax=None, *, lang=None, lines=(25.0, 50.0)):
    """The distribution of risk scores, stacked by class, with the class ``lines`` (the amber
    and red scores of :mod:`fiscal_sim.batch.risk`)."""
    lang = _lang(lang)
    bins = np.linspace(0.0, 100.0, 21)
    with fonts.font_context(lang):
        ax = _new_axes(ax, (6.0, 3.6))
        stacks = [ranking.loc[ranking["risk_class"] == name, "score"] for name in CLASS_COLORS]
        ax.hist(
            stacks,
            bins=bins,
            stacked=True,
            color=list(CLASS_COLORS.values()),
            label=[_word(name, lang) for name in CLASS_COLORS],
        )
        for line in lines:
            ax.axvline(line, color="#444444", linewidth=0.8, linestyle="--")
        ax.set_xlabel(_word("score", lang))
        ax.set_ylabel(_word("counties", lang))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(_word("scores", lang))
        ax.legend(prop={"family": fonts.font_families(lang)})
    return ax


def indicator_histogram(indicators, indicator: str, ax=None, *, lang=None):
    """The distribution across counties of an indicator in each county's worst year
    (:data:`WORST`), from the tidy indicators table."""
    lang = _lang(lang)
    rows = indicators[indicators["indicator"] == indicator]
    values = rows.groupby("code")["value"].agg(WORST.get(indicator, "max")).to_numpy(dtype=float)
    unit = labels.unit_of(indicator)
    scale = 100.0 if unit == "fraction" else 1.0
    with fonts.font_context(lang):
        ax = _new_axes(ax, (6.0, 3.6))
        ax.hist(values * scale, bins=20, color="#4c72b0")
        name = labels.indicator_label(indicator, lang)
        suffix = " (%)" if unit == "fraction" else f" ({labels.unit_label(unit, lang)})"
        ax.set_xlabel(name + suffix)
        ax.set_ylabel(_word("counties", lang))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(_word("spread", lang, indicator=name, how=_word("worst", lang)))
    return ax
