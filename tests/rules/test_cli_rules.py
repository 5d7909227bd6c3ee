"""The ``check`` and ``assess`` commands: formats, filters, explain and exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from fiscal_sim.cli.rules import COMMANDS, assess, check

POLICIES = Path(__file__).parent / "policies"
CLI_DEFAULT = "plan-followed"  # what the command line runs without a SCENARIO (issue #6)


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(command, *args):
        return runner.invoke(command, [str(arg) for arg in args], catch_exceptions=False)

    return invoke


def test_check_default_scenario_exits_3_with_breaches_first(run):
    # plan-followed keeps the legacy advances of the default county: 7.7 % of spending in
    # 2019 and 5.8 % in 2020, above the 5 % cap (OPS.4.3.2), while they are digested.
    result = run(check, "--lang", "en")
    assert result.exit_code == 3
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"# scenario: {CLI_DEFAULT} ")
    table = [line for line in lines if not line.startswith("#")]
    assert table[0].startswith("Rule check: 2 breaches")
    assert table[2].split()[:2] == ["breach", "advance_cap"]
    assert "advance_cap" in result.stderr


def test_check_exit_0_when_every_rule_holds_in_the_years_asked(run):
    result = run(check, "--year", 2022, "--year", 2023, "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["ok"] is True and document["meta"]["scenario"] == CLI_DEFAULT
    assert {row["year"] for row in document["findings"]} == {2022, 2023}


def test_check_only_and_csv(run):
    result = run(check, "--only", "advance_cap", "--format", "csv")
    assert result.exit_code == 3
    lines = result.stdout.splitlines()
    rows = [line for line in lines if not line.startswith("#")]
    codes = next(line for line in lines if line.startswith("# columns: "))
    # the codes of the columns above the header (in the chosen language, csvtables)
    assert codes.startswith("# columns: rule,rule_name,clause,year,month,aspect,aspect_name,")
    assert len(rows) == 1 + 7 and all(row.startswith("advance_cap,") for row in rows[1:])


def test_check_set_overrides_a_rule_parameter(run):
    result = run(check, "--only", "advance_cap", "--set", "rules.advance_cap_ratio=0.09")
    assert result.exit_code == 0, result.stderr


def test_check_explain_quotes_the_clause_and_parameters(run):
    result = run(check, "--explain", "advance_cap", "--lang", "zh")
    assert result.exit_code == 0
    assert "暂付款规模不得超过一般公共预算和政府性基金预算支出之和的5%" in result.stdout
    assert "advance balance must not exceed 5 %" in result.stdout
    assert "rules.advance_cap_ratio = 0.05 fraction" in result.stdout
    assert "OPS.4.3.2" in result.stdout
    checks = next(line for line in result.stdout.splitlines() if line.startswith("检查内容"))
    assert "「暂付款规模不得超过一般公共预算和政府性基金预算支出之和的5%」" in checks
    assert not re.search("[A-Za-z]", checks)  # not the English docstring


def test_check_table_speaks_chinese(run):
    result = run(check, "default", "--lang", "zh")
    header = result.stdout.splitlines()[4].split()
    assert header[:4] == ["结果", "规则", "条款", "年度"] and "单位" in header
    for raw in (" ratio ", " fraction ", " wan_yuan", " annual ", " breach "):
        assert raw not in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("no-such-scenario",), ""),
        (("--only", "advance_capp"), "unknown rule"),
        (("--year", "2031"), "outside the projection"),
        (("--explain", "advance_capp"), "did you mean 'advance_cap'"),
        (("--set", "rules.advance_cap_ratio"), "KEY=VALUE"),
    ],
)
def test_check_bad_input_exits_2_with_one_line_on_stderr(run, args, message):
    result = run(check, *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr


def test_assess_small_policy_exits_0(run):
    result = run(assess, POLICIES / "dibao_top_up.yaml", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    assert "affordable" in result.stdout and "not affordable" not in result.stdout


def test_assess_large_policy_exits_3_naming_the_rule(run):
    result = run(assess, POLICIES / "large_programme.yaml", "--format", "json")
    assert result.exit_code == 3
    document = json.loads(result.stdout)
    assert document["verdict"] == "not_affordable"
    assert "livelihood_funded" in document["failing_rules"]
    assert "livelihood_funded" in result.stderr


def test_assess_bad_policy_exits_2(run, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("line: nowhere\namount: 1\nstart_year: 2021\n", encoding="utf-8")
    result = run(assess, path)
    assert result.exit_code == 2
    assert "bad.yaml" in result.stderr and "line" in result.stderr


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_every_command_has_help_ending_with_an_example(run, command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout
    assert result.stdout.rstrip().splitlines()[-1].strip().startswith("$ fiscal-sim")
