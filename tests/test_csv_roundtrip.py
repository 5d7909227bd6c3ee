"""The CSVs of stress, reverse-stress, goal-seek and assess read back (issue #17 items 5, 7):
opened with pandas, the header row is the expected Chinese (zh) or English (en) labels; read
with :func:`fiscal_sim.csvtables.read_csv`, every number equals the library's own result for
the same scenario, amounts in 万元 rounded to the cent (0.01 万元), ratios and months with
every digit; with ``--precision full`` amounts keep every digit too."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from click.testing import CliRunner

import fiscal_sim
from fiscal_sim import csvtables
from fiscal_sim.cli import cli

GOAL_SEEK = ["--lever", "transfers_requested", "--set", "revenue.general_transfers=40000"]
ARGS = {
    "stress": ["stress", "--test", "transfers_cut"],
    "reverse-stress": ["reverse-stress", "--shock", "transfer_cut"],
    "goal-seek": ["goal-seek", *GOAL_SEEK],
    "assess": ["assess", "dibao-raise", "--scenario", "transfer-cut"],
}
HEADERS = {
    ("reverse-stress", "zh"): [
        "冲击类型", "目标", "单位", "单位名称", "规模", "首先突破", "年度", "月份", "该规模下余量",
        "99%规模下余量", "基准余量", "余量单位", "余量单位名称", "搜索上限",
    ],
    ("reverse-stress", "en"): [
        "kind", "target", "unit", "unit name", "size", "breaks", "year", "month", "margin at size",
        "margin at 99 %", "baseline margin", "margin unit", "margin unit name", "searched up to",
    ],
    ("assess", "zh"): [
        "规则", "规则名称", "条款", "方面", "方面名称", "年度", "月份", "是否决定可承受性", "变化",
        "实施前结果", "实施前结果名称", "实施后结果", "实施后结果名称", "实施前余量", "实施后余量",
        "单位", "单位名称", "说明（中文）", "说明（英文）",
    ],
    ("assess", "en"): [
        "rule", "rule name", "clause", "aspect", "aspect name", "year", "month", "gating",
        "change", "severity before", "severity before name", "severity after",
        "severity after name", "margin before", "margin after", "unit", "unit name",
        "message (Chinese)", "message (English)",
    ],
}  # fmt: skip
# Labels a header row must hold (the whole row of a stacked table is long).
HOLDS = {
    ("stress", "zh"): {"压力测试", "名称（中文）", "首个三保缺口年份", "新增违规规则", "数值"},
    ("stress", "en"): {"test", "title (English)", "first 三保 year", "new breaches", "value"},
    ("goal-seek", "zh"): {"年度", "缓解手段", "约束目标", "无法满足的规则", "随之突破的规则"},
    ("goal-seek", "en"): {"year", "lever", "binding", "unreachable", "broken by"},
}


def _csv(lang: str, command: str, *extra: str) -> str:
    result = CliRunner().invoke(cli, ["--lang", lang, *ARGS[command], "--format", "csv", *extra])
    assert result.exit_code in (0, 3), result.output  # assess: 3 when not affordable
    return result.stdout


@pytest.fixture(scope="module")
def written():
    return {
        (command, lang, precision): _csv(lang, command, *extra)
        for command in ARGS
        for lang in ("zh", "en")
        for precision, extra in (("cents", ()), ("full", ("--precision", "full")))
    }


@pytest.fixture(scope="module")
def library():
    """The same results from the library, in full precision."""
    from fiscal_sim.affordability import assess, load_policy
    from fiscal_sim.goalseek import goal_seek
    from fiscal_sim.solve import reverse_stress
    from fiscal_sim.stress_tests import stress

    plan = fiscal_sim.load_scenario("plan-followed")
    transfers_cut = fiscal_sim.load_scenario("plan-followed", overrides=GOAL_SEEK[3:])
    report = stress(plan, ["transfers_cut"])
    return {
        "stress": report,
        "reverse-stress": reverse_stress(plan, "transfer_cut"),
        "goal-seek": goal_seek(transfers_cut, "transfers_requested"),
        "assess": assess(fiscal_sim.load_scenario("transfer-cut"), load_policy("dibao-raise")),
    }


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("command", list(ARGS))
def test_pandas_reads_the_labels_of_the_language(written, command, lang):
    table = pd.read_csv(io.StringIO(written[command, lang, "cents"]), comment="#")
    assert len(table), command
    header = list(table.columns)
    if (command, lang) in HEADERS:
        assert header == HEADERS[command, lang]
    else:
        assert HOLDS[command, lang] <= set(header), set(HOLDS[command, lang]) - set(header)


def _read(written, command: str, lang: str, precision: str = "cents") -> pd.DataFrame:
    return csvtables.read_csv(io.StringIO(written[command, lang, precision]))


def _cents(value: float) -> float:
    return round(value, 2)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_stress_numbers_are_the_library_s(written, library, lang):
    report = library["stress"]
    read = _read(written, "stress", lang)
    full = _read(written, "stress", lang, "full")
    summary = report.summary()
    for frame, money in ((read, _cents), (full, float)):
        rows = frame[frame["table"] == "summary"].set_index(["test", "variable"])["value"]
        for test in summary.index:
            for column in ("sanbao_shortfall_total", "stabilization_fund_end"):  # 万元
                assert rows[test, column] == money(summary.loc[test, column]), (test, column)
            for column in ("cash_cover_min", "advance_ratio_max", "debt_ratio_max"):
                assert rows[test, column] == summary.loc[test, column], (test, column)
        changes = frame[(frame["table"] == "indicators") & (frame["variable"] == "change")]
        changes = changes.set_index(["year", "indicator"])["value"]
        expected = report.to_frame().set_index(["year", "indicator"])["change"]
        for year in (2020, 2025):
            assert changes[year, "own_revenue"] == money(expected[year, "own_revenue"])
            assert changes[year, "advance_ratio"] == expected[year, "advance_ratio"]
            assert changes[year, "cash_cover_min_months"] == expected[year, "cash_cover_min_months"]
    # a year stacked with tables that have none is still written 2019, never 2019.0
    assert not re.search(r",(19|20)\d\d\.0,", written["stress", lang, "cents"])
    assert ",2019," in written["stress", lang, "cents"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_reverse_stress_margins_rounded_by_their_own_unit(written, library, lang):
    found = library["reverse-stress"]
    expected = found.to_frame()
    for precision, money in (("cents", _cents), ("full", float)):
        read = _read(written, "reverse-stress", lang, precision)
        assert list(read["target"]) == list(expected["target"]) == ["any", "sanbao", "cash"]
        assert list(read["size"]) == list(expected["size"])  # fractions: every digit
        assert list(read["margin_unit"]) == ["months", "wan_yuan", "months"]
        for row in range(3):
            for column in ("margin_at_size", "margin_at_99pct", "baseline_margin"):
                value = expected.loc[row, column]
                wanted = money(value) if read.loc[row, "margin_unit"] == "wan_yuan" else value
                assert read.loc[row, column] == wanted, (precision, row, column)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_goal_seek_money_to_the_cent_and_sizes_in_full(written, library, lang):
    found = library["goal-seek"]
    expected = found.to_frame().set_index("year")
    for precision, money in (("cents", _cents), ("full", float)):
        read = _read(written, "goal-seek", lang, precision)
        years = read[read["table"] == "goal_seek"].pivot(
            index="year", columns="variable", values="value"
        )
        assert list(years.index) == list(expected.index)
        assert years["size"].tolist() == expected["size"].tolist()
        assert years["money"].tolist() == [money(value) for value in expected["money"]]
        moneys = read[(read["table"] == "goal_seek") & (read["variable"] == "money")]
        assert set(moneys["unit"]) == {"wan_yuan"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_assess_margins_rounded_where_they_are_amounts(written, library, lang):
    expected = library["assess"].to_frame()
    for precision, money in (("cents", _cents), ("full", float)):
        read = _read(written, "assess", lang, precision)
        assert list(read["rule"]) == list(expected["rule"])
        for column in ("margin_before", "margin_after"):
            for row, unit in enumerate(expected["unit"]):
                value = expected.loc[row, column]
                wanted = money(value) if unit == "wan_yuan" else value
                got = read.loc[row, column]
                assert got == wanted or (pd.isna(got) and pd.isna(wanted)), (precision, row)
    assert set(expected["unit"]) >= {"wan_yuan", "fraction"}  # both kinds are tried
