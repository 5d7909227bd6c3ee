"""The ``chart`` and ``report`` commands: charts, the HTML/Excel report and the monthly table.

Registered in the main group by ``fiscal_sim.cli`` (``for command in COMMANDS:
cli.add_command(command)``). Messages go to stderr; the monthly table goes to stdout when no
``-o`` is given. matplotlib, numpy and pandas are imported inside the commands, so
``fiscal-sim --help`` stays quick. Exit codes: 0 ok, 1 error, 2 bad usage or input.
"""

from __future__ import annotations

from pathlib import Path

import click

from fiscal_sim.errors import FiscalSimError

EXIT_INVALID = 2
_LANG_META = "fiscal_sim.lang"  # where the main group's --lang is remembered
# fiscal_sim.plots.CHART_NAMES, spelled out so that --help does not import matplotlib.
CHART_NAMES = ("resources", "waterfall", "advances", "cash", "revenue", "debt", "compare")
CHART_FORMATS = ("png", "svg", "pdf")


class BadInput(click.ClickException):
    """Invalid input: one line on stderr, exit code 2."""

    exit_code = EXIT_INVALID


def _example(*lines: str) -> str:
    return "\b\nExamples:\n" + "\n".join(f"  $ {line}" for line in lines)


lang_option = click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="Language of titles, labels and headers: zh (中文) or en. Default: the group's --lang.",
)
set_option = click.option(
    "--set",
    "overrides",
    metavar="KEY=VALUE",
    multiple=True,
    help="Override one parameter, e.g. --set rules.cash_alarm_level=0.25 (repeatable).",
)


def _lang(chosen: str | None) -> str:
    """``--lang`` of the command, else of the group, else fiscal_sim.labels' language."""
    from fiscal_sim import labels

    lang = chosen or click.get_current_context().meta.get(_LANG_META)
    if lang:
        labels.set_lang(lang)
    return labels.get_lang()


def _project(spec: str | None, overrides):
    import fiscal_sim

    for override in overrides:
        key, equals, _ = override.partition("=")
        if not equals or not key.strip():
            raise BadInput(f"--set {override}: expected KEY=VALUE")
    try:
        scenario = fiscal_sim.load_scenario(spec, overrides=tuple(overrides))
    except (FileNotFoundError, IsADirectoryError, PermissionError) as error:
        raise BadInput(f"{spec}: {error.strerror or error}") from None
    except FiscalSimError as error:
        raise BadInput(" ".join(str(error).split())) from None
    return fiscal_sim.project(scenario)


def _save(ax, path: Path) -> None:
    from fiscal_sim import plots

    try:
        plots.save_figure(ax.figure, path)
    finally:
        plots.close(ax)
    click.echo(f"wrote {path}", err=True)


@click.command(
    "chart",
    epilog=_example(
        "fiscal-sim chart advances -o advances.png --lang zh",
        "fiscal-sim chart waterfall --year 2020 -o waterfall.svg",
        "fiscal-sim chart compare default my-county.yaml --indicator advance_ratio -o cmp.pdf",
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
    help="FILE.png|svg|pdf, or with --all a directory (created if missing).",
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
def chart(name, scenarios, output, all_charts, fmt, year, indicator, overrides, lang) -> None:
    """Draw a budget chart of a scenario (default: the bundled county) to a file.

    NAME is one of: resources (resources vs uses, 三保 need), waterfall (one year tier by
    tier), advances (by vintage, 5 % cap, digestion plan), cash (库款保障水平 by month),
    revenue (composition, self-sufficiency), debt (debt ratio, warning lines), compare (one
    --indicator across several SCENARIOs).
    """
    from fiscal_sim import plots

    lang = _lang(lang)
    if all_charts:
        if name is not None and name != "compare":
            scenarios = (name, *scenarios)  # `chart --all SCENARIO`: click read it as NAME
        elif name == "compare":
            raise BadInput("--all draws the charts of one scenario; compare is drawn alone")
        if len(scenarios) > 1:
            raise BadInput("--all takes at most one SCENARIO")
        folder = Path(output)
        if folder.suffix.lower().lstrip(".") in CHART_FORMATS:
            raise BadInput(f"-o {output}: with --all, -o names a directory")
        folder.mkdir(parents=True, exist_ok=True)
        projection = _project(scenarios[0] if scenarios else None, overrides)
        for chart_name in plots.CHARTS:
            options = {"year": year} if chart_name in ("waterfall", "cash") else {}
            ax = _draw(plots.chart, chart_name, projection, lang=lang, **options)
            _save(ax, folder / f"{chart_name}.{fmt}")
        return
    if name not in CHART_NAMES:
        given = f"unknown chart {name!r}: " if name else ""
        raise BadInput(f"{given}name a chart (" + ", ".join(CHART_NAMES) + ") or use --all")
    path = Path(output)
    if path.suffix.lower().lstrip(".") not in CHART_FORMATS:
        raise BadInput(f"-o {output}: a chart file ends in .png, .svg or .pdf")
    if name == "compare":
        projections = {}
        for spec in scenarios or (None,):
            projection = _project(spec, overrides)
            projections[_unique(plots._scenario_title(projection, lang), projections)] = projection
        ax = _draw(plots.compare, projections, indicator, lang=lang)
    else:
        if len(scenarios) > 1:
            raise BadInput(f"{name} draws one scenario; use `chart compare A B` for several")
        projection = _project(scenarios[0] if scenarios else None, overrides)
        options = {"year": year} if name in ("waterfall", "cash") else {}
        ax = _draw(plots.chart, name, projection, lang=lang, **options)
    _save(ax, path)


def _draw(function, *args, **options):
    """Call a chart function; a bad year or indicator is bad input (exit code 2)."""
    try:
        return function(*args, **options)
    except (ValueError, KeyError) as error:
        raise BadInput(" ".join(str(error).strip("'\"").split())) from None


def _unique(name: str, taken) -> str:
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name} ({number})", number + 1
    return candidate


COMMANDS = (chart,)
