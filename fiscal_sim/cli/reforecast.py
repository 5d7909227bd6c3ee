"""The ``actuals`` command and the actuals workbook of ``template --actuals``: actual
execution in the layout of :mod:`fiscal_sim.actuals` (issue #16).

Registered in the main group by :mod:`fiscal_sim.cli`. Data goes to stdout (or ``-o``),
messages to stderr; pandas and openpyxl are imported inside the commands.
"""

from __future__ import annotations

import click

from fiscal_sim.cli.common import (
    InputError,
    command,
    example,
    inputs,
    lang_option,
    load,
    make_output_directory,
    scenario_argument,
    scenario_meta,
    set_option,
    use_lang,
)

ACTUALS_FORMATS = {"csv": ".csv", "xlsx": ".xlsx"}


def _target(output, loaded, fmt: str, prefix: str):
    from fiscal_sim import outputs

    make_output_directory(output)
    target = outputs.resolve_output(
        output, scenario_meta(loaded), fmt, inputs=inputs(loaded), prefix=prefix
    )
    if target.suffix.lower() != ACTUALS_FORMATS[fmt]:
        raise InputError(f"-o {output}: --format {fmt} writes a {ACTUALS_FORMATS[fmt]} file")
    return target


def write_actuals_template(loaded, year: int, output: str, lang: str) -> None:
    """``template --actuals YEAR``: the empty actuals workbook of ``year``, for ``loaded``."""
    from fiscal_sim.actuals.files import write_workbook
    from fiscal_sim.writing import write_atomic

    if year not in loaded.years:
        years = loaded.years
        raise InputError(
            f"--actuals {year}: not a projection year of {loaded.name} ({years[0]}–{years[-1]})"
        )
    target = _target(output, loaded, "xlsx", f"actuals-{year}_")
    write_atomic(target, lambda path: write_workbook(path, year, loaded, lang=lang))
    click.echo(f"wrote {target} (actuals of {year}: fill the closed months)", err=True)


@command(
    epilog=example(
        "fiscal-sim actuals --through 2020-06",
        "fiscal-sim actuals --through 2020-06 -o plan-2020-06.xlsx",
    )
)
@scenario_argument
@set_option
@click.option(
    "--through",
    metavar="YYYY-MM",
    required=True,
    help="The last month: the months of its year from January to it.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(ACTUALS_FORMATS)),
    default=None,
    help="csv or xlsx; default: from -o's suffix, else csv.",
)
@click.option(
    "-o",
    "--output",
    metavar="PATH",
    default=None,
    help="The file, or a directory to write it into under a name that records the scenario, "
    "its hash and the version. Default: CSV on stdout.",
)
@lang_option
def actuals(scenario, overrides, through, fmt, output) -> None:
    """The months SCENARIO expects, in the layout of the actuals workbook.

    One row per month of the budget year through --through: receipts by line, payments by
    tier, opening and closing treasury cash, advances, arrears paid and headcount, in 万元
    (headcount in persons). What the treasury's figures are compared against, and an
    actuals file as `fiscal-sim reforecast --actuals` reads it. SCENARIO defaults to
    plan-followed.
    """
    from pathlib import Path

    import fiscal_sim
    from fiscal_sim.actuals.files import write_csv, write_workbook
    from fiscal_sim.actuals.plan import parse_month
    from fiscal_sim.writing import write_atomic

    lang = use_lang()
    try:
        year, _ = parse_month(through)
    except ValueError as error:
        raise InputError(f"--through {through}: {error}") from None
    loaded = load(scenario, overrides)
    if year not in loaded.years:
        raise InputError(f"--through {through}: outside the projection years of {loaded.name}")
    suffix = Path(output or "").suffix.lower()
    fmt = fmt or {v: k for k, v in ACTUALS_FORMATS.items()}.get(suffix) or "csv"
    frame = fiscal_sim.project(loaded).actuals(through=through)
    if output is None:
        if fmt != "csv":
            raise InputError(f"--format {fmt} writes a file: add -o PATH")
        import sys

        write_csv(sys.stdout, frame)
        return
    target = _target(output, loaded, fmt, f"actuals-{through}_")
    if fmt == "xlsx":
        write_atomic(target, lambda path: write_workbook(path, year, loaded, frame, lang))
    else:
        write_atomic(target, lambda path: write_csv(path, frame))
    click.echo(f"wrote {target}", err=True)


COMMANDS = (actuals,)
