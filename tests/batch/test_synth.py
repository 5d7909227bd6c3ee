"""The synthetic province: marked synthetic, coded 99PPCC, listed, each county independent of
how many are written (issue #21 item 5)."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from _province import manifest_rows, shared_province, write_province

import fiscal_sim
from fiscal_sim.batch.synth import code_for, per_prefecture_for


@pytest.fixture(scope="module", name="province")
def province_fixture():
    return shared_province()


def test_every_county_says_it_is_synthetic_and_loads(province):
    for row in manifest_rows(province):
        scenario = fiscal_sim.load_scenario(province / row["file"])
        assert "合成" in scenario.title["zh"] and "ynthetic" in scenario.title["en"]
        raw = yaml.safe_load((province / row["file"]).read_text("utf-8"))
        assert all("synthetic" in source for source in raw["meta"]["sources"])
        assert raw["extends"] == "default"


def test_codes_are_99ppcc_and_the_manifest_lists_them(province):
    rows = manifest_rows(province)
    assert list(rows[0]) == ["file", "code", "name", "prefecture"]
    assert [row["code"] for row in rows[:9]] == [f"9901{c:02d}" for c in range(1, 9)] + ["990201"]
    assert all(row["prefecture"] == row["code"][:4] + "00" for row in rows)
    assert all(row["file"] == f"{row['code']}.yaml" for row in rows)


def test_a_county_is_the_same_whatever_the_number_written(province, tmp_path):
    few = write_province(tmp_path, counties=3)
    for name in ("990101.yaml", "990103.yaml"):
        assert (few / name).read_text("utf-8") == (province / name).read_text("utf-8")


def test_counties_differ_in_size(province):
    sizes = [
        fiscal_sim.load_scenario(province / row["file"]).value("revenue.tax")
        for row in manifest_rows(province)
    ]
    assert len(set(sizes)) == len(sizes)


@pytest.mark.parametrize("counties, per", [(8, 8), (86, 8), (1000, 11), (9801, 99)])
def test_codes_fit_two_digits_for_prefecture_and_county(counties, per):
    assert per_prefecture_for(counties) == per
    last = code_for(counties - 1, per)
    assert int(last[2:4]) <= 99 and int(last[4:]) <= per


def test_synth_command_writes_the_files(fiscal_sim_cli, tmp_path):
    result = fiscal_sim_cli("synth", "--counties", "4", "--seed", "2", "-o", str(tmp_path / "c"))
    assert result.exit_code == 0, result.stderr
    manifest = pd.read_csv(tmp_path / "c" / "manifest.csv", dtype=str)
    assert manifest["code"].tolist() == ["990101", "990102", "990103", "990104"]
