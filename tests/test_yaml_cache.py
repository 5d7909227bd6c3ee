"""The parsed bundled YAML is kept on disk between runs (start-up): a later process reads the
same data and lines without parsing; a user's files, damaged entries and anything that is
not plain data are parsed again."""

from __future__ import annotations

import io
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import fiscal_sim
from fiscal_sim import cache, yamlio

BUNDLED = Path(fiscal_sim.__file__).parent / "data" / "default-county.yaml"


@pytest.fixture
def stored(tmp_path, monkeypatch):
    """An empty disk cache of its own and an empty memory cache; the entries' directory."""
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    yamlio._read_cached.cache_clear()
    yield tmp_path / "yaml"
    yamlio._read_cached.cache_clear()


def _fresh_parse(path):
    return yamlio.load_text(path.read_text(encoding="utf-8"), str(path))


def _parse_refused(monkeypatch):
    def refused(*arguments, **options):
        raise AssertionError("parsed again")

    monkeypatch.setattr(yamlio, "load_text", refused)


def test_a_bundled_file_is_read_back_from_disk_as_parsed(stored, monkeypatch):
    parsed = _fresh_parse(BUNDLED)
    assert yamlio.read_yaml(BUNDLED) == parsed
    assert len(list(stored.glob("*.pickle"))) == 1
    yamlio._read_cached.cache_clear()  # a new process: memory is empty, the disk is not
    _parse_refused(monkeypatch)
    assert yamlio.read_yaml(BUNDLED) == parsed


def test_a_users_file_is_parsed_every_time(stored, tmp_path):
    path = tmp_path / "county.yaml"
    path.write_text("extends: default\nmeta: {name: mine}\n", encoding="utf-8")
    assert yamlio.read_yaml(path)[0] == {"extends": "default", "meta": {"name": "mine"}}
    assert not stored.exists() or not list(stored.glob("*.pickle"))


@pytest.mark.parametrize(
    "content",
    [
        b"not a pickle",
        pickle.dumps(({"a": 1}, "lines are a dict")),
        pickle.dumps((Path("/etc/passwd"), {})),  # a class that is not plain data
    ],
)
def test_a_damaged_or_foreign_entry_is_parsed_again_and_replaced(stored, content):
    parsed = yamlio.read_yaml(BUNDLED)
    (entry,) = stored.glob("*.pickle")
    entry.write_bytes(content)
    yamlio._read_cached.cache_clear()
    assert yamlio.read_yaml(BUNDLED) == parsed
    assert pickle.loads(entry.read_bytes()) == parsed


def test_a_callable_in_an_entry_is_refused_not_called(stored):
    class Calls:
        def __reduce__(self):
            return (print, ("called",))

    with pytest.raises(pickle.UnpicklingError, match=r"builtins\.print"):
        yamlio._PlainData(io.BytesIO(pickle.dumps(Calls()))).load()


def test_dates_sets_and_nested_data_come_back_as_parsed(stored):
    text = "when: 2024-01-31\nat: 2024-01-31 08:00:00+08:00\nwhich: !!set {a, b}\nx: [1, 2.5, ~]\n"
    data, lines = yamlio.load_text(text, "inline")
    yamlio._keep_parse(stored / "entry.pickle", data, lines)
    assert yamlio._load_parse(stored / "entry.pickle") == (data, lines)


def test_a_later_process_loads_the_bundled_scenario_without_parsing(stored):
    probe = (
        "import fiscal_sim, fiscal_sim.yamlio as yamlio\n"
        "def refused(*arguments, **options):\n"
        "    raise AssertionError('parsed again')\n"
        "yamlio.load_text = refused\n"
        "print(fiscal_sim.load_scenario('plan-followed').name)\n"
        "import sys\n"
        "print('yaml' in sys.modules)\n"  # PyYAML is imported to parse only (17 ms of a run)
    )
    environment = {cache.CACHE_ENV: str(stored.parent)}
    first = [sys.executable, "-c", "import fiscal_sim; fiscal_sim.load_scenario('plan-followed')"]
    subprocess.run(first, check=True, env=_with(environment))
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=_with(environment)
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["plan-followed", "False"]


def _with(variables: dict) -> dict:
    import os

    return {**os.environ, **variables}
