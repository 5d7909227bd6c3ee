"""Every rule on the engine's own output: worked cases that start from a scenario file.

Each file in ``engine_cases/`` is about one rule; each case is an overlay on the tiny county
(``tests/engine/tiny-county.yaml``), projected with :func:`fiscal_sim.project` and checked
with :func:`fiscal_sim.rules.check`. The expected findings are hand figures, worked out in
the file's comments, so a field that means something else in the engine than the rule
assumes fails here (the synthetic projections of ``cases/`` cannot notice that).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _findings_expect import assert_rows, case_params, load_document

import fiscal_sim
from fiscal_sim.rules import RULES, breach_matrix, check

HERE = Path(__file__).parent
FILES = sorted((HERE / "engine_cases").glob("*.yaml"))


@pytest.mark.parametrize(("document", "case"), case_params(FILES))
def test_rule_on_the_engine_output(document, case, tiny_county):
    projection = fiscal_sim.project(tiny_county(case.get("scenario")))
    rule_id = document["rule"]
    findings = check(projection, only=rule_id)
    frame = findings.to_frame()
    assert set(frame["clause"]) == {RULES[rule_id].clause}
    assert_rows(frame, case["expect"], case.get("absent_years", ()))
    for year, count in case.get("rows_per_year", {}).items():
        assert (frame["year"] == year).sum() == count, (year, frame[frame["year"] == year])
    assert findings.ok == case["holds"]
    assert breach_matrix(projection, only=rule_id)[rule_id][0].any() == (not case["holds"])


def test_every_rule_has_an_engine_case_that_holds_and_one_that_breaks():
    by_rule = {}
    for path in FILES:
        document = load_document(path)
        assert path.stem == document["rule"], path
        # A strict xfail case counts: it fails the suite as soon as the engine makes it pass.
        by_rule[document["rule"]] = {case["holds"] for case in document["cases"]}
    assert set(by_rule) == set(RULES)
    for rule_id, outcomes in by_rule.items():
        assert outcomes == {True, False}, rule_id
