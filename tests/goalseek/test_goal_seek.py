"""Goal-seek over the plan's rules, year by year (issue #18).

Hand-worked cases live in cases/*.yaml on overlays of the tiny county; the properties (at
the size found every selected rule holds, at 99 % of it the binding rule fails) are checked
with the rules' own findings for every lever on two scenarios.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

import fiscal_sim
from fiscal_sim.errors import FiscalSimError
from fiscal_sim.goalseek import goal_seek, lever, levers

HERE = Path(__file__).parent
CASES = sorted((HERE / "cases").glob("*.yaml"))
SHORT = HERE / "short-county.yaml"
# On the short county: 三保, advances and the cut mandate (cash timing and the debt ceiling,
# which bonds break, have cases of their own).
SHORT_RULES = [
    "wages_funded",
    "livelihood_funded",
    "operations_funded",
    "non_rigid_cut",
    "three_public_cut",
    "advance_cap",
    "legacy_cleared",
]
SCENARIOS = {"short": (SHORT, SHORT_RULES), "plan-followed": ("plan-followed", None)}


def _case(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", CASES, ids=[path.stem for path in CASES])
def test_hand_worked_case(path):
    case = _case(path)
    scenario = fiscal_sim.load_scenario(HERE / case["scenario"], case.get("overrides", []))
    found = goal_seek(scenario, case["lever"], rules=case["rules"])
    for item in case["expect"]:
        t = found.years.index(item["year"])
        if item["size"] is None:
            assert found.sizes[t] is None, item
        else:
            assert found.sizes[t] == pytest.approx(item["size"], abs=1e-7), item
        assert found.binding[t] == item["binding"], item
        if "money" in item:
            assert found.money[t] == pytest.approx(item["money"], abs=1e-5), item
        assert list(found.unreachable[t]) == item.get("unreachable", []), item
        assert list(found.conflict[t]) == item.get("conflict", []), item
        assert list(found.broken_by[t]) == item.get("broken_by", []), item
    for lang, text in case.get("messages", {}).items():
        assert text in found.to_text(lang)


def _failing(projection, rules, year: int) -> set[str]:
    """The rules failing in ``year`` by their own findings: a breach, or behind the plan's
    digestion line (the one check that can only warn and still counts for goal-seek)."""
    frame = fiscal_sim.check(projection, only=rules, years=year).to_frame()
    failing = (frame["severity"] == "breach") | (
        (frame["aspect"] == "on_track") & (frame["severity"] == "warning")
    )
    return set(frame.loc[failing, "rule"])


@pytest.fixture(scope="module")
def solutions():
    found = {}
    for name, (path, rules) in SCENARIOS.items():
        scenario = fiscal_sim.load_scenario(path)
        for lever_name in levers():
            found[name, lever_name] = (scenario, goal_seek(scenario, lever_name, rules=rules))
    return found


@pytest.mark.parametrize("scenario_name", list(SCENARIOS))
@pytest.mark.parametrize("lever_name", list(levers()))
def test_every_rule_holds_at_the_size_and_the_binding_one_fails_at_99_percent(
    solutions, scenario_name, lever_name
):
    scenario, found = solutions[scenario_name, lever_name]
    chosen = lever(lever_name)
    baseline = fiscal_sim.project(scenario)
    sizes = np.array([size or 0.0 for size in found.sizes])
    at = chosen.projections(scenario, baseline, sizes[None, :])[0]
    for t, year in enumerate(found.years):
        if found.sizes[t] is None:
            continue
        cannot = set(found.unreachable[t])
        assert not (_failing(at, found.rules, year) - cannot), year
        if found.sizes[t] > 0:
            below = sizes.copy()
            below[t] *= 0.99
            run = chosen.projections(scenario, baseline, below[None, :])[0]
            assert found.binding[t] in _failing(run, found.rules, year), year


def test_every_lever_binds_somewhere(solutions):
    """The property test above is not vacuous: each lever has a positive size somewhere.

    Bond issuance is the exception: bond proceeds fund key projects only (OPS.4.2.4), so no
    rule of these scenarios is cured by them (see test_bonds_cannot_cure_sanbao). On
    plan-followed the legacy stock alone breaks the advance cap until it is under it, and the
    short county lends nothing: the restraint of new advances binds on a county that lends
    more (test_advance_restraint_binds_where_new_advances_break_the_cap)."""
    for lever_name in levers():
        if lever_name in ("bond_issuance", "advance_restraint"):
            continue
        assert any(
            any((size or 0) > 0 for size in solutions[name, lever_name][1].sizes)
            for name in SCENARIOS
        ), lever_name


def test_advance_restraint_binds_where_new_advances_break_the_cap():
    """plan-followed lending 6,000 a year: in 2021 the legacy stock (3.6 % of spending) is
    under the 5 % cap, the new advances take the balance over it; lending 56.3 % less holds
    the cap. In 2019-2020 the legacy stock alone is over it: no restraint helps."""
    scenario = fiscal_sim.load_scenario("plan-followed", ["advances.new_issued=6000"])
    found = goal_seek(scenario, "advance_restraint", rules=["advance_cap"])
    t = found.years.index(2021)
    assert found.binding[t] == "advance_cap" and found.sizes[t] == pytest.approx(0.5629, abs=1e-4)
    assert found.unreachable[0] == found.unreachable[1] == ("advance_cap",)
    assert all(size == 0 for size in found.sizes[3:])


def test_bonds_cannot_cure_sanbao(solutions):
    """Borrowing may fund public-interest capital spending only (OPS.4.2.4; Budget Law art.
    35): the engine puts bond proceeds in key projects, so however much the short county
    borrows its 三保 shortfall stays and goal-seek says no size makes those rules hold."""
    scenario = fiscal_sim.load_scenario(SHORT)
    found = goal_seek(scenario, "bond_issuance")
    t = found.years.index(2020)
    assert {"livelihood_funded", "operations_funded"} <= set(found.unreachable[t])
    assert "no size of general bond issuance makes" in found.to_text("en")


@pytest.mark.parametrize("lever_name", ["transfers_requested", "discretionary_cut"])
def test_vector_and_scalar_searches_agree(lever_name):
    scenario = fiscal_sim.load_scenario(SHORT)
    vector = goal_seek(scenario, lever_name, rules=SHORT_RULES, strategy="vector")
    scalar = goal_seek(scenario, lever_name, rules=SHORT_RULES, strategy="scalar")
    np.testing.assert_allclose(vector.sizes, scalar.sizes, atol=1e-8)
    assert vector.binding == scalar.binding


def test_default_rules_come_from_the_registry():
    from fiscal_sim.rules import RULES

    found = goal_seek(fiscal_sim.load_scenario(SHORT), "transfers_requested")
    assert set(found.rules) <= set(RULES) and "advance_cap" in found.rules
    assert found.rules == tuple(rule for rule in RULES if rule in found.rules)


def test_bad_lever_or_rule():
    scenario = fiscal_sim.load_scenario(SHORT)
    with pytest.raises(FiscalSimError, match="unknown lever 'magic'; levers are: revenue"):
        goal_seek(scenario, "magic")
    with pytest.raises(FiscalSimError, match="unknown rule 'nope'"):
        goal_seek(scenario, "revenue_effort", rules=["nope"])


def test_tables_are_labelled(solutions):
    _, found = solutions["short", "transfers_requested"]
    tables = found.display("zh")
    assert tables["goal_seek"].index.name == "年份"
    assert list(tables["goal_seek"].index) == [str(year) for year in found.years]
    assert found.sizes[0] == pytest.approx(0.9667, abs=1e-4)
    assert tables["goal_seek"].iloc[0, 0] == "96.7%"  # one decimal, rounded up
    assert tables["margins"].index.name == "规则"
    frame = found.to_frame()
    assert list(frame["binding"])[:3] == ["advance_cap", "advance_cap", "legacy_cleared"]


@pytest.mark.parametrize(
    ("lever_name", "size", "shown"),
    [
        ("transfers_requested", 0.7, "70.0%"),  # at a shown step: as it is
        ("transfers_requested", 0.7 + 1e-12, "70.0%"),  # float noise is not rounded up
        ("transfers_requested", 0.70001, "70.1%"),  # over it: up, so that "at least" holds
        ("transfers_requested", 0.69951, "70.0%"),  # under it: up too, never 69.9%
        ("bond_issuance", 4500.0, "4,500 万元"),
        ("bond_issuance", 4500.2, "4,501 万元"),
        ("bond_issuance", 80.123, "80.13 万元"),  # under 100 万元: two decimals, never three
    ],
)
def test_sizes_follow_the_one_convention_rounded_up(solutions, lever_name, size, shown):
    """Issue #17 item 7: a share in percent with one decimal, money in 万元 without three
    decimals; rounded up, since the size is the smallest with which the rules hold."""
    import dataclasses

    _, found = solutions["short", "transfers_requested"]
    assert dataclasses.replace(found, lever=lever(lever_name)).size_text(size) == shown


@pytest.mark.parametrize(
    ("margin", "unit", "shown"),
    [
        (-0.0406, "fraction", "-4.1%"),
        (0.0023, "fraction", "+0.2%"),
        (13289.4, "wan_yuan", "+13,289"),
        (-80.0, "wan_yuan", "-80.00"),
        (1e-12, "wan_yuan", "+0"),
        (24.6, "persons", "+25"),
        (0.0, "months", "+0.00"),
        (np.inf, "", "-"),
    ],
)
def test_margins_follow_the_one_convention(margin, unit, shown):
    from fiscal_sim.goalseek.result import _margin_text

    assert _margin_text(margin, unit) == shown


def test_rules_out_of_reach_are_named_in_the_language(solutions):
    """Issue #17 item 8: the rules a lever cannot make hold by name, not by id."""
    from fiscal_sim.goalseek.result import _names

    assert _names(("advance_cap", "legacy_cleared"), "zh") == "暂付款控制比例、暂付款存量消化"
    assert _names(("advance_cap",), "en") == "advance cap"
    assert _names((), "zh") == "-"


# -- the command -----------------------------------------------------------------------------


def _cli():
    import click

    from fiscal_sim.cli.solve import COMMANDS

    return click.Group(commands={command.name: command for command in COMMANDS})


def test_cli_lever_names_are_the_table():
    from fiscal_sim.cli.solve import LEVER_NAMES

    assert tuple(levers()) == LEVER_NAMES


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_goal_seek_command(fmt):
    args = ["goal-seek", str(SHORT), "--lever", "transfers_requested", "--rules"]
    args += [",".join(SHORT_RULES), "--format", fmt, "--lang", "en"]
    result = CliRunner().invoke(_cli(), args)
    assert result.exit_code == 0, result.stderr
    assert "2019: general transfers requested of at least 96.7%" in result.stderr
    if fmt == "json":
        data = json.loads(result.stdout)
        assert data["meta"]["lever"] == "transfers_requested"
        assert data["goal_seek"][0]["binding"] == "advance_cap"
    else:
        assert result.stdout.startswith("# scenario: short")
    if fmt == "table":
        assert "binding rule" in result.stdout and "96.7%" in result.stdout


def test_goal_seek_command_bad_input():
    bad = CliRunner().invoke(_cli(), ["goal-seek", "--lever", "magic"])
    assert bad.exit_code == 2 and "unknown lever 'magic'" in bad.stderr
    bad = CliRunner().invoke(_cli(), ["goal-seek", "--lever", "revenue_effort", "--rules", "x"])
    assert bad.exit_code == 2 and "unknown rule 'x'" in bad.stderr
    help_text = CliRunner().invoke(_cli(), ["goal-seek", "--help"]).stdout
    assert "Example:" in help_text and "bond_issuance" in help_text
