"""Sensitivity: which assumptions move the answers most (issue #18).

Hand figures on overlays of the tiny county (tests/engine/tiny-county.yaml).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import fiscal_sim
from fiscal_sim.errors import FiscalSimError
from fiscal_sim.sweep import parameters, sensitivity

TESTS = Path(__file__).parent
TINY = TESTS / "engine" / "tiny-county.yaml"
SHORT = TESTS / "goalseek" / "short-county.yaml"


def _row(found, path, outcome=None):
    frame = found.to_frame()
    outcome = outcome or found.outcomes[0]
    return frame[(frame["parameter"] == path) & (frame["outcome"] == outcome)].iloc[0]


def test_a_linear_effect_is_the_hand_figure():
    """三公 base 10 万元 ±10 % moves the 2019 三公 plan (no cut in the tiny county) by ±1."""
    found = sensitivity(fiscal_sim.load_scenario(TINY), ["planned_three_public@2019"], 0.10)
    row = _row(found, "projects.three_public")
    assert row["base"] == pytest.approx(10.0)
    assert row["change_down"] == pytest.approx(-1.0) and row["change_up"] == pytest.approx(1.0)
    assert row["elasticity"] == pytest.approx(1.0)


def test_the_sanbao_shortfall_by_hand():
    """The short county funds 700 of a 三保 need of 770: 70 short a year, 490 over 2019-25.
    Tax 100 ± 10 % changes the shortfall by ∓10 a year, ∓70 in all; elasticity
    (−140 / 490) / 0.2 = −1.4286."""
    found = sensitivity(fiscal_sim.load_scenario(SHORT), "sanbao_shortfall", group="revenue")
    row = _row(found, "revenue.tax")
    assert row["base"] == pytest.approx(490.0)
    assert row["change_down"] == pytest.approx(70.0) and row["change_up"] == pytest.approx(-70.0)
    assert row["elasticity"] == pytest.approx(-140 / 490 / 0.2)
    # General transfers (600) move it six times as much and come first.
    assert found.parameters[:2] == ["revenue.general_transfers", "revenue.tax"]
    assert _row(found, "revenue.general_transfers")["change_up"] == pytest.approx(-420.0)


def test_a_move_that_breaks_a_rule_is_marked():
    """With transfers of 280 the tiny county has 780 for a 三保 need of 770: tax −10 %
    (−50) leaves operations 40 short; tax +10 % breaks nothing new."""
    scenario = fiscal_sim.load_scenario(TINY, ["revenue.general_transfers=280"])
    found = sensitivity(scenario, "sanbao_shortfall", group="revenue")
    row = _row(found, "revenue.tax")
    assert row["change_down"] == pytest.approx(7 * 40.0)
    assert row["breaks_down"] == "operations_funded" and row["breaks_up"] == ""
    shown = found.display("zh")["sanbao_shortfall"]
    assert shown.loc["revenue.tax", "新增违规"] == "⚠ 下调: operations_funded"


def test_moves_stay_within_the_allowed_range():
    """A share at its maximum (debt refinanced in full, 1.0) can only move down."""
    found = sensitivity(fiscal_sim.load_scenario(), "debt_ratio_end", group="debt")
    row = _row(found, "debt.general.refinancing_share")
    assert row["up"] == pytest.approx(row["base"])
    assert not np.isnan(row["elasticity"])


def test_parameters_and_groups():
    scenario = fiscal_sim.load_scenario()
    every = parameters(scenario)
    assert "revenue.tax" in every and "people.staff" in every
    assert not any(p.startswith(("profiles.", "horizon.")) for p in every)
    assert "rules.legacy_deadline_year" not in every  # a calendar year is not scaled
    assert "debt.special.new_issue" in parameters(scenario, "debt")
    with pytest.raises(FiscalSimError, match="unknown group 'nope'; groups are: "):
        parameters(scenario, "nope")
    with pytest.raises(FiscalSimError, match="unknown outcome 'x'"):
        sensitivity(scenario, "x")
    with pytest.raises(FiscalSimError, match="indicator@year"):
        sensitivity(scenario, "tax@1990")
    with pytest.raises(FiscalSimError, match="step"):
        sensitivity(scenario, step=1.5)


def test_tornado_chart():
    from fiscal_sim.plots import close

    found = sensitivity(fiscal_sim.load_scenario(SHORT), "sanbao_shortfall", group="revenue")
    ax = found.plot(lang="zh", top=3)
    assert ax.get_gid() == "tornado"
    assert len(ax.get_yticklabels()) == 3
    assert ax.get_yticklabels()[-1].get_text() == "一般性转移支付（基年）"  # the largest on top
    assert "三保缺口" in ax.get_title()
    close(ax)


def _cli():
    import click

    from fiscal_sim.cli.solve import COMMANDS

    return click.Group(commands={command.name: command for command in COMMANDS})


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_sensitivity_command(fmt):
    args = ["sensitivity", str(SHORT), "--outcome", "sanbao_shortfall,cash_min"]
    args += ["--step", "10%", "--group", "revenue", "--format", fmt, "--lang", "en"]
    result = CliRunner().invoke(_cli(), args)
    assert result.exit_code == 0, result.stderr
    if fmt == "json":
        data = json.loads(result.stdout)
        assert data["meta"]["step"] == 0.1
        first = data["sensitivity"][0]
        assert first["parameter"] == "revenue.general_transfers"
    if fmt == "table":
        assert "general transfers" in result.stdout and "elasticity" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--step", "abc"], "--step abc: expected a percentage"),
        (["--step", "150%"], "step must be between"),
        (["--group", "nope"], "unknown group 'nope'"),
        (["--outcome", "x"], "unknown outcome 'x'"),
    ],
)
def test_sensitivity_command_bad_input(args, message):
    result = CliRunner().invoke(_cli(), ["sensitivity", str(SHORT), *args])
    assert result.exit_code == 2 and message in result.stderr


@pytest.mark.parametrize("suffix", [".png", ".svg", ".csv"])
def test_sensitivity_output_writes_the_tornado_chart_or_the_table(tmp_path, suffix):
    """``-o FILE.png|svg|pdf``: the tornado chart of the first outcome; ``-o FILE.csv``: the
    table (in codes and names, csvtables); ``-o FILE.xls``: refused with a hint."""
    from fiscal_sim import csvtables

    target = tmp_path / "new" / f"tornado{suffix}"
    args = ["sensitivity", str(SHORT), "--outcome", "cash_min", "--group", "revenue"]
    result = CliRunner().invoke(_cli(), [*args, "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "" and f"已写入 {target}" in result.stderr
    content = target.read_bytes()
    if suffix == ".png":
        assert content.startswith(b"\x89PNG")
    elif suffix == ".svg":
        assert b"<svg" in content[:500]
    else:
        table = csvtables.read_csv(target)
        assert set(table["outcome"]) == {"cash_min"} and set(table["unit"]) == {"months"}
    refused = CliRunner().invoke(_cli(), [*args, "-o", str(tmp_path / "t.xls")])
    assert refused.exit_code == 2 and ".xlsx" in refused.stderr


@pytest.mark.parametrize("name", ["plan-followed", "covid-2020"])
def test_the_stacked_sweep_equals_each_variant_projected_alone(name):
    """run_variants projects the variants in one engine call; each outcome and each breached
    rule is exactly what that variant gives projected on its own."""
    from fiscal_sim.perturb import with_values
    from fiscal_sim.rules import breach_matrix
    from fiscal_sim.sweep import DEFAULT_OUTCOMES, _moved, outcome_values, run_variants

    scenario = fiscal_sim.load_scenario(name)
    paths = parameters(scenario)
    variants = [{}] + [
        {path: _moved(scenario, path, factor)} for path in paths for factor in (0.9, 1.1)
    ]
    values, breached = run_variants(scenario, variants, DEFAULT_OUTCOMES)
    assert values.shape == (len(variants), len(DEFAULT_OUTCOMES))
    for row, changes in enumerate(variants):
        alone = fiscal_sim.project(with_values(scenario, changes) if changes else scenario)
        expected = [outcome_values(alone, outcome)[0] for outcome in DEFAULT_OUTCOMES]
        assert values[row].tolist() == expected, (row, changes)
        rules = {rule for rule, years in breach_matrix(alone).items() if years.any()}
        assert breached[row] == rules, (row, changes)
