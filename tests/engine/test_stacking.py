"""Scenarios stacked on the draw axis (fiscal_sim.stack) equal each scenario projected alone.

The property (issue #14): random perturbations of the default county (and of covid-2020, whose
measures become deltas member by member) are stacked, projected in one engine call and split;
every annual, tier and monthly array, the monthly needs, the base figures and the findings of
each member are those of the member projected alone, bit for bit (``np.array_equal``). Then
what a stack refuses, each naming the member and the key.
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fiscal_sim
from fiscal_sim.errors import FiscalSimError, ScenarioError
from fiscal_sim.params.schema import spec_for
from fiscal_sim.perturb import with_values
from fiscal_sim.rules import breach_matrix

# Years that steer the year loop and the rules, moved within the horizon (2019-2025).
YEAR_PATHS = ("arrears.clear_year", "policy.measures_decided", "rules.legacy_deadline_year")
CASH_LEVELS = tuple(f"rules.cash_{name}_level" for name in ("alarm", "low", "idle"))


@functools.cache
def base(name: str):
    return fiscal_sim.load_scenario(name)


@functools.cache
def numeric_paths() -> tuple[str, ...]:
    """The numbers a perturbation may scale: every scalar, yearly and profile parameter that
    is money, people, a share or a rate (years and the rules' thresholds are drawn apart)."""
    return tuple(
        param.path
        for param in base("default").params()
        if param.kind in ("scalar", "yearly", "profile")
        and not param.path.startswith(("horizon.", "rules."))
        and param.unit not in ("year", "month", "months")
        and param.path not in YEAR_PATHS
    )


def scaled(param, factor: float, roll: int):
    """``param``'s value scaled by ``factor`` within its bounds (a profile is rolled)."""
    value = np.asarray(param.value, dtype=float)
    if param.kind == "profile":
        return np.roll(value, roll)
    spec = spec_for(param.path)
    value = np.clip(value * factor, spec.minimum, spec.upper)
    if spec.integer:
        value = np.round(value)
    return float(value) if param.kind == "scalar" else value


@st.composite
def member(draw):
    """A perturbed default county or covid-2020: a few parameters scaled, years moved."""
    scenario = base(draw(st.sampled_from(["default", "covid-2020"])))
    changes = {}
    for path in draw(st.lists(st.sampled_from(numeric_paths()), max_size=8, unique=True)):
        factor = draw(st.floats(0.6, 1.4))
        changes[path] = scaled(scenario.param(path), factor, draw(st.integers(1, 11)))
    for path in draw(st.lists(st.sampled_from(YEAR_PATHS), max_size=2, unique=True)):
        changes[path] = draw(st.integers(2019, 2025))
    if draw(st.booleans()):
        levels = sorted(draw(st.lists(st.floats(0.1, 2.0), min_size=3, max_size=3)))
        changes.update(zip(CASH_LEVELS, levels, strict=True))
    return with_values(scenario, changes) if changes else scenario


def arrays_of(projection) -> dict:
    """Every array of a projection, by group and name: what must be equal bit for bit."""
    out = {}
    for group in ("annual", "tiers", "months"):
        out.update({(group, name): a for name, a in getattr(projection, group).items()})
    out.update({("need", name): a for name, a in projection.extra["monthly_need"].items()})
    out.update({("breach", rule): a for rule, a in breach_matrix(projection).items()})
    return out


def assert_same(stacked_member, alone) -> None:
    mine, theirs = arrays_of(stacked_member), arrays_of(alone)
    assert mine.keys() == theirs.keys()
    for key, expected in theirs.items():
        got = mine[key]
        assert got.shape == expected.shape, key
        assert np.array_equal(got, expected), key
    assert stacked_member.base == alone.base
    found, expected = fiscal_sim.check(stacked_member), fiscal_sim.check(alone)
    assert found.to_frame().equals(expected.to_frame())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(member(), min_size=1, max_size=4))
def test_a_stack_split_equals_each_member_projected_alone(members):
    alone = []
    for scenario in members:
        try:
            alone.append(fiscal_sim.project(scenario))
        except ScenarioError:  # a combination with no finite projection: the stack refuses it
            with pytest.raises(ScenarioError):
                fiscal_sim.project(fiscal_sim.stack(members))
            return
    projection = fiscal_sim.project(fiscal_sim.stack(members))
    assert projection.draws == len(members)
    parts = projection.split()
    assert [part.scenario for part in parts] == members
    for part, expected in zip(parts, alone, strict=True):
        assert_same(part, expected)


def test_a_stack_of_two_counties_in_figures():
    # 10 % more staff in the second county: its headcount, and only its, is 10 % higher.
    default = base("default")
    bigger = dataclasses.replace(with_values(default, {"people.staff": 5500}), name="bigger")
    projection = fiscal_sim.project(fiscal_sim.stack([default, bigger]))
    headcount = projection.annual["headcount"][:, 0]
    assert headcount.tolist() == pytest.approx([4975.0, 5472.5])
    assert projection[1].annual["headcount"][0, 0] == pytest.approx(5472.5)
    assert projection["default"].scenario is default
    assert projection["bigger"].scenario is bigger
    assert np.array_equal(projection[-1].months["cash"], fiscal_sim.project(bigger).months["cash"])


def test_only_the_parameters_that_differ_carry_the_draw_axis():
    default = base("default")
    stacked = fiscal_sim.stack([default, with_values(default, {"revenue.tax": 30000.0})])
    assert stacked.stacked_paths == {"revenue.tax"}
    assert stacked.value("revenue.tax").tolist() == [default.value("revenue.tax"), 30000.0]
    assert stacked.value("revenue.nontax") == default.value("revenue.nontax")
    assert fiscal_sim.stack([default]).stacked_paths == frozenset()


def test_indexing_by_name_needs_one_member_of_that_name():
    default = base("default")
    projection = fiscal_sim.project(fiscal_sim.stack([default, default]))
    with pytest.raises(KeyError, match="2 stacked scenario"):
        projection["default"]
    with pytest.raises(KeyError, match="no stacked scenario"):
        projection["nowhere"]
    assert fiscal_sim.project(default).split()[0].scenario is default


def refused(members, *names):
    with pytest.raises(ScenarioError) as caught:
        fiscal_sim.stack(members)
    for name in names:
        assert name in str(caught.value)
    return caught.value


def test_a_stack_refuses_another_horizon(tmp_path):
    path = tmp_path / "longer.yaml"
    path.write_text(
        "extends: default\nmeta: {name: longer}\n"
        "horizon: {end_year: {value: 2026, unit: year, source: assumption}}\n",
        encoding="utf-8",
    )
    longer = fiscal_sim.load_scenario(path)
    error = refused([base("default"), longer], "scenario 1 (longer)", "2026", "2025")
    assert error.key == "horizon.end_year" and error.file == str(path)


def test_a_stack_refuses_other_words():
    other = with_values(base("default"), {"policy.gap_financing": "advances"})
    error = refused([base("default"), other], "scenario 1", "'advances'", "'fund'")
    assert error.key == "policy.gap_financing"


def test_a_stack_refuses_other_programme_rows():
    default = base("default")
    params = {
        path: param
        for path, param in default._params.items()
        if not path.startswith("livelihood.programmes.orphans.")
    }
    fewer = dataclasses.replace(default, _params=params, name="fewer")
    error = refused([default, fewer], "scenario 1 (fewer)", "programme rows")
    assert error.key.startswith("livelihood.programmes.orphans.")


@pytest.mark.parametrize(
    "given",
    [
        {"shocks": {"tax": np.zeros((2, 7))}},
        {"deltas": {"tax": np.zeros((7, 12))}},
        {"draws": 2},
        {"anchor": {"cash": np.full((7, 12), np.nan)}},
    ],
    ids=["shocks", "deltas", "draws", "anchor"],
)
def test_a_stack_is_projected_as_it_is(given):
    stacked = fiscal_sim.stack([base("default"), base("covid-2020")])
    with pytest.raises(FiscalSimError, match="a stack of 2 scenarios is projected as it is"):
        fiscal_sim.project(stacked, **given)


def test_a_stack_takes_scenarios():
    with pytest.raises(FiscalSimError, match="at least one"):
        fiscal_sim.stack([])
    stacked = fiscal_sim.stack([base("default")])
    with pytest.raises(FiscalSimError, match="item 0 is Stacked"):
        fiscal_sim.stack([stacked])


def test_a_member_without_a_finite_projection_gives_its_own_error():
    zeros = [
        "revenue.tax",
        "revenue.nontax",
        "revenue.rebates",
        "revenue.general_transfers",
        "revenue.earmarked_transfers",
        "fund.land_sales",
        "fund.other_revenue",
    ]
    broke = with_values(base("default"), dict.fromkeys(zeros, 0.0))
    with pytest.raises(ScenarioError) as alone:
        fiscal_sim.project(broke)
    with pytest.raises(ScenarioError) as stacked:
        fiscal_sim.project(fiscal_sim.stack([base("default"), broke]))
    assert str(stacked.value) == str(alone.value)
    assert "not a finite number" in str(stacked.value)
