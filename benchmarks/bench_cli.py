"""Start-up cost of the command line: ``fiscal-sim --help`` and ``fiscal-sim run`` against
``python -c pass``, in one run, as wall-time ratios.

Run it with the environment's Python (``.venv/bin/python benchmarks/bench_cli.py``); each
command runs ``--repeat`` times (default 7) and the median counts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def fiscal_sim_command() -> list[str]:
    """The console script beside this Python, else ``python -m fiscal_sim``."""
    script = Path(sys.executable).parent / "fiscal-sim"
    if script.exists():
        return [str(script)]
    found = shutil.which("fiscal-sim")
    return [found] if found else [sys.executable, "-m", "fiscal_sim"]


def wall_time(command: list[str], repeat: int) -> float:
    """The median wall time of ``command`` in seconds (its output discarded)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per command (median)")
    repeat = parser.parse_args().repeat
    fiscal_sim = fiscal_sim_command()
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "fiscal-sim --help": [*fiscal_sim, "--help"],
        "fiscal-sim run": [*fiscal_sim, "run"],
    }
    wall_time(commands["fiscal-sim run"], 1)  # warm the file cache and bytecode once
    baseline = None
    print(f"{'command':<20} {'median s':>9} {'ratio':>7}   ({repeat} runs, {os.cpu_count()} cpus)")
    for name, command in commands.items():
        seconds = wall_time(command, repeat)
        baseline = baseline or seconds
        print(f"{name:<20} {seconds:>9.3f} {seconds / baseline:>7.1f}")


if __name__ == "__main__":
    main()
