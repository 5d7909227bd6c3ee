"""The ``fiscal-sim`` command line: a thin click shell over the library.

Each command parses its arguments, calls one library function and renders the result. Data
goes to stdout (or to a file with ``-o``), messages to stderr. Heavy libraries (pandas,
numpy, scipy, matplotlib) are imported inside the commands, so ``fiscal-sim --help`` is quick.

Exit codes: 0 ok, 1 error, 2 usage or invalid input, 3 rules breached (``check``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence

import click

from fiscal_sim._version import __version__
from fiscal_sim.errors import FiscalSimError

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_INVALID = 2
EXIT_RULES_BREACHED = 3  # returned by `check` (rules helper) when any rule is breached

FORMATS = ("table", "csv", "json", "xlsx")  # fiscal_sim.outputs.FORMATS, without importing it
TEXT_FORMATS = ("table", "csv", "json")
_LANG = "fiscal_sim.lang"
_DEBUG = "fiscal_sim.debug"

# Names of the waterfall's measures; tiers and indicators are named by fiscal_sim.labels.
_MEASURES = {
    "need": {"zh": "需求", "en": "need"},
    "funded": {"zh": "安排", "en": "funded"},
    "shortfall": {"zh": "缺口", "en": "shortfall"},
}

EXIT_CODES_HELP = """\b
Exit codes:
  0  ok
  1  error (an unexpected failure; --debug shows the traceback)
  2  usage error or invalid input (a scenario, --set, --years or -o)
  3  rules breached (check) or policy not affordable (assess)"""


def _example(*lines: str) -> str:
    """An epilog that ends a command's help with its example, kept unwrapped."""
    return "\b\nExample:\n" + "\n".join(f"  $ {line}" for line in lines)


class InputError(click.ClickException):
    """Invalid input from the user: one line on stderr, exit code 2."""

    exit_code = EXIT_INVALID


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


class FiscalSimGroup(click.Group):
    """A click group that turns library errors into one-line messages and exit codes."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except FiscalSimError as error:
            raise InputError(_one_line(error)) from None
        except BrokenPipeError:
            # The reader went away (`fiscal-sim run | head`): stop quietly.
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - replaces a closed stream
            raise click.exceptions.Exit(EXIT_ERROR) from None
        except OSError as error:
            if ctx.meta.get(_DEBUG):
                raise
            where = f"{error.filename}: " if error.filename else ""
            raise click.ClickException(f"{where}{error.strerror or error}") from None
        except Exception as error:
            if ctx.meta.get(_DEBUG):
                raise
            raise click.ClickException(
                f"internal error ({type(error).__name__}: {_one_line(error)}); "
                "rerun with --debug for the traceback"
            ) from None


def _remember_lang(ctx: click.Context, param: click.Parameter, value: str | None):
    if value is not None:
        ctx.meta[_LANG] = value
    return value


def lang_option(function):
    """``--lang zh|en``: the language of labels and descriptions (group or command)."""
    return click.option(
        "--lang",
        type=click.Choice(["zh", "en"]),
        default=None,
        envvar="FISCAL_SIM_LANG",
        expose_value=False,
        callback=_remember_lang,
        help="Language of labels and text: zh (中文) or en. [env: FISCAL_SIM_LANG]",
    )(function)


def _use_lang() -> str:
    """Apply the chosen ``--lang`` to fiscal_sim.labels and return the language in use."""
    from fiscal_sim import labels

    ctx = click.get_current_context()
    lang = ctx.meta.get(_LANG)
    if lang and lang != labels.get_lang():
        previous = labels.get_lang()
        labels.set_lang(lang)
        ctx.call_on_close(lambda: labels.set_lang(previous))  # leave no global change behind
    return labels.get_lang()


def format_option(choices: Sequence[str] = FORMATS):
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=None,
        help="Output format; default: from the suffix of -o, else table.",
    )


output_option = click.option(
    "-o",
    "--output",
    metavar="PATH",
    default=None,
    help="Write to this file, or into this directory under a name that records the "
    "scenario, its hash and the version. Default: stdout.",
)

set_option = click.option(
    "--set",
    "overrides",
    metavar="KEY=VALUE",
    multiple=True,
    help="Override one parameter, e.g. --set people.staff=4800 (repeatable).",
)


def _parse_years(ctx: click.Context, param: click.Parameter, value: str | None):
    """``2019:2025``, ``2021``, ``2020:`` or ``:2022`` -> (first, last), None for open ends."""
    if value is None:
        return None
    first, colon, last = value.partition(":")
    try:
        start = int(first) if first.strip() else None
        end = int(last) if last.strip() else None
    except ValueError:
        raise InputError(f"--years {value}: expected FIRST:LAST, e.g. 2019:2025") from None
    if not colon:
        end = start
    if start is not None and end is not None and start > end:
        raise InputError(f"--years {value}: the first year {start} comes after the last {end}")
    return start, end


years_option = click.option(
    "--years",
    metavar="FIRST:LAST",
    callback=_parse_years,
    help="Show only these projection years, e.g. 2019:2023 or 2021.",
)


def _check_overrides(overrides: Iterable[str]) -> tuple[str, ...]:
    for override in overrides:
        key, equals, _ = override.partition("=")
        if not equals or not key.strip():
            raise InputError(f"--set {override}: expected KEY=VALUE, e.g. --set people.staff=4800")
    return tuple(overrides)


def _load(spec: str | None, overrides: Iterable[str] = ()):
    """The scenario named by ``spec`` (a bundled name or a YAML file), validated."""
    import fiscal_sim

    try:
        return fiscal_sim.load_scenario(spec, overrides=_check_overrides(overrides))
    except (FileNotFoundError, IsADirectoryError, PermissionError) as error:
        raise InputError(f"{spec}: {error.strerror or error}") from None


def _select_years(scenario, years: tuple[int | None, int | None] | None) -> list[int]:
    """The projection years ``--years`` asks for; InputError outside the horizon."""
    available = [int(year) for year in scenario.years]
    if years is None:
        return available
    start = available[0] if years[0] is None else years[0]
    end = available[-1] if years[1] is None else years[1]
    if start > end:
        raise InputError(f"--years {start}:{end}: the first year comes after the last")
    if start < available[0] or end > available[-1]:
        raise InputError(
            f"--years {start}:{end}: outside the projection years of {scenario.name}, "
            f"{available[0]}:{available[-1]}"
        )
    return [year for year in available if start <= year <= end]


def _choose_format(fmt: str | None, output: str | None) -> str:
    from fiscal_sim.outputs import format_from_path

    chosen = fmt or format_from_path(output) or "table"
    if chosen == "xlsx" and output is None:
        raise InputError("--format xlsx writes a file: add -o PATH")
    return chosen


def _inputs(*scenarios) -> list[str]:
    return [str(file) for scenario in scenarios for file in scenario.files]


def _emit(result, fmt: str, target, lang: str) -> None:
    """Write ``result`` to ``target`` (a resolved path) or print it on stdout."""
    from fiscal_sim import outputs

    if target is None:
        click.echo(outputs.render(result, fmt, lang), nl=False)
    else:
        outputs.write(result, fmt, target, lang)
        click.echo(f"wrote {target}", err=True)


def _progress(length: int, label: str):
    """A progress bar on stderr (click shows only the label when stderr is not a terminal)."""
    return click.progressbar(length=length, label=label, file=sys.stderr, show_eta=False)


def _scenario_meta(scenario) -> dict:
    return {
        "scenario": scenario.name,
        "title": dict(scenario.title),
        "hash": scenario.hash,
        "files": [str(file) for file in scenario.files],
        "fiscal_sim_version": __version__,
    }


@click.group(
    cls=FiscalSimGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EXIT_CODES_HELP + "\n\n" + _example("fiscal-sim run --years 2019:2023"),
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

    Money is in 万元. Without a scenario, commands use the bundled default county.
    Data goes to stdout (or -o PATH), messages to stderr.
    """
    ctx.meta[_DEBUG] = debug


@cli.command(epilog=_example("fiscal-sim run --set people.staff=4800 --format json"))
@click.argument("scenario", required=False)
@set_option
@years_option
@format_option()
@output_option
@lang_option
def run(scenario, overrides, years, fmt, output) -> None:
    """Project SCENARIO: the yearly indicators and the 三保 waterfall.

    SCENARIO is a bundled scenario name (see `fiscal-sim scenarios`) or a YAML file;
    without it, the bundled default county.
    """
    from fiscal_sim import outputs

    fmt = _choose_format(fmt, output)
    lang = _use_lang()
    loaded = _load(scenario, overrides)
    selected = _select_years(loaded, years)
    meta = _scenario_meta(loaded)
    target = None
    if output is not None:
        target = outputs.resolve_output(output, meta, fmt, inputs=_inputs(loaded))

    import fiscal_sim

    with _progress(2, f"projecting {loaded.name}") as bar:
        projection = fiscal_sim.project(loaded)
        bar.update(1)
        result = _projection_output(projection, selected, lang)
        _emit(result, fmt, target, lang)
        bar.update(1)


def _projection_output(projection, years: list[int], lang: str):
    """The indicators and the waterfall of one projection, for every output format."""
    from fiscal_sim import labels
    from fiscal_sim.outputs import Output

    indicators = projection.indicators().loc[years]
    waterfall = projection.waterfall()
    waterfall = waterfall[waterfall["year"].isin(years)].reset_index(drop=True)

    shown = indicators.T.rename(index=lambda key: labels.label(key, lang)).rename_axis(
        index="指标" if lang == "zh" else "indicator", columns="年度" if lang == "zh" else "year"
    )

    tiers = waterfall.melt(
        id_vars=["year", "tier_no", "tier"],
        value_vars=list(_MEASURES),
        var_name="measure",
    )
    tiers["tier"] = [labels.label(tier, lang) for tier in tiers["tier"]]
    order = {name: number for number, name in enumerate(_MEASURES)}
    tiers["order"] = tiers["measure"].map(order)
    tiers["measure"] = [_MEASURES[measure][lang] for measure in tiers["measure"]]
    by_tier = tiers.pivot_table(
        index=["tier_no", "order", "tier", "measure"], columns="year", values="value"
    ).droplevel("order")

    meta = dict(projection.meta)
    meta.setdefault("fiscal_sim_version", __version__)
    meta["years"] = f"{years[0]}:{years[-1]}"
    meta["unit"] = "万元"
    return Output(
        meta=meta,
        tables={"indicators": indicators, "waterfall": waterfall},
        display={"indicators": shown, "waterfall": by_tier},
    )


@cli.command(epilog=_example("fiscal-sim compare default my-county.yaml --years 2020:2023"))
@click.argument("scenarios", nargs=-1, required=True, metavar="A B [...]")
@years_option
@format_option()
@output_option
@lang_option
def compare(scenarios, years, fmt, output) -> None:
    """Compare scenarios side by side: each indicator and year, with differences to A.

    Each scenario is a bundled name or a YAML file. Differences are B − A, C − A, ….
    """
    from fiscal_sim import labels, outputs

    if len(scenarios) < 2:
        raise InputError("compare needs at least two scenarios, e.g. compare A B")
    fmt = _choose_format(fmt, output)
    lang = _use_lang()
    loaded = [_load(spec) for spec in scenarios]
    selected = [_select_years(scenario, years) for scenario in loaded]
    common = [year for year in selected[0] if all(year in other for other in selected[1:])]
    if not common:
        raise InputError("the scenarios share no projection year to compare")
    names = _unique([scenario.name for scenario in loaded])
    meta = {
        "scenario": "_vs_".join(names),
        "hash": "-".join(scenario.hash for scenario in loaded),
        "fiscal_sim_version": __version__,
        "scenarios": [_scenario_meta(scenario) for scenario in loaded],
        "years": f"{common[0]}:{common[-1]}",
        "unit": "万元",
    }
    target = None
    if output is not None:
        target = outputs.resolve_output(
            output, meta, fmt, inputs=_inputs(*loaded), prefix="compare_"
        )

    import fiscal_sim

    frames = {}
    with _progress(len(loaded), "projecting") as bar:
        for name, scenario in zip(names, loaded, strict=True):
            frames[name] = fiscal_sim.project(scenario).indicators().loc[common]
            bar.update(1)
    table = outputs.side_by_side(frames)
    shown = table.copy()
    shown.index = shown.index.set_levels(
        [labels.label(key, lang) for key in shown.index.levels[0]], level=0
    )
    result = outputs.Output(meta, {"compare": table}, {"compare": shown})
    _emit(result, fmt, target, lang)


REPORT_SUFFIXES = {"html": ".html", "xlsx": ".xlsx", "csv": ".csv", "txt": ".txt"}


@cli.command(
    epilog=_example(
        "fiscal-sim report -o output/",
        "fiscal-sim report --month 2020-06",
        "fiscal-sim report --month 2020-06 --format xlsx -o output/",
    )
)
@click.argument("scenario", required=False)
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
    "-o",
    "--output",
    metavar="PATH",
    default=None,
    help="The report file, or a directory to write it into under a name that records the "
    "scenario, its hash and the version. Default: the current directory; with --month, "
    "the table on stdout.",
)
@lang_option
def report(scenario, overrides, fmt, month, output) -> None:
    """Write the report of SCENARIO: indicators, the 三保 waterfall, findings and charts.

    A self-contained HTML page or an Excel workbook; with --month, the monthly table a
    county sends upward (OPS.4.4.1). SCENARIO defaults to the bundled default county.
    """
    from pathlib import Path

    from fiscal_sim import outputs
    from fiscal_sim import report as reports

    to_stdout = output is None and month is not None and fmt is None
    suffix = Path(output or ".").suffix.lower()
    fmt = fmt or {value: key for key, value in REPORT_SUFFIXES.items()}.get(suffix) or "html"
    allowed = reports.MONTH_FORMATS if month else reports.REPORT_FORMATS
    if fmt not in allowed:
        kind = "the monthly table" if month else "a report (without --month)"
        raise InputError(f"--format {fmt}: {kind} is one of {', '.join(allowed)}")
    if month is not None:
        try:
            reports.parse_month(month)
        except ValueError as error:
            raise InputError(f"--month {month}: {error}") from None
    lang = _use_lang()
    loaded = _load(scenario, overrides)
    if month is not None and int(month.split("-")[0]) not in loaded.years:
        raise InputError(f"--month {month}: outside the projection years of {loaded.name}")
    if to_stdout:
        import fiscal_sim

        table = reports.month_table(fiscal_sim.project(loaded), month, lang=lang)
        click.echo(_month_header(loaded) + reports.month_text(table, lang), nl=False)
        return
    meta = _scenario_meta(loaded)
    kind = "table" if fmt == "txt" else fmt  # outputs names .txt files after the table format
    prefix = f"month-{month}_" if month else "report_"
    target = outputs.resolve_output(output, meta, kind, inputs=_inputs(loaded), prefix=prefix)
    if target.suffix.lower() != REPORT_SUFFIXES[fmt]:
        raise InputError(f"{target}: --format {fmt} writes a {REPORT_SUFFIXES[fmt]} file")

    import fiscal_sim

    with _progress(3, f"reporting {loaded.name}") as bar:
        projection = fiscal_sim.project(loaded)
        bar.update(1)
        findings = None if month else fiscal_sim.check(projection)
        bar.update(1)
        reports.write_report(target, projection, findings, lang=lang, month=month)
        bar.update(1)
    click.echo(f"wrote {target}", err=True)


def _month_header(scenario) -> str:
    """The lines that record where a monthly table on stdout came from."""
    from fiscal_sim.outputs import meta_lines

    return "".join(f"# {line}\n" for line in meta_lines(_scenario_meta(scenario)))


def _unique(names: list[str]) -> list[str]:
    """Scenario names made unique for column headers: a repeated name gets ``#2``, ``#3``."""
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name}#{seen[name]}")
    return unique


@cli.command(epilog=_example("fiscal-sim scenarios --lang en"))
@format_option(TEXT_FORMATS)
@lang_option
def scenarios(fmt) -> None:
    """List the bundled scenarios with their title and description."""
    import pandas as pd

    import fiscal_sim
    from fiscal_sim.outputs import Output, render

    lang = _use_lang()
    rows = [
        {
            "name": entry["name"],
            "title": entry["title"][lang],
            "description": entry["description"][lang],
        }
        for entry in fiscal_sim.list_scenarios()
    ]
    frame = pd.DataFrame(rows, columns=["name", "title", "description"])
    meta = {"fiscal_sim_version": __version__, "lang": lang}
    result = Output(meta, {"scenarios": frame}, {"scenarios": frame.set_index("name")})
    click.echo(render(result, fmt or "table", lang), nl=False)


@cli.command(epilog=_example("fiscal-sim params 'people.*' --lang en"))
@click.argument("pattern", required=False)
@click.option(
    "-s",
    "--scenario",
    default=None,
    help="Whose values to show: a bundled name or a YAML file (default: the default county).",
)
@set_option
@format_option()
@output_option
@lang_option
def params(pattern, scenario, overrides, fmt, output) -> None:
    """List every parameter: name, label (中文/English), unit, value and source.

    PATTERN filters by name: a glob such as 'advances.*', or any part of the name or label.
    """
    from fiscal_sim import outputs

    fmt = _choose_format(fmt, output)
    lang = _use_lang()
    loaded = _load(scenario, overrides)
    rows = [
        {
            "name": param.path,
            "label_zh": param.label_zh,
            "label_en": param.label_en,
            "unit": param.unit,
            "value": param.value,
            "source": param.source,
        }
        for param in loaded.params()
        if _matches(pattern, param)
    ]
    if not rows:
        raise InputError(f"no parameter matches {pattern!r}; `fiscal-sim params` lists them all")

    import pandas as pd

    table = pd.DataFrame(rows)
    shown = table.assign(value=[_short_value(row["value"]) for row in rows])
    label = shown.pop("label_zh" if lang == "zh" else "label_en")
    shown = shown.drop(columns=["label_en" if lang == "zh" else "label_zh"])
    shown.insert(1, "label", label)
    meta = _scenario_meta(loaded)
    target = None
    if output is not None:
        target = outputs.resolve_output(output, meta, fmt, inputs=_inputs(loaded), prefix="params_")
    if fmt == "csv":  # a CSV cell holds text: arrays as their numbers, comma-separated
        table = table.assign(value=[_short_value(row["value"], full=True) for row in rows])
    result = outputs.Output(meta, {"params": table}, {"params": shown.set_index("name")})
    _emit(result, fmt, target, lang)


def _matches(pattern: str | None, param) -> bool:
    """Whether a parameter is selected by PATTERN: a glob on its name, else a substring."""
    from fnmatch import fnmatchcase

    if not pattern:
        return True
    if any(character in pattern for character in "*?["):
        return fnmatchcase(param.path, pattern)
    needle = pattern.casefold()
    return any(
        needle in str(text).casefold() for text in (param.path, param.label_zh, param.label_en)
    )


def _short_value(value, full: bool = False) -> str:
    """A parameter value on one line; a repeated number is shown once with its count.

    Examples
    --------
    >>> _short_value([0.03, 0.03, 0.03]), _short_value([0.06, 0.02]), _short_value(5000.0)
    ('0.03 ×3', '0.06, 0.02', '5000')
    >>> _short_value([0.03, 0.03], full=True), _short_value("none")
    ('0.03, 0.03', 'none')
    """
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, list | tuple):
        items = [_short_value(item, full) for item in value]
        if not full and len(items) > 1 and len(set(items)) == 1:
            return f"{items[0]} ×{len(items)}"
        return ", ".join(items)
    if isinstance(value, float):
        return f"{value:.6g}" if full else f"{value:.4g}"
    return str(value)


@cli.command(epilog=_example("fiscal-sim explain advance_ratio --lang en"))
@click.argument("key", required=False, metavar="[INDICATOR|RULE]")
@lang_option
def explain(key) -> None:
    """Explain an indicator or a rule: what it means, how it is computed, which clause.

    Without an argument, list the indicators and rules that can be explained.
    """
    from fiscal_sim import labels

    lang = _use_lang()
    if key is None:
        for name in labels.INDICATORS:
            click.echo(f"{name}\t{labels.label(name, lang)}")
        for rule in _rules().values():
            click.echo(f"{rule.id}\t{rule.title_zh if lang == 'zh' else rule.title_en}")
        return
    text = _describe(key, lang)
    if text is None:
        from difflib import get_close_matches

        known = [*labels.INDICATORS, *_rule_ids()]
        close = get_close_matches(key, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise InputError(
            f"unknown indicator or rule {key!r}{hint}; `fiscal-sim explain` lists them"
        )
    click.echo(text)


def _describe(key: str, lang: str) -> str | None:
    """The description of an indicator (labels), else of a rule (rules), else None."""
    from fiscal_sim import labels

    text = labels.describe(key, lang)
    if text:
        return text
    if key in _rules():
        from fiscal_sim.rules import describe

        return describe(key, lang)
    return None


def _rules() -> dict:
    """The registered rules by id (fiscal_sim.rules.RULES)."""
    from fiscal_sim import rules

    return rules.RULES


def _rule_ids() -> list[str]:
    return list(_rules())


# `check` (the plan's rules; exit code 3 when any rule is breached) and `assess` (the
# affordability assessment) live in fiscal_sim.cli_rules, beside the rules they shell;
# `chart` lives in fiscal_sim.cli_output, beside the plots.
def _add_commands() -> None:
    from fiscal_sim import cli_output, cli_rules, cli_uncertainty

    for command in (*cli_rules.COMMANDS, *cli_output.COMMANDS, *cli_uncertainty.COMMANDS):
        cli.add_command(command)


_add_commands()


def main(argv: Sequence[str] | None = None) -> None:
    """The console script ``fiscal-sim`` (and ``python -m fiscal_sim``)."""
    cli.main(args=argv, prog_name="fiscal-sim")
