"""The batch command's progress bar counts counties, done and failed (issue #21), and
``fiscal_sim.batch`` is the library call."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from _province import write_province

import fiscal_sim
from fiscal_sim.cli.batch import COUNTING, _counting


class _Bar:
    """What ``_counting`` uses of a click progress bar."""

    def __init__(self, label: str):
        self.label = label
        self.position = 0

    def update(self, steps: int) -> None:
        self.position += steps


def _block(*ok: bool) -> list:
    return [SimpleNamespace(ok=flag) for flag in ok]


@pytest.mark.parametrize(
    "lang, label, after",
    [
        ("zh", "预测 7 个县", "预测 7 个县，2 个失败"),
        ("en", "projecting 7 counties", "projecting 7 counties, 2 failed"),
    ],
)
def test_the_bar_moves_by_counties_and_names_the_failures(lang, label, after):
    bar = _Bar(COUNTING[lang][0].format(7))
    assert bar.label == label
    count = _counting(bar, COUNTING[lang][1])
    count(_block(True, True, True))
    assert (bar.position, bar.label) == (3, label)  # no failure yet: the label is unchanged
    count(_block(True, False))
    count(_block(False, True))
    assert (bar.position, bar.label) == (7, after)


@pytest.fixture(scope="module")
def three(tmp_path_factory):
    return write_province(tmp_path_factory.mktemp("three"), counties=3)


@pytest.mark.parametrize("lang, label", [("zh", "预测 3 个县"), ("en", "projecting 3 counties")])
def test_the_command_labels_its_bar_in_the_language(three, fiscal_sim_cli, tmp_path, lang, label):
    out = tmp_path / "out"
    result = fiscal_sim_cli("batch", str(three), "-o", str(out), "--workers", "0", "--lang", lang)
    assert result.exit_code == 0, result.stderr
    assert label in result.stderr


def test_fiscal_sim_batch_is_the_library_call(three):
    called = fiscal_sim.batch([three], draws=0, seed=3)
    ran = fiscal_sim.batch.run([three], draws=0, seed=3)
    assert (called.counties_done, called.seed) == (3, 3)
    assert called.indicators.equals(ran.indicators)
    assert "batch" in fiscal_sim.__all__
