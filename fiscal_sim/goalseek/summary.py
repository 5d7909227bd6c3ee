"""What it would take: every lever's goal-seek side by side, for reports and notebooks."""

from __future__ import annotations

from dataclasses import dataclass

from fiscal_sim.labels import get_lang, rule_name

_WORDS = {
    "lever": ("措施", "lever"),
    "none": ("无需", "none needed"),
    "no_size": ("无解", "no size"),
    "out_of_reach": ("无法达到", "out of reach"),
    "title": (
        "要做到什么程度：每项措施单独使用时，各年最少需要的规模及约束规则",
        "What it would take: the least each lever must do, year by year, and the rule that binds",
    ),
}


def _word(key: str, lang: str) -> str:
    return _WORDS[key][0 if lang == "zh" else 1]


_MARKS = {"zh": ("（{}）", "、", "；", "："), "en": (" ({})", ", ", "; ", ": ")}
"""A cell's punctuation by language: the binding rule in brackets, the rules out of reach
listed, the two parts of a cell joined, a word and its rules."""


@dataclass(frozen=True)
class WhatItWouldTake:
    """One :class:`~fiscal_sim.goalseek.result.GoalSeek` per lever."""

    results: dict

    def table(self, lang: str | None = None):
        """Levers × years: the size and, in brackets, the binding rule; "-" where none is
        needed, "no size" where the lever breaks some rules before it makes others hold, and
        the rules no size of the lever can make hold that year ("out of reach")."""
        import pandas as pd

        lang = lang or get_lang()
        brackets, listed, joined, colon = _MARKS["zh" if lang == "zh" else "en"]
        rows = {}
        for found in self.results.values():
            cells = []
            for t in range(len(found.years)):
                size = found.sizes[t]
                if size is None:
                    cell = _word("no_size", lang)
                elif size == 0:
                    cell = ""
                else:
                    binding = rule_name(found.binding[t], lang)
                    cell = found.size_text(size) + brackets.format(binding)
                if found.unreachable[t]:
                    names = listed.join(rule_name(rule, lang) for rule in found.unreachable[t])
                    out_of_reach = f"{_word('out_of_reach', lang)}{colon}{names}"
                    cell = f"{cell}{joined}{out_of_reach}" if cell else out_of_reach
                cells.append(cell or "-")
            rows[found.lever.title(lang)] = cells
        years = [str(year) for year in next(iter(self.results.values())).years]
        frame = pd.DataFrame.from_dict(rows, orient="index", columns=years)
        frame.index.name = _word("lever", lang)
        return frame

    def title(self, lang: str | None = None) -> str:
        return _word("title", lang or get_lang())

    def lines(self, lang: str | None = None) -> list[str]:
        """Every lever's sentences, year by year."""
        return [line for found in self.results.values() for line in found.lines(lang)]


def what_it_would_take(scenario, levers=None, rules=None) -> WhatItWouldTake:
    """Goal-seek with each lever (default: all of ``levers.yaml``) on ``scenario``.

    Examples
    --------
    >>> import fiscal_sim
    >>> found = what_it_would_take(fiscal_sim.load_scenario("plan-followed"),
    ...                            ["faster_digestion"])
    >>> found.table("en").loc["faster legacy digestion", "2019"]
    '39.7% (advance cap)'
    """
    from fiscal_sim.goalseek import goal_seek
    from fiscal_sim.goalseek.levers import levers as all_levers

    names = list(all_levers()) if levers is None else list(levers)
    return WhatItWouldTake({name: goal_seek(scenario, name, rules=rules) for name in names})
