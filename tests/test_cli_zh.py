"""Chinese really first, and one convention for numbers, on every table the command line
prints: under ``--lang zh`` no title or header holds an English word (a run of Latin letters)
except codes the user typed and clause IDs; no amount shows three decimals; years are never
written with a thousands separator; no table prints pandas' ``Empty DataFrame`` or a bare
0, 1, 2 index."""

from __future__ import annotations

import re

import pytest

from fiscal_sim import outputs

COMMANDS = {
    "run": ["run", "--set", "people.staff=4800"],
    "compare": ["compare", "plan-followed", "austerity", "--years", "2020:2021"],
    "scenarios": ["scenarios"],
    "params": ["params", "people.*"],
    "simulate": ["simulate", "--draws", "200", "--seed", "1"],
    "stress": ["stress", "--test", "transfers_cut"],
    "reverse-stress": ["reverse-stress", "--shock", "transfer_cut"],
    "goal-seek": [
        "goal-seek",
        "--lever",
        "transfers_requested",
        "--set",
        "revenue.general_transfers=40000",
    ],
}
TYPED = {"plan", "followed", "austerity"}  # the scenario names typed in `compare`
CLAUSE = re.compile(r"\b(OPS|EMP|MKT)\.[\d.()\-]+")
LATIN = re.compile(r"[A-Za-z]+")
THREE_DECIMALS = re.compile(r"(?<![\d.])-?\d[\d,]*\.\d{3}(?![\d%])")


@pytest.fixture(scope="module")
def printed():
    """Every table output of COMMANDS under zh: ``{command: [Output, ...]}`` and the text."""
    from click.testing import CliRunner

    from fiscal_sim.cli import cli

    captured: dict[str, list] = {}
    texts: dict[str, str] = {}
    render = outputs.render
    current = []

    def capture(output, fmt, lang="zh", *rest):
        captured.setdefault(current[0], []).append(output)
        return render(output, fmt, lang, *rest)

    outputs.render = capture
    try:
        for name, args in COMMANDS.items():
            current[:] = [name]
            result = CliRunner().invoke(cli, ["--lang", "zh", *args])
            assert result.exit_code == 0, (name, result.output)
            texts[name] = result.stdout
    finally:
        outputs.render = render
    return captured, texts


def _headers(frame) -> list:
    names = [*frame.columns, frame.columns.name, *frame.index.names]
    return [name for name in names if name is not None]


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_title_and_header_is_chinese(printed, command):
    captured, _ = printed
    assert captured.get(command), f"{command} printed no table"
    for output in captured[command]:
        for title, frame in outputs.shown_tables(output, "zh").items():
            for text in [title, *map(str, _headers(frame))]:
                words = set(LATIN.findall(CLAUSE.sub("", text))) - TYPED
                assert not words, f"{command}: {title}: {text!r}"


@pytest.mark.parametrize("command", list(COMMANDS))
def test_numbers_follow_the_one_convention(printed, command):
    captured, texts = printed
    body = "\n".join(line for line in texts[command].splitlines() if not line.startswith("#"))
    assert "Empty DataFrame" not in body
    assert not THREE_DECIMALS.findall(body), THREE_DECIMALS.findall(body)[:5]
    for output in captured[command]:
        for title, frame in outputs.shown_tables(output, "zh").items():
            for header in frame.columns:
                assert not re.fullmatch(r"\d,\d{3}", str(header)), (title, header)
            years = [level for level in frame.index.names if level == "年度"]
            for level in years:
                for year in frame.index.get_level_values(level):
                    assert re.fullmatch(r"\d{4}", str(year)), (title, year)
            if "年度" in frame.columns:
                assert all(re.fullmatch(r"\d{4}|-", str(y)) for y in frame["年度"]), title
            assert not frame.attrs["hide_index"] or "\n0 " not in outputs.render_table(output, "zh")


def test_check_headers_are_chinese_and_rules_named(fiscal_sim_cli):
    result = fiscal_sim_cli("--lang", "zh", "check")
    lines = [line for line in result.stdout.splitlines() if not line.startswith("#")]
    assert "advance_cap" not in lines[0]  # the headline names the rule in Chinese
    assert "暂付款控制比例" in lines[0]
    assert not LATIN.findall(lines[1]), lines[1]  # the header row
