"""The six-guarantee measures as revenue and spending deltas, month by month (model.md §9).

One small pure function per measure turns the bureau's quantities and the plan's figures
(both from :data:`fiscal_sim.params.measures.CATALOGUE`) into a schedule
``{(year, month): 万元}``: revenue forgone is negative, spending is positive. The plan's
figures are read from the catalogue, never written here.

- :func:`measure_deltas` sums the schedules into the engine's delta lines, each an array
  ``(years, 12)`` in 万元; :func:`fiscal_sim.project` calls it when the scenario lists measures.
- :func:`measure_rows` gives what each measure cost or forwent, per year (the rows of
  :func:`fiscal_sim.results.measure_table`).

Examples
--------
>>> from fiscal_sim import load_scenario
>>> rows = measure_rows(load_scenario("covid-2020"))
>>> [(row[5], round(row[7], 2)) for row in rows if row[0] == "vat_small_scale" and row[6] == 2020]
[('tax', -300.0)]
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from fiscal_sim.errors import Bilingual, FiscalSimError, outside_horizon, year_outside_horizon
from fiscal_sim.params.measures import CATALOGUE, Measure

MONTHS = 12
YUAN_PER_WAN = 10_000  # unit conversion: 1 万元 = 10,000 yuan

Schedule = dict[tuple[int, int], float]

TABLE_COLUMNS = (
    "measure",
    "clause",
    "label_zh",
    "label_en",
    "kind",
    "line",
    "year",
    "amount_wan",
)


# -- building schedules -------------------------------------------------------------------------


def _add(schedule: Schedule, year: int, month: int, amount: float) -> None:
    """Add ``amount`` at ``month`` of ``year``; months past 12 roll into the next years."""
    index = year * MONTHS + month - 1
    key = (index // MONTHS, index % MONTHS + 1)
    schedule[key] = schedule.get(key, 0.0) + amount


def _each_month(schedule: Schedule, amount: float, year: int, months, lag: int = 0) -> None:
    """``amount`` in every month of ``months`` of ``year``, paid ``lag`` months later."""
    for month in months:
        _add(schedule, year, month + lag, amount)


def _spread(schedule: Schedule, total: float, year: int, months, lag: int = 0) -> None:
    """``total`` in equal parts over ``months`` of ``year``, each part paid ``lag`` months later."""
    _each_month(schedule, total / len(months), year, months, lag)


def _named(measure_id: str) -> Bilingual:
    """A measure as an error names it: under zh its Chinese name and ``('id')``, else ``'id'``."""
    chinese = f"“{CATALOGUE[measure_id].label_zh}”（{measure_id!r}）"
    return Bilingual._of(chinese, repr(measure_id))


class Context:
    """What a measure may read from the scenario besides its quantities.

    ``programmes`` are the livelihood programme rows; ``standard_factor(year)`` is the growth
    of livelihood standards from the base year to ``year`` (as the engine grows the need).
    """

    def __init__(self, scenario):
        self.scenario = scenario
        self.years = tuple(scenario.years)
        self.programmes = scenario.programmes()
        growth = np.asarray(scenario.value("livelihood.standard_growth"), dtype=float)
        self._factors = dict(zip(self.years, np.cumprod(1.0 + growth), strict=True))

    def standard_factor(self, year: int) -> float:
        if year not in self._factors:
            measure_year = Bilingual("措施年度 {year}", "measure year {year}", year=year)
            raise FiscalSimError(outside_horizon(measure_year, self.years))
        return float(self._factors[year])

    def programme(self, measure_id: str, key: str) -> dict:
        if key not in self.programmes:
            raise FiscalSimError(
                Bilingual(
                    "措施{measure}需要民生项目行 {key!r}；情景中有：{rows}",
                    "measure {measure} needs the livelihood programme row {key!r}; "
                    "the scenario has: {rows}",
                    measure=_named(measure_id),
                    key=key,
                    rows=", ".join(self.programmes),
                )
            )
        return self.programmes[key]


# -- one function per measure ------------------------------------------------------------------
# Each takes the quantities ``q`` (name -> float), the figures ``f`` (name -> value) and the
# context, and returns a schedule in 万元.


def vat_small_scale(q, f, ctx) -> Schedule:
    """EMP.4.2.4: small-scale VAT taxpayers at 3 % pay 1 %, March-December 2020."""
    per_month = q["taxable_sales"] / MONTHS * (f["rate_before"] - f["rate_after"])
    schedule: Schedule = {}
    _each_month(schedule, -per_month * q["county_share"], f["year"], f["months"])
    return schedule


def sector_property_tax_relief(q, f, ctx) -> Schedule:
    """EMP.4.2.4: property and land-use tax exempt three months for hard-hit sectors."""
    schedule: Schedule = {}
    amount = -q["yearly_tax"] / MONTHS * q["county_share"]
    _each_month(schedule, amount, f["year"], f["months"])
    return schedule


def rent_waiver_property_tax_relief(q, f, ctx) -> Schedule:
    """EMP.4.2.4: landlords waiving rent exempt from the two taxes for the waived months."""
    schedule: Schedule = {}
    months = q["months"]
    amount = -q["yearly_tax"] / MONTHS * q["county_share"]
    # Whole months first, then the fraction of a month a bureau may give (e.g. 1.5).
    whole = int(months)
    _each_month(schedule, amount, f["year"], range(f["first_month"], f["first_month"] + whole))
    if months > whole:
        _add(schedule, f["year"], f["first_month"] + whole, amount * (months - whole))
    return schedule


def state_rent_waiver(q, f, ctx) -> Schedule:
    """MKT.4.2.7(3): three months' rent waived for service SMEs in state-owned premises."""
    schedule: Schedule = {}
    amount = -q["yearly_rent"] / MONTHS * q["county_share"]
    _each_month(schedule, amount, f["year"], f["months"])
    return schedule


def small_firm_income_tax_deferral(q, f, ctx) -> Schedule:
    """MKT.4.2.5: small firms' 2020 income tax deferred to the first 2021 filing period."""
    schedule: Schedule = {}
    per_month = q["yearly_tax"] / MONTHS * q["county_share"]
    _each_month(schedule, -per_month, f["year"], f["months"])
    _add(schedule, f["paid_year"], f["paid_month"], per_month * len(f["months"]))
    return schedule


def _stability_bonus(q, f, months_key: str, bands) -> Schedule:
    """Bonuses paid ``lag`` months after hiring, hires even over ``f[months_key]``."""
    schedule: Schedule = {}
    for persons, amount, lag in bands:
        total = q[persons] * f[amount] * q["county_share"] / YUAN_PER_WAN
        _spread(schedule, total, f["year"], f[months_key], lag=f[lag])
    return schedule


def hiring_bonus(q, f, ctx) -> Schedule:
    """EMP.4.2.6: 1,000 / 2,000 yuan per local hire stable six / twelve months."""
    bands = (("persons_6m", "bonus_6m", "lag_6m"), ("persons_12m", "bonus_12m", "lag_12m"))
    return _stability_bonus(q, f, "hire_months", bands)


def hiring_poor_bonus(q, f, ctx) -> Schedule:
    """EMP.4.2.7: 3,000 / 5,000 yuan per poor worker stable six / twelve months."""
    bands = (("persons_6m", "bonus_6m", "lag_6m"), ("persons_12m", "bonus_12m", "lag_12m"))
    return _stability_bonus(q, f, "hire_months", bands)


def training_subsidy(q, f, ctx) -> Schedule:
    """EMP.4.5.23: 1,000 / 2,000 yuan per trainee employed three / six months."""
    bands = (("persons_3m", "subsidy_3m", "lag_3m"), ("persons_6m", "subsidy_6m", "lag_6m"))
    return _stability_bonus(q, f, "placement_months", bands)


def labour_transfer(q, f, ctx) -> Schedule:
    """EMP.4.3.11: transport 300 / 600; 1,800 + 1,500 after three months; 2,400 after six; 200."""
    schedule: Schedule = {}
    share = q["county_share"] / YUAN_PER_WAN
    parts = (
        (q["persons_in_province"] * f["transport_in_province"], 0),
        (q["persons_out_of_province"] * f["transport_out_of_province"], 0),
        (q["persons_3m"] * (f["award_3m"] + f["living_3m"]), f["lag_3m"]),
        (q["persons_6m"] * f["award_6m"], f["lag_6m"]),
        (q["persons_agency"] * f["agency_award"], f["lag_6m"]),
    )
    for yuan, lag in parts:
        _spread(schedule, yuan * share, f["year"], f["departure_months"], lag=lag)
    return schedule


def public_welfare_jobs(q, f, ctx) -> Schedule:
    """EMP.4.3.13: 300 rural public-welfare jobs, 136 of them temporary epidemic jobs."""
    schedule: Schedule = {}
    per_job_month = q["monthly_pay"] * q["county_share"] / YUAN_PER_WAN
    groups = (
        (f["jobs"] - f["temporary_jobs"], q["months_regular"]),
        (f["temporary_jobs"], q["months_temporary"]),
    )
    for jobs, months in groups:
        whole = int(months)
        first = f["first_month"]
        _each_month(schedule, jobs * per_job_month, f["year"], range(first, first + whole))
        if months > whole:
            _add(schedule, f["year"], first + whole, jobs * per_job_month * (months - whole))
    return schedule


def startup_grant(q, f, ctx) -> Schedule:
    """EMP.4.4.21: 5,000 yuan one-off for first-time founders in business a year."""
    schedule: Schedule = {}
    total = q["persons"] * f["grant"] * q["county_share"] / YUAN_PER_WAN
    _spread(schedule, total, f["year"], f["pay_months"])
    return schedule


def assistance_standards_raise(q, f, ctx) -> Schedule:
    """LIV.4.3.9: 低保 and 特困 standards +10 %, from the month given; the raise then holds."""
    schedule: Schedule = {}
    monthly_base = sum(
        row["recipients"] * row["standard"] * row["county_share"]
        for row in (ctx.programme("assistance_standards_raise", k) for k in f["programmes"])
    )
    per_month = monthly_base * f["raise"] / YUAN_PER_WAN
    first_year = f["year"]
    months = q["months"]
    whole = int(months)
    factor = ctx.standard_factor(first_year)
    _each_month(schedule, per_month * factor, first_year, range(MONTHS - whole + 1, MONTHS + 1))
    if months > whole:
        _add(schedule, first_year, MONTHS - whole, per_month * factor * (months - whole))
    for year in ctx.years:
        if year > first_year:
            factor = ctx.standard_factor(year)
            _each_month(schedule, per_month * factor, year, range(1, MONTHS + 1))
    return schedule


def price_subsidy_doubling(q, f, ctx) -> Schedule:
    """LIV.4.3.9: monthly price subsidy doubled March-June, orphans and unsupported children in."""
    schedule: Schedule = {}
    row = ctx.programme("price_subsidy_doubling", f["programme"])
    standard = row["standard"] * ctx.standard_factor(f["year"])
    persons = row["recipients"] * (f["factor"] - 1.0) + q["added_recipients"] * f["factor"]
    per_month = persons * standard * row["county_share"] / YUAN_PER_WAN
    _each_month(schedule, per_month, f["year"], f["months"])
    return schedule


def sme_arrears(q, f, ctx) -> Schedule:
    """MKT.4.3.8-9: SME arrears on the arrears.* schedule (the engine books them, tier 5)."""
    value = ctx.scenario.value
    schedule: Schedule = {}
    profile = value("arrears.small_items") * np.asarray(value("arrears.small_profile")) + value(
        "arrears.other_items"
    ) * np.asarray(value("arrears.other_profile"))
    for month, amount in enumerate(profile, start=1):
        if amount:
            _add(schedule, value("arrears.clear_year"), month, float(amount))
    return schedule


MEASURE_FUNCTIONS: dict[str, Callable[..., Schedule]] = {
    "vat_small_scale": vat_small_scale,
    "sector_property_tax_relief": sector_property_tax_relief,
    "rent_waiver_property_tax_relief": rent_waiver_property_tax_relief,
    "state_rent_waiver": state_rent_waiver,
    "small_firm_income_tax_deferral": small_firm_income_tax_deferral,
    "hiring_bonus": hiring_bonus,
    "hiring_poor_bonus": hiring_poor_bonus,
    "labour_transfer": labour_transfer,
    "public_welfare_jobs": public_welfare_jobs,
    "startup_grant": startup_grant,
    "training_subsidy": training_subsidy,
    "assistance_standards_raise": assistance_standards_raise,
    "price_subsidy_doubling": price_subsidy_doubling,
    "sme_arrears": sme_arrears,
}


# -- from schedules to the engine and to tables -------------------------------------------------


def schedules(scenario) -> list[tuple[Measure, Schedule]]:
    """Each measure the scenario lists, with its schedule ``{(year, month): 万元}``."""
    listed = scenario.extra.get("measures") or {}
    ctx = Context(scenario)
    out = []
    for measure_id, quantities in listed.items():
        measure = CATALOGUE[measure_id]
        q = {name: leaf["value"] for name, leaf in quantities.items()}
        f = measure.figure_values(q)  # the plan's figures, with the timing a bureau set
        out.append((measure, MEASURE_FUNCTIONS[measure_id](q, f, ctx)))
    return out


def _to_array(measure: Measure, schedule: Schedule, years: tuple[int, ...]) -> np.ndarray:
    array = np.zeros((len(years), MONTHS))
    for (year, month), amount in schedule.items():
        if year not in years:
            if amount:
                which = Bilingual(
                    "措施{measure}（条款 {clause}）：",
                    "measure {measure} ({clause}): ",
                    measure=_named(measure.id),
                    clause=measure.clause,
                )
                raise FiscalSimError(which + year_outside_horizon(year, years))
            continue
        array[years.index(year), month - 1] += amount
    return array


def measure_deltas(scenario) -> dict[str, np.ndarray]:
    """The measures' deltas by line, each an array ``(years, 12)`` in 万元.

    Revenue lines (``tax, nontax, ...``): ``+`` is more revenue, so relief is negative.
    Spending tiers (``livelihood, key_projects, ...``): ``+`` is more planned spending.
    Measures already carried by scenario parameters (``sme_arrears``) add nothing.

    Raises
    ------
    FiscalSimError
        When a measure falls outside the projection years or needs a programme row the
        scenario does not have.
    """
    years = tuple(scenario.years)
    deltas: dict[str, np.ndarray] = {}
    for measure, schedule in schedules(scenario):
        if measure.parameters:
            continue
        array = _to_array(measure, schedule, years)
        deltas[measure.line] = deltas.get(measure.line, 0.0) + array
    return deltas


def measure_rows(scenario) -> list[tuple]:
    """What each listed measure cost or forwent, one row per measure and projection year.

    Each row holds the :data:`TABLE_COLUMNS`: ``measure, clause, label_zh, label_en, kind``
    (revenue or spending), ``line``, ``year``, ``amount_wan`` (万元; revenue forgone negative,
    spending positive). A scenario without measures gives no rows.
    """
    years = tuple(scenario.years)
    rows = []
    for measure, schedule in schedules(scenario):
        by_year = _to_array(measure, schedule, years).sum(axis=1)
        for year, amount in zip(years, by_year, strict=True):
            rows.append(
                (
                    measure.id,
                    measure.clause,
                    measure.label_zh,
                    measure.label_en,
                    measure.kind,
                    measure.line,
                    year,
                    float(amount),
                )
            )
    return rows
