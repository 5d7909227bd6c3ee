"""The report's optional uncertainty section (issue #8): a Monte Carlo run of the same scenario
adds breach probabilities by rule and year, the heat map and fan charts to the HTML page and
two sheets to the workbook; without one the report is as before."""

from __future__ import annotations

import html
import re

import numpy as np
import openpyxl
import pytest
from _errors import error_lines

import fiscal_sim
from fiscal_sim import labels, report

SCENARIO = "advances-as-gap-cover"  # several rules break in some draws, not in all
DRAWS, SEED = 300, 5


@pytest.fixture(scope="module")
def run():
    scenario = fiscal_sim.load_scenario(SCENARIO)
    projection = fiscal_sim.project(scenario)
    ensemble = fiscal_sim.simulate(scenario, draws=DRAWS, seed=SEED)
    return projection, fiscal_sim.check(projection), ensemble


@pytest.fixture(scope="module")
def page(run, tmp_path_factory):
    projection, findings, ensemble = run
    path = tmp_path_factory.mktemp("html") / "report.html"
    report.write_report(path, projection, findings, lang="zh", ensemble=ensemble)
    return path.read_text("utf-8")


@pytest.fixture(scope="module")
def book(run, tmp_path_factory):
    projection, findings, ensemble = run
    path = tmp_path_factory.mktemp("xlsx") / "report.xlsx"
    report.write_report(path, projection, findings, lang="en", ensemble=ensemble)
    return openpyxl.load_workbook(path)


def _section(page: str) -> str:
    return re.search(r'<section id="section-uncertainty">(.*?)</section>', page, re.S).group(1)


def _table_rows(page: str, table_id: str) -> list[list[str]]:
    table = re.search(rf'<table id="{table_id}">(.*?)</table>', page, re.S).group(1)
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    return [
        [html.unescape(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in rows
    ]


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def test_html_has_the_section_with_draws_seed_and_the_shocks(page):
    section = _section(page)
    assert "不确定性" in section
    intro = html.unescape(re.search(r'<p id="uncertainty-intro">(.*?)</p>', section).group(1))
    assert f"{DRAWS} 次蒙特卡洛模拟" in intro and f"随机种子 {SEED}" in intro
    assert "默认值，属于假设" in intro  # the scenario lists no shocks:
    appendix = page[page.index('<section id="section-appendix">') :]  # shocks: the appendix
    assert '<table id="shocks">' in appendix and "assumption" in appendix


def test_html_probability_table_is_the_ensembles_most_likely_first(page, run):
    _, _, ensemble = run
    rows = _table_rows(_section(page), "breach-probability")
    header, body = rows[0], rows[1:]
    years = [str(year) for year in ensemble.years]
    assert header[:3] == ["规则", "内容", "条款"] and header[3:] == [*years, "任一年"]
    expected = ensemble.breach_probabilities()
    breached = expected[expected["any_year"] > 0]
    names = {labels.rule_name(rule, "zh"): rule for rule in expected.index}
    assert {names[row[0]] for row in body} == set(breached.index)  # rules by their names
    shown_any = [float(row[-1].rstrip("%")) for row in body]
    assert shown_any == sorted(shown_any, reverse=True)
    for row in body:
        probabilities = expected.loc[names[row[0]]]
        assert row[3:] == [_percent(value) for value in probabilities.to_numpy()], row[0]
    clauses = {names[row[0]]: row[2] for row in body}
    assert clauses["advance_cap"] == "OPS.4.3.2"
    held = expected.index[expected["any_year"] == 0]
    sentence = re.search(r"均未被突破的规则：(.*?)。", _section(page)).group(1)
    assert set(sentence.split("、")) == {labels.rule_name(rule, "zh") for rule in held}


def test_html_embeds_the_heat_map_and_fan_charts(page):
    section = _section(page)
    assert re.search(
        r'<figure id="chart-breach-heatmap"><img [^>]*src="data:image/png;base64,', section
    )
    for name in report.FAN_INDICATORS:
        assert f'<figure id="chart-fan-{name}">' in section
    assert section.count('src="data:image/png;base64,') == 1 + len(report.FAN_INDICATORS)
    assert 'alt="各规则各年被突破的概率' in section  # the charts follow the report's language


def test_header_records_draws_and_seed(page, book):
    meta = html.unescape(re.search(r'<table class="meta" id="meta">(.*?)</table>', page).group(1))
    assert f"蒙特卡洛模拟次数</th><td>{DRAWS}<" in meta
    assert f"蒙特卡洛随机种子</th><td>{SEED}<" in meta
    about = dict(book["About"].iter_rows(values_only=True))
    assert about["Monte Carlo draws"] == DRAWS and about["Monte Carlo seed"] == SEED
    assert "assumptions" in about["Shocks"] and "land_sales" in about["Shocks"]


def test_xlsx_breach_sheet_numbers_are_the_ensembles(book, run):
    _, _, ensemble = run
    assert book.sheetnames[-5:-3] == ["Breach probabilities", "Quantiles"]  # then the appendix
    sheet = book["Breach probabilities"]
    header = [cell.value for cell in sheet[1]]
    years = [str(year) for year in ensemble.years]
    assert header == ["Rule", "Requirement", "Clause", *years, "Any year"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    expected = ensemble.breach_probabilities()
    names = {labels.rule_name(rule, "en"): rule for rule in expected.index}
    assert sorted(names[row[0]] for row in rows) == sorted(expected.index)  # every rule
    for row in rows:
        probabilities = expected.loc[names[row[0]]].to_numpy()
        np.testing.assert_allclose(row[3:], probabilities, err_msg=row[0])
    assert [row[-1] for row in rows] == sorted((row[-1] for row in rows), reverse=True)
    assert sheet.cell(row=2, column=4).number_format == "0.0%"


def test_xlsx_quantile_sheet_numbers_are_the_ensembles(book, run):
    _, _, ensemble = run
    sheet = book["Quantiles"]
    header = [cell.value for cell in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(ensemble.indicators) * len(ensemble.years)
    for name in ("cash_cover_min_months", "advance_ratio", "stabilization_fund"):
        mine = [row for row in rows if row[0] == name]
        table = ensemble.quantiles(name)
        assert [row[2] for row in mine] == list(ensemble.years)
        np.testing.assert_allclose([row[3:] for row in mine], table.to_numpy(), err_msg=name)
    assert header[3:] == [
        *ensemble.quantiles("debt_ratio").columns[:7],
        "Mean",
        "Std. dev.",
        "Min",
        "Max",
        "Deterministic baseline",
    ]
    ratio_row = next(i for i, row in enumerate(rows, start=2) if row[0] == "advance_ratio")
    assert sheet.cell(row=ratio_row, column=4).number_format == "0.0%"


def test_without_an_ensemble_there_is_no_section(run, tmp_path):
    projection, findings, _ = run
    path = report.write_report(tmp_path / "r.html", projection, findings, lang="en")
    page = path.read_text("utf-8")
    assert "section-uncertainty" not in page and "Monte Carlo" not in page
    book = openpyxl.load_workbook(report.write_report(tmp_path / "r.xlsx", projection, findings))
    assert "违规概率" not in book.sheetnames and "分位数" not in book.sheetnames


def test_an_ensemble_of_another_scenario_is_refused(run, tmp_path):
    _, _, ensemble = run
    other = fiscal_sim.project(fiscal_sim.load_scenario("baseline"))
    with pytest.raises(ValueError, match="the ensemble is of"):
        report.write_report(tmp_path / "r.html", other, ensemble=ensemble)
    assert not list(tmp_path.iterdir())


# --- the command line -----------------------------------------------------------------------


def test_cli_report_with_draws_writes_the_section(fiscal_sim_cli, tmp_path):
    target = tmp_path / "r.html"
    result = fiscal_sim_cli("report", "-o", target, "--draws", 200, "--seed", 1, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "simulating plan-followed" in result.stderr
    page = target.read_text("utf-8")
    assert '<section id="section-uncertainty">' in page
    assert "Monte Carlo seed</th><td>1<" in page
    # Every chart, whether a child drew it (report.charts) or the command itself.
    charts = len(report.charts.PROJECTION_CHARTS) + 1 + len(report.FAN_INDICATORS)
    assert page.count('src="data:image/png;base64,') == charts
    book_path = tmp_path / "r.xlsx"
    result = fiscal_sim_cli("report", "-o", book_path, "--draws", 200, "--seed", 1)
    assert result.exit_code == 0, result.output
    assert "违规概率" in openpyxl.load_workbook(book_path).sheetnames


def test_cli_report_without_a_seed_records_the_fresh_one(fiscal_sim_cli, tmp_path):
    target = tmp_path / "r.html"
    result = fiscal_sim_cli("report", "-o", target, "--draws", 100, "--lang", "en")
    assert result.exit_code == 0, result.output
    seed = re.search(r"seed: (\d+) \(repeat with --seed\)", result.stderr).group(1)
    assert f"Monte Carlo seed</th><td>{seed}<" in target.read_text("utf-8")


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["--draws", "99"], "--draws 99"),
        (["--draws", "2000001"], "--draws 2000001"),
        (["--draws", "many"], "--draws many"),
        (["--draws", "200", "--seed", "-1"], "--seed -1"),
        (["--draws", "200", "--seed", "1.5"], "--seed 1.5"),
        (["--seed", "1"], "--seed 1"),
        (["--draws", "200", "--month", "2020-06"], "--month"),
    ],
)
def test_cli_report_bad_draws_or_seed_exit_2_in_one_line(
    fiscal_sim_cli, tmp_path, arguments, named
):
    result = fiscal_sim_cli("report", "-o", tmp_path / "r.html", *arguments)
    assert result.exit_code == 2, result.output
    zh, en = error_lines(result)  # under zh (the default) the Chinese, then the English
    assert [line for line in result.stderr.splitlines() if line.strip()] == [zh, en]
    assert named in zh and named in en and re.search("[\u4e00-\u9fff]", zh), (zh, en)
    assert not list(tmp_path.iterdir())
