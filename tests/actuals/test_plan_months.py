"""``projection.actuals(through=…)``: the plan's own months in the actuals layout."""

from __future__ import annotations

import numpy as np
import pytest
from _actuals_files import plan_file, tiny
from openpyxl import load_workbook

import fiscal_sim
from fiscal_sim.actuals.layout import COLUMNS, KEYS, PAYMENTS, RECEIPTS
from fiscal_sim.actuals.plan import plan_lines
from fiscal_sim.actuals.reader import read_actuals


def test_the_tiny_county_months_are_its_hand_sums():
    # 500 tax and 600 general transfers a year in twelve equal parts; wages 120, livelihood 600
    # operations 50, projects 100 + 100 and 三公 10 a year, all funded; cash opens at 100.
    plan = fiscal_sim.project(tiny()).actuals(through="2019-03")
    jan = plan.loc["2019-01"]
    assert list(plan.index) == ["2019-01", "2019-02", "2019-03"]
    assert jan.tax == pytest.approx(500 / 12) and jan.general_transfers == pytest.approx(50)
    assert jan.wages == pytest.approx(10) and jan.livelihood == pytest.approx(50)
    assert jan.three_public == pytest.approx(10 / 12)
    assert jan.opening_cash == pytest.approx(100)
    assert jan.legacy_advances == pytest.approx(100 - 20 / 12)  # 20 % of 100 in twelve parts
    assert plan.loc["2019-03", "headcount"] == pytest.approx(100)


@pytest.mark.parametrize("name", ["plan-followed", "covid-2020"])
def test_lines_add_up_to_the_engine_cash(name):
    projection = fiscal_sim.project(fiscal_sim.load_scenario(name))
    lines = plan_lines(projection)
    receipts = sum(lines[key] for key in RECEIPTS)
    payments = sum(lines[key] for key in PAYMENTS)
    np.testing.assert_allclose(receipts, projection.months["receipts"], atol=1e-6)
    np.testing.assert_allclose(
        lines["opening_cash"] + receipts - payments, lines["closing_cash"], atol=1e-6
    )
    np.testing.assert_allclose(lines["opening_cash"][:, 1:, 0], lines["closing_cash"][:, :-1, -1])


def test_deferred_payments_keep_the_identity(tiny_county):
    # Revenue far below the payroll under gap financing by advances: payments are deferred.
    scenario = tiny_county(
        {"revenue": {"tax": 0, "general_transfers": 100}},
        overrides=["policy.gap_financing=advances"],
    )
    projection = fiscal_sim.project(scenario)
    assert projection.months["deferred_payments"].max() > 0
    lines = plan_lines(projection)
    flows = sum(lines[k] for k in RECEIPTS) - sum(lines[k] for k in PAYMENTS)
    np.testing.assert_allclose(lines["opening_cash"] + flows, lines["closing_cash"], atol=1e-6)


def test_through_must_be_a_projection_month():
    projection = fiscal_sim.project(tiny())
    with pytest.raises(ValueError, match="outside the projection years"):
        projection.actuals(through="2030-01")
    with pytest.raises(ValueError, match="YYYY-MM"):
        projection.actuals(through="June")


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_written_months_read_back_as_they_were(tmp_path, suffix):
    path = plan_file(tmp_path, "2020-06", suffix)
    read = read_actuals(path)
    plan = fiscal_sim.project(tiny()).actuals(through="2020-06")
    assert (read.year, read.as_of, read.warnings) == (2020, 6, ())
    np.testing.assert_allclose(read.frame[list(KEYS)], plan[list(KEYS)], rtol=1e-14)


def test_the_template_has_units_in_headers_and_empty_months(tmp_path, fiscal_sim_cli):
    path = tmp_path / "actuals-2020.xlsx"
    result = fiscal_sim_cli("template", "--actuals", "2020", "-o", path)
    assert result.exit_code == 0, result.output
    book = load_workbook(path)
    months, about = book["实际执行"], book["说明"]
    assert [months.cell(1, c).value for c in (1, 2)] == ["month", "opening_cash"]
    assert (
        months["C2"].value == "税收收入（万元）"
        and months["C3"].value == "tax revenue received (万元)"
    )
    assert months["A4"].value == "2020-01" and months["A15"].value == "2020-12"
    assert all(months.cell(r, c).value is None for r in range(4, 16) for c in range(2, 26))
    assert months["C4"].protection.locked is False and months["A4"].protection.locked
    assert months.protection.sheet and months.data_validations.dataValidation
    about_rows = {about.cell(r, 1).value: about.cell(r, 3).value for r in range(1, 20)}
    assert about_rows["as_of"] is None and about_rows["year"] == 2020
    assert about_rows["scenario"].startswith("plan-followed (hash ")
    assert about_rows["fiscal_sim_version"] == fiscal_sim.__version__
    assert len(COLUMNS) + 1 == months.max_column


def test_the_actuals_command_writes_the_plan_through_a_month(tmp_path, fiscal_sim_cli):
    path = tmp_path / "plan.xlsx"
    result = fiscal_sim_cli("actuals", "--through", "2020-06", "-o", path)
    assert result.exit_code == 0, result.output
    read = read_actuals(path)
    plan = fiscal_sim.project(fiscal_sim.load_scenario("plan-followed")).actuals("2020-06")
    assert read.as_of_text == "2020-06" and read.frame.shape == (6, len(KEYS))
    np.testing.assert_allclose(read.frame["tax"], plan["tax"], rtol=1e-14)
    csv_text = fiscal_sim_cli("actuals", "--through", "2020-02").stdout
    assert csv_text.splitlines()[3].startswith("2020-01,") and len(csv_text.splitlines()) == 5
