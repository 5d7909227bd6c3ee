"""Charts of a Monte Carlo ensemble: fan charts and the breach heat map (model.md §9).

matplotlib lives in :mod:`fiscal_sim.plots` only. Each function takes an
:class:`~fiscal_sim.ensemble.Ensemble` and an optional ``ax`` and returns the Axes; without
``ax`` a new Figure is made (no pyplot state). Labels come from :mod:`fiscal_sim.labels` in
Chinese or English; the bundled CJK font renders the Chinese.

Examples
--------
>>> import fiscal_sim
>>> from fiscal_sim.stochastic import simulate
>>> ensemble = simulate(fiscal_sim.load_scenario(), draws=1024, seed=1)
>>> fan_chart(ensemble, "cash_cover_min_months", lang="en").get_title()
'lowest cash cover: 1,024 draws'
>>> breach_heatmap(ensemble, lang="en").get_gid()
'breach_heatmap'
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from fiscal_sim import fonts, labels
from fiscal_sim.plots._common import TITLE_Y
from fiscal_sim.plots.layout import OneAxesLayout

_TEXT = {
    "draws": ("{n:,}次模拟", "{n:,} draws"),
    "median": ("中位数", "median"),
    "baseline": ("确定性基准", "deterministic baseline"),
    "band": ("{low}–{high}分位区间", "{low}–{high} % band"),
    "year": ("年度", "year"),
    "heatmap": ("各规则各年被突破的概率", "Probability that each rule breaks, by year"),
    "any_year": ("任一年", "any year"),
}


def _lang(lang):
    from fiscal_sim.labels import get_lang

    return lang or get_lang()


def _word(key: str, lang: str, **fields) -> str:
    return _TEXT[key][0 if lang == "zh" else 1].format(**fields)


def _new_axes(ax, size=(8.0, 4.8), layout=None):
    """A new Axes on a bare Figure, laid out by :class:`OneAxesLayout` unless ``layout``."""
    if ax is not None:
        return ax
    return Figure(figsize=size, layout=layout or OneAxesLayout()).add_subplot()


def fan_chart(ensemble, indicator: str, ax=None, *, lang=None):
    """Quantile bands of ``indicator`` by year (widest band lightest), the median and the
    deterministic baseline.

    Returns
    -------
    matplotlib.axes.Axes
    """
    from fiscal_sim.labels import indicator_label

    lang = _lang(lang)
    table = ensemble.quantiles(indicator)
    levels = sorted(ensemble.levels)
    years = np.asarray(ensemble.years)
    with fonts.font_context(lang):
        ax = _new_axes(ax)
        pairs = [(q, 1.0 - q) for q in levels if q < 0.5 and (1.0 - q) in levels]
        for rank, (low, high) in enumerate(pairs):
            lower = table[f"p{100 * low:.6g}"]
            upper = table[f"p{100 * high:.6g}"]
            ax.fill_between(
                years,
                lower,
                upper,
                color="tab:blue",
                alpha=0.15 + 0.5 * rank / max(len(pairs), 1),
                linewidth=0,
                label=_word("band", lang, low=f"{100 * low:g}", high=f"{100 * high:g}"),
                gid=f"band_{100 * low:g}_{100 * high:g}",
            )
        if 0.5 in levels:
            ax.plot(
                years, table["p50"], color="tab:blue", label=_word("median", lang), gid="median"
            )
        ax.plot(
            years,
            table["baseline"],
            color="black",
            linestyle="--",
            label=_word("baseline", lang),
            gid="baseline",
        )
        name = indicator_label(indicator, lang)
        ax.set_title(f"{name}: {_word('draws', lang, n=ensemble.draws)}", y=TITLE_Y)
        ax.set_xticks(years, [str(year) for year in years])
        ax.set_xlabel(_word("year", lang))
        ax.ticklabel_format(axis="y", useOffset=False)  # no offset text under the title
        unit = labels.unit_of(indicator) or "wan_yuan"
        if unit == "fraction":  # ratios as percentages, as every table shows them
            from matplotlib.ticker import PercentFormatter

            ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        unit_text = "%" if unit == "fraction" else labels.unit_label(unit, lang)
        ax.set_ylabel(f"{name}（{unit_text}）" if lang == "zh" else f"{name} ({unit_text})")
        ax.legend(fontsize="small", loc="best")
        ax.tick_params(labelfontfamily=fonts.font_families(lang))
    return ax


def breach_heatmap(ensemble, ax=None, *, lang=None, only_breached: bool = True):
    """Rules × years, coloured by the probability of a breach, with the any-year column.

    ``only_breached`` leaves out rules that hold in every draw.

    Returns
    -------
    matplotlib.axes.Axes
    """
    lang = _lang(lang)
    table = ensemble.breach_probabilities()
    if only_breached:
        kept = table[table.to_numpy().max(axis=1) > 0]
        table = kept if len(kept) else table
    values = table.to_numpy(dtype=float)
    columns = [str(year) for year in ensemble.years] + [_word("any_year", lang)]
    with fonts.font_context(lang):
        # The colorbar is a second Axes: constrained layout places both.
        ax = _new_axes(ax, size=(9.0, 0.45 * len(table) + 1.8), layout="constrained")
        image = ax.imshow(values, cmap="Reds", vmin=0.0, vmax=1.0, aspect="auto")
        image.set_gid("breach_cells")
        ax.set_gid("breach_heatmap")
        ax.set_xticks(range(len(columns)), columns)
        ax.set_yticks(range(len(table)), [labels.rule_name(rule, lang) for rule in table.index])
        for (row, column), value in np.ndenumerate(values):
            ax.text(
                column,
                row,
                f"{value:.0%}" if value >= 0.005 or value == 0 else "<1%",
                ha="center",
                va="center",
                fontsize="x-small",
                color="white" if value > 0.6 else "black",
            )
        ax.set_title(
            f"{_word('heatmap', lang)} ({_word('draws', lang, n=ensemble.draws)})", y=TITLE_Y
        )
        ax.figure.colorbar(image, ax=ax, format="{x:.0%}")
        ax.tick_params(labelfontfamily=fonts.font_families(lang))
    return ax
