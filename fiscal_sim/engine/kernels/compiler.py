"""numba's ``njit`` as the kernels compile with it: cached on disk, in a folder of its own for
each version of the kernels' source, and loaded without scipy's linear algebra.

numba checks a cached function against its own file only, not against the functions it
calls from other files; the kernels call :mod:`.numpy_order` from two files, so the cache
folder is named by a hash of every file of this package (a change to any of them compiles
them all again, and an older folder is simply no longer read).

The first kernel numba runs in a process loads its whole library of typing and lowering
rules. One of them imports ``scipy.linalg`` only to learn whether ``np.vdot`` and
``np.correlate`` may call BLAS: a quarter of numba's start-up (about 0.25 s on a 5 s Monte
Carlo), for functions no kernel calls. :func:`_compiler` loads that library at once with
``scipy.linalg`` out of reach (unless it is imported already); numba then compiles those
two functions with its own loop, and everything else, ``np.dot`` included, as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.abc
import sys
from pathlib import Path

from fiscal_sim.cache import cache_dir


def source_version(package: Path = Path(__file__).parent) -> str:
    """A hash of the source of every module of the kernels' package."""
    digest = hashlib.sha256()
    for module in sorted(package.glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes())
    return digest.hexdigest()[:16]


class _Unreachable(importlib.abc.MetaPathFinder):
    """An import finder for which ``package`` and its modules cannot be imported."""

    def __init__(self, package: str):
        self.package = package

    def find_spec(self, name, path=None, target=None):
        if name == self.package or name.startswith(self.package + "."):
            raise ModuleNotFoundError(f"{name} is not loaded with the kernels", name=name)
        return None


@contextlib.contextmanager
def _unreachable(package: str):
    """``package`` cannot be imported inside the block (unless it is imported already)."""
    if package in sys.modules:
        yield
        return
    finder = _Unreachable(package)
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)


def _compiler():
    """``numba.njit`` with the on-disk cache in fiscal_sim's cache directory, numba's rules
    loaded (without ``scipy.linalg``, see the module docstring)."""
    import numba
    from numba.core.registry import cpu_target

    folder = cache_dir("numba")
    if folder is not None and not numba.config.CACHE_DIR:  # a user's NUMBA_CACHE_DIR wins
        numba.config.CACHE_DIR = str(folder / source_version())
    with _unreachable("scipy.linalg"):
        cpu_target.target_context.refresh()
    return numba.njit(cache=folder is not None, nogil=True, error_model="numpy")


njit = _compiler()
