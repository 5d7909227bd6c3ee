"""Uncertain parameters in the Monte Carlo: ``shocks.parameters`` (issue #14, model.md §9).

Each draw of a Monte Carlo with drawn parameters must be exactly the scenario with that draw's
values projected under that draw's shocks; declaring a parameter must leave the revenue shocks
as they were; and the draws must follow the declared distribution within the allowed range.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

import fiscal_sim
from fiscal_sim.errors import ScenarioError
from fiscal_sim.perturb import with_values
from fiscal_sim.stacking import with_draws
from fiscal_sim.stochastic import draw_parameters, draw_shocks, shock_spec, simulate

UNCERTAIN = """\
  parameters:
    people.attrition: {sd: 0.005, source: "assumption: spread of 2015-2018"}
    pay.average_pay: {low: 7.0, high: 8.0}
    people.staff: {low: 4900, high: 5100, distribution: triangular}
"""


def _county(tmp_path, shocks_yaml: str, extends: str = "default"):
    path = tmp_path / "county.yaml"
    path.write_text(f"extends: {extends}\nshocks:\n{shocks_yaml}", encoding="utf-8")
    return fiscal_sim.load_scenario(path)


@pytest.mark.parametrize("extends", ["default", "covid-2020"])
def test_each_draw_is_the_scenario_with_its_values_projected_alone(tmp_path, extends):
    scenario = _county(tmp_path, UNCERTAIN, extends)
    spec = shock_spec(scenario)
    years = len(scenario.years)
    start, stop = 1020, 1026  # across the boundary of two blocks of draws
    shocks = draw_shocks(spec, years, start, stop, seed=5)
    values = draw_parameters(spec, scenario, start, stop, seed=5)
    together = fiscal_sim.project(with_draws(scenario, values), shocks=shocks)
    for draw in range(stop - start):
        changes = {path: array[draw] for path, array in values.items()}
        alone = fiscal_sim.project(
            with_values(scenario, changes),
            shocks={line: array[draw : draw + 1] for line, array in shocks.items()},
        )
        for name, array in alone.annual.items():
            assert (together.annual[name][draw] == array[0]).all(), (draw, name)
        for name, array in alone.months.items():
            assert (together.months[name][draw] == array[0]).all(), (draw, name)


def test_declaring_parameters_leaves_the_revenue_shocks_as_they_were(tmp_path):
    """Parameters with no spread at all: the same ensemble, bit for bit, as none declared
    (the parameters draw from a stream of their own, and the drawn path is the engine's)."""
    flat = _county(tmp_path, "  parameters:\n    people.attrition: {sd: 0}\n")
    assert shock_spec(flat).parameters
    with_none = simulate(fiscal_sim.load_scenario(), draws=1500, seed=3).to_frame()
    with_flat = simulate(flat, draws=1500, seed=3).to_frame()
    assert with_flat.equals(with_none)


def test_draws_do_not_depend_on_the_chunk(tmp_path):
    scenario = _county(tmp_path, UNCERTAIN)
    whole = simulate(scenario, draws=2100, seed=11).to_frame()
    chunked = simulate(scenario, draws=2100, seed=11, chunk_size=1024).to_frame()
    assert whole.equals(chunked)


def test_headcount_quantiles_are_the_hand_figures(tmp_path):
    """2019 headcount = staff × (1 − attrition + hiring) = 5,000 × (1 − a + 0.025): with a
    normal around 3 % of sd 0.5 %, its 5 % quantile is 5,000 × (0.995 − 0.03·0 − 1.645 ×
    0.005) = 4,933.9 persons, its median 4,975, its 95 % quantile 5,016.1 (the revenue
    shocks do not move headcount)."""
    scenario = _county(tmp_path, "  parameters:\n    people.attrition: {sd: 0.005}\n")
    ensemble = simulate(scenario, draws=4000, seed=2)
    for level, expected in ((0.05, 4933.88), (0.5, 4975.0), (0.95, 5016.12)):
        assert ensemble.quantile("headcount", level).loc[2019] == pytest.approx(expected, abs=3)
    plain = simulate(fiscal_sim.load_scenario(), draws=4000, seed=2)
    assert plain.quantile("headcount", 0.05).loc[2019] == pytest.approx(4975.0)
    drawn = ensemble.meta["parameter_uncertainty"]
    assert [row["parameter"] for row in drawn] == ["people.attrition"]
    assert drawn[0]["sd"] == 0.005 and drawn[0]["source"] == "scenario"


def test_draws_follow_their_distribution_within_the_allowed_range(tmp_path):
    scenario = _county(
        tmp_path,
        "  parameters:\n"
        "    people.attrition: {sd: 0.05}\n"  # far wider than 3 %: cut at 0
        "    pay.average_pay: {low: 7.0, high: 8.0}\n"
        "    people.staff: {low: 4900, high: 5100, distribution: triangular}\n",
    )
    values = draw_parameters(shock_spec(scenario), scenario, 0, 20_000, seed=1)
    attrition = values["people.attrition"]
    assert attrition.shape == (20_000, len(scenario.years))
    assert (attrition >= 0).all() and (attrition == 0).mean() == pytest.approx(0.274, abs=0.02)
    assert (attrition == attrition[:, :1]).all()  # the path moves as a whole
    pay = values["pay.average_pay"]
    assert pay.min() >= 7.0 and pay.max() <= 8.0 and pay.mean() == pytest.approx(7.5, abs=0.01)
    staff = values["people.staff"]
    assert (staff == np.round(staff)).all() and staff.min() >= 4900 and staff.max() <= 5100
    assert staff.mean() == pytest.approx(5000, abs=2)  # mode = the scenario's 5,000


BAD = [  # (the entry under shocks.parameters, the key named after it, a part of the message)
    ("pay.growht: {sd: 0.01}", "pay.growht", "did you mean 'pay.growth'?"),
    ("rules.advance_cap_ratio: {sd: 0.01}", "rules.advance_cap_ratio", "cannot be uncertain"),
    ("policy.reserve_share: {sd: 0.01}", "policy.reserve_share", "cannot be uncertain"),
    ("arrears.small_profile: {sd: 0.01}", "arrears.small_profile", "cannot be uncertain"),
    ("pay.growth: {sd: -0.01}", "pay.growth.sd", "at least 0"),
    ("pay.growth: {low: 0.05, high: 0.01}", "pay.growth.high", "at least low"),
    ("pay.growth: {sd: 0.01, low: 0}", "pay.growth.sd", "only for normal"),
    ("pay.growth: {sd: 0.01, mode: 0}", "pay.growth.mode", "only for uniform"),
    ("pay.growth: {low: 0.01}", "pay.growth", "needs low and high"),
    ("pay.growth: {low: 0, high: 1, mode: 0.5}", "pay.growth.mode", "only for triangular"),
    ("pay.growth: {low: 0, high: 0.1, distribution: triangular, mode: 2}", "pay.growth.mode",
     "at most 0.1"),
    ("pay.growth: {sd: 0.01, spread: 1}", "pay.growth.spread", "unknown key"),
    ("pay.growth: {low: 0, high: 1, distribution: beta}", "pay.growth.distribution", "one of"),
    ("pay.growth: [0.01]", "pay.growth", "expected {sd"),
]  # fmt: skip


@pytest.mark.parametrize(("entry", "key", "message"), BAD)
def test_bad_uncertain_parameters_name_file_and_key(tmp_path, entry, key, message):
    with pytest.raises(ScenarioError) as raised:
        _county(tmp_path, f"  parameters:\n    {entry}\n")
    error = raised.value
    assert (error.key, error.file.endswith("county.yaml")) == (f"shocks.parameters.{key}", True)
    assert message in error.message and error.line is not None


def test_a_triangular_peak_outside_its_range_is_refused_when_drawn(tmp_path):
    scenario = _county(
        tmp_path,
        "  parameters:\n    people.staff: {low: 5100, high: 5300, distribution: triangular}\n",
    )
    with pytest.raises(ScenarioError) as raised:
        simulate(scenario, draws=100, seed=1)
    assert raised.value.key == "shocks.parameters.people.staff.mode"
    assert "5000 is outside" in raised.value.message  # fmt: skip


def test_the_simulate_command_draws_them_and_refuses_a_bad_one(tmp_path):
    from fiscal_sim.cli import cli

    good = tmp_path / "good.yaml"
    good.write_text("extends: default\nshocks:\n" + UNCERTAIN, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["simulate", str(good), "--draws", "200", "--seed", "1", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    meta = json.loads(result.stdout)["meta"]
    assert [row["parameter"] for row in meta["parameter_uncertainty"]] == [
        "people.attrition",
        "pay.average_pay",
        "people.staff",
    ]
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: default\nshocks:\n  parameters:\n    pay.growht: 0.01\n")
    result = CliRunner().invoke(cli, ["simulate", str(bad), "--draws", "200"])
    assert result.exit_code == 2
    assert "bad.yaml" in result.output and "did you mean 'pay.growth'?" in result.output
