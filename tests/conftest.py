"""Fixtures shared by the test suite (keep this file small)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
TINY_COUNTY = REPO / "tests" / "engine" / "tiny-county.yaml"


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


@pytest.fixture(autouse=True, scope="session")
def _own_cache_directory(tmp_path_factory):
    """The suite keeps its font subsets (fiscal_sim.fonts) in a directory of its own, which
    the commands it runs in subprocesses inherit: no test reads a user's cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FISCAL_SIM_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(name="external_tool")
def external_tool_fixture():
    """:func:`find_external_tool`: ``external_tool("chromium", "chromium-browser")``."""
    return find_external_tool


@pytest.fixture
def repo() -> Path:
    """The repository's root directory."""
    return REPO


@pytest.fixture
def tiny_county(tmp_path):
    """Load the tiny county (``tests/engine/tiny-county.yaml``) as a worked case changes it.

    ``tiny_county(overlay=None, overrides=())``: ``overlay`` (a scenario mapping) is written as
    a scenario file that extends the tiny county, so a case starts from a file as a user's
    run would; ``overrides`` are ``--set`` strings applied last.
    """
    import yaml

    import fiscal_sim

    def load(overlay=None, overrides=()):
        path = TINY_COUNTY
        if overlay:
            path = tmp_path / "case.yaml"
            document = {"extends": str(TINY_COUNTY), **overlay}
            path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        return fiscal_sim.load_scenario(path, overrides=overrides)

    return load


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
