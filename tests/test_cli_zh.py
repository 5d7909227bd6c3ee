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
    "sensitivity": ["sensitivity", "--group", "people", "--outcome", "cash_min"],
}
# Commands that print their tables themselves (not through fiscal_sim.outputs): each table
# is a line naming it, then its header row.
ASSESS = ["assess", "dibao-raise", "--scenario", "transfer-cut"]  # rules made worse: a table
TEXT_COMMANDS = {
    "check": ["check"],
    "assess": ASSESS,
    "reforecast": ["reforecast", "--actuals", "{actuals}"],
}
# The outputs of issue #17 item 7's formatting test, in both languages.
FORMATTED = ("stress", "reverse-stress", "goal-seek", "simulate", "assess")
TYPED = {"plan", "followed", "austerity"}  # the scenario names typed in `compare`
CLAUSE = re.compile(r"\b(OPS|EMP|MKT)\.[\d.()\-]+")
LATIN = re.compile(r"[A-Za-z]+")
THREE_DECIMALS = re.compile(r"(?<![\d.])-?\d[\d,]*\.\d{3}(?![\d%])")
# Two years in a row written with a thousands separator: a header of years ("2,019  2,020").
YEARS_WITH_SEPARATOR = re.compile(r"\b(1,9\d\d|2,0\d\d)\s+(1,9\d\d|2,0\d\d)\b")


def _invoke(args, lang="zh"):
    from click.testing import CliRunner

    from fiscal_sim.cli import cli

    return CliRunner().invoke(cli, ["--lang", lang, *args])


@pytest.fixture(scope="module")
def actuals(tmp_path_factory):
    """An actuals workbook for `reforecast`: the scenario's own months to June 2020."""
    path = tmp_path_factory.mktemp("actuals") / "a.xlsx"
    result = _invoke(["actuals", "--through", "2020-06", "--format", "xlsx", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return str(path)


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


def _headers(grid) -> list:
    names = [*grid.columns, grid.column_name, *grid.row_names]
    return [name for name in names if name is not None]


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_title_and_header_is_chinese(printed, command):
    captured, _ = printed
    assert captured.get(command), f"{command} printed no table"
    for output in captured[command]:
        for title, grid in outputs.shown_tables(output, "zh").items():
            for text in [title, *map(str, _headers(grid))]:
                words = set(LATIN.findall(CLAUSE.sub("", text))) - TYPED
                assert not words, f"{command}: {title}: {text!r}"


@pytest.mark.parametrize("command", list(COMMANDS))
def test_numbers_follow_the_one_convention(printed, command):
    captured, texts = printed
    body = "\n".join(line for line in texts[command].splitlines() if not line.startswith("#"))
    assert "Empty DataFrame" not in body
    assert not THREE_DECIMALS.findall(body), THREE_DECIMALS.findall(body)[:5]
    for output in captured[command]:
        for title, grid in outputs.shown_tables(output, "zh").items():
            for header in grid.columns:
                assert not re.fullmatch(r"\d,\d{3}", str(header)), (title, header)
            years = [number for number, level in enumerate(grid.row_names) if level == "年度"]
            for number in years:
                for year in grid.level(number):
                    assert re.fullmatch(r"\d{4}", str(year)), (title, year)
            if "年度" in grid.columns:
                shown = grid.column(grid.columns.index("年度"))
                assert all(re.fullmatch(r"\d{4}|-", str(y)) for y in shown), title
            assert not grid.attrs["hide_index"] or "\n0 " not in outputs.render_table(output, "zh")


def test_check_headers_are_chinese_and_rules_named(fiscal_sim_cli):
    result = fiscal_sim_cli("--lang", "zh", "check")
    lines = [line for line in result.stdout.splitlines() if not line.startswith("#")]
    assert "advance_cap" not in lines[0]  # the headline names the rule in Chinese
    assert "暂付款控制比例" in lines[0]
    assert not LATIN.findall(lines[1]), lines[1]  # the header row


def _text_headers(command: str, text: str) -> list[str]:
    """The header rows of a table printed by the command itself (TEXT_COMMANDS)."""
    lines = [line for line in text.splitlines() if not line.startswith("# ") or ":" not in line]
    if command == "check":  # the headline, then the header row
        return [lines[1]]
    if command == "assess":  # the verdict; then per table its caption and header row
        blocks = "\n".join(lines).split("\n\n")[1:]
        return [block.splitlines()[1] for block in blocks]
    return [lines[at + 1] for at, line in enumerate(lines) if line.startswith("# ")]


@pytest.mark.parametrize("command", list(TEXT_COMMANDS))
def test_every_header_of_the_self_printed_tables_is_chinese(command, actuals):
    args = [arg.format(actuals=actuals) for arg in TEXT_COMMANDS[command]]
    result = _invoke(args)
    assert result.exit_code in (0, 3), result.output  # check, assess: 3 when a rule breaks
    headers = _text_headers(command, result.stdout)
    assert len(headers) >= {"check": 1, "assess": 3, "reforecast": 5}[command], headers
    for header in headers:
        words = set(LATIN.findall(CLAUSE.sub("", header)))
        assert not words, f"{command}: {header!r}"


def _library_texts(lang: str) -> dict[str, str]:
    """The same results as the library prints them (``to_text``), for FORMATTED."""
    import fiscal_sim
    from fiscal_sim.affordability import assess, load_policy
    from fiscal_sim.goalseek import goal_seek
    from fiscal_sim.solve import reverse_stress
    from fiscal_sim.stress_tests import stress

    plan = fiscal_sim.load_scenario("plan-followed")
    short = fiscal_sim.load_scenario("plan-followed", overrides=COMMANDS["goal-seek"][-1:])
    return {
        "stress": stress(plan, ["transfers_cut", "combined"]).to_text(lang),
        "reverse-stress": "".join(
            reverse_stress(plan, kind).to_text(lang) for kind in ("land_fall", "transfer_delay")
        ),
        "goal-seek": goal_seek(short, "transfers_requested").to_text(lang),
        "simulate": fiscal_sim.simulate(plan, draws=200, seed=1).to_text(lang),
        "assess": assess(
            fiscal_sim.load_scenario("transfer-cut"), load_policy("dibao-raise")
        ).to_text(lang),
    }


@pytest.fixture(scope="module")
def formatted():
    """``{(command, lang): everything it prints}``: stdout and stderr of the command line,
    and the library's own text of the same result."""
    texts = {}
    for lang in ("zh", "en"):
        library = _library_texts(lang)
        for command in FORMATTED:
            args = ASSESS if command == "assess" else COMMANDS[command]
            result = _invoke(args, lang)
            assert result.exit_code in (0, 3), (command, result.output)
            texts[command, lang] = "\n".join((result.stdout, result.stderr, library[command]))
    return texts


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("command", FORMATTED)
def test_no_amount_with_three_decimals_and_no_year_with_a_separator(formatted, command, lang):
    """Issue #17 item 7: "-80.000" reads as eighty thousand to a Chinese reader, "2,019" is
    not a year. In the tables, the sentences on stderr and the library's text alike."""
    text = "\n".join(line for line in formatted[command, lang].splitlines() if line[:2] != "# ")
    assert not THREE_DECIMALS.findall(text), THREE_DECIMALS.findall(text)[:5]
    assert not YEARS_WITH_SEPARATOR.search(text), YEARS_WITH_SEPARATOR.search(text)
    assert not re.search(r"(?<![\d,.])(19|20)\d\d\.0\b", text)  # nor a year as 2019.0
    assert "Empty DataFrame" not in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ratios_print_as_percentages(formatted, lang):
    """simulate's and stress's ratios (self-sufficiency, the advance and debt ratios, breach
    probabilities) as percentages, never as fractions such as 0.088."""
    simulate = formatted["simulate", lang]
    label = "暂付款余额占支出比例" if lang == "zh" else "advance ratio"
    rows = [line for line in simulate.splitlines() if line.lstrip().startswith(label)]
    assert rows and all(re.search(r"\d\.\d%", row) for row in rows), rows
    assert not any(re.search(r"\s0\.0\d\d\b", row) for row in rows), rows
    stress = formatted["stress", lang]
    assert re.search(r"\b9\.1%", stress)  # the highest advance ratio under the transfer cut
    reverse = formatted["reverse-stress", lang]
    assert re.search(r"\d+\.\d%", reverse) and "0.01 " not in reverse


def _table_blocks(command: str, text: str) -> list[list[str]]:
    """The tables of a command's stdout: runs of lines between blank lines, ``#`` lines and
    ``==`` titles; check's headline and assess's captions (a block's first line) left out."""
    blocks, block = [], []
    for line in [*text.splitlines(), ""]:
        if line.strip() and not line.startswith(("#", "==")):
            block.append(line)
            continue
        if command in ("check", "assess"):
            block = block[1:]
        if block:
            blocks.append(block)
        block = []
    return blocks


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_table_is_aligned_by_display_width(lang, actuals):
    """A Chinese character takes two terminal columns in either language: under en the
    cells still hold 三保, 保工资 and Chinese titles, so each line of a table must take one
    display width (the text grid and pandas pad every line of a table to it)."""
    from fiscal_sim.textgrid import display_width

    commands = {**COMMANDS, **TEXT_COMMANDS}
    wide_lines = 0
    for command, args in commands.items():
        result = _invoke([arg.format(actuals=actuals) for arg in args], lang)
        assert result.exit_code in (0, 3), (command, result.output)
        for block in _table_blocks(command, result.stdout):
            widths = {display_width(line) for line in block}
            assert len(widths) == 1, f"{lang} {command}: widths {sorted(widths)}: {block[0]!r}"
            wide_lines += sum(display_width(line) > len(line) for line in block)
    assert wide_lines > 100  # the test is about tables that hold Chinese, in both languages


def test_batch_headers_and_messages_are_chinese(tmp_path):
    """batch writes its tables for people into -o (summary.xlsx, report.html) and says on
    stderr what it did: under zh no sheet name, header, title or message holds an English word
    (the folder typed after -o and the Dask words aside)."""
    import html

    from openpyxl import load_workbook

    folder = tmp_path / "out"
    args = ["batch", "baseline", "transfer-cut", "--workers", "0", "-o", f"{folder}/"]
    result = _invoke(args)
    assert result.exit_code == 0, result.output
    texts = [line.replace(str(folder), "") for line in result.stderr.splitlines()]
    book = load_workbook(folder / "summary.xlsx")
    for sheet in book:
        texts += [sheet.title, *(str(cell.value) for cell in sheet[1])]
    page = (folder / "report.html").read_text("utf-8")
    texts += map(html.unescape, re.findall(r"<(?:th|h1|h2|title)>([^<]*)<", page))
    assert len(texts) > 40
    for text in texts:
        words = set(LATIN.findall(CLAUSE.sub("", text)))
        assert not words, f"batch: {text!r}"
