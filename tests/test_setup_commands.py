"""The two-command set-up: the README, the Makefile and CI name the same commands."""

from __future__ import annotations

import configparser
import re
import subprocess

import pytest

TWO_COMMANDS = ["make run", "make test"]


def first_code_block(markdown: str) -> list[str]:
    """The non-empty lines of the first fenced code block.

    Examples
    --------
    >>> first_code_block("# T\\n\\n```sh\\nmake run\\n\\nmake test\\n```\\n")
    ['make run', 'make test']
    """
    match = re.search(r"^```[^\n]*\n(.*?)^```", markdown, flags=re.M | re.S)
    assert match, "no fenced code block"
    return [line.strip() for line in match.group(1).splitlines() if line.strip()]


def test_readme_opens_with_the_two_commands(repo):
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert first_code_block(readme) == TWO_COMMANDS
    before_commands = readme[: readme.index("```")]
    assert "## " not in before_commands  # the commands come before any section


def test_ci_runs_exactly_make_test(repo):
    script = repo / ".ci" / "run"
    text = script.read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines()]
    assert lines[0] in ("#!/usr/bin/env bash", "#!/bin/bash")
    assert "set -euo pipefail" in lines
    commands = [
        line
        for line in lines[1:]
        if line and not line.startswith("#") and not line.startswith(("set ", "cd "))
    ]
    # Only the optional Debian packages for the browser and LibreOffice tests come first.
    assert commands == [".ci/install-system-packages", TWO_COMMANDS[1]]
    assert script.stat().st_mode & 0o111, ".ci/run must be executable"


def make_dry_run(repo, target: str, external_tool) -> list[str]:
    """The commands ``make TARGET`` would run from scratch (``make -n -B``: nothing runs)."""
    make = external_tool("make")
    done = subprocess.run(
        [make, "-n", "-B", target], cwd=repo, capture_output=True, text=True, check=True
    )
    return [line.strip() for line in done.stdout.splitlines() if line.strip()]


def position(commands: list[str], pattern: str) -> int:
    for number, command in enumerate(commands):
        if re.search(pattern, command):
            return number
    raise AssertionError(f"no command matches {pattern!r} in {commands}")


@pytest.mark.parametrize("target", ["run", "test"])
def test_both_targets_set_up_the_environment_first(repo, target, external_tool):
    commands = make_dry_run(repo, target, external_tool)
    venv = position(commands, r"-m venv \.venv")
    install = position(commands, r"\.venv/bin/python -m pip install .*-e '?\.\[test\]")
    assert venv < install
    if target == "test":
        lint = position(commands, r"\.venv/bin/ruff check")
        formatted = position(commands, r"\.venv/bin/ruff format --check")
        tests = position(commands, r"\.venv/bin/pytest")
        assert install < lint < formatted < tests
    else:
        steps = [
            r"\.venv/bin/fiscal-sim run$",
            r"\.venv/bin/fiscal-sim check \|\| test \$\? -eq 3$",  # a breach is a finding
            r"\.venv/bin/fiscal-sim run --format json -o output/$",
            r"\.venv/bin/fiscal-sim report --format html --draws 2000 --seed 1 "
            r"--what-it-would-take -o output/$",
            r"\.venv/bin/fiscal-sim report --format xlsx --draws 2000 --seed 1 "
            r"--what-it-would-take -o output/$",
        ]
        order = [position(commands, step) for step in steps]
        assert install < order[0] and order == sorted(order)


def test_the_install_is_redone_only_when_the_package_files_change(repo):
    makefile = (repo / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^\$\(STAMP\): setup\.cfg pyproject\.toml$", makefile, flags=re.M)
    assert re.search(r"^run: \$\(STAMP\)$", makefile, flags=re.M)
    assert re.search(r"^test: \$\(STAMP\)$", makefile, flags=re.M)


def test_pytest_prints_its_closing_line_and_collects_tests(repo):
    config = configparser.ConfigParser()
    config.read(repo / "setup.cfg", encoding="utf-8")
    options = config["tool:pytest"]["addopts"].split()
    assert "-qq" not in options and options.count("-q") < 2  # keeps "N passed in Xs"
    assert "--strict-markers" in options
    assert "tests" in config["tool:pytest"]["testpaths"].split()
