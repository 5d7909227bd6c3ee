"""The workbench's page: the sidebar (language, scenario, year, levers) and the chosen view.

Run by Streamlit through :mod:`fiscal_sim.app.main`; every change of a widget reruns
:func:`render`, which recomputes the what-if at once (loading, projecting and checking are
cached by content, so only what changed is computed). The what-if's changes live in the
session (``st.session_state``) so that they survive a change of year or view.

Text from scenario files (titles, descriptions, error messages) is shown with ``st.text`` or
in tables, never as Markdown or HTML.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import streamlit as st

from fiscal_sim._version import __version__
from fiscal_sim.app import levers as lever_data
from fiscal_sim.app import panels
from fiscal_sim.app.state import bundled, bundled_titles, loaded, uploaded
from fiscal_sim.app.uploads import MAX_UPLOAD_BYTES, UploadError
from fiscal_sim.app.whatif import Base, WhatIf
from fiscal_sim.app.words import LANG_NAMES, LANGS, word
from fiscal_sim.labels import unit_label

DEFAULT_SCENARIO = "plan-followed"  # what `fiscal-sim run` runs without a scenario
DEFAULT_YEAR = 2020


# -- the sidebar ---------------------------------------------------------------------------------


def _errors(lines: list[str], lang: str) -> None:
    st.error(word("upload.failed", lang))
    for line in lines:
        st.text(f"• {line}")


def choose_base(lang: str):
    """The base scenario: a bundled one, or an upload when one is given and valid."""
    titles = {name: title[lang] for name, title in bundled_titles().items()}
    names = list(titles)
    source = st.sidebar.radio(
        word("sidebar.source", lang),
        ("bundled", "upload"),
        format_func=lambda key: word(f"source.{key}", lang),
        key="source",
    )
    if source == "upload":
        limit = f"{MAX_UPLOAD_BYTES // 2**20} MiB"
        file = st.sidebar.file_uploader(
            word("sidebar.upload", lang),
            type=["yaml", "yml", "xlsx"],
            help=word("sidebar.upload_help", lang, limit=limit),
            key="upload",
        )
        if file is not None:
            data = file.getvalue()
            try:
                return uploaded(file.name, hashlib.sha256(data).hexdigest(), data)
            except UploadError as error:
                with st.sidebar:
                    _errors(error.lines(lang), lang)
                    st.text(word("upload.kept_working", lang))
        else:
            st.sidebar.text(word("sidebar.upload_none", lang))
    name = st.sidebar.selectbox(
        word("sidebar.scenario", lang),
        names,
        index=names.index(DEFAULT_SCENARIO),
        format_func=lambda key: f"{titles[key]} ({key})",
        key="bundled",
    )
    return Base(name), bundled(name)


def _base_key(base: Base) -> str:
    """The base's name in the session and in widget keys (no server path: keys reach the page)."""
    return f"{Path(base.folder).name if base.uploaded else 'bundled'}/{base.ref}"


def current_whatif(base: Base) -> WhatIf:
    store = st.session_state.setdefault("whatifs", {})
    return store.get(_base_key(base)) or WhatIf(base)


def _remember(whatif: WhatIf) -> None:
    st.session_state.setdefault("whatifs", {})[_base_key(whatif.base)] = whatif


def _reset(base: Base) -> None:
    st.session_state.setdefault("whatifs", {}).pop(_base_key(base), None)
    prefix = f"lever:{_base_key(base)}:"
    for key in [key for key in st.session_state if str(key).startswith(prefix)]:
        del st.session_state[key]


def _value_text(lever, scenario, year: int) -> str:
    value = lever.shown(scenario, year)
    return f"{value:g}%" if lever.percent(scenario) else f"{value:,.6g}"


def lever_inputs(base: Base, base_scenario, year: int, lang: str) -> WhatIf:
    """The levers of one group at a time (a switch picks the group); returns the what-if.

    Changes made in other groups stay in the what-if (the session keeps it).
    """
    whatif = current_whatif(base)
    groups = {group.id: group for group in lever_data.lever_groups(base_scenario)}
    titles = {key: group.title(lang) for key, group in groups.items()}
    titles[lever_data.MEASURES_GROUP] = word("sidebar.measures", lang)
    chosen = st.sidebar.radio(
        word("sidebar.levers", lang), tuple(titles), format_func=titles.get, key="lever_group"
    )
    if chosen == lever_data.MEASURES_GROUP:
        whatif = measure_inputs(whatif, base_scenario, lang)
    else:
        whatif = group_inputs(groups[chosen], whatif, base_scenario, year, lang)
    _remember(whatif)
    if whatif.changed:
        st.sidebar.text(word("sidebar.changed", lang, paths=", ".join(changed_names(whatif))))
    if st.sidebar.button(word("sidebar.reset", lang), key="reset"):
        _reset(base)
        st.rerun()
    return whatif


def changed_names(whatif: WhatIf) -> list[str]:
    return [*sorted(whatif.params), *(f"measures.{key}" for key in sorted(whatif.measures))]


def group_inputs(group, whatif: WhatIf, base_scenario, year: int, lang: str) -> WhatIf:
    """A number input per lever of ``group``, with its unit, scenario value and source."""
    current = loaded(whatif, base_scenario)[0]
    prefix = f"lever:{_base_key(whatif.base)}:"
    for lever in group.levers:
        param = lever.param(base_scenario)
        percent = lever.percent(base_scenario)
        unit = word("unit.percent", lang) if percent else unit_label(param.unit, lang)
        scope = lever.scope if lever.yearly(base_scenario) else ""
        when = f" · {word(f'scope.{scope}', lang, year=year)}" if scope else ""
        shown = st.sidebar.number_input(
            f"{param.label(lang)} [{unit}]{when}",
            value=float(lever.shown(current, year)),
            step=lever.step,
            format="%.2f" if percent else "%.0f",
            help=word(
                "lever.help",
                lang,
                unit=unit,
                value=_value_text(lever, base_scenario, year),
                source=param.source,
            ),
            key=f"{prefix}{lever.path}:{year if scope else ''}",
        )
        typed = lever.typed(base_scenario, shown)
        if abs(typed - lever.value(current, year)) > 1e-12:
            before = whatif.params.get(lever.path, param.value)
            value = lever.changed(base_scenario, before, year, typed)
            whatif = whatif.with_param(lever.path, value, param.value)
    return whatif


def measure_inputs(whatif: WhatIf, base_scenario, lang: str) -> WhatIf:
    """One measure at a time: on or off, and its quantities when it is on."""
    measures = {measure.id: measure for measure in lever_data.measure_levers()}
    measure = measures[
        st.sidebar.selectbox(
            word("sidebar.measure", lang),
            tuple(measures),
            format_func=lambda key: f"{measures[key].label(lang)} ({measures[key].clause})",
            key="measure",
        )
    ]
    in_base = lever_data.measure_values(base_scenario, measure.id)
    values = dict(in_base or {})
    if measure.id in whatif.measures:
        change = whatif.measures[measure.id]
        values = None if change is None else {**values, **change}
    else:
        values = in_base
    prefix = f"lever:{_base_key(whatif.base)}:measure:{measure.id}:"
    if in_base is None:
        st.sidebar.text(word("measure.off_in_scenario", lang))
    on = st.sidebar.checkbox(word("measure.on", lang), value=values is not None, key=prefix)
    if not on:
        return whatif.with_measure(measure.id, None, in_base)
    typed = {}
    for quantity in measure.quantities:
        label = quantity.label_zh if lang == "zh" else quantity.label_en
        source = lever_data.measure_source(base_scenario, measure.id, quantity.name)
        typed[quantity.name] = st.sidebar.number_input(
            f"{label} [{unit_label(quantity.unit, lang)}]",
            min_value=0.0,
            max_value=None if quantity.maximum is None else float(quantity.maximum),
            value=float((values or {}).get(quantity.name, 0.0)),
            help=source or None,
            key=prefix + quantity.name,
        )
    return whatif.with_measure(measure.id, typed, in_base)


# -- the page ------------------------------------------------------------------------------------


def header(scenario, whatif: WhatIf, lang: str) -> None:
    """Title, the scenario (as text), its hash and the version: on every view."""
    st.title(word("app.title", lang))
    st.text(f"{scenario.title[lang]} ({scenario.name})")
    changes = len(whatif.params) + len(whatif.measures)
    status = word("meta.changed", lang, count=changes) if changes else word("meta.unchanged", lang)
    st.text(f"{word('meta.line', lang, hash=scenario.hash, version=__version__)} · {status}")


def render() -> None:
    """The whole page, once per run."""
    st.set_page_config(page_title="fiscal_sim", layout="wide")
    chosen = os.environ.get("FISCAL_SIM_LANG", "zh")  # fiscal-sim --lang en app
    lang = st.sidebar.radio(
        word("sidebar.lang", "zh"),
        LANGS,
        index=LANGS.index(chosen) if chosen in LANGS else 0,
        format_func=LANG_NAMES.get,
        horizontal=True,
        key="lang",
    )
    base, base_scenario = choose_base(lang)
    years = list(base_scenario.years)
    year = st.sidebar.selectbox(
        word("sidebar.year", lang),
        years,
        index=years.index(DEFAULT_YEAR) if DEFAULT_YEAR in years else 0,
        help=word("sidebar.year_help", lang),
        key="year",
    )
    whatif = lever_inputs(base, base_scenario, year, lang)
    scenario, body = loaded(whatif, base_scenario)
    header(scenario, whatif, lang)
    view = st.radio(
        word("view", lang),
        tuple(panels.VIEWS),
        format_func=lambda key: word(f"view.{key}", lang),
        horizontal=True,
        key="view",
        label_visibility="collapsed",
    )
    context = panels.Context(
        lang, year, base, base_scenario, whatif, scenario, body, panels.KEPT_KEY
    )
    panels.VIEWS[view](context)
