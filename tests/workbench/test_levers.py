"""The levers are data: each names a parameter; a parameter the scenario lacks is skipped."""

from __future__ import annotations

import numpy as np

import fiscal_sim
from fiscal_sim.app.levers import Lever, lever_groups, measure_levers
from fiscal_sim.app.whatif import Base, WhatIf, load_whatif
from fiscal_sim.scenario import Param


class _Adjusted:
    """A scenario that lacks some parameters, or has more (as another fiscal_sim's would)."""

    def __init__(self, scenario, missing=(), more=()):
        self._scenario, self._missing = scenario, set(missing)
        self._more = {param.path: param for param in more}

    def param(self, path):
        if path in self._more:
            return self._more[path]
        if path in self._missing:
            raise KeyError(path)
        return self._scenario.param(path)


def test_a_lever_whose_parameter_is_missing_is_left_out():
    scenario = fiscal_sim.load_scenario("plan-followed")
    every = {lever.path for group in lever_groups(scenario) for lever in group.levers}
    assert {"revenue.general_transfers", "people.staff", "advances.new_issued"} <= every
    bonds = ["debt.general.new_issue", "debt.special.new_issue"]
    without = _Adjusted(scenario, missing=[*bonds, "policy.reserve_share"])
    assert [group.id for group in lever_groups(without)] == [
        "revenue",
        "transfers",
        "people",
        "advances",
        "cuts",
    ]
    reserve = Param("policy.reserve_share", 0.02, "fraction", "预备费比例", "reserve", "x")
    with_reserve = lever_groups(_Adjusted(scenario, more=[reserve]))
    assert [lever.path for lever in with_reserve[-1].levers] == ["policy.reserve_share"]


def test_a_year_lever_changes_one_year_and_a_growth_lever_the_years_after(tmp_path):
    scenario = fiscal_sim.load_scenario("plan-followed")
    shock = Lever("revenue.tax_level_shock", "year", 1.0)
    growth = Lever("pay.growth", "from_year", 0.5)
    assert shock.shown(scenario, 2020) == -8.0 and shock.typed(scenario, -12.0) == -0.12
    shocked = shock.changed(scenario, scenario.value("revenue.tax_level_shock"), 2021, -0.05)
    assert shocked == (0.0, -0.08, -0.05, 0.0, 0.0, 0.0, 0.0)
    raised = growth.changed(scenario, scenario.value("pay.growth"), 2022, 0.06)
    assert raised == (0.04, 0.04, 0.04, 0.06, 0.06, 0.06, 0.06)
    whatif = WhatIf(Base("plan-followed"), {"pay.growth": raised})
    loaded = load_whatif(whatif, scenario, tmp_path)
    assert np.allclose(loaded.value("pay.growth"), raised)
    assert loaded.param("pay.growth").source == "what-if (fiscal-sim app)"


def test_every_measure_of_the_catalogue_is_a_lever_with_its_number_quantities():
    from fiscal_sim.params.measures import CATALOGUE

    levers = {lever.id: lever for lever in measure_levers()}
    assert set(levers) == set(CATALOGUE)
    assert [q.name for q in levers["hiring_bonus"].quantities] == [
        "persons_6m",
        "persons_12m",
        "county_share",
    ]
