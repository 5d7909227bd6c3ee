"""Each bad actuals file gives its own error, naming file, sheet and cell (issue #16, point 2).

The files start as the tiny county's own months through June 2020 (every check passes) and
have one thing spoilt. Row 4 of the months sheet is January; column B is opening cash.
"""

from __future__ import annotations

import datetime

import pytest
from _actuals_files import plan_file, set_cells, set_csv
from openpyxl.utils import get_column_letter

from fiscal_sim.actuals.layout import KEYS
from fiscal_sim.actuals.reader import read_actuals
from fiscal_sim.errors import ScenarioError
from fiscal_sim.inputs import MAX_INPUT_BYTES


def cell(key: str, month: int) -> str:
    """The workbook cell of ``key`` in ``month`` (1 = January, row 4)."""
    return f"{get_column_letter(KEYS.index(key) + 2)}{month + 3}"


def error_of(path) -> str:
    with pytest.raises(ScenarioError) as caught:
        read_actuals(path)
    return str(caught.value)


def test_the_unspoilt_file_reads_without_a_warning(tmp_path):
    read = read_actuals(plan_file(tmp_path))
    assert read.warnings == () and read.as_of == 6


def test_a_month_out_of_order(tmp_path):
    path = plan_file(tmp_path)
    set_cells(path, {"A6": "2020-05"})
    assert error_of(path) == (
        f"{path}!实际执行!A6 (month): expected 2020-03, got 2020-05 (one row per month of the "
        "budget year, in order from January)"
    )


def test_a_month_typed_as_a_date_is_that_month(tmp_path):
    path = plan_file(tmp_path)
    set_cells(path, {"A4": datetime.datetime(2020, 1, 1)})
    assert read_actuals(path).frame.index[0] == "2020-01"


def test_a_figure_after_the_as_of_month(tmp_path):
    path = plan_file(tmp_path)
    set_cells(path, {cell("tax", 7): 40.0})
    message = error_of(path)
    assert message.startswith(f"{path}!实际执行!{cell('tax', 7)} (tax, 2020-07): a figure after ")
    assert "the as-of month 2020-06 (说明!C" in message


def test_an_as_of_month_in_another_year(tmp_path):
    path = plan_file(tmp_path)
    set_cells(path, {"C7": "2021-06"}, sheet="说明")
    assert "2021-06 is not in the budget year 2020" in error_of(path)


def test_no_as_of_month(tmp_path):
    path = plan_file(tmp_path)
    set_cells(path, {"C7": None}, sheet="说明")
    assert error_of(path).endswith(
        "说明!C7 (as_of): write the last closed month (YYYY-MM, e.g. 2020-06)"
    )


def test_negative_cash(tmp_path):
    path = plan_file(tmp_path)
    set_cells(path, {cell("closing_cash", 3): -5.0})
    assert (
        f"{cell('closing_cash', 3)} (closing_cash, 2020-03): "
        "treasury cash cannot be negative, got -5" in error_of(path)
    )


def test_the_cash_identity_warns_naming_the_month(tmp_path):
    path = plan_file(tmp_path)
    read = read_actuals(path)
    tax = read.frame.loc["2020-04", "tax"]
    set_cells(path, {cell("tax", 4): tax + 10.0})
    warnings = read_actuals(path).warnings
    assert len(warnings) == 1
    english, chinese = str(warnings[0]), warnings[0].in_lang("zh")
    assert f"!{cell('closing_cash', 4)} (2020-04): " in english
    assert "off by 10.00 (tolerance 1 万元)" in english
    assert f"!{cell('closing_cash', 4)}（2020-04）：库款等式不平" in chinese
    assert "相差 10.00（容差 1 万元）" in chinese


def test_cash_within_the_tolerance_does_not_warn(tmp_path):
    path = plan_file(tmp_path)
    tax = read_actuals(path).frame.loc["2020-04", "tax"]
    set_cells(path, {cell("tax", 4): tax + 0.9})
    assert read_actuals(path).warnings == ()


def test_opening_cash_not_last_months_closing_warns(tmp_path):
    path = plan_file(tmp_path)
    frame = read_actuals(path).frame
    set_cells(
        path,
        {
            cell("opening_cash", 5): frame.loc["2020-05", "opening_cash"] + 50,
            cell("closing_cash", 5): frame.loc["2020-05", "closing_cash"] + 50,
        },
    )
    may, june = map(str, read_actuals(path).warnings)  # May opens off April's close, June May's
    assert "(2020-05): opening cash" in may and "is not last month's closing cash" in may
    assert "(2020-06): opening cash" in june


def test_an_unknown_column_with_a_did_you_mean(tmp_path):
    path = plan_file(tmp_path)
    set_cells(path, {"C1": "taxes"})
    assert error_of(path).startswith(
        f"{path}!实际执行!C1: unknown column \"taxes\" (did you mean 'tax'?)"
    )


def test_a_missing_column(tmp_path):
    path = plan_file(tmp_path)
    set_cells(path, {cell("headcount", 1)[0] + "1": None})
    assert "the column 'headcount' (财政供养人员) is missing" in error_of(path)


def test_a_column_given_twice(tmp_path):
    path = plan_file(tmp_path)
    set_cells(path, {"D1": "tax"})
    assert "实际执行!D1 (tax): the column tax is given twice" in error_of(path)


def test_text_where_a_figure_belongs(tmp_path):
    path = plan_file(tmp_path)
    set_cells(path, {cell("wages", 2): "ten"})
    assert f'{cell("wages", 2)} (wages, 2020-02): expected a number of 万元, got "ten"' in error_of(
        path
    )


def test_an_empty_figure_in_a_closed_month(tmp_path):
    path = plan_file(tmp_path)
    set_cells(path, {cell("livelihood", 6): None})
    assert f"{cell('livelihood', 6)} (livelihood, 2020-06): empty in a closed month" in error_of(
        path
    )


def test_an_optional_stock_may_be_left_empty(tmp_path):
    path = plan_file(tmp_path)
    set_cells(path, {cell("headcount", 6): None})
    assert read_actuals(path).frame["headcount"].isna().sum() == 1


def test_every_problem_at_once(tmp_path):
    path = plan_file(tmp_path)
    set_cells(path, {cell("wages", 2): "ten", cell("closing_cash", 3): -1.0})
    assert len(error_of(path).splitlines()) == 2


def test_the_csv_names_its_cell(tmp_path):
    path = plan_file(tmp_path, suffix=".csv")
    set_csv(path, 6, KEYS.index("tax") + 2, "abc")
    assert error_of(path) == (f'{path}!C6 (tax, 2020-03): expected a number of 万元, got "abc"')


def test_the_csv_as_of_month_is_its_last_filled_month(tmp_path):
    assert read_actuals(plan_file(tmp_path, "2020-04", ".csv")).as_of_text == "2020-04"


def test_a_file_too_large(tmp_path):
    path = tmp_path / "actuals.csv"
    path.write_bytes(b"month\n" + b"0" * MAX_INPUT_BYTES)
    assert "an input file may be at most 4 MiB" in error_of(path)


def test_a_csv_of_too_many_rows(tmp_path):
    path = tmp_path / "actuals.csv"
    path.write_text("month\n" + "2020-01\n" * 1200, encoding="utf-8")
    assert "at most 1000 × 60 are read" in error_of(path)


def test_a_sheet_of_too_many_rows(tmp_path):
    path = plan_file(tmp_path)
    set_cells(path, {"A2000": "x"})
    assert "at most 1000 × 60 are read" in error_of(path)


def test_a_missing_sheet(tmp_path):
    from openpyxl import load_workbook

    path = plan_file(tmp_path)
    book = load_workbook(path)
    del book["说明"]
    book.save(path)
    assert error_of(path) == f"{path}: the sheet 说明 (About) is missing"
