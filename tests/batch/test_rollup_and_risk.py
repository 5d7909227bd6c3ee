"""The roll-up (sums of money, ratios from the sums) and the risk score, worked by hand as
data: rollup-three-counties.yaml and risk-cases.yaml beside this file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from fiscal_sim.batch import risk
from fiscal_sim.batch.rollup import rollup

HERE = Path(__file__).parent
ROLLUP = yaml.safe_load((HERE / "rollup-three-counties.yaml").read_text("utf-8"))
RISK = yaml.safe_load((HERE / "risk-cases.yaml").read_text("utf-8"))


def _tidy(case) -> pd.DataFrame:
    rows = []
    for code, county in case["counties"].items():
        for indicator, value in county.items():
            if indicator != "prefecture":
                rows.append(
                    {
                        "code": code,
                        "name": code,
                        "prefecture": county["prefecture"],
                        "year": case["year"],
                        "indicator": indicator,
                        "value": float(value),
                    }
                )
    return pd.DataFrame(rows)


def test_rollup_of_three_counties_is_the_hand_sum_with_ratios_from_the_sums():
    table = rollup(_tidy(ROLLUP))
    for level, groups in ROLLUP["expected"].items():
        for group, expected in groups.items():
            mine = table[(table["level"] == level) & (table["group"] == group)]
            got = dict(zip(mine["indicator"], mine["value"], strict=True))
            for indicator, value in expected.items():
                if indicator == "counties":
                    assert set(mine["counties"]) == {value}, (level, group)
                else:
                    assert got[indicator] == pytest.approx(value, abs=ROLLUP["tolerance"]), (
                        level,
                        group,
                        indicator,
                    )


def test_a_rollup_ratio_is_not_the_mean_of_the_county_ratios():
    table = rollup(_tidy(ROLLUP))
    p1 = table[(table["group"] == "P1") & (table["indicator"] == "self_sufficiency")]
    assert float(p1["value"].iloc[0]) == pytest.approx(0.4)  # (100 + 300) / (400 + 600)
    assert float(p1["value"].iloc[0]) != pytest.approx((100 / 400 + 300 / 600) / 2)


def test_the_lowest_cash_cover_has_no_rollup():
    tidy = pd.concat(
        [
            _tidy(ROLLUP),
            pd.DataFrame(
                {
                    "code": ["990101"],
                    "name": ["990101"],
                    "prefecture": ["P1"],
                    "year": [ROLLUP["year"]],
                    "indicator": ["cash_cover_min_months"],
                    "value": [0.4],
                }
            ),
        ]
    )
    assert "cash_cover_min_months" not in set(rollup(tidy)["indicator"])


@pytest.mark.parametrize("name", sorted(RISK["cases"]))
def test_risk_score_worked_by_hand(name):
    case = RISK["cases"][name]
    row = {**RISK["base"], **case["inputs"]}
    parts = risk.components(row)
    expected = {component: 0.0 for component in risk.WEIGHTS} | case["components"]
    assert parts == pytest.approx(expected, abs=1e-12)
    assert risk.score(parts) == pytest.approx(case["score"], abs=1e-9)
    assert risk.risk_class(parts) == case["class"]


def test_weights_add_up_to_one():
    assert sum(risk.WEIGHTS.values()) == pytest.approx(1.0)


def test_ranking_puts_the_highest_score_first_and_numbers_the_ranks():
    rows = [
        {"code": code, "name": code, "prefecture": "P", **RISK["base"], **inputs}
        for code, inputs in (
            ("990101", {}),
            ("990102", RISK["cases"]["red_line_at"]["inputs"]),
            ("990103", RISK["cases"]["amber_line_at"]["inputs"]),
        )
    ]
    ranking = risk.ranking(rows)
    assert ranking["code"].tolist() == ["990102", "990103", "990101"]
    assert ranking["rank"].tolist() == [1, 2, 3]
    assert ranking["risk_class"].tolist() == ["red", "amber", "green"]
