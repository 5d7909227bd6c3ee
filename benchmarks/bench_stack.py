"""1,000 synthetic counties: projected one by one against one stacked engine call, side by side.

The counties are those of ``fiscal-sim synth`` (:func:`fiscal_sim.batch.synth.synthetic_scenario`,
built in memory: no files). One by one is ``fiscal_sim.project`` per county; stacked is
``fiscal_sim.stack`` (timed), ``fiscal_sim.project`` of the stack (one engine call) and
``split()``. It checks that every county's arrays are the same both ways, then prints each
time and the ratios one-by-one ÷ stacked. The goal of issue #14: the engine call ≥ 100×
faster than one by one.

Run it with the environment's Python: ``.venv/bin/python benchmarks/bench_stack.py``
(``--counties 100`` for a quick look). State the machine's load (``uptime``) with the figures.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

import fiscal_sim
from fiscal_sim.batch.synth import code_for, per_prefecture_for, synthetic_scenario

SEED = 1
GOAL = 100.0


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def same(one, other) -> bool:
    return all(
        np.array_equal(getattr(one, group)[name], getattr(other, group)[name])
        for group in ("annual", "tiers", "months")
        for name in getattr(one, group)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3, help="stacked runs; the best is kept")
    options = parser.parse_args()

    base = fiscal_sim.load_scenario()
    per = per_prefecture_for(options.counties)
    scenarios = [
        synthetic_scenario(base, code_for(index, per), SEED) for index in range(options.counties)
    ]
    fiscal_sim.project(scenarios[0])  # imports and caches warm

    alone, one_by_one = timed(lambda: [fiscal_sim.project(s) for s in scenarios])
    best = None
    for _ in range(options.rounds):
        stacked, stack_s = timed(fiscal_sim.stack, scenarios)
        projection, project_s = timed(fiscal_sim.project, stacked)
        parts, split_s = timed(projection.split)
        if best is None or project_s < best[1]:
            best = (stack_s, project_s, split_s)
    stack_s, project_s, split_s = best
    if not all(same(part, own) for part, own in zip(parts, alone, strict=True)):
        raise SystemExit("a stacked county differs from the county projected alone")
    total = stack_s + project_s + split_s

    print(
        f"{options.counties} synthetic counties, {len(stacked.stacked_paths)} parameters on "
        f"the draw axis; {os.cpu_count()} cpus, load average {os.getloadavg()[0]:.2f}"
    )
    print(f"one by one (project per county)  {one_by_one:8.3f} s")
    print(f"stack()                          {stack_s:8.3f} s")
    print(f"project(stacked), one call       {project_s:8.3f} s")
    print(f"split()                          {split_s:8.3f} s")
    print(f"engine call: one by one ÷ project(stacked)        {one_by_one / project_s:7.1f}×")
    print(f"all of it:   one by one ÷ (stack + project + split) {one_by_one / total:7.1f}×")
    verdict = "met" if one_by_one / project_s >= GOAL else "not met"
    print(f"goal ≥ {GOAL:.0f}× for the engine call: {verdict}; every county the same both ways")


if __name__ == "__main__":
    main()
