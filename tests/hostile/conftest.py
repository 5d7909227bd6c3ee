"""Helpers of the hostile-input tests (issue #13): run a command, expect a clean refusal."""

from __future__ import annotations

import hashlib
import re
import signal
import textwrap

import pytest
from _errors import error_lines

HANG_SECONDS = 60  # a refusal takes well under a second; a hang fails the test instead
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def snapshot(folder) -> dict:
    """Every file under ``folder`` (hidden ones too) with its kind and content digest."""
    state = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            state[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            state[str(path)] = "dir" if path.is_dir() else "other"
    return state


@pytest.fixture
def write(tmp_path):
    """``write(name, text)``: a file in the test's folder (text dedented); returns its path."""

    def make(name: str, text: str):
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return make


@pytest.fixture
def refused(fiscal_sim_cli, tmp_path):
    """``refused(*args, names=...)``: the command exits 2 with one Chinese and one English line
    (``错误：…`` then ``Error: …``), each naming ``names`` (the Chinese line: every name
    that is a key, path, cell or value, not an English phrase).

    Also: no traceback, no hang, and no file under the test's folder created or changed.
    Returns the message.
    """

    def run(*args, names=()):
        before = snapshot(tmp_path)

        def hang(signum, frame):
            raise AssertionError(f"fiscal-sim {' '.join(map(str, args))} hangs")

        previous = signal.signal(signal.SIGALRM, hang)
        signal.alarm(HANG_SECONDS)
        try:
            result = fiscal_sim_cli(*args)
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
        output = result.stdout + result.stderr
        assert result.exit_code == 2, output
        assert "Traceback" not in output
        chinese, message = error_lines(result)
        assert chinese is not None and CHINESE.search(chinese.removeprefix("错误：")), output
        assert "\n" not in message and len(message) < 400, message
        for name in names:
            assert str(name) in message, (name, message)
            if " " not in str(name):  # a key, path, cell or value, not a phrase of English
                assert str(name) in chinese, (name, chinese)
        assert snapshot(tmp_path) == before, "a file was left behind or changed"
        return message

    return run
