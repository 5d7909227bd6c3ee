"""The bureau's standard tables as sheets of the report workbook and tables of the HTML report,
checked the way an analyst would: totals add up, the month's opening is last month's closing,
the debt due is the opening balance over the maturity, the headers are the platform's, and the
HTML shows the workbook's figures (one builder, two renderings)."""

from __future__ import annotations

import html
import re
from itertools import pairwise

import numpy as np
import openpyxl
import pytest

import fiscal_sim
from fiscal_sim import report
from fiscal_sim.numbers import format_value


@pytest.fixture(scope="module")
def run():
    projection = fiscal_sim.project(fiscal_sim.load_scenario("plan-followed"))
    return projection, fiscal_sim.check(projection)


@pytest.fixture(scope="module")
def book(run, tmp_path_factory):
    path = tmp_path_factory.mktemp("bureau") / "report.xlsx"
    return openpyxl.load_workbook(
        report.write_report(path, *run, lang="zh", generated="2026-12-02")
    )


def _rows(sheet):
    header, *body = sheet.iter_rows(values_only=True)
    return list(header), body


def test_sanbao_sheet_need_and_funding_by_tier_and_total(book, run):
    projection, _ = run
    header, body = _rows(book["三保需求测算与保障情况"])
    assert header == [
        "年度",
        "项目",
        "需求测算（万元）",
        "已保障（万元）",
        "缺口（万元）",
        "保障率",
    ]
    waterfall = projection.waterfall()
    tiers = waterfall[(waterfall["year"] == 2020) & (waterfall["tier_no"] <= 3)]
    rows = {row[1]: row for row in body if row[0] == 2020}
    assert list(rows) == ["保工资", "保基本民生", "保运转", "三保合计"]
    assert rows["三保合计"][2] == pytest.approx(tiers["need"].sum())
    assert rows["保工资"][2] == pytest.approx(float(tiers["need"].iloc[0]))
    assert rows["三保合计"][5] == pytest.approx(tiers["funded"].sum() / tiers["need"].sum())
    assert book["三保需求测算与保障情况"]["F2"].number_format == "0.0%"


def test_cash_sheet_by_month_opening_is_last_months_closing(book, run):
    projection, _ = run
    header, body = _rows(book["库款保障水平"])
    assert header == [
        "年度",
        "月份",
        "期初库款余额（万元）",
        "本期库款流入（万元）",
        "本期库款流出（万元）",
        "期末库款余额（万元）",
        "库款保障水平（月）",
        "库款状态",
    ]
    assert len(body) == 12 * len(projection.years)
    for previous, row in pairwise(body):
        assert row[2] == pytest.approx(previous[5])  # opening = last month's closing
        assert row[5] == pytest.approx(row[2] + row[3] - row[4])
    np.testing.assert_allclose([row[6] for row in body], projection.monthly()["cash_level"])
    assert {row[7] for row in body} <= {"预警", "偏低", "正常", "闲置"}


def test_debt_sheet_balances_ceilings_due_and_refinancing(book, run):
    projection, _ = run
    header, body = _rows(book["政府债务"])
    assert header[0] == "年度" and "到期本金（万元）" in header and "再融资（万元）" in header
    column = {name: index for index, name in enumerate(header)}
    first = body[0]
    # the base-year balances 90,000 + 40,000 over a 7-year average maturity
    assert first[column["到期本金（万元）"]] == pytest.approx((90_000 + 40_000) / 7)
    np.testing.assert_allclose(
        [row[column["债务余额合计（万元）"]] for row in body], projection.indicators()["debt_total"]
    )
    np.testing.assert_allclose(
        [row[column["债务率"]] for row in body], projection.indicators()["debt_ratio"]
    )


def test_advance_ledger_digestion_progress_against_the_plan(book, run):
    projection, _ = run
    header, body = _rows(book["暂付款台账"])
    column = {name: index for index, name in enumerate(header)}
    by_year = {row[0]: row for row in body}
    assert by_year[2019][column["存量年初余额（万元）"]] == pytest.approx(17_000)  # end-2018
    assert by_year[2023][column["消化进度"]] == pytest.approx(1.0)  # digested by the 2023 line
    assert by_year[2021][column["计划进度"]] == pytest.approx(0.6)  # a fifth a year
    np.testing.assert_allclose(
        [row[column["暂付款余额（万元）"]] for row in body],
        projection.indicators()["advance_balance"],
    )


# --- the same tables in the HTML report -------------------------------------------------------

_KIND_OF_FORMAT = {"#,##0.00": "money", "0.0%": "ratio", "0.00": "months", "0": "id"}


def _html_rows(page: str, table_id: str) -> tuple[list[str], list[list[str]]]:
    table = re.search(rf'<table id="{table_id}">(.*?)</table>', page, re.S).group(1)
    head = [html.unescape(text) for text in re.findall(r"<th(?: [^>]*)?>(.*?)</th>", table)]
    body = [
        [html.unescape(text) for text in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.split("<tbody>")[1])
    ]
    return head, body


@pytest.fixture(scope="module")
def page(run):
    return report.html_report(*run, lang="zh", charts=False, generated="2026-12-02")


@pytest.mark.parametrize(
    ("table_id", "sheet"),
    [
        ("sanbao-table", "三保需求测算与保障情况"),
        ("advance-ledger", "暂付款台账"),
        ("cash-table", "库款保障水平"),
        ("debt-table", "政府债务"),
    ],
)
def test_html_shows_the_same_standard_tables_as_the_workbook(page, book, table_id, sheet):
    head, body = _html_rows(page, table_id)
    rows = list(book[sheet].iter_rows())
    assert head == [cell.value for cell in rows[0]]
    assert len(body) == len(rows) - 1
    for shown, cells in zip(body, rows[1:], strict=True):
        expected = [
            format_value(cell.value, _KIND_OF_FORMAT.get(cell.number_format, "id"))
            if isinstance(cell.value, int | float)
            else str(cell.value)
            for cell in cells
        ]
        assert shown == expected


def test_html_cash_table_opens_each_month_with_last_months_closing(page, run):
    projection, _ = run
    head, body = _html_rows(page, "cash-table")
    opening, closing = head.index("期初库款余额（万元）"), head.index("期末库款余额（万元）")
    assert len(body) == 12 * len(projection.years)
    for previous, row in pairwise(body):
        assert row[opening] == previous[closing]
    months = projection.monthly()
    assert body[-1][closing] == format_value(float(months["cash"].iloc[-1]), "money")


def test_html_sections_hold_the_standard_tables_under_their_names(page):
    sections = dict(re.findall(r'<section id="section-(\w+)">(.*?)</section>', page, re.S))
    assert "<h3>三保需求测算与保障情况</h3>" in sections["waterfall"]
    assert 'id="sanbao-table"' in sections["waterfall"]
    assert "<h3>暂付款台账</h3>" in sections["advances"]
    assert "<summary>库款保障水平</summary>" in sections["cash"]  # folded; printed open
    assert 'id="debt-table"' in sections["debt"]
