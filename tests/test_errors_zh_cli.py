"""The command line's own errors in Chinese and English, as a user meets them (#17).

Each case runs a command twice: under zh (the default) stderr says ``错误：<Chinese>`` then
``Error: <English>``; under ``--lang en`` the same English alone. Then what the CLI says
besides errors: the seed of a Monte Carlo run, and the headline of ``check --breaches-only``.
"""

from __future__ import annotations

import errno
import re
import tempfile
from pathlib import Path

import pytest
from _errors import error_lines

import fiscal_sim

# (id, arguments, Chinese phrase, English phrase); {tmp} is the test's folder (also the
# working directory), {locked} a folder no file can be created in, {scenario} a YAML file.
CASES = [
    (
        "xls-output",
        ["run", "-o", "out.xls"],
        "-o out.xls：没有哪种输出格式写 .xls 文件；fiscal-sim 以 .xlsx 格式写 Excel 工作簿",
        "-o out.xls: no output format writes .xls files; fiscal-sim writes Excel workbooks",
    ),
    (
        "unknown-suffix",
        ["run", "-o", "out.docx"],
        "没有哪种输出格式写 .docx 文件；"
        "请用以 .csv, .json, .txt, .xlsx 结尾的文件名，或加 --format",
        "no output format writes .docx files; name a file ending in .csv, .json, .txt, .xlsx",
    ),
    (
        "unwritable-directory",
        ["run", "--format", "csv", "-o", "{locked}/out.csv"],
        "{locked}/out.csv：无法在文件夹 {locked} 中写入（没有权限）",
        "{locked}/out.csv: cannot write in the directory {locked} (Permission denied)",
    ),
    (
        "directory-under-a-file",
        ["run", "-o", "a_file/sub/out.csv"],
        "-o a_file/sub/out.csv：无法创建 a_file/sub（路径中有一段不是文件夹）",
        "-o a_file/sub/out.csv: cannot create a_file/sub (Not a directory)",
    ),
    (
        "over-the-input",
        ["run", "{scenario}", "--format", "csv", "-o", "{scenario}"],
        "{scenario}：不会覆盖输入文件",
        "{scenario}: refusing to write over the input file",
    ),
    (
        "xlsx-without-output",
        ["run", "--format", "xlsx"],
        "--format xlsx 写的是文件：请加 -o 路径",
        "--format xlsx writes a file: add -o PATH",
    ),
    (
        "years-beyond-the-horizon",
        ["run", "--years", "2019:2040"],
        "--years 2019:2040：超出 plan-followed 的预测年度 2019:2025；"
        "要预测得更远，请加 --set horizon.end_year=2040",
        "--years 2019:2040: outside the projection years of plan-followed, 2019:2025; "
        "to project further, add --set horizon.end_year=2040",
    ),
    (
        "years-not-a-range",
        ["run", "--years", "twenty"],
        "--years twenty：应为 起始年:结束年，例如 2019:2025",
        "--years twenty: expected FIRST:LAST, e.g. 2019:2025",
    ),
    (
        "set-without-a-value",
        ["run", "--set", "people.staff"],
        "--set people.staff：应为 键=值，例如 --set people.staff=4800",
        "--set people.staff: expected KEY=VALUE, e.g. --set people.staff=4800",
    ),
    (
        "month-outside-the-years",
        ["report", "--month", "2031-01"],
        "--month 2031-01：不在 plan-followed 的预测年度内",
        "--month 2031-01: outside the projection years of plan-followed",
    ),
    (
        "through-outside-the-years",
        ["actuals", "--through", "2050-06"],
        "--through 2050-06：不在 plan-followed 的预测年度内",
        "--through 2050-06: outside the projection years of plan-followed",
    ),
    (
        # The month's own reason is fiscal_sim.actuals.plan's, Chinese once that file is.
        "month-not-a-month",
        ["report", "--month", "2020-13"],
        "--month 2020-13：",
        "--month 2020-13: month 13 of '2020-13' is not between 1 and 12",
    ),
    (
        "month-with-draws",
        ["report", "--month", "2020-06", "--draws", "100"],
        "--draws：月度表（--month）没有不确定性部分",
        "--draws: the monthly table (--month) has no uncertainty section",
    ),
    (
        "report-draws-too-few",
        ["report", "--draws", "5"],
        "--draws 5：应为 100 到 1,000,000 之间的整数",
        "--draws 5: expected a whole number from 100 to 1,000,000",
    ),
    (
        "reforecast-draws-not-a-number",
        ["reforecast", "--draws", "many"],
        "--draws many：应为 100 到 1,000,000 之间的整数",
        "--draws many: expected a whole number from 100 to 1,000,000",
    ),
    (
        "seed-without-draws",
        ["report", "--seed", "7"],
        "--seed 7：随机数种子需要配合 --draws N（蒙特卡洛模拟）",
        "--seed 7: a seed needs --draws N (the Monte Carlo run)",
    ),
    (
        "reforecast-seed-not-a-number",
        ["reforecast", "--seed", "x"],
        "--seed x：应为不小于 0 的整数",
        "--seed x: expected a whole number ≥ 0",
    ),
    (
        "explain-a-typo",
        ["explain", "advance_ratoi"],
        "未知指标或规则 'advance_ratoi'（是不是要找 'advance_ratio'？）",
        "unknown indicator or rule 'advance_ratoi' (did you mean 'advance_ratio'?)",
    ),
    (
        "check-explain-a-typo",
        ["check", "--explain", "advance_cp"],
        "未知规则 'advance_cp'（是不是要找 'advance_cap'？）；规则有：",
        "unknown rule 'advance_cp' (did you mean 'advance_cap'?); rules are: ",
    ),
    (
        "simulate-indicator-typo",
        ["simulate", "--indicator", "cash_yer_end"],
        "未知指标 'cash_yer_end'（是不是要找 'cash_year_end'？）",
        "unknown indicator 'cash_yer_end' (did you mean 'cash_year_end'?)",
    ),
    (
        "chart-year-beyond-the-horizon",
        ["chart", "waterfall", "--year", "2040", "-o", "w.png"],
        "--year：年度 2040 超出预测期 2019–2025",
        "--year: year 2040 is outside the projection years 2019–2025",
    ),
    (
        "chart-unknown",
        ["chart", "waterfal", "-o", "w.png"],
        "未知图表 'waterfal'：请指定图表（",
        "unknown chart 'waterfal': name a chart (",
    ),
    (
        "template-not-xlsx",
        ["template", "-o", "county.csv"],
        "-o county.csv：工作簿文件应以 .xlsx 结尾",
        "-o county.csv: a workbook ends in .xlsx",
    ),
]


@pytest.fixture
def places(tmp_path, monkeypatch):
    """The test's folder as the working directory, with a file, a scenario and a folder in
    which creating a file fails as it does without write permission (even for root)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FISCAL_SIM_LANG", raising=False)
    (tmp_path / "a_file").write_text("kept", encoding="utf-8")
    scenario = tmp_path / "county.yaml"
    scenario.write_text("extends: default\n", encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    create = tempfile.mkstemp

    def refuse_in_locked(*args, dir=None, **options):
        if dir is not None and Path(dir).resolve() == locked.resolve():
            raise PermissionError(errno.EACCES, "Permission denied")
        return create(*args, dir=dir, **options)

    monkeypatch.setattr(tempfile, "mkstemp", refuse_in_locked)
    return {"tmp": tmp_path, "locked": locked, "scenario": scenario}


@pytest.mark.parametrize(
    ("arguments", "chinese", "english"),
    [pytest.param(arguments, zh, en, id=name) for name, arguments, zh, en in CASES],
)
def test_an_error_in_chinese_then_english(fiscal_sim_cli, places, arguments, chinese, english):
    arguments = [argument.format(**places) for argument in arguments]
    result = fiscal_sim_cli(*arguments)
    assert result.exit_code == 2, result.output
    zh, en = error_lines(result)
    assert zh is not None and zh.startswith("错误："), result.stderr
    assert chinese.format(**places) in zh
    assert en.startswith("Error: ") and english.format(**places) in en
    assert result.stdout == ""

    in_english = fiscal_sim_cli("--lang", "en", *arguments)
    assert in_english.exit_code == 2
    assert error_lines(in_english) == (None, en)
    assert "错误" not in in_english.stderr


SEED_SAID = {
    "zh": re.compile(r"^随机数种子：(\d+)（用 --seed \1 可重复本次模拟）$", re.MULTILINE),
    "en": re.compile(r"^seed: (\d+) \(repeat with --seed\)$", re.MULTILINE),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_simulate_without_a_seed_says_the_one_it_drew(fiscal_sim_cli, lang):
    drawn = fiscal_sim_cli("--lang", lang, "simulate", "--draws", "20", "--format", "csv")
    assert drawn.exit_code == 0, drawn.output
    said = SEED_SAID[lang].search(drawn.stderr)
    assert said, drawn.stderr
    other = SEED_SAID["en" if lang == "zh" else "zh"]
    assert not other.search(drawn.stderr)
    again = fiscal_sim_cli(
        "--lang", lang, "simulate", "--draws", "20", "--format", "csv", "--seed", said.group(1)
    )
    assert again.exit_code == 0 and again.stdout == drawn.stdout  # the seed repeats the run
    assert not SEED_SAID[lang].search(again.stderr)  # a given seed is not said again


HEADLINE_COUNTS = {
    "zh": "{breaches} 项违规，{warnings} 项预警",
    "en": "{breaches} breaches, {warnings} warnings",
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_breaches_only_headline_counts_the_whole_check(fiscal_sim_cli, lang):
    findings = fiscal_sim.check(fiscal_sim.project(fiscal_sim.load_scenario("plan-followed")))
    frame = findings.to_frame()
    breaches = int((frame["severity"] == "breach").sum())
    warnings = int((frame["severity"] == "warning").sum())
    assert breaches and warnings  # the default scenario has both: the headline must count both

    result = fiscal_sim_cli("--lang", lang, "check", "--breaches-only")
    assert result.exit_code == 3
    lines = [line for line in result.stdout.splitlines() if not line.startswith("#")]
    headline, _columns, *rows = lines
    assert headline == findings.headline(lang)
    assert HEADLINE_COUNTS[lang].format(breaches=breaches, warnings=warnings) in headline
    assert len(rows) == breaches  # only the breaches are listed
    assert result.stderr.strip().splitlines()[-1] == findings.headline(lang)
