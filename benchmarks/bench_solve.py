"""Goal-seek and sensitivity against themselves (issue #18), measured side by side in one run.

    python benchmarks/bench_solve.py

1. Goal-seek with a delta lever, candidate sizes on the engine's draw axis (``vector``:
   k-section, 30 candidates per engine call) against one projection per candidate
   (``scalar``: bisection); both give the same sizes. Parameter levers cannot use the draw
   axis yet, so they always bisect.
2. The full sensitivity sweep of the default county: parameters, projections, seconds; and,
   for scale, one engine call with as many draws as the sweep has variants (what the sweep
   could cost once parameters can vary along the draw axis, issue #14).

Prints median wall seconds of a few repeats; on a busy machine compare the ratios.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _timed(function, repeat: int = 3) -> tuple[float, object]:
    walls, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        walls.append(time.perf_counter() - start)
    return statistics.median(walls), result


def goal_seek_strategies() -> None:
    import fiscal_sim
    from fiscal_sim.goalseek import goal_seek

    cases = [
        ("short county", ROOT / "tests" / "goalseek" / "short-county.yaml", []),
        ("default, transfers 40,000", None, ["revenue.general_transfers=40000"]),
    ]
    print("goal-seek: vector (draw axis) vs scalar (one projection per candidate)")
    for title, path, overrides in cases:
        scenario = fiscal_sim.load_scenario(path, overrides)
        for lever in ("transfers_requested", "revenue_effort", "discretionary_cut"):
            vector, found_v = _timed(lambda s=scenario, x=lever: goal_seek(s, x, strategy="vector"))
            scalar, found_s = _timed(lambda s=scenario, x=lever: goal_seek(s, x, strategy="scalar"))
            same = all(
                (a is None and b is None) or abs(a - b) < 1e-8
                for a, b in zip(found_v.sizes, found_s.sizes, strict=True)
            )
            print(
                f"  {title:28} {lever:20} vector {vector:6.3f} s ({found_v.evaluations:5} sizes)"
                f"  scalar {scalar:6.3f} s ({found_s.evaluations:4} sizes)"
                f"  scalar/vector {scalar / vector:4.1f}×  same sizes: {same}"
            )


def sensitivity_sweep() -> None:
    import fiscal_sim
    from fiscal_sim.results import project

    scenario = fiscal_sim.load_scenario()
    project(scenario)
    seconds, found = _timed(lambda: fiscal_sim.sensitivity(scenario), repeat=1)
    count = len(found.parameters)
    print(
        f"sensitivity, default county: {count} parameters, {found.projections} projections, "
        f"{seconds:.2f} s ({1000 * seconds / found.projections:.1f} ms a projection)"
    )
    one_call, _ = _timed(lambda: project(scenario, draws=found.projections))
    print(
        f"  for scale: one engine call with {found.projections} draws takes {one_call:.3f} s "
        f"({seconds / one_call:.0f}× less than the sweep, before the rules are applied)"
    )


if __name__ == "__main__":
    goal_seek_strategies()
    sensitivity_sweep()
