"""The workbench page under Streamlit's AppTest: levers, uploads, views, language.

A lever moved on the page must change the indicator it shows by exactly what the engine gives
for the same change made on the command line (``--set``), with the same scenario hash.
"""

from __future__ import annotations

import pytest
from _workbench import lever_key, metric, set_lever, shown_hash, texts

import fiscal_sim
from fiscal_sim.app.words import format_difference
from fiscal_sim.display import format_indicator
from fiscal_sim.labels import label

YEAR = 2020


def _engine(overrides=(), name="plan-followed"):
    scenario = fiscal_sim.load_scenario(name, overrides=list(overrides))
    return scenario, fiscal_sim.project(scenario).indicators().loc[YEAR]


def _expected(indicator: str, overrides, lang="zh"):
    """The metric ``(value, delta)`` the page must show for ``overrides``, from the engine."""
    _, before = _engine()
    _scenario, after = _engine(overrides)
    value = float(after[indicator])
    difference = value - float(before[indicator])
    return (format_indicator(indicator, value), format_difference(indicator, difference, lang))


def test_the_page_opens_on_plan_followed_in_chinese(app):
    scenario = fiscal_sim.load_scenario("plan-followed")
    assert shown_hash(app) == scenario.hash
    assert app.title[0].value == "保基层运转 财政模拟工作台"
    value, delta = metric(app, label("advance_ratio", "zh"))
    assert value == format_indicator("advance_ratio", _engine()[1]["advance_ratio"])
    assert delta == "0"
    rules = app.table[0].value
    assert "OPS.4.3.2" in set(rules["条款"]) and rules["状态"].str.contains("违规|预警|通过").all()


def test_a_transfer_cut_moves_the_indicators_by_the_engines_numbers(app):
    set_lever(app, "transfers", "revenue.general_transfers", 68000.0)
    overrides = ["revenue.general_transfers=68000"]
    for indicator in ("gpb_expenditure", "stabilization_fund", "debt_ratio", "self_sufficiency"):
        assert metric(app, label(indicator, "zh")) == _expected(indicator, overrides)
    assert shown_hash(app) == fiscal_sim.load_scenario("plan-followed", overrides).hash
    assert metric(app, label("gpb_expenditure", "zh"))[1].startswith("-")


def test_a_one_year_tax_shock_changes_that_year_only(app):
    set_lever(app, "revenue", "revenue.tax_level_shock", -20.0, year=YEAR)
    shock = "{2019: 0.0, 2020: -0.2, 2021: 0.0}"
    overrides = [f"revenue.tax_level_shock={shock}"]
    assert metric(app, label("own_revenue", "zh")) == _expected("own_revenue", overrides)
    assert shown_hash(app) == fiscal_sim.load_scenario("plan-followed", overrides).hash
    app.selectbox(key="year").set_value(2022).run()
    own = metric(app, label("own_revenue", "zh"))
    assert own[1] == "0"  # the 2020 shock is a level deviation of 2020 alone


def test_a_growth_lever_applies_from_the_chosen_year_on(app):
    app.selectbox(key="year").set_value(2021).run()
    set_lever(app, "people", "pay.growth", 10.0, year=2021)
    growth = "{2019: 0.04, 2020: 0.04, 2021: 0.1}"
    scenario = fiscal_sim.load_scenario("plan-followed", [f"pay.growth={growth}"])
    assert shown_hash(app) == scenario.hash
    assert list(scenario.value("pay.growth")) == [0.04, 0.04, 0.1, 0.1, 0.1, 0.1, 0.1]


def test_typing_the_scenario_value_back_undoes_the_change(app):
    set_lever(app, "people", "people.staff", 4800.0)
    assert shown_hash(app) != fiscal_sim.load_scenario("plan-followed").hash
    app.number_input(key=lever_key("people.staff")).set_value(5000.0).run()
    assert shown_hash(app) == fiscal_sim.load_scenario("plan-followed").hash
    assert not app.session_state["whatifs"]["bundled/plan-followed"].changed


def test_switching_a_measure_off_drops_its_relief(app, tmp_path):
    app.radio(key="lever_group").set_value("measures").run()
    app.selectbox(key="measure").set_value("vat_small_scale").run()
    app.checkbox(key="lever:bundled/plan-followed:measure:vat_small_scale:").uncheck().run()
    assert not app.exception
    overlay = tmp_path / "no-vat-relief.yaml"
    overlay.write_text("extends: plan-followed\nmeasures:\n  vat_small_scale: null\n")
    scenario = fiscal_sim.load_scenario(overlay)
    assert shown_hash(app) == scenario.hash
    _, before = _engine()
    after = fiscal_sim.project(scenario).indicators().loc[YEAR, "own_revenue"]
    value, delta = metric(app, label("own_revenue", "zh"))
    assert value == format_indicator("own_revenue", after)
    assert delta == format_difference("own_revenue", after - before["own_revenue"], "zh")
    assert delta.startswith("+")  # the VAT relief is revenue forgone: without it, more revenue


def test_a_measure_quantity_is_a_lever(app):
    app.radio(key="lever_group").set_value("measures").run()
    app.selectbox(key="measure").set_value("hiring_bonus").run()
    key = "lever:bundled/plan-followed:measure:hiring_bonus:persons_12m"
    app.number_input(key=key).set_value(1000.0).run()
    whatif = app.session_state["whatifs"]["bundled/plan-followed"]
    assert whatif.measures == {"hiring_bonus": {"persons_12m": 1000.0}}


def test_the_english_switch(app):
    app.radio(key="lang").set_value("en").run()
    assert app.title[0].value == "Fiscal what-if workbench (保基层运转)"
    assert metric(app, label("advance_ratio", "en"))[0].endswith("%")
    assert "status" in app.table[0].value.columns


@pytest.mark.parametrize("view", ["charts", "uncertainty", "compare", "downloads"])
def test_every_view_opens_with_the_hash_and_version(app, view):
    app.radio(key="view").set_value(view).run()
    assert not app.exception
    line = next(text for text in texts(app) if "fiscal_sim 0." in text)
    assert fiscal_sim.load_scenario("plan-followed").hash in line
