"""The skip policy: only missing external programs skip, and never under CI=true."""

from __future__ import annotations

import re

import pytest

# pytest's own ways to skip; only tests/conftest.py's external-tool helper may use them.
SKIP_CALLS = re.compile(r"pytest\.(skip|importorskip)\(|mark\.skip(if)?\b")


def test_only_the_external_tool_helper_skips(repo):
    allowed = {repo / "tests" / "conftest.py", repo / "tests" / "test_no_silent_skips.py"}
    offenders = [
        f"{path.relative_to(repo)}:{number}"
        for path in sorted((repo / "tests").rglob("*.py"))
        if path not in allowed
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if SKIP_CALLS.search(line)
    ]
    assert offenders == [], "skip through tests/conftest.py's external_tool only"


def test_a_missing_tool_skips_locally_and_fails_in_ci(monkeypatch, external_tool):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no-such-program-xyz is not installed"):
        external_tool("no-such-program-xyz")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        external_tool("no-such-program-xyz")


def test_a_present_tool_is_found(external_tool):
    assert external_tool("no-such-program-xyz", "python3").endswith("python3")
