"""The cells of a view: display words, formatted numbers, :class:`Table` and :class:`View`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from fiscal_sim.labels import INDICATORS, get_lang, label

KEY_INDICATORS = (
    "own_revenue",
    "gpb_expenditure",
    "self_sufficiency",
    "sanbao_shortfall",
    "advance_balance",
    "advance_ratio",
    "legacy_advances",
    "cash_cover_min_months",
    "debt_ratio",
    "headcount",
    "stabilization_fund",
)
"""The indicators a projection and a comparison show, in this order (all in ``indicators()``)."""

MAX_FINDING_ROWS = 20
"""Breach and warning rows shown at most; the rest are counted (``check(p)`` has them all)."""

_WORDS: dict[str, tuple[str, str]] = {
    "projection": ("预测", "Projection"),
    "comparison": ("情景比较", "Scenario comparison"),
    "draws": ("显示第{draw}次模拟（共{draws}次）", "draw {draw} of {draws} shown"),
    "findings": ("违规与预警", "Breaches and warnings"),
    "findings.more": ("另有{count}行未显示", "{count} more rows not shown"),
    "indicators": ("主要指标", "Key indicators"),
    "rules_breached": ("违规规则及年份", "Rules breached, by year"),
    "none": ("（无）", "(none)"),
    "charts": (
        "图表：{owner}.plot.{names}()",
        "Charts: {owner}.plot.{names}()",
    ),
    "compare_chart": ("图表：{owner}.plot(指标名)", "Chart: {owner}.plot(indicator)"),
    "differences": (
        "差异（相对于{first}）见 .to_frame()",
        "Differences against {first}: .to_frame()",
    ),
    "severity": ("状态", "severity"),
    "rule": ("规则", "rule"),
    "clause": ("条款", "clause"),
    "year": ("年度", "year"),
    "month": ("月", "month"),
    "value": ("数值", "value"),
    "threshold": ("阈值", "threshold"),
    "margin": ("余量", "margin"),
    "message": ("说明", "message"),
    "indicator": ("指标", "indicator"),
    "unit": ("单位", "unit"),
    "scenario": ("情景", "scenario"),
    "breach": ("违规", "breach"),
    "warning": ("预警", "warning"),
    "ok": ("满足", "ok"),
    "unit.wan_yuan": ("万元", "万元"),
    "unit.fraction": ("%", "%"),
    "unit.months": ("月", "months"),
    "unit.persons": ("人", "persons"),
}


def word(key: str, lang: str, **fields) -> str:
    """A display word in ``lang``, with ``fields`` filled in.

    Examples
    --------
    >>> word("indicators", "zh"), word("findings.more", "en", count=3)
    ('主要指标', '3 more rows not shown')
    """
    text = _WORDS[key][0 if lang == "zh" else 1]
    return text.format(**fields) if fields else text


def _lang(lang: str | None) -> str:
    return get_lang() if lang is None else lang


# --- cells ------------------------------------------------------------------------------------
def format_indicator(name: str, value) -> str:
    """An indicator's value as the displays show it, by the indicator's unit.

    Examples
    --------
    >>> format_indicator("advance_ratio", 0.0771), format_indicator("own_revenue", 28512.4)
    ('7.7%', '28,512')
    >>> format_indicator("cash_cover_min_months", 0.718), format_indicator("headcount", 4975.2)
    ('0.72', '4,975')
    """
    from fiscal_sim.numbers import format_value, kind_of_unit

    unit = INDICATORS[name][2] if name in INDICATORS else "wan_yuan"
    return format_value(value, kind_of_unit(unit), missing="–")


def unit_word(name: str, lang: str) -> str:
    """The unit of an indicator in ``lang`` (万元, %, months, persons)."""
    unit = INDICATORS[name][2] if name in INDICATORS else "wan_yuan"
    return word(f"unit.{unit}", lang)


def scenario_title(scenario, lang: str) -> str:
    """A scenario's title in ``lang`` (its name when it has none)."""
    title = getattr(scenario, "title", None)
    if isinstance(title, dict):
        title = title.get(lang) or title.get("zh") or title.get("en")
    return str(title or getattr(scenario, "name", ""))


# --- the view ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Table:
    """A titled table of formatted cells; ``numeric`` marks right-aligned columns."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]
    note: str = ""
    severity: tuple[str, ...] = ()  # per row, for colouring breaches in HTML


@dataclass(frozen=True)
class View:
    """What a result shows: a title, headline lines, tables, and (HTML only) a chart."""

    title: str
    lines: tuple[str, ...]
    tables: tuple[Table, ...]
    footer: tuple[str, ...] = ()
    chart: Callable | None = field(default=None, compare=False)


def findings_table(findings, lang: str, max_rows: int = MAX_FINDING_ROWS) -> Table:
    """Breach and warning rows of ``findings`` (breaches first), each with its clause."""
    from fiscal_sim.rules.findings import format_value

    frame = findings.to_frame()
    flagged = frame[frame["severity"] != "ok"]
    shown = flagged.head(max_rows)
    rows = []
    for record in shown.to_dict("records"):
        month = record["month"]
        rows.append(
            (
                word(record["severity"], lang),
                record["rule"],
                record["clause"],
                str(int(record["year"])),
                _month_text(month),
                format_value(record["value"], record["unit"]),
                format_value(record["threshold"], record["unit"]),
                format_value(record["margin"], record["unit"]),
                str(record[f"message_{lang}"]),
            )
        )
    columns = ("severity", "rule", "clause", "year", "month", "value", "threshold", "margin")
    header = tuple(word(column, lang) for column in (*columns, "message"))
    numeric = (False, False, False, True, True, True, True, True, False)
    more = len(flagged) - len(shown)
    return Table(
        title=word("findings", lang),
        header=header,
        rows=tuple(rows),
        numeric=numeric,
        note=word("findings.more", lang, count=more) if more > 0 else "",
        severity=tuple(shown["severity"]),
    )


def _month_text(month) -> str:
    import pandas as pd

    return "" if month is None or pd.isna(month) else str(int(month))


def indicator_table(indicators, lang: str, names=KEY_INDICATORS) -> Table:
    """Key indicators: one row per indicator (with its unit), one column per year."""
    years = [int(year) for year in indicators.index]
    rows = tuple(
        (
            label(name, lang),
            unit_word(name, lang),
            *(format_indicator(name, value) for value in indicators[name]),
        )
        for name in names
    )
    header = (word("indicator", lang), word("unit", lang), *map(str, years))
    return Table(
        title=word("indicators", lang),
        header=header,
        rows=rows,
        numeric=(False, False, *(True for _ in years)),
    )
