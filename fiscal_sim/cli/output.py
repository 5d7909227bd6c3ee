"""The ``chart`` and ``report`` commands: charts, the HTML/Excel report and the monthly table.

Registered in the main group by :mod:`fiscal_sim.cli`. Messages go to stderr; the monthly
table goes to stdout when no ``-o`` is given. matplotlib, numpy and pandas are imported inside
the commands, so ``fiscal-sim --help`` stays quick. Exit codes: 0 ok, 1 error, 2 bad usage or
input.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import click

from fiscal_sim.cli.checks import (
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
    progress,
    refuse_unknown_suffix,
    say_seed,
    say_written,
    scenario_argument,
    scenario_meta,
    set_option,
    unique_names,
    use_lang,
)
from fiscal_sim.cli.errors import InputError
from fiscal_sim.errors import Bilingual, did_you_mean, year_outside_horizon

# fiscal_sim.plots.CHART_NAMES, spelled out so that --help does not import matplotlib.
CHART_NAMES = ("resources", "waterfall", "advances", "cash", "revenue", "debt", "compare")
CHART_FORMATS = ("png", "svg", "pdf")


def _save(ax, path: Path) -> None:
    from fiscal_sim import plots

    try:
        plots.save_figure(ax.figure, path)
    finally:
        plots.close(ax)
    say_written(path)


@command(
    "chart",
    epilog=example(
        "fiscal-sim chart advances -o advances.png --lang zh",
        "fiscal-sim chart waterfall --year 2020 -o waterfall.svg",
        "fiscal-sim chart compare default austerity --indicator advance_ratio -o cmp.pdf",
        "fiscal-sim chart --all -o charts/ --format svg",
    ),
)
@click.argument("name", required=False, metavar="NAME")
@click.argument("scenarios", nargs=-1, metavar="[SCENARIO]...")
@click.option(
    "-o",
    "--output",
    metavar="PATH",
    required=True,
    help="FILE.png|svg|pdf, or with --all an existing directory.",
)
@click.option("--all", "all_charts", is_flag=True, help="Draw every chart of one scenario.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(CHART_FORMATS),
    default="png",
    show_default=True,
    help="File format of the charts written by --all.",
)
@click.option(
    "--year",
    type=int,
    default=None,
    help="The year of the waterfall (default: the worst) or of the cash chart.",
)
@click.option(
    "--indicator",
    default="advance_ratio",
    show_default=True,
    help="The indicator the compare chart shows.",
)
@set_option
@lang_option
def chart(name, scenarios, output, all_charts, fmt, year, indicator, overrides) -> None:
    """Draw a budget chart of a scenario (default: plan-followed) to a file.

    NAME is one of: resources (resources vs uses, 三保 need), waterfall (one year tier by
    tier), advances (by vintage, 5 % cap, digestion plan), cash (库款保障水平 by month),
    revenue (composition, self-sufficiency), debt (debt ratio, warning lines), compare (one
    --indicator across several SCENARIOs).
    """
    import fiscal_sim
    from fiscal_sim import outputs, plots

    lang = use_lang()
    if all_charts:
        if name is not None and name != "compare":
            scenarios = (name, *scenarios)  # `chart --all SCENARIO`: click read it as NAME
        elif name == "compare":
            raise InputError(
                Bilingual(
                    "--all 画一个情景的全部图表；compare 图要单独画",
                    "--all draws the charts of one scenario; compare is drawn alone",
                )
            )
        if len(scenarios) > 1:
            raise InputError(
                Bilingual("--all 最多接受一个情景（SCENARIO）", "--all takes at most one SCENARIO")
            )
        if Path(output).suffix.lower().lstrip(".") in CHART_FORMATS:
            raise InputError(
                Bilingual(
                    "-o {output}：用 --all 时，-o 应为文件夹",
                    "-o {output}: with --all, -o names a directory",
                    output=output,
                )
            )
        make_output_directory(output if output.endswith("/") else output + "/")
        folder = outputs.check_directory(output)
        loaded = load(scenarios[0] if scenarios else None, overrides)
        _check_year(loaded, year)
        paths = {
            chart_name: outputs.check_file(folder / f"{chart_name}.{fmt}", inputs(loaded))
            for chart_name in plots.CHARTS
        }
        projection = fiscal_sim.project(loaded)
        for chart_name, path in paths.items():
            options = {"year": year} if chart_name in ("waterfall", "cash") else {}
            ax = _draw(plots.chart, chart_name, projection, lang=lang, **options)
            _save(ax, path)
        return
    if name not in CHART_NAMES:
        given = Bilingual("未知图表 {name!r}：", "unknown chart {name!r}: ", name=name)
        raise InputError(
            (given if name else "")
            + Bilingual(
                "请指定图表（{names}）或用 --all",
                "name a chart ({names}) or use --all",
                names=", ".join(CHART_NAMES),
            )
        )
    if Path(output).suffix.lower().lstrip(".") not in CHART_FORMATS:
        raise InputError(
            Bilingual(
                "-o {output}：图表文件应以 .png、.svg 或 .pdf 结尾",
                "-o {output}: a chart file ends in .png, .svg or .pdf",
                output=output,
            )
        )
    if name != "compare" and len(scenarios) > 1:
        raise InputError(
            Bilingual(
                "{name} 图只画一个情景；多个情景请用 `chart compare A B`",
                "{name} draws one scenario; use `chart compare A B` for several",
                name=name,
            )
        )
    loaded = [load(spec, overrides) for spec in scenarios or (None,)]
    if name in ("waterfall", "cash"):
        _check_year(loaded[0], year)
    make_output_directory(output)
    path = outputs.check_file(output, inputs(*loaded))
    if name == "compare":
        drawn = [fiscal_sim.project(scenario) for scenario in loaded]
        _check_indicator(drawn[0], indicator)
        titles = [plots._scenario_title(projection, lang) for projection in drawn]
        projections = dict(zip(unique_names(titles, mark=" ({})"), drawn, strict=True))
        ax = _draw(plots.compare, projections, indicator, lang=lang)
    else:
        projection = fiscal_sim.project(loaded[0])
        options = {"year": year} if name in ("waterfall", "cash") else {}
        ax = _draw(plots.chart, name, projection, lang=lang, **options)
    _save(ax, path)


def _check_year(scenario, year: int | None) -> None:
    """``--year`` must be a projection year of ``scenario`` (before anything is drawn)."""
    years = [int(each) for each in scenario.years]
    if year is not None and year not in years:
        where = Bilingual("{option}：", "{option}: ", option="--year")
        raise InputError(where + year_outside_horizon(year, years))


def _check_indicator(projection, indicator: str) -> None:
    """``--indicator`` must name an indicator the compare chart can draw."""
    known = [*projection.annual, *projection.indicators().columns]
    if indicator not in known:
        raise InputError(
            Bilingual(
                "--indicator {indicator}：未知指标{hint}；`fiscal-sim explain` 列出全部指标",
                "--indicator {indicator}: unknown indicator{hint}; `fiscal-sim explain` lists them",
                indicator=indicator,
                hint=did_you_mean(indicator, known),
            )
        )


def _draw(function, *args, **options):
    """Call a chart function; a bad option it still finds is bad input (exit code 2)."""
    try:
        return function(*args, **options)
    except (ValueError, KeyError) as error:
        detail = " ".join(str(error).strip("'\"").split())
        raise InputError(Bilingual("无法绘制图表（{detail}）", "{detail}", detail=detail)) from None


REPORT_SUFFIXES = {"html": ".html", "xlsx": ".xlsx", "csv": ".csv", "txt": ".txt"}
REPORT_DRAWS = (100, 1_000_000)  # enough for a probability to 0.1, and minutes, not hours


def _whole_number(option: str, low: int, high: int | None = None):
    """A callback that reads a whole number in [low, high]; anything else: one line, exit 2."""

    def parse(ctx: click.Context, param: click.Parameter, value: str | None):
        if value is None:
            return None
        try:
            number = int(value)
        except ValueError:
            number = None
        if number is None or number < low or (high is not None and number > high):
            raise InputError(whole_number_error(option, value, low, high))
        return number

    return parse


@command(
    epilog=example(
        "fiscal-sim report -o output/",
        "fiscal-sim report --month 2020-06",
        "fiscal-sim report --month 2020-06 --format xlsx -o output/",
        "fiscal-sim report -o r.html --draws 500 --seed 1",
        "fiscal-sim report --month 2020-06 --format txt --lang en",
        "fiscal-sim report --month 2020-06 --actuals plan-2020-06.xlsx -o output/",
    )
)
@scenario_argument
@set_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(REPORT_SUFFIXES)),
    default=None,
    help="html or xlsx (csv and txt for --month too); default: from -o's suffix, else html.",
)
@click.option(
    "--month",
    metavar="YYYY-MM",
    default=None,
    help="Only the monthly basic-operations table of this month (OPS.4.4.1).",
)
@click.option(
    "--actuals",
    "actuals_file",
    metavar="FILE",
    default=None,
    help="With --month: the table on the treasury's actual months (an actuals workbook or "
    "CSV), in the monitoring platform's layout, and the re-forecast of the year end.",
)
@click.option(
    "-o",
    "--output",
    metavar="PATH",
    default=None,
    help="The report file, or a directory to write it into under a name that records the "
    "scenario, its hash and the version. Default: the current directory; with --month, "
    "the table on stdout.",
)
@click.option(
    "--draws",
    metavar="N",
    default=None,
    callback=_whole_number("--draws", *REPORT_DRAWS),
    help="Add an uncertainty section from N Monte Carlo draws "
    f"({REPORT_DRAWS[0]:,} to {REPORT_DRAWS[1]:,}): breach probabilities by rule and year, "
    "the heat map and fan charts (Excel: breach-probability and quantile sheets).",
)
@click.option(
    "--seed",
    metavar="SEED",
    default=None,
    callback=_whole_number("--seed", 0),
    help="Random seed of --draws (≥ 0); without it fresh entropy is used and recorded.",
)
@click.option(
    "--what-it-would-take",
    "what_it_would_take",
    is_flag=True,
    help="Add the goal-seek section: for each lever, the least it must do year by year so "
    "that every rule holds, and the rule that binds (a few seconds).",
)
@lang_option
def report(
    scenario, overrides, fmt, month, actuals_file, output, draws, seed, what_it_would_take
) -> None:
    """Write the report of SCENARIO: indicators, the 三保 waterfall, findings and charts.

    A self-contained HTML page or an Excel workbook; with --month, the monthly table a
    county sends upward (OPS.4.4.1). With --draws, a Monte Carlo run adds the probability
    that each rule breaks; shocks come from the scenario's `shocks:` section, else the
    defaults (assumptions). SCENARIO defaults to the bundled scenario plan-followed.
    """
    from pathlib import Path

    from fiscal_sim import outputs
    from fiscal_sim import report as reports

    to_stdout = output is None and month is not None and fmt in (None, "txt")
    refuse_unknown_suffix(output, fmt, set(REPORT_SUFFIXES.values()))
    suffix = Path(output or ".").suffix.lower()
    fmt = fmt or {value: key for key, value in REPORT_SUFFIXES.items()}.get(suffix) or "html"
    allowed = reports.MONTH_FORMATS if month else reports.REPORT_FORMATS
    if fmt not in allowed:
        kind = (
            Bilingual("月度表", "the monthly table")
            if month
            else Bilingual("报告（不带 --month）", "a report (without --month)")
        )
        raise InputError(
            Bilingual(
                "--format {fmt}：{kind}只能是 {allowed}",
                "--format {fmt}: {kind} is one of {allowed}",
                fmt=fmt,
                kind=kind,
                allowed=", ".join(allowed),
            )
        )
    if seed is not None and draws is None:
        raise InputError(seed_needs_draws(seed))
    if month is not None and draws is not None:
        raise InputError(
            Bilingual(
                "--draws：月度表（--month）没有不确定性部分",
                "--draws: the monthly table (--month) has no uncertainty section",
            )
        )
    if month is not None and what_it_would_take:
        raise InputError(
            Bilingual(
                "--what-it-would-take：月度表（--month）没有目标求解部分",
                "--what-it-would-take: the monthly table (--month) has no goal-seek section",
            )
        )
    if month is not None:
        month_year = parse_month_option("--month", month)[0]
    lang = use_lang()
    loaded = load(scenario, overrides)
    if month is not None and month_year not in loaded.years:
        raise InputError(outside_years("--month", month, loaded))
    if actuals_file is not None:
        from fiscal_sim.cli.reforecast import write_month_on_actuals

        return write_month_on_actuals(loaded, month, actuals_file, fmt, output, lang)
    if to_stdout:
        import fiscal_sim

        table = reports.month_table(fiscal_sim.project(loaded), month, lang=lang)
        click.echo(_month_header(loaded) + reports.month_text(table, lang), nl=False)
        return
    meta = scenario_meta(loaded)
    kind = "table" if fmt == "txt" else fmt  # outputs names .txt files after the table format
    # The language and the Monte Carlo draws are in the name: two reports never collide.
    prefix = f"month-{month}_{lang}_" if month else f"report_{lang}_"
    if draws is not None:
        prefix += f"{draws}draws_"
    make_output_directory(output)
    target = outputs.resolve_output(output, meta, kind, inputs=inputs(loaded), prefix=prefix)
    if target.suffix.lower() != REPORT_SUFFIXES[fmt]:
        raise InputError(writes_suffix(target, fmt, REPORT_SUFFIXES[fmt]))

    import fiscal_sim

    projection = fiscal_sim.project(loaded)
    page = fmt == "html" and not month
    with contextlib.ExitStack() as children:
        # The page's charts are drawn in child processes meanwhile (fiscal_sim.report.charts):
        # those of the projection by a child forked with matplotlib loaded but not pandas,
        # which this process loads while the child draws; those of the Monte Carlo run by a
        # second, forked when the run is done.
        if page:
            from fiscal_sim import plots  # noqa: F401 - matplotlib, for the children
        ahead = [children.enter_context(reports.charts_ahead(projection, lang))] if page else []
        from fiscal_sim.report import html  # noqa: F401 - pandas, for the second child too

        ensemble = None
        if draws is not None:
            with progress(draws, f"simulating {loaded.name}", eta=True) as bar:
                ensemble = fiscal_sim.simulate(loaded, draws=draws, seed=seed, progress=bar.update)
            if seed is None:
                say_seed(ensemble.meta["seed"])
            if page:
                ahead.append(children.enter_context(reports.ensemble_charts_ahead(ensemble, lang)))
        goal_seek = None
        if what_it_would_take:
            from fiscal_sim.goalseek.summary import what_it_would_take as seek_every_lever

            with progress(1, f"goal-seek on {loaded.name}") as bar:
                goal_seek = seek_every_lever(loaded)
                bar.update(1)
        with progress(2, f"reporting {loaded.name}") as bar:
            findings = None if month else fiscal_sim.check(projection)
            bar.update(1)
            reports.write_report(
                target,
                projection,
                findings,
                lang=lang,
                month=month,
                ensemble=ensemble,
                what_it_would_take=goal_seek,
                ahead=ahead,
            )
            bar.update(1)
    say_written(target)


def _month_header(scenario) -> str:
    """The lines that record where a monthly table on stdout came from."""
    from fiscal_sim.outputs import meta_lines

    return "".join(f"# {line}\n" for line in meta_lines(scenario_meta(scenario)))


COMMANDS = (chart, report)
