"""What a batch writes: the tables, the Excel summary, the HTML report and the charts, in
Chinese and English; the CLI starting without Dask (issue #21)."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys

import pandas as pd
import pytest
from _province import shared_province
from openpyxl import load_workbook

from fiscal_sim import __version__
from fiscal_sim.batch import files, report, run

DASK = ("dask", "distributed", "pyarrow")


@pytest.fixture(scope="module", name="province")
def province_fixture():
    return shared_province()


@pytest.fixture(scope="module")
def batch(province):
    return run([province], draws=20, seed=3)


@pytest.fixture(scope="module")
def written(batch, tmp_path_factory):
    folder = tmp_path_factory.mktemp("out")
    files.write_tables(batch, folder)
    files.write_reports(batch, folder)
    return folder


def test_batch_json_records_version_seed_draws_and_hashes(written, batch):
    meta = json.loads((written / "batch.json").read_text("utf-8"))
    assert meta["fiscal_sim_version"] == __version__
    assert (meta["seed"], meta["draws"], meta["failed"]) == (3, 20, 0)
    counties = pd.read_csv(written / "counties.csv", dtype=str)
    assert meta["hashes"] == dict(zip(counties["code"], counties["hash"], strict=True))


def test_parquet_and_csv_hold_the_same_table(written):
    for name in files.TABLES:
        parquet = pd.read_parquet(written / f"{name}.parquet")
        csv = pd.read_csv(written / f"{name}.csv", encoding="utf-8-sig")
        assert list(parquet.columns) == list(csv.columns)
        assert len(parquet) == len(csv)


def test_tables_are_tidy_county_by_year_by_indicator_and_rule(batch):
    indicators, rules = batch.indicators, batch.rules
    assert not indicators.duplicated(["code", "year", "indicator"]).any()
    assert not rules.duplicated(["code", "rule", "year"]).any()
    assert rules["probability"].between(0, 1).all()
    assert (rules["probability_any_year"] >= rules["probability"]).all()
    assert {"mean", "p5", "p50", "p95"} <= set(indicators.columns)


@pytest.fixture(scope="module")
def written_en(batch, tmp_path_factory):
    folder = tmp_path_factory.mktemp("out_en")
    files.write_reports(batch, folder, "en")
    return folder


def test_excel_summary_is_in_the_language_and_has_every_county(written, written_en, batch):
    book = load_workbook(written / "summary.xlsx")
    assert book.sheetnames == ["排名", "汇总", "未完成", "说明"]
    sheet = book["排名"]
    assert [cell.value for cell in sheet[1]][:3] == ["排名", "行政区划代码", "名称"]
    assert sheet.max_row == 1 + batch.counties_done
    assert {cell.value for cell in sheet["K"][1:]} <= {"高风险", "关注", "正常"}
    english = load_workbook(written_en / "summary.xlsx")
    assert english.sheetnames == ["Ranking", "Roll-up", "Failed", "About"]
    assert [cell.value for cell in english["Ranking"][1]][:3] == ["rank", "code", "name"]


def test_excel_summary_keeps_full_precision_under_the_one_convention(written, batch):
    """Issue #17 item 7: ratios as percentages, money in 万元 headed by its unit, headcounts
    whole, the cells themselves unrounded."""
    sheet = load_workbook(written / "summary.xlsx")["汇总"]
    heads = [cell.value for cell in sheet[1]]
    assert "暂付款余额（万元）" in heads and "财政供养在职人员（人）" in heads
    row = {head: cell for head, cell in zip(heads, sheet[2], strict=True)}
    assert row["债务率"].number_format == "0.0%" and 0 < row["债务率"].value < 5
    assert row["暂付款余额（万元）"].number_format == "#,##0.00"
    assert row["财政供养在职人员（人）"].number_format == "#,##0"
    assert row["年度"].number_format == "0"
    wide = report.rollup_wide(batch)
    assert row["债务率"].value == wide["debt_ratio"].iloc[0]  # full precision


def test_html_report_shows_ranking_heat_map_distributions_and_rollup(written, written_en):
    page = (written / "report.html").read_text("utf-8")
    for title in ("风险排名", "各县各规则", "主要指标分布", "汇总：地市与全部"):
        assert title in page
    assert page.count("data:image/svg+xml;base64,") == 1 + 1 + 5  # heat map, scores, 5 indicators
    assert "合成数据" in page  # the synthetic counties say so
    assert re.search(r"<td>\d+\.\d%</td>", page)  # a ratio of the roll-up, in percent
    english = (written_en / "report.html").read_text("utf-8")
    assert "Ranking by risk" in english and "风险排名" not in english


def test_a_failed_county_is_in_the_report(province, tmp_path):
    bad = tmp_path / "990199.yaml"
    bad.write_text("extends: default\nrevenue: {tax: abc}\n", "utf-8")
    batch = run([province / "990101.yaml", bad])
    files.write_reports(batch, tmp_path)
    page = (tmp_path / "report.html").read_text("utf-8")
    assert "未完成的县" in page and "990199.yaml" in page and "revenue.tax" in page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_charts_are_labelled_in_both_languages(batch, lang):
    heat = batch.plot.heatmap(lang=lang)
    assert heat.get_gid() == "batch_rule_heatmap"
    assert ("各县各规则" in heat.get_title()) == (lang == "zh")
    histogram = batch.plot.histogram("debt_ratio", lang=lang)
    assert ("债务率" in histogram.get_xlabel()) == (lang == "zh")
    assert batch.plot.scores(lang=lang).get_legend() is not None


def test_batch_presents_itself(batch):
    assert "counties done" in repr(batch) and "个县完成" in repr(batch)
    assert "counties" not in batch.summary("zh") and "个县" not in batch.summary("en")
    assert "<table" in batch._repr_html_()


def test_the_cli_and_batch_help_import_no_dask():
    probe = (
        "import sys\n"
        "from fiscal_sim.cli import main\n"
        "try:\n"
        "    main(['batch', '--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(sorted(m for m in {DASK!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert ast.literal_eval(done.stdout.strip().splitlines()[-1]) == []
