"""The views beyond the dashboard: charts, Monte Carlo, reverse stress, goal-seek, compare."""

from __future__ import annotations

from _workbench import set_lever, shown_hash, texts

import fiscal_sim
from fiscal_sim.display import format_indicator
from fiscal_sim.labels import label


def _images(app) -> int:
    return sum(1 for element in app.main if getattr(element, "type", "") == "image")


def test_charts_are_drawn_for_each_name(app):
    app.radio(key="view").set_value("charts").run()
    for name in ("resources", "waterfall", "advances", "cash", "debt"):
        app.selectbox(key="chart").set_value(name).run()
        assert not app.exception
        assert _images(app) == 1


def test_monte_carlo_runs_with_the_chosen_draws_and_seed(app):
    app.radio(key="view").set_value("uncertainty").run()
    app.number_input(key="mc_draws").set_value(300).run()
    app.number_input(key="mc_seed").set_value(7).run()
    app.button(key="mc_run").click().run()
    assert not app.exception
    ensemble = fiscal_sim.simulate(fiscal_sim.load_scenario("plan-followed"), draws=300, seed=7)
    assert ensemble.headline("zh") in texts(app)
    shown = app.dataframe[0].value.set_index("rule")
    expected = ensemble.breach_probabilities()
    assert float(shown.loc["debt_ratio", "any_year"]) == float(
        expected.loc["debt_ratio", "any_year"]
    )
    assert _images(app) == 2  # the heat map and a fan chart
    assert app.number_input(key="mc_draws").max == 20_000  # bounded


def test_monte_carlo_of_an_older_what_if_is_not_shown_as_current(app):
    app.radio(key="view").set_value("uncertainty").run()
    app.number_input(key="mc_draws").set_value(100).run()
    app.button(key="mc_run").click().run()
    set_lever(app, "people", "people.staff", 4900.0)
    assert any("请重新运行" in item.value for item in app.info)


def test_reverse_stress_and_goal_seek_of_the_current_what_if(app):
    set_lever(app, "transfers", "revenue.general_transfers", 60000.0)
    scenario = fiscal_sim.load_scenario("plan-followed", ["revenue.general_transfers=60000"])
    app.radio(key="view").set_value("uncertainty").run()
    app.selectbox(key="goal_lever").set_value("transfers_requested").run()
    app.button(key="goal_run").click().run()
    assert not app.exception
    found = fiscal_sim.goal_seek(scenario, "transfers_requested")
    assert found.to_text("zh").strip() in texts(app)
    app.selectbox(key="reverse_kind").set_value("transfer_delay").run()
    app.radio(key="solve_target").set_value("sanbao").run()
    app.button(key="reverse_run").click().run()
    found = fiscal_sim.reverse_stress(scenario, "transfer_delay", target="sanbao")
    assert found.to_text("zh").strip() in texts(app)


def test_several_what_ifs_side_by_side(app):
    app.radio(key="view").set_value("compare").run()
    app.text_input(key="kept_name").input("原方案").run()
    app.button(key="keep").click().run()
    set_lever(app, "people", "people.staff", 4500.0)
    app.text_input(key="kept_name").input("精简人员").run()
    app.button(key="keep").click().run()
    table = app.table[0].value
    plain = fiscal_sim.project(fiscal_sim.load_scenario("plan-followed")).indicators()
    fewer = fiscal_sim.load_scenario("plan-followed", ["people.staff=4500"])
    assert shown_hash(app) == fewer.hash
    row = label("headcount", "zh")
    first = next(column for column in table.columns if column.startswith("原方案 ["))
    assert table.loc[row, first] == format_indicator("headcount", plain.loc[2020, "headcount"])
    second = next(column for column in table.columns if column.startswith("精简人员 ["))
    fewer_2020 = fiscal_sim.project(fewer).indicators().loc[2020, "headcount"]
    assert table.loc[row, second] == format_indicator("headcount", fewer_2020)
    assert table.loc[row, "精简人员 − 原方案"].startswith("-")
    app.radio(key="view").set_value("dashboard").run()
    assert any("精简人员" in option for option in app.selectbox(key="baseline").options)
