"""The bundled CJK font: Noto Sans SC (SIL Open Font License), shipped by the ``zhplot`` package.

``zhplot`` changes matplotlib's global font settings when it is imported, so this module never
imports it: it finds the package's directory with :func:`importlib.util.find_spec` (which
locates a top-level package without executing it) and registers the font *file* with
matplotlib's font manager. Registering only adds the font to the list matplotlib can choose
from; the font family is set per figure, through :func:`font_context`, never at import.

Examples
--------
>>> from fiscal_sim import fonts
>>> fonts.cjk_font_path().name
'NotoSansSC-Regular.ttf'
>>> import sys
>>> "zhplot" in sys.modules      # located, not imported
False
>>> with fonts.font_context():
...     import matplotlib
...     matplotlib.rcParams["font.family"][0]
'Noto Sans SC'
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
from pathlib import Path

from fiscal_sim.errors import FiscalSimError

CJK_FAMILY = "Noto Sans SC"
"""Family name of the bundled CJK font (as matplotlib's font manager reports it)."""

FALLBACK_FAMILY = "DejaVu Sans"
"""matplotlib's own font: the fallback for any glyph the CJK font lacks."""

_FONT_PACKAGE = "zhplot"
_FONT_FILE = Path("fonts") / "NotoSansSC-Regular.ttf"


class FontNotFoundError(FiscalSimError):
    """The CJK font could not be found (the ``zhplot`` dependency is missing or changed)."""


@functools.cache
def cjk_font_path() -> Path:
    """Path of the bundled Noto Sans SC file, located without importing its package.

    Raises
    ------
    FontNotFoundError
        If the ``zhplot`` distribution is not installed or no longer ships the file.
    """
    spec = importlib.util.find_spec(_FONT_PACKAGE)
    candidates = []
    if spec is not None and spec.submodule_search_locations:
        candidates = [Path(location) / _FONT_FILE for location in spec.submodule_search_locations]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise FontNotFoundError(
        f"the Chinese font {_FONT_FILE.name} was not found: install the '{_FONT_PACKAGE}' "
        "package (it ships Noto Sans SC under the SIL Open Font License)"
    )


@functools.cache
def register_cjk_font() -> str:
    """Add the bundled font file to matplotlib's font manager (once) and return its family.

    This changes no setting: matplotlib simply knows one more font.
    """
    from matplotlib import font_manager

    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def font_families(lang: str = "zh") -> list[str]:
    """The font family list for a language, the bundled CJK font first.

    matplotlib falls back along the list glyph by glyph, so Chinese text in an English chart
    (a scenario title, say) still renders. The CJK font also carries Latin glyphs, so both
    languages use it first and charts look alike in either.
    """
    del lang  # one list serves both languages; kept so callers state the language
    return [register_cjk_font(), FALLBACK_FAMILY]


@contextlib.contextmanager
def font_context(lang: str = "zh"):
    """Context in which new matplotlib text uses the bundled CJK font.

    Text objects read the font family when they are created, so figures drawn inside the
    context keep the font when they are saved later, outside it.
    """
    import matplotlib

    with matplotlib.rc_context(
        {"font.family": font_families(lang), "axes.unicode_minus": True, "svg.fonttype": "path"}
    ):
        yield


SUBSET_CACHE_ENV = "FISCAL_SIM_CACHE_DIR"
"""Environment variable naming the cache directory (an empty value turns the disk cache off)."""

_SUBSET_OPTIONS = "woff, no hinting, desubroutinized, every name ID, notdef outline"


def cjk_font_subset(text: str) -> bytes:
    """The bundled font cut down to the characters of ``text``, as WOFF bytes.

    Lets an HTML report carry its own Chinese font (tens of kilobytes instead of ten
    megabytes), so that it renders the same on a machine without CJK fonts. The subset
    depends on the set of characters only, and cutting it is a good part of a report's time,
    so it is kept in memory and in :func:`subset_cache_dir` (keyed by the characters, the font
    file and the fontTools version): the bytes are the same as a fresh cut.

    Examples
    --------
    >>> cjk_font_subset("三保 2024") == cjk_font_subset("2024 保三")
    True
    """
    return _subset_of("".join(sorted(set(text))))


def subset_cache_dir() -> Path | None:
    """Where font subsets are kept between runs: ``$FISCAL_SIM_CACHE_DIR/fonts``, else
    ``$XDG_CACHE_HOME/fiscal_sim/fonts`` (``~/.cache`` when unset); None when
    ``FISCAL_SIM_CACHE_DIR`` is set empty (no disk cache)."""
    import os

    chosen = os.environ.get(SUBSET_CACHE_ENV)
    if chosen is not None:
        return Path(chosen) / "fonts" if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "fiscal_sim" / "fonts"


@functools.lru_cache(maxsize=16)
def _subset_of(characters: str) -> bytes:
    """The subset of ``characters`` (sorted, unique): from the disk cache, else cut and kept."""
    path = _cache_path(characters)
    if path is not None:
        try:
            cached = path.read_bytes()
        except OSError:
            cached = b""
        if cached.startswith(b"wOFF"):
            return cached
    font = _cut(characters)
    if path is not None:
        _keep(path, font)
    return font


def _cache_path(characters: str) -> Path | None:
    import hashlib

    from fontTools import version as fonttools_version

    folder = subset_cache_dir()
    if folder is None:
        return None
    source = cjk_font_path()
    stat = source.stat()
    parts = (str(source), str(stat.st_size), str(stat.st_mtime_ns), fonttools_version)
    key = "\n".join((*parts, _SUBSET_OPTIONS, characters))
    return folder / f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}.woff"


SUBSET_CACHE_FILES = 64
"""The disk cache keeps the most recently written subsets, this many at most."""


def _keep(path: Path, font: bytes) -> None:
    """Write a subset to the cache atomically, the oldest beyond :data:`SUBSET_CACHE_FILES`
    removed; a cache that cannot be written is skipped (it only saves time)."""
    import os
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as file:
            file.write(font)
        os.replace(temporary, path)
        kept = sorted(path.parent.glob("*.woff"), key=lambda file: file.stat().st_mtime_ns)
        for old in kept[:-SUBSET_CACHE_FILES]:
            old.unlink(missing_ok=True)
    except OSError:
        return


def _cut(characters: str) -> bytes:
    """Cut the bundled font down to ``characters`` (options: :data:`_SUBSET_OPTIONS`)."""
    import io

    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff"
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = ["*"]  # keep the licence and copyright names (SIL OFL)
    options.notdef_outline = True
    buffer = io.BytesIO()
    with subset.load_font(str(cjk_font_path()), options, lazy=True) as font:  # closes the file
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=characters)
        subsetter.subset(font)
        subset.save_font(font, buffer, options)
    return buffer.getvalue()
