"""Each kind of bad cell stops the load with a line that names the cell, exit code 2."""

from __future__ import annotations

import openpyxl
import pytest
from _workbooks import cell_of

import fiscal_sim
from fiscal_sim.errors import ScenarioError


def problems_of(path) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        fiscal_sim.load_scenario(path)
    return getattr(caught.value, "problems", [str(caught.value)])


def changed(path, change):
    workbook = openpyxl.load_workbook(path)
    change(workbook)
    workbook.save(path)
    return path


def test_text_in_a_number_cell(county):
    def change(workbook):
        cell_of(workbook, "revenue.tax").value = "约3万"

    assert problems_of(changed(county, change)) == [
        f'{county}!收入!E2 (revenue.tax): expected a number of 万元 ≥ 0, got "约3万"'
    ]


def test_a_negative_stock(county):
    def change(workbook):
        cell_of(workbook, "advances.legacy").value = -500

    assert problems_of(changed(county, change)) == [
        f"{county}!暂付款!E2 (advances.legacy): expected a number of 万元 ≥ 0, got -500"
    ]


def test_a_year_cell_out_of_bounds_names_its_year(county):
    def change(workbook):
        cell_of(workbook, "revenue.nominal_growth", 2021).value = 6  # 6 % written as 6

    assert problems_of(changed(county, change)) == [
        f"{county}!收入!H3 (revenue.nominal_growth, 2021): expected a number of 比例 from -1 "
        "to 1, got 6"
    ]


def test_a_year_column_that_is_not_a_year(county):
    def change(workbook):
        workbook["收入"]["G1"] = "2020年"

    assert problems_of(changed(county, change)) == [
        f'{county}!收入!G1: expected the header 2020 (a year, as a number), got "2020年" '
        "(do not delete, move or rename header cells)"
    ]


def test_an_unknown_key_row(county):
    def change(workbook):
        workbook["收入"]["A2"] = "revenue.taxx"

    assert problems_of(changed(county, change)) == [
        f"{county}!收入!A2: unknown key \"revenue.taxx\" (did you mean 'revenue.tax'?); "
        "sheet 收入 holds the parameters of its rows"
    ]


def test_a_merged_header(county):
    def change(workbook):
        workbook["债务"].merge_cells("B1:C1")

    assert problems_of(changed(county, change)) == [
        f"{county}!债务!B1:C1: merged cells: unmerge them (each cell holds one value)",
        f'{county}!债务!C1: expected the header "English name", got nothing (do not delete, '
        "move or rename header cells)",
    ]


def test_a_deleted_header(county):
    def change(workbook):
        workbook["规则阈值"]["F1"] = None  # 来源

    assert problems_of(changed(county, change)) == [
        f'{county}!规则阈值!F1: expected the header "来源" or "source", got nothing (do not '
        "delete, move or rename header cells)"
    ]


def test_a_formula_without_a_cached_value(county):
    def change(workbook):
        cell_of(workbook, "people.staff").value = "=4800+200"  # openpyxl computes nothing

    assert problems_of(changed(county, change)) == [
        f"{county}!人员工资!E2 (people.staff): a formula without a computed value; open and "
        "save the workbook in Excel or LibreOffice (which compute it), or type the number"
    ]


def test_a_sheet_missing(county):
    def change(workbook):
        del workbook["债务"]

    assert problems_of(changed(county, change)) == [
        f"{county}: the sheet 债务 (Debt) is missing; keep every sheet of the template "
        "(empty cells inherit)"
    ]


def test_monthly_shares_not_summing_to_one(county):
    def change(workbook):
        cell_of(workbook, "profiles.tax", ("m", 1)).value = 0.5  # was 0.12

    (problem,) = problems_of(changed(county, change))
    assert problem == (
        f"{county}!月度分布!E4:P4 (profiles.tax): the 12 monthly shares must sum to 1, "
        "they sum to 1.38"
    )


def test_every_problem_is_listed_at_once(county, fiscal_sim_cli):
    def change(workbook):
        cell_of(workbook, "revenue.tax").value = "约3万"
        cell_of(workbook, "people.staff").value = 4800.5
        cell_of(workbook, "policy.gap_financing").value = "loans"
        cell_of(workbook, "measures.startup_grant").value = "是"
        cell_of(workbook, "measures.startup_grant.persons").value = -3
        cell_of(workbook, "measures.startup_grant.county_share").value = 1

    result = fiscal_sim_cli("run", changed(county, change))
    persons = cell_of(openpyxl.load_workbook(county), "measures.startup_grant.persons")
    assert result.exit_code == 2
    # under zh (the default) the Chinese block comes first, then the English one
    lines = result.stderr[result.stderr.index("Error: ") :].removeprefix("Error: ").splitlines()
    assert lines == [
        f"{county}!设定!E5 (policy.gap_financing): expected one of ['none', 'fund', "
        "'advances', 'arrears'], got \"loans\"",
        f"{county}!人员工资!E2 (people.staff): expected a whole number of 人 ≥ 0, got 4800.5",
        f'{county}!收入!E2 (revenue.tax): expected a number of 万元 ≥ 0, got "约3万"',
        f"{county}!措施!{persons.coordinate} (measures.startup_grant.persons): expected at "
        "least 0 persons, got -3",
    ]


def test_a_measure_switched_on_needs_its_quantities(county):
    def change(workbook):
        cell_of(workbook, "measures.startup_grant").value = "是"

    (problem,) = problems_of(changed(county, change))
    assert "(measures.startup_grant.persons): missing quantity (persons)" in problem
    assert problem.startswith(f"{county}!措施!")


@pytest.mark.parametrize(
    ("suffix", "says"),
    [(".xlsm", "macro-enabled .xlsm workbook is refused"), (".xls", "legacy .xls workbook")],
)
def test_macro_and_legacy_workbooks_are_refused(default_template, tmp_path, suffix, says):
    path = tmp_path / f"county{suffix}"
    path.write_bytes(default_template.read_bytes())
    with pytest.raises(ScenarioError, match=says):
        fiscal_sim.load_scenario(path)


def test_a_renamed_legacy_file_and_a_huge_file_are_refused(tmp_path):
    legacy = tmp_path / "county.xlsx"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(ScenarioError, match=r"legacy \.xls workbook .* renamed"):
        fiscal_sim.load_scenario(legacy)
    huge = tmp_path / "huge.xlsx"
    huge.write_bytes(b"PK" + b"\0" * (6 * 2**20))
    with pytest.raises(ScenarioError, match="an input file may be at most 4 MiB"):
        fiscal_sim.load_scenario(huge)


def test_macros_inside_an_xlsx_are_refused(default_template, tmp_path):
    import zipfile

    path = tmp_path / "county.xlsx"
    path.write_bytes(default_template.read_bytes())
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"macro")
    with pytest.raises(ScenarioError, match="holds macros"):
        fiscal_sim.load_scenario(path)
