"""``fiscal_sim.reforecast``: the projection restarted from the treasury's closed months.

Consistency (issue #16): the plan's own months fed back give the plan again, to 1e-6, in
every later month and year, whichever month the actuals stop at and whichever file carries
them. Expectations come from the engine, never from figures of the default county.
"""

from __future__ import annotations

import numpy as np
import pytest
from _actuals_files import set_cells, tiny

import fiscal_sim
from fiscal_sim.actuals.files import write_csv, write_workbook
from fiscal_sim.actuals.layout import KEYS
from fiscal_sim.actuals.plan import SPENT_TIERS, plan_lines
from fiscal_sim.actuals.reader import read_actuals
from fiscal_sim.engine.paths import REVENUE_PROFILES
from fiscal_sim.restart import restarted


def _same(again, plan, atol=1e-6):
    for book in ("annual", "tiers", "months"):
        for name, array in getattr(plan, book).items():
            np.testing.assert_allclose(
                getattr(again, book)[name], array, atol=atol, rtol=0, err_msg=f"{book}.{name}"
            )


@pytest.mark.parametrize("through", ["2020-01", "2020-06", "2020-11"])
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_the_plans_own_months_give_the_plan_again(tmp_path, through, suffix):
    scenario = fiscal_sim.load_scenario("plan-followed")
    plan = fiscal_sim.project(scenario)
    frame = plan.actuals(through=through)
    path = tmp_path / f"actuals{suffix}"
    if suffix == ".csv":
        write_csv(path, frame)
    else:
        write_workbook(path, 2020, scenario, frame)
    result = fiscal_sim.reforecast(scenario, path)
    _same(result.projection, plan)
    assert result.as_of == through and result.projection.extra["actuals"]["as_of"] == through
    # ... with the whole state restarted: the closed months' stocks, cover and payments.
    anchor, closed = result.projection.extra["anchor"], int(through[-2:])
    for key in ("cash", "wage_covered", "legacy_advances", "new_advances"):
        assert (
            np.isfinite(anchor[key][1, :closed]).all() and np.isnan(anchor[key][1, closed:]).all()
        )
    assert set(anchor["tier_payments"]) == {*SPENT_TIERS, "clearing"}


def test_a_reforecast_is_an_ordinary_projection(tmp_path):
    scenario = tiny()
    plan = fiscal_sim.project(scenario)
    result = fiscal_sim.reforecast(scenario, plan.actuals(through="2020-06"))
    findings = fiscal_sim.check(result.projection)
    assert len(findings) == len(fiscal_sim.check(plan))
    again = result.projection.actuals(through="2020-06")  # its own months, as actuals
    np.testing.assert_allclose(again[list(KEYS)], plan.actuals("2020-06")[list(KEYS)], atol=1e-9)


def test_every_draw_keeps_the_treasurys_closed_months():
    # Shocks move every draw's plan; the restart's deltas bring each draw's closed months
    # back to the actuals, so only the months after June carry the shock.
    scenario = tiny()
    actuals = fiscal_sim.project(scenario).actuals(through="2020-06")
    rng = np.random.default_rng(5)
    shocks = {line: rng.normal(0, 0.1, (4, 7)) for line in ("tax", "general_transfers")}
    for values in shocks.values():
        values[:, 0] = 0.0  # 2019 stays the plan's (as the Monte Carlo of a re-forecast does)
    shocked = fiscal_sim.project(scenario, shocks=shocks)
    from fiscal_sim.restart import _as_actuals

    projection = restarted(scenario, _as_actuals(actuals), shocked, shocks=shocks)
    lines = plan_lines(projection)
    for line in REVENUE_PROFILES:
        np.testing.assert_allclose(
            lines[line][:, 1, :6], np.broadcast_to(actuals[line].to_numpy(), (4, 6)), atol=1e-9
        )
    assert np.ptp(lines["tax"][:, 1, 6:], axis=0).min() > 0  # the months left do vary


def test_the_remaining_months_fan(tmp_path):
    scenario = tiny()
    actuals = fiscal_sim.project(scenario).actuals(through="2020-06")
    result = fiscal_sim.reforecast(scenario, actuals, draws=200, seed=3)
    fan = result.cash_fan
    # From the last actual month, one point (the treasury's June cash), to December.
    assert list(fan["month"]) == [f"2020-{m:02d}" for m in range(6, 13)]
    june = fan.iloc[0][["reforecast", "q05", "q25", "q50", "q75", "q95"]]
    np.testing.assert_allclose(june.to_numpy(float), actuals.loc["2020-06", "closing_cash"])
    assert (fan["q05"] <= fan["q50"]).all() and (fan["q50"] <= fan["q95"]).all()
    assert (fan["q95"] - fan["q05"]).iloc[1:].min() > 0
    assert result.ensemble.draws == 200
    repeat = fiscal_sim.reforecast(scenario, actuals, draws=200, seed=3)
    assert repeat.cash_fan.equals(fan)


def test_the_command_prints_the_review(tmp_path, fiscal_sim_cli):
    path = tmp_path / "actuals.xlsx"
    assert fiscal_sim_cli("actuals", "--through", "2020-06", "-o", path).exit_code == 0
    result = fiscal_sim_cli("reforecast", "--actuals", path)
    assert result.exit_code == 0, result.output
    for title in (
        "# 全年执行预计",
        "# 年末主要指标",
        "# 支出进度与时间进度",
        "# 违规或有风险的规则",
    ):
        assert title in result.stdout
    workbook = tmp_path / "review.xlsx"
    result = fiscal_sim_cli("reforecast", "--actuals", path, "-o", workbook, "--lang", "en")
    assert result.exit_code == 0 and workbook.exists()


def test_bad_actuals_exit_2_naming_the_cell(tmp_path, fiscal_sim_cli):
    path = tmp_path / "actuals.xlsx"
    fiscal_sim_cli("actuals", "--through", "2020-06", "-o", path)
    set_cells(path, {"C1": "taxes"})
    result = fiscal_sim_cli("reforecast", "--actuals", path)
    assert result.exit_code == 2
    assert (
        "actuals.xlsx!实际执行!C1: unknown column \"taxes\" (did you mean 'tax'?)" in result.stderr
    )
    assert "Traceback" not in result.output


def test_a_warning_is_printed_and_the_run_goes_on(tmp_path, fiscal_sim_cli):
    path = tmp_path / "actuals.xlsx"
    fiscal_sim_cli("actuals", "--through", "2020-06", "-o", path)
    frame = read_actuals(path).frame
    set_cells(path, {"C6": frame.loc["2020-03", "tax"] + 25})
    result = fiscal_sim_cli("reforecast", "--actuals", path)
    assert result.exit_code == 0
    assert "警告：" in result.stderr and "（2020-03）：库款等式不平" in result.stderr
    english = fiscal_sim_cli("reforecast", "--actuals", path, "--lang", "en")
    assert english.exit_code == 0
    assert "warning: " in english.stderr and "(2020-03): opening cash + receipts" in english.stderr


def test_actuals_of_a_year_outside_the_projection(tmp_path, fiscal_sim_cli):
    scenario = tiny()
    frame = fiscal_sim.project(scenario).actuals(through="2020-06")
    path = tmp_path / "actuals.csv"
    write_csv(path, frame.rename(index=lambda month: month.replace("2020", "2031")))
    result = fiscal_sim_cli("reforecast", "--actuals", path)
    assert (
        result.exit_code == 2 and "the actuals are of 2031, outside the projection" in result.stderr
    )


def test_the_monte_carlo_varies_the_remaining_months_only(monkeypatch):
    # Every draw of a re-forecast's Monte Carlo: each column of the closed months (the
    # actuals layout) is the treasury's, January to June; the months left vary. Land sales
    # and non-tax shocks move the lines the model does not follow (land acquisition, fund
    # spending) in the closed months too, unless the treasury's months are kept.
    import fiscal_sim.restart as restart

    scenario = fiscal_sim.load_scenario("plan-followed")
    actuals = fiscal_sim.project(scenario).actuals(through="2020-06").copy()
    actuals["tax"] -= 100.0
    actuals["closing_cash"] -= 100.0 * np.arange(1, 7)
    actuals["opening_cash"] -= 100.0 * np.arange(0, 6)
    draws = []

    def kept(*args, **kwargs):
        draws.append(restarted(*args, **kwargs))
        return draws[-1]

    monkeypatch.setattr(restart, "restarted", kept)
    fiscal_sim.reforecast(scenario, actuals, draws=100, seed=2)
    assert len(draws) == 2  # the re-forecast itself, then the 100 draws in one pass
    lines, treasury = plan_lines(draws[1]), actuals[list(KEYS)].to_numpy(float)
    closed = np.stack([lines[key][:, 1, :6] for key in KEYS], axis=-1)  # (draws, 6, keys)
    assert closed.shape[0] == 100
    np.testing.assert_allclose(closed, np.broadcast_to(treasury, closed.shape), atol=1e-9)
    for key in ("tax", "land_sales", "closing_cash", "other_payments", "non_rigid"):
        assert np.ptp(lines[key][:, 1, 6:], axis=0).max() > 1.0, key
    months = draws[1].months
    assert np.ptp(months["cash"][:, 1, :6], axis=0).max() == 0
    assert np.ptp(months["wage_covered"][:, 1, :6], axis=0).max() == 0
