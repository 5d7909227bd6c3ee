"""The ``check`` and ``assess`` commands: the plan's rules and the affordability assessment.

Registered in the main group by :mod:`fiscal_sim.cli`. Data goes to stdout, messages to
stderr. Exit codes: 0 every rule holds (``check``) or the policy is affordable (``assess``);
2 bad input (scenario, ``--set``, policy file, rule or year); 3 a rule is breached
(``check``) or the policy is not affordable (``assess``).

numpy and pandas are imported inside the commands, so ``fiscal-sim --help`` stays quick.
"""

from __future__ import annotations

import json

import click

from fiscal_sim.cli.common import (
    DEFAULT_SCENARIO_HELP,
    command,
    example,
    lang_option,
    load,
    precision_option,
    scenario_argument,
    scenario_meta,
    set_option,
    text_format_option,
    use_lang,
    use_precision,
)
from fiscal_sim.cli.errors import EXIT_RULES_BREACHED, InputError
from fiscal_sim.errors import Bilingual, did_you_mean


def _meta_lines(meta: dict) -> list[str]:
    files = ", ".join(meta["files"]) or "-"
    return [
        f"scenario: {meta['scenario']} {meta['hash']}",
        f"files: {files}",
        f"fiscal_sim_version: {meta['fiscal_sim_version']}",
    ]


def _header(meta: dict) -> str:
    return "".join(f"# {line}\n" for line in _meta_lines(meta))


def _csv(table: str, frame, meta: dict, lang: str) -> str:
    """A findings or assessment table as CSV in ``lang`` (:mod:`fiscal_sim.csvtables`)."""
    from fiscal_sim import csvtables

    return csvtables.render({table: frame}, _meta_lines(meta), lang, use_precision())


@command(
    "check",
    epilog="\b\n退出码 Exit codes: 0 规则全部成立 every rule holds, 2 输入无效 bad input, "
    "3 有规则违规 a rule is breached.\n\n"
    + example(
        "fiscal-sim check",
        "fiscal-sim check austerity --only advance_cap --year 2021 --format csv",
        "fiscal-sim check --explain advance_cap --lang en",
        "fiscal-sim check --breaches-only",
    ),
)
@scenario_argument
@set_option
@text_format_option
@click.option("--only", "only", metavar="RULE", multiple=True, help="Only this rule (repeatable).")
@click.option(
    "--year", "years", metavar="Y", type=int, multiple=True, help="Only this year (repeatable)."
)
@click.option(
    "--explain", metavar="RULE", default=None, help="Print the rule's clause and parameters."
)
@click.option(
    "--breaches-only", is_flag=True, help="Only the breaches (no warnings, no passed checks)."
)
@precision_option
@lang_option
@click.pass_context
def check(ctx, scenario, overrides, fmt, only, years, explain, breaches_only) -> None:
    """Check the plan's rules (model.md §8) on a scenario's projection.

    Prints the findings, breaches first: rule, clause (OPS.x.y of the Gaotai plan), year and
    month, value, threshold, margin (positive = inside the rule) and a message. SCENARIO is a
    bundled name, a YAML file or a workbook (.xlsx) (default: the bundled scenario
    plan-followed).
    """
    lang = use_lang()
    if explain is not None:
        _explain(explain, scenario, overrides, lang)
        return
    findings, meta = _run_check(scenario, overrides, only, years)
    shown = findings.breaches if breaches_only else findings
    click.echo(_render_findings(findings, meta, fmt, lang, shown), nl=False)
    if not findings.ok:
        click.echo(findings.headline(lang), err=True)
        ctx.exit(EXIT_RULES_BREACHED)


def _explain(rule_id: str, scenario, overrides, lang: str) -> None:
    from fiscal_sim.rules import RULES, describe

    if rule_id not in RULES:
        raise InputError(
            Bilingual(
                "未知规则 {rule!r}{hint}；规则有：{rules}",
                "unknown rule {rule!r}{hint}; rules are: {rules}",
                rule=rule_id,
                hint=did_you_mean(rule_id, RULES),
                rules=", ".join(RULES),
            )
        )
    click.echo(describe(rule_id, lang, load(scenario, overrides)))


def _run_check(scenario, overrides, only, years):
    import fiscal_sim
    from fiscal_sim.rules import check as check_rules

    loaded = load(scenario, overrides)
    projection = fiscal_sim.project(loaded)
    findings = check_rules(projection, only=list(only) or None, years=list(years) or None)
    return findings, scenario_meta(loaded, title=False)


def _render_findings(findings, meta: dict, fmt: str, lang: str, shown=None) -> str:
    """The ``shown`` rows of ``findings`` (all of them by default) in ``fmt``; the table's
    headline counts the whole check, so ``--breaches-only`` still says how many warnings."""
    shown = findings if shown is None else shown
    if fmt == "table":
        rows = shown.to_text(lang).partition("\n")[2]  # its first line: the rows' headline
        return _header(meta) + "\n".join(filter(None, (findings.headline(lang), rows))) + "\n"
    if fmt == "csv":
        return _csv("findings", shown.to_frame(), meta, lang)
    document = {"meta": meta, "ok": findings.ok, "findings": shown.to_records()}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


@command(
    "assess",
    epilog="\b\n退出码 Exit codes: 0 可承受 affordable (maybe with warnings), 2 输入无效 bad "
    "input, 3 不可承受 not affordable.\n\n"
    + example(
        "fiscal-sim assess dibao-raise",
        "fiscal-sim assess dibao-raise --scenario transfer-cut --lang en",
    ),
)
@click.argument("policy", type=click.Path(dir_okay=False))
@click.option(
    "--scenario", default=None, help=f"Scenario name or YAML file ({DEFAULT_SCENARIO_HELP})."
)
@set_option
@text_format_option
@precision_option
@lang_option
@click.pass_context
def assess(ctx, policy, scenario, overrides, fmt) -> None:
    """Affordability assessment of a new policy (OPS.4.1.1).

    POLICY is a YAML file describing a new spending or revenue measure: which line it lands
    on, amount per year (or quantity × unit cost × months), county share, start and end
    years. The scenario is run with and without it; the verdict is *affordable*, *affordable
    with warnings* or *not affordable* (a 三保, advance or treasury-cash rule newly fails),
    naming each rule that newly fails, the year, and the headroom left.
    """
    import importlib

    assessment_module = importlib.import_module("fiscal_sim.affordability")
    lang = use_lang()
    loaded_policy = assessment_module.load_policy(policy)
    loaded = load(scenario, overrides)
    result = assessment_module.assess(loaded, loaded_policy)
    meta = scenario_meta(loaded, title=False)
    if fmt == "table":
        click.echo(_header(meta) + result.to_text(lang))
    elif fmt == "csv":
        click.echo(_csv("assessment", result.to_frame(), meta, lang), nl=False)
    else:
        document = {"meta": meta, **result.to_records()}
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
    if not result.affordable:
        click.echo(result.headline(lang), err=True)
        ctx.exit(EXIT_RULES_BREACHED)


COMMANDS = (check, assess)
