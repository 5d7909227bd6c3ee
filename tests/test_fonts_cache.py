"""The report's font subset is cut once per set of characters: kept in memory and on disk,
the same bytes as a fresh cut; a cache that is missing, corrupt or unwritable only costs time."""

from __future__ import annotations

import pytest

from fiscal_sim import fonts
from fiscal_sim.cache import CACHE_ENV, cache_dir

TEXT = "三保 缺口 2024年 库款保障水平 Treasury cash"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty disk cache of its own and an empty memory cache."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    fonts._subset_of.cache_clear()
    yield tmp_path / "fonts"
    fonts._subset_of.cache_clear()


def test_a_cached_subset_is_the_fresh_cut_of_the_same_characters(cache):
    fresh = fonts._cut("".join(sorted(set(TEXT))))
    assert fresh.startswith(b"wOFF")
    assert fonts.cjk_font_subset(TEXT) == fresh  # cut, kept on disk
    fonts._subset_of.cache_clear()
    assert fonts.cjk_font_subset(TEXT) == fresh  # read back from disk
    assert fonts.cjk_font_subset("".join(reversed(TEXT)) + TEXT) == fresh  # same characters
    assert [path.read_bytes() for path in cache.glob("*.woff")] == [fresh]


def test_the_disk_cache_spares_the_cut_in_a_later_run(cache, monkeypatch):
    fonts.cjk_font_subset(TEXT)
    fonts._subset_of.cache_clear()  # a new process: memory is empty, the disk is not

    def no_cut(characters):
        raise AssertionError("cut again")

    monkeypatch.setattr(fonts, "_cut", no_cut)
    assert fonts.cjk_font_subset(TEXT).startswith(b"wOFF")


def test_other_characters_are_another_subset(cache):
    assert fonts.cjk_font_subset("三保") != fonts.cjk_font_subset("三保库款")
    assert len(list(cache.glob("*.woff"))) == 2


def test_a_corrupt_cache_file_is_cut_again_and_replaced(cache):
    good = fonts.cjk_font_subset(TEXT)
    (path,) = cache.glob("*.woff")
    path.write_bytes(b"not a font")
    fonts._subset_of.cache_clear()
    assert fonts.cjk_font_subset(TEXT) == good
    assert path.read_bytes() == good


def test_an_unwritable_cache_only_costs_time(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("the cache directory cannot be made under a file")
    monkeypatch.setenv(CACHE_ENV, str(blocker))
    fonts._subset_of.cache_clear()
    try:
        assert fonts.cjk_font_subset(TEXT) == fonts._cut("".join(sorted(set(TEXT))))
    finally:
        fonts._subset_of.cache_clear()


def test_an_empty_cache_setting_turns_the_disk_cache_off(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, "")
    assert cache_dir("fonts") is None
    monkeypatch.delenv(CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir("fonts") == tmp_path / "fiscal_sim" / "fonts"


def test_the_disk_cache_keeps_the_newest_subsets_only(cache, monkeypatch):
    monkeypatch.setattr(fonts, "SUBSET_CACHE_FILES", 3)
    for text in ("一", "二", "三", "四", "五"):
        fonts.cjk_font_subset(text)
    assert len(list(cache.glob("*.woff"))) == 3
