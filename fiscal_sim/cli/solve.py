"""The ``goal-seek`` and ``sensitivity`` commands: what it would take, and what matters most.

Registered in the main group by :mod:`fiscal_sim.cli`. Data goes to stdout, the sentences to
stderr. Exit codes: 0 ok, 2 bad input (scenario, ``--set``, lever, rule, outcome, group,
step). numpy and pandas are imported inside the commands, so ``fiscal-sim --help`` is quick.
"""

from __future__ import annotations

import click

from fiscal_sim.cli.common import (
    command,
    emit,
    example,
    inputs,
    lang_option,
    load,
    make_output_directory,
    precision_option,
    progress,
    refuse_unknown_suffix,
    say_written,
    scenario_argument,
    scenario_meta,
    set_option,
    text_format_option,
    use_lang,
)
from fiscal_sim.cli.errors import InputError
from fiscal_sim.errors import Bilingual

# The lever names of fiscal_sim/goalseek/levers.yaml (a test keeps the two in step; the
# help must not read the file: `fiscal-sim --help` stays quick).
LEVER_NAMES = (
    "revenue_effort",
    "transfers_requested",
    "discretionary_cut",
    "advance_restraint",
    "faster_digestion",
    "bond_issuance",
)


def _names(value: str | None) -> list[str] | None:
    """``a,b , c`` as a list of names (None when not given)."""
    if value is None:
        return None
    names = [name.strip() for name in value.split(",") if name.strip()]
    return names or None


def _output(meta: dict, tables: dict, display: dict, fmt: str, lang: str, target=None) -> None:
    from fiscal_sim.outputs import Output

    keep = ("scenario", "hash", "files", "fiscal_sim_version")
    shown = {key: meta[key] for key in keep if key in meta}
    shown.update({key: meta[key] for key in meta if key not in shown and key not in ("seed",)})
    emit(Output(shown, tables, display), fmt, target, lang)


CHART_SUFFIXES = (".png", ".svg", ".pdf")
"""``sensitivity -o`` with one of these suffixes writes the tornado chart."""


@command(
    "goal-seek",
    epilog=example(
        "fiscal-sim goal-seek --lever transfers_requested --set revenue.general_transfers=40000",
        "fiscal-sim goal-seek baseline --lever discretionary_cut --rules non_rigid_cut,"
        "three_public_cut",
    ),
)
@scenario_argument
@set_option
@click.option(
    "--lever",
    required=True,
    metavar="LEVER",
    help="What the county would do: " + ", ".join(LEVER_NAMES) + ".",
)
@click.option(
    "--rules",
    "rules",
    metavar="R,…",
    default=None,
    help="Rules that must hold, comma-separated (default: every rule that can fail).",
)
@text_format_option
@precision_option
@lang_option
def goal_seek(scenario, overrides, lever, rules, fmt) -> None:
    """Goal-seek: year by year, the smallest lever with which every selected rule holds.

    Each year's size is found given the sizes of the years before it. Prints per year the
    size, the money it raises or frees, the rule that binds (the one that breaks first at a
    smaller size) and the rules no size of the lever can make hold; then every rule's margin
    at the solution.
    """
    from fiscal_sim.goalseek import goal_seek as run_goal_seek
    from fiscal_sim.goalseek import lever as find_lever

    lang = use_lang()
    find_lever(lever)  # an unknown lever fails before the scenario is read
    loaded = load(scenario, overrides)
    with progress(len(loaded.years), f"goal-seeking {lever}", eta=True) as bar:
        found = run_goal_seek(loaded, lever, rules=_names(rules))
        bar.update(len(loaded.years))
    click.echo(found.to_text(lang).rstrip(), err=True)
    tables = {"goal_seek": found.to_frame(), "margins": found.margins_frame()}
    _output(found.meta, tables, found.display(lang), fmt, lang)


def _step(value: str) -> float:
    """``10%`` or ``0.1`` as a fraction; InputError otherwise."""
    text = value.strip()
    try:
        return float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise InputError(
            Bilingual(
                "--step {value}：应为百分比，例如 10%（或 0.1）",
                "--step {value}: expected a percentage such as 10% (or 0.1)",
                value=value,
            )
        ) from None


@command(
    "sensitivity",
    epilog=example(
        "fiscal-sim sensitivity",
        "fiscal-sim sensitivity baseline --outcome cash_min,debt_ratio_end --group revenue "
        "--step 5%",
        "fiscal-sim sensitivity --group revenue --outcome cash_min -o tornado.png",
    ),
)
@scenario_argument
@set_option
@click.option(
    "--outcome",
    "outcomes",
    metavar="O,…",
    default=None,
    help="Outcomes, comma-separated: sanbao_shortfall, cash_min, advance_ratio_deadline, "
    "debt_ratio_end, stabilization_fund_end, or indicator@year (default: those five).",
)
@click.option(
    "--step",
    default="10%",
    show_default=True,
    help="How far each parameter moves down and up, relative to its value.",
)
@click.option(
    "--group",
    metavar="G",
    default=None,
    help="Only the parameters of one section of the scenario (revenue, pay, advances, …).",
)
@click.option(
    "--top",
    type=click.IntRange(1),
    default=20,
    show_default=True,
    help="Parameters shown per outcome in the table (csv and json have them all).",
)
@click.option(
    "-o",
    "--output",
    metavar="PATH",
    default=None,
    help="FILE.png|svg|pdf: the tornado chart of the first outcome; FILE.txt|csv|json (or "
    "a directory): the table. Default: the table on stdout.",
)
@text_format_option
@precision_option
@lang_option
def sensitivity(scenario, overrides, outcomes, step, group, top, output, fmt) -> None:
    """Sensitivity: how each outcome moves when each numeric parameter moves down and up.

    Every numeric parameter (or one group) is moved by the step, within its allowed range,
    one at a time. Per outcome, the parameters with the largest effect come first, with the
    change down and up, the elasticity and the rules a move newly breaks (marked ⚠).
    With -o FILE.png (or .svg, .pdf), the tornado chart of the first outcome: the --top
    parameters with the largest swing.
    """
    from pathlib import Path

    from fiscal_sim import outputs
    from fiscal_sim.sweep import DEFAULT_OUTCOMES, outcome_label
    from fiscal_sim.sweep import sensitivity as run_sensitivity

    lang = use_lang()
    fraction = _step(step)
    loaded = load(scenario, overrides)
    chart = output is not None and Path(output).suffix.lower() in CHART_SUFFIXES
    target = None
    if output is not None:
        make_output_directory(output)
        if chart:
            target = outputs.check_file(output, inputs(loaded))
        else:
            refuse_unknown_suffix(output, None, {".txt", ".csv", ".json", *CHART_SUFFIXES})
            fmt = outputs.format_from_path(output) or fmt
            target = outputs.resolve_output(
                output, scenario_meta(loaded), fmt, inputs(loaded), prefix="sensitivity_"
            )
    with progress(1, f"sweeping {loaded.name}", eta=True) as bar:
        found = run_sensitivity(loaded, _names(outcomes) or DEFAULT_OUTCOMES, fraction, group)
        bar.update(1)
    count, runs = len(found.parameters), found.projections
    click.echo(
        f"共{count}个参数，测算{runs}次" if lang == "zh" else f"{count} parameters, {runs} runs",
        err=True,
    )
    if chart:
        from fiscal_sim import plots

        ax = found.plot(top=top, lang=lang)
        try:
            plots.save_figure(ax.figure, target)
        finally:
            plots.close(ax)
        say_written(target)
        return
    display = {outcome_label(name, lang): table for name, table in found.display(lang, top).items()}
    _output(found.meta, {"sensitivity": found.to_frame()}, display, fmt, lang, target)


COMMANDS = (goal_seek, sensitivity)
