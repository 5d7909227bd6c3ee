"""``report --month 2020-06 --actuals FILE``: the monitoring platform's tables on actuals.

Hand sums in the tiny county (tests/engine/tiny-county.yaml), 2020: 1,100 received and 980
paid a year in twelve equal parts, cash 100 + 120 = 220 at the end of 2019; tiers 1-3 need
10, 50 and 50/12 a month.
"""

from __future__ import annotations

import pytest
from _actuals_files import plan_file, tiny
from openpyxl import load_workbook

import fiscal_sim
from fiscal_sim.report.month_actuals import month_actuals_html, month_actuals_tables


@pytest.fixture
def result(tmp_path):
    return fiscal_sim.reforecast(tiny(), plan_file(tmp_path, "2020-06"))


def test_the_platform_cash_table(result):
    cash = month_actuals_tables(result, 6, "en")["part.cash"].set_index("month")
    assert list(cash.index) == [f"2020-{m:02d}" for m in range(1, 10)]  # June + 3 projected
    assert list(cash["figures"]) == ["actual"] * 6 + ["projected"] * 3
    january = cash.loc["2020-01"]
    assert january["opening treasury cash (万元)"] == pytest.approx(220)
    assert january["treasury inflow (万元)"] == pytest.approx(1100 / 12)
    assert january["treasury outflow (万元)"] == pytest.approx(980 / 12)
    assert january["closing treasury cash (万元)"] == pytest.approx(230)
    assert january["cash cover (months)"] == pytest.approx(230 / (980 / 12))
    assert cash.loc["2020-09", "closing treasury cash (万元)"] == pytest.approx(310)
    assert set(cash["class"]) == {"idle"}


def test_the_sanbao_month_and_year_to_date(result):
    table = month_actuals_tables(result, 6, "zh")["part.sanbao"].set_index("项目")
    assert table.loc["保工资", "本月需求（万元）"] == pytest.approx(10)
    assert table.loc["保运转", "累计支付（万元）"] == pytest.approx(25)
    assert table.loc["三保合计", "累计需求（万元）"] == pytest.approx(6 * (10 + 50 + 50 / 12))


def test_advances_against_the_cap_and_the_line(result):
    table = month_actuals_tables(result, 3, "en")["part.advances"].set_index("item")
    # legacy 100 at the end of 2018, 20 digested a year in equal monthly parts: 80 - 5 in March
    assert table.iloc[0, 0] == pytest.approx(75)
    assert table.loc["digestion line: left at year end (万元)", "value"] == pytest.approx(60)


def test_a_month_not_closed_is_refused(result):
    with pytest.raises(ValueError, match="2020-07 is not a closed month"):
        month_actuals_tables(result, 7, "en")


def test_html_and_excel_from_the_command(tmp_path, fiscal_sim_cli):
    path = plan_file(tmp_path, "2020-06")
    for fmt in ("html", "xlsx"):
        out = tmp_path / f"month.{fmt}"
        result = fiscal_sim_cli(
            "report", "--month", "2020-06", "--actuals", path, "--format", fmt, "-o", out
        )
        assert result.exit_code == 0, result.output
    page = (tmp_path / "month.html").read_text("utf-8")
    for text in ("期初库款余额", "本期库款流入", "本期库款流出", "期末库款余额", "库款保障水平"):
        assert text in page
    assert "2020年6月保基层运转监测（实际执行）" in page
    book = load_workbook(tmp_path / "month.xlsx")
    assert book.sheetnames == ["说明", "库款", "三保需求与支付", "暂付款", "年末重新预测"]


def test_the_command_refuses_a_month_after_the_as_of(tmp_path, fiscal_sim_cli):
    path = plan_file(tmp_path, "2020-06")
    result = fiscal_sim_cli("report", "--month", "2020-08", "--actuals", path, "-o", tmp_path)
    assert result.exit_code == 2 and "not a closed month" in result.stderr


def test_the_page_escapes_the_file_name(tmp_path):
    path = plan_file(tmp_path, "2020-06")
    renamed = path.with_name("<b>actuals<i>.xlsx")
    path.rename(renamed)
    page = month_actuals_html(fiscal_sim.reforecast(tiny(), renamed), 6, "en")
    assert "<b>actuals<i>" not in page and "&lt;b&gt;actuals&lt;i&gt;" in page
