"""Fixtures shared by the test suite (keep this file small)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def repo() -> Path:
    """The repository's root directory."""
    return REPO


@pytest.fixture
def fiscal_sim_cli():
    """Run ``fiscal-sim ARGS...`` in-process; returns click's Result (stdout, stderr apart)."""
    from fiscal_sim.cli import cli

    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, [str(arg) for arg in args], catch_exceptions=False)

    return invoke


@pytest.fixture(autouse=True)
def _reset_display_language():
    """A test that switches the display language must not leak it into the next test."""
    from fiscal_sim import labels

    before = labels.get_lang()
    yield
    labels.set_lang(before)
