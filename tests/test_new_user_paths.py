"""The paths a new user takes: -o into a folder that does not exist yet, report names that
do not collide, a spreadsheet suffix fiscal-sim does not write, the monthly table as text on
the terminal, a misspelt scenario, years beyond the horizon, a Chinese term to explain, only
the breaches."""

from __future__ import annotations

import pytest


def test_o_creates_the_missing_directory(fiscal_sim_cli, tmp_path):
    target = tmp_path / "new" / "deeper" / "run.csv"
    result = fiscal_sim_cli("run", "-o", target)
    assert result.exit_code == 0, result.output
    assert target.read_text("utf-8-sig").startswith("# scenario: plan-followed")
    folder = tmp_path / "charts"
    result = fiscal_sim_cli("chart", "--all", "-o", f"{folder}/", "--format", "svg")
    assert result.exit_code == 0, result.output
    assert (folder / "cash.svg").is_file()


def test_report_names_carry_the_language_and_the_draws(fiscal_sim_cli, tmp_path):
    for args in (("--lang", "zh"), ("--lang", "en"), ("--draws", "100", "--seed", "1")):
        result = fiscal_sim_cli("report", "--format", "xlsx", "-o", f"{tmp_path}/", *args)
        assert result.exit_code == 0, result.output
    names = sorted(path.name for path in tmp_path.iterdir())
    assert len(names) == 3, names  # none overwrote another
    assert [name.split("_")[:2] for name in names] == [
        ["report", "en"],
        ["report", "zh"],
        ["report", "zh"],
    ]
    assert sum("100draws" in name for name in names) == 1


@pytest.mark.parametrize("command", [("run",), ("report",)])
def test_an_xls_target_is_refused_with_a_hint(fiscal_sim_cli, tmp_path, command):
    result = fiscal_sim_cli(*command, "-o", tmp_path / "x.xls")
    assert result.exit_code == 2
    assert "x.xls" in result.output and ".xlsx" in result.output
    assert not list(tmp_path.iterdir())


def test_the_monthly_table_as_text_prints_without_o(fiscal_sim_cli):
    result = fiscal_sim_cli("report", "--month", "2020-06", "--format", "txt")
    assert result.exit_code == 0, result.output
    assert "2020年6月基层“三保”运行情况月报" in result.stdout


def test_a_misspelt_scenario_gets_did_you_mean(fiscal_sim_cli):
    result = fiscal_sim_cli("run", "plan-folowed")
    assert result.exit_code == 2
    assert "did you mean 'plan-followed'?" in result.output


def test_years_beyond_the_horizon_say_how_to_extend_it(fiscal_sim_cli):
    result = fiscal_sim_cli("run", "--years", "2019:2027")
    assert result.exit_code == 2
    assert "--set horizon.end_year=2027" in result.output


def test_explain_takes_a_chinese_term(fiscal_sim_cli):
    result = fiscal_sim_cli("explain", "暂付款", "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert "暂付款余额占支出比例" in result.stdout and "OPS.4.3.2" in result.stdout
    assert "OPS.4.3.1" in result.stdout  # the legacy stock and its digestion rule too


def test_check_breaches_only(fiscal_sim_cli):
    result = fiscal_sim_cli("check", "--breaches-only", "--format", "csv")
    assert result.exit_code == 3
    rows = [line for line in result.stdout.splitlines() if not line.startswith("#")][1:]
    assert rows and all(",breach," in row for row in rows)
    assert len(rows) == 2  # plan-followed breaks the 5 % cap in 2019 and 2020
