"""The ``check`` and ``assess`` commands: the plan's rules and the affordability assessment.

Registered in the main group by ``fiscal_sim.cli`` (``cli.add_command(check)``, ...). Data
goes to stdout, messages to stderr. Exit codes: 0 every rule holds (``check``) or the policy
is affordable (``assess``); 2 bad input (scenario, ``--set``, policy file, rule or year);
3 a rule is breached (``check``) or the policy is not affordable (``assess``).

numpy and pandas are imported inside the commands, so ``fiscal-sim --help`` stays quick.
"""

from __future__ import annotations

import json

import click

from fiscal_sim.errors import FiscalSimError

EXIT_OK = 0
EXIT_INVALID = 2
EXIT_RULES_BREACHED = 3
TEXT_FORMATS = ("table", "csv", "json")
_LANG_META = "fiscal_sim.lang"  # where the main group's --lang is remembered


class BadInput(click.ClickException):
    """Invalid input: one line on stderr, exit code 2."""

    exit_code = EXIT_INVALID


def _example(*lines: str) -> str:
    return "\b\nExample:\n" + "\n".join(f"  $ {line}" for line in lines)


def _lang(ctx: click.Context, chosen: str | None) -> str:
    """``--lang`` of the command, else of the group, else fiscal_sim.labels' language."""
    lang = chosen or ctx.meta.get(_LANG_META)
    try:
        from fiscal_sim import labels
    except ImportError:
        return lang or "zh"
    if lang:
        labels.set_lang(lang)
    return labels.get_lang()


def _load(spec: str | None, overrides) -> object:
    import fiscal_sim

    for override in overrides:
        key, equals, _ = override.partition("=")
        if not equals or not key.strip():
            raise BadInput(
                f"--set {override}: expected KEY=VALUE, e.g. --set rules.cash_alarm_level=0.25"
            )
    try:
        return fiscal_sim.load_scenario(spec, overrides=tuple(overrides))
    except (FileNotFoundError, IsADirectoryError, PermissionError) as error:
        raise BadInput(f"{spec}: {error.strerror or error}") from None


def _meta(scenario) -> dict:
    from fiscal_sim._version import __version__

    return {
        "scenario": getattr(scenario, "name", ""),
        "hash": getattr(scenario, "hash", ""),
        "files": [str(file) for file in getattr(scenario, "files", ())],
        "fiscal_sim_version": __version__,
    }


def _header(meta: dict) -> str:
    files = ", ".join(meta["files"]) or "-"
    return (
        f"# scenario: {meta['scenario']} {meta['hash']}\n# files: {files}\n"
        f"# fiscal_sim_version: {meta['fiscal_sim_version']}\n"
    )


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


lang_option = click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    envvar="FISCAL_SIM_LANG",
    help="Language of messages: zh (中文) or en. [env: FISCAL_SIM_LANG]",
)
set_option = click.option(
    "--set",
    "overrides",
    metavar="KEY=VALUE",
    multiple=True,
    help="Override one parameter, e.g. --set rules.advance_cap_ratio=0.06 (repeatable).",
)
format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(TEXT_FORMATS),
    default="table",
    show_default=True,
    help="Output format.",
)


@click.command(
    "check",
    epilog="\b\nExit codes: 0 every rule holds, 2 bad input, 3 a rule is breached.\n\n"
    + _example(
        "fiscal-sim check",
        "fiscal-sim check austerity --only advance_cap --year 2021 --format csv",
        "fiscal-sim check --explain advance_cap --lang en",
    ),
)
@click.argument("scenario", required=False)
@set_option
@format_option
@click.option("--only", "only", metavar="RULE", multiple=True, help="Only this rule (repeatable).")
@click.option(
    "--year", "years", metavar="Y", type=int, multiple=True, help="Only this year (repeatable)."
)
@click.option(
    "--explain", metavar="RULE", default=None, help="Print the rule's clause and parameters."
)
@lang_option
@click.pass_context
def check(ctx, scenario, overrides, fmt, only, years, explain, lang) -> None:
    """Check the plan's rules (model.md §8) on a scenario's projection.

    Prints the findings, breaches first: rule, clause (OPS.x.y of the Gaotai plan), year and
    month, value, threshold, margin (positive = inside the rule) and a message. SCENARIO is a
    bundled name or a YAML file (default: the default county).
    """
    lang = _lang(ctx, lang)
    try:
        if explain is not None:
            _explain(explain, scenario, overrides, lang)
            return
        findings, meta = _run_check(scenario, overrides, only, years)
    except FiscalSimError as error:
        raise BadInput(_one_line(error)) from None
    click.echo(_render_findings(findings, meta, fmt, lang), nl=False)
    if not findings.ok:
        click.echo(findings.headline(lang), err=True)
        ctx.exit(EXIT_RULES_BREACHED)


def _explain(rule_id: str, scenario, overrides, lang: str) -> None:
    from fiscal_sim.rules import RULES, describe

    if rule_id not in RULES:
        from difflib import get_close_matches

        close = get_close_matches(rule_id, list(RULES), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise BadInput(f"unknown rule {rule_id!r}{hint}; rules are: {', '.join(RULES)}")
    click.echo(describe(rule_id, lang, _load(scenario, overrides)))


def _run_check(scenario, overrides, only, years):
    import fiscal_sim
    from fiscal_sim.rules import check as check_rules

    loaded = _load(scenario, overrides)
    projection = fiscal_sim.project(loaded)
    findings = check_rules(projection, only=list(only) or None, years=list(years) or None)
    return findings, _meta(loaded)


def _render_findings(findings, meta: dict, fmt: str, lang: str) -> str:
    if fmt == "table":
        return _header(meta) + findings.to_text(lang) + "\n"
    if fmt == "csv":
        return _header(meta) + findings.to_frame().to_csv(index=False)
    document = {"meta": meta, "ok": findings.ok, "findings": findings.to_records()}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


@click.command(
    "assess",
    epilog="\b\nExit codes: 0 affordable (maybe with warnings), 2 bad input, 3 not affordable.\n\n"
    + _example("fiscal-sim assess policies/dibao_raise.yaml --scenario default-county"),
)
@click.argument("policy", type=click.Path(dir_okay=False))
@click.option("--scenario", default=None, help="Scenario name or YAML file (default county).")
@set_option
@format_option
@lang_option
@click.pass_context
def assess(ctx, policy, scenario, overrides, fmt, lang) -> None:
    """Affordability assessment of a new policy (OPS.4.1.1).

    POLICY is a YAML file describing a new spending or revenue measure: which line it lands
    on, amount per year (or quantity × unit cost × months), county share, start and end
    years. The scenario is run with and without it; the verdict is *affordable*, *affordable
    with warnings* or *not affordable* (a 三保, advance or treasury-cash rule newly fails),
    naming each rule that newly fails, the year, and the headroom left.
    """
    import importlib

    assessment_module = importlib.import_module("fiscal_sim.assess")
    lang = _lang(ctx, lang)
    try:
        loaded_policy = assessment_module.load_policy(policy)
        loaded = _load(scenario, overrides)
        result = assessment_module.assess(loaded, loaded_policy)
    except FiscalSimError as error:
        raise BadInput(_one_line(error)) from None
    meta = _meta(loaded)
    if fmt == "table":
        click.echo(_header(meta) + result.to_text(lang))
    elif fmt == "csv":
        click.echo(_header(meta) + result.to_frame().to_csv(index=False), nl=False)
    else:
        document = {"meta": meta, **result.to_records()}
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
    if not result.affordable:
        click.echo(result.headline(lang), err=True)
        ctx.exit(EXIT_RULES_BREACHED)


COMMANDS = (check, assess)
