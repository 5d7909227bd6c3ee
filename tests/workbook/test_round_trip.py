"""A scenario written as a workbook and read back is the same scenario: values and hash."""

from __future__ import annotations

import os
import subprocess

import numpy as np
import pytest
from _workbooks import to_yaml, write

import fiscal_sim

BUNDLED = [entry["name"] for entry in fiscal_sim.list_scenarios()]


def assert_same(original, read_back):
    assert read_back.hash == original.hash
    assert [p.path for p in read_back.params()] == [p.path for p in original.params()]
    for param in original.params():
        other = read_back.param(param.path)
        assert np.array_equal(np.asarray(other.value), np.asarray(param.value)), param.path
        assert (other.source, other.unit, other.label_zh) == (
            param.source,
            param.unit,
            param.label_zh,
        ), param.path
    assert read_back.extra == original.extra
    assert read_back.title == original.title


@pytest.mark.parametrize("name", BUNDLED)
def test_every_bundled_scenario_reads_back_identically(name, tmp_path):
    original = fiscal_sim.load_scenario(name)
    write(original, tmp_path / "county.xlsx")
    assert_same(original, fiscal_sim.load_scenario(tmp_path / "county.xlsx"))


@pytest.mark.parametrize("name", ["default", "covid-2020"])
def test_workbook_to_yaml_and_back_keeps_the_scenario(name, tmp_path):
    original = fiscal_sim.load_scenario(name)
    write(original, tmp_path / "county.xlsx", lang="en")
    to_yaml(tmp_path / "county.xlsx", tmp_path / "county.yaml")
    from_yaml = fiscal_sim.load_scenario(tmp_path / "county.yaml")
    assert_same(original, from_yaml)
    write(from_yaml, tmp_path / "again.xlsx")
    assert_same(original, fiscal_sim.load_scenario(tmp_path / "again.xlsx"))


def test_a_scenario_with_shocks_and_stress_tests_reads_back_identically(tmp_path):
    (tmp_path / "shocked.yaml").write_text(
        "extends: covid-2020\n"
        "shocks:\n"
        "  distribution: student_t\n"
        "  df: 5\n"
        "  tax: {sigma: 0.05, persistence: 0.2, source: county tax bureau}\n"
        "  correlation: {nontax: {tax: 0.4}}\n"
        "  source: assumption\n"
        "  stress_tests:\n"
        "    drought: {title: {zh: 旱灾, en: drought}, start: 2021, years: 2,\n"
        "              sigmas: {tax: -1.5}, level: {land_sales: -0.3}, transfer_delay: 3}\n",
        encoding="utf-8",
    )
    original = fiscal_sim.load_scenario(tmp_path / "shocked.yaml")
    write(original, tmp_path / "shocked.xlsx")
    assert_same(original, fiscal_sim.load_scenario(tmp_path / "shocked.xlsx"))


def test_the_template_saved_by_libreoffice_reads_back_identically(external_tool, tmp_path):
    soffice = external_tool("soffice", "libreoffice")
    original = fiscal_sim.load_scenario("covid-2020")
    write(original, tmp_path / "county.xlsx")
    saved = tmp_path / "saved"
    subprocess.run(
        [
            soffice,
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(saved),
            str(tmp_path / "county.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert_same(original, fiscal_sim.load_scenario(saved / "county.xlsx"))
