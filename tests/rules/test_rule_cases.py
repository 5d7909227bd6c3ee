"""Worked cases, one data file per rule (``cases/<rule>.yaml``), values computed by hand."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _findings_expect import assert_rows, case_params, load_document

import fiscal_sim.errors
from fiscal_sim.rules import RULES, breach_matrix, check

CASES_DIR = Path(__file__).parent / "cases"
FILES = sorted(CASES_DIR.glob("*.yaml"))


@pytest.mark.parametrize(("document", "case"), case_params(FILES))
def test_worked_case(document, case, make_projection):
    projection = make_projection(case.get("given"))
    rule_id = document["rule"]
    if "raises" in case:
        with pytest.raises(getattr(fiscal_sim.errors, case["raises"])):
            check(projection, only=rule_id)
        return
    findings = check(projection, only=rule_id)
    frame = findings.to_frame()
    assert set(frame["rule"]) <= {rule_id}
    assert set(frame["clause"]) == {document["clause"]}
    assert_rows(frame, case["expect"], case.get("absent_years", ()))
    assert findings.ok == case["holds"]
    assert breach_matrix(projection, only=rule_id)[rule_id].any() == (not case["holds"])


def test_every_rule_has_a_case_file_that_holds_and_one_that_breaks():
    by_rule = {load_document(path)["rule"]: load_document(path) for path in FILES}
    assert set(by_rule) == set(RULES)
    for rule_id, document in by_rule.items():
        outcomes = {case.get("holds") for case in document["cases"]}
        assert {True, False} <= outcomes, rule_id
        assert document["clause"] == RULES[rule_id].clause


def test_breach_matrix_is_per_draw(make_projection, stack_draws):
    healthy = make_projection()
    broken = make_projection({"annual": {"advance_balance": [12000, 5000, 5000]}})
    projection = stack_draws([healthy, broken, healthy])
    matrix = breach_matrix(projection)
    assert matrix["advance_cap"].shape == (3, 3)
    np.testing.assert_array_equal(
        matrix["advance_cap"], [[False] * 3, [True, False, False], [False] * 3]
    )
    assert check(projection, draw=1).breaches.to_frame()["rule"].tolist() == ["advance_cap"]
    assert check(projection, draw=0).ok
