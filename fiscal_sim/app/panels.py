"""The workbench's views: dashboard, charts, uncertainty and solving, compare, downloads.

Each view is one function of a :class:`Context` (the language, the chosen year, the base and
the what-if). Numbers are formatted as the reports format them
(:func:`fiscal_sim.display.format_indicator`, :func:`fiscal_sim.rules.findings.format_value`);
every table is built from the library's own frames, nothing is computed here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from fiscal_sim.app import downloads, solving
from fiscal_sim.app.state import bundled, bundled_titles, run
from fiscal_sim.app.words import format_difference, word
from fiscal_sim.display import KEY_INDICATORS, format_indicator
from fiscal_sim.labels import label, severity_label

KEPT_KEY = "kept"
# Red / amber / green behind a rule's status (text stays black: it reads in print too).
RAG_COLORS = {"breach": "#f4c7c3", "warning": "#fce8b2", "ok": "#b7e1cd"}
CHART_VIEWS = ("resources", "waterfall", "advances", "cash", "debt", "revenue")
MAX_DRAWS = 20_000


@dataclass(frozen=True)
class Context:
    """What every view needs: language, year, base, what-if and its scenario and overlay."""

    lang: str
    year: int
    base: object
    base_scenario: object
    whatif: object
    scenario: object
    body: str
    kept_key: str


# -- dashboard -----------------------------------------------------------------------------------


def _baselines(context: Context) -> dict:
    """Baselines the user can pick: the scenario as loaded, the bundled ones, kept what-ifs."""
    lang = context.lang
    options = {word("baseline.loaded", lang): context.base_scenario}
    for name in bundled_titles():
        options[word("baseline.bundled", lang, name=name)] = name
    for kept in st.session_state.get(context.kept_key, []):
        options[word("baseline.kept", lang, name=kept["name"])] = kept["scenario"]
    return options


def _baseline_scenario(choice):
    return bundled(choice) if isinstance(choice, str) else choice


def rag_table(findings, year: int, lang: str):
    """One line per rule in force in ``year``: status (on red, amber or green), title, clause,
    the figure behind it and the years it is breached in. A pandas Styler of the table."""
    from fiscal_sim.rules import RULES

    frame = findings.to_frame()
    rows, colors = [], []
    for rule_id, rule in RULES.items():
        of_rule = frame[frame["rule"] == rule_id]
        in_year = of_rule[of_rule["year"] == year]
        if in_year.empty:
            continue
        first = in_year.iloc[0]  # findings come breaches first, then warnings
        breach_years = sorted(set(of_rule.loc[of_rule["severity"] == "breach", "year"]))
        rows.append(
            {
                word("rag.status", lang): severity_label(first["severity"], lang),
                word("rag.rule", lang): rule.title_zh if lang == "zh" else rule.title_en,
                word("rag.clause", lang): rule.clause,
                word("rag.figure", lang): first[f"message_{lang}"],
                word("rag.breach_years", lang): ", ".join(map(str, breach_years)) or "–",
            }
        )
        colors.append(f"background-color: {RAG_COLORS[first['severity']]}")
    table = pd.DataFrame(rows)
    if table.empty:
        return table.style
    status = word("rag.status", lang)
    return table.style.apply(lambda column: colors, subset=[status]).hide(axis="index")


def dashboard(context: Context) -> None:
    lang, year = context.lang, context.year
    options = _baselines(context)
    choice = st.selectbox(word("dashboard.baseline", lang), list(options), key="baseline")
    baseline = _baseline_scenario(options[choice])
    projection, findings = run(context.scenario)
    reference, _ = run(baseline)
    st.subheader(word("dashboard.indicators", lang, year=year))
    shown = projection.indicators().loc[year]
    against = reference.indicators()
    columns = st.columns(4)
    for index, name in enumerate(KEY_INDICATORS):
        value = float(shown[name])
        before = float(against.loc[year, name]) if year in against.index else float("nan")
        columns[index % 4].metric(
            label(name, lang),
            format_indicator(name, value),
            delta=format_difference(name, value - before, lang),
            delta_color="off",
        )
    rag, by_year, listed = dashboard_tables(
        context.scenario.hash, baseline.hash, year, lang, projection, findings, reference
    )
    st.subheader(word("dashboard.rules", lang))
    st.table(rag)
    with st.expander(word("dashboard.all_years", lang)):
        st.table(by_year)
    with st.expander(word("dashboard.findings", lang)):
        st.dataframe(listed, hide_index=True)


@st.cache_resource(max_entries=64)
def dashboard_tables(
    scenario_hash: str, baseline_hash: str, year: int, lang: str, _projection, _findings, _reference
):
    """The dashboard's tables (rules, every year, findings), made once per what-if and view."""
    return (
        rag_table(_findings, year, lang),
        indicator_table(_projection, _reference, lang),
        findings_table(_findings, lang),
    )


def indicator_table(projection, reference, lang: str) -> pd.DataFrame:
    """Every key indicator by year: the what-if's value, then its difference from the baseline."""
    years = [str(year) for year in projection.indicators().index]
    frame = pd.DataFrame(
        [(name, *values) for name, values in _pairs(projection, reference, lang)],
        columns=[word("col.indicator", lang), *years],
    )
    return frame.set_index(word("col.indicator", lang))


def _pairs(projection, reference, lang: str):
    ours, theirs = projection.indicators(), reference.indicators()
    for name in KEY_INDICATORS:
        yield label(name, lang), [format_indicator(name, ours.loc[y, name]) for y in ours.index]
        yield (
            f"{label(name, lang)} − {word('col.baseline', lang)}",
            [
                format_difference(name, ours.loc[y, name] - theirs.loc[y, name], lang)
                if y in theirs.index
                else "–"
                for y in ours.index
            ],
        )


def findings_table(findings, lang: str) -> pd.DataFrame:
    """The findings as the reports list them, numbers formatted by unit, headers in ``lang``."""
    from fiscal_sim.labels import aspect_label, finding_column, severity_label, unit_label
    from fiscal_sim.report import findings_frame
    from fiscal_sim.rules.findings import format_value, month_text

    frame = findings_frame(findings, lang)
    shown = pd.DataFrame(
        {
            "severity": [severity_label(key, lang) for key in frame["severity"]],
            "rule": frame["rule"],
            "clause": frame["clause"],
            "year": frame["year"].astype(str),
            "month": [month_text(month) for month in frame["month"]],
            "aspect": [aspect_label(key, lang) for key in frame["aspect"]],
            **{
                column: [
                    format_value(value, unit)
                    for value, unit in zip(frame[column], frame["unit"], strict=True)
                ]
                for column in ("value", "threshold", "margin")
            },
            "unit": [unit_label(key, lang) for key in frame["unit"]],
            "message": frame["message"],
        }
    )
    return shown.rename(columns=lambda column: finding_column(column, lang))


# -- charts ----------------------------------------------------------------------------------------


@st.cache_data(max_entries=64, show_spinner=False)
def chart_png(scenario_hash: str, name: str, year: int, lang: str, _projection) -> bytes:
    """A chart of :mod:`fiscal_sim.plots` as PNG (by scenario hash, chart, year, language)."""
    from fiscal_sim import plots

    options = {"year": year} if name in ("waterfall", "cash") else {}
    ax = plots.chart(name, _projection, lang=lang, **options)
    try:
        return plots.figure_bytes(ax.figure)
    finally:
        plots.close(ax)


def charts(context: Context) -> None:
    lang = context.lang
    name = st.selectbox(
        word("chart.pick", lang),
        CHART_VIEWS,
        format_func=lambda key: word(f"chart.{key}", lang),
        key="chart",
    )
    projection, _ = run(context.scenario)
    st.image(chart_png(context.scenario.hash, name, context.year, lang, projection))


# -- the other views -------------------------------------------------------------------------------


def uncertainty(context: Context) -> None:
    solving.monte_carlo(context, MAX_DRAWS)
    solving.solve(context)


def compare(context: Context) -> None:
    solving.compare(context)


def take_away(context: Context) -> None:
    downloads.render(context, *run(context.scenario))


VIEWS = {
    "dashboard": dashboard,
    "charts": charts,
    "uncertainty": uncertainty,
    "compare": compare,
    "downloads": take_away,
}
"""The views by the name the page's view switch uses, in its order."""
