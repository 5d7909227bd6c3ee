"""What a budget foresees (model.md §3a), on the engine's own output.

The scenario's measures are foreseen by the budgets of the years after
``policy.measures_decided``; deltas given to ``project()`` (a stress test, actuals) are not
foreseen in their year and are carried forward by the next budget.
"""

import numpy as np
import pytest

import fiscal_sim
from fiscal_sim.engine.measures import measure_deltas

REVENUE = ("tax", "nontax", "general_transfers")


def _expected(scenario_name, *overrides):
    scenario = fiscal_sim.load_scenario(scenario_name, overrides=list(overrides))
    return scenario, fiscal_sim.project(scenario).annual["budget_expected_resources"][0]


def test_measures_decided_in_2020_are_foreseen_from_2021_only():
    scenario, unforeseen = _expected("covid-2020", "policy.measures_decided=2020")
    _, foreseen = _expected("covid-2020", "policy.measures_decided=2018")
    deltas = measure_deltas(scenario)
    # The revenue the measures cost, per year (the relief: negative).
    relief = sum(np.asarray(deltas[line]).sum(axis=-1) for line in REVENUE if line in deltas)
    relief = np.broadcast_to(relief, unforeseen.shape)
    years = list(scenario.years)
    y2020 = years.index(2020)
    assert relief[y2020] < -100  # the measures do cost revenue in 2020
    # Decided in 2020: the 2020 budget expects the revenue without the relief ...
    assert foreseen[y2020] - unforeseen[y2020] == pytest.approx(relief[y2020])
    # ... and from 2021 both budgets foresee the same.
    assert foreseen[y2020 + 1 :] == pytest.approx(unforeseen[y2020 + 1 :])


@pytest.mark.parametrize("amount", [-100.0, 0.0, 250.0])
def test_a_delta_is_unforeseen_in_its_year_and_carried_forward_by_the_next_budget(
    tiny_county, amount
):
    scenario = tiny_county()
    deltas = {"tax": np.zeros((7, 12))}
    deltas["tax"][1] = amount / 12  # 2020 only
    projection = fiscal_sim.project(scenario, deltas=deltas)
    a = projection.annual
    # 2020: the budget expected 1,100; the surprise is the delta.
    assert a["budget_expected_resources"][0, 1] == pytest.approx(1100.0)
    assert a["revenue_vs_budget"][0, 1] == pytest.approx(amount)
    # 2021: the budget carries the 2020 outturn forward; the delta is gone, so 超收 is -amount.
    assert a["budget_expected_resources"][0, 2] == pytest.approx(1100.0 + amount)
    assert a["revenue_vs_budget"][0, 2] == pytest.approx(-amount)
