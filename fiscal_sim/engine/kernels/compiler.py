"""numba's ``njit`` as the kernels compile with it: cached on disk, in a folder of its own for
each version of the kernels' source, and loaded from there without numba's compiler.

numba checks a cached function against its own file only, not against the functions it
calls from other files; the kernels call :mod:`.numpy_order` from two files, so the cache
folder is named by a hash of every file of this package (a change to any of them compiles
them all again, and an older folder is simply no longer read).

Before it loads a cached function, numba loads its whole library of typing and lowering
rules, some hundred modules (about 0.1 s of a 1.3 s Monte Carlo, while the other core
waits), though only a compilation reads them: machine code loaded from the cache needs
numba's runtime alone. :class:`_CachedCode` loads it so; a function not in the cache is
compiled as ever (numba's compiler loads the rules itself).
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


def _cached_code_class():
    """numba's on-disk cache of a function, which loads machine code with numba's runtime
    initialised but not its typing and lowering rules (None if numba's cache has changed
    shape: then numba's own cache is used)."""
    from numba.core.caching import FunctionCache
    from numba.core.runtime import rtsys

    used = ("_load_overload", "_guard_against_spurious_io_errors")  # numba's, not public
    if not all(hasattr(FunctionCache, name) for name in used):
        return None

    class _CachedCode(FunctionCache):
        def load_overload(self, sig, target_context):
            rtsys.initialize(target_context)  # what a cached function needs of the refresh
            with self._guard_against_spurious_io_errors():
                return self._load_overload(sig, target_context)

    return _CachedCode


def _compiler():
    """``numba.njit`` with the on-disk cache in fiscal_sim's cache directory, loaded by
    :class:`_CachedCode` (see the module docstring)."""
    import gc

    # numba's import makes some hundred thousand objects that live as long as the process:
    # with the collector off, it sets off no full collection (about 20 ms, nothing freed).
    collecting = gc.isenabled()
    gc.disable()
    try:
        import numba
    finally:
        if collecting:
            gc.enable()

    folder = cache_dir("numba")
    if folder is not None and not numba.config.CACHE_DIR:  # a user's NUMBA_CACHE_DIR wins
        numba.config.CACHE_DIR = str(folder / source_version())
    jit = numba.njit(cache=folder is not None, nogil=True, error_model="numpy")
    cached_code = _cached_code_class() if folder is not None else None
    if cached_code is None:
        return jit

    def njit(function):
        dispatcher = jit(function)
        dispatcher._cache = cached_code(function)
        return dispatcher

    return njit


njit = _compiler()
