"""``fiscal-sim app``: the address, loopback by default, a warning elsewhere, the app's own
Streamlit configuration, and no Streamlit in any other command."""

from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest
from click.testing import CliRunner

from fiscal_sim.app import CONFIG, SCRIPT
from fiscal_sim.cli import cli


@pytest.fixture
def started(monkeypatch):
    """Run ``fiscal-sim app ...`` with Streamlit's CLI replaced by a recorder."""
    from streamlit.web import cli as streamlit_cli

    calls = []
    monkeypatch.setattr(streamlit_cli.main, "main", lambda **kwargs: calls.append(kwargs))
    # `app` sets FISCAL_SIM_LANG for Streamlit: zh (the default) here, put back afterwards.
    monkeypatch.setenv("FISCAL_SIM_LANG", "zh")

    def start(*args):
        result = CliRunner().invoke(cli, ["app", *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result, calls[-1]["args"]

    return start


def test_loopback_by_default_and_the_address_printed(started):
    result, args = started()
    assert result.stdout.strip() == "fiscal-sim app: http://127.0.0.1:8501"
    assert result.stderr == ""
    assert args[:2] == ["run", str(SCRIPT)]
    assert "--server.address=127.0.0.1" in args and "--server.port=8501" in args
    assert "--browser.gatherUsageStats=false" in args and "--server.headless=true" in args


def test_another_interface_gets_a_plain_warning(started):
    result, args = started("--host", "0.0.0.0", "--port", "8600")
    assert "http://0.0.0.0:8600" in result.stdout
    assert result.stderr.startswith("警告：正在监听 0.0.0.0")  # zh, the default
    assert "访问控制" in result.stderr
    english, _ = started("--host", "0.0.0.0", "--port", "8600", "--lang", "en")
    assert english.stderr.startswith("warning: listening on 0.0.0.0")
    assert "access control" in english.stderr
    assert "--server.address=0.0.0.0" in args and "--server.port=8600" in args


def test_a_bad_port_is_a_usage_error():
    result = CliRunner().invoke(cli, ["app", "--port", "70000"])
    assert result.exit_code == 2 and "70000" in result.output


def test_the_apps_configuration_keeps_everything_on_the_machine():
    config = tomllib.loads(CONFIG.read_text("utf-8"))
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["address"] == "127.0.0.1"
    from fiscal_sim.app.uploads import MAX_UPLOAD_BYTES

    assert config["server"]["maxUploadSize"] * 1024 * 1024 == MAX_UPLOAD_BYTES


@pytest.mark.parametrize("args", [["--help"], ["scenarios"], ["run", "--format", "json"]])
def test_no_other_command_imports_streamlit(args):
    code = (
        "import sys\n"
        "from fiscal_sim.cli import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        "print('streamlit' in sys.modules, 'fiscal_sim.app.page' in sys.modules)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert completed.stdout.strip().splitlines()[-1] == "False False", completed.stderr


def test_the_server_gets_python_s_own_garbage_collector(monkeypatch):
    """Commands raise the collector's thresholds (they live for seconds); the server,
    which lives for hours, runs with Python's own."""
    import gc

    from streamlit.web import cli as streamlit_cli

    from fiscal_sim.cli import GC_THRESHOLD, main
    from fiscal_sim.cli.app import PYTHON_GC_THRESHOLD

    fresh = subprocess.run(
        [sys.executable, "-c", "import gc; print(*gc.get_threshold())"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert tuple(int(n) for n in fresh.stdout.split()) == PYTHON_GC_THRESHOLD
    thresholds = []
    monkeypatch.setattr(
        streamlit_cli.main, "main", lambda **kwargs: thresholds.append(gc.get_threshold())
    )
    monkeypatch.setenv("FISCAL_SIM_LANG", "zh")
    before = gc.get_threshold()
    try:
        with pytest.raises(SystemExit) as done:
            main(["app"])
        assert done.value.code == 0
        assert thresholds == [PYTHON_GC_THRESHOLD] != [GC_THRESHOLD]
        with pytest.raises(SystemExit):
            main(["--help"])
        assert gc.get_threshold() == GC_THRESHOLD
    finally:
        gc.set_threshold(*before)
