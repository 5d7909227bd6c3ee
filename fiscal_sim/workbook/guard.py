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

from fiscal_sim.errors import ScenarioError
from fiscal_sim.inputs import read_input

WORKBOOK_SUFFIXES = (".xlsx",)
REFUSED_SUFFIXES = {
    ".xlsm": "a macro-enabled .xlsm workbook is refused (macros never run here); save it as "
    ".xlsx (Excel Workbook)",
    ".xltm": "a macro-enabled template is refused; save it as .xlsx (Excel Workbook)",
    ".xls": "a legacy .xls workbook cannot be read; save it as .xlsx (Excel Workbook) in "
    "Excel or LibreOffice",
    ".xlsb": "a binary .xlsb workbook cannot be read; save it as .xlsx (Excel Workbook)",
    ".ods": "an OpenDocument .ods spreadsheet cannot be read; save it as .xlsx (Excel Workbook)",
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
        raise ScenarioError(path, None, REFUSED_SUFFIXES[".xls"] + " (this is one, renamed)")
    stream = io.BytesIO(data)
    if not zipfile.is_zipfile(stream):
        raise ScenarioError(path, None, "not an Excel workbook (.xlsx is a zip file)")
    with zipfile.ZipFile(stream) as archive:
        parts = archive.infolist()
    names = [part.filename.lower() for part in parts]
    if any(name.endswith("vbaproject.bin") for name in names):
        raise ScenarioError(path, None, "the workbook holds macros (vbaProject.bin); refused")
    if len(parts) > MAX_PARTS or sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise ScenarioError(
            path,
            None,
            f"the workbook unpacks to more than {MAX_PARTS} parts or "
            f"{MAX_UNPACKED_BYTES:,} bytes; refused",
        )
    return data


def check_shape(path, worksheet) -> None:
    """Refuse a sheet larger than a county's parameters can fill."""
    if worksheet.max_row > MAX_ROWS or worksheet.max_column > MAX_COLUMNS:
        raise ScenarioError(
            path,
            None,
            f"sheet {worksheet.title!r} spans {worksheet.max_row} rows × "
            f"{worksheet.max_column} columns; at most {MAX_ROWS} × {MAX_COLUMNS} are read",
        )
