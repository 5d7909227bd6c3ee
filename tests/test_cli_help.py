"""The command list of `fiscal-sim --help` reads whole: one untruncated line per command."""

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
