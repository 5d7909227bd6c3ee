"""Helpers of the workbench tests: levers, metrics and the hash the page shows."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from fiscal_sim.app import SCRIPT

TIMEOUT = 120  # seconds per run: the machine is shared, the first run imports everything


def fresh_app() -> AppTest:
    """The page after its first run (plan-followed, Chinese, year 2020)."""
    at = AppTest.from_file(str(SCRIPT), default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    return at


def lever_key(path: str, year: int | None = None, base: str = "bundled/plan-followed") -> str:
    """The widget key of a lever (a scalar lever has no year in it)."""
    return f"lever:{base}:{path}:{'' if year is None else year}"


def set_lever(at: AppTest, group: str, path: str, value: float, year: int | None = None):
    """Show ``group``'s levers, type ``value`` into ``path``'s input, rerun."""
    at.radio(key="lever_group").set_value(group).run()
    at.number_input(key=lever_key(path, year)).set_value(value).run()
    assert not at.exception, at.exception
    return at


def metric(at: AppTest, label: str):
    """The metric labelled ``label``: ``(value, delta)`` as shown."""
    found = [item for item in at.metric if item.label == label]
    assert len(found) == 1, [item.label for item in at.metric]
    return found[0].value, found[0].delta


def texts(at: AppTest) -> list[str]:
    return [item.value for item in at.text]


def shown_hash(at: AppTest) -> str:
    """The scenario hash on the page's header line."""
    line = next(text for text in texts(at) if "fiscal_sim" in text and "·" in text)
    return re.search(r"\b[0-9a-f]{12}\b", line).group(0)
