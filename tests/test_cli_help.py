"""The command list of `fiscal-sim --help` reads whole: one untruncated line per command."""

import re

import pytest
from click.testing import CliRunner

from fiscal_sim.cli import SHORT_HELP, cli


def test_every_command_has_a_whole_line_in_the_overview():
    """On an 80-column terminal, measured in columns (a Chinese character takes two)."""
    result = CliRunner().invoke(cli, ["--help"], terminal_width=80)
    assert result.exit_code == 0
    listing = result.output.split("Commands:")[1].split("Exit codes:")[0]
    assert "..." not in listing
    assert set(SHORT_HELP) == set(cli.commands)
    lines = {line.split()[0]: line for line in listing.splitlines() if line.startswith("  ")}
    for name, short in SHORT_HELP.items():
        assert lines[name].split(None, 1)[1] == short


CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def _help(*args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--help"], terminal_width=100)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command", ["", *sorted(cli.commands)])
def test_every_help_reads_chinese_first_then_english(command):
    """Each command's --help (actuals, reforecast and template --actuals included): its
    description opens in Chinese with the English below, every option's help starts in
    Chinese, and the example closes it under a heading in both languages."""
    args = (command,) if command else ()
    text = _help(*args)
    description = text.split("\n\n", 2)[1]  # the paragraph after the usage line
    assert CJK.search(description), description
    assert not LATIN_WORD.search(CJK.sub("", description.split("\n")[0])[:4])
    body = text.split("Options:")[0]
    assert LATIN_WORD.search(body.split(description)[-1]), "no English after the Chinese"
    options = text.split("Options:")[1].split("示例 Example:")[0].split("Commands:")[0]
    # each option: its names, then its help (on the same line, or the next when the names
    # are long); the help starts in Chinese
    for entry in re.split(r"\n(?=  -)", options.strip("\n")):
        shown = re.split(r"\s{2,}", entry.strip(), maxsplit=1)
        assert len(shown) == 2 and CJK.search(shown[1].split("\n")[0]), entry
    assert "示例 Example:" in text


def test_every_command_and_option_has_its_chinese():
    from fiscal_sim.cli import helpzh

    assert set(helpzh.COMMAND_HELP) == {"fiscal-sim", *cli.commands}
    for name, command in cli.commands.items():
        for param in command.params:
            if getattr(param, "help", None):
                assert CJK.search(param.help), (name, param.opts)


def test_the_newer_commands_are_in_chinese_too():
    assert "根据国库实际月份" in _help("reforecast")
    assert "实际数工作簿" in _help("actuals")
    template = _help("template")
    assert "--actuals YEAR" in template and "各月实际执行数的填报工作簿" in template


@pytest.mark.parametrize("columns", [80, 60])
def test_no_help_line_is_wider_than_the_terminal(columns):
    """click counts characters; the help is wrapped by terminal columns instead (a Chinese
    character takes two), descriptions, options, lists of choices and epilogs alike."""
    from fiscal_sim.cli.helpzh import _width

    for command in ["", *sorted(cli.commands)]:
        args = ["--lang", "zh", *((command,) if command else ()), "--help"]
        result = CliRunner().invoke(cli, args, terminal_width=columns)
        assert result.exit_code == 0, result.output
        for line in result.output.splitlines():
            assert _width(line) <= columns, (command, line)


def test_wrapping_keeps_every_word_and_breaks_chinese_between_characters():
    from fiscal_sim.cli.helpzh import CLOSING_MARKS, wrap

    result = CliRunner().invoke(cli, ["stress", "--help"], terminal_width=60)
    options = result.output.split("Options:")[1].split("示例")[0]
    entry = options.split("  --test")[0]  # the --set option: Chinese, then English
    words = " ".join(line.strip() for line in entry.splitlines())
    assert "修改一个参数" in words and "Override one parameter" in words
    starts = [line.strip()[0] for line in options.splitlines() if line.strip()]
    assert not set(starts) & set(CLOSING_MARKS)
    # by hand: a Chinese character takes two columns; a mark stays with its neighbour
    assert wrap("保工资、保基本民生。", 8) == ["保工资、", "保基本民", "生。"]
    assert wrap("保工资、保", 6) == ["保工", "资、保"]  # 、 would start a line: 资 comes down
    assert wrap("水平（月）", 6) == ["水平", "（月）"]  # （ would end a line: it goes down
    assert wrap("a [zh|en|fr]", 8) == ["a [zh|", "en|fr]"]  # choices break after a |
    assert wrap("people.staff=4800", 6, "  ") == ["  peop", "  le.s", "  taff", "  =480", "  0"]
