"""The C allocator's thresholds for a Monte Carlo: a chunk's arrays reuse the memory the chunk
before them freed, instead of memory mapped afresh from the system.

glibc's ``malloc`` maps each allocation above a threshold straight from the system and
unmaps it when freed (128 KiB at start, raised as large blocks are freed, up to 32 MiB), and
gives the top of its heap back once more than twice the threshold is free. A Monte Carlo
makes and frees some 100 MB of arrays a chunk, a few MB each: mapped afresh, every page of
them is faulted in and zeroed again by the system, chunk after chunk (a fifth of the CPU
time of 10⁵ draws, and the run 1.25x as long). :func:`chunk_memory_kept` sets the two
thresholds where glibc's own adjustment stops (32 MiB and 64 MiB): arrays of a chunk come
from the heap and go back to it. They stay so after the block (glibc cannot take up its
adjustment again; these are the values it tends to): what is free then is given back to
the system (``malloc_trim``). Under another C library (macOS, Windows, musl) nothing changes.
"""

from __future__ import annotations

import contextlib
import sys

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # mallopt's parameters (malloc.h)
MMAP_THRESHOLD = 32 * 1024 * 1024  # glibc's DEFAULT_MMAP_THRESHOLD_MAX on 64-bit systems
TRIM_THRESHOLD = 2 * MMAP_THRESHOLD  # as glibc's adjustment sets it


def glibc():
    """The process's C library when it is glibc (with ``mallopt`` and ``malloc_trim``), else
    None."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return None
    names = ("gnu_get_libc_version", "mallopt", "malloc_trim")
    return libc if all(hasattr(libc, name) for name in names) else None


@contextlib.contextmanager
def chunk_memory_kept():
    """Inside the block, large arrays freed go back to the heap for the next ones (glibc;
    see the module docstring); after it, the free memory is given back to the system."""
    libc = glibc()
    if libc is not None:
        libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
        libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    try:
        yield
    finally:
        if libc is not None:
            libc.malloc_trim(0)
