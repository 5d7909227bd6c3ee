"""Fixtures shared by the test suite (keep this file small)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent


def find_external_tool(*names: str) -> str:
    """The path of the first of ``names`` on PATH, for a test that needs an external program.

    Optional tools (chromium, LibreOffice, make) may be missing on a developer's machine: the
    test is skipped there. Under ``CI=true`` a missing tool fails the test instead, so CI
    cannot pass by skipping what it promised to check (``.ci/install-system-packages``).
    Only external programs go through here: our own code and the ``[test]`` extras are
    imported plainly, and an ImportError or AttributeError there is a failure.
    """
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    message = f"{' or '.join(names)} is not installed"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message}, and CI=true: CI must install it (.ci/install-system-packages)")
    pytest.skip(message)


@pytest.fixture(name="external_tool")
def external_tool_fixture():
    """:func:`find_external_tool`: ``external_tool("chromium", "chromium-browser")``."""
    return find_external_tool


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
