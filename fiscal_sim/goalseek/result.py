"""The result of a goal-seek: per year the size, the binding rule, the margins and the money."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

import numpy as np

from fiscal_sim import labels
from fiscal_sim.labels import get_lang
from fiscal_sim.numbers import format_value, kind_of_unit

COLUMNS = {
    "year": ("年份", "year"),
    "size": ("规模", "size"),
    "money": ("金额（万元）", "money (万元)"),
    "binding": ("约束规则", "binding rule"),
    "clause": ("条款", "clause"),
    "unreachable": ("无法满足的规则", "rules it cannot make hold"),
    "broken_by": ("随之突破的规则", "rules it breaks"),
    "rule": ("规则", "rule"),
}


MESSAGES = {
    "none_needed": (
        "{year}年：无需{lever}，其余所选规则均已满足",
        "{year}: no {lever} needed; the other selected rules hold",
    ),
    "size": (
        "{year}年：{lever}至少{size}（{word}{money}万元），约束规则为{binding}",
        "{year}: {lever} of at least {size} ({word} {money} 万元); binding: {binding}",
    ),
    "unreachable": (
        "  {lever}无论多大都不能使{rules}满足",
        "  no size of {lever} makes {rules} hold",
    ),
    "conflict": (
        "{year}年：{lever}使{needs}满足之前，先突破了{broken}，没有同时满足的规模",
        "{year}: no size of {lever} makes {needs} hold without breaking {broken}",
    ),
}


def _pick(pair, lang) -> str:
    return pair[0] if lang == "zh" else pair[1]


def rule_title(rule_id: str, lang: str) -> str:
    """A rule's title in ``lang`` with its id, e.g. ``暂付款…（advance_cap）``."""
    from fiscal_sim.rules import RULES

    rule = RULES[rule_id]
    return f"{rule.title_zh}（{rule_id}）" if lang == "zh" else f"{rule.title_en} ({rule_id})"


@dataclass(frozen=True)
class GoalSeek:
    """What it would take, year by year, for the selected rules to hold with one lever.

    ``sizes[i]`` is None in a year where the reachable rules cannot hold together;
    ``unreachable[i]`` names the rules no size of the lever makes hold that year;
    ``margins`` (years, rules) are the rules' margins with the lever at the solution (in
    the unit of each rule's tightest check, ``units``).
    """

    lever: object
    rules: tuple
    years: tuple
    sizes: tuple
    money: tuple
    binding: tuple
    unreachable: tuple
    conflict: tuple
    broken_by: tuple
    margins: np.ndarray
    aspects: np.ndarray
    units: np.ndarray
    evaluations: int
    meta: dict = field(default_factory=dict)

    @classmethod
    def build(cls, scenario, lever, rules, baseline, final, solved, solutions) -> GoalSeek:
        from fiscal_sim.goalseek.margins import tightest

        base = lever.base(scenario, baseline)
        margins = np.empty((len(solved), len(rules)))
        aspects = np.empty((len(solved), len(rules)), dtype=object)
        units = np.empty((len(solved), len(rules)), dtype=object)
        for t in range(len(solved)):
            best = tightest(final, rules, t)
            for column, rule_id in enumerate(rules):
                item = best.get(rule_id)
                margins[t, column] = np.inf if item is None else item.margin[0, t]
                aspects[t, column] = "" if item is None else item.aspect
                units[t, column] = "" if item is None else item.unit
        meta = {
            **dict(baseline.meta),
            "lever": lever.name,
            "rules": list(rules),
        }
        return cls(
            lever=lever,
            rules=tuple(rules),
            years=tuple(int(year) for year in scenario.years),
            sizes=tuple(s.size for s in solutions),
            money=tuple(
                None if s.size is None else float(s.size * b)
                for s, b in zip(solutions, base, strict=True)
            ),
            binding=tuple(None if s.binding is None else rules[s.binding] for s in solutions),
            unreachable=tuple(tuple(rules[i] for i in s.unreachable) for s in solutions),
            conflict=tuple(tuple(rules[i] for i in s.conflict) for s in solutions),
            broken_by=tuple(tuple(rules[i] for i in s.broken_by) for s in solutions),
            margins=margins,
            aspects=aspects,
            units=units,
            evaluations=sum(s.evaluations for s in solutions),
            meta=meta,
        )

    @property
    def found(self) -> bool:
        """Whether every selected rule holds in every year at the sizes found."""
        return all(size is not None for size in self.sizes) and not any(self.unreachable)

    def size_text(self, size) -> str:
        """The size as the one convention shows it (a share in percent with one decimal,
        money in whole 万元), rounded up: the smallest size is "at least" what is shown."""
        if size is None:
            return "-"
        if self.lever.unit == "fraction":
            return format_value(_rounded_up(size, 3), "ratio")
        return f"{format_value(_rounded_up(size, 0 if size >= 100 else 2))} 万元"

    def to_frame(self):
        """One row per year (machine form): size, money, binding rule, unreachable rules."""
        import pandas as pd

        return pd.DataFrame(
            {
                "year": list(self.years),
                "lever": self.lever.name,
                "unit": self.lever.unit,
                "size": [np.nan if s is None else s for s in self.sizes],
                "money": [np.nan if m is None else m for m in self.money],
                "binding": [b or "" for b in self.binding],
                "unreachable": [" ".join(u) for u in self.unreachable],
                "conflict": [" ".join(c) for c in self.conflict],
                "broken_by": [" ".join(c) for c in self.broken_by],
            }
        )

    def margins_frame(self):
        """Every rule's margin at the solution, one row per (year, rule) (machine form)."""
        import pandas as pd

        rows = [
            {
                "year": year,
                "rule": rule_id,
                "aspect": self.aspects[t, column],
                "unit": self.units[t, column],
                "margin": self.margins[t, column],
                "holds": bool(self.margins[t, column] >= 0),
            }
            for t, year in enumerate(self.years)
            for column, rule_id in enumerate(self.rules)
            if np.isfinite(self.margins[t, column])
        ]
        return pd.DataFrame(rows)

    def display(self, lang: str | None = None) -> dict:
        """Tables for people: the years, and the margins (rules × years), labelled."""
        import pandas as pd

        from fiscal_sim.rules import RULES

        lang = lang or get_lang()
        summary = pd.DataFrame(
            {
                _pick(COLUMNS["size"], lang): [self.size_text(s) for s in self.sizes],
                _pick(COLUMNS["money"], lang): [format_value(m, missing="-") for m in self.money],
                _pick(COLUMNS["binding"], lang): [
                    rule_title(b, lang) if b else "-" for b in self.binding
                ],
                _pick(COLUMNS["clause"], lang): [
                    RULES[b].clause if b else "-" for b in self.binding
                ],
                _pick(COLUMNS["unreachable"], lang): [
                    _names(u + c, lang)
                    for u, c in zip(self.unreachable, self.conflict, strict=True)
                ],
                _pick(COLUMNS["broken_by"], lang): [_names(b, lang) for b in self.broken_by],
            },
            index=pd.Index([str(year) for year in self.years], name=_pick(COLUMNS["year"], lang)),
        )
        shown = np.vectorize(_margin_text, otypes=[object])(self.margins.T, self.units.T)
        titles = [rule_title(rule_id, lang) for rule_id in self.rules]
        rules = pd.Index(titles, name=_pick(COLUMNS["rule"], lang))
        margins = pd.DataFrame(shown, index=rules, columns=[str(year) for year in self.years])
        return {"goal_seek": summary, "margins": margins}

    def lines(self, lang: str | None = None) -> list[str]:
        """One sentence per year (and one more naming the rules out of reach), in ``lang``."""
        lang = lang or get_lang()
        sep = "、" if lang == "zh" else ", "

        def say(key, **fields):
            return _pick(MESSAGES[key], lang).format(lever=self.lever.title(lang), **fields)

        def titles(rules):
            return sep.join(rule_title(rule_id, lang) for rule_id in rules)

        out = []
        for t, year in enumerate(self.years):
            size = self.sizes[t]
            if size is None:
                needs, broken = titles(self.conflict[t]), titles(self.broken_by[t])
                out.append(say("conflict", year=year, needs=needs, broken=broken))
            elif size == 0:
                out.append(say("none_needed", year=year))
            else:
                out.append(
                    say(
                        "size",
                        year=year,
                        size=self.size_text(size),
                        word=self.lever.money_word(lang),
                        money=format_value(self.money[t]),
                        binding=rule_title(self.binding[t], lang),
                    )
                )
            if self.unreachable[t]:
                out.append(say("unreachable", rules=titles(self.unreachable[t])))
        return out

    def to_text(self, lang: str | None = None) -> str:
        return "\n".join(self.lines(lang)) + "\n"

    def __str__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        tables = self.display()
        text = "".join(f"<p>{html.escape(line)}</p>" for line in self.lines())
        return text + tables["goal_seek"].to_html(border=0)


def _names(rule_ids, lang: str) -> str:
    """Rules by their short names in ``lang`` (``暂付款控制比例``), or "-" for none."""
    return ("、" if lang == "zh" else ", ").join(labels.rule_name(r, lang) for r in rule_ids) or "-"


def _rounded_up(size: float, decimals: int) -> float:
    """``size`` rounded up at ``decimals`` (a hair of float noise is not rounded up)."""
    scale = 10**decimals
    return math.ceil(size * scale - 1e-6) / scale


def _margin_text(margin: float, unit: str) -> str:
    """A margin by the one convention for its unit, signed: + is room left, - a breach."""
    if not np.isfinite(margin):
        return "-"
    text = format_value(0.0 if abs(margin) < 1e-9 else margin, kind_of_unit(unit))
    return text if text.startswith("-") else f"+{text}"
