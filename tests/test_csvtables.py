"""CSV outputs follow ``--lang`` (issue #15 item 6) and round amounts to the cent of 万元
unless ``--precision full`` (issue #17 item 7).

Every command's CSV is written under zh and under en: the headers are Chinese under zh (no run
of Latin letters except codes the user typed), each coded column has its ``_name`` column of
names beside it, every row says its unit, and :func:`fiscal_sim.csvtables.read_csv` reads both
files back identically. Figures are the engine's own (full precision against rounded), never
pinned: the tiny county and the short county are the scenarios.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pytest

from fiscal_sim import csvtables

TESTS = Path(__file__).resolve().parent
TINY = str(TESTS / "engine" / "tiny-county.yaml")
SHORT = str(TESTS / "goalseek" / "short-county.yaml")

GOAL_SEEK = [
    "goal-seek",
    "--lever",
    "transfers_requested",
    "--set",
    "revenue.general_transfers=40000",
]
ASSESS = ["assess", "dibao-raise", "--scenario", "transfer-cut"]  # rules made worse: rows
COMMANDS = {
    "run": ["run", TINY],
    "check": ["check", TINY],
    "simulate": ["simulate", TINY, "--draws", "64", "--seed", "1"],
    "compare": ["compare", TINY, SHORT, "--years", "2019:2021"],
    "sensitivity": ["sensitivity", SHORT, "--group", "revenue"],
    "stress": ["stress", "--test", "transfers_cut"],
    "reverse-stress": ["reverse-stress", "--shock", "transfer_cut"],
    "goal-seek": GOAL_SEEK,
    "assess": ASSESS,
}
# What each command's CSV must name beside its codes.
NAMED = {
    "run": {"table", "tier", "variable", "unit"},
    "check": {"rule", "aspect", "severity", "unit"},
    "simulate": {"table", "indicator", "rule", "variable", "unit"},
    "compare": {"indicator", "unit"},
    "sensitivity": {"parameter", "parameter_unit", "outcome", "unit"},
    "stress": {"table", "rule", "aspect", "unit", "severity", "indicator", "variable"},
    "reverse-stress": {"unit", "margin_unit"},
    "goal-seek": {"table", "unit", "rule", "aspect", "variable"},
    "assess": {"rule", "aspect", "unit", "severity_before", "severity_after"},
}
# Columns whose unit is in another column than ``unit`` (a reverse stress test's margins are
# in 万元 for 三保 and in months for the cash line; its sizes are fractions or months).
UNIT_COLUMNS = dict.fromkeys(
    ("margin_at_size", "margin_at_99pct", "baseline_margin"), "margin_unit"
)
TYPED = {"tiny", "county", "short"}  # the file names typed in `compare` (its column headers)
LATIN = re.compile(r"[A-Za-z]+")
MONEY_MORE_THAN_CENTS = re.compile(r"\.\d{3,}")


def _csv(fiscal_sim_cli, command: str, lang: str, *extra: str) -> str:
    result = fiscal_sim_cli("--lang", lang, *COMMANDS[command], "--format", "csv", *extra)
    assert result.exit_code in (0, 3), result.output  # check, assess: 3 when a rule breaks
    return result.stdout


def _lines(text: str) -> tuple[list[str], str, list[str]]:
    """The comment lines, the header row and the data lines of a CSV text."""
    lines = text.splitlines()
    comments = [line for line in lines if line.startswith("#")]
    rest = lines[len(comments) :]
    return comments, rest[0], rest[1:]


@pytest.fixture(scope="module")
def written():
    """``{(command, lang, precision): csv text}`` for every command, both languages."""
    from click.testing import CliRunner

    from fiscal_sim.cli import cli

    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    texts = {}
    for command in COMMANDS:
        for lang in ("zh", "en"):
            texts[command, lang, "cents"] = _csv(invoke, command, lang)
        texts[command, "zh", "full"] = _csv(invoke, command, "zh", "--precision", "full")
    return texts


@pytest.mark.parametrize("command", list(COMMANDS))
def test_zh_and_en_read_back_identically(written, command):
    zh = csvtables.read_csv(io.StringIO(written[command, "zh", "cents"]))
    en = csvtables.read_csv(io.StringIO(written[command, "en", "cents"]))
    assert not zh.empty
    assert zh.equals(en)
    assert not any(column.endswith("_name") for column in zh.columns)


@pytest.mark.parametrize("command", list(COMMANDS))
def test_headers_are_chinese_under_zh_and_english_under_en(written, command):
    comments, header, _ = _lines(written[command, "zh", "cents"])
    assert comments[-1].startswith("# columns: ")  # the codes sit directly above the header
    words = set(LATIN.findall(header)) - TYPED
    assert not words, f"{command}: {header}"
    _, english, _ = _lines(written[command, "en", "cents"])
    assert "unit" in english.split(",")


@pytest.mark.parametrize("command", list(COMMANDS))
def test_coded_columns_keep_their_codes_and_get_names(written, command):
    zh = csvtables.read_csv(io.StringIO(written[command, "zh", "cents"]))
    text = written[command, "zh", "cents"]
    codes = next(line for line in text.splitlines() if line.startswith("# columns: "))
    columns = codes.removeprefix("# columns: ").split(",")
    for coded in NAMED[command]:
        assert coded in zh.columns, (command, coded)
        assert columns[columns.index(coded) + 1] == f"{coded}_name", (command, coded)
    # the codes themselves are English identifiers, the names beside them Chinese
    table = pd.read_csv(io.StringIO(text), comment="#", header=None)
    table.columns = columns + list(table.columns[len(columns) :])
    for coded in NAMED[command] - {"unit", "parameter_unit"}:
        names = table[f"{coded}_name"].dropna()
        assert names.map(lambda name: bool(re.search(r"[\u4e00-\u9fff]", name))).all(), coded


@pytest.mark.parametrize("command", list(COMMANDS))
def test_amounts_are_rounded_to_the_cent_unless_precision_full(written, command):
    rounded = csvtables.read_csv(io.StringIO(written[command, "zh", "cents"]))
    full = csvtables.read_csv(io.StringIO(written[command, "zh", "full"]))
    assert list(rounded.columns) == list(full.columns) and len(rounded) == len(full)
    numbers = [
        column
        for column in rounded.columns
        if rounded[column].dtype.kind == "f" and column not in ("year", "month", "elasticity")
    ]
    for column in numbers:
        money = rounded[UNIT_COLUMNS.get(column, "unit")] == "wan_yuan"
        # a rounded amount is the full one to 0.01 万元; anything else keeps every digit
        expected = full.loc[money, column].round(2)
        assert rounded.loc[money, column].round(6).equals(expected.round(6)), column
        assert rounded.loc[~money, column].equals(full.loc[~money, column]), column
    text = written[command, "zh", "cents"]
    codes = next(line for line in text.splitlines() if line.startswith("# columns: "))
    as_text = pd.read_csv(io.StringIO(text), comment="#", dtype=str, keep_default_na=False)
    as_text.columns = codes.removeprefix("# columns: ").split(",")
    for column in numbers:
        money = rounded[UNIT_COLUMNS.get(column, "unit")] == "wan_yuan"
        written_cells = as_text.loc[money.to_numpy(), column]
        assert not written_cells.str.contains(MONEY_MORE_THAN_CENTS).any(), column


def test_full_precision_has_the_engine_s_own_digits(written):
    full = csvtables.read_csv(io.StringIO(written["compare", "zh", "full"]))
    assert (full["unit"] == "wan_yuan").any()
    money = full[full["unit"] == "wan_yuan"].iloc[:, -1]
    assert any(len(repr(value).split(".")[-1]) > 2 for value in money), "all values rounded?"


def test_units_of_rows_are_their_variable_s():
    indicators = pd.DataFrame(
        {"headcount": [100.4], "advance_ratio": [0.051234], "own_revenue": [12.3456]},
        index=pd.Index([2019], name="year"),
    )
    waterfall = pd.DataFrame({"year": [2019], "tier": ["wages"], "need": [120.004]})
    text = csvtables.render({"indicators": indicators, "waterfall": waterfall}, lang="zh")
    frame = csvtables.read_csv(io.StringIO(text)).set_index("variable")
    assert frame["unit"].to_dict() == {
        "headcount": "persons",
        "advance_ratio": "fraction",
        "own_revenue": "wan_yuan",
        "need": "wan_yuan",
    }
    assert frame["value"].to_dict() == {
        "headcount": 100.4,  # persons keep their digits
        "advance_ratio": 0.051234,  # a ratio is never rounded as money
        "own_revenue": 12.35,
        "need": 120.0,
    }
    assert "层级名称" in text and "保工资" in text


def test_read_csv_records_the_meta_lines_and_reads_a_file(tmp_path):
    path = tmp_path / "out.csv"
    frame = pd.DataFrame({"rule": ["advance_cap"], "value": [0.07], "unit": ["fraction"]})
    path.write_text(
        csvtables.render({"findings": frame}, {"scenario": "plan x"}), encoding="utf-8-sig"
    )
    read = csvtables.read_csv(path)
    assert read.attrs["meta"] == {"scenario": "plan x"}
    assert read.to_dict("records") == [{"rule": "advance_cap", "value": 0.07, "unit": "fraction"}]


def test_sensitivity_outcome_names_in_both_languages(written):
    zh = written["sensitivity", "zh", "cents"]
    en = written["sensitivity", "en", "cents"]
    assert ",cash_min,最低库款保障水平,months," in zh
    assert ",cash_min,lowest cash-guarantee level,months," in en
