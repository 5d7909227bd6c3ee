"""The workbench's cached work: scenarios, uploads, what-ifs and projections, by content.

Streamlit reruns the page on every change; these functions make a rerun cheap. A bundled
scenario is read once; an upload once per content (its SHA-256); a what-if once per overlay
text; a projection and its findings once per scenario hash. Cached objects are immutable
(scenarios, projections, findings), so sessions may share them.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import streamlit as st

import fiscal_sim
from fiscal_sim.app.uploads import receive
from fiscal_sim.app.whatif import Base, WhatIf, load_whatif, overlay_text


@st.cache_resource
def private_root() -> Path:
    """The app's private temporary directory (mode 0700), removed when the server stops."""
    root = Path(tempfile.mkdtemp(prefix="fiscal-sim-app-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    (root / "bundled").mkdir()
    return root


@st.cache_resource(max_entries=32)
def bundled(name: str):
    return fiscal_sim.load_scenario(name)


@st.cache_resource(max_entries=16)
def uploaded(name: str, digest: str, _data: bytes):
    return receive(name, _data, private_root())


@st.cache_resource(max_entries=256)
def whatif_scenario(body: str, base: Base, _whatif: WhatIf, _base_scenario):
    return load_whatif(_whatif, _base_scenario, private_root() / "bundled")


def loaded(whatif: WhatIf, base_scenario):
    """The what-if's scenario and its overlay text (the base itself when nothing changed)."""
    body = overlay_text(whatif, base_scenario)
    if not whatif.changed:
        return base_scenario, body
    return whatif_scenario(body, whatif.base, whatif, base_scenario), body


@st.cache_resource
def bundled_titles() -> dict:
    """The bundled scenarios' names and titles: ``{name: {"zh": ..., "en": ...}}``."""
    return {entry["name"]: entry["title"] for entry in fiscal_sim.list_scenarios()}


@st.cache_resource(max_entries=128)
def projected(scenario_hash: str, _scenario):
    """The projection and findings of a scenario (by hash: the same parameters, once)."""
    projection = fiscal_sim.project(_scenario)
    return projection, fiscal_sim.check(projection)


def run(scenario):
    """``(projection, findings)`` of a scenario, cached by its hash."""
    return projected(scenario.hash, scenario)
