"""The ``fiscal-sim`` command line: a thin click shell over the library.

Each command parses its arguments, calls one library function and renders the result. Data
goes to stdout (or to a file with ``-o``), messages to stderr. Heavy libraries (pandas,
numpy, scipy, matplotlib) are imported inside the commands, so ``fiscal-sim --help`` is quick.

The commands live by topic: :mod:`~fiscal_sim.cli.project` (run, compare, scenarios, params,
explain), :mod:`~fiscal_sim.cli.rules` (check, assess), :mod:`~fiscal_sim.cli.output` (chart,
report), :mod:`~fiscal_sim.cli.uncertainty` (simulate, stress, reverse-stress),
:mod:`~fiscal_sim.cli.solve` (goal-seek, sensitivity), :mod:`~fiscal_sim.cli.workbook`
(template, convert), :mod:`~fiscal_sim.cli.app` (the workbench in the browser) and
:mod:`~fiscal_sim.cli.batch` (batch, synth: many counties);
what they share is in :mod:`~fiscal_sim.cli.common`, how they fail (exit codes, errors in
both languages) in :mod:`~fiscal_sim.cli.errors`, the Chinese of their help (shown first,
the English after it) in :mod:`~fiscal_sim.cli.helpzh`.

Exit codes: 0 ok, 1 error, 2 usage or invalid input, 3 rules breached (``check``), 4 some
counties failed (``batch``).
"""

from __future__ import annotations

from collections.abc import Sequence

import click

from fiscal_sim._version import __version__
from fiscal_sim.cli import (
    app,
    batch,
    output,
    project,
    reforecast,
    rules,
    solve,
    uncertainty,
    workbook,
)
from fiscal_sim.cli.common import (
    EXIT_CODES_HELP,
    FiscalSimGroup,
    example,
    lang_option,
    remember_debug,
)
from fiscal_sim.cli.helpzh import SHORT_HELP, bilingual


@click.group(
    cls=FiscalSimGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EXIT_CODES_HELP + "\n\n" + example("fiscal-sim run --years 2019:2023"),
)
@click.version_option(
    __version__, "-V", "--version", prog_name="fiscal-sim", message="%(prog)s %(version)s"
)
@lang_option
@click.option(
    "--debug",
    is_flag=True,
    envvar="FISCAL_SIM_DEBUG",
    help="Show the traceback of unexpected errors.",
)
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """County budget simulator for 保基层运转: the 三保 waterfall, treasury advances,
    monthly cash, debt and the plan's rules.

    Money is in 万元. Without a scenario, commands run plan-followed, the bundled scenario
    of the 2020 shock with every requirement of the plan met. Data goes to stdout (or
    -o PATH), messages to stderr.
    """
    remember_debug(ctx, debug)


for _module in (project, rules, output, uncertainty, solve, workbook, reforecast, app, batch):
    for _command in _module.COMMANDS:
        _command.short_help = SHORT_HELP[_command.name]
        bilingual(_command, _command.name)
        cli.add_command(_command)
bilingual(cli, "fiscal-sim")


# A command's process lives for seconds and makes most of its objects importing pandas and
# matplotlib, which leave no garbage cycles: with Python's thresholds (a pass every 700
# allocations more than frees) the garbage collector scanned them some 370 times in a
# report, 0.07-0.1 s of its 1.4 s; with a pass every 50,000, some 20 times.
GC_THRESHOLD = (50_000, 20, 20)


def main(argv: Sequence[str] | None = None) -> None:
    """The console script ``fiscal-sim`` (and ``python -m fiscal_sim``)."""
    import gc

    gc.set_threshold(*GC_THRESHOLD)
    cli.main(args=argv, prog_name="fiscal-sim")
