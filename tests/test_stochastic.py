"""Monte Carlo: the shock model, the generator and the ensemble (issue #8).

Statistical tests use fixed seeds and at most 2,000 draws.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
import numpy as np
import pytest
from _errors import error_lines
from click.testing import CliRunner

import fiscal_sim
from fiscal_sim.accumulator import indicator_values
from fiscal_sim.ensemble import ENSEMBLE_INDICATORS
from fiscal_sim.errors import ScenarioError
from fiscal_sim.results import project
from fiscal_sim.stochastic import (
    BLOCK_DRAWS,
    SHOCK_LINES,
    ShockSpec,
    draw_shocks,
    shock_spec,
    simulate,
)


@pytest.fixture(scope="module")
def default():
    return fiscal_sim.load_scenario()


def _scenario(tmp_path, shocks_yaml: str):
    path = tmp_path / "county.yaml"
    path.write_text("extends: default\nshocks:\n" + shocks_yaml, encoding="utf-8")
    return fiscal_sim.load_scenario(path)


# -- the shock model ----------------------------------------------------------------------------


def test_defaults_are_labelled_assumptions(default):
    spec = shock_spec(default)
    assert spec.distribution == "normal"
    assert [spec.sigma_of(line) for line in SHOCK_LINES] == [0.03, 0.06, 0.02, 0.30]
    for key in (*SHOCK_LINES, "correlation"):
        assert "assumption" in spec.sources[key]
    np.testing.assert_array_equal(spec.correlation, spec.correlation.T)


def test_declared_shocks_are_read(tmp_path):
    scenario = _scenario(
        tmp_path,
        "  distribution: student_t\n  df: 6\n"
        "  tax: {sigma: 0.05, persistence: 0.5, source: 'county bureau 2010-2018'}\n"
        "  correlation:\n    tax: {nontax: 0.7}\n",
    )
    spec = shock_spec(scenario)
    assert (spec.distribution, spec.df, spec.sigma_of("tax")) == ("student_t", 6.0, 0.05)
    assert spec.persistence[0] == 0.5
    assert spec.correlation[0, 1] == spec.correlation[1, 0] == 0.7
    assert spec.correlation[0, 3] == 0.0  # pairs not given are uncorrelated
    assert spec.sources["tax"] == "county bureau 2010-2018"
    assert "assumption" in spec.sources["nontax"]


@pytest.mark.parametrize(
    ("yaml_text", "key", "message"),
    [
        ("  taxes: {sigma: 0.1}\n", "shocks.taxes", "unknown key"),
        ("  tax: {sigma: -0.1}\n", "shocks.tax.sigma", "at least 0"),
        ("  tax: {sigma: 0.1, sd: 2}\n", "shocks.tax.sd", "unknown key"),
        ("  tax: {persistence: 1.5}\n", "shocks.tax.persistence", "at most"),
        ("  distribution: lognormal\n", "shocks.distribution", "expected one of"),
        ("  distribution: student_t\n  df: 2\n", "shocks.df", "above 2"),
        ("  df: 5\n", "shocks.df", "only for distribution: student_t"),
        (
            "  correlation:\n    tax: {nontax: 0.9, land_sales: 0.9}\n"
            "    nontax: {land_sales: -0.9}\n",
            "shocks.correlation",
            "not positive definite",
        ),
        ("  correlation:\n    tax: {tax: 0.5}\n", "shocks.correlation.tax.tax", "another line"),
        (
            "  distribution: bootstrap\n  history:\n    tax: [0.1, 0.2]\n    nontax: [0.1]\n",
            "shocks.history.nontax",
            "at least 2",
        ),
        (
            "  distribution: bootstrap\n  history: {tax: [0.1, 0.2]}\n  block_years: 3\n",
            "shocks.block_years",
            "from 1 to 2",
        ),
        (
            "  distribution: bootstrap\n  tax: {sigma: 0.1}\n  history: {tax: [0.1, 0.2]}\n",
            "shocks.tax",
            "not used",
        ),
    ],
)
def test_invalid_shocks_name_file_and_key(tmp_path, yaml_text, key, message):
    # Refused when the scenario loads, not only when a Monte Carlo run reads the section.
    with pytest.raises(ScenarioError) as raised:
        _scenario(tmp_path, yaml_text)
    error = raised.value
    assert error.key == key
    assert message in error.message
    assert error.file.endswith("county.yaml") and error.line is not None


# -- the generator ------------------------------------------------------------------------------


def _pooled(shocks: dict, line: str) -> np.ndarray:
    return shocks[line].reshape(-1)


@pytest.mark.parametrize("distribution", ["normal", "student_t"])
def test_sample_moments_match_the_declared_ones(distribution):
    sigma = np.array([0.03, 0.06, 0.02, 0.30])
    persistence = np.array([0.3, 0.5, 0.0, 0.6])
    correlation = np.eye(4)
    correlation[0, 1] = correlation[1, 0] = 0.5
    spec = ShockSpec(distribution, sigma, persistence, correlation, df=6.0)
    shocks = draw_shocks(spec, years=7, start=0, stop=2000, seed=20201)
    tolerance = 0.05 if distribution == "normal" else 0.10  # t has fatter tails
    for i, line in enumerate(SHOCK_LINES):
        values = _pooled(shocks, line)
        assert abs(values.mean()) < 3 * sigma[i] / np.sqrt(values.size) * 3  # ≈ 0
        assert values.std() == pytest.approx(sigma[i], rel=tolerance)
        lag = np.corrcoef(shocks[line][:, :-1].ravel(), shocks[line][:, 1:].ravel())[0, 1]
        assert lag == pytest.approx(persistence[i], abs=0.06)
    # Equal persistence would keep the innovations' correlation; here φ differs (0.3 vs 0.5),
    # so the first year (x = e) carries it exactly.
    first = np.corrcoef(shocks["tax"][:, 0], shocks["nontax"][:, 0])[0, 1]
    assert first == pytest.approx(0.5, abs=0.06)
    assert abs(np.corrcoef(shocks["tax"][:, 0], shocks["land_sales"][:, 0])[0, 1]) < 0.07


def test_student_t_has_fat_tails():
    spec = ShockSpec("student_t", np.full(4, 0.1), np.zeros(4), np.eye(4), df=4.5)
    values = draw_shocks(spec, 7, 0, 2000, seed=3)["tax"].ravel() / 0.1
    kurtosis = np.mean(values**4) / np.mean(values**2) ** 2
    assert kurtosis > 3.5  # normal: 3


def test_bootstrap_resamples_the_demeaned_history(tmp_path):
    history = [0.08, 0.11, 0.02, -0.04, 0.09, 0.07]
    scenario = _scenario(
        tmp_path,
        f"  distribution: bootstrap\n  block_years: 2\n  history:\n    tax: {history}\n",
    )
    spec = shock_spec(scenario)
    shocks = draw_shocks(spec, 7, 0, 1000, seed=5)
    deviations = np.asarray(history) - np.mean(history)
    assert np.isin(shocks["tax"], deviations).all()
    assert (shocks["land_sales"] == 0).all()  # not in the history: no shock
    # Blocks of two consecutive years: the second year follows the first in the history.
    first = np.argmin(abs(shocks["tax"][:, 0, None] - deviations[None, :]), axis=1)
    np.testing.assert_array_equal(shocks["tax"][:, 1], deviations[first + 1])
    assert spec.sigma_of("tax") == pytest.approx(deviations.std())


def test_draws_do_not_depend_on_how_they_are_asked_for():
    spec = ShockSpec(sigma=np.full(4, 0.1), persistence=np.full(4, 0.4))
    whole = draw_shocks(spec, 7, 0, 3 * BLOCK_DRAWS + 17, seed=11)
    for start, stop in [(0, 5), (1000, 1100), (BLOCK_DRAWS - 3, 2 * BLOCK_DRAWS + 9)]:
        part = draw_shocks(spec, 7, start, stop, seed=11)
        for line in SHOCK_LINES:
            np.testing.assert_array_equal(part[line], whole[line][start:stop])
    other = draw_shocks(spec, 7, 0, 5, seed=12)
    assert not np.array_equal(other["tax"], whole["tax"][:5])


# -- the ensemble -------------------------------------------------------------------------------


def test_zero_volatility_equals_the_deterministic_projection(default):
    deterministic = indicator_values(project(default))[0]
    ensemble = simulate(default, draws=1500, seed=1, spec=shock_spec(default).scaled(0.0))
    for k in range(len(ensemble.levels)):
        np.testing.assert_array_equal(ensemble.quantile_values[k], deterministic)
    np.testing.assert_array_equal(ensemble.mean, deterministic)
    np.testing.assert_array_equal(ensemble.minimum, deterministic)
    np.testing.assert_array_equal(ensemble.maximum, deterministic)
    assert (ensemble.std == 0).all()
    from fiscal_sim.rules import breach_matrix

    breaches = breach_matrix(project(default))
    for rule, breached in breaches.items():
        np.testing.assert_array_equal(
            ensemble.breach_probability(rule).to_numpy(), breached[0].astype(float)
        )


@pytest.mark.parametrize("exact_limit", [200_000, 700])
def test_results_do_not_depend_on_the_chunk_size(default, exact_limit):
    runs = [
        simulate(default, draws=2000, seed=42, chunk_size=size, exact_limit=exact_limit)
        for size in (1024, 1500, 4096)
    ]
    first = runs[0]
    assert first.meta["quantile_method"].startswith("exact" if exact_limit > 2000 else "systematic")
    for other in runs[1:]:
        for name in ("quantile_values", "mean", "std", "minimum", "maximum"):
            np.testing.assert_array_equal(getattr(other, name), getattr(first, name))
        assert other.breach.equals(first.breach)
        np.testing.assert_array_equal(other.wage_month_probability, first.wage_month_probability)


@pytest.mark.parametrize("ahead", [0, 2])
def test_results_do_not_depend_on_the_chunks_projected_ahead(default, monkeypatch, ahead):
    from fiscal_sim import stochastic

    first = simulate(default, draws=3000, seed=42, chunk_size=1024)
    monkeypatch.setattr(stochastic, "CHUNKS_AHEAD", ahead)
    done = []
    other = simulate(default, draws=3000, seed=42, chunk_size=1024, progress=done.append)
    assert done == [1024, 1024, 952]
    for name in ("quantile_values", "mean", "std", "minimum", "maximum"):
        np.testing.assert_array_equal(getattr(other, name), getattr(first, name))
    assert other.breach.equals(first.breach)
    np.testing.assert_array_equal(other.wage_month_probability, first.wage_month_probability)


@pytest.mark.parametrize("ahead", [0, 1, 3])
def test_chunks_come_in_order_and_a_chunk_s_error_in_its_turn(ahead):
    from fiscal_sim.stochastic import in_order

    def project(start):
        if start == 30:
            raise ScenarioError("county.yaml", "tax", "the chunk from draw 30 is not finite")
        return start * 2

    got = []
    with pytest.raises(ScenarioError, match="from draw 30"):
        for start, projection in in_order(project, range(0, 50, 10), ahead):
            got.append((start, projection))
    assert got == [(0, 0), (10, 20), (20, 40)]


@pytest.mark.parametrize(("draws", "exact_limit"), [(2500, 200_000), (2500, 700)])
def test_quantiles_in_place_are_those_of_a_copy_of_every_kept_draw(default, draws, exact_limit):
    """The quantiles partition the kept draws in place (draws last, no second copy): the
    numbers of ``np.quantile`` over a copy of the kept draws, as before (612e3ff)."""
    chunks = []

    def recording(shocks):
        projection = project(default, shocks=shocks, seed=3)
        if shocks is not None:
            chunks.append(indicator_values(projection))
        return projection

    ensemble = simulate(default, draws=draws, seed=3, exact_limit=exact_limit, projector=recording)
    every = np.concatenate(chunks)
    stride = 1 if draws <= exact_limit else -(-draws // exact_limit)
    levels = ensemble.levels
    np.testing.assert_array_equal(
        ensemble.quantile_values, np.quantile(every[::stride], levels, axis=0)
    )


def test_a_second_result_gives_the_same_quantiles(default):
    from fiscal_sim.accumulator import Accumulator

    baseline = project(default)
    accumulator = Accumulator(baseline, 1500)
    shocks = draw_shocks(shock_spec(default), len(default.years), 0, 1500, seed=4)
    accumulator.add(project(default, shocks=shocks), 0)
    first, second = accumulator.result(), accumulator.result()
    np.testing.assert_array_equal(first.quantile_values, second.quantile_values)


def test_the_subsample_agrees_with_exact_quantiles(default):
    exact = simulate(default, draws=2000, seed=9)
    sampled = simulate(default, draws=2000, seed=9, exact_limit=1000)
    np.testing.assert_array_equal(sampled.mean, exact.mean)  # every draw, as before
    median = exact.quantile("self_sufficiency", 0.5)
    spread = exact.quantile("self_sufficiency", 0.95) - exact.quantile("self_sufficiency", 0.05)
    assert (abs(sampled.quantile("self_sufficiency", 0.5) - median) < 0.1 * spread).all()


def test_ensemble_tables_and_views(default):
    ensemble = simulate(default, draws=1200, seed=4)
    assert ensemble.draws == 1200 and ensemble.meta["seed"] == 4
    quantiles = ensemble.quantiles("land_sales")
    assert list(quantiles.index) == list(default.years)
    assert (quantiles["p5"] <= quantiles["p50"]).all() and (
        quantiles["p50"] <= quantiles["p95"]
    ).all()
    assert 0.0 <= ensemble.sanbao_probability_any <= 1.0
    assert set(ensemble.sanbao().columns) >= {"probability", "mean", "mean_if_short", "p95"}
    assert ensemble.wage_risk().shape == (len(default.years), 14)
    breach = ensemble.breach_probabilities()
    assert "any_year" in breach.columns
    assert (breach["any_year"] >= breach[list(default.years)].max(axis=1)).all()
    frame = ensemble.to_frame()
    assert list(frame.columns) == ["section", "name", "year", "month", "statistic", "value"]
    assert set(frame["section"]) == {"indicator", "breach", "sanbao", "wage_risk"}
    assert set(frame.loc[frame["section"] == "indicator", "name"]) == set(ENSEMBLE_INDICATORS)
    text, page = str(ensemble), ensemble._repr_html_()
    assert ensemble.headline() in text and ensemble.headline() in page.replace("&#x27;", "'")
    assert "Ensemble default" in repr(ensemble)
    ax = ensemble.plot.fan_chart("land_sales", lang="en")
    assert {line.get_gid() for line in ax.get_lines()} == {"median", "baseline"}
    assert ensemble.plot.breach_heatmap(lang="zh").get_gid() == "breach_heatmap"


def test_same_seed_same_numbers_and_fresh_entropy_is_recorded(default):
    one = simulate(default, draws=1100, seed=123)
    two = simulate(default, draws=1100, seed=123)
    np.testing.assert_array_equal(one.quantile_values, two.quantile_values)
    fresh = simulate(default, draws=1100)
    again = simulate(default, draws=1100, seed=fresh.meta["seed"])
    np.testing.assert_array_equal(fresh.quantile_values, again.quantile_values)


def test_bad_arguments(default):
    with pytest.raises(ValueError, match="draws"):
        simulate(default, draws=0)
    with pytest.raises(ValueError, match="quantile"):
        simulate(default, draws=10, quantiles=[1.5])


# -- the command ----------------------------------------------------------------------------


def _cli():
    from fiscal_sim.cli.uncertainty import COMMANDS

    return click.Group(commands={command.name: command for command in COMMANDS})


def test_simulate_command_json_and_progress_on_stderr():
    result = CliRunner().invoke(
        _cli(), ["simulate", "--draws", "1024", "--seed", "1", "--format", "json"]
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["meta"]["draws"] == 1024 and data["meta"]["seed"] == 1
    assert {"quantiles", "breach_probability", "sanbao", "wage_risk"} <= set(data)
    assert "模拟 plan-followed" in result.stderr  # the CLI's default scenario, in zh


def test_simulate_command_bad_shocks_exit_2(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("extends: default\nshocks:\n  tax: {sigma: high}\n", encoding="utf-8")
    result = CliRunner().invoke(_cli(), ["simulate", str(path), "--draws", "10"])
    assert result.exit_code == 2
    assert "shocks.tax.sigma" in result.stderr


@pytest.mark.parametrize("command", ["simulate", "stress", "reverse-stress"])
def test_every_command_has_help_with_an_example(command):
    result = CliRunner().invoke(_cli(), [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.stdout and "fiscal-sim" in result.stdout


@pytest.mark.parametrize(
    "overrides", [[], ["revenue.general_transfers=70000"], ["treasury.opening_cash=1000"]]
)
def test_own_breaches_agree_with_the_rules(overrides):
    from fiscal_sim.accumulator import own_breach_matrix
    from fiscal_sim.rules import breach_matrix

    scenario = fiscal_sim.load_scenario(overrides=overrides)
    shocks = draw_shocks(shock_spec(scenario).scaled(3.0), 7, 0, 1000, seed=1)
    projection = project(scenario, shocks=shocks)
    ours, rules = own_breach_matrix(projection), breach_matrix(projection)
    for rule, breached in ours.items():
        np.testing.assert_array_equal(breached, rules[rule], err_msg=rule)


def test_an_error_names_the_file_that_sets_the_key(tmp_path):
    (tmp_path / "parent.yaml").write_text(
        "extends: default\nshocks:\n  tax: {sigma: -1}\n", encoding="utf-8"
    )
    child = tmp_path / "child.yaml"
    child.write_text("extends: parent.yaml\nshocks:\n  nontax: {sigma: 0.1}\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as raised:
        fiscal_sim.load_scenario(child)
    assert raised.value.file.endswith("parent.yaml") and raised.value.line == 3


def test_a_key_the_child_sets_is_named_in_the_child(tmp_path):
    (tmp_path / "parent.yaml").write_text(
        "extends: default\nshocks:\n  tax: {sigma: 0.1}\n", encoding="utf-8"
    )
    child = tmp_path / "child.yaml"
    child.write_text(
        "extends: parent.yaml\nmeta: {title: x}\nshocks:\n  distribution: bootstrap\n"
        "  history: {tax: [0.1, 0.2]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as raised:
        fiscal_sim.load_scenario(child)
    # The inherited line is what bootstrap cannot use: named where the parent set it.
    error = raised.value
    assert (error.key, error.line) == ("shocks.tax", 3) and error.file.endswith("parent.yaml")


@pytest.mark.parametrize(
    ("yaml_text", "key", "line", "message"),
    [
        ("  foo: 1\n", "shocks.foo", 3, "unknown key"),
        ("  tax: {sigma: .nan}\n", "shocks.tax.sigma", 3, "expected a finite number"),
        ("  tax:\n    sigma: .inf\n", "shocks.tax.sigma", 4, "expected a finite number"),
        (
            "  stress_tests:\n    drought: {level: {rain: -0.1}}\n",
            "shocks.stress_tests.drought.level.rain",
            4,
            "unknown line",
        ),
        (
            "  stress_tests:\n    drought:\n      start: 2031\n",
            "shocks.stress_tests.drought.start",
            5,
            "projection year (2019-2025)",
        ),
        (
            "  distribution: bootstrap\n  history:\n    tax: [0.1, .nan]\n",
            "shocks.history.tax.1",
            5,
            "finite",
        ),
    ],
)
def test_shocks_are_validated_when_the_scenario_loads(tmp_path, yaml_text, key, line, message):
    path = tmp_path / "county.yaml"
    path.write_text("extends: default\nshocks:\n" + yaml_text, encoding="utf-8")
    with pytest.raises(ScenarioError) as raised:
        fiscal_sim.load_scenario(path)
    error = raised.value
    assert (error.file, error.key, error.line) == (str(path.resolve()), key, line)
    assert message in error.message


@pytest.mark.parametrize("command", ["run", "check"])
def test_bad_shocks_stop_every_command_with_exit_2(fiscal_sim_cli, tmp_path, command):
    path = tmp_path / "bad.yaml"
    path.write_text("extends: default\nshocks:\n  tax: {sigma: .nan}\n", encoding="utf-8")
    result = fiscal_sim_cli(command, str(path))
    assert result.exit_code == 2, result.output
    zh, en = error_lines(result)  # one error, one line in each language
    where = f"{path.resolve()}:3: shocks.tax.sigma:"
    assert "\n" not in zh and "\n" not in en and where in zh and where in en


def test_stochastic_reads_no_yaml_file():
    """The loader keeps the lines: errors are named without reading the files again."""
    import fiscal_sim.stochastic as stochastic
    import fiscal_sim.stress_tests as stress_tests

    for module in (stochastic, stress_tests):
        source = Path(module.__file__).read_text(encoding="utf-8")
        assert "read_yaml" not in source and "yamlio" not in source, module.__name__


def test_the_engine_and_the_schema_agree_on_the_shock_lines():
    from fiscal_sim.engine.paths import SHOCK_LINES as ENGINE_LINES

    assert ENGINE_LINES == SHOCK_LINES
