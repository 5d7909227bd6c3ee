"""The errors of workbooks, actuals files, batches and uploads in both languages (#17).

Each case spoils one input as a user would and runs it as a user would (``fiscal-sim run
x.xlsx``, ``reforecast --actuals``, ``batch``, the workbench's upload): under zh (the
default) stderr carries the Chinese line (``错误：…``) and then the English; under
``--lang en`` the English alone. The English phrases are the ones the messages had before
they were translated.
"""

from __future__ import annotations

import shutil

import pytest

import fiscal_sim
from fiscal_sim.actuals.layout import KEYS
from fiscal_sim.app import uploads
from fiscal_sim.workbook.writer import write_template

# -- spoiling a scenario workbook ----------------------------------------------------------------


def _cell(workbook, key: str, column=("数值", "value")):
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(min_col=1, max_col=1):
            if row[0].value == key:
                headers = [cell.value for cell in sheet[1]]
                index = next(i for i, header in enumerate(headers) if header in column)
                return sheet.cell(row=row[0].row, column=index + 1)
    raise KeyError(key)


def _set(key, value, column=("数值", "value")):
    def change(workbook):
        _cell(workbook, key, column).value = value

    return change


def _drop_sheet(workbook):
    del workbook["债务"]


def _rename_header(workbook):
    workbook["收入"]["A1"] = "钥匙"


def _merge(workbook):
    workbook["收入"].merge_cells("F2:G2")


def _misspell_key(workbook):
    cell = _cell(workbook, "revenue.tax")
    cell.parent.cell(row=cell.row, column=1).value = "revenue.taxx"


def _tax_in_january(workbook):
    _cell(workbook, "profiles.tax", ("1月", "Jan")).value = 0.5


WORKBOOK_CASES = [
    # (change, Chinese phrase, English phrase)
    (
        _set("revenue.tax", "约3万"),
        '收入!E2 (revenue.tax): 应为数字（万元），≥ 0，实为 "约3万"',
        '收入!E2 (revenue.tax): expected a number of 万元 ≥ 0, got "约3万"',
    ),
    (
        _set("people.staff", 4800.5),
        "应为整数（人），≥ 0，实为 4800.5",
        "expected a whole number of 人 ≥ 0, got 4800.5",
    ),
    (_drop_sheet, "缺少工作表 债务（Debt）", "the sheet 债务 (Debt) is missing"),
    (_rename_header, '收入!A1: 表头应为 "参数键"或"key"，实为 "钥匙"', "expected the header"),
    (_merge, "收入!F2:G2: 合并的单元格", "收入!F2:G2: merged cells: unmerge them"),
    (
        _misspell_key,
        "未知键 \"revenue.taxx\"（是不是要找 'revenue.tax'？）",
        "unknown key \"revenue.taxx\" (did you mean 'revenue.tax'?)",
    ),
    (_set("policy.gap_financing", "loans"), '之一，实为 "loans"', "expected one of ['none'"),
    (
        _set("measures.startup_grant", "也许"),
        '应为 是 或 否（开启/关闭），实为 "也许"',
        'expected 是 or 否 (on/off), got "也许"',
    ),
    (_tax_in_january, "12 个月的占比之和应为 1", "the 12 monthly shares must sum to 1"),
]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """The default county's template (zh), extending the bundled ``default``."""
    path = tmp_path_factory.mktemp("template") / "county.xlsx"
    write_template(fiscal_sim.load_scenario("default"), path, "default", "zh")
    return path


def _spoilt(template, folder, change):
    from openpyxl import load_workbook

    path = shutil.copy(template, folder / "county.xlsx")
    workbook = load_workbook(path)
    change(workbook)
    workbook.save(path)
    return path


def _assert_both(run, args, zh: str, en: str):
    """Under zh: 错误：<Chinese> with ``zh``, then Error: <English> with ``en``; under en:
    the English only."""
    result = run(*args)
    assert result.exit_code == 2, result.output
    chinese, _, english = result.stderr.partition("Error: ")
    assert "错误：" in chinese and zh in chinese.split("错误：", 1)[1], result.stderr
    assert en in english, result.stderr
    result = run(*args, "--lang", "en")
    assert result.exit_code == 2 and "错误" not in result.stderr
    assert en in result.stderr.split("Error: ", 1)[1], result.stderr


@pytest.mark.parametrize("change, zh, en", WORKBOOK_CASES)
def test_a_spoilt_workbook(template, tmp_path, fiscal_sim_cli, change, zh, en):
    _assert_both(fiscal_sim_cli, ["run", _spoilt(template, tmp_path, change)], zh, en)


FILE_CASES = [
    # (file name, bytes, Chinese phrase, English phrase)
    (
        "county.xlsx",
        b"not a zip",
        "不是 Excel 工作簿（.xlsx 是 zip 文件）",
        "not an Excel workbook",
    ),
    (
        "county.xlsm",
        b"PK",
        "拒绝启用宏的 .xlsm 工作簿（这里从不运行宏）；请另存为 .xlsx（Excel 工作簿）",
        "a macro-enabled .xlsm workbook is refused (macros never run here); save it as .xlsx",
    ),
    (
        "county.xlsx",
        b"\xd0\xcf\x11\xe0" + b"\0" * 60,
        "无法读取旧版 .xls 工作簿；请在 Excel 或 LibreOffice 中另存为 .xlsx（Excel 工作簿）"
        "（这个文件就是",
        "a legacy .xls workbook cannot be read; save it as .xlsx (Excel Workbook) in Excel or "
        "LibreOffice (this is one, renamed)",
    ),
]


@pytest.mark.parametrize("name, data, zh, en", FILE_CASES)
def test_a_file_that_is_not_a_workbook(tmp_path, fiscal_sim_cli, name, data, zh, en):
    path = tmp_path / name
    path.write_bytes(data)
    _assert_both(fiscal_sim_cli, ["run", path], zh, en)


# -- actuals --------------------------------------------------------------------------------------


def _column(key: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(KEYS.index(key) + 2)


ACTUALS_CASES = [
    # (cells of the months sheet to change, Chinese phrase, English phrase); row 4 is January
    (
        {"A6": "2020-05"},
        "实际执行!A6 (month): 应为 2020-03，实为 2020-05（预算年度每月一行，从一月起依次排列）",
        "expected 2020-03, got 2020-05 (one row per month",
    ),
    (
        {"A5": "二月"},
        '应为 YYYY-MM 格式的月份，实为 "二月"',
        'expected a month as YYYY-MM, got "二月"',
    ),
    (
        {f"{_column('tax')}1": "taxes"},
        "实际执行!C1: 未知列 \"taxes\"（是不是要找 'tax'？）",
        "unknown column \"taxes\" (did you mean 'tax'?)",
    ),
    (
        {f"{_column('tax')}1": KEYS[0]},
        f"列 {KEYS[0]} 重复",
        f"the column {KEYS[0]} is given twice",
    ),
    (
        {f"{_column('tax')}5": "三十"},
        '(tax, 2020-02): 应为数字（万元），实为 "三十"',
        '(tax, 2020-02): expected a number of 万元, got "三十"',
    ),
    (
        {f"{_column('closing_cash')}6": -5.0},
        "库款不能为负，实为 -5",
        "treasury cash cannot be negative, got -5",
    ),
    (
        {f"{_column('tax')}4": None},
        "已结账月份中为空",
        "empty in a closed month: give every receipt, payment and cash figure",
    ),
]


@pytest.fixture(scope="module")
def actuals_file(tmp_path_factory):
    """plan-followed's own months through June 2020, as ``fiscal-sim actuals`` writes them."""
    from click.testing import CliRunner

    from fiscal_sim.cli import cli

    path = tmp_path_factory.mktemp("actuals") / "actuals.xlsx"
    result = CliRunner().invoke(cli, ["actuals", "--through", "2020-06", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.mark.parametrize("cells, zh, en", ACTUALS_CASES)
def test_spoilt_actuals(actuals_file, tmp_path, fiscal_sim_cli, cells, zh, en):
    from openpyxl import load_workbook

    path = shutil.copy(actuals_file, tmp_path / "actuals.xlsx")
    workbook = load_workbook(path)
    for where, value in cells.items():
        workbook["实际执行"][where] = value
    workbook.save(path)
    _assert_both(fiscal_sim_cli, ["reforecast", "--actuals", path], zh, en)


def test_actuals_without_a_closed_month(tmp_path, fiscal_sim_cli):
    path = tmp_path / "actuals.csv"
    header = ",".join(["month", *KEYS])
    path.write_text(header + "\n2020-01" + "," * len(KEYS) + "\n", "utf-8")
    _assert_both(
        fiscal_sim_cli,
        ["reforecast", "--actuals", path],
        "没有已结账的月份：至少填写一月",
        "no closed month: fill at least January",
    )


# -- batch ----------------------------------------------------------------------------------------


def test_a_batch_names_a_bad_county_file_in_the_language(template, tmp_path, fiscal_sim_cli):
    folder = tmp_path / "counties"
    folder.mkdir()
    (folder / "620701-good.yaml").write_text("extends: default\n", "utf-8")
    shutil.move(_spoilt(template, tmp_path, _set("revenue.tax", "约3万")), folder / "620702.xlsx")
    args = ["batch", folder, "-o", tmp_path / "out", "--workers", "0"]
    zh = fiscal_sim_cli(*args)
    assert zh.exit_code == 4, zh.output
    assert "失败 620702：" in zh.stderr and '应为数字（万元），≥ 0，实为 "约3万"' in zh.stderr
    en = fiscal_sim_cli(*args, "--lang", "en")
    assert en.exit_code == 4 and "failed 620702: " in en.stderr
    assert 'expected a number of 万元 ≥ 0, got "约3万"' in en.stderr and "应为" not in en.stderr


BATCH_CASES = [
    # (what is in the folder, Chinese phrase, English phrase)
    (
        {"notes.txt": "x"},
        "文件夹中没有情景文件（*.yaml、*.xlsx）",
        "no scenario files (*.yaml, *.xlsx)",
    ),
    (
        {"manifest.csv": "file,code\ncounty.yaml,6207\n", "county.yaml": "extends: default\n"},
        "row 1.code: 应为六位行政区划代码，实为 '6207'",
        "row 1.code: expected a six-digit 行政区划代码, got '6207'",
    ),
    (
        {
            "manifest.csv": "file,code,县长\ncounty.yaml,620702,x\n",
            "county.yaml": "extends: default\n",
        },
        "row 1.县长: 未知列；应为 ('file', 'code', 'name', 'prefecture')",
        "row 1.县长: unknown column; expected ('file', 'code', 'name', 'prefecture')",
    ),
    ({"manifest.csv": "file,code\n"}, "清单中没有列出任何县", "the manifest lists no county"),
]


@pytest.mark.parametrize("files, zh, en", BATCH_CASES)
def test_a_batch_that_cannot_start(tmp_path, fiscal_sim_cli, files, zh, en):
    folder = tmp_path / "counties"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, "utf-8")
    args = ["batch", folder, "-o", tmp_path / "out", "--workers", "0"]
    _assert_both(fiscal_sim_cli, args, zh, en)


# -- the workbench's uploads ----------------------------------------------------------------------

UPLOAD_CASES = [
    # (file name, bytes, Chinese phrase, English phrase)
    (
        "county.xlsx",
        b"PK\x03\x04 not really a workbook",
        "county.xlsx: 不是 Excel 工作簿",
        "county.xlsx: not an Excel workbook",
    ),
    ("county.txt", b"x", "county.txt：应为 .yaml、.yml 或 .xlsx 文件", "expected a .yaml, .yml or"),
    (
        "sneaky.yaml",
        b"extends: /etc/passwd\n",
        "sneaky.yaml:1: extends: 上传的情景只能继承内置情景",
        "sneaky.yaml:1: extends: an uploaded scenario may extend only a bundled scenario",
    ),
]


@pytest.mark.parametrize("name, data, zh, en", UPLOAD_CASES)
def test_an_upload_that_cannot_be_used(tmp_path, name, data, zh, en):
    with pytest.raises(uploads.UploadError) as caught:
        uploads.receive(name, data, tmp_path)
    (chinese,), (english,) = caught.value.lines("zh"), caught.value.lines("en")
    assert zh in chinese and en in english
    assert caught.value.errors == [english] and str(tmp_path) not in chinese + english
