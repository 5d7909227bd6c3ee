"""A filled workbook changes what its cells change, inherits the rest, and runs everywhere."""

from __future__ import annotations

import io

import numpy as np
import openpyxl
from _workbooks import cell_of, write

import fiscal_sim
from fiscal_sim import csvtables


def changed_params(base, other) -> dict:
    return {
        param.path: (param.value, other.param(param.path).value)
        for param in base.params()
        if not np.array_equal(np.asarray(param.value), np.asarray(other.param(param.path).value))
    }


def test_three_cells_change_exactly_three_parameters(county, fiscal_sim_cli):
    workbook = openpyxl.load_workbook(county)
    cell_of(workbook, "people.staff").value = 4800
    cell_of(workbook, "revenue.nominal_growth", 2021).value = 0.05
    cell_of(workbook, "profiles.tax", ("m", 1)).value = 0.10
    cell_of(workbook, "profiles.tax", ("m", 2)).value = 0.08  # 0.12 + 0.06 = 0.10 + 0.08
    workbook.save(county)

    base, filled = fiscal_sim.load_scenario("default"), fiscal_sim.load_scenario(county)
    changes = changed_params(base, filled)
    assert sorted(changes) == ["people.staff", "profiles.tax", "revenue.nominal_growth"]
    assert changes["people.staff"] == (5000, 4800)
    assert list(changes["revenue.nominal_growth"][1]) == [0.06, 0.02, 0.05, 0.06, 0.06, 0.06, 0.06]
    assert list(changes["profiles.tax"][1][:3]) == [0.10, 0.08, 0.07]
    assert filled.param("people.staff").source == f"override in {county.name}"
    assert filled.param("revenue.tax").source == base.param("revenue.tax").source

    result = fiscal_sim_cli("compare", "default", county, "--years", "2019:2021", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    table = csvtables.read_csv(io.StringIO(result.stdout))
    rows = table[table["indicator"] == "headcount"].drop(columns="unit").astype(str)
    # 4,800 staff × (1 − 3 % + 2.5 %) = 4,776 in 2019, against 4,975 in the default
    assert rows.iloc[0].tolist() == ["headcount", "2019", "4975.0", "4776.0", "-199.0"]


def test_an_empty_cell_inherits_and_a_partial_workbook_overlays(county):
    workbook = openpyxl.load_workbook(county)
    for sheet in workbook.worksheets[1:]:
        for row in sheet.iter_rows(min_row=2, min_col=2):
            for cell in row:
                if not cell.protection.locked:
                    cell.value = None
    cell_of(workbook, "advances.legacy").value = 30000
    workbook.save(county)

    filled = fiscal_sim.load_scenario(county)
    assert sorted(changed_params(fiscal_sim.load_scenario("default"), filled)) == [
        "advances.legacy"
    ]
    assert filled.param("advances.legacy").source == f"override in {county.name}"


def test_a_workbook_extends_a_scenario_that_lists_measures(tmp_path):

    write(fiscal_sim.load_scenario("covid-2020"), tmp_path / "county.xlsx")
    workbook = openpyxl.load_workbook(tmp_path / "county.xlsx")
    cell_of(workbook, "measures.vat_small_scale").value = "否"
    cell_of(workbook, "measures.vat_small_scale.taxable_sales").value = None
    cell_of(workbook, "measures.vat_small_scale.county_share").value = None
    cell_of(workbook, "measures.startup_grant.pay_months").value = "11, 12"
    workbook.save(tmp_path / "county.xlsx")

    measures = fiscal_sim.load_scenario(tmp_path / "county.xlsx").extra["measures"]
    assert "vat_small_scale" not in measures
    assert measures["startup_grant"]["pay_months"]["value"] == (11, 12)
    assert measures["startup_grant"]["pay_months"]["source"] == "override in county.xlsx"


def test_template_and_convert_on_the_command_line(tmp_path, fiscal_sim_cli):
    result = fiscal_sim_cli(
        "template", "covid-2020", "-o", tmp_path / "county.xlsx", "--lang", "en"
    )
    assert result.exit_code == 0, result.stderr
    assert openpyxl.load_workbook(tmp_path / "county.xlsx").sheetnames[:2] == ["About", "Settings"]
    assert (
        fiscal_sim_cli(
            "convert", tmp_path / "county.xlsx", "-o", tmp_path / "county.yaml"
        ).exit_code
        == 0
    )
    text = (tmp_path / "county.yaml").read_text(encoding="utf-8")
    assert "extends: covid-2020" in text
    again = fiscal_sim_cli("convert", tmp_path / "county.yaml", "-o", tmp_path / "again.xlsx")
    assert again.exit_code == 0
    hashes = {
        fiscal_sim.load_scenario(path).hash
        for path in (
            "covid-2020",
            tmp_path / "county.xlsx",
            tmp_path / "county.yaml",
            tmp_path / "again.xlsx",
        )
    }
    assert len(hashes) == 1
    assert "同一情景：哈希" in again.stderr  # zh, the default

    run = fiscal_sim_cli("check", tmp_path / "county.xlsx", "--format", "json")
    assert run.exit_code in (0, 3) and fiscal_sim.load_scenario("covid-2020").hash in run.stdout


def test_the_commands_refuse_bad_targets(tmp_path, fiscal_sim_cli, county):
    wrong = fiscal_sim_cli("template", "-o", tmp_path / "county.csv")
    assert (wrong.exit_code, wrong.stderr) == (
        2,
        f"错误：-o {tmp_path / 'county.csv'}：工作簿文件应以 .xlsx 结尾\n"
        f"Error: -o {tmp_path / 'county.csv'}: a workbook ends in .xlsx\n",
    )
    before = county.read_bytes()
    over = fiscal_sim_cli("convert", county, "-o", county)
    assert over.exit_code == 2 and "refusing to write over the input file" in over.stderr
    assert county.read_bytes() == before
    to_xlsx = fiscal_sim_cli("convert", county, "-o", tmp_path / "other.xlsx")
    assert to_xlsx.exit_code == 2 and "converts to a .yaml file" in to_xlsx.stderr
