"""Excel cells keep full precision under one number format per unit (issue #17 item 7):
万元 ``#,##0.00``, ratios as percentages, persons whole, months two decimals, years never with
a thousands separator; for every table a command writes as xlsx, the month table included.
The scenarios are the tiny county and relations of its own output, never pinned figures."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from fiscal_sim.numbers import EXCEL_FORMATS

TINY = str(Path(__file__).resolve().parent / "engine" / "tiny-county.yaml")
FORMATS = set(EXCEL_FORMATS.values())


def _numbers(sheet):
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                yield cell


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory):
    from click.testing import CliRunner

    from fiscal_sim.cli import cli

    folder = tmp_path_factory.mktemp("xlsx")
    commands = {
        "run": ["run", TINY, "-o", folder / "run.xlsx"],
        "compare": ["compare", TINY, "default", "--years", "2019:2021", "-o", folder / "c.xlsx"],
        "month": ["report", TINY, "--month", "2020-06", "--format", "xlsx", "-o", folder / "m"],
    }
    books = {}
    for name, args in commands.items():
        result = CliRunner().invoke(cli, ["--lang", "zh", *map(str, args)])
        assert result.exit_code == 0, result.output
        path = Path(args[-1])
        path = next(path.glob("*.xlsx")) if path.is_dir() else path
        books[name] = openpyxl.load_workbook(path)
    return books


@pytest.mark.parametrize("book", ["run", "compare", "month"])
def test_every_number_has_a_format_of_its_unit(workbooks, book):
    counted = 0
    for sheet in workbooks[book].worksheets:
        for cell in _numbers(sheet):
            counted += 1
            assert cell.number_format in FORMATS, (sheet.title, cell.coordinate)
    assert counted


def test_years_are_labels_and_rows_follow_their_unit(workbooks):
    sheet = workbooks["run"]["主要指标"]
    header = [cell for cell in sheet[1] if isinstance(cell.value, int)]
    assert header and all(2000 < cell.value < 2100 for cell in header)
    assert all(cell.number_format == "0" for cell in header)  # "2019", never "2,019"
    formats = {row[0].value: {cell.number_format for cell in row[1:]} for row in sheet.iter_rows(2)}
    assert formats["暂付款余额占支出比例"] == {"0.0%"}
    assert formats["财政供养在职人员（人）"] == {"#,##0"}
    assert formats["最低库款保障水平（月）"] == {"0.00"}
    assert formats["一般公共预算支出（万元）"] == {"#,##0.00"}
    waterfall = workbooks["run"]["三保瀑布"]
    money = {cell.number_format for row in waterfall.iter_rows(2) for cell in row[3:]}
    assert money == {"#,##0.00"}


def test_cells_keep_full_precision(workbooks):
    sheet = workbooks["run"]["主要指标"]
    values = [cell.value for cell in _numbers(sheet) if cell.number_format == "#,##0.00"]
    assert any(round(value, 2) != value for value in values)  # not rounded, only formatted


def test_compare_headers_and_years_under_zh(workbooks):
    sheet = workbooks["compare"]["情景比较"]
    assert [cell.value for cell in sheet[1]][:2] == ["指标", "年度"]
    years = [row[1] for row in sheet.iter_rows(2) if isinstance(row[1].value, int)]
    assert years and all(cell.number_format == "0" for cell in years)
    by_indicator, label = {}, None
    for row in sheet.iter_rows(2):
        label = row[0].value or label
        by_indicator.setdefault(label, set()).update(cell.number_format for cell in row[2:])
    assert by_indicator["债务率"] == {"0.0%"}
    assert by_indicator["政府债务余额"] == {"#,##0.00"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sheets_and_the_about_sheet_are_named_in_the_language(tmp_path, lang):
    """Issue #17: the sheet names and the about sheet of ``-o x.xlsx`` follow ``--lang``, as
    the report workbook's do (说明 / About), every row of the about sheet named too."""
    import re

    from click.testing import CliRunner

    from fiscal_sim.cli import cli

    expected = {
        "zh": {
            "run": ["说明", "主要指标", "三保瀑布"],  # the tiny county has no measures
            "compare": ["说明", "情景比较"],
            "header": ("项目", "内容"),
        },
        "en": {
            "run": ["About", "Indicators", "Waterfall"],
            "compare": ["About", "Comparison"],
            "header": ("Item", "Value"),
        },
    }[lang]
    for command, args in (("run", ["run", TINY]), ("compare", ["compare", TINY, "default"])):
        path = tmp_path / f"{command}.xlsx"
        result = CliRunner().invoke(cli, ["--lang", lang, *args, "-o", str(path)])
        assert result.exit_code == 0, result.output
        book = openpyxl.load_workbook(path)
        assert book.sheetnames == expected[command]
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        assert rows[0] == expected["header"]
        items = [row[0] for row in rows[1:]]
        assert len(items) >= 4
        if lang == "zh":  # every item in Chinese (fiscal_sim is a name)
            assert not [
                item for item in items if re.search(r"[A-Za-z]", item.replace("fiscal_sim", ""))
            ]
        else:
            assert "Scenario hash" in items and "fiscal_sim version" in items
