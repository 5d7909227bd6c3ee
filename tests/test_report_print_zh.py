"""The Excel report in Chinese, printed by a real client (issue #17 item 5): LibreOffice turns
the workbook into a PDF whose every page is landscape and whose text is Chinese, drawn with a
CJK font (the text comes back out of the PDF: characters, not boxes or missing glyphs).

LibreOffice and the CJK font come from .ci/install-system-packages; without them the test is
skipped on a developer's machine and fails under CI=true (the ``external_tool`` fixture).
"""

from __future__ import annotations

import re

import pytest
from _libreoffice import to_pdf

import fiscal_sim
from fiscal_sim import labels, report

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def zh_report(tmp_path_factory):
    """The Chinese report of plan-followed as xlsx (no figure of it is asserted: the tiny
    county's flat lines make degenerate charts)."""
    folder = tmp_path_factory.mktemp("print")
    projection = fiscal_sim.project(fiscal_sim.load_scenario("plan-followed"))
    path = report.write_report(folder / "report.xlsx", projection, fiscal_sim.check(projection))
    return folder, path


def test_libreoffice_prints_the_chinese_report_landscape_with_chinese_text(
    zh_report, external_tool
):
    from pypdf import PdfReader

    soffice = external_tool("soffice", "libreoffice")
    folder, path = zh_report
    reader = PdfReader(to_pdf(soffice, path, folder))
    assert len(reader.pages) >= 5
    for number, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        if (page.get("/Rotate") or 0) % 180:
            width, height = height, width
        assert width > height, f"page {number} is portrait ({width:.0f} × {height:.0f} pt)"
    text = "".join(page.extract_text() for page in reader.pages)
    assert len(CJK.findall(text)) > 500  # Chinese throughout, not a few stray labels
    # the sheets' Chinese headers and names, as the reader sees them
    for shown in ("三保保障", labels.label("advance_ratio", "zh"), labels.rule_name("advance_cap")):
        assert shown in text, shown
    assert "\ufffd" not in text and "□" not in text  # no replacement characters or boxes
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont")))
    assert any(re.search(r"WenQuanYi|wqy|Noto.*CJK|Droid.*Fallback", f, re.I) for f in fonts), fonts
