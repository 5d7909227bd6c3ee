"""The command list of `fiscal-sim --help` reads whole: one untruncated line per command."""

import re

import pytest
from click.testing import CliRunner

from fiscal_sim.cli import SHORT_HELP, cli


def test_every_command_has_a_whole_line_in_the_overview():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    listing = result.output.split("Commands:")[1].split("Exit codes:")[0]
    assert "..." not in listing
    assert set(SHORT_HELP) == set(cli.commands)
    for name, line in SHORT_HELP.items():
        assert f"{name}" in listing and line in listing


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


def test_chinese_lines_fit_a_terminal():
    from fiscal_sim.cli.helpzh import WIDTH, _width

    for command in ["", *sorted(cli.commands)]:
        description = _help(*((command,) if command else ())).split("\n\n", 2)[1]
        for line in description.splitlines():
            assert _width(line) <= WIDTH + 6, line  # click's indent, a closing mark
