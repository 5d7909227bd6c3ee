"""The ``chart`` command (fiscal_sim.cli.output) and the report files, through click's runner."""

from __future__ import annotations

import openpyxl
import pytest
from _errors import error_lines
from click.testing import CliRunner

from fiscal_sim import plots
from fiscal_sim.cli import output as cli_output


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(command, *args):
        return runner.invoke(command, list(args), catch_exceptions=False)

    return invoke


def test_chart_names_match_the_plots_module():
    assert cli_output.CHART_NAMES == plots.CHART_NAMES


@pytest.mark.parametrize("command", cli_output.COMMANDS, ids=lambda command: command.name)
def test_every_command_has_help_that_ends_with_an_example(run, command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "$ fiscal-sim " + command.name in result.output.strip().splitlines()[-1]


def test_chart_writes_the_file(run, tmp_path):
    result = run(cli_output.chart, "advances", "-o", str(tmp_path / "a.png"), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "a.png").read_bytes().startswith(b"\x89PNG")


def test_chart_all_writes_every_chart(run, tmp_path):
    folder = tmp_path / "charts"
    folder.mkdir()
    result = run(cli_output.chart, "--all", "-o", str(folder), "--format", "svg")
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        f"{name}.svg" for name in plots.CHARTS
    )


def test_chart_compare_takes_several_scenarios(run, tmp_path):
    result = run(
        cli_output.chart,
        "compare",
        "default",
        "default",
        "--indicator",
        "debt_ratio",
        "-o",
        str(tmp_path / "c.pdf"),
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "c.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    "args",
    [
        ("nope", "-o", "x.png"),
        ("advances", "-o", "x.jpg"),
        ("waterfall", "--year", "2040", "-o", "x.png"),
        ("compare", "--indicator", "no_such_indicator", "-o", "x.png"),
        ("--all", "-o", "x.png"),
        ("advances", "no-such-scenario", "-o", "x.png"),
    ],
)
def test_chart_bad_input_exits_2(run, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    result = run(cli_output.chart, *args)
    assert result.exit_code == 2, result.output
    assert not [path for path in tmp_path.iterdir() if path.is_file()]


@pytest.mark.parametrize(
    ("args", "message", "chinese"),
    [
        (("--all", "-o", "a_file"), "a_file: not a directory", "a_file：不是文件夹"),
        (("advances", "-o", "folder.png"), "folder.png: is a directory", "folder.png：是文件夹"),
    ],
)
def test_chart_checks_the_output_path_like_run_and_report(
    run, tmp_path, monkeypatch, args, message, chinese
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a_file").write_text("kept")
    (tmp_path / "folder.png").mkdir()
    result = run(cli_output.chart, *args)
    assert result.exit_code == 2, result.output
    zh, en = error_lines(result)
    assert result.output.strip().splitlines() == [zh, en]  # under zh: the Chinese, the English
    assert zh.startswith(f"错误：{chinese}") and en.startswith(f"Error: {message}")
    english = run(cli_output.chart, *args, "--lang", "en")
    assert (english.exit_code, english.output) == (2, en + "\n")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a_file", "folder.png"]
    assert (tmp_path / "a_file").read_text() == "kept" and not any(
        (tmp_path / "folder.png").iterdir()
    )


def test_report_html_and_xlsx(fiscal_sim_cli, tmp_path):
    result = fiscal_sim_cli("report", "-o", str(tmp_path / "r.html"))
    assert result.exit_code == 0, result.output
    assert '<table id="findings">' in (tmp_path / "r.html").read_text("utf-8")
    result = fiscal_sim_cli("report", "-o", str(tmp_path / "r.xlsx"), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "Findings" in openpyxl.load_workbook(tmp_path / "r.xlsx").sheetnames


def test_report_month_prints_the_table(fiscal_sim_cli):
    result = fiscal_sim_cli("report", "--month", "2020-06", "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert "2020年6月基层“三保”运行情况月报" in result.output
    assert "保工资" in result.output and "库款保障水平" in result.output
