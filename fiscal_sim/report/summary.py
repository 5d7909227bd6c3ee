"""The report's first page: one red/amber/green line per group of rules, the figures behind
each line and a few plain sentences, all computed from the findings (nothing is hard-coded).

A rule belongs to the group of its topic (the module of :mod:`fiscal_sim.rules` it lives in,
:data:`GROUP_OF_TOPIC`); a group is red when one of its rules is breached in some year, amber
when one only warns, green otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from fiscal_sim import labels
from fiscal_sim.numbers import format_value, kind_of_unit, year_ranges

GROUPS = ("sanbao", "advances", "cash", "cuts", "debt", "other")
"""The lines of the first page, in this order ("other" only when a rule has no group)."""

GROUP_OF_TOPIC = {
    "sanbao": "sanbao",
    "advances": "advances",
    "treasury": "cash",
    "cuts": "cuts",
    "budget": "cuts",
    "staff": "cuts",
    "stock_funds": "cuts",
    "arrears": "cuts",
    "debt": "debt",
}

GROUP_FIGURES = {
    "sanbao": (("sanbao_shortfall", "max"), ("sanbao_need", "last")),
    "advances": (("advance_ratio", "max"), ("legacy_advances", "deadline")),
    "cash": (("cash_cover_min_months", "min"),),
    "cuts": (("headcount", "last"),),
    "debt": (("debt_ratio", "max"), ("debt_total", "last")),
}
"""The indicators behind each line: (indicator, which year: its max, min, the last year or the
legacy deadline ``rules.legacy_deadline_year``)."""

STATUS_OF_SEVERITY = {"breach": "red", "warning": "amber", "ok": "green"}

_WORDS = {
    "group.sanbao": ("三保保障", "三保 (the three guarantees)"),
    "group.advances": ("暂付款及2023年消化目标", "Treasury advances and the 2023 line"),
    "group.cash": ("库款保障", "Treasury cash"),
    "group.cuts": ("压减支出与财经纪律", "Cuts and budget discipline"),
    "group.debt": ("政府债务", "Government debt"),
    "group.other": ("其他规则", "Other rules"),
    "status.red": ("红：违规", "red: breached"),
    "status.amber": ("黄：预警", "amber: warning"),
    "status.green": ("绿：满足", "green: holds"),
    "held": ("{group}：各项规则各年均满足。", "{group}: every rule holds in every year."),
    "breached": ("{rule}：{years}年违规{cause}", "{rule}: breached in {years}{cause}"),
    "warned": ("{rule}：{years}年预警", "{rule}: warning in {years}"),
    "met_from": ("；自{year}年起满足。", "; met from {year}."),
    "not_met": ("；至{year}年仍未满足。", "; still not met in {year}."),
    "end": ("。", "."),
    "figure": ("{value}（{year}年）", "{value} ({year})"),
    "worst": ("{value}（{year}年），标准{threshold}", "{value} ({year}), line {threshold}"),
    "cause.advance_cap": (
        "（{years}年仅{base}年末存量本身即超过上限）",
        " ({years}: by the end-{base} stock itself)",
    ),
    "page.group": ("方面", "Area"),
    "page.status": ("状态", "Status"),
    "page.figures": ("主要数据", "Figures"),
    "page.appendix": ("附录：数据来源与参数", "Appendix: sources and parameters"),
    "about": (
        "情景 {scenario}，{first}–{last}年，生成于 {date}；数据来源、哈希和参数见附录。",
        "Scenario {scenario}, {first}–{last}, generated {date}; sources, hash and parameters "
        "are in the appendix.",
    ),
    "headline": (
        "共检查{rules}项规则：{red}项违规，{amber}项预警，其余满足。",
        "{rules} rules checked: {red} breached, {amber} warning, the rest hold.",
    ),
}


def word(key: str, lang: str, **fields) -> str:
    text = _WORDS[key][0 if lang == "zh" else 1]
    return text.format(**fields) if fields else text


@dataclass(frozen=True)
class GroupLine:
    """One line of the first page: a group, its colour, its figures and its sentences."""

    key: str
    name: str
    status: str  # red, amber or green
    figures: tuple[str, ...]  # "indicator: value (year)", "rule: worst value (year), line"
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class Summary:
    """The first page: a headline and one :class:`GroupLine` per group of rules."""

    headline: str
    lines: tuple[GroupLine, ...]

    def sentences(self) -> list[str]:
        return [sentence for line in self.lines for sentence in line.sentences]


def rule_name(rule_id: str, lang: str) -> str:
    """A rule's short name (labels.RULE_NAMES), else its registered title, else its id."""
    if rule_id in labels.RULE_NAMES:
        return labels.rule_name(rule_id, lang)
    from fiscal_sim.rules import RULES

    found = RULES.get(rule_id)
    if found is None:
        return rule_id
    return found.title_zh if lang == "zh" else found.title_en


def group_of(rule_id: str) -> str:
    """The first-page group of a rule, by its topic."""
    from fiscal_sim.rules import RULES

    found = RULES.get(rule_id)
    return GROUP_OF_TOPIC.get(found.topic if found else "", "other")


def summary(projection, findings, lang: str, draw: int = 0) -> Summary:
    """The first page of a report from the findings (and, for causes, the projection)."""
    frame = findings.to_frame() if hasattr(findings, "to_frame") else pd.DataFrame(findings)
    if frame.empty:
        frame = pd.DataFrame(columns=["rule", "year", "severity", "value", "threshold", "margin"])
    frame = frame.assign(group=[group_of(rule) for rule in frame["rule"]])
    last_year = int(np.max(projection.years))
    lines = []
    for group in GROUPS:
        rows = frame[frame["group"] == group]
        if rows.empty and group == "other":
            continue
        name = word(f"group.{group}", lang)
        severities = set(rows["severity"])
        status = (
            "red" if "breach" in severities else "amber" if "warning" in severities else "green"
        )
        figures = _indicator_figures(projection, group, lang, draw)
        sentences = []
        for rule_id, by_rule in rows.groupby("rule", sort=False):
            if (by_rule["severity"] != "ok").any():
                figures.append((rule_name(rule_id, lang), _worst(by_rule, lang)))
            sentence = _sentence(projection, rule_id, by_rule, last_year, lang, draw)
            if sentence:
                sentences.append(sentence)
        if not sentences:
            sentences.append(word("held", lang, group=name))
        colon = "：" if lang == "zh" else ": "
        shown = tuple(f"{label}{colon}{text}" for label, text in figures)
        lines.append(GroupLine(group, name, status, shown, tuple(sentences)))
    breached = set(frame.loc[frame["severity"] == "breach", "rule"])
    warned = set(frame.loc[frame["severity"] == "warning", "rule"]) - breached
    headline = word(
        "headline", lang, rules=frame["rule"].nunique(), red=len(breached), amber=len(warned)
    )
    return Summary(headline, tuple(lines))


def _indicator_figures(projection, group: str, lang: str, draw: int) -> list:
    """The group's indicators (:data:`GROUP_FIGURES`), each in the year that matters."""
    indicators = projection.indicators(draw=draw)
    years = [int(year) for year in indicators.index]
    figures = []
    for name, pick in GROUP_FIGURES.get(group, ()):
        if name not in indicators:
            continue
        values = indicators[name].to_numpy(dtype=float)
        if pick == "deadline":
            year = _deadline(projection, years)
            index = years.index(year) if year in years else len(years) - 1
        elif pick == "last":
            index = len(years) - 1
        else:
            index = int(np.argmax(values) if pick == "max" else np.argmin(values))
        unit = labels.INDICATORS[name][2]
        value = format_value(values[index], kind_of_unit(unit))
        if unit != "fraction":
            value = f"{value} {labels.unit_label(unit, lang)}"
        text = word("figure", lang, value=value, year=years[index])
        figures.append((labels.label(name, lang), text))
    return figures


def _deadline(projection, years: list[int]) -> int:
    try:
        value = projection.scenario.param("rules.legacy_deadline_year").value
    except KeyError:
        return years[-1]
    return round(float(np.asarray(value).ravel()[0]))


def _worst(rows: pd.DataFrame, lang: str) -> str:
    """The row with the smallest margin: its value against its line, and its year."""
    row = rows.loc[rows["margin"].astype(float).idxmin()]
    kind = kind_of_unit(row.get("unit"))
    return word(
        "worst",
        lang,
        value=format_value(row["value"], kind),
        year=int(row["year"]),
        threshold=format_value(row["threshold"], kind),
    )


def _sentence(projection, rule_id: str, rows: pd.DataFrame, last_year: int, lang: str, draw: int):
    """What a rule's findings say: the years it is breached (or warns) and when it is met."""
    name = rule_name(rule_id, lang)
    breached = sorted({int(year) for year in rows.loc[rows["severity"] == "breach", "year"]})
    if not breached:
        warned = sorted({int(year) for year in rows.loc[rows["severity"] == "warning", "year"]})
        if not warned:
            return None
        return word("warned", lang, rule=name, years=year_ranges(warned, lang)) + word("end", lang)
    cause = _cause(projection, rule_id, breached, lang, draw)
    text = word("breached", lang, rule=name, years=year_ranges(breached, lang), cause=cause)
    later = rows[rows["year"].astype(int) > breached[-1]]
    if breached[-1] < last_year and not later.empty and (later["severity"] != "breach").all():
        return text + word("met_from", lang, year=breached[-1] + 1)
    return text + word("not_met", lang, year=last_year)


def _cause(projection, rule_id: str, years: list[int], lang: str, draw: int) -> str:
    """Why a rule is breached, where the projection can tell: the advance cap broken by the
    legacy (base-year) stock alone, before any new advance."""
    if rule_id != "advance_cap":
        return ""
    annual = projection.annual
    needed = ("legacy_advances", "gpb_expenditure", "gfb_expenditure")
    if not all(name in annual for name in needed):
        return ""
    all_years = [int(year) for year in projection.years]
    cap = float(np.asarray(projection.scenario.param("rules.advance_cap_ratio").value).ravel()[0])
    spending = (
        np.asarray(annual["gpb_expenditure"])[draw] + np.asarray(annual["gfb_expenditure"])[draw]
    )
    legacy_share = np.asarray(annual["legacy_advances"])[draw] / spending
    by_legacy = [year for year in years if legacy_share[all_years.index(year)] > cap]
    if not by_legacy:
        return ""
    shown = year_ranges(by_legacy, lang)
    return word("cause.advance_cap", lang, years=shown, base=all_years[0] - 1)


def page_words(lang: str) -> dict[str, str]:
    """The first page's words for the template: column heads, status names, the appendix."""
    words = {key: word(f"page.{key}", lang) for key in ("group", "status", "figures", "appendix")}
    words.update(
        {f"status.{key}": word(f"status.{key}", lang) for key in ("red", "amber", "green")}
    )
    return words


def about_line(projection, lang: str, generated: str | None = None) -> str:
    """One line under the title: scenario, years, date; where the details are."""
    import datetime

    years = [int(year) for year in projection.years]
    meta = getattr(projection, "meta", {}) or {}
    return word(
        "about",
        lang,
        scenario=meta.get("scenario", ""),
        first=years[0],
        last=years[-1],
        date=generated or datetime.date.today().isoformat(),
    )
