"""The command line: help, exit codes, formats, errors and start-up cost."""

from __future__ import annotations

import ast
import io
import json
import re
import subprocess
import sys

import pytest
from _errors import error_lines

import fiscal_sim
from fiscal_sim import csvtables, outputs
from fiscal_sim.cli import cli
from fiscal_sim.params.schema import TIERS as TIERS_IN_ORDER

# The default county: 5000 serving staff, 3 % attrition and 2.5 % hiring a year
# (shared/docs/default-county.md), so 5000 × (1 − 0.03 + 0.025) = 4975 in 2019.
HEADCOUNT_2019 = 4975.0
HEADCOUNT_KEY = "people.staff"
DEFAULT = "default"  # the bundled default county's scenario name
# What the command line runs without a SCENARIO (issue #6): the 2020 shock with the plan followed.
# It keeps the default county's staff, so HEADCOUNT_2019 holds for it too.
CLI_DEFAULT = "plan-followed"
YEARS = list(range(2019, 2026))
TIERS = list(TIERS_IN_ORDER)
INDICATORS = [
    "gpb_expenditure",
    "gfb_expenditure",
    "own_revenue",
    "self_sufficiency",
    "sanbao_need",
    "sanbao_shortfall",
    "advance_balance",
    "advance_ratio",
    "legacy_advances",
    "legacy_digested_cum",
    "cash_year_end",
    "cash_cover_min_months",
    "debt_total",
    "debt_ratio",
    "headcount",
    "stabilization_fund",
]


def stderr_lines(result) -> list[str]:
    """The lines of stderr, without click's progress label (printed when not a terminal)."""
    return [
        line
        for line in result.stderr.splitlines()
        if line and not line.startswith(("projecting", "reporting", "预测", "生成报告"))
    ]


CHINESE = re.compile(r"[\u4e00-\u9fff]")


def the_error(result, chinese: bool = True) -> tuple[str | None, str]:
    """The one error on stderr: under zh (the default) one ``错误：`` line (in Chinese unless
    ``chinese`` is False: a library message not yet translated) then one ``Error:`` line;
    under ``--lang en`` the ``Error:`` line alone. Nothing else on stderr."""
    zh, en = error_lines(result)
    assert stderr_lines(result) == [line for line in (zh, en) if line is not None]
    if zh is not None and chinese:
        assert CHINESE.search(zh.removeprefix("错误：")), zh
    return zh, en


# --- help, version, exit codes ---------------------------------------------------------------


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help_ending_with_an_example(fiscal_sim_cli, command):
    result = fiscal_sim_cli(command, "--help")
    assert result.exit_code == 0
    text = re.sub(r" \\\n\s+", " ", result.stdout)  # an example wrapped with " \\" is one
    lines = [line.strip() for line in text.rstrip().splitlines()]
    heading = next(line for line in reversed(lines) if line.endswith(("Example:", "Examples:")))
    examples = lines[len(lines) - lines[::-1].index(heading) :]
    assert examples
    assert all(line.startswith(f"$ fiscal-sim {command}") for line in examples), examples
    assert cli.commands[command].help  # a description above the options


def test_group_help_documents_commands_and_exit_codes(fiscal_sim_cli):
    result = fiscal_sim_cli("--help")
    assert result.exit_code == 0
    for command in ("run", "compare", "scenarios", "params", "explain"):
        assert command in result.stdout
    for code, meaning in [("0", "ok"), ("1", "error"), ("2", "invalid input"), ("3", "rules")]:
        assert any(
            line.strip().startswith(code) and meaning in line for line in result.stdout.splitlines()
        ), (code, meaning)
    assert result.stdout.rstrip().splitlines()[-1].strip().startswith("$ fiscal-sim ")


def test_version(fiscal_sim_cli):
    result = fiscal_sim_cli("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"fiscal-sim {fiscal_sim.__version__}"


def test_usage_error_exits_2(fiscal_sim_cli):
    result = fiscal_sim_cli("run", "--no-such-option")
    assert result.exit_code == 2
    assert "No such option" in result.stderr
    assert result.stdout == ""


def test_unexpected_error_exits_1_in_one_line(fiscal_sim_cli, monkeypatch):
    def broken(scenario):
        raise RuntimeError("engine exploded\non two lines")

    monkeypatch.setattr(fiscal_sim, "project", broken)
    result = fiscal_sim_cli("run")
    assert result.exit_code == 1
    assert the_error(result) == (
        "错误：内部错误（RuntimeError: engine exploded on two lines）；"
        "加 --debug 重新运行可看到调用栈",
        "Error: internal error (RuntimeError: engine exploded on two lines); "
        "rerun with --debug for the traceback",
    )
    english = fiscal_sim_cli("--lang", "en", "run")
    assert (english.exit_code, the_error(english)[1]) == (1, the_error(result)[1])
    with pytest.raises(RuntimeError, match="engine exploded"):
        fiscal_sim_cli("--debug", "run")


def test_check_exits_3_when_a_rule_is_breached(fiscal_sim_cli):
    # The default county starts with advances at 7.7 % of spending, above the 5 % cap
    # (OPS.4.3.2) in 2019; its headcount falls every year (OPS.5.2 holds).
    breached = fiscal_sim_cli("check", "--only", "advance_cap", "--format", "json")
    assert breached.exit_code == 3
    document = json.loads(breached.stdout)
    assert document["ok"] is False
    holds = fiscal_sim_cli("check", "--only", "headcount_not_rising")
    assert holds.exit_code == 0


# --- run ---------------------------------------------------------------------------------------


def test_run_prints_a_table_that_records_its_source(fiscal_sim_cli):
    result = fiscal_sim_cli("run")
    assert result.exit_code == 0, result.output
    scenario = fiscal_sim.load_scenario(CLI_DEFAULT)
    assert f"# scenario: {scenario.name}" in result.stdout
    assert f"# hash: {scenario.hash}" in result.stdout
    assert f"# fiscal_sim_version: {fiscal_sim.__version__}" in result.stdout
    assert "4,975" in result.stdout
    assert "预测 plan-followed" in result.stderr  # the progress bar's label (zh), stderr only
    assert "projecting" not in result.stdout


def test_run_json_holds_the_documented_fields(fiscal_sim_cli):
    result = fiscal_sim_cli("run", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert set(document) == {"meta", "indicators", "waterfall", "measures"}
    meta = document["meta"]
    for field in ("scenario", "title", "hash", "files", "fiscal_sim_version", "years", "unit"):
        assert field in meta
    assert meta["scenario"] == CLI_DEFAULT
    assert meta["hash"] == fiscal_sim.load_scenario(CLI_DEFAULT).hash
    assert meta["fiscal_sim_version"] == fiscal_sim.__version__
    assert meta["years"] == "2019:2025"

    indicators = document["indicators"]
    assert [row["year"] for row in indicators] == YEARS
    assert set(INDICATORS) <= set(indicators[0])
    assert indicators[0]["headcount"] == pytest.approx(HEADCOUNT_2019)

    waterfall = document["waterfall"]
    assert len(waterfall) == len(YEARS) * len(TIERS)
    assert [row["tier"] for row in waterfall[: len(TIERS)]] == TIERS
    for row in waterfall:
        assert set(row) >= {"year", "tier_no", "tier", "need", "funded", "shortfall"}
        assert row["funded"] + row["shortfall"] == pytest.approx(row["need"])


def test_run_csv_is_tidy_and_parses(fiscal_sim_cli):

    result = fiscal_sim_cli("run", "--format", "csv", "--years", "2019:2020")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"# scenario: {CLI_DEFAULT}\n")
    table = csvtables.read_csv(io.StringIO(result.stdout))
    assert list(table.columns) == [
        *["table", "year", "tier_no", "tier", "measure", "clause", "variable", "unit", "value"]
    ]
    headcount = table.query("table == 'indicators' and variable == 'headcount'")
    assert headcount["year"].tolist() == [2019, 2020]
    assert headcount["value"].iloc[0] == pytest.approx(HEADCOUNT_2019)
    shortfall = table.query("table == 'waterfall' and variable == 'shortfall'")
    assert len(shortfall) == 2 * len(TIERS)


def test_run_years_selects_years(fiscal_sim_cli):
    result = fiscal_sim_cli("run", "--years", "2021:2023", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert [row["year"] for row in document["indicators"]] == [2021, 2022, 2023]
    assert {row["year"] for row in document["waterfall"]} == {2021, 2022, 2023}
    single = json.loads(fiscal_sim_cli("run", "--years", "2020", "--format", "json").stdout)
    assert [row["year"] for row in single["indicators"]] == [2020]


def test_run_set_changes_the_projection_and_the_hash(fiscal_sim_cli):
    base = json.loads(fiscal_sim_cli("run", "--format", "json").stdout)
    result = fiscal_sim_cli("run", "--set", f"{HEADCOUNT_KEY}=4000", "--format", "json")
    assert result.exit_code == 0, result.output
    changed = json.loads(result.stdout)
    assert changed["indicators"][0]["headcount"] == pytest.approx(4000 * (1 - 0.03 + 0.025))
    assert changed["meta"]["hash"] != base["meta"]["hash"]


def test_the_readme_overlay_example_runs(fiscal_sim_cli, repo, tmp_path):
    readme = (repo / "README.md").read_text(encoding="utf-8")
    overlay = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "my-county.yaml"
    path.write_text(overlay, encoding="utf-8")
    result = fiscal_sim_cli("run", path, "--years", "2019", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["indicators"][0]["headcount"] == pytest.approx(4800 * (1 - 0.03 + 0.025))
    assert document["meta"]["files"][-1] == str(path)


def test_run_english_labels(fiscal_sim_cli):
    from fiscal_sim import labels

    english = fiscal_sim_cli("--lang", "en", "run").stdout
    chinese = fiscal_sim_cli("run", "--lang", "zh").stdout
    assert labels.label("headcount", "en") in english
    assert labels.label("headcount", "zh") in chinese
    assert labels.label("headcount", "zh") not in english


def test_run_writes_xlsx_into_a_directory_under_a_recording_name(fiscal_sim_cli, tmp_path):
    import openpyxl

    result = fiscal_sim_cli("run", "--format", "xlsx", "-o", f"{tmp_path}/")
    assert result.exit_code == 0, result.output
    scenario = fiscal_sim.load_scenario(CLI_DEFAULT)
    expected = tmp_path / f"{CLI_DEFAULT}_{scenario.hash}_v{fiscal_sim.__version__}.xlsx"
    assert [path.name for path in tmp_path.iterdir()] == [expected.name]  # no temporary left
    assert f"已写入 {expected}" in result.stderr  # zh, the default
    assert result.stdout == ""
    workbook = openpyxl.load_workbook(expected, read_only=True)
    assert workbook.sheetnames == ["说明", "主要指标", "三保瀑布", "六保措施"]  # zh, the default
    rows = workbook["说明"].iter_rows(values_only=True)
    assert next(rows) == ("项目", "内容")
    about = dict(rows)
    assert about["情景哈希"] == scenario.hash
    assert about["fiscal_sim 版本"] == fiscal_sim.__version__


def test_run_format_follows_the_output_suffix(fiscal_sim_cli, tmp_path):
    target = tmp_path / "projection.json"
    result = fiscal_sim_cli("run", "-o", target)
    assert result.exit_code == 0, result.output
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["indicators"][0]["headcount"] == pytest.approx(HEADCOUNT_2019)


def test_run_overwrites_an_earlier_output_atomically(fiscal_sim_cli, tmp_path):
    target = tmp_path / "projection.csv"
    target.write_text("old")
    result = fiscal_sim_cli("run", "-o", target)
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8-sig").startswith(f"# scenario: {CLI_DEFAULT}")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["projection.csv"]


def test_without_a_scenario_the_cli_runs_plan_followed_not_the_library_default(fiscal_sim_cli):
    from fiscal_sim.cli.common import DEFAULT_SCENARIO

    assert DEFAULT_SCENARIO == CLI_DEFAULT
    assert fiscal_sim.load_scenario().name == DEFAULT  # the library's default is unchanged
    for command in ("run", "params"):
        document = json.loads(fiscal_sim_cli(command, "--format", "json").stdout)
        assert document["meta"]["hash"] == fiscal_sim.load_scenario(CLI_DEFAULT).hash, command
    assert "plan-followed" in " ".join(fiscal_sim_cli("--help").stdout.split())


def test_run_shows_what_each_measure_cost_or_forwent(fiscal_sim_cli):
    result = fiscal_sim_cli("run", "covid-2020", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["measures"]
    assert set(rows[0]) == {"measure", "clause", "year", "amount_wan"}
    vat = {row["year"]: row["amount_wan"] for row in rows if row["measure"] == "vat_small_scale"}
    assert vat[2020] < 0  # revenue forgone: the 3 % levy cut to 1 % (EMP.4.2.4)
    assert all(vat[year] == 0 for year in vat if year != 2020)
    # Only measures that cost or forgo something in the years shown.
    moving = {row["measure"] for row in rows if row["amount_wan"] != 0}
    assert {row["measure"] for row in rows} == moving


def test_run_measures_table_is_labelled_and_absent_without_measures(fiscal_sim_cli):
    from fiscal_sim.results import measure_table

    english = fiscal_sim_cli("run", "covid-2020", "--lang", "en", "--years", "2020").stdout
    vat = measure_table(fiscal_sim.load_scenario("covid-2020")).query(
        "measure == 'vat_small_scale'"
    )
    assert "## measures" in english
    assert f"{vat['label_en'].iloc[0]} EMP.4.2.4" in " ".join(english.split())
    assert "-300" in english and "-300.0" not in english  # whole 万元 from 100 up
    plain = json.loads(fiscal_sim_cli("run", DEFAULT, "--format", "json").stdout)
    assert set(plain) == {"meta", "indicators", "waterfall"}


# --- invalid input: one line naming what is wrong, exit code 2 ---------------------------------


@pytest.fixture
def bad_yaml(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("title:\n  en: Broken\nrevenue: [1, 2\n", encoding="utf-8")
    return path


# The Chinese each error says; None where the message is the scenario loader's, whose
# Chinese comes with the scenario's own translation (#17): its line is checked all the same.
@pytest.mark.parametrize(
    ("arguments", "named", "chinese"),
    [
        (["run", "{tmp}/no-such-county.yaml"], "no-such-county.yaml", None),
        (["run", "{bad_yaml}"], "broken.yaml", None),
        (["run", "--set", "no.such.key=1"], "no.such.key", None),
        (["run", "--set", "headcount"], "KEY=VALUE", "应为 键=值"),
        (["run", "--years", "2025:2019"], "2025:2019", "起始年 2025 晚于结束年 2019"),
        (["run", "--years", "2030:2031"], "2030:2031", "超出 plan-followed 的预测年度"),
        (["run", "--years", "twenty"], "twenty", "应为 起始年:结束年"),
        (["run", "--format", "xlsx"], "-o", "请加 -o 路径"),
        (["compare", "default"], "two scenarios", "至少需要两个情景"),
        (["compare", "default", "{tmp}/no-such-county.yaml"], "no-such-county.yaml", None),
        (["params", "zzz-no-such-parameter"], "zzz-no-such-parameter", "没有参数与"),
        (["explain", "no_such_indicator"], "no_such_indicator", "未知指标或规则"),
    ],
)
def test_invalid_input_is_one_line_and_exit_2(
    fiscal_sim_cli, tmp_path, bad_yaml, arguments, named, chinese
):
    arguments = [arg.format(tmp=tmp_path, bad_yaml=bad_yaml) for arg in arguments]
    result = fiscal_sim_cli(*arguments)
    assert result.exit_code == 2, result.output
    zh, en = the_error(result, chinese=chinese is not None)
    assert zh.startswith("错误：") and en.startswith("Error: ")
    assert named in en
    if chinese is not None:
        assert chinese in zh
    assert "Traceback" not in result.output
    assert result.stdout == ""
    english = fiscal_sim_cli("--lang", "en", *arguments)
    assert english.exit_code == 2
    assert the_error(english) == (None, en)
    assert english.stdout == ""


def test_refuses_to_write_over_an_input_file(fiscal_sim_cli, tmp_path):
    scenario = tmp_path / "county.yaml"
    scenario.write_text("extends: default\n", encoding="utf-8")
    before = scenario.read_bytes()
    result = fiscal_sim_cli("run", scenario, "--format", "csv", "-o", scenario)
    assert result.exit_code == 2
    assert "refusing to write over the input file" in result.stderr
    assert scenario.read_bytes() == before


# --- compare, scenarios, params, explain -------------------------------------------------------


def test_compare_shows_scenarios_side_by_side_with_differences(fiscal_sim_cli, tmp_path):
    fewer = tmp_path / "fewer-staff.yaml"
    fewer.write_text(f"extends: {DEFAULT}\npeople:\n  staff: 4000\n", encoding="utf-8")
    result = fiscal_sim_cli("compare", DEFAULT, fewer, "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    other = fiscal_sim.load_scenario(str(fewer)).name
    rows = document["compare"]
    assert len(rows) == len(INDICATORS) * len(YEARS)
    difference = f"{other} − {DEFAULT}"
    for row in rows:
        assert set(row) == {"indicator", "year", DEFAULT, other, difference}
        assert row[difference] == pytest.approx(row[other] - row[DEFAULT])
    headcount = next(r for r in rows if r["indicator"] == "headcount" and r["year"] == 2019)
    assert headcount[DEFAULT] == pytest.approx(HEADCOUNT_2019)
    assert headcount[other] == pytest.approx(4000 * (1 - 0.03 + 0.025))
    assert headcount[difference] == pytest.approx(-1000 * (1 - 0.03 + 0.025))
    assert [entry["scenario"] for entry in document["meta"]["scenarios"]] == [DEFAULT, other]


def test_compare_table_names_both_scenarios(fiscal_sim_cli):
    result = fiscal_sim_cli("compare", "default", "default", "--years", "2019")
    assert result.exit_code == 0, result.output
    assert "default#2 − default" in result.stdout


def test_scenarios_lists_the_bundled_library(fiscal_sim_cli):
    result = fiscal_sim_cli("scenarios", "--format", "json", "--lang", "en")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["scenarios"]
    bundled = fiscal_sim.list_scenarios()
    assert [row["name"] for row in rows] == [entry["name"] for entry in bundled]
    assert DEFAULT in [row["name"] for row in rows]
    assert rows[0]["title"] == bundled[0]["title"]["en"]
    table = fiscal_sim_cli("scenarios").stdout
    assert bundled[0]["title"]["zh"] in table


def test_params_lists_name_labels_unit_value_and_source(fiscal_sim_cli):
    result = fiscal_sim_cli("params", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["params"]
    assert len(rows) == len(list(fiscal_sim.load_scenario().params()))
    for row in rows:
        assert set(row) == {"name", "label_zh", "label_en", "unit", "value", "source"}
        assert row["unit"] and row["source"]
    headcount = next(row for row in rows if row["name"] == HEADCOUNT_KEY)
    assert headcount["value"] == 5000


def test_params_pattern_filters(fiscal_sim_cli):

    prefix = HEADCOUNT_KEY.split(".")[0]
    result = fiscal_sim_cli("params", f"{prefix}.*", "--format", "csv")
    assert result.exit_code == 0, result.output
    names = csvtables.read_csv(io.StringIO(result.stdout))["name"].tolist()
    assert HEADCOUNT_KEY in names
    assert all(name.startswith(f"{prefix}.") for name in names)


def test_explain_an_indicator_and_a_rule(fiscal_sim_cli):
    from fiscal_sim import labels

    english = fiscal_sim_cli("explain", "advance_ratio", "--lang", "en")
    assert english.exit_code == 0
    assert english.stdout.strip() == labels.describe("advance_ratio", "en").strip()
    rule = fiscal_sim_cli("explain", "advance_cap", "--lang", "en")
    assert rule.exit_code == 0
    assert "OPS.4.3.2" in rule.stdout
    assert "5 %" in rule.stdout
    listing = fiscal_sim_cli("explain").stdout
    assert "headcount" in listing
    assert "advance_cap" in listing


def test_explain_in_chinese_says_the_formula_and_unit_in_chinese(fiscal_sim_cli):
    """Issue #17 items 8 and 11: ``explain 暂付款`` names every indicator and rule of the
    term; under zh an indicator's unit and formula are Chinese too (clause IDs aside)."""
    import re

    result = fiscal_sim_cli("explain", "暂付款", "--lang", "zh")
    assert result.exit_code == 0, result.stderr
    indicators = [line for line in result.stdout.splitlines() if "）= " in line]
    assert indicators[0] == (
        "暂付款余额（万元）= 存量暂付款 + 期限内新增暂付款 + 逾期未收回 + 垫付缺口的暂付款"
        "（OPS.4.3.2）"
    )
    assert len(indicators) == 4  # the balance, the ratio, the end-2018 stock, digested
    for line in indicators:
        assert not re.findall(r"[A-Za-z]+", re.sub(r"(OPS|model\.md)[\d.§ ]*", "", line)), line


def test_explain_suggests_a_close_name(fiscal_sim_cli):
    result = fiscal_sim_cli("explain", "headcont")
    assert result.exit_code == 2
    assert "did you mean 'headcount'?" in result.stderr


def test_report_writes_html_into_a_directory(fiscal_sim_cli, tmp_path):
    result = fiscal_sim_cli("report", "--lang", "en", "-o", f"{tmp_path}/")
    assert result.exit_code == 0, result.output
    scenario = fiscal_sim.load_scenario(CLI_DEFAULT)
    expected = tmp_path / f"report_en_{CLI_DEFAULT}_{scenario.hash}_v{fiscal_sim.__version__}.html"
    assert [path.name for path in tmp_path.iterdir()] == [expected.name]
    page = expected.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert scenario.hash in page and fiscal_sim.__version__ in page


def test_report_monthly_table_on_stdout(fiscal_sim_cli):
    result = fiscal_sim_cli("report", "--month", "2020-06", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"# scenario: {CLI_DEFAULT}\n")
    assert f"# hash: {fiscal_sim.load_scenario(CLI_DEFAULT).hash}" in result.stdout


def test_report_monthly_table_as_csv(fiscal_sim_cli, tmp_path):
    target = tmp_path / "june.csv"
    result = fiscal_sim_cli("report", "--month", "2020-06", "-o", target)
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 0


@pytest.mark.parametrize(
    ("arguments", "named", "chinese"),
    [
        # The month's reason is the library's (fiscal_sim.actuals.plan.parse_month), in
        # Chinese once the actuals' messages are (#17); the CLI's frame is Chinese already.
        (["--month", "2020-13"], "2020-13", "--month 2020-13："),
        (["--month", "2031-01"], "2031-01", "不在 plan-followed 的预测年度内"),
        (["--format", "csv"], "csv", "报告（不带 --month）只能是 html, xlsx"),
        (["-o", "{tmp}/report.pdf"], "report.pdf", "没有哪种输出格式写 .pdf 文件"),
    ],
)
def test_report_invalid_input_exits_2(fiscal_sim_cli, tmp_path, arguments, named, chinese):
    arguments = [arg.format(tmp=tmp_path) for arg in arguments]
    result = fiscal_sim_cli("report", *arguments)
    assert result.exit_code == 2, result.output
    zh, en = the_error(result, chinese=bool(CHINESE.search(chinese)))
    assert chinese in zh and named in en, (zh, en)
    english = fiscal_sim_cli("report", *arguments, "--lang", "en")
    assert (english.exit_code, the_error(english)) == (2, (None, en))


# --- outputs -----------------------------------------------------------------------------------


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")

    def fail(path):
        path.write_text("half")
        raise OSError("disk full")

    with pytest.raises(outputs.OutputError, match=r"out\.txt: cannot write \(disk full\)"):
        outputs.write_atomic(target, fail)
    assert target.read_text() == "old"
    assert [path.name for path in tmp_path.iterdir()] == ["out.txt"]


def test_resolve_output_refuses_an_input_file(tmp_path):
    source = tmp_path / "county.yaml"
    source.write_text("x: 1\n")
    meta = {"scenario": "county", "hash": "0" * 12, "fiscal_sim_version": "0.1.0"}
    with pytest.raises(outputs.OutputError, match="refusing to write over the input file"):
        outputs.resolve_output(tmp_path / "." / "county.yaml", meta, "csv", inputs=[source])


# --- start-up cost -----------------------------------------------------------------------------

HEAVY = ("pandas", "numpy", "scipy", "matplotlib", "openpyxl", "jinja2", "fontTools", "streamlit")


def _loaded_by(argv: list[str]) -> tuple[str, list[str]]:
    """What ``fiscal-sim ARGV`` prints, and which of HEAVY it left imported."""
    probe = (
        "import sys\n"
        "from fiscal_sim.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    *printed, loaded = done.stdout.strip().splitlines()
    return "\n".join(printed), ast.literal_eval(loaded)


def test_help_imports_no_heavy_library():
    printed, loaded = _loaded_by(["--help"])
    assert "Usage: fiscal-sim" in printed
    assert loaded == []


def test_import_fiscal_sim_imports_no_heavy_library():
    probe = f"import sys, fiscal_sim; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_run_imports_only_what_it_computes_and_renders_with():
    # numpy for the engine; the tables are laid out without pandas (fiscal_sim.textgrid):
    # no data frames, charts, workbooks, templates or app.
    printed, loaded = _loaded_by(["run", "--years", "2019", "--lang", "en"])
    assert "serving staff" in printed
    assert loaded == ["numpy"]


def test_run_as_csv_or_json_still_writes_its_tables_with_pandas():
    for fmt in ("csv", "json"):
        printed, loaded = _loaded_by(["run", "--years", "2019", "--format", fmt])
        assert "legacy_advances" in printed
        assert loaded == ["numpy", "pandas"]


def test_a_projection_and_its_rule_breaches_need_no_pandas():
    # The Monte Carlo's and a batch worker's path: the engine's arrays and the rules' matrix.
    probe = (
        "import sys, fiscal_sim\n"
        "from fiscal_sim.rules import breach_matrix\n"
        "projection = fiscal_sim.project(fiscal_sim.load_scenario(), draws=3)\n"
        "assert breach_matrix(projection)['advance_cap'].shape == (3, 7)\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['numpy']"


def test_a_monte_carlo_needs_no_pandas_until_its_tables_are_asked_for():
    probe = (
        "import sys, fiscal_sim\n"
        "ensemble = fiscal_sim.simulate(fiscal_sim.load_scenario(), draws=1500, seed=1)\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
        "print(ensemble.breach.loc['advance_cap', 'any_year'])\n"
        "print('pandas' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded, any_year, pandas_now = done.stdout.strip().splitlines()
    assert ast.literal_eval(loaded) == ["numpy"]
    assert float(any_year) == 1.0  # the advance cap binds in 2019 in every draw
    assert pandas_now == "True"


def test_python_dash_m_runs_the_cli():
    done = subprocess.run(
        [sys.executable, "-m", "fiscal_sim", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == f"fiscal-sim {fiscal_sim.__version__}"


def test_run_shows_ratios_as_percentages_and_staff_as_whole_persons(fiscal_sim_cli, tmp_path):
    result = fiscal_sim_cli("run", "default", "--years", "2019", "--lang", "en")
    lines = {line.split("  ")[0]: line for line in result.output.splitlines()}
    assert lines["advance ratio"].split()[-1] == "8.8%"  # 15,600 / (161,355 + 15,429)
    assert lines["serving staff (persons)"].split()[-1] == "4,975"  # 5,000 × (1 − 0.03 + 0.025)
    # In Excel the same rows keep numbers, with a number format.
    import openpyxl

    fiscal_sim_cli("run", "default", "--years", "2019", "--lang", "en", "-o", tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["Indicators"]
    rows = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}
    assert rows["advance ratio"].number_format == "0.0%"
    assert rows["advance ratio"].value == pytest.approx(0.0882, abs=1e-4)


def test_compare_shows_ratios_as_percentages(fiscal_sim_cli):
    result = fiscal_sim_cli("compare", "default", "covid-2020", "--years", "2020", "--lang", "en")
    debt = next(line for line in result.stdout.splitlines() if line.startswith("debt ratio"))
    assert debt.split()[-3:] == ["85.0%", "85.2%", "0.2%"]  # covid lowers 综合财力 in 2020
