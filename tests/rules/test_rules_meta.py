"""Meta-tests: every rule cites a real clause, quotes it verbatim, reads only its parameters,
and every rules.* parameter of the schema is read by some rule."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

import fiscal_sim.rules
from fiscal_sim.rules import RULES, check
from fiscal_sim.rules.clauses import clause, clause_ids, quoted_ids

REPO = Path(__file__).resolve().parents[2]
# The repository keeps copies of the brief's clause table and of the source document.
SOURCE_RULES = REPO / "docs" / "source-rules.md"
SEED = REPO / "docs" / "source-document-zh.txt"
CLAUSE_ID = re.compile(r"\b(?:OPS|EMP|LIV|MKT|FE|SC)\.\d+(?:\.\d+)*(?:\(\d+\))?(?:–\d+)?")


def _ids_in(text: str) -> set[str]:
    """Clause IDs in a text; a range ``MKT.4.3.8–9`` gives both ends."""
    ids = set()
    for found in CLAUSE_ID.findall(text):
        head, dash, last = found.partition("–")
        ids.add(head)
        if dash:
            ids.add(head.rsplit(".", 1)[0] + "." + last)
    return ids


def test_package_clause_ids_match_source_rules():
    assert clause_ids() == _ids_in(SOURCE_RULES.read_text(encoding="utf-8"))


@pytest.mark.parametrize("rule_id", list(RULES))
def test_rule_cites_known_clauses_in_code_and_docstring(rule_id):
    rule = RULES[rule_id]
    assert rule.clauses, rule_id
    for clause_id in rule.clauses:
        assert clause_id in clause_ids(), clause_id
        assert clause_id in quoted_ids(), f"{clause_id} has no quoted text in clauses.yaml"
        assert clause_id in rule.doc, f"{rule_id}'s docstring does not cite {clause_id}"
    assert rule.title_zh and rule.title_en
    assert inspect.getdoc(rule.function).splitlines()[0].endswith(".")


def test_quoted_clauses_are_verbatim_from_the_source_document():
    text = SEED.read_text(encoding="utf-8")
    for clause_id in quoted_ids():
        quoted = clause(clause_id)
        assert quoted.zh in text, clause_id
        assert quoted.en and quoted.section


def _recorded_params(rule, make_projection) -> set[str]:
    projection = make_projection()
    projection.scenario.read.clear()
    rule(projection)
    return {path.removeprefix("rules.") for path in projection.scenario.read}


@pytest.mark.parametrize("rule_id", list(RULES))
def test_rule_reads_exactly_the_parameters_it_declares(rule_id, make_projection):
    assert _recorded_params(RULES[rule_id], make_projection) == set(RULES[rule_id].params)


def test_every_rules_parameter_of_the_schema_is_used_by_a_rule():
    from fiscal_sim.params.schema import SPECS

    schema = {spec.path.removeprefix("rules.") for spec in SPECS if spec.path.startswith("rules.")}
    used = {name for rule in RULES.values() for name in rule.params}
    assert schema == used


def test_rules_parameters_cite_their_clause_in_the_default_scenario():
    """A threshold's source is its rule's clause, or says openly that it is an assumption."""
    from fiscal_sim.scenario import load_scenario

    scenario = load_scenario()
    for rule in RULES.values():
        for name in rule.params:
            source = scenario.param(f"rules.{name}").source
            assert _ids_in(source) & set(rule.clauses) or "assumption" in source, (name, source)


RULE_MODULES = sorted({inspect.getmodule(rule.function) for rule in RULES.values()}, key=str)


@pytest.mark.parametrize("module", RULE_MODULES, ids=lambda m: m.__name__)
def test_no_threshold_literals_in_rule_modules(module):
    """Rates (0.05, 0.3 ...) and years (2020, 2023 ...) come from parameters, never literals.

    Small integers remain allowed: array axes, status codes, months 1..12.
    """
    tree = ast.parse(inspect.getsource(module))
    numbers = {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
    }
    suspicious = {n for n in numbers if (isinstance(n, float) and n not in (0.0, 1.0)) or n > 13}
    assert not suspicious, f"{module.__name__}: threshold-like literals {suspicious}"


def test_rule_order_is_model_md_section_8():
    assert list(RULES) == list(fiscal_sim.rules.RULE_ORDER)
    assert len(RULES) == 17


def test_unknown_rule_is_an_error(make_projection):
    from fiscal_sim.errors import FiscalSimError

    with pytest.raises(FiscalSimError, match="unknown rule"):
        check(make_projection(), only="advance_capp")
    with pytest.raises(FiscalSimError, match="outside the projection"):
        check(make_projection(), years=[2030])


@pytest.mark.parametrize("rule_id", list(RULES))
def test_rule_titles_carry_no_thresholds_or_years(rule_id):
    """Thresholds and years are parameters: a title with them would go stale (messages and
    --explain give the numbers from the scenario)."""
    rule = RULES[rule_id]
    for title in (rule.title_zh, rule.title_en):
        assert not re.search(r"\d|%|[一两二三四五六七八九十]年|\b(one|two|three) years?\b", title)
