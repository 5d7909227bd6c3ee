"""Hand-worked re-forecasts restarted from the treasury's state (tests/actuals/restart_cases):
advance stocks off the model at the end of the last closed month, and mid-year cuts that fall
on the months left only (model.md §11). Each file shows its sums.

The actuals are the tiny county's own months with the changes the case lists added; a change
to a receipt or a payment moves the month-end cash from its month on, so that the cash
identity holds.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import yaml

import fiscal_sim
from fiscal_sim.actuals.layout import PAYMENTS, RECEIPTS
from fiscal_sim.params.schema import TIERS

CASES = sorted((Path(__file__).parent / "restart_cases").glob("*.yaml"))


def _actuals(plan, spec):
    frame = plan.actuals(through=spec["through"]).copy()
    cash_flow = np.zeros(len(frame))
    for change in spec["changes"]:
        rows = frame.index.get_indexer([str(month) for month in change["months"]])
        assert (rows >= 0).all(), change
        column = frame.columns.get_loc(change["column"])
        frame.iloc[rows, column] += change["add"]
        sign = 1.0 if change["column"] in RECEIPTS else -1.0 if change["column"] in PAYMENTS else 0
        cash_flow[rows] += sign * change["add"]
    frame["closing_cash"] += np.cumsum(cash_flow)
    frame["opening_cash"] += np.cumsum(cash_flow) - cash_flow
    return frame


@pytest.mark.parametrize("path", CASES, ids=[path.stem for path in CASES])
def test_restart_case(path, tiny_county):
    case = yaml.safe_load(path.read_text("utf-8"))
    scenario = tiny_county(case["scenario"] or None)
    result = fiscal_sim.reforecast(
        scenario, _actuals(fiscal_sim.project(scenario), case["actuals"])
    )
    projection, expect = result.projection, case["expect"]
    years = [int(year) for year in scenario.years]
    for name, by_year in expect.get("annual", {}).items():
        for year, value in by_year.items():
            got = float(projection.annual[name][0, years.index(year)])
            assert got == pytest.approx(value, abs=1e-6), f"annual {name} {year}"
    for tier, by_year in expect.get("paid", {}).items():
        for year, value in by_year.items():
            got = float(projection.tiers["paid"][0, years.index(year), TIERS.index(tier)])
            assert got == pytest.approx(value, abs=1e-6), f"paid {tier} {year}"
    months = projection.actuals(through=f"{result.year}-12")
    for column, by_month in expect.get("months", {}).items():
        for month, value in by_month.items():
            got = float(months.loc[str(month), column])
            assert got == pytest.approx(value, abs=1e-6), f"{column} {month}"
    for name, by_month in expect.get("engine_months", {}).items():
        for month, value in by_month.items():
            year, number = (int(part) for part in str(month).split("-"))
            got = float(projection.months[name][0, years.index(year), number - 1])
            assert got == pytest.approx(value, abs=1e-6), f"{name} {month}"
    outturn = result.outturn().set_index("line")
    for line, value in expect.get("outturn", {}).items():
        assert outturn.loc[line, "outturn"] == pytest.approx(value, abs=1e-6), f"outturn {line}"
    findings = fiscal_sim.check(projection).to_frame()
    for finding in expect.get("findings", []):
        row = findings[
            (findings["rule"] == finding["rule"])
            & (findings["aspect"] == finding["aspect"])
            & (findings["year"] == finding["year"])
        ]
        assert len(row) == 1, finding
        assert row["severity"].iloc[0] == finding["severity"], finding
        for column in ("value", "margin"):
            if column in finding:
                assert float(row[column].iloc[0]) == pytest.approx(finding[column], abs=1e-6)
    # The re-forecast's own closed months are the treasury's again (its months as actuals).
    closed = projection.actuals(through=result.as_of)
    columns = [*RECEIPTS, *PAYMENTS, "closing_cash", "legacy_advances", "new_advances"]
    np.testing.assert_allclose(closed[columns], result.actuals.frame[columns], atol=1e-9)


@pytest.mark.parametrize(
    ("lang", "warning", "title"),
    [
        (
            "zh",
            "警告：非刚性非重点项目：全年可支付40.00万元，1—6月已支付50.00万元，"
            "剩余月份无法消化的压减10.00万元",
            "# 剩余月份无法消化的压减",
        ),
        (
            "en",
            "warning: non-rigid projects: the year's payments are 40.00 万元 but January–June "
            "paid 50.00 万元; the months left cannot absorb 10.00 万元 of the cut",
            "# Cuts beyond the months left",
        ),
    ],
)
def test_the_command_warns_of_a_cut_the_months_left_cannot_absorb(
    tmp_path, tiny_county, fiscal_sim_cli, lang, warning, title
):
    from fiscal_sim.actuals.files import write_csv

    case = yaml.safe_load(
        (Path(__file__).parent / "restart_cases" / "cut_over_what_is_left.yaml").read_text("utf-8")
    )
    scenario = tiny_county(case["scenario"])
    path = tmp_path / "actuals.csv"
    write_csv(path, _actuals(fiscal_sim.project(scenario), case["actuals"]))
    result = fiscal_sim_cli(
        "reforecast", str(tmp_path / "case.yaml"), "--actuals", path, "--lang", lang
    )
    assert result.exit_code == 0, result.output
    assert warning in result.stderr
    assert title in result.stdout


def test_no_warning_where_the_months_left_absorb_the_cut(tmp_path, tiny_county, fiscal_sim_cli):
    from fiscal_sim.actuals.files import write_csv

    case = yaml.safe_load(
        (Path(__file__).parent / "restart_cases" / "cut_at_what_is_left.yaml").read_text("utf-8")
    )
    scenario = tiny_county(case["scenario"])
    path = tmp_path / "actuals.csv"
    write_csv(path, _actuals(fiscal_sim.project(scenario), case["actuals"]))
    result = fiscal_sim_cli("reforecast", str(tmp_path / "case.yaml"), "--actuals", path)
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr and "# 剩余月份无法消化的压减" not in result.stdout
    assert re.search(r"剩余月份无法消化的压减\s+0\s", result.stdout)  # the year-end line: 0
