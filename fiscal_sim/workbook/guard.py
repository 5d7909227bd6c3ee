"""What a workbook file must be before openpyxl opens it: an ``.xlsx`` without macros, of a
size and shape that a county's parameters need (an input guard against hostile files; the
file itself is read by the common guard, :func:`fiscal_sim.inputs.read_input`).

Examples
--------
>>> check_suffix("county.xls")
Traceback (most recent call last):
...
fiscal_sim.errors.ScenarioError: county.xls: a legacy .xls workbook cannot be read; \
save it as .xlsx (Excel Workbook) in Excel or LibreOffice
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from fiscal_sim.errors import Bilingual, ScenarioError
from fiscal_sim.inputs import read_input

WORKBOOK_SUFFIXES = (".xlsx",)
_SAVE_AS = ("请另存为 .xlsx（Excel 工作簿）", "save it as .xlsx (Excel Workbook)")
REFUSED_SUFFIXES = {
    ".xlsm": Bilingual(
        "拒绝启用宏的 .xlsm 工作簿（这里从不运行宏）；{save}",
        "a macro-enabled .xlsm workbook is refused (macros never run here); {save}",
        save=Bilingual(*_SAVE_AS),
    ),
    ".xltm": Bilingual(
        "拒绝启用宏的模板；{save}",
        "a macro-enabled template is refused; {save}",
        save=Bilingual(*_SAVE_AS),
    ),
    ".xls": Bilingual(
        "无法读取旧版 .xls 工作簿；请在 Excel 或 LibreOffice 中另存为 .xlsx（Excel 工作簿）",
        "a legacy .xls workbook cannot be read; save it as .xlsx (Excel Workbook) in "
        "Excel or LibreOffice",
    ),
    ".xlsb": Bilingual(
        "无法读取二进制 .xlsb 工作簿；{save}",
        "a binary .xlsb workbook cannot be read; {save}",
        save=Bilingual(*_SAVE_AS),
    ),
    ".ods": Bilingual(
        "无法读取 OpenDocument .ods 表格；{save}",
        "an OpenDocument .ods spreadsheet cannot be read; {save}",
        save=Bilingual(*_SAVE_AS),
    ),
}
MAX_UNPACKED_BYTES = 50 * 2**20  # the parts of the zip, unpacked (a zip bomb stops here)
MAX_PARTS = 200
MAX_ROWS = 1000  # per sheet; the longest sheet of the template has about 70
MAX_COLUMNS = 60


def is_workbook(path) -> bool:
    """Whether ``path`` names a spreadsheet (read here or refused here) rather than YAML."""
    suffix = Path(str(path)).suffix.lower()
    return suffix in WORKBOOK_SUFFIXES or suffix in REFUSED_SUFFIXES


def check_suffix(path) -> None:
    suffix = Path(str(path)).suffix.lower()
    if suffix in REFUSED_SUFFIXES:
        raise ScenarioError(path, None, REFUSED_SUFFIXES[suffix])


def check_file(path: Path) -> bytes:
    """The bytes of a small, macro-free ``.xlsx`` zip, refused before it is parsed.

    The file is read once through :func:`fiscal_sim.inputs.read_input` (a regular file within
    the common size limit); openpyxl then parses these bytes, not the file again.
    """
    check_suffix(path)
    data = read_input(path)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ScenarioError(
            path,
            None,
            REFUSED_SUFFIXES[".xls"]
            + Bilingual("（这个文件就是，只是改了名）", " (this is one, renamed)"),
        )
    stream = io.BytesIO(data)
    if not zipfile.is_zipfile(stream):
        raise ScenarioError(
            path,
            None,
            Bilingual(
                "不是 Excel 工作簿（.xlsx 是 zip 文件）",
                "not an Excel workbook (.xlsx is a zip file)",
            ),
        )
    with zipfile.ZipFile(stream) as archive:
        parts = archive.infolist()
    names = [part.filename.lower() for part in parts]
    if any(name.endswith("vbaproject.bin") for name in names):
        raise ScenarioError(
            path,
            None,
            Bilingual(
                "工作簿含有宏（vbaProject.bin），拒绝读取",
                "the workbook holds macros (vbaProject.bin); refused",
            ),
        )
    if len(parts) > MAX_PARTS or sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise ScenarioError(
            path,
            None,
            Bilingual(
                "工作簿解压后超过 {parts} 个部分或 {size:,} 字节，拒绝读取",
                "the workbook unpacks to more than {parts} parts or {size:,} bytes; refused",
                parts=MAX_PARTS,
                size=MAX_UNPACKED_BYTES,
            ),
        )
    return data


def check_shape(path, worksheet) -> None:
    """Refuse a sheet larger than a county's parameters can fill."""
    if worksheet.max_row > MAX_ROWS or worksheet.max_column > MAX_COLUMNS:
        raise ScenarioError(
            path,
            None,
            Bilingual(
                "工作表 {title!r} 有 {rows} 行 × {columns} 列；最多读取 {max_rows} × {max_columns}",
                "sheet {title!r} spans {rows} rows × {columns} columns; at most "
                "{max_rows} × {max_columns} are read",
                title=worksheet.title,
                rows=worksheet.max_row,
                columns=worksheet.max_column,
                max_rows=MAX_ROWS,
                max_columns=MAX_COLUMNS,
            ),
        )
