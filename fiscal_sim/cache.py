"""A cache on disk for work that depends on its inputs only: the report's font subsets and
the parsed bundled YAML files.

Entries live in ``$FISCAL_SIM_CACHE_DIR/<topic>``, else ``$XDG_CACHE_HOME/fiscal_sim/<topic>``
(``~/.cache`` when ``XDG_CACHE_HOME`` is unset); ``FISCAL_SIM_CACHE_DIR`` set empty turns the
cache off. An entry is named by a hash of everything it depends on, written atomically, and
each topic keeps its newest entries only. The cache only saves time: an entry that cannot be
read or written is computed again, and deleting the directory is always safe.

Examples
--------
>>> cache_dir("fonts").name
'fonts'
>>> len(entry_name("NotoSansSC-Regular.ttf", "三保"))
32
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

CACHE_ENV = "FISCAL_SIM_CACHE_DIR"
"""Environment variable naming the cache directory (an empty value turns the cache off)."""

KEEP = 64
"""Entries a topic keeps at most (the newest written)."""


def cache_dir(topic: str) -> Path | None:
    """The directory of ``topic``'s entries, or None when the cache is off."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return Path(chosen) / topic if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "fiscal_sim" / topic


def entry_name(*parts: str) -> str:
    """A file name for an entry from everything it depends on."""
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:32]


def read(path: Path | None) -> bytes | None:
    """An entry's bytes, or None when there is none (or it cannot be read)."""
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


def keep(path: Path | None, content: bytes, *, entries: int = KEEP) -> None:
    """Write an entry atomically and remove the oldest of its directory beyond ``entries``;
    skip it when the cache cannot be written."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(content)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        kept = sorted(path.parent.glob(f"*{path.suffix}"), key=lambda file: file.stat().st_mtime_ns)
        for old in kept[:-entries]:
            old.unlink(missing_ok=True)
    except OSError:
        return
