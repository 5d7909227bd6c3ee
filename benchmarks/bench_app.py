"""From a lever change to the updated workbench page (Streamlit's AppTest), median of 20.

Each round types a new value into one lever (the general transfers of plan-followed, so the
what-if is loaded, projected and checked anew: no cache holds it) and reruns the page; the
time is from the change to the page's elements being back, which includes AppTest's own
polling. Beside it, in the same run, the library's part of that work (load the overlay,
project, check) and an empty rerun (the same value again: cached), to tell the app's overhead
from the engine's. The goal is a median under 300 ms.

Run it with the environment's Python: ``.venv/bin/python benchmarks/bench_app.py``.
"""

from __future__ import annotations

import argparse
import statistics
import time

from streamlit.testing.v1 import AppTest

import fiscal_sim
from fiscal_sim.app import SCRIPT

KEY = "lever:bundled/plan-followed:revenue.general_transfers:"
GOAL_SECONDS = 0.300


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds
    at = AppTest.from_file(str(SCRIPT), default_timeout=120).run()
    at.radio(key="lever_group").set_value("transfers").run()
    changed, unchanged, engine = [], [], []
    for index in range(rounds):
        value = 90_000.0 + 100 * index
        start = time.perf_counter()
        at.number_input(key=KEY).set_value(value).run()
        changed.append(time.perf_counter() - start)
        assert not at.exception, at.exception
        start = time.perf_counter()
        at.run()
        unchanged.append(time.perf_counter() - start)
        start = time.perf_counter()
        scenario = fiscal_sim.load_scenario(
            "plan-followed", [f"revenue.general_transfers={value + 50}"]
        )
        fiscal_sim.check(fiscal_sim.project(scenario))
        engine.append(time.perf_counter() - start)
    median = statistics.median(changed)
    print(f"lever change -> updated page (median of {rounds}): {median * 1000:.0f} ms")
    print(
        f"rerun with nothing changed:                 {statistics.median(unchanged) * 1000:.0f} ms"
    )
    print(f"library alone (load, project, check):       {statistics.median(engine) * 1000:.0f} ms")
    print(f"goal < {GOAL_SECONDS * 1000:.0f} ms: {'met' if median < GOAL_SECONDS else 'NOT met'}")


if __name__ == "__main__":
    main()
