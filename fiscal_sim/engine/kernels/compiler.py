"""numba's ``njit`` as the kernels compile with it: cached on disk, in a folder of its own for
each version of the kernels' source.

numba checks a cached function against its own file only, not against the functions it
calls from other files; the kernels call :mod:`.numpy_order` from two files, so the cache
folder is named by a hash of every file of this package (a change to any of them compiles
them all again, and an older folder is simply no longer read).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from fiscal_sim.cache import cache_dir


def source_version(package: Path = Path(__file__).parent) -> str:
    """A hash of the source of every module of the kernels' package."""
    digest = hashlib.sha256()
    for module in sorted(package.glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes())
    return digest.hexdigest()[:16]


def _compiler():
    """``numba.njit`` with the on-disk cache in fiscal_sim's cache directory."""
    import numba

    folder = cache_dir("numba")
    if folder is not None and not numba.config.CACHE_DIR:  # a user's NUMBA_CACHE_DIR wins
        numba.config.CACHE_DIR = str(folder / source_version())
    return numba.njit(cache=folder is not None, nogil=True, error_model="numpy")


njit = _compiler()
