"""Many counties: sequential (this process) against the local Dask cluster, side by side.

For 100 and 1,000 synthetic counties (``fiscal-sim synth``), deterministic and with 1,000
draws each, the same batch is run in this process (``client=None``) and on a
``distributed.LocalCluster`` of one worker process per core (started once, its start-up timed
apart). It prints seconds, ms per county, the speed-up (sequential ÷ Dask) and the peak
resident memory of this process and of the largest worker. The goal of issue #21: 1,000
counties × 1,000 draws in under two minutes on this 2-core machine. It ends with the
arithmetic of an estimate for 2,800 counties × 10,000 draws on a cluster.

Run it with the environment's Python: ``.venv/bin/python benchmarks/bench_batch.py``
(``--counties 100 --draws 0`` for a quick look; the full grid takes some minutes).
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import tempfile
import time
from pathlib import Path

from fiscal_sim.batch import run
from fiscal_sim.batch.synth import write_counties

GOAL_SECONDS = 120.0
SEED = 1


def peak_mib() -> float:
    """Peak resident memory of the calling process, MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--draws", type=int, nargs="+", default=[0, 1000])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--block", type=int, default=10)
    options = parser.parse_args()

    from distributed import Client, LocalCluster

    start = time.perf_counter()
    cluster = LocalCluster(
        n_workers=options.workers,
        threads_per_worker=1,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=logging.ERROR,
    )
    client = Client(cluster)
    print(f"LocalCluster with {options.workers} workers up in {time.perf_counter() - start:.1f} s")
    print(
        f"{'counties':>8} {'draws':>6} {'sequential s':>13} {'Dask s':>8} "
        f"{'seq ms/county':>14} {'Dask ms/county':>15} {'speed-up':>9} "
        f"{'peak MiB here':>14} {'peak MiB worker':>16}"
    )
    measured = {}
    with tempfile.TemporaryDirectory() as folder:
        for counties in options.counties:
            province = Path(folder) / f"p{counties}"
            write_counties(counties, SEED, province)
            for draws in options.draws:
                start = time.perf_counter()
                alone = run([province], draws=draws, seed=SEED, block=options.block)
                sequential = time.perf_counter() - start
                start = time.perf_counter()
                spread = run([province], draws=draws, seed=SEED, client=client, block=options.block)
                dask = time.perf_counter() - start
                assert alone.indicators.equals(spread.indicators)
                worker_peak = max(client.run(peak_mib).values())
                measured[counties, draws] = dask
                print(
                    f"{counties:>8,} {draws:>6,} {sequential:>13.1f} {dask:>8.1f} "
                    f"{1000 * sequential / counties:>14.1f} {1000 * dask / counties:>15.1f} "
                    f"{sequential / dask:>9.2f} {peak_mib():>14.0f} {worker_peak:>16.0f}"
                )
    client.close()
    cluster.close()
    if (1000, 1000) in measured:
        seconds = measured[1000, 1000]
        met = "met" if seconds < GOAL_SECONDS else "NOT met"
        print(f"goal 1,000 counties × 1,000 draws < {GOAL_SECONDS:.0f} s: {seconds:.1f} s, {met}")
        # Work per county-draw on one core, scaled: 2,800 counties × 10,000 draws = 28 M
        # county-draws, i.e. 28 × the 1 M county-draws just measured on `workers` cores.
        core_seconds = seconds * options.workers
        for cores in (32, 128):
            estimate = core_seconds * 28 / cores
            print(
                f"estimate 2,800 × 10,000 on {cores} cores: {core_seconds:.0f} core-s × 28 "
                f"÷ {cores} = {estimate / 60:.1f} min (if it scales linearly)"
            )


if __name__ == "__main__":
    main()
