"""The ``simulate``, ``stress`` and ``reverse-stress`` commands (model.md §9).

Registered in the main group by :mod:`fiscal_sim.cli`. Data goes to stdout, messages and
progress bars to stderr. Exit codes: 0 ok, 2 bad input (scenario, ``--set``, shock model, test
name or kind). numpy, pandas and scipy are imported inside the commands, so
``fiscal-sim --help`` stays quick.
"""

from __future__ import annotations

import click

from fiscal_sim.cli.common import (
    check_start,
    command,
    emit,
    example,
    lang_option,
    load,
    precision_option,
    progress,
    say_seed,
    scenario_argument,
    set_option,
    text_format_option,
    use_lang,
)
from fiscal_sim.cli.errors import InputError
from fiscal_sim.errors import Bilingual, did_you_mean


def _target_option(help_text: str):
    """``--target any|sanbao|cash``: what reverse-stress must break."""
    return click.option(
        "--target",
        type=click.Choice(["any", "sanbao", "cash"]),
        default="any",
        show_default=True,
        help=help_text,
    )


def _output(meta: dict, tables: dict, display: dict, fmt: str, lang: str, row_units=None) -> None:
    from fiscal_sim.outputs import Output

    emit(Output(_result_meta(meta), tables, display, row_units or {}), fmt, None, lang)


@command(
    "simulate",
    epilog=example(
        "fiscal-sim simulate --draws 10000 --seed 1",
        "fiscal-sim simulate austerity --draws 2000 --seed 7 --format csv > mc.csv",
    ),
)
@scenario_argument
@set_option
@click.option(
    "-n",
    "--draws",
    type=click.IntRange(1, 10_000_000),
    default=10_000,
    show_default=True,
    help="Number of Monte Carlo draws.",
)
@click.option(
    "--seed",
    type=click.IntRange(0),
    default=None,
    help="Random seed; without it fresh entropy is used and printed on stderr.",
)
@click.option(
    "--chunk-size",
    type=click.IntRange(1),
    default=None,
    help="Draws per engine call (memory); the results do not depend on it.",
)
@click.option(
    "--indicator",
    "indicators",
    metavar="NAME",
    multiple=True,
    help="Indicators whose quantiles to print (repeatable; default: the key indicators).",
)
@text_format_option
@precision_option
@lang_option
def simulate(scenario, overrides, draws, seed, chunk_size, indicators, fmt) -> None:
    """Monte Carlo: quantiles of the indicators and the probability each rule breaks.

    Shocks to tax, non-tax, general transfers and land revenue growth come from the
    scenario's `shocks:` section (defaults are assumptions: σ 3 %, 6 %, 2 %, 30 %).
    SCENARIO is a bundled name, a YAML file or a workbook (.xlsx) (default: the bundled
    scenario plan-followed).
    """
    import pandas as pd

    from fiscal_sim import labels
    from fiscal_sim.ensemble import ENSEMBLE_INDICATORS, KEY_INDICATORS
    from fiscal_sim.labels import indicator_label
    from fiscal_sim.rules.findings import rule_label
    from fiscal_sim.stochastic import simulate as run_simulation

    lang = use_lang()
    unknown = [name for name in indicators if name not in ENSEMBLE_INDICATORS]
    if unknown:
        raise InputError(
            Bilingual(
                "未知指标 {name!r}{hint}；可用的指标有：{names}",
                "unknown indicator {name!r}{hint}; indicators are: {names}",
                name=unknown[0],
                hint=did_you_mean(unknown[0], ENSEMBLE_INDICATORS),
                names=", ".join(ENSEMBLE_INDICATORS),
            )
        )
    loaded = load(scenario, overrides)
    with progress(draws, f"simulating {loaded.name}", eta=True) as bar:
        ensemble = run_simulation(
            loaded, draws=draws, seed=seed, chunk_size=chunk_size, progress=bar.update
        )
    if seed is None:
        say_seed(ensemble.meta["seed"])
    click.echo(ensemble.headline(lang), err=True)
    chosen = list(indicators) or list(KEY_INDICATORS)
    quantiles = pd.concat(
        {name: ensemble.quantiles(name) for name in chosen}, names=["indicator", "year"]
    )
    shown = quantiles.rename(index=lambda key: indicator_label(key, lang), level=0)
    units = {indicator_label(name, lang): labels.unit_of(name) or "wan_yuan" for name in chosen}
    breach = ensemble.breach_probabilities().rename(columns={"any_year": 0})
    breach_long = (
        breach.rename_axis(index="rule", columns="year")
        .stack()
        .rename("probability")
        .reset_index()
        .astype({"year": int})
    )
    wage = ensemble.wage_risk().rename(columns=lambda column: f"month_{column}")
    tables = {
        "quantiles": quantiles,
        "breach_probability": breach_long,
        "sanbao": ensemble.sanbao(),
        "wage_risk": wage,
    }
    by_rule = ensemble.breach_probabilities().rename_axis(index="rule", columns="year")
    by_rule = by_rule.rename(index=lambda rule: rule_label(rule, lang))
    by_rule.attrs["kind"] = "ratio"
    wage_shown = wage.copy()
    wage_shown.attrs.update(kind="ratio", column_kinds={"month_mean_months": "months"})
    display = {
        **tables,
        "quantiles": shown,
        "breach_probability": by_rule,
        "wage_risk": wage_shown,
    }
    _output(ensemble.meta, tables, display, fmt, lang, {"quantiles": units})


def _result_meta(meta: dict) -> dict:
    keep = (
        "scenario",
        "hash",
        "files",
        "fiscal_sim_version",
        "seed",
        "draws",
        "shock_model",
        "parameter_uncertainty",
        "quantile_method",
    )
    if "shock_model" not in meta:  # a deterministic run: no seed, one draw
        keep = keep[:4]
    return {key: meta[key] for key in keep if key in meta}


@command(
    "stress",
    epilog=example("fiscal-sim stress", "fiscal-sim stress --test combined --format csv"),
)
@scenario_argument
@set_option
@click.option(
    "--test",
    "tests",
    metavar="NAME",
    multiple=True,
    help="Run only this test (repeatable): revenue_1sd, revenue_2sd, transfers_cut, "
    "land_halved, wage_rise, combined, or one of the scenario's shocks.stress_tests.",
)
@text_format_option
@precision_option
@lang_option
def stress(scenario, overrides, tests, fmt) -> None:
    """Stress tests: each standard (or user-defined) shock against the baseline.

    For each test: 三保 shortfall, lowest cash cover, wage-risk months, advance and debt
    ratios, the rules it breaks and those it newly breaks; then the new breaches with their
    clauses (all breaches, marked new or not, in csv and json); the indicators by year follow.
    """
    from fiscal_sim.stress_tests import stress as run_stress

    lang = use_lang()
    loaded = load(scenario, overrides)
    with progress(1, f"stress-testing {loaded.name}", eta=True) as bar:
        report = run_stress(loaded, list(tests) or None)
        bar.update(1)
    # The titles in both languages (as the findings' messages): a CSV reads back the same
    # under zh and en.
    summary = report.summary().drop(columns="title")
    for at, language in enumerate(("zh", "en"), start=0):
        summary.insert(at, f"title_{language}", report.summary(language)["title"])
    frame = report.to_frame()
    # Several tables go out stacked in long form, whose own column is "value".
    findings = report.findings()
    tables = {
        "summary": summary,
        # Stacked tables keep their own "value" column for the stacking: rename the others'.
        "findings": findings.rename(columns={"value": "measured"}),
        "indicators": frame.rename(columns={"value": "stressed"}),
    }
    titles = {result.test.name: result.test.label(lang) for result in report.results}
    display = {
        "summary": _years_as_text(
            report.readable_summary(lang), ("first_sanbao_year", "first_breach", "first_new_breach")
        ),
        "findings": _new_findings(findings, titles, lang),
    }
    row_units = {}
    if fmt == "table":
        from fiscal_sim import labels

        changes = frame.pivot_table(
            index=["test", "indicator"], columns="year", values="change", sort=False
        )
        names = changes.index.get_level_values("indicator").unique()
        row_units["change_vs_baseline"] = {
            labels.header(name, lang): labels.unit_of(name) or "wan_yuan" for name in names
        }
        display["change_vs_baseline"] = changes.rename(
            index=lambda name: labels.header(name, lang), level="indicator"
        )
    _output(report.meta, tables, display, fmt, lang, row_units)


@command(
    "reverse-stress",
    epilog=example(
        "fiscal-sim reverse-stress --shock transfer_cut",
        "fiscal-sim reverse-stress --shock transfer_delay --target cash --format json",
    ),
)
@scenario_argument
@set_option
@click.option(
    "--shock",
    "kind",
    required=True,
    type=click.Choice(["revenue_fall", "transfer_cut", "transfer_delay", "land_fall"]),
    help="Which shock to grow until something breaks.",
)
@_target_option("What must break: 三保 funding, treasury cash below the alarm line, or either.")
@click.option(
    "--start",
    type=int,
    default=None,
    help="First year of the shock (default: the first projection year).",
)
@text_format_option
@precision_option
@lang_option
def reverse_stress(scenario, overrides, kind, target, start, fmt) -> None:
    """Reverse stress: the smallest shock of one kind that breaks 三保 or the cash alarm line.

    Reports the size (a fraction, or months for transfer_delay) and the year (or month)
    the break first happens; 'none' when even the largest shock leaves a margin.
    """
    from fiscal_sim.solve import reverse_stress as run_reverse

    found, lang = _search(run_reverse, scenario, overrides, kind, target, start, "searching")
    display = {"reverse_stress": found.display_frame(lang)}
    _output(found.meta, {"reverse_stress": found.to_frame()}, display, fmt, lang)


def _search(search, scenario, overrides, choice: str, target: str, start, verb: str):
    """Run reverse stress on SCENARIO; say on stderr what it found."""
    lang = use_lang()
    loaded = load(scenario, overrides)
    check_start(loaded, start)
    with progress(1, f"{verb} {choice}", eta=True) as bar:
        found = search(loaded, choice, target=target, start=start)
        bar.update(1)
    click.echo(found.to_text(lang).rstrip(), err=True)
    return found, lang


def _new_findings(findings, titles: dict, lang: str):
    """The breaches a stress test adds, for reading: the test's title, the rule's name, the
    month as text, words in ``lang`` and each number by its row's unit (ratios as %)."""
    import pandas as pd

    from fiscal_sim import labels
    from fiscal_sim.rules.findings import format_value, month_text, rule_label

    shown = findings[findings["new"]] if len(findings) else findings
    if not len(shown):
        return pd.DataFrame(columns=["test", "rule", "clause", "year", "month", "message"])
    units = shown["unit"].tolist()

    def by_unit(column: str) -> list[str]:
        return [format_value(v, u) for v, u in zip(shown[column], units, strict=True)]

    return pd.DataFrame(
        {
            "test": [titles.get(name, name) for name in shown["test"]],
            "rule": [rule_label(rule, lang) for rule in shown["rule"]],
            "clause": shown["clause"].tolist(),
            "year": [str(int(year)) for year in shown["year"]],
            "month": [month_text(month) for month in shown["month"]],
            "aspect": [labels.aspect_label(aspect, lang) for aspect in shown["aspect"]],
            "measured": by_unit("value"),
            "threshold": by_unit("threshold"),
            "margin": by_unit("margin"),
            "unit": [labels.unit_label(unit, lang) for unit in units],
            "message": shown[f"message_{lang}"].tolist(),
        }
    )


def _years_as_text(frame, columns):
    """A copy with year (and month) columns as text, so tables do not print 2,019."""
    import pandas as pd

    shown = frame.copy()
    for column in columns:
        shown[column] = ["-" if pd.isna(value) else str(int(value)) for value in shown[column]]
    return shown


COMMANDS = (simulate, stress, reverse_stress)
