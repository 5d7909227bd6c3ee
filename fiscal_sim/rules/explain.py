"""What a rule checks, in words: its clause quoted from the source document, its parameters."""

from __future__ import annotations

import inspect
import re

from fiscal_sim.rules.clauses import clause, document


def _summary(function) -> str:
    doc = inspect.getdoc(function) or ""
    return " ".join(doc.split("\n\n", 1)[0].replace("``", "").split())


def _checks(rule, lang: str) -> str:
    """What the rule checks: in English the docstring's summary; in Chinese (the docstrings
    are English) the rule's title and the words of the clause it tests, which the docstring
    quotes in parentheses."""
    if lang != "zh":
        return _summary(rule.function)
    quoted = _CLAUSE_WORDS.search(" ".join(rule.doc.split()))
    return f"{rule.title_zh}（条款要求「{quoted.group(1)}」）" if quoted else rule.title_zh


_CLAUSE_WORDS = re.compile(r"Clause [A-Z0-9.]+ \(([^()A-Za-z]*[\u4e00-\u9fff][^()A-Za-z]*)\)")


def _param_lines(rule, scenario, lang: str) -> list[str]:
    if not rule.params:
        return ["  (无参数)" if lang == "zh" else "  (no parameters)"]
    lines = []
    for name in rule.params:
        path = f"rules.{name}"
        if scenario is None:
            lines.append(f"  {path}")
            continue
        param = scenario.param(path)
        label = param.label_zh if lang == "zh" else param.label_en
        source = "来源" if lang == "zh" else "source"
        lines.append(f"  {path} = {param.value} {param.unit} — {label}; {source}: {param.source}")
    return lines


def describe(rule_id: str, lang: str = "zh", scenario=None) -> str:
    """The explanation of one rule: title, clause text (中文 and English), parameters.

    Parameters
    ----------
    rule_id : str
        A key of ``fiscal_sim.rules.RULES``; an unknown id raises ``KeyError``.
    lang : {"zh", "en"}
        Language of the headings and labels (the clause is always given in both).
    scenario : Scenario, optional
        Where parameter values, units and sources are read; without it the bundled default
        scenario is used when it can be loaded, else only parameter names are listed.

    Examples
    --------
    >>> print(describe("advance_term", "en").splitlines()[0])
    advance_term — New advances repaid within the term
    """
    from fiscal_sim.rules.registry import REGISTERED as RULES

    rule = RULES[rule_id]
    if scenario is None and rule.params:
        scenario = _default_scenario()
    title = rule.title_zh if lang == "zh" else rule.title_en
    source = document()
    heading = {
        "zh": ("条款", "检查内容", "参数"),
        "en": ("Clause", "Checks", "Parameters"),
    }[lang]
    lines = [f"{rule.id} — {title}", ""]
    for clause_id in rule.clauses:
        quoted = clause(clause_id)
        lines += [
            f"{heading[0]} {clause_id}: {source['zh']} {quoted.section}",
            f"  「{quoted.zh}」",
            f"  {quoted.en}",
            "",
        ]
    lines += [f"{heading[1]}: {_checks(rule, lang)}", "", f"{heading[2]}:"]
    lines += _param_lines(rule, scenario, lang)
    return "\n".join(lines)


def _default_scenario():
    try:
        from fiscal_sim.scenario import load_scenario

        return load_scenario()
    except Exception:  # the explanation still works without a loadable default scenario
        return None
