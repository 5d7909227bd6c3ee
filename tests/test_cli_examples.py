"""Every example a new user is shown runs on a fresh clone: each ``$ fiscal-sim ...`` line of
every command's ``--help``, and each ``fiscal-sim`` line of the README's shell blocks, run in
an empty temporary directory (exit 0, or 3 for a finding: a breach, an unaffordable policy)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from fiscal_sim.cli import cli

FISCAL_SIM = Path(sys.executable).with_name("fiscal-sim")


def _help_examples() -> dict[str, list[str]]:
    """``{command: its examples in order}`` from every ``--help``."""
    runner = CliRunner()
    found = {}
    for name in [None, *sorted(cli.commands)]:
        args = ["--help"] if name is None else [name, "--help"]
        text = runner.invoke(cli, args).output
        text = re.sub(r" \\\n\s+", " ", text)  # an example too wide is continued with " \\"
        found[name or "fiscal-sim"] = re.findall(r"^\s+\$ (fiscal-sim .+)$", text, re.M)
    return found


def _readme_examples() -> list[str]:
    readme = (Path(__file__).parents[1] / "README.md").read_text("utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", readme, re.S)
    lines = [line.split("#")[0].strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line.startswith("fiscal-sim ") and line.split()[1] != "app"]


_FIRST = ("fiscal-sim", "template", "convert")  # a template is written, then converted
_SERVERS = ("app",)  # starts a web server and waits: tests/workbench runs it
EXAMPLES = {
    **{name: _help_examples()[name] for name in _FIRST},
    **{name: lines for name, lines in _help_examples().items() if name not in (*_FIRST, *_SERVERS)},
    "README": _readme_examples(),
}


def test_there_are_examples_in_every_help():
    helped = {name for name, lines in _help_examples().items() if lines}
    assert helped >= set(cli.commands) - {"app"}, set(cli.commands) - helped


@pytest.mark.slow
def test_examples_run_in_an_empty_directory(tmp_path):
    """Every help's examples, then the README's, in order, in one fresh directory (what a
    new user who tries them one after the other sees)."""
    assert shutil.which("sh")
    environment = {**os.environ, "PATH": f"{FISCAL_SIM.parent}{os.pathsep}{os.environ['PATH']}"}
    for example in [line for lines in EXAMPLES.values() for line in lines]:
        completed = subprocess.run(
            example,
            shell=True,
            cwd=tmp_path,
            env=environment,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert completed.returncode in (0, 3), f"{example}\n{completed.stderr[-2000:]}"
        assert "Traceback" not in completed.stderr
