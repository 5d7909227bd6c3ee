"""Reports: a self-contained HTML page that opens in a browser, an Excel workbook whose numbers
are the projection's, and the monthly basic-operations table (OPS.4.4.1)."""

from __future__ import annotations

import csv
import functools
import re
import subprocess
import warnings

import numpy as np
import openpyxl
import pytest
from _fake_projection import FakeFindings, FakeProjection

from fiscal_sim import labels, report

SCRIPT_TITLE = "<script>alert('x')</script>测试县"


@pytest.fixture(scope="module")
def fake():
    return FakeProjection(title=SCRIPT_TITLE)


@pytest.fixture(scope="module")
def findings():
    return FakeFindings(title_text="<b>")


@pytest.fixture(scope="module")
def html_file(tmp_path_factory, fake, findings):
    path = tmp_path_factory.mktemp("html") / "report.html"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report.write_report(path, fake, findings, lang="zh", generated="2024-01-31")
    return path


@pytest.fixture(scope="module")
def xlsx_file(tmp_path_factory, fake, findings):
    path = tmp_path_factory.mktemp("xlsx") / "report.xlsx"
    report.write_report(path, fake, findings, lang="en", generated="2024-01-31")
    return path


def _real():
    import fiscal_sim

    projection = fiscal_sim.project(fiscal_sim.load_scenario())
    return projection, fiscal_sim.check(projection)


# --- HTML ---------------------------------------------------------------------------------------


def test_html_states_scenario_hash_version_and_date(html_file, fake):
    page = html_file.read_text("utf-8")
    meta = re.search(r'<table class="meta" id="meta">(.*?)</table>', page).group(1)
    for expected in (
        fake.meta["hash"],
        fake.meta["fiscal_sim_version"],
        "2024-01-31",
        "fake-county",
    ):
        assert expected in meta


def test_html_is_self_contained(html_file):
    page = html_file.read_text("utf-8")
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "<script" not in page.replace("&lt;script", "")
    assert page.count('src="data:image/png;base64,') == 6  # every single-scenario chart


def test_html_escapes_text_from_scenario_files(html_file):
    page = html_file.read_text("utf-8")
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;测试县" in page  # Jinja2 autoescape
    assert "<b>" not in page and "&lt;b&gt;" in page  # finding messages and parameter sources


def test_html_findings_table_lists_breaches_first_with_clauses(html_file):
    page = html_file.read_text("utf-8")
    table = re.search(r'<table id="findings">(.*?)</table>', page).group(1)
    classes = re.findall(r'<tr class="(\w+)">', table)
    assert classes == ["breach", "breach", "warning"]  # passed checks are counted, not listed
    assert "OPS.4.3.2" in table and "OPS.1, OPS.2.2" in table
    assert "另有 1 项检查通过" in page
    assert '<td class="num">8.0%</td><td class="num">5.0%</td>' in table  # by the unit


def test_html_opens_in_headless_chromium(html_file, external_tool):
    chromium = external_tool("chromium", "chromium-browser")
    completed = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--dump-dom",
            html_file.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    dom = completed.stdout
    assert '<table id="findings">' in dom
    assert dom.count('<tr class="breach">') == 2
    assert "<script" not in dom  # the title stayed text
    assert "&lt;script&gt;alert" in dom
    assert dom.count("<img") == 6


def test_html_report_of_the_default_county():
    projection, findings = _real()
    page = report.html_report(projection, findings, lang="en")
    assert projection.meta["hash"] in page and '<table id="findings">' in page


# --- Excel ----------------------------------------------------------------------------------


def test_xlsx_has_one_formatted_sheet_per_table(xlsx_file, fake):
    book = openpyxl.load_workbook(xlsx_file)
    assert book.sheetnames == [
        "Summary",
        "Indicators",
        "Waterfall",
        "Advances",
        "Monthly cash",
        "Findings",
        "三保 need and funding",  # the bureau's tables (the fake has no debt or ledger detail)
        "Treasury cash cover",
        "Charts",
        "Parameters",
        "About",  # the appendix
    ]
    about = dict(book["About"].iter_rows(values_only=True))
    assert about["Scenario hash"] == fake.meta["hash"]
    assert about["fiscal_sim version"] == fake.meta["fiscal_sim_version"]
    assert about["Date"] == "2024-01-31"
    for name in ("Indicators", "Waterfall", "Advances", "Monthly cash", "Findings", "Parameters"):
        sheet = book[name]
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.column_dimensions["A"].width >= 8


def test_xlsx_numbers_are_the_projections(xlsx_file, fake):
    book = openpyxl.load_workbook(xlsx_file)
    sheet = book["Indicators"]
    header = [cell.value for cell in sheet[1]]
    assert header[0] == labels.label("year", "en")
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    indicators = fake.indicators()
    assert [row[0] for row in rows] == list(fake.years)
    for number, name in enumerate(indicators.columns, start=1):
        column = [row[number] for row in rows]
        assert all(isinstance(value, int | float) for value in column), name
        np.testing.assert_allclose(column, indicators[name].to_numpy(), err_msg=name)
    ratio_cell = sheet.cell(row=2, column=list(indicators.columns).index("advance_ratio") + 2)
    assert ratio_cell.number_format == "0.0%"
    waterfall = list(book["Waterfall"].iter_rows(min_row=2, values_only=True))
    assert len(waterfall) == len(fake.years) * 8
    assert waterfall[8 + 2][2:6] == (labels.label("operations", "en"), 12_000, 9_500, 2_500)
    cash = list(book["Monthly cash"].iter_rows(min_row=2, values_only=True))
    assert cash[12 + 5][:2] == (2020, 6)
    findings = list(book["Findings"].iter_rows(min_row=2))
    assert [row[0].value for row in findings] == ["breach", "breach", "warning", "ok"]
    assert findings[0][6].value == 0.08 and findings[0][6].number_format == "0.0%"


def test_xlsx_headers_follow_the_language(tmp_path, fake, findings):
    path = report.write_report(tmp_path / "r.xlsx", fake, findings, lang="zh")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[1] == "主要指标"
    assert book["主要指标"]["A1"].value == "年度"


def test_xlsx_opens_in_libreoffice(xlsx_file, fake, tmp_path, external_tool):
    soffice = external_tool("soffice", "libreoffice")
    every_sheet = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    completed = subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--convert-to",
            every_sheet,
            "--outdir",
            str(tmp_path),
            str(xlsx_file),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    with open(tmp_path / "report-Indicators.csv", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    column = header.index("Self-sufficiency") if "Self-sufficiency" in header else None
    years = [int(row[0]) for row in body]
    assert years == list(fake.years)
    indicators = fake.indicators()
    expected = indicators["gpb_expenditure"].to_numpy()
    np.testing.assert_allclose([float(row[1]) for row in body], expected)
    if column is not None:
        shares = [float(row[column].rstrip("%")) / 100 for row in body]
        np.testing.assert_allclose(shares, indicators["self_sufficiency"].to_numpy())


def test_xlsx_report_of_the_default_county(tmp_path):
    projection, findings = _real()
    path = report.write_report(tmp_path / "default.xlsx", projection, findings, lang="zh")
    sheet = openpyxl.load_workbook(path)["主要指标"]
    first_year = [cell.value for cell in sheet[2]]
    expected = projection.indicators().iloc[0].to_numpy(dtype=float)
    np.testing.assert_allclose(first_year[1:], expected)


# --- the monthly report and file handling ----------------------------------------------------


def test_month_table_has_sanbao_cash_and_advances(fake):
    table = report.month_table(fake, "2020-06", lang="zh")
    assert table.attrs["title"] == "2020年6月基层“三保”运行情况月报"
    assert set(table["section"]) == {"三保", "库款", "暂付款"}
    values = dict(zip(zip(table["item"], table["scope"], strict=True), table["value"], strict=True))
    assert values[("月末库款", "当月")] == pytest.approx(fake.months["cash"][0, 1, 5])
    assert values[("工资有保障", "当月")] == "否"
    assert values[("库款状态", "当月")] == "预警"
    balance = values[("暂付款余额", "全年计划（年末数）")]  # annual in the model: said so
    assert balance == pytest.approx(fake.annual["advance_balance"][0, 1])


def test_month_table_shows_the_months_sanbao_and_the_year_to_date_not_the_year(fake):
    table = report.month_table(fake, "2020-06", lang="zh")
    sanbao = table[table["section"] == "三保"]
    values = dict(
        zip(zip(sanbao["item"], sanbao["scope"], strict=True), sanbao["value"], strict=True)
    )
    tiers = fake.monthly_tiers().query("year == 2020 and tier_no <= 3")
    june = tiers[tiers["month"] == 6].set_index("tier")
    first_half = tiers[tiers["month"] <= 6].groupby("tier")[["need", "paid"]].sum()
    for tier, name in (("wages", "保工资"), ("livelihood", "保基本民生"), ("operations", "保运转")):
        assert values[(f"{name}：需求", "当月")] == pytest.approx(june.loc[tier, "need"])
        assert values[(f"{name}：已支付", "当月")] == pytest.approx(june.loc[tier, "paid"])
        assert values[(f"{name}：需求", "截至6月累计")] == pytest.approx(
            first_half.loc[tier, "need"]
        )
        assert values[(f"{name}：已支付", "截至6月累计")] == pytest.approx(
            first_half.loc[tier, "paid"]
        )
    assert values[("三保合计：已支付", "截至6月累计")] == pytest.approx(first_half["paid"].sum())
    year_need = fake.tiers["need"][0, 1, :3]  # the whole year's need is no longer shown
    assert not any(np.isclose(value, year_need).any() for value in sanbao["value"])
    english = report.month_table(fake, "2020-06", lang="en")
    assert "year to date (to Jun)" in set(english["scope"])
    assert set(english["unit"]) <= {"万元", "months", ""}


def test_month_table_of_the_engine_uses_its_monthly_tiers():
    projection, _ = _real()
    table = report.month_table(projection, "2020-06", lang="en")
    paid = projection.monthly_tiers().query("year == 2020 and month == 6 and tier_no <= 3")
    total = table[(table["item"] == "三保 total: paid") & (table["scope"] == "month")]
    assert total["value"].iloc[0] == pytest.approx(paid["paid"].sum())


@pytest.mark.parametrize("suffix", ["html", "xlsx", "txt", "csv"])
def test_month_report_files(tmp_path, fake, suffix):
    path = report.write_report(tmp_path / f"month.{suffix}", fake, lang="en", month="2020-06")
    assert [item.name for item in tmp_path.iterdir()] == [path.name]
    if suffix == "xlsx":
        sheet = openpyxl.load_workbook(path)["Monthly report"]
        assert sheet.freeze_panes == "A2"
        june_need = fake.tiers["need"][0, 1, 2] / 12  # operations, one month of 2020
        cells = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert any(
            cell == pytest.approx(june_need) for cell in cells if isinstance(cell, int | float)
        )
    else:
        text = path.read_text("utf-8-sig")
        assert "operations" in text.lower()
        assert fake.meta["hash"] in text or suffix == "csv"
        assert "<script>" not in text or suffix != "html"


@pytest.mark.parametrize("month", ["2020-13", "2020", "june", "2031-01"])
def test_month_report_rejects_bad_months(fake, month):
    with pytest.raises(ValueError):
        report.month_table(fake, month)


def test_report_refuses_unknown_suffixes_and_leaves_no_temporary_file(tmp_path, fake, findings):
    with pytest.raises(ValueError, match=r"\.html, \.xlsx"):
        report.write_report(tmp_path / "report.pdf", fake, findings)
    assert not list(tmp_path.iterdir())


def test_failed_write_keeps_the_previous_file(tmp_path, fake, monkeypatch):
    path = tmp_path / "report.html"
    path.write_text("previous", "utf-8")

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(report.html, "html_report", broken)  # where write_report finds it
    with pytest.raises(RuntimeError):
        report.write_report(path, fake, FakeFindings())
    assert path.read_text("utf-8") == "previous"
    assert [item.name for item in tmp_path.iterdir()] == ["report.html"]


def test_findings_aspects_and_units_are_words_in_html_and_xlsx(tmp_path):
    projection, findings = _real()
    page = report.write_report(tmp_path / "r.html", projection, findings, lang="zh")
    text = page.read_text("utf-8")
    for raw in (">ratio<", ">fraction<", ">wan_yuan<", ">annual<", ">flow<"):
        assert raw not in text
    assert ">占比<" in text and ">万元<" in text
    book = report.write_report(tmp_path / "r.xlsx", projection, findings, lang="zh")
    sheet = openpyxl.load_workbook(book)["规则检查"]
    columns = {cell.value: index for index, cell in enumerate(sheet[1])}
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert {row[columns["单位"]] for row in rows} <= {"万元", "比例", "月", "人"}
    assert "ratio" not in {row[columns["方面"]] for row in rows}


@pytest.mark.parametrize(("lang", "charts"), [("zh", True), ("en", False)])
def test_the_page_rendered_once_is_the_page_rendered_twice(
    fake, findings, monkeypatch, lang, charts
):
    """One render with a slot for the font gives the page of the former two renders (a draft
    without the font to learn its characters, then the page with the font), byte for byte."""
    import base64

    from markupsafe import Markup

    from fiscal_sim import fonts
    from fiscal_sim.report import html

    calls = []
    render_once = html.render_page

    def recorded(template, page_lang, **context):
        page = render_once(template, page_lang, **context)
        calls.append((template, page_lang, context, page))
        return page

    monkeypatch.setattr(html, "render_page", recorded)
    report.html_report(fake, findings, lang=lang, charts=charts, generated="2024-01-31")
    ((template, page_lang, context, page),) = calls
    layout = html._environment().get_template(template)
    common = {"html_lang": "zh-CN" if page_lang == "zh" else "en", "version": html.__version__}
    draft = layout.render(font_css="", **common, **context)
    font = base64.b64encode(fonts._cut("".join(sorted(set(draft))))).decode("ascii")
    font_css = Markup(
        '@font-face{font-family:"fiscal-sim-cjk";'
        f'src:url("data:font/woff;base64,{font}") format("woff")}}'
    )
    assert page == layout.render(font_css=font_css, **common, **context) + "\n"


def test_charts_drawn_ahead_give_the_same_page():
    """The CLI has the projection's charts drawn in a child while its Monte Carlo runs:
    the page is the page drawn in one process, byte for byte; charts drawn ahead for
    another projection or language are refused."""
    import fiscal_sim

    projection = fiscal_sim.project(fiscal_sim.load_scenario())
    ensemble = fiscal_sim.simulate(projection.scenario, draws=200, seed=3)
    page = functools.partial(
        report.html_report, projection, lang="en", generated="2026-12-04", ensemble=ensemble
    )
    with report.charts_ahead(projection, "en", fork=True) as ahead:
        assert ahead.drawing
        assert page(ahead=ahead) == page()
    other = fiscal_sim.project(fiscal_sim.load_scenario())
    for wrong in (report.charts_ahead(other, "en"), report.charts_ahead(projection, "zh")):
        with wrong, pytest.raises(ValueError, match="another projection"):
            page(ahead=wrong)


def test_charts_of_the_monte_carlo_drawn_ahead_give_the_same_page():
    """The CLI forks a second child for the charts of its Monte Carlo run: with both children
    the page is the page drawn in one process; another ensemble's charts are refused."""
    import fiscal_sim

    projection = fiscal_sim.project(fiscal_sim.load_scenario())
    ensemble = fiscal_sim.simulate(projection.scenario, draws=200, seed=3)
    page = functools.partial(
        report.html_report, projection, lang="zh", generated="2026-12-07", ensemble=ensemble
    )
    with (
        report.charts_ahead(projection, "zh", fork=True) as first,
        report.ensemble_charts_ahead(ensemble, "zh", fork=True) as second,
    ):
        assert first.drawing and second.drawing
        assert second.names == {"breach-heatmap", *(f"fan-{n}" for n in report.FAN_INDICATORS)}
        assert page(ahead=[first, second]) == page()
    other = fiscal_sim.simulate(projection.scenario, draws=200, seed=3)
    for wrong in (
        report.ensemble_charts_ahead(other, "zh"),
        report.ensemble_charts_ahead(ensemble),
    ):
        with wrong, pytest.raises(ValueError, match="another projection, ensemble"):
            page(ahead=wrong, lang="en")
