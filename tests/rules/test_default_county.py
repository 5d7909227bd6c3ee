"""The default county's findings: the story they tell, and the golden file that pins them."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import fiscal_sim
from fiscal_sim.rules import RULES, breach_matrix, check

_spec = importlib.util.spec_from_file_location(
    "regen_golden", Path(__file__).with_name("regen_golden.py")
)
regen_golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(regen_golden)


@pytest.fixture(scope="module")
def projection():
    return fiscal_sim.project(fiscal_sim.load_scenario())


@pytest.fixture(scope="module")
def findings(projection):
    return check(projection)


def test_advance_cap_is_breached_early_and_met_once_the_stock_is_digested(findings, projection):
    # The county starts with advances at ~9 % of spending (model.md §10): the 5 % cap is
    # breached in the first years and met later because the digestion plan is followed.
    cap = findings.filter(rule="advance_cap").to_frame().set_index("year")
    assert cap.loc[2019, "severity"] == "breach"
    assert cap.loc[2019, "value"] > 0.05
    breached_years = cap.index[cap["severity"] == "breach"]
    assert list(breached_years) == list(range(2019, breached_years.max() + 1))
    assert (cap.loc[breached_years.max() + 1 :, "severity"] == "ok").all()
    assert cap.loc[2025, "severity"] == "ok"
    # the rule's ratio is the engine's indicator, by the same definition
    np.testing.assert_allclose(cap["value"].to_numpy(), projection.annual["advance_ratio"][0])


def test_default_county_keeps_every_other_rule(findings):
    # The default makes none of the plan's cuts (they are in plan-followed and austerity): the
    # cut mandate is breached from 2020; every other rule but the advance cap holds.
    breaches = findings.breaches.to_frame()
    assert set(breaches["rule"]) == {"advance_cap", "non_rigid_cut", "three_public_cut"}
    cuts = breaches[breaches["rule"] == "non_rigid_cut"]
    assert list(cuts["year"]) == list(range(2020, 2026))
    legacy = findings.filter(rule="legacy_cleared").to_frame()
    assert (legacy["severity"] == "ok").all()
    assert 2023 in set(legacy.loc[legacy["aspect"] == "deadline", "year"])


def test_every_rule_reports_on_the_default_county(findings):
    assert set(findings.to_frame()["rule"]) == set(RULES)


def test_breach_matrix_agrees_with_the_findings(projection, findings):
    matrix = breach_matrix(projection)
    years = np.asarray(projection.years)
    for rule_id, breached in matrix.items():
        assert breached.shape == (1, len(years))
        from_findings = set(findings.breaches.filter(rule=rule_id).to_frame()["year"])
        assert set(years[breached[0]]) == from_findings, rule_id


def test_rule_findings_match_engine_flags(projection):
    from fiscal_sim.rules.treasury import cash_before_payroll

    covered = cash_before_payroll(projection) + 1e-9 >= projection.months["payroll"]
    np.testing.assert_array_equal(covered, projection.months["wage_covered"] > 0.5)
    overdue = check(projection, only="advance_term").to_frame()["value"].to_numpy()
    np.testing.assert_allclose(overdue, projection.annual["overdue_advances"][0], atol=1e-6)


def test_golden_findings_of_the_default_county():
    """Regenerate on purpose only: ``python tests/rules/regen_golden.py``."""
    expected = pd.read_csv(regen_golden.GOLDEN, keep_default_na=False, na_values=[""])
    actual = regen_golden.default_findings_frame()
    assert list(actual.columns) == list(expected.columns)
    assert len(actual) == len(expected)
    for column in ("value", "threshold", "margin"):
        np.testing.assert_allclose(
            actual[column].to_numpy(float), expected[column].to_numpy(float), atol=1e-5, rtol=1e-9
        )
    text_columns = ["rule", "clause", "year", "aspect", "unit", "severity"]
    text_columns += ["message_zh", "message_en"]
    pd.testing.assert_frame_equal(
        actual[text_columns].astype(str).reset_index(drop=True),
        expected[text_columns].astype(str).reset_index(drop=True),
    )
    actual_months = actual["month"].astype("Float64").fillna(0).to_numpy(float)
    expected_months = expected["month"].astype("Float64").fillna(0).to_numpy(float)
    np.testing.assert_array_equal(actual_months, expected_months)


def test_rules_run_on_many_draws_of_the_real_engine():
    scenario = fiscal_sim.load_scenario()
    shocks = {"tax": np.array([[0.0] * 7, [-0.3] * 7, [0.1] * 7])}
    projection = fiscal_sim.project(scenario, shocks=shocks)
    matrix = breach_matrix(projection)
    assert all(breached.shape == (3, 7) for breached in matrix.values())
    assert matrix["advance_cap"][:, 0].all()  # 2019 is breached whatever the tax path
    assert matrix["wages_funded"][1].sum() >= matrix["wages_funded"][0].sum()
    for draw in range(3):
        assert len(check(projection, draw=draw)) > 0


def test_papering_over_a_gap_with_advances_is_reported_not_hidden():
    scenario = fiscal_sim.load_scenario(overrides=["policy.gap_financing=advances"])
    projection = fiscal_sim.project(scenario, deltas={"livelihood": np.full((7, 12), 5000.0)})
    breached = set(check(projection).breaches.to_frame()["rule"])
    assert {"livelihood_funded", "advance_no_gap_cover", "no_spending_without_budget"} <= breached
