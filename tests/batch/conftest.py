"""Fixtures of the batch tests: one synthetic province per session, a 2-worker cluster."""

from __future__ import annotations

import pytest
from _province import write_province


@pytest.fixture(scope="session")
def province(tmp_path_factory):
    """A folder of 20 synthetic counties with manifest.csv (written once per session)."""
    return write_province(tmp_path_factory.mktemp("province"))


@pytest.fixture(scope="session")
def two_worker_client():
    """A ``distributed.Client`` of a LocalCluster with 2 worker processes, on loopback."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client
