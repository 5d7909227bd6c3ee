"""The Findings data type: order, records, text and HTML, and the margin sign convention."""

from __future__ import annotations

import json

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fiscal_sim.rules import RULES, check
from fiscal_sim.rules.findings import COLUMNS, SEVERITY_RANK, TOLERANCE, Findings

BROKEN = {
    "annual": {"advance_balance": [12000, 5000, 5000], "headcount": [4975, 4990, 4960]},
    "months": {"cash_level": {"default": 0.6, 2021: 0.45}},
}


def test_breaches_come_first_then_warnings_then_ok(make_projection):
    frame = check(make_projection(BROKEN)).to_frame()
    ranks = frame["severity"].map(SEVERITY_RANK).to_numpy()
    assert (np.diff(ranks) >= 0).all()
    breaches = frame[frame["severity"] == "breach"]
    assert breaches["rule"].tolist() == ["advance_cap", "headcount_not_rising"]  # §8 order
    assert list(frame.columns) == list(COLUMNS)


def test_records_are_json_safe_and_match_the_frame(make_projection):
    findings = check(make_projection(BROKEN))
    records = findings.to_records()
    assert json.loads(json.dumps(records, ensure_ascii=False)) == records
    assert len(records) == len(findings)
    assert records[0]["rule"] == "advance_cap" and records[0]["month"] is None
    monthly = [r for r in records if r["rule"] == "treasury_cash_level" and r["year"] == 2021]
    assert all(isinstance(r["month"], int) for r in monthly) and len(monthly) == 12


def test_text_and_html_show_the_same_rows(make_projection):
    findings = check(make_projection(BROKEN))
    for lang in ("zh", "en"):
        text = findings.to_text(lang)
        for message in findings.to_frame()[f"message_{lang}"]:
            assert message in text
    html = findings._repr_html_()
    assert html.count("<tr") == len(findings) + 1  # header + one row per finding
    assert str(findings).splitlines()[0] == findings.headline()


def test_ok_breaches_warnings_and_filter(make_projection):
    findings = check(make_projection(BROKEN))
    assert not findings.ok
    assert set(findings.breaches.to_frame()["severity"]) == {"breach"}
    assert set(findings.warnings.to_frame()["severity"]) == {"warning"}
    assert findings.filter(rule="advance_cap", year=2019).to_frame()["margin"].iloc[0] < 0
    assert check(make_projection()).ok
    summary = findings.summary().set_index("rule")
    assert summary.loc["advance_cap", "first_breach"] == 2019
    assert summary.loc["headcount_not_rising", "breaches"] == 1


def test_years_filter(make_projection):
    findings = check(make_projection(BROKEN), years=[2020])
    assert set(findings.to_frame()["year"]) == {2020}
    assert findings.filter(rule="headcount_not_rising").to_frame()["severity"].tolist() == [
        "breach"
    ]


money = st.floats(min_value=0, max_value=1e6, allow_nan=False)


# make_projection is a pure builder (no state to reset between examples).
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    balance=st.lists(money, min_size=3, max_size=3),
    headcount=st.lists(st.floats(4000, 6000), min_size=3, max_size=3),
    cash_level=st.lists(st.floats(0, 3), min_size=3, max_size=3),
    shortfall=st.lists(money, min_size=3, max_size=3),
)
def test_a_breach_always_has_a_negative_margin_and_ok_never_does(
    make_projection, balance, headcount, cash_level, shortfall
):
    projection = make_projection(
        {
            "annual": {"advance_balance": balance, "headcount": headcount},
            "months": {
                "cash_level": {y: c for y, c in zip((2019, 2020, 2021), cash_level, strict=True)}
            },
            "tiers": {"funded": {"wages": [60000 - s for s in shortfall]}},
        }
    )
    frame = check(projection).to_frame()
    assert ((frame["severity"] != "breach") | (frame["margin"] < 0)).all()
    assert ((frame["severity"] != "ok") | (frame["margin"] >= -TOLERANCE)).all()
    assert set(frame["rule"]) == set(RULES)


def test_empty_findings_present_themselves():
    empty = Findings.empty()
    assert empty.ok and len(empty) == 0
    assert "0" in str(empty)


def test_a_cut_of_almost_nothing_reads_zero_not_minus_zero(make_projection):
    # 2020 plans 0.05 万元 more than 2019: a cut of -0.0003 %, shown to 0.1 % as 0.0 %
    projection = make_projection({"annual": {"planned_non_rigid": [16000, 16000.05, 12960]}})
    row = check(projection, only=["non_rigid_cut"], years=[2020]).to_frame().iloc[0]
    assert row["severity"] == "breach"
    assert "仅压减0.0%" in row["message_zh"] and "-0.0" not in row["message_zh"]
    assert "-0.0" not in row["message_en"]


def test_text_and_html_tables_speak_the_chosen_language(make_projection):
    from fiscal_sim import labels

    findings = check(make_projection(BROKEN))
    shown = findings._display_frame("zh")
    assert list(shown.columns[:3]) == ["结果", "规则", "条款"]
    assert set(shown["结果"]) <= {"违规", "预警", "通过"}
    zh_aspects = {
        pair[0] for pair in (*labels.ASPECT_LABELS.values(), *labels.TIER_LABELS.values())
    }
    assert set(shown["方面"]) <= zh_aspects
    assert set(shown["单位"]) <= {"万元", "比例", "月", "人"}
    assert "-" in set(shown["月份"]) and "<NA>" not in findings.to_text("zh")
    english = findings._display_frame("en")
    assert "万元" in set(english["unit"]) and "wan_yuan" not in set(english["unit"])
