"""This tree against a git ref, side by side in one run: the workloads of issue #14, each in a
fresh process, the two trees in alternation (A B A B …), the ratios pair by pair.

Run it with this tree's environment::

    .venv/bin/python benchmarks/compare.py --vs main            # the quick workloads
    .venv/bin/python benchmarks/compare.py --vs 6c19b5d --rounds 7 --only report,simulate-1e5
    .venv/bin/python benchmarks/compare.py --vs main --heavy    # also 10⁶ draws (minutes)
    .venv/bin/python benchmarks/compare.py --vs main --only counties --rounds 3

The ref is checked out into a temporary worktree (``git worktree add --detach``), removed at
the end. Both trees run with this environment's Python and packages; each tree's own
``fiscal_sim`` comes first on ``PYTHONPATH`` (every run checks which one was imported). The
runs share a fresh ``FISCAL_SIM_CACHE_DIR`` and a fresh ``PYTHONPYCACHEPREFIX``, which the
warm-up run of each workload fills (font subsets, parsed bundled YAML; every module's bytecode,
written even where ``PYTHONDONTWRITEBYTECODE`` is set, as an installed package has it): the
figures are those of a run after the first.

For every workload and figure — wall and CPU (user + system) seconds, peak memory (max RSS)
of the process, and the time a workload measures inside itself (``inner``, e.g. one breach
matrix) — it prints the median of each tree and the median, min and max of the ratios
this/ref of the pairs: below 1 this tree is faster or smaller. Alternating the trees makes
the ratios hold when the machine's speed drifts; quote the ratios, not the absolute seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent

# Each workload is a Python program run as ``python -c``; one that prints a JSON line
# ``{"inner": seconds}`` on stdout also reports a time measured inside itself.
WORKLOADS = {
    "python -c pass": ("pass", False),
    "fiscal-sim --help": ("from fiscal_sim.cli import main; main(['--help'])", False),
    "fiscal-sim run": ("from fiscal_sim.cli import main; main(['run'])", False),
    "report --draws 2000": (
        "import tempfile; from fiscal_sim.cli import main; "
        "main(['report', '--draws', '2000', '--seed', '1', '-o', tempfile.mkdtemp() + '/'])",
        False,
    ),
    "breach matrix, 4096 draws": (
        "import time, json, fiscal_sim; from fiscal_sim.rules import breach_matrix; "
        "from fiscal_sim.stochastic import draw_shocks, shock_spec; "
        "s = fiscal_sim.load_scenario(); "
        "p = fiscal_sim.project(s, shocks=draw_shocks(shock_spec(s), len(s.years), 0, 4096, 1)); "
        "breach_matrix(p); times = []\n"
        "for _ in range(15):\n"
        "    t = time.perf_counter(); breach_matrix(p); times.append(time.perf_counter() - t)\n"
        "print(json.dumps({'inner': sorted(times)[7]}))",
        False,
    ),
    "simulate 10^5 draws": (
        "import time, json, fiscal_sim; s = fiscal_sim.load_scenario(); "
        "t = time.perf_counter(); fiscal_sim.simulate(s, draws=100_000, seed=1); "
        "print(json.dumps({'inner': time.perf_counter() - t}))",
        False,
    ),
    "simulate 10^6 draws": (
        "import time, json, fiscal_sim; s = fiscal_sim.load_scenario(); "
        "t = time.perf_counter(); fiscal_sim.simulate(s, draws=1_000_000, seed=1); "
        "print(json.dumps({'inner': time.perf_counter() - t}))",
        True,
    ),
    # The batch's own work on 1,000 synthetic counties (files written and loaded untimed):
    # project_counties stacks them into one engine call where the tree can (issue #14).
    "1000 counties projected": (
        "import time, json, tempfile, csv, fiscal_sim\n"
        "from fiscal_sim.batch.counties import County\n"
        "from fiscal_sim.batch.synth import write_counties\n"
        "from fiscal_sim.batch.work import project_counties\n"
        "folder = tempfile.mkdtemp(); manifest = write_counties(1000, 1, folder)\n"
        "rows = list(csv.DictReader(open(manifest, encoding='utf-8')))\n"
        "counties = [County(folder + '/' + r['file'], r['code'], r['name'], r['prefecture'])"
        " for r in rows]\n"
        "scenarios = [fiscal_sim.load_scenario(c.file) for c in counties]\n"
        "t = time.perf_counter(); project_counties(counties, scenarios, 0, 1)\n"
        "print(json.dumps({'inner': time.perf_counter() - t}))",
        True,
    ),
}
FIGURES = ("wall", "cpu", "peak_mb", "inner")
SHORT = {
    "pass": "python -c pass",
    "help": "fiscal-sim --help",
    "run": "fiscal-sim run",
    "report": "report --draws 2000",
    "breach": "breach matrix, 4096 draws",
    "simulate-1e5": "simulate 10^5 draws",
    "simulate-1e6": "simulate 10^6 draws",
    "counties": "1000 counties projected",
}


# FISCAL_SIM_CACHE_DIR and PYTHONPYCACHEPREFIX of every run, set by main().
_CACHE: dict[str, str] = {}


def run_once(tree: Path, program: str) -> dict:
    """One fresh process of ``program`` with ``tree`` first on the path: its figures."""
    check = (
        "import fiscal_sim, sys; "
        f"assert fiscal_sim.__file__.startswith({str(tree)!r}), fiscal_sim.__file__\n"
    )
    environment = dict(os.environ, PYTHONPATH=str(tree), MPLBACKEND="Agg", **_CACHE)
    # Bytecode is written (to the run's own folder) and read, as an installed package's is,
    # even where the shell says not to write it: else every run compiles both trees again.
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", check + program],
        cwd=tempfile.gettempdir(),
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    # wait4 gives the finished process's own accounting (CPU, peak RSS) and reaps it.
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    output, errors = process.stdout.read(), process.stderr.read()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{tree}: the workload failed ({process.returncode}):\n{errors.decode()}")
    figures = {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,
    }
    for line in output.decode(errors="replace").splitlines():
        if line.startswith('{"inner"'):
            figures["inner"] = json.loads(line)["inner"]
    return figures


def compare(workload: str, this: Path, ref: Path, rounds: int) -> dict:
    """``rounds`` pairs of runs (after one warm-up of each), this tree then the ref."""
    program = WORKLOADS[workload][0]
    run_once(this, program), run_once(ref, program)  # warm the file cache and bytecode
    pairs = [(run_once(this, program), run_once(ref, program)) for _ in range(rounds)]
    table = {}
    for figure in FIGURES:
        if figure not in pairs[0][0] or figure not in pairs[0][1]:
            continue
        mine = [a[figure] for a, _ in pairs]
        theirs = [b[figure] for _, b in pairs]
        ratios = [a / b for a, b in zip(mine, theirs, strict=True) if b > 0]
        table[figure] = (statistics.median(mine), statistics.median(theirs), ratios)
    return table


def _print(workload: str, table: dict) -> None:
    for figure, (mine, theirs, ratios) in table.items():
        unit = "MB" if figure == "peak_mb" else "s"
        print(
            f"{workload:<28} {figure:<8} {mine:>10.3f} {theirs:>10.3f} {unit:<3}"
            f" {statistics.median(ratios):>7.2f}× [{min(ratios):.2f}–{max(ratios):.2f}]"
        )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vs", required=True, help="the git ref to compare against (e.g. main)")
    parser.add_argument("--rounds", type=int, default=5, help="pairs of runs per workload")
    parser.add_argument(
        "--only", help="comma-separated workloads: " + ",".join(SHORT), default=None
    )
    parser.add_argument(
        "--heavy", action="store_true", help="also the 10⁶-draw Monte Carlo and 1,000 counties"
    )
    args = parser.parse_args(argv)
    if args.only:
        unknown = [name for name in args.only.split(",") if name not in SHORT]
        if unknown:
            parser.error(f"unknown workload {unknown[0]!r}; workloads: {', '.join(SHORT)}")
        chosen = [SHORT[name] for name in args.only.split(",")]
    else:
        chosen = [name for name, (_, heavy) in WORKLOADS.items() if args.heavy or not heavy]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", args.vs],
        cwd=HERE,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    head = subprocess.run(
        ["git", "describe", "--always", "--dirty"],
        cwd=HERE,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="fiscal-sim-ref-") as folder:
        ref = Path(folder) / "tree"
        _CACHE["FISCAL_SIM_CACHE_DIR"] = str(Path(folder) / "cache")
        _CACHE["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "bytecode")
        subprocess.run(
            ["git", "worktree", "add", "--detach", "--quiet", str(ref), commit],
            cwd=HERE,
            check=True,
        )
        try:
            print(
                f"this tree {head} vs {args.vs} ({commit}); {args.rounds} pairs per workload, "
                f"{os.cpu_count()} cpus, load average {os.getloadavg()[0]:.2f}"
            )
            print(f"{'workload':<28} {'figure':<8} {'this':>10} {'ref':>10}     {'this/ref'}")
            for workload in chosen:
                _print(workload, compare(workload, HERE, ref, args.rounds))
                sys.stdout.flush()
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(ref)], cwd=HERE)
    print("medians of each tree; this/ref: median ratio of the pairs [min–max].")


if __name__ == "__main__":
    main()
