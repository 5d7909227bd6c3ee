"""The engine against itself: one deterministic projection of the default county, 10,000 draws
in one vectorised engine call (issue #2), and the Monte Carlo of issue #8 (10,000 and
1,000,000 draws of the full monthly model, with the summaries).

Run it with the environment's Python::

    python benchmarks/bench_engine.py            # everything (the 1e6 run takes ~1 minute)
    python benchmarks/bench_engine.py --quick    # without the 1e6 run

Each case prints wall and CPU seconds, draw-months per second (draws × 84 months / wall
time) and the ratio to one deterministic run. Each Monte Carlo size runs in its own
subprocess, so that its peak memory (max RSS) is its own. On a busy machine wall time
exceeds CPU time: compare both.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

MONTHS = 84  # 7 projection years × 12 months of the default county


def _timed(function, repeat: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``function()`` over ``repeat`` runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def in_process(repeat: int) -> dict:
    import fiscal_sim
    from fiscal_sim.results import project
    from fiscal_sim.stochastic import draw_shocks, shock_spec

    scenario = fiscal_sim.load_scenario()
    project(scenario)
    deterministic = _timed(lambda: project(scenario), repeat * 20)
    shocks = draw_shocks(shock_spec(scenario), len(scenario.years), 0, 10_000, seed=1)
    project(scenario, shocks=shocks)
    vectorised = _timed(lambda: project(scenario, shocks=shocks), repeat)
    return {"deterministic": deterministic, "engine_10000": vectorised}


def monte_carlo(draws: int, repeat: int) -> dict:
    """Run in a subprocess: simulate ``draws`` draws; wall, CPU and peak memory."""
    import fiscal_sim
    from fiscal_sim.stochastic import simulate

    scenario = fiscal_sim.load_scenario()
    simulate(scenario, draws=1024, seed=0)  # warm imports and caches
    wall, cpu = _timed(lambda: simulate(scenario, draws=draws, seed=1), repeat)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"wall": wall, "cpu": cpu, "peak_mb": peak_mb}


def _row(name: str, draws: int, wall: float, cpu: float, base: float, peak: str = "") -> str:
    rate = draws * MONTHS / wall
    return (
        f"{name:<34} {draws:>9,} {wall:>9.3f} {cpu:>9.3f} {rate:>14,.0f} "
        f"{wall / base:>9.1f} {peak:>9}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 1,000,000-draw run")
    parser.add_argument("--repeat", type=int, default=3, help="runs per case (median)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(monte_carlo(args.child, 1 if args.child > 100_000 else args.repeat)))
        return

    timings = in_process(args.repeat)
    base_wall, base_cpu = timings["deterministic"]
    print(f"default county, {os.cpu_count()} cpus, load average {os.getloadavg()[0]:.2f}")
    print(
        f"{'case':<34} {'draws':>9} {'wall s':>9} {'cpu s':>9} {'draw-months/s':>14} "
        f"{'× det.':>9} {'peak MB':>9}"
    )
    print(_row("deterministic projection", 1, base_wall, base_cpu, base_wall))
    wall, cpu = timings["engine_10000"]
    print(_row("engine, 10,000 draws in one call", 10_000, wall, cpu, base_wall))
    sizes = [10_000] if args.quick else [10_000, 1_000_000]
    for draws in sizes:
        output = subprocess.run(
            [sys.executable, __file__, "--child", str(draws), "--repeat", str(args.repeat)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        result = json.loads(output)
        print(
            _row(
                f"simulate(), {draws:,} draws",
                draws,
                result["wall"],
                result["cpu"],
                base_wall,
                f"{result['peak_mb']:,.0f}",
            )
        )
    print("× det.: wall time over one deterministic projection's wall time.")


if __name__ == "__main__":
    main()
