"""A small synthetic province for the batch tests, and each county run on its own.

:func:`write_province` writes ``counties`` synthetic counties (``fiscal-sim synth``) into a
folder; :func:`shared_province` is the one the tests share (written once per run);
:func:`two_worker_cluster` starts a 2-worker LocalCluster; :func:`one_by_one` projects (and
simulates) each county of a folder without the batch code, as a user would one county at a
time: what the batch must equal. Nothing here pins a figure of the bundled default county:
every expected number is the engine's own.

(No conftest.py here: with ``--doctest-modules`` a second conftest sorted before
tests/conftest.py clashes with it; the test modules make their fixtures from these.)
"""

from __future__ import annotations

import atexit
import contextlib
import csv
import functools
import shutil
import tempfile
from pathlib import Path

import numpy as np

import fiscal_sim
from fiscal_sim.batch.synth import write_counties
from fiscal_sim.rules import RULE_IDS, breach_matrix

COUNTIES = 20
SEED = 1


def write_province(folder: Path, counties: int = COUNTIES, seed: int = SEED) -> Path:
    """The folder with ``counties`` synthetic county files and their manifest.csv."""
    write_counties(counties, seed, folder)
    return folder


@functools.cache
def shared_province() -> Path:
    """A folder of 20 synthetic counties with manifest.csv, written once per test run."""
    folder = Path(tempfile.mkdtemp(prefix="province-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return write_province(folder)


@contextlib.contextmanager
def two_worker_cluster():
    """A ``distributed.Client`` of a LocalCluster of 2 worker processes, on loopback."""
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


def manifest_rows(folder: Path) -> list[dict]:
    with open(folder / "manifest.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def one_by_one(folder: Path, draws: int = 0, seed: int = SEED) -> dict:
    """``{code: {"indicators": {name: array}, "breached": {rule: array}, "probability": …}}``
    for each county of the folder's manifest, each projected on its own."""
    out = {}
    for row in manifest_rows(folder):
        scenario = fiscal_sim.load_scenario(folder / row["file"])
        projection = fiscal_sim.project(scenario)
        matrix = breach_matrix(projection)
        county = {
            "indicators": {name: projection.annual[name][0] for name in projection.annual},
            "breached": {rule: matrix[rule][0] for rule in RULE_IDS},
            "hash": scenario.hash,
        }
        if draws:
            own_seed = np.random.SeedSequence([seed, int(row["code"])])
            ensemble = fiscal_sim.simulate(scenario, draws=draws, seed=own_seed)
            county["probability"] = ensemble.breach
            county["sanbao_any"] = ensemble.sanbao_probability_any
        out[row["code"]] = county
    return out
