"""The views that run longer: Monte Carlo, reverse stress and goal-seek, and the comparison.

A run starts on a button and its result is kept in the session with the hash of the
scenario it was run on, so that it stays on the page while nothing changes and says so
when the what-if has moved on.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

import fiscal_sim
from fiscal_sim.app.state import run
from fiscal_sim.app.words import format_difference, word
from fiscal_sim.display import KEY_INDICATORS, format_indicator
from fiscal_sim.labels import label

BLOCK = 1024  # draws per engine call: the progress bar moves after each (fiscal_sim.stochastic)
MC_KEY, SOLVE_KEY = "monte_carlo", "solved"


def _image(ax) -> None:
    from fiscal_sim import plots

    try:
        st.image(plots.figure_bytes(ax.figure))
    finally:
        plots.close(ax)


def monte_carlo(context, max_draws: int) -> None:
    """Draws and seed chosen by the user (bounded), a progress bar, fan charts, heat map."""
    from fiscal_sim.report import FAN_INDICATORS, breach_frame

    lang, scenario = context.lang, context.scenario
    st.subheader(word("mc.title", lang))
    left, right = st.columns(2)
    draws = left.number_input(
        word("mc.draws", lang),
        min_value=100,
        max_value=max_draws,
        value=1000,
        step=100,
        key="mc_draws",
    )
    seed = right.number_input(
        word("mc.seed", lang), min_value=0, max_value=2**31 - 1, value=1, step=1, key="mc_seed"
    )
    if st.button(word("mc.run", lang), key="mc_run"):
        bar = st.progress(0.0, text=word("mc.running", lang))
        done = [0]

        def advance(count: int) -> None:
            done[0] += count
            bar.progress(min(done[0] / int(draws), 1.0), text=word("mc.running", lang))

        ensemble = fiscal_sim.simulate(
            scenario, draws=int(draws), seed=int(seed), chunk_size=BLOCK, progress=advance
        )
        st.session_state[MC_KEY] = (scenario.hash, ensemble)
    kept = st.session_state.get(MC_KEY)
    if kept is None:
        return
    if kept[0] != scenario.hash:
        st.info(word("mc.stale", lang))
        return
    ensemble = kept[1]
    st.text(word("mc.result", lang, draws=ensemble.draws, seed=ensemble.meta.get("seed")))
    st.text(ensemble.headline(lang))
    st.markdown(f"**{word('mc.breach', lang)}**")
    table = breach_frame(ensemble, lang).rename(columns=str)
    percent = [column for column in table.columns if column not in ("rule", "title", "clause")]
    st.dataframe(table.style.format("{:.1%}", subset=percent), hide_index=True)
    _image(ensemble.plot.breach_heatmap(lang=lang))
    indicator = st.selectbox(
        word("mc.fan", lang),
        FAN_INDICATORS,
        format_func=lambda key: label(key, lang),
        key="mc_fan",
    )
    _image(ensemble.plot.fan_chart(indicator, lang=lang))


def solve(context) -> None:
    """Reverse stress (the smallest shock that breaks) and goal-seek (year by year, the least
    a lever must do for every rule to hold), both of the current what-if."""
    from fiscal_sim.goalseek import levers
    from fiscal_sim.solve import REVERSE_KINDS, TARGETS

    lang, scenario = context.lang, context.scenario
    st.subheader(word("solve.title", lang))
    pick = 2 if lang == "zh" else 3
    left, right = st.columns(2)
    kind = left.selectbox(
        word("solve.kind", lang),
        tuple(REVERSE_KINDS),
        format_func=lambda key: REVERSE_KINDS[key][pick],
        key="reverse_kind",
    )
    target = left.radio(
        word("solve.target", lang),
        TARGETS,
        format_func=lambda key: word(f"target.{key}", lang),
        horizontal=True,
        key="solve_target",
    )
    choices = levers()
    lever = right.selectbox(
        word("solve.lever", lang),
        tuple(choices),
        format_func=lambda key: choices[key].title(lang),
        key="goal_lever",
    )
    if left.button(word("solve.reverse", lang), key="reverse_run"):
        found = fiscal_sim.reverse_stress(scenario, kind, target=target)
        st.session_state[SOLVE_KEY] = (scenario.hash, found)
    if right.button(word("solve.goal", lang), key="goal_run"):
        found = fiscal_sim.goal_seek(scenario, lever)
        st.session_state[SOLVE_KEY] = (scenario.hash, found)
    kept = st.session_state.get(SOLVE_KEY)
    if kept is not None and kept[0] == scenario.hash:
        st.text(kept[1].to_text(lang).rstrip())
        st.dataframe(kept[1].to_frame().rename(columns=str))


def compare(context) -> None:
    """Several what-ifs of this session side by side, for the chosen year."""
    lang, year = context.lang, context.year
    kept = st.session_state.setdefault(context.kept_key, [])
    name = st.text_input(
        word("compare.name", lang),
        value=f"{context.scenario.name} #{len(kept) + 1}",
        key="kept_name",
    )
    left, right = st.columns(2)
    if left.button(word("compare.keep", lang), key="keep"):
        kept.append({"name": name, "scenario": context.scenario, "body": context.body})
    if right.button(word("compare.clear", lang), key="clear_kept"):
        kept.clear()
    if not kept:
        st.text(word("compare.none", lang))
        return
    items = [(entry["name"], entry["scenario"]) for entry in kept]
    items.append((word("compare.current", lang), context.scenario))
    first = run(items[0][1])[0].indicators()
    columns = {}
    for name, scenario in items:
        values = run(scenario)[0].indicators()
        columns[f"{name} [{scenario.hash}]"] = [
            format_indicator(key, values.loc[year, key]) for key in KEY_INDICATORS
        ]
        if len(columns) > 1:
            columns[f"{name} − {items[0][0]}"] = [
                format_difference(key, values.loc[year, key] - first.loc[year, key], lang)
                for key in KEY_INDICATORS
            ]
    st.markdown(f"**{word('compare.table', lang, year=year)}**")
    st.table(pd.DataFrame(columns, index=[label(key, lang) for key in KEY_INDICATORS]))
