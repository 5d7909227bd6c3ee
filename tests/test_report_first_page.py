"""The report a bureau hands upward: the first page (a red/amber/green line per group of rules,
its figures and sentences computed from the findings), what was changed in the scenario, the
six-guarantee measures, and print: the HTML on A4 in Chromium, the workbook in LibreOffice.

Page counts (measured on plan-followed in Chinese, charts included): the HTML prints on 15
A4 pages (first page, one section a page, the bureau's standard tables, the appendix with every
parameter expanded), the workbook on 27 (every sheet landscape and fitted to the width; it
printed on 103 pages, three columns each, before). The bounds below leave a little room for
layout changes.
"""

from __future__ import annotations

import html
import re
import subprocess

import numpy as np
import openpyxl
import pytest
from _libreoffice import to_pdf

import fiscal_sim
from fiscal_sim import labels, report
from fiscal_sim.numbers import year_ranges
from fiscal_sim.report.summary import GROUPS, group_of
from fiscal_sim.results import measure_table

HTML_PAGES_AT_MOST = 20
XLSX_PAGES_AT_MOST = 32
STAFF = "people.staff=4800"


def _run(overrides=(), spec="plan-followed"):
    projection = fiscal_sim.project(fiscal_sim.load_scenario(spec, overrides=overrides))
    return projection, fiscal_sim.check(projection)


@pytest.fixture(scope="module")
def plan():
    return _run()


@pytest.fixture(scope="module")
def modified():
    return _run([STAFF])


@pytest.fixture(scope="module")
def modified_html(modified):
    return report.html_report(*modified, lang="zh", generated="2026-12-02", charts=False)


@pytest.fixture(scope="module")
def modified_xlsx(tmp_path_factory, modified):
    path = tmp_path_factory.mktemp("xlsx") / "modified.xlsx"
    return report.write_report(path, *modified, lang="zh", generated="2026-12-02")


def _first_page(page: str) -> str:
    return page[page.index('<header id="first-page">') : page.index("</header>")]


def _rag(page: str) -> dict[str, str]:
    """``{group: red|amber|green}`` from the first page's lines, in their order."""
    return {
        key: status for status, key in re.findall(r'<tr class="rag-(\w+)" id="rag-(\w+)">', page)
    }


def _expected_status(findings, group: str) -> str:
    frame = findings.to_frame()
    rows = frame[[group_of(rule) == group for rule in frame["rule"]]]
    if (rows["severity"] == "breach").any():
        return "red"
    return "amber" if (rows["severity"] == "warning").any() else "green"


# --- the first page ---------------------------------------------------------------------------


def test_first_page_has_one_line_per_group_coloured_by_its_findings(plan):
    projection, findings = plan
    page = report.html_report(projection, findings, lang="zh", charts=False)
    rag = _rag(_first_page(page))
    assert list(rag) == [group for group in GROUPS if group != "other"]
    for group, status in rag.items():
        assert status == _expected_status(findings, group), group
    assert rag["advances"] == "red"  # plan-followed breaks the 5 % cap in 2019–2020


def test_first_page_sentence_names_the_breach_years_and_when_the_rule_is_met(plan):
    projection, findings = plan
    frame = findings.to_frame()
    breached = frame[(frame["rule"] == "advance_cap") & (frame["severity"] == "breach")]
    years = sorted(int(year) for year in breached["year"])
    assert years == [2019, 2020]  # the engine's own output, read back below
    first = html.unescape(_first_page(report.html_report(projection, findings, lang="zh")))
    assert f"暂付款控制比例：{year_ranges(years, 'zh')}年违规" in first
    assert f"自{years[-1] + 1}年起满足" in first
    english = html.unescape(_first_page(report.html_report(projection, findings, lang="en")))
    assert "advance cap: breached in 2019–2020" in english and "met from 2021" in english
    # the legacy stock alone: end-2018 stock ÷ spending above the cap in 2019 and 2020
    share = projection.annual["legacy_advances"][0] / (
        projection.annual["gpb_expenditure"][0] + projection.annual["gfb_expenditure"][0]
    )
    assert share[0] > share[1] > 0.05 > share[2]
    assert "2019–2020: by the end-2018 stock itself" in english


@pytest.mark.parametrize(
    ("cap", "status"),
    [(0.088, "red"), (0.0883, "green"), (0.09, "green")],  # the 2019 ratio is 8.824 %
)
def test_first_page_line_turns_green_when_the_cap_is_above_the_ratio(cap, status):
    projection, findings = _run([f"rules.advance_cap_ratio={cap}"])
    ratio = float(projection.annual["advance_ratio"][0].max())
    assert 0.0882 < ratio < 0.0883
    page = report.html_report(projection, findings, lang="zh", charts=False)
    assert _rag(_first_page(page))["advances"] == status
    if status == "green":
        assert "暂付款及2023年消化目标：各项规则各年均满足。" in html.unescape(page)


def test_first_page_has_the_figures_and_the_appendix_the_hash(plan):
    projection, findings = plan
    page = report.html_report(projection, findings, lang="zh", charts=False)
    first = html.unescape(_first_page(page))
    peak = projection.indicators()["advance_ratio"]
    assert f"暂付款余额占支出比例：{peak.max():.1%}（{int(peak.idxmax())}年）" in first
    assert projection.meta["hash"] not in first  # hash and files are in the appendix
    appendix = page[page.index('<section id="section-appendix">') :]
    assert projection.meta["hash"] in appendix and '<table id="parameters">' in appendix


def test_xlsx_summary_sheet_is_the_same_first_page(plan, tmp_path):
    projection, findings = plan
    path = report.write_report(tmp_path / "r.xlsx", projection, findings, lang="zh")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == "概要" and book.sheetnames[-1] == "说明"  # about: appendix
    cells = [row[0] for row in book["概要"].iter_rows(values_only=True) if row and row[0]]
    html_page = html.unescape(report.html_report(projection, findings, lang="zh", charts=False))
    sentences = re.findall(r"<li>([^<]*(?:违规|满足)[^<]*)</li>", html_page)
    assert sentences and all(sentence in cells for sentence in sentences)
    statuses = {
        row[0]: row[1] for row in book["概要"].iter_rows(values_only=True) if row and row[1]
    }
    assert statuses["暂付款及2023年消化目标"] == "红：违规"
    assert statuses["三保保障"] == "绿：满足"


# --- what was changed -------------------------------------------------------------------------


def test_set_overrides_are_in_the_title_first_page_and_meta(modified, modified_html, plan):
    projection, _ = modified
    changed = "修改：people.staff = 4,800 人"
    title = html.unescape(re.search(r"<title>(.*?)</title>", modified_html).group(1))
    assert title.startswith("财政运行报告：按方案执行") and title.endswith(changed)
    assert changed in html.unescape(re.search(r'id="changes">(.*?)</p>', modified_html).group(1))
    assert projection.meta["overrides"] == [
        {"path": "people.staff", "value": 4800, "unit": "persons", "origin": "--set"}
    ]
    assert projection.meta["hash"] != plan[0].meta["hash"]  # the file name's hash follows
    assert plan[0].meta["overrides"] == [] and "修改" not in report.html_report(
        *plan, lang="zh", charts=False
    )


def test_overrides_are_in_the_xlsx_title(modified_xlsx):
    sheet = openpyxl.load_workbook(modified_xlsx)["概要"]
    assert sheet["A1"].value.endswith("修改：people.staff = 4,800 人")


def test_an_overlay_without_a_title_names_its_own_values(tmp_path):
    overlay = tmp_path / "fewer-transfers.yaml"
    overlay.write_text(
        "extends: plan-followed\nrevenue:\n  general_transfers: {value: 80000, unit: wan_yuan, "
        'source: "a third removed"}\n',
        "utf-8",
    )
    projection = fiscal_sim.project(fiscal_sim.load_scenario(overlay))
    page = html.unescape(report.html_report(projection, lang="en", charts=False))
    title = re.search(r"<title>(.*?)</title>", page).group(1)
    assert title.endswith("modified: revenue.general_transfers = 80,000 万元")
    assert projection.meta["overrides"][0]["origin"] == "fewer-transfers.yaml"


def test_json_meta_records_the_overrides(tmp_path):
    import json

    from click.testing import CliRunner

    from fiscal_sim.cli import cli

    result = CliRunner().invoke(cli, ["run", "--set", STAFF, "--format", "json"])
    assert result.exit_code == 0, result.output
    meta = json.loads(result.stdout)["meta"]
    assert meta["overrides"] == [
        {"path": "people.staff", "value": 4800, "unit": "persons", "origin": "--set"}
    ]


# --- the six-guarantee measures ----------------------------------------------------------------


def test_measures_by_measure_and_year_with_clauses_in_html_and_xlsx(modified, modified_xlsx):
    projection, findings = modified
    expected = measure_table(projection.scenario)
    assert len(expected) and expected["amount_wan"].abs().sum() > 0
    page = report.html_report(projection, findings, lang="zh", charts=False)
    table = re.search(r'<table id="measures">(.*?)</table>', page).group(1)
    sheet = openpyxl.load_workbook(modified_xlsx)["六保措施"]
    header = [cell.value for cell in sheet[1]]
    years = [str(year) for year in projection.scenario.years]
    assert header == ["措施", "条款", "类别", *years, "合计"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    for measure, amounts in expected.groupby("measure", sort=False):
        name, clause = amounts["label_zh"].iloc[0], amounts["clause"].iloc[0]
        assert html.escape(name) in table and clause in table
        row = rows[name]
        assert row[1] == clause
        np.testing.assert_allclose(row[3:-1], amounts["amount_wan"].to_numpy(), err_msg=measure)
        assert row[-1] == pytest.approx(amounts["amount_wan"].sum())


# --- print --------------------------------------------------------------------------------------


def _pdf_pages(path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(path).pages]


def test_html_prints_on_a_few_a4_pages_first_page_first(plan, tmp_path, external_tool):
    chromium = external_tool("chromium", "chromium-browser")
    path = report.write_report(tmp_path / "report.html", *plan, lang="zh")
    pdf = tmp_path / "report.pdf"
    completed = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            path.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    pages = _pdf_pages(pdf)
    assert 8 <= len(pages) <= HTML_PAGES_AT_MOST  # sections start on new pages
    assert "暂付款及2023年消化目标" in pages[0] and "主要指标" not in pages[0]
    assert "附录" in "".join(pages[-8:])
    assert any("livelihood.programmes" in page for page in pages)  # collapsed: printed open


def test_xlsx_prints_fitted_to_the_width(plan, tmp_path, external_tool):
    soffice = external_tool("soffice", "libreoffice")
    path = report.write_report(tmp_path / "report.xlsx", *plan, lang="en")
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert book["Findings"].page_setup.orientation == "landscape"
    assert book["Findings"].print_title_rows == "$1:$1"  # the header row on every page
    assert len(book["Charts"]._images) == 6
    pages = _pdf_pages(to_pdf(soffice, path, tmp_path))
    assert 10 <= len(pages) <= XLSX_PAGES_AT_MOST
    assert "Treasury advances" in pages[0] and "Government debt" in pages[0]  # the summary


def test_rule_names_are_chinese_under_zh(plan):
    page = html.unescape(report.html_report(*plan, lang="zh", charts=False))
    findings = re.search(r'<table id="findings">(.*?)</table>', page).group(1)
    assert "advance_cap" not in findings and labels.rule_name("advance_cap", "zh") in findings
