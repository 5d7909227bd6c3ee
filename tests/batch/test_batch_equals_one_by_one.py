"""A batch equals its counties run one by one: in this process, on the batch command's default
local cluster, and on a 2-worker LocalCluster the test starts (issue #21, "must show")."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _province import COUNTIES, SEED, manifest_rows, one_by_one, shared_province, two_worker_cluster

from fiscal_sim.batch import run
from fiscal_sim.batch.work import TABLE_INDICATORS
from fiscal_sim.rules import RULE_IDS

DRAWS = 40


@pytest.fixture(scope="module", name="province")
def province_fixture():
    return shared_province()


@pytest.fixture(scope="module", name="two_worker_client")
def two_worker_client_fixture():
    with two_worker_cluster() as client:
        yield client


@pytest.fixture(scope="module")
def alone(province):
    return one_by_one(province, draws=DRAWS, seed=SEED)


@pytest.fixture(scope="module")
def sequential(province):
    return run([province], draws=DRAWS, seed=SEED)


def assert_equals_alone(batch, alone):
    """Every number of the batch's tables is the county's own, exactly."""
    assert batch.counties_done == COUNTIES and batch.counties_failed == 0
    indicators = batch.indicators
    assert set(indicators["code"]) == set(alone)
    for code, county in alone.items():
        mine = indicators[indicators["code"] == code]
        for name in TABLE_INDICATORS:
            values = mine[mine["indicator"] == name].sort_values("year")["value"].to_numpy()
            np.testing.assert_array_equal(values, county["indicators"][name], err_msg=name)
        rules = batch.rules[batch.rules["code"] == code]
        for rule in RULE_IDS:
            row = rules[rules["rule"] == rule].sort_values("year")
            np.testing.assert_array_equal(row["breached"].to_numpy(), county["breached"][rule])
            expected = county["probability"].loc[rule]
            np.testing.assert_array_equal(
                row["probability"].to_numpy(), expected.drop("any_year").to_numpy(dtype=float)
            )
            assert (row["probability_any_year"] == expected["any_year"]).all()
        assert batch.meta["hashes"][code] == county["hash"]


def test_batch_in_this_process_equals_counties_one_by_one(sequential, alone):
    assert_equals_alone(sequential, alone)
    assert sequential.meta["scheduler"] == "this process"


def test_batch_on_a_two_worker_cluster_equals_counties_one_by_one(
    province, two_worker_client, alone, sequential
):
    batch = run([province], draws=DRAWS, seed=SEED, client=two_worker_client, block=3)
    assert_equals_alone(batch, alone)
    assert batch.meta["scheduler"].startswith("tcp://127.0.0.1:")
    pd.testing.assert_frame_equal(batch.ranking(), sequential.ranking())
    pd.testing.assert_frame_equal(batch.rollup(), sequential.rollup())


@pytest.mark.slow
def test_batch_command_on_its_default_local_cluster_writes_the_same_tables(
    province, fiscal_sim_cli, tmp_path, sequential
):
    result = fiscal_sim_cli(
        "batch", str(province), "-o", str(tmp_path), "--draws", str(DRAWS), "--seed", str(SEED)
    )
    assert result.exit_code == 0, result.stderr
    assert "http://127.0.0.1:" in result.stderr  # the dashboard, on loopback only
    for name, expected in (
        ("indicators", sequential.indicators),
        ("rules", sequential.rules),
        ("ranking", sequential.ranking()),
    ):
        written = pd.read_parquet(tmp_path / f"{name}.parquet")
        pd.testing.assert_frame_equal(written, expected, check_dtype=False)
    from_csv = pd.read_csv(tmp_path / "indicators.csv", dtype={"code": str, "prefecture": str})
    np.testing.assert_allclose(from_csv["value"], sequential.indicators["value"], rtol=1e-12)


def test_manifest_lists_the_counties_with_codes_names_and_prefectures(province, sequential):
    rows = manifest_rows(province)
    assert [row["code"] for row in rows] == list(sequential.counties["code"])
    assert sequential.counties["prefecture"].tolist() == [row["prefecture"] for row in rows]
