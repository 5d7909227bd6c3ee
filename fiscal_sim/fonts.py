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

from fiscal_sim.errors import Bilingual, FiscalSimError

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
        Bilingual(
            "找不到中文字体 {font}：请安装 '{package}' 包"
            "（它以 SIL 开源字体许可证附带 Noto Sans SC）",
            "the Chinese font {font} was not found: install the '{package}' package (it ships "
            "Noto Sans SC under the SIL Open Font License)",
            font=_FONT_FILE.name,
            package=_FONT_PACKAGE,
        )
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


SUBSET_CACHE_FILES = 64
"""The disk cache keeps the most recently written subsets, this many at most."""

_SUBSET_OPTIONS = "woff, no hinting, desubroutinized, every name ID, notdef outline"


def cjk_font_subset(text: str) -> bytes:
    """The bundled font cut down to the characters of ``text``, as WOFF bytes.

    Lets an HTML report carry its own Chinese font (tens of kilobytes instead of ten
    megabytes), so that it renders the same on a machine without CJK fonts. The subset
    depends on the set of characters only, and cutting it is a good part of a report's time,
    so it is kept in memory and in the cache on disk (:mod:`fiscal_sim.cache`, topic
    ``fonts``; keyed by the characters, the font file and the fontTools version): the bytes
    are those of a fresh cut.

    Examples
    --------
    >>> cjk_font_subset("三保 2024") == cjk_font_subset("2024 保三")
    True
    """
    return _subset_of("".join(sorted(set(text))))


@functools.lru_cache(maxsize=16)
def _subset_of(characters: str) -> bytes:
    """The subset of ``characters`` (sorted, unique): from the disk cache, else cut and kept."""
    from fiscal_sim import cache

    path = _cache_path(characters)
    cached = cache.read(path)
    if cached is not None and cached.startswith(b"wOFF"):
        return cached
    font = _cut(characters)
    cache.keep(path, font, entries=SUBSET_CACHE_FILES)
    return font


def _cache_path(characters: str) -> Path | None:
    from fontTools import version as fonttools_version

    from fiscal_sim import cache

    folder = cache.cache_dir("fonts")
    if folder is None:
        return None
    source = cjk_font_path()
    stat = source.stat()
    parts = (str(source), str(stat.st_size), str(stat.st_mtime_ns), fonttools_version)
    return folder / f"{cache.entry_name(*parts, _SUBSET_OPTIONS, characters)}.woff"


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
