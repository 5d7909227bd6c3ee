"""The fixture of the workbench tests (the helpers are in ``_workbench``)."""

from __future__ import annotations

import pytest
from _workbench import fresh_app
from streamlit.testing.v1 import AppTest


@pytest.fixture
def app() -> AppTest:
    """The page after its first run (plan-followed, Chinese, year 2020)."""
    return fresh_app()
