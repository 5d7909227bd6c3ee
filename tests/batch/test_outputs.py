"""What a batch writes: the tables, the Excel summary, the HTML report and the charts, in
Chinese and English; the CLI starting without Dask (issue #21)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys

import pandas as pd
import pytest
from _province import shared_province
from openpyxl import load_workbook

from fiscal_sim import __version__
from fiscal_sim.batch import files, run

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


def test_excel_summary_has_chinese_then_english_headers_and_every_county(written, batch):
    book = load_workbook(written / "summary.xlsx")
    assert book.sheetnames == ["排名 ranking", "汇总 roll-up", "未完成 errors", "说明 about"]
    sheet = book["排名 ranking"]
    assert [cell.value for cell in sheet[1]][:3] == ["排名", "行政区划代码", "名称"]
    assert [cell.value for cell in sheet[2]][:3] == ["rank", "code", "name"]
    assert sheet.max_row == 2 + batch.counties_done


def test_html_report_shows_ranking_heat_map_distributions_and_rollup(written):
    page = (written / "report.html").read_text("utf-8")
    for title in ("风险排名", "Ranking by risk", "各县各规则", "主要指标分布", "汇总：地市与全部"):
        assert title in page
    assert page.count("data:image/svg+xml;base64,") == 1 + 1 + 5  # heat map, scores, 5 indicators
    assert "合成数据" in page  # the synthetic counties say so


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
