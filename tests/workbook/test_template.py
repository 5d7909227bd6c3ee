"""The template a bureau fills in: sheets from the schema, locked labels, validated inputs."""

from __future__ import annotations

import openpyxl
import pytest
from _workbooks import cell_of, write

from fiscal_sim.outputs import display_width
from fiscal_sim.params.measures import CATALOGUE
from fiscal_sim.params.schema import SPECS
from fiscal_sim.workbook import layout


@pytest.fixture(scope="module")
def workbook(default_template):
    return openpyxl.load_workbook(default_template)


def test_every_schema_parameter_has_exactly_one_row(workbook):
    keys = [
        row[0].value
        for sheet in workbook.worksheets[1:]
        for row in sheet.iter_rows(min_row=2, max_col=1)
    ]
    for spec in SPECS:
        if spec.kind != "table":
            assert keys.count(spec.path) == 1, spec.path
    assert keys.count("livelihood.programmes.dibao.recipients") == 1
    for measure in CATALOGUE:
        assert keys.count(f"measures.{measure}") == 1


def test_sheets_in_order_with_chinese_names(workbook):
    assert workbook.sheetnames == [sheet.name_zh for sheet in layout.SHEET_ORDER]
    assert workbook.sheetnames[:3] == ["说明", "设定", "基年"]


def test_fill_cells_are_unlocked_and_labels_locked(workbook):
    sheet = workbook["收入"]
    assert sheet.protection.sheet and not sheet.protection.password
    tax = cell_of(workbook, "revenue.tax")
    assert (tax.value, tax.protection.locked) == (18000, False)
    growth_2020 = cell_of(workbook, "revenue.nominal_growth", 2020)
    assert (growth_2020.value, growth_2020.protection.locked) == (0.02, False)
    for column in "ABCD":
        assert sheet[f"{column}2"].protection.locked
    assert [sheet.cell(2, c).value for c in range(1, 5)] == [
        "revenue.tax",
        "税收收入（基年）",
        "tax revenue (base year)",
        "万元",
    ]


def test_inputs_carry_the_schema_bounds_and_choices(workbook):
    def rules_of(cell):
        sheet = cell.parent
        return [
            rule for rule in sheet.data_validations.dataValidation if cell.coordinate in rule.sqref
        ]

    (tax,) = rules_of(cell_of(workbook, "revenue.tax"))
    assert (tax.type, tax.operator, tax.formula1) == ("decimal", "greaterThanOrEqual", "0")
    (growth,) = rules_of(cell_of(workbook, "revenue.nominal_growth", 2021))
    assert (growth.operator, growth.formula1, growth.formula2) == ("between", "-1", "1")
    (staff,) = rules_of(cell_of(workbook, "people.staff"))
    assert staff.type == "whole"
    (gap,) = rules_of(cell_of(workbook, "policy.gap_financing"))
    assert (gap.type, gap.formula1) == ("list", '"none,fund,advances,arrears"')
    (switch,) = rules_of(cell_of(workbook, "measures.vat_small_scale"))
    assert switch.formula1 == '"是,否"'


def test_headers_frozen_widths_fit_and_landscape_print(workbook):
    sheet = workbook["人员工资"]
    assert sheet.freeze_panes == "E2"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    longest = max(display_width(str(cell.value)) for cell in sheet["B"])
    assert sheet.column_dimensions["B"].width >= longest  # a Chinese character takes two


def test_the_about_sheet_says_what_to_fill_and_what_it_extends(workbook):
    about = {row[0].value: row[2].value for row in workbook["说明"].iter_rows(max_col=3)}
    assert about["extends"] == "default"
    text = "\n".join(str(row[2].value) for row in workbook["说明"].iter_rows(max_col=3))
    assert "万元" in text and "fiscal-sim run county.xlsx" in text and "0.1.0" in text


def test_the_measures_sheet_lists_each_measure_with_its_clause(workbook):
    switch = cell_of(workbook, "measures.hiring_bonus")
    assert switch.value == "否"
    assert switch.offset(column=1).value == "EMP.4.2.6"


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    import fiscal_sim

    (tmp_path / "odd.yaml").write_text(
        "extends: default\npeople:\n  staff: {value: 4800, source: '=HYPERLINK(\"x\")'}\n",
        encoding="utf-8",
    )
    scenario = fiscal_sim.load_scenario(tmp_path / "odd.yaml")
    write(scenario, tmp_path / "odd.xlsx")
    source = cell_of(openpyxl.load_workbook(tmp_path / "odd.xlsx"), "people.staff", "来源")
    assert (source.value, source.data_type) == ('=HYPERLINK("x")', "s")
    assert fiscal_sim.load_scenario(tmp_path / "odd.xlsx").hash == scenario.hash
