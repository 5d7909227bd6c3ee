"""A bad county among good ones, bad arguments, and seeds that do not depend on order or
blocks (issue #21)."""

from __future__ import annotations

import csv
import json
import shutil

import numpy as np
import pandas as pd
import pytest
from _province import SEED, manifest_rows, two_worker_cluster, write_province

from fiscal_sim.batch import run
from fiscal_sim.batch.counties import county_seed

DRAWS = 20


@pytest.fixture(scope="module", name="two_worker_client")
def two_worker_client_fixture():
    with two_worker_cluster() as client:
        yield client


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """Six synthetic counties."""
    return write_province(tmp_path_factory.mktemp("small"), counties=6)


@pytest.fixture
def with_a_bad_county(small, tmp_path):
    """The six counties, the third with a misspelt key."""
    folder = tmp_path / "counties"
    shutil.copytree(small, folder)
    bad = folder / "990103.yaml"
    bad.write_text(bad.read_text("utf-8").replace("revenue:\n  tax:", "revenue:\n  taks:"), "utf-8")
    return folder


def test_a_bad_county_does_not_stop_the_others_and_exits_4(
    with_a_bad_county, fiscal_sim_cli, tmp_path
):
    out = tmp_path / "out"
    result = fiscal_sim_cli("batch", str(with_a_bad_county), "-o", str(out), "--workers", "0")
    assert result.exit_code == 4, result.stderr
    assert "990103.yaml" in result.stderr and "revenue.taks" in result.stderr
    errors = pd.read_csv(out / "errors.csv", dtype=str)
    assert errors["code"].tolist() == ["990103"]
    assert errors["file"].iloc[0].endswith("990103.yaml")
    assert errors["key"].iloc[0] == "revenue.taks"
    indicators = pd.read_parquet(out / "indicators.parquet")
    assert sorted(set(indicators["code"])) == ["990101", "990102", "990104", "990105", "990106"]
    counties = pd.read_csv(out / "counties.csv", dtype=str)
    assert counties.set_index("code").loc["990103", "status"] == "failed"
    assert json.loads((out / "batch.json").read_text("utf-8"))["failed"] == 1


def test_a_bad_county_on_a_cluster_is_named_too(with_a_bad_county, two_worker_client):
    blocks = []
    batch = run([with_a_bad_county], client=two_worker_client, block=2, on_block=blocks.append)
    assert batch.counties_done == 5 and batch.counties_failed == 1
    assert batch.errors["key"].tolist() == ["revenue.taks"]
    # on_block saw each block once as it completed: every county counted, the failure too
    assert sorted(len(block) for block in blocks) == [2, 2, 2]
    assert sum(not result.ok for block in blocks for result in block) == 1
    # and the results are in the counties' order whatever order the blocks completed in
    assert [result.county.code for result in batch.results] == [
        f"99010{number}" for number in range(1, 7)
    ]


@pytest.mark.parametrize(
    "arguments, named",
    [
        (["no-such-folder"], "no-such-folder"),
        (["--draws", "-1"], "--draws"),
    ],
)
def test_bad_arguments_exit_2(small, fiscal_sim_cli, tmp_path, arguments, named):
    if arguments[0].startswith("--"):
        arguments = [str(small), *arguments]
    result = fiscal_sim_cli("batch", *arguments, "-o", str(tmp_path / "out"), "--workers", "0")
    assert result.exit_code == 2
    assert named in result.stderr
    assert "Traceback" not in result.stderr


def test_a_manifest_with_a_bad_code_exits_2_naming_the_row(small, fiscal_sim_cli, tmp_path):
    manifest = tmp_path / "counties.csv"
    rows = manifest_rows(small)
    rows[1]["code"] = "99010"
    with open(manifest, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({**row, "file": str(small / row["file"])} for row in rows)
    result = fiscal_sim_cli("batch", str(manifest), "-o", str(tmp_path / "out"), "--workers", "0")
    assert result.exit_code == 2
    assert "counties.csv" in result.stderr and "row 2.code" in result.stderr


def test_seeds_do_not_depend_on_order_or_blocks(small, tmp_path):
    rows = manifest_rows(small)
    reverse = tmp_path / "reversed.csv"
    with open(reverse, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({**row, "file": str(small / row["file"])} for row in reversed(rows))
    forward = run([small], draws=DRAWS, seed=SEED, block=4)
    backward = run([reverse], draws=DRAWS, seed=SEED, block=1)
    key = ["code", "rule", "year"]
    a = forward.rules.sort_values(key, ignore_index=True)
    b = backward.rules.sort_values(key, ignore_index=True)
    pd.testing.assert_frame_equal(a, b)
    assert forward.counties["seed"].tolist() == [
        f"{SEED} {row['code']}" for row in rows
    ]  # SeedSequence([seed, code]).entropy


def test_a_county_seed_is_the_batch_seed_and_the_code():
    assert county_seed(7, "990101").entropy == [7, 990101]
    first = np.random.default_rng(county_seed(7, "990101")).random()
    assert first == np.random.default_rng(np.random.SeedSequence([7, 990101])).random()
    assert first != np.random.default_rng(county_seed(7, "990102")).random()
