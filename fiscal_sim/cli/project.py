"""The commands that project scenarios and describe them: run, compare, scenarios, params,
explain.

Registered in the main group by :mod:`fiscal_sim.cli`. pandas and numpy are imported inside
the commands, so ``fiscal-sim --help`` stays quick.
"""

from __future__ import annotations

import click

from fiscal_sim._version import __version__
from fiscal_sim.cli.common import (
    DEFAULT_SCENARIO_HELP,
    choose_format,
    command,
    emit,
    example,
    format_option,
    inputs,
    lang_option,
    load,
    output_option,
    precision_option,
    progress,
    scenario_argument,
    scenario_meta,
    select_years,
    set_option,
    text_format_option,
    unique_names,
    use_lang,
    years_option,
)
from fiscal_sim.cli.errors import InputError
from fiscal_sim.errors import Bilingual, did_you_mean

# Names of the waterfall's measures; tiers and indicators are named by fiscal_sim.labels.
_MEASURES = {
    "need": {"zh": "需求", "en": "need"},
    "funded": {"zh": "安排", "en": "funded"},
    "shortfall": {"zh": "缺口", "en": "shortfall"},
}


@command(epilog=example("fiscal-sim run --set people.staff=4800 --format json"))
@scenario_argument
@set_option
@years_option
@format_option()
@output_option
@precision_option
@lang_option
def run(scenario, overrides, years, fmt, output) -> None:
    """Project SCENARIO: the yearly indicators, the 三保 waterfall and the measures.

    SCENARIO is a bundled scenario name (see `fiscal-sim scenarios`), a YAML file or a
    filled workbook (.xlsx, see `fiscal-sim template`); without it, the bundled scenario
    plan-followed. When the scenario lists six-guarantee measures, a third table shows what
    each cost (+) or forwent (−) by year, in 万元.
    """
    from fiscal_sim import outputs

    fmt = choose_format(fmt, output)
    lang = use_lang()
    loaded = load(scenario, overrides)
    selected = select_years(loaded, years)
    meta = scenario_meta(loaded)
    target = None
    if output is not None:
        target = outputs.resolve_output(output, meta, fmt, inputs=inputs(loaded))

    import fiscal_sim

    with progress(2, f"projecting {loaded.name}") as bar:
        projection = fiscal_sim.project(loaded)
        bar.update(1)
        machine = fmt in outputs.MACHINE_FORMATS
        result = _projection_output(projection, selected, lang, machine)
        _add_measures(result, loaded, selected, lang, machine)
        emit(result, fmt, target, lang)
        bar.update(1)


def _projection_output(projection, years: list[int], lang: str, machine: bool):
    """The indicators and the waterfall of one projection: grids for people (the text table
    and Excel, built without pandas) and, when ``machine``, the tables CSV and JSON write."""
    from fiscal_sim import labels
    from fiscal_sim.outputs import Output
    from fiscal_sim.params.schema import TIERS
    from fiscal_sim.results import INDICATOR_COLUMNS
    from fiscal_sim.textgrid import Grid

    positions = [projection.years.tolist().index(year) for year in years]
    names = {key: labels.label_with_unit(key, lang) for key in INDICATOR_COLUMNS}
    indicators = Grid(
        rows=tuple((names[key],) for key in INDICATOR_COLUMNS),
        columns=tuple(years),
        cells=tuple(
            tuple(projection.annual[key][0][positions].tolist()) for key in INDICATOR_COLUMNS
        ),
        row_names=("指标" if lang == "zh" else "indicator",),
        column_name="年度" if lang == "zh" else "year",
    )
    by_tier = Grid(  # tiers in their order, each with its need, funded and shortfall
        rows=tuple(
            (number, labels.label(tier, lang), names[lang])
            for number, tier in enumerate(TIERS, start=1)
            for names in _MEASURES.values()
        ),
        columns=tuple(years),
        cells=tuple(
            tuple(projection.tiers[measure][0][positions, number].tolist())
            for number in range(len(TIERS))
            for measure in _MEASURES
        ),
        row_names=(labels.label("tier_no", lang), labels.label("tier", lang), ""),
        column_name=labels.label("year", lang),
    )
    tables = {}
    if machine:
        waterfall = projection.waterfall()
        tables = {
            "indicators": projection.indicators().loc[years],
            "waterfall": waterfall[waterfall["year"].isin(years)].reset_index(drop=True),
        }

    meta = dict(projection.meta)
    meta.setdefault("fiscal_sim_version", __version__)
    meta["years"] = f"{years[0]}:{years[-1]}"
    meta["unit"] = "万元"
    units = {names[key]: labels.INDICATORS[key][2] for key in INDICATOR_COLUMNS}
    return Output(
        meta=meta,
        tables=tables,
        display={"indicators": indicators, "waterfall": by_tier},
        row_units={"indicators": units},
    )


def _add_measures(result, scenario, years: list[int], lang: str, machine: bool) -> None:
    """Add the ``measures`` table: what each measure cost or forwent in the years shown.

    The table lists the measures with an amount other than zero in those years, one row per
    measure name and clause (in the scenario's order), one column per year; a scenario
    without such measures gets no table.
    """
    from fiscal_sim.engine.measures import TABLE_COLUMNS, measure_rows
    from fiscal_sim.textgrid import Grid

    rows = [dict(zip(TABLE_COLUMNS, row, strict=True)) for row in measure_rows(scenario)]
    rows = [row for row in rows if row["year"] in years]
    moving = {row["measure"] for row in rows if row["amount_wan"] != 0}
    rows = [row for row in rows if row["measure"] in moving]
    if not rows:
        return
    label = "label_zh" if lang == "zh" else "label_en"
    amounts: dict[tuple, dict[int, list[float]]] = {}
    for row in rows:
        by_year = amounts.setdefault((row[label], row["clause"]), {})
        by_year.setdefault(row["year"], []).append(row["amount_wan"])
    shown_years = sorted({row["year"] for row in rows})
    names = ("措施", "条款", "年度") if lang == "zh" else ("measure", "clause", "year")
    result.display["measures"] = Grid(
        rows=tuple(amounts),
        columns=tuple(shown_years),
        cells=tuple(
            tuple(_mean(by_year.get(year)) for year in shown_years) for by_year in amounts.values()
        ),
        row_names=names[:2],
        column_name=names[2],
    )
    if machine:
        import pandas as pd

        columns = ["measure", "clause", "year", "amount_wan"]
        result.tables["measures"] = pd.DataFrame(
            [[row[column] for column in columns] for row in rows], columns=columns
        )


def _mean(values: list[float] | None) -> float:
    """One figure for a measure's year: the mean of the rows that share its name and clause
    (as a pivot table gives it), NaN when there is none."""
    return sum(values) / len(values) if values else float("nan")


@command(epilog=example("fiscal-sim compare default plan-followed --years 2020:2023"))
@click.argument("scenarios", nargs=-1, required=True, metavar="A B [...]")
@years_option
@format_option()
@output_option
@precision_option
@lang_option
def compare(scenarios, years, fmt, output) -> None:
    """Compare scenarios side by side: each indicator and year, with differences to A.

    Each scenario is a bundled name, a YAML file or a workbook (.xlsx). Differences are
    B − A, C − A, ….
    """
    from fiscal_sim import labels, outputs

    if len(scenarios) < 2:
        raise InputError(
            Bilingual(
                "compare 至少需要两个情景，例如 compare A B",
                "compare needs at least two scenarios, e.g. compare A B",
            )
        )
    fmt = choose_format(fmt, output)
    lang = use_lang()
    loaded = [load(spec) for spec in scenarios]
    selected = [select_years(scenario, years) for scenario in loaded]
    common = [year for year in selected[0] if all(year in other for other in selected[1:])]
    if not common:
        raise InputError(
            Bilingual(
                "这些情景没有共同的预测年度可比较",
                "the scenarios share no projection year to compare",
            )
        )
    names = unique_names([scenario.name for scenario in loaded])
    meta = {
        "scenario": "_vs_".join(names),
        "hash": "-".join(scenario.hash for scenario in loaded),
        "fiscal_sim_version": __version__,
        "scenarios": [scenario_meta(scenario) for scenario in loaded],
        "years": f"{common[0]}:{common[-1]}",
        "unit": "万元",
    }
    target = None
    if output is not None:
        target = outputs.resolve_output(
            output, meta, fmt, inputs=inputs(*loaded), prefix="compare_"
        )

    import fiscal_sim
    from fiscal_sim.comparison import side_by_side

    frames = {}
    with progress(len(loaded), "projecting") as bar:
        for name, scenario in zip(names, loaded, strict=True):
            frames[name] = fiscal_sim.project(scenario).indicators().loc[common]
            bar.update(1)
    table = side_by_side(frames)
    shown = table.copy()
    shown.index = shown.index.set_levels(
        [labels.label(key, lang) for key in shown.index.levels[0]], level=0
    )
    shown.index.names = [labels.header(name, lang) for name in shown.index.names]  # xlsx too
    units = {labels.label(key, lang): labels.INDICATORS[key][2] for key in table.index.levels[0]}
    result = outputs.Output(meta, {"compare": table}, {"compare": shown}, {"compare": units})
    emit(result, fmt, target, lang)


@command(epilog=example("fiscal-sim scenarios --lang en"))
@text_format_option
@lang_option
def scenarios(fmt) -> None:
    """List the bundled scenarios with their title and description."""
    import pandas as pd

    import fiscal_sim
    from fiscal_sim.outputs import Output, render

    lang = use_lang()
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


@command(epilog=example("fiscal-sim params 'people.*' --lang en"))
@click.argument("pattern", required=False)
@click.option(
    "-s",
    "--scenario",
    default=None,
    help=f"Whose values to show: a bundled name or a YAML file (default: {DEFAULT_SCENARIO_HELP}).",
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

    fmt = choose_format(fmt, output)
    lang = use_lang()
    loaded = load(scenario, overrides)
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
        raise InputError(
            Bilingual(
                "没有参数与 {pattern!r} 匹配；`fiscal-sim params` 列出全部参数",
                "no parameter matches {pattern!r}; `fiscal-sim params` lists them all",
                pattern=pattern,
            )
        )

    import pandas as pd

    table = pd.DataFrame(rows)
    from fiscal_sim.labels import unit_label

    shown = table.assign(value=[_short_value(row["value"], unit=row["unit"]) for row in rows])
    shown = shown.rename(columns={"value": "param_value"})
    shown["unit"] = [unit_label(unit, lang) for unit in shown["unit"]]
    label = shown.pop("label_zh" if lang == "zh" else "label_en")
    shown = shown.drop(columns=["label_en" if lang == "zh" else "label_zh"])
    shown.insert(1, "label", label)
    meta = scenario_meta(loaded)
    target = None
    if output is not None:
        target = outputs.resolve_output(output, meta, fmt, inputs=inputs(loaded), prefix="params_")
    if fmt == "csv":  # a CSV cell holds text: arrays as their numbers, comma-separated
        table = table.assign(value=[_short_value(row["value"], full=True) for row in rows])
    result = outputs.Output(meta, {"params": table}, {"params": shown.set_index("name")})
    emit(result, fmt, target, lang)


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


def _short_value(value, full: bool = False, unit: str | None = None) -> str:
    """A parameter value on one line; a repeated number is shown once with its count.

    Examples
    --------
    >>> _short_value([0.03, 0.03, 0.03]), _short_value([0.06, 0.02]), _short_value(5000.0)
    ('0.03 ×3', '0.06, 0.02', '5000')
    >>> _short_value([0.03, 0.03], full=True), _short_value("none")
    ('0.03, 0.03', 'none')
    >>> _short_value([0.025, 0.025], unit="fraction"), _short_value(2018, unit="year")
    ('2.5% ×2', '2018')
    """
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, list | tuple):
        items = [_short_value(item, full, unit) for item in value]
        if not full and len(items) > 1 and len(set(items)) == 1:
            return f"{items[0]} ×{len(items)}"
        return ", ".join(items)
    if unit is not None and not full and isinstance(value, int | float):
        from fiscal_sim.numbers import format_value, kind_of_unit

        return format_value(value, "number" if unit == "shares" else kind_of_unit(unit))
    if isinstance(value, float):
        return f"{value:.6g}" if full else f"{value:.4g}"
    return str(value)


@command(epilog=example("fiscal-sim explain advance_ratio --lang en", "fiscal-sim explain 暂付款"))
@click.argument("key", required=False, metavar="[INDICATOR|RULE]")
@lang_option
def explain(key) -> None:
    """Explain an indicator or a rule: what it means, how it is computed, which clause.

    KEY is an indicator or rule id, or a term of their names (e.g. 暂付款: every indicator
    and rule about advances). Without an argument, list the indicators and rules.
    """
    from fiscal_sim import labels

    lang = use_lang()
    if key is None:
        for name in labels.INDICATORS:
            click.echo(f"{name}\t{labels.label(name, lang)}")
        for rule in _rules().values():
            click.echo(f"{rule.id}\t{rule.title_zh if lang == 'zh' else rule.title_en}")
        return
    text = _describe(key, lang)
    if text is None:  # a Chinese (or English) term: every indicator and rule named by it
        found = [_describe(name, lang) for name in _named(key)]
        text = "\n".join(found) if found else None
    if text is None:
        raise InputError(
            Bilingual(
                "未知指标或规则 {key!r}{hint}；`fiscal-sim explain` 列出全部指标和规则",
                "unknown indicator or rule {key!r}{hint}; `fiscal-sim explain` lists them",
                key=key,
                hint=did_you_mean(key, [*labels.INDICATORS, *_rule_ids()]),
            )
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


def _named(term: str) -> list[str]:
    """The indicators and rules whose name (中文 or English) contains ``term``."""
    from fiscal_sim import labels

    needle = term.casefold()
    names = []
    for name, (zh, en, *_) in labels.INDICATORS.items():
        if needle in zh.casefold() or needle in en.casefold():
            names.append(name)
    for rule in _rules().values():
        texts = (rule.title_zh, rule.title_en, *labels.RULE_NAMES.get(rule.id, ()))
        if any(needle in text.casefold() for text in texts):
            names.append(rule.id)
    return names


def _rules() -> dict:
    """The registered rules by id (fiscal_sim.rules.RULES)."""
    from fiscal_sim import rules

    return rules.RULES


def _rule_ids() -> list[str]:
    return list(_rules())


COMMANDS = (run, compare, scenarios, params, explain)
