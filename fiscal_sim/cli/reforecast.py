"""The ``actuals`` command and the actuals workbook of ``template --actuals``: actual
execution in the layout of :mod:`fiscal_sim.actuals` (issue #16).

Registered in the main group by :mod:`fiscal_sim.cli`. Data goes to stdout (or ``-o``),
messages to stderr; pandas and openpyxl are imported inside the commands.
"""

from __future__ import annotations

import click

from fiscal_sim.cli.checks import (
    format_needs_output,
    outside_years,
    parse_month_option,
    seed_needs_draws,
    whole_number_error,
    writes_suffix,
)
from fiscal_sim.cli.common import (
    command,
    example,
    inputs,
    lang_option,
    load,
    make_output_directory,
    say_seed,
    say_written,
    scenario_argument,
    scenario_meta,
    set_option,
    use_lang,
)
from fiscal_sim.cli.errors import InputError
from fiscal_sim.errors import Bilingual, in_lang

ACTUALS_FORMATS = {"csv": ".csv", "xlsx": ".xlsx", "html": ".html"}
ACTUALS_REPORT_FORMATS = ("html", "xlsx")


def _target(output, loaded, fmt: str, prefix: str):
    from fiscal_sim import outputs

    make_output_directory(output)
    target = outputs.resolve_output(
        output, scenario_meta(loaded), fmt, inputs=inputs(loaded), prefix=prefix
    )
    if target.suffix.lower() != ACTUALS_FORMATS[fmt]:
        raise InputError(writes_suffix(f"-o {output}", fmt, ACTUALS_FORMATS[fmt]))
    return target


def write_actuals_template(loaded, year: int, output: str, lang: str) -> None:
    """``template --actuals YEAR``: the empty actuals workbook of ``year``, for ``loaded``."""
    from fiscal_sim.actuals.files import write_workbook
    from fiscal_sim.writing import write_atomic

    if year not in loaded.years:
        years = loaded.years
        raise InputError(
            Bilingual(
                "--actuals {year}：不是 {name} 的预测年度（{first}–{last}）",
                "--actuals {year}: not a projection year of {name} ({first}–{last})",
                year=year,
                name=loaded.name,
                first=years[0],
                last=years[-1],
            )
        )
    target = _target(output, loaded, "xlsx", f"actuals-{year}_")
    write_atomic(target, lambda path: write_workbook(path, year, loaded, lang=lang))
    say_written(
        target,
        (f"{year} 年执行数：请填写已结账的月份", f"actuals of {year}: fill the closed months"),
    )


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
    type=click.Choice(["csv", "xlsx"]),
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
    from fiscal_sim.writing import write_atomic

    lang = use_lang()
    year, _ = parse_month_option("--through", through)
    loaded = load(scenario, overrides)
    if year not in loaded.years:
        raise InputError(outside_years("--through", through, loaded))
    suffix = Path(output or "").suffix.lower()
    fmt = fmt or {v: k for k, v in ACTUALS_FORMATS.items()}.get(suffix) or "csv"
    frame = fiscal_sim.project(loaded).actuals(through=through)
    if output is None:
        if fmt != "csv":
            raise InputError(format_needs_output(fmt))
        import sys

        write_csv(sys.stdout, frame)
        return
    target = _target(output, loaded, fmt, f"actuals-{through}_")
    if fmt == "xlsx":
        write_atomic(target, lambda path: write_workbook(path, year, loaded, frame, lang))
    else:
        write_atomic(target, lambda path: write_csv(path, frame))
    say_written(target)


REFORECAST_DRAWS = (100, 1_000_000)


def _draws(ctx, param, value):
    if value is None:
        return None
    low, high = REFORECAST_DRAWS
    if not (value.isdigit() and low <= int(value) <= high):
        raise InputError(whole_number_error("--draws", value, low, high))
    return int(value)


def _seed(ctx, param, value):
    if value is None:
        return None
    if not value.isdigit():
        raise InputError(
            Bilingual(
                "--seed {value}：应为不小于 0 的整数",
                "--seed {value}: expected a whole number ≥ 0",
                value=value,
            )
        )
    return int(value)


@command(
    epilog=example(
        "fiscal-sim reforecast --actuals plan-2020-06.xlsx",
        "fiscal-sim reforecast --actuals plan-2020-06.xlsx --draws 200 --seed 1 --lang en",
        "fiscal-sim reforecast --actuals plan-2020-06.xlsx -o review-2020-06.xlsx",
    )
)
@scenario_argument
@set_option
@click.option(
    "--actuals",
    "actuals_file",
    metavar="FILE",
    required=True,
    help="The actuals workbook (.xlsx, from fiscal-sim template --actuals YEAR) or CSV.",
)
@click.option(
    "--draws",
    metavar="N",
    default=None,
    callback=_draws,
    help="Add the uncertainty of the remaining months: N Monte Carlo draws "
    f"({REFORECAST_DRAWS[0]:,} to {REFORECAST_DRAWS[1]:,}), shocks from the month after "
    "the last closed one.",
)
@click.option(
    "--seed", metavar="SEED", default=None, callback=_seed, help="Random seed of --draws."
)
@click.option(
    "-o",
    "--output",
    metavar="PATH",
    default=None,
    help="Write the review as an Excel workbook (.xlsx) instead of printing it.",
)
@lang_option
def reforecast(scenario, overrides, actuals_file, draws, seed, output) -> None:
    """Re-forecast SCENARIO from the treasury's actual months (--actuals FILE).

    The projection restarts from the end of the last closed month: the closed months are
    the treasury's, the remaining months and the later years the model's. Prints the year's
    outturn estimate against the plan by line, execution progress (支出进度) against the time
    elapsed, the months ahead with low cash or payroll at risk, and the rules breached or
    at risk for the year; with --draws, the uncertainty of the remaining months only.
    SCENARIO defaults to plan-followed.
    """
    import fiscal_sim
    from fiscal_sim.actuals.reader import read_actuals
    from fiscal_sim.report.reforecast import review_text, review_workbook

    if seed is not None and draws is None:
        raise InputError(seed_needs_draws(seed))
    lang = use_lang()
    loaded = load(scenario, overrides)
    target = _target(output, loaded, "xlsx", "reforecast_") if output is not None else None
    actuals = read_actuals(actuals_file)
    _warn(actuals.warnings, lang)
    result = fiscal_sim.reforecast(loaded, actuals, draws=draws, seed=seed)
    _warn(result.cuts_not_absorbed(lang)["message"], lang)
    if draws is not None and seed is None:
        say_seed(result.ensemble.meta["seed"])
    if target is None:
        head = (
            f"# scenario: {loaded.name} {loaded.hash}\n# actuals: {actuals.file} "
            f"(as of {actuals.as_of_text})\n"
        )
        click.echo(head + review_text(result, lang), nl=False)
        return
    from fiscal_sim.cells import save_workbook
    from fiscal_sim.writing import write_atomic

    workbook = review_workbook(result, lang)
    write_atomic(target, lambda path: save_workbook(workbook, path))
    say_written(target)


WARNING_PREFIX = {"zh": "警告：", "en": "warning: "}


def _warn(messages, lang: str) -> None:
    """Each warning on its own stderr line, marked and worded in ``lang``."""
    for message in messages:
        click.echo(WARNING_PREFIX[lang] + in_lang(message, lang), err=True)


def write_month_on_actuals(loaded, month, actuals_file, fmt, output, lang) -> None:
    """``report --month M --actuals FILE``: the monthly report on the treasury's months."""
    import fiscal_sim
    from fiscal_sim.actuals.reader import read_actuals
    from fiscal_sim.report.month_actuals import month_actuals_html, month_actuals_workbook
    from fiscal_sim.writing import write_atomic

    if month is None:
        raise InputError(
            Bilingual(
                "--actuals：请用 --month YYYY-MM 指定要报告的月份",
                "--actuals: give the month to report, --month YYYY-MM",
            )
        )
    if fmt not in ACTUALS_REPORT_FORMATS:
        raise InputError(
            Bilingual(
                "--format {fmt}：执行数报告只能是 html 或 xlsx",
                "--format {fmt}: the report on actuals is html or xlsx",
                fmt=fmt,
            )
        )
    year, number = parse_month_option("--month", month)
    actuals = read_actuals(actuals_file)
    _warn(actuals.warnings, lang)
    if year != actuals.year or number > actuals.as_of:
        raise InputError(
            Bilingual(
                "--month {month}：不是 {file} 中已结账的月份（1 月至 {as_of}）",
                "--month {month}: not a closed month of {file} (January to {as_of})",
                month=month,
                file=actuals_file,
                as_of=actuals.as_of_text,
            )
        )
    target = _target(output or ".", loaded, fmt, f"month-{month}-actuals_{lang}_")
    result = fiscal_sim.reforecast(loaded, actuals)
    if fmt == "html":
        page = month_actuals_html(result, number, lang)
        write_atomic(target, lambda path: path.write_text(page, "utf-8"))
    else:
        from fiscal_sim.cells import save_workbook

        workbook = month_actuals_workbook(result, number, lang)
        write_atomic(target, lambda path: save_workbook(workbook, path))
    say_written(target)


COMMANDS = (actuals, reforecast)
