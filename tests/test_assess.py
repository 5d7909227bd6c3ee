"""Affordability assessment (OPS.4.1.1): policy files, verdicts and the public API."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import fiscal_sim
from fiscal_sim.affordability import LINES, Policy, load_policy
from fiscal_sim.errors import PolicyError

POLICIES = Path(__file__).parent / "rules" / "policies"


@pytest.fixture(scope="module")
def scenario():
    # The default county making the plan's cuts (OPS.4.1.2): the default itself makes none, so
    # the cut mandate is breached before any policy is assessed.
    return fiscal_sim.load_scenario("austerity")


def test_small_policy_is_affordable(scenario):
    result = fiscal_sim.assess(scenario, POLICIES / "dibao_top_up.yaml")
    assert result.verdict == "affordable" and result.affordable
    assert result.failing_rules == []
    np.testing.assert_allclose(result.cost.set_index("year")["livelihood"].loc[2021], 324.0)
    assert result.cost.set_index("year")["livelihood"].loc[2020] == 0.0
    room = result.headroom.set_index(["rule", "aspect"]).loc[("sanbao", "resources_left")]
    assert 0 < room["margin_after"] <= room["margin_before"]
    assert "可承受" in result.to_text("zh") and "affordable" in result.to_text("en")


def test_large_policy_is_not_affordable_and_names_the_failing_rule(scenario):
    result = fiscal_sim.assess(scenario, POLICIES / "large_programme.yaml")
    assert result.verdict == "not_affordable" and not result.affordable
    assert "livelihood_funded" in result.failing_rules
    first = result.changes[
        (result.changes["rule"] == "livelihood_funded") & (result.changes["change"] == "new_breach")
    ].iloc[0]
    assert first["year"] == 2021 and first["clause"] == "OPS.2.2"
    assert first["margin_after"] < 0 <= first["margin_before"]
    assert "livelihood_funded" in result.headline("en")
    room = result.headroom.set_index(["rule", "aspect"]).loc[("sanbao", "resources_left")]
    assert room["margin_after"] == 0.0 and room["year"] == 2021
    document = result.to_records()
    assert json.loads(json.dumps(document, ensure_ascii=False)) == document
    assert document["verdict"] == "not_affordable"


def test_revenue_measures_and_several_measures(scenario):
    policy = load_policy(POLICIES / "tax_relief.yaml")
    deltas = policy.deltas(scenario.years)
    assert set(deltas) == {"tax", "general_transfers"}
    tax_2020 = deltas["tax"][list(scenario.years).index(2020)]
    np.testing.assert_allclose(tax_2020, [0, 0] + [-120.0] * 10)
    result = fiscal_sim.assess(scenario, policy)
    assert result.verdict in {"affordable", "affordable_with_warnings"}


def test_the_public_api(scenario):
    assert fiscal_sim.load_policy is load_policy and fiscal_sim.Policy is Policy
    policy = fiscal_sim.Policy.from_dict({"line": "key_projects", "amount": 1, "start_year": 2022})
    assert fiscal_sim.assess(scenario, policy).verdict == "affordable"


def test_more_three_public_spending_breaks_the_cut_mandate_with_a_warning(scenario):
    # 三公经费 +1 万元 from 2022: affordable, but the plan no longer cuts 三公 by 3 % (OPS.4.1.2)
    policy = Policy.from_dict({"line": "three_public", "amount": 1, "start_year": 2022})
    result = fiscal_sim.assess(scenario, policy)
    assert result.verdict == "affordable_with_warnings"
    new = result.changes[result.changes["change"] == "new_breach"]
    assert set(new["rule"]) == {"three_public_cut"} and not new["gating"].any()
    assert new["year"].tolist() == [2022, 2023, 2024, 2025]
    # 2022: 1 万元 above the allowed 0.97 × 2021 level; later years only by the 3 % of it
    assert new["margin_after"].iloc[0] == pytest.approx(-1.0)


@pytest.mark.parametrize(
    ("text", "key", "message"),
    [
        ("line: livelihod\namount: 1\nstart_year: 2021\n", "line", "expected one of"),
        ("line: livelihood\namount: 1\nstart_year: 2021\ncolour: red\n", "colour", "unknown key"),
        (
            "line: tax\namount: 1\nquantity: 5\nunit_cost_yuan: 1\nstart_year: 2021\n",
            "amount",
            "either",
        ),
        ("line: tax\nquantity: 5\nstart_year: 2021\n", "unit_cost_yuan", "required"),
        ("line: tax\namount: 1\n", "start_year", "required"),
        ("line: tax\namount: 1\nstart_year: 2021\ncounty_share: 1.5\n", "county_share", "from 0"),
        (
            "line: tax\namount: 1\nstart_year: 2021\nmonths: 4\nstart_month: 11\n",
            "months",
            "past December",
        ),
        ("line: tax\namount: abc\nstart_year: 2021\n", "amount", "expected a number"),
        ("line: tax\namount: 1\nstart_year: 2022\nend_year: 2021\n", "end_year", "before"),
        ("line: tax\namount: 1\namount: 2\nstart_year: 2021\n", "amount", "duplicate key"),
        ("measures: []\n", "measures", "non-empty"),
    ],
)
def test_bad_policy_files_name_file_key_and_problem(tmp_path, text, key, message):
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError, match=message) as caught:
        load_policy(path)
    assert caught.value.key == key
    assert caught.value.file == str(path)
    assert str(path) in str(caught.value)


def test_duplicate_key_error_has_its_line(tmp_path):
    path = tmp_path / "policy.yaml"
    path.write_text("line: tax\namount: 1\namount: 2\nstart_year: 2021\n", encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert caught.value.line == 3


def test_missing_file_and_years_outside_the_horizon(tmp_path, scenario):
    with pytest.raises(PolicyError, match="file not found"):
        load_policy(tmp_path / "missing.yaml")
    policy = Policy.from_dict({"line": "tax", "amount": -5, "start_year": 2030}, file="p.yaml")
    with pytest.raises(PolicyError, match="outside the projection years") as caught:
        fiscal_sim.assess(scenario, policy)
    assert caught.value.key == "start_year"


def test_lines_are_the_engines_delta_lines():
    from fiscal_sim.engine import DELTA_LINES

    assert set(LINES) == set(DELTA_LINES)


def test_the_html_view_escapes_the_policy_title():
    from fiscal_sim.policy import Policy

    policy = Policy.from_dict(
        {
            "name": "<script>alert(1)</script>",
            "measures": [
                {"line": "livelihood", "amount": 10, "start_year": 2021, "end_year": 2021}
            ],
        }
    )
    page = fiscal_sim.assess(fiscal_sim.load_scenario(), policy)._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_headroom_is_the_tightest_of_the_policys_years(scenario):
    policy = Policy.from_dict(
        {"line": "key_projects", "amount": {2021: 10, 2022: 20}, "name": "two years"}
    )
    result = fiscal_sim.assess(scenario, policy)
    assert result.years == (2021, 2022)
    assert set(result.headroom["year"]) <= {2021, 2022}
    np.testing.assert_allclose(
        result.cost.set_index("year")["key_projects"].loc[2021:2023], [10, 20, 0]
    )


def test_amount_per_year_and_its_errors_name_key_and_line(tmp_path):
    path = tmp_path / "policy.yaml"
    path.write_text("line: livelihood\namount:\n  2021: 1000\n  2022: 1200\n", encoding="utf-8")
    measure = load_policy(path).measures[0]
    assert (measure.start_year, measure.end_year) == (2021, 2022)
    np.testing.assert_allclose(
        load_policy(path).deltas(range(2019, 2026))["livelihood"].sum(axis=1),
        [0, 0, 1000, 1200, 0, 0, 0],
    )
    for text, key, line, message in (
        ("line: tax\namount:\n  2021: 1\n  2022: abc\n", "amount.2022", 4, "expected a number"),
        ("line: tax\nstart_year: 2021\namount:\n  2021: 1\n  2023: 2\n", "amount", 3, "2022"),
        ("line: tax\nend_year: 2021\namount:\n  2021: 1\n  2022: 2\n", "amount.2022", 5, "outside"),
        ("line: tax\namount:\n  next: 1\n", "amount.next", 3, "calendar year"),
        ("line: tax\ngrowth: 0.1\namount:\n  2021: 1\n", "growth", 2, "single amount"),
    ):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(PolicyError, match=message) as caught:
            load_policy(path)
        assert (caught.value.key, caught.value.line, caught.value.file) == (key, line, str(path))


def test_the_assessment_presents_itself_in_text_as_in_html(scenario):
    from fiscal_sim import labels

    result = fiscal_sim.assess(scenario, POLICIES / "large_programme.yaml")
    labels.set_lang("zh")
    text, page = repr(result), result._repr_html_()
    assert text == str(result) and text.startswith(result.headline("zh"))
    for part in ("年度影响（万元）", "变差的规则", "剩余空间", "保障三保后剩余财力", "新增违规"):
        assert part in text and part in page
    for raw in ("resources_left", "wan_yuan", "<NA>", "new_breach", "margin_after"):
        assert raw not in text
