"""The six-guarantee measures: worked cases by hand, validation of `measures:`, properties."""

from __future__ import annotations

import ast
import dataclasses
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
import yaml
from _errors import error_lines
from hypothesis import given, settings
from hypothesis import strategies as st

import fiscal_sim
from fiscal_sim.engine import DELTA_LINES, TIERS
from fiscal_sim.engine.measures import (
    MEASURE_FUNCTIONS,
    TABLE_COLUMNS,
    Context,
    measure_deltas,
    schedules,
)
from fiscal_sim.errors import ScenarioError
from fiscal_sim.params.measures import CATALOGUE, FIGURE_UNITS
from fiscal_sim.params.schema import UNITS
from fiscal_sim.results import measure_table

CENT_IN_WAN = 1e-6  # 0.01 yuan in 万元


def overlay(tmp_path: Path, measures, name: str = "case", extends: str = "default") -> Path:
    """Write a scenario overlay holding only ``measures`` and return its path."""
    path = tmp_path / f"{name}.yaml"
    path.write_text(
        yaml.safe_dump({"extends": extends, "measures": measures}, allow_unicode=True),
        encoding="utf-8",
    )
    return path


def leaves(measure_id: str, **values) -> dict:
    """Quantities as full leaves with their catalogue unit and an 'assumption' source."""
    measure = CATALOGUE[measure_id]
    return {
        name: {"value": value, "unit": measure.quantity(name).unit, "source": "assumption"}
        for name, value in values.items()
    }


def load_with(tmp_path, measure_id: str, **values):
    return fiscal_sim.load_scenario(overlay(tmp_path, {measure_id: leaves(measure_id, **values)}))


def by_year(scenario) -> dict[int, float]:
    table = measure_table(scenario)
    return dict(zip(table["year"], table["amount_wan"], strict=True))


# -- worked cases, computed by hand (万元 = 10,000 yuan) ------------------------------------------
# Each: measure, quantities, expected amount by year (万元; revenue forgone negative), and some
# expected months {(year, month): 万元}. Default county: standards grow 5 % a year, so a 2020
# standard is the 2018 one × 1.05² = × 1.1025.

WORKED_CASES = [
    pytest.param(
        "vat_small_scale",
        {"taxable_sales": 60000, "county_share": 0.3},
        # 60,000 / 12 × (3 % − 1 %) × 0.3 = 30 a month, March-December: 10 × 30 = 300
        {2020: -300.0},
        {(2020, 2): 0.0, (2020, 3): -30.0, (2020, 12): -30.0},
        id="vat_small_scale",
    ),
    pytest.param(
        "sector_property_tax_relief",
        {"yearly_tax": 400, "county_share": 0.8},
        # 400 / 12 × 0.8 = 26.666… a month, three months (Feb-Apr): 80
        {2020: -80.0},
        {(2020, 1): 0.0, (2020, 2): -80.0 / 3, (2020, 5): 0.0},
        id="sector_property_tax_relief",
    ),
    pytest.param(
        "rent_waiver_property_tax_relief",
        {"yearly_tax": 200, "months": 1.5, "county_share": 0.8},
        # 200 / 12 × 0.8 × 1.5 months = 20: February in full, half of March
        {2020: -20.0},
        {(2020, 2): -200 / 12 * 0.8, (2020, 3): -200 / 12 * 0.8 / 2},
        id="rent_waiver_property_tax_relief",
    ),
    pytest.param(
        "state_rent_waiver",
        {"yearly_rent": 600, "county_share": 1.0},
        # 600 / 12 × 1.0 × 3 months = 150
        {2020: -150.0},
        {(2020, 4): -50.0, (2020, 5): 0.0},
        id="state_rent_waiver",
    ),
    pytest.param(
        "small_firm_income_tax_deferral",
        {"yearly_tax": 1500, "county_share": 0.2},
        # 1,500 / 12 × 0.2 = 25 a month deferred May-December (8 months): −200 in 2020,
        # all paid in January 2021: +200
        {2020: -200.0, 2021: 200.0, 2022: 0.0},
        {(2020, 4): 0.0, (2020, 5): -25.0, (2021, 1): 200.0, (2021, 2): 0.0},
        id="small_firm_income_tax_deferral",
    ),
    pytest.param(
        "hiring_bonus",
        {"persons_6m": 200, "persons_12m": 100, "county_share": 0.5},
        # 200 hires × 1,000 yuan × 0.5 = 100,000 yuan = 10 万元, hires even over 2020, each paid
        # six months later (July 2020-June 2021): 5 in 2020, 5 in 2021;
        # 100 × 2,000 × 0.5 = 10 万元 paid twelve months after hiring: all in 2021
        {2020: 5.0, 2021: 15.0},
        {(2020, 6): 0.0, (2020, 7): 10.0 / 12, (2021, 1): 10.0 / 12 + 10.0 / 12},
        id="hiring_bonus",
    ),
    pytest.param(
        "hiring_poor_bonus",
        {"persons_6m": 150, "persons_12m": 250, "county_share": 0.5},
        # 150 × 3,000 × 0.5 = 22.5 万元, hires March-June, paid September-December 2020;
        # 250 × 5,000 × 0.5 = 62.5 万元, paid March-June 2021
        {2020: 22.5, 2021: 62.5},
        {(2020, 9): 22.5 / 4, (2021, 3): 62.5 / 4},
        id="hiring_poor_bonus",
    ),
    pytest.param(
        "labour_transfer",
        {
            "persons_in_province": 1800,
            "persons_out_of_province": 1200,
            "persons_3m": 2400,
            "persons_6m": 1800,
            "persons_agency": 500,
            "county_share": 0.3,
        },
        # transport 1,800 × 300 + 1,200 × 600 = 1,260,000 yuan (March-May);
        # 2,400 × (1,800 + 1,500) = 7,920,000 (June-August);
        # 1,800 × 2,400 + 500 × 200 = 4,420,000 (September-November);
        # total 13,600,000 yuan × 0.3 = 4,080,000 yuan = 408 万元
        {2020: 408.0, 2021: 0.0},
        {(2020, 3): 126 * 0.3 / 3, (2020, 6): 792 * 0.3 / 3, (2020, 9): 442 * 0.3 / 3},
        id="labour_transfer",
    ),
    pytest.param(
        "public_welfare_jobs",
        {"monthly_pay": 500, "months_regular": 10, "months_temporary": 4, "county_share": 0.3},
        # (164 regular jobs × 10 months + 136 temporary × 4) = 2,184 job-months
        # × 500 yuan × 0.3 = 327,600 yuan = 32.76 万元
        {2020: 32.76},
        {(2020, 3): 300 * 500 * 0.3 / 1e4, (2020, 7): 164 * 500 * 0.3 / 1e4},
        id="public_welfare_jobs",
    ),
    pytest.param(
        "startup_grant",
        {"persons": 100, "county_share": 0.5},
        # 100 × 5,000 yuan × 0.5 = 250,000 yuan = 25 万元, September-December
        {2020: 25.0},
        {(2020, 8): 0.0, (2020, 9): 6.25},
        id="startup_grant",
    ),
    pytest.param(
        "training_subsidy",
        {"persons_3m": 200, "persons_6m": 300, "county_share": 0.5},
        # 200 × 1,000 × 0.5 = 10 万元 (placements March-August, paid June-November);
        # 300 × 2,000 × 0.5 = 30 万元 paid September 2020-February 2021: 20 in 2020, 10 in 2021
        {2020: 30.0, 2021: 10.0},
        {(2020, 6): 10.0 / 6, (2021, 2): 5.0},
        id="training_subsidy",
    ),
    pytest.param(
        "assistance_standards_raise",
        {"months": 6},
        # 低保 9,000 × 420 yuan × 0.25 + 特困 900 × 700 × 0.25 = 1,102,500 yuan a month;
        # × 10 % × 1.1025 (2020 standards) = 121,550.625 yuan; × 6 months = 729,303.75 yuan
        # = 72.930375 万元 in 2020; 2021: 110,250 × 1.05³ = 127,628.15625 yuan × 12 = 1,531,537.875
        {2019: 0.0, 2020: 72.930375, 2021: 153.1537875},
        {(2020, 6): 0.0, (2020, 7): 12.1550625},
        id="assistance_standards_raise",
    ),
    pytest.param(
        "price_subsidy_doubling",
        {"added_recipients": 200},
        # (9,900 recipients × (2 − 1) + 200 added × 2) × 30 yuan × 1.1025 × 0.5
        # = 10,300 × 30 × 1.1025 × 0.5 = 170,336.25 yuan a month, March-June: 681,345 yuan
        # = 68.1345 万元
        {2020: 68.1345, 2021: 0.0},
        {(2020, 2): 0.0, (2020, 3): 17.033625, (2020, 7): 0.0},
        id="price_subsidy_doubling",
    ),
    pytest.param(
        "sme_arrears",
        {},
        # the default county's arrears: 1,200 in small items + 1,800 others, all in 2020
        {2020: 3000.0, 2021: 0.0},
        {(2020, 1): 200.0, (2020, 7): 450.0, (2020, 11): 0.0},
        id="sme_arrears",
    ),
]


@pytest.mark.parametrize(("measure_id", "quantities", "years", "months"), WORKED_CASES)
def test_worked_case(tmp_path, measure_id, quantities, years, months):
    scenario = load_with(tmp_path, measure_id, **quantities)
    got = by_year(scenario)
    for year, expected in years.items():
        assert got[year] == pytest.approx(expected, abs=CENT_IN_WAN / 2), year
    [(_, schedule)] = schedules(scenario)
    for (year, month), expected in months.items():
        assert schedule.get((year, month), 0.0) == pytest.approx(expected, abs=CENT_IN_WAN / 2)


def test_worked_cases_cover_the_catalogue():
    assert {case.values[0] for case in WORKED_CASES} == set(CATALOGUE)


def test_the_default_arrears_schedule_meets_the_plan_deadlines():
    """MKT.4.3.9: items under 5 million yuan paid by end of June, the rest by end of October."""
    figures = {k: f.value for k, f in CATALOGUE["sme_arrears"].figures.items()}
    scenario = fiscal_sim.load_scenario()
    small = np.asarray(scenario.value("arrears.small_profile"))
    other = np.asarray(scenario.value("arrears.other_profile"))
    assert small[figures["small_deadline"] :].sum() == 0
    assert other[figures["other_deadline"] :].sum() == 0


# -- the measures in the projection -----------------------------------------------------------


def test_measures_enter_the_projection_month_by_month():
    scenario = fiscal_sim.load_scenario("covid-2020")
    bare = dataclasses.replace(scenario, extra={})
    with_measures, without = fiscal_sim.project(scenario), fiscal_sim.project(bare)
    deltas = measure_deltas(scenario)
    for line in ("tax", "nontax"):
        np.testing.assert_allclose(
            with_measures.annual[line][0] - without.annual[line][0],
            deltas[line].sum(axis=1),
            atol=1e-9,
        )
    for tier in ("livelihood", "key_projects"):
        index = TIERS.index(tier)
        planned = {}
        for name, run in (("with", with_measures), ("without", without)):
            # Key projects also carry the room the budget had at adoption (以收定支): take it out.
            foreseen = run.annual["budget_room"][0] if tier == "key_projects" else 0.0
            planned[name] = run.tiers["need"][0, :, index] - foreseen
        np.testing.assert_allclose(
            planned["with"] - planned["without"], deltas[tier].sum(axis=1), atol=1e-9
        )
    # Treasury receipts carry the monthly timing of the relief (March-December VAT).
    moved = with_measures.months["receipts"][0] - without.months["receipts"][0]
    year = scenario.years.index(2020)
    assert moved[year, 0] == pytest.approx(deltas["tax"][year, 0] + deltas["nontax"][year, 0])


def test_a_measure_already_carried_by_parameters_adds_no_delta(tmp_path):
    scenario = load_with(tmp_path, "sme_arrears")
    assert measure_deltas(scenario) == {}
    base = fiscal_sim.project(fiscal_sim.load_scenario())
    np.testing.assert_array_equal(
        fiscal_sim.project(scenario).annual["gpb_expenditure"], base.annual["gpb_expenditure"]
    )


def test_measure_table_matches_the_deltas():
    scenario = fiscal_sim.load_scenario("covid-2020")
    table = measure_table(scenario)
    assert tuple(table.columns) == TABLE_COLUMNS
    assert len(table) == len(scenario.extra["measures"]) * len(scenario.years)
    for line, array in measure_deltas(scenario).items():
        totals = table[table.line == line].groupby("year")["amount_wan"].sum()
        np.testing.assert_allclose(totals.to_numpy(), array.sum(axis=1), atol=1e-9)
    assert set(table.kind) == {"revenue", "spending"}


def test_measure_table_of_a_scenario_without_measures_is_empty():
    table = measure_table(fiscal_sim.load_scenario())
    assert table.empty and tuple(table.columns) == TABLE_COLUMNS


def test_a_measure_outside_the_horizon_is_an_error():
    from fiscal_sim.engine.measures import _to_array

    schedule = {(2020, 9): 6.25}
    with pytest.raises(fiscal_sim.errors.FiscalSimError) as caught:
        _to_array(CATALOGUE["startup_grant"], schedule, (2021, 2022, 2023, 2024, 2025))
    assert caught.value.in_lang("en").endswith(
        "year 2020 is outside the projection years 2021–2025"
    )
    assert caught.value.in_lang("zh").endswith("年度 2020 超出预测期 2021–2025")


# -- validation of the `measures:` section ------------------------------------------------------

GOOD = {"startup_grant": leaves("startup_grant", persons=100, county_share=0.5)}


INVALID = [
    pytest.param(
        {"startup_grants": GOOD["startup_grant"]},
        "measures.startup_grants",
        "unknown measure (did you mean 'startup_grant'?)",
        id="unknown measure",
    ),
    pytest.param(
        {"startup_grant": {**GOOD["startup_grant"], "person": 3}},
        "measures.startup_grant.person",
        "unknown quantity (did you mean 'persons'?)",
        id="unknown field",
    ),
    pytest.param(
        {"startup_grant": {"persons": GOOD["startup_grant"]["persons"]}},
        "measures.startup_grant.county_share",
        "missing quantity (fraction)",
        id="missing quantity",
    ),
    pytest.param(
        {
            "startup_grant": {
                **GOOD["startup_grant"],
                "persons": {"value": 1, "unit": "wan_yuan", "source": "x"},
            }
        },
        "measures.startup_grant.persons",
        "wrong unit 'wan_yuan': expected 'persons'",
        id="wrong unit",
    ),
    pytest.param(
        {"startup_grant": {**GOOD["startup_grant"], "persons": {"value": -5, "source": "x"}}},
        "measures.startup_grant.persons",
        "expected at least 0 persons",
        id="negative persons",
    ),
    pytest.param(
        {
            "startup_grant": {
                **GOOD["startup_grant"],
                "persons": {"value": float("nan"), "source": "x"},
            }
        },
        "measures.startup_grant.persons",
        "expected a finite number",
        id="NaN",
    ),
    pytest.param(
        {"startup_grant": {**GOOD["startup_grant"], "persons": {"value": "many", "source": "x"}}},
        "measures.startup_grant.persons",
        "expected a number (persons)",
        id="not a number",
    ),
    pytest.param(
        {"startup_grant": {**GOOD["startup_grant"], "persons": 100}},
        "measures.startup_grant.persons",
        "missing source",
        id="no source",
    ),
    pytest.param(
        {"startup_grant": {**GOOD["startup_grant"], "county_share": {"value": 1.5, "source": "x"}}},
        "measures.startup_grant.county_share",
        "expected at most 1 fraction",
        id="share above one",
    ),
    pytest.param(
        {
            "rent_waiver_property_tax_relief": leaves(
                "rent_waiver_property_tax_relief", yearly_tax=1, months=4, county_share=1
            )
        },
        "measures.rent_waiver_property_tax_relief.months",
        "expected at most 3 months",
        id="more months than the plan allows",
    ),
    pytest.param(
        {
            "startup_grant": {
                **GOOD["startup_grant"],
                "persons": {"value": 1, "source": "x", "units": "persons"},
            }
        },
        "measures.startup_grant.persons.units",
        "unknown key",
        id="unknown leaf key",
    ),
    pytest.param(
        {"startup_grant": [1, 2]},
        "measures.startup_grant",
        "expected a mapping of quantities",
        id="not a mapping",
    ),
    pytest.param(
        {
            "labour_transfer": leaves(
                "labour_transfer",
                persons_in_province=10,
                persons_out_of_province=10,
                persons_3m=5,
                persons_6m=6,
                persons_agency=0,
                county_share=1,
            )
        },
        "measures.labour_transfer.persons_6m",
        "expected at most persons_3m",
        id="subset larger than its set",
    ),
    pytest.param(["startup_grant"], "measures", "expected a mapping of measure ids", id="a list"),
]


@pytest.mark.parametrize(("measures", "key", "message"), INVALID)
def test_invalid_measures_name_file_key_and_expectation(tmp_path, measures, key, message):
    path = overlay(tmp_path, measures)
    with pytest.raises(ScenarioError) as error:
        fiscal_sim.load_scenario(path)
    assert error.value.file == str(path.resolve())
    assert error.value.key == key
    assert message in error.value.message
    assert error.value.line is not None


def test_nan_written_in_yaml_is_refused(tmp_path):
    path = tmp_path / "nan.yaml"
    path.write_text(
        "extends: default\nmeasures:\n  startup_grant:\n"
        "    persons: {value: .nan, unit: persons, source: x}\n"
        "    county_share: {value: 1, unit: fraction, source: x}\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError, match=r"nan.yaml:4: measures.startup_grant.persons"):
        fiscal_sim.load_scenario(path)


def test_an_overlay_changes_one_quantity_short_and_sources_it(tmp_path):
    overlay(tmp_path, GOOD, name="base")
    child = tmp_path / "child.yaml"
    child.write_text(
        "extends: base.yaml\nmeasures:\n  startup_grant:\n    persons: 300\n", encoding="utf-8"
    )
    measures = fiscal_sim.load_scenario(child).extra["measures"]
    assert measures["startup_grant"]["persons"] == {
        "value": 300.0,
        "unit": "persons",
        "source": "override in child.yaml",
    }
    assert measures["startup_grant"]["county_share"]["value"] == 0.5
    assert by_year(fiscal_sim.load_scenario(child))[2020] == pytest.approx(300 * 0.5 * 0.5)


def test_measures_change_the_scenario_hash(tmp_path):
    assert fiscal_sim.load_scenario(overlay(tmp_path, GOOD)).hash != fiscal_sim.load_scenario().hash


# -- the timing the plan leaves open: optional quantities ------------------------------------


def test_every_assumed_figure_is_a_quantity_a_bureau_may_set():
    """A figure sourced to an assumption alone is settable; the plan's own figures are not."""
    for measure in CATALOGUE.values():
        optional = {q.name for q in measure.quantities if q.optional}
        for name, figure in measure.figures.items():
            if figure.source.startswith("assumption"):
                assert name in optional, (measure.id, name)
            else:
                assert name not in optional, (measure.id, name)


def test_timing_defaults_are_filled_and_sourced_as_assumptions(tmp_path):
    measures = fiscal_sim.load_scenario(overlay(tmp_path, GOOD)).extra["measures"]
    pay_months = measures["startup_grant"]["pay_months"]
    assert pay_months["value"] == (9, 10, 11, 12)
    assert pay_months["unit"] == "calendar_months"
    assert pay_months["source"].startswith("assumption")


def test_a_bureau_sets_the_timing_in_its_file(tmp_path):
    measures = {
        "startup_grant": {
            **GOOD["startup_grant"],
            "pay_months": {"value": [11, 10], "unit": "calendar_months", "source": "bureau"},
        },
        "public_welfare_jobs": leaves(
            "public_welfare_jobs",
            monthly_pay=500,
            months_regular=8,
            months_temporary=3,
            county_share=0.3,
            first_month=5,
        ),
    }
    listed = fiscal_sim.load_scenario(overlay(tmp_path, measures)).extra["measures"]
    grant = listed["startup_grant"]
    assert grant["pay_months"] == {"value": (10, 11), "unit": "calendar_months", "source": "bureau"}
    q = {name: leaf["value"] for name, leaf in grant.items()}
    figures = CATALOGUE["startup_grant"].figure_values(q)
    assert figures["pay_months"] == (10, 11) and figures["grant"] == 5000
    jobs = {name: leaf["value"] for name, leaf in listed["public_welfare_jobs"].items()}
    assert CATALOGUE["public_welfare_jobs"].figure_values(jobs)["first_month"] == 5


def test_the_timing_a_bureau_sets_moves_the_money(tmp_path):
    measures = {
        "startup_grant": {
            **GOOD["startup_grant"],
            "pay_months": {"value": [10, 11], "unit": "calendar_months", "source": "bureau"},
        }
    }
    [(_, schedule)] = schedules(fiscal_sim.load_scenario(overlay(tmp_path, measures)))
    # 100 × 5,000 yuan × 0.5 = 25 万元, in two parts
    assert schedule == {(2020, 10): pytest.approx(12.5), (2020, 11): pytest.approx(12.5)}


TIMING_ERRORS = [
    pytest.param(
        "sector_property_tax_relief",
        {"yearly_tax": 400, "county_share": 0.8, "months": [2, 3]},
        "months",
        "expected 3 months (the plan's number), got 2",
        id="fewer months than the plan gives",
    ),
    pytest.param(
        "state_rent_waiver",
        {"yearly_rent": 100, "county_share": 1, "months": [5, 6, 7]},
        "months",
        "expected a calendar month 1-6, got 7",
        id="outside the first half-year",
    ),
    pytest.param(
        "startup_grant",
        {"persons": 1, "county_share": 1, "pay_months": [9, 9]},
        "pay_months",
        "expected each month once",
        id="a month twice",
    ),
    pytest.param(
        "startup_grant",
        {"persons": 1, "county_share": 1, "pay_months": 9},
        "pay_months",
        "expected a list of calendar months 1-12",
        id="not a list",
    ),
    pytest.param(
        "rent_waiver_property_tax_relief",
        {"yearly_tax": 1, "months": 3, "county_share": 1, "first_month": 13},
        "first_month",
        "expected a calendar month 1-12, got 13",
        id="month 13",
    ),
    pytest.param(
        "public_welfare_jobs",
        {
            "monthly_pay": 500,
            "months_regular": 10,
            "months_temporary": 3,
            "county_share": 0.3,
            "first_month": 5,
        },
        "months_regular",
        "expected months_regular to end by December: at most 8 months",
        id="jobs running past December",
    ),
]


@pytest.mark.parametrize(("measure_id", "values", "key", "message"), TIMING_ERRORS)
def test_invalid_timing_names_file_key_and_expectation(tmp_path, measure_id, values, key, message):
    path = overlay(tmp_path, {measure_id: leaves(measure_id, **values)})
    with pytest.raises(ScenarioError) as error:
        fiscal_sim.load_scenario(path)
    assert (error.value.file, error.value.key) == (
        str(path.resolve()),
        f"measures.{measure_id}.{key}",
    )
    assert message in error.value.message and error.value.line is not None


def test_the_plan_jobs_still_end_by_december_by_default(tmp_path):
    values = {"monthly_pay": 500, "months_regular": 11, "months_temporary": 3, "county_share": 1}
    with pytest.raises(ScenarioError, match="at most 10 months from first_month 3"):
        fiscal_sim.load_scenario(
            overlay(tmp_path, {"public_welfare_jobs": leaves("public_welfare_jobs", **values)})
        )


# -- removing an inherited measure, --set on a measure ----------------------------------------


def test_an_overlay_removes_an_inherited_measure_with_null(tmp_path):
    child = tmp_path / "child.yaml"
    child.write_text("extends: covid-2020\nmeasures:\n  vat_small_scale: null\n", encoding="utf-8")
    covid = fiscal_sim.load_scenario("covid-2020").extra["measures"]
    removed = fiscal_sim.load_scenario(child).extra["measures"]
    assert "vat_small_scale" in covid
    assert set(removed) == set(covid) - {"vat_small_scale"}


def test_null_for_a_measure_the_base_does_not_list_is_an_error(tmp_path):
    path = tmp_path / "county.yaml"
    path.write_text("extends: default\nmeasures:\n  vat_small_scale: null\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as error:
        fiscal_sim.load_scenario(path)
    assert (error.value.key, error.value.line) == ("measures.vat_small_scale", 3)
    assert "does not list" in error.value.message


def test_set_changes_a_quantity_of_a_measure():
    scenario = fiscal_sim.load_scenario(
        "covid-2020",
        overrides=[
            "measures.vat_small_scale.county_share=0.25",
            "measures.startup_grant.pay_months=[10, 11]",
        ],
    )
    listed = scenario.extra["measures"]
    assert listed["vat_small_scale"]["county_share"] == {
        "value": 0.25,
        "unit": "fraction",
        "source": "--set measures.vat_small_scale.county_share=0.25",
    }
    assert listed["startup_grant"]["pay_months"]["value"] == (10, 11)
    assert scenario.hash != fiscal_sim.load_scenario("covid-2020").hash


@pytest.mark.parametrize(
    ("override", "key", "message"),
    [
        (
            "measures.vat_small_scale.county_share=2",
            "measures.vat_small_scale.county_share",
            "at most 1",
        ),
        ("measures.vat_small_scale.share=1", "measures.vat_small_scale.share", "unknown quantity"),
        ("measures.vat_smal_scale.county_share=1", "measures.vat_smal_scale", "did you mean"),
        (
            "measures.vat_small_scale=1",
            "measures.vat_small_scale",
            "measures.<measure id>.<quantity>",
        ),
    ],
)
def test_set_on_a_measure_is_validated(override, key, message):
    with pytest.raises(ScenarioError) as error:
        fiscal_sim.load_scenario("covid-2020", overrides=[override])
    assert (error.value.file, error.value.key) == ("--set", key)
    assert message in error.value.message


def test_set_on_a_measure_through_the_cli(fiscal_sim_cli):
    good = fiscal_sim_cli(
        "run", "covid-2020", "--format", "json", "--set", "measures.vat_small_scale.county_share=0"
    )
    assert good.exit_code == 0, good.output
    amounts = [
        row for row in json.loads(good.stdout)["measures"] if row["measure"] == "vat_small_scale"
    ]
    assert not amounts  # no amount left in any year shown
    bad = fiscal_sim_cli("run", "covid-2020", "--set", "measures.vat_small_scale.county_share=x")
    assert bad.exit_code == 2
    _, line = error_lines(bad)  # under zh, 错误：<Chinese> comes first
    assert line.endswith(
        "--set: measures.vat_small_scale.county_share: expected a number (fraction), got 'x'"
    )


# -- the catalogue -----------------------------------------------------------------------------

CLAUSE = re.compile(r"^(EMP|LIV|MKT|FE|SC|OPS)\.\d+\.\d+\.\d+(-\d+)?(\(\d+\))?$")


@pytest.mark.parametrize("measure", CATALOGUE.values(), ids=lambda m: m.id)
def test_catalogue_entry_is_complete(measure):
    assert CLAUSE.match(measure.clause), measure.clause
    assert measure.label_zh and measure.label_en and measure.method
    assert measure.line in DELTA_LINES
    assert measure.id in MEASURE_FUNCTIONS
    for name, figure in measure.figures.items():
        assert figure.unit in FIGURE_UNITS, name
        assert figure.source.strip(), name
        # A figure is either sourced to a clause of the plan or says it is an assumption.
        assert CLAUSE.match(figure.source.split(":")[0].split(" ")[0]) or (
            "assumption" in figure.source or "the plan" in figure.source
        ), (name, figure.source)
    for quantity in measure.quantities:
        assert quantity.unit in (FIGURE_UNITS if quantity.optional else UNITS)
        assert quantity.label_zh and quantity.label_en
        if quantity.optional:
            assert quantity.default.source.startswith("assumption"), quantity.name
    for small, large in measure.at_most.items():
        assert {small, large} <= {q.name for q in measure.quantities}
    for path in measure.parameters:
        assert fiscal_sim.load_scenario().param(path)


def test_every_rule_belongs_to_a_catalogue_entry():
    assert set(MEASURE_FUNCTIONS) == set(CATALOGUE)


def test_the_engine_writes_no_figure_of_the_plan():
    """The plan's rates, yuan amounts and months live in the catalogue, not in engine code."""
    source = Path(fiscal_sim.engine.measures.__file__).read_text(encoding="utf-8")
    numbers = {
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, (int, float))
        and not isinstance(node.value, bool)
    }
    # 0 and 1 (identities), 12 (months a year), 10,000 (yuan per 万元).
    assert numbers <= {0, 1, 12, 10_000}, sorted(numbers)


# -- properties -------------------------------------------------------------------------------

CONTEXT = Context(fiscal_sim.load_scenario())


def _quantities(measure):
    def value(quantity):
        top = quantity.maximum if quantity.maximum is not None else 1e5
        return st.floats(min_value=0.0, max_value=top, allow_nan=False)

    fields = {q.name: value(q) for q in measure.quantities if not q.optional}
    strategy = st.fixed_dictionaries(fields)
    if measure.at_most:
        strategy = strategy.filter(
            lambda q: all(q[small] <= q[large] for small, large in measure.at_most.items())
        )
    return strategy


def _run(measure, q):
    figures = {name: figure.value for name, figure in measure.figures.items()}
    return MEASURE_FUNCTIONS[measure.id](q, figures, CONTEXT)


@pytest.mark.parametrize("measure", CATALOGUE.values(), ids=lambda m: m.id)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_relief_lowers_revenue_and_subsidies_raise_spending(measure, data):
    q = data.draw(_quantities(measure))
    schedule = _run(measure, q)
    assert all(math.isfinite(v) for v in schedule.values())
    first_year = min((year for year, _ in schedule), default=None)
    if measure.kind == "spending":
        assert all(v >= 0 for v in schedule.values())
    elif first_year is not None:
        # Relief: revenue is lower in the year of the measure; a deferral comes back later
        # and, over all years, nets to zero (it forgoes nothing).
        in_first = sum(v for (year, _), v in schedule.items() if year == first_year)
        assert in_first <= 1e-12
        assert sum(schedule.values()) <= 1e-9 * (1 + sum(abs(v) for v in schedule.values()))


@pytest.mark.parametrize(
    "measure",
    [m for m in CATALOGUE.values() if any(q.name == "county_share" for q in m.quantities)],
    ids=lambda m: m.id,
)
@settings(max_examples=30, deadline=None)
@given(data=st.data(), share=st.floats(min_value=0.0, max_value=1.0))
def test_the_county_bears_its_share_only(measure, data, share):
    q = data.draw(_quantities(measure))
    full = _run(measure, {**q, "county_share": 1.0})
    part = _run(measure, {**q, "county_share": share})
    for key, value in full.items():
        assert part.get(key, 0.0) == pytest.approx(share * value, rel=1e-9, abs=1e-12)
