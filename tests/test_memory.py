"""A Monte Carlo's chunks reuse the memory the chunk before them freed (fiscal_sim.memory)."""

from __future__ import annotations

import contextlib
import subprocess
import sys

import fiscal_sim
from fiscal_sim import memory

# An array of 1 MiB (256 pages of 4 KiB), made, written and freed three times as chunk after
# chunk makes its arrays; the pages the system faulted in for the last one.
PROBE = """
import contextlib, resource, numpy as np
from fiscal_sim import memory
if {kept}:
    context = memory.chunk_memory_kept()
else:  # glibc as a process starts: each array above 128 KiB mapped afresh, unmapped when freed
    libc = memory.glibc()
    libc.mallopt(memory.M_MMAP_THRESHOLD, 128 * 1024)
    libc.mallopt(memory.M_TRIM_THRESHOLD, 128 * 1024)
    context = contextlib.nullcontext()
with context:
    for _ in range(3):
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        np.ones(1 << 17)
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
print(faults)
"""


def _faults(kept: bool) -> int:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(kept=kept)], capture_output=True, text=True, check=True
    )
    return int(done.stdout)


def test_an_array_made_again_takes_the_memory_freed_before_it():
    if memory.glibc() is None:  # another C library: nothing is set, the block just runs
        with memory.chunk_memory_kept():
            return
    assert _faults(kept=False) >= 256  # mapped afresh: every page faulted in again
    assert _faults(kept=True) < 8


def test_simulate_projects_its_chunks_with_their_memory_kept(monkeypatch):
    seen = []

    @contextlib.contextmanager
    def recorded():
        seen.append("enter")
        yield
        seen.append("exit")

    monkeypatch.setattr(memory, "chunk_memory_kept", recorded)
    fiscal_sim.simulate(
        fiscal_sim.load_scenario(),
        draws=2048,
        seed=1,
        chunk_size=1024,
        progress=lambda done: seen.append(done),
    )
    assert seen == ["enter", 1024, 1024, "exit"]
