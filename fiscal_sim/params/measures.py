"""The six-guarantee measures of the other sub-plans: their catalogue and the ``measures:`` check.

Each :class:`Measure` carries the plan's own figures (rates, yuan amounts, months), each with
its clause or the word *assumption* as source, and names the quantities a county bureau must
supply (taxable base, persons, months, county share). How the two become money is one small
function per measure in :mod:`fiscal_sim.engine.measures`.

A scenario lists the measures it applies as ``measure_id: {quantity: leaf}``, where a leaf is
written like a parameter::

    measures:
      hiring_bonus:
        persons_6m: {value: 400, unit: persons, source: assumption}
        persons_12m: {value: 600, unit: persons, source: assumption}
        county_share: {value: 0.5, unit: fraction, source: assumption}

An overlay may change one quantity of a measure its base introduced, short (``persons_6m: 500``,
sourced to the overlay file) or in full, and take an inherited measure out with
``measure_id: null``. A measure is introduced with all its quantities except the optional
ones: the timing the plan leaves open (which months, from which month), whose defaults are the
catalogue's *assumptions* and which a bureau may set to its county's own calendar::

    measures:
      startup_grant:
        persons: {value: 120, unit: persons, source: "county HR bureau"}
        county_share: {value: 1, unit: fraction, source: assumption}
        pay_months: {value: [10, 11], unit: calendar_months, source: "county finance bureau"}

The plan's own figures (rates, yuan amounts, numbers of months, months the plan names) stay
fixed, each with its clause.

Not in the catalogue, because they do not land on the county's general public budget:
social-insurance relief (EMP.4.2.5; social-insurance funds are outside the model, model.md §1),
electricity at 95 % (MKT.4.2.7(2), FE.2.4.3; borne by the grid company), the work-relief labour
share (LIV.4.1.2; a split inside project budgets), grain targets (FE.1.4.1).

Examples
--------
>>> CATALOGUE["vat_small_scale"].figures["rate_after"].value
0.01
>>> [q.name for q in CATALOGUE["hiring_bonus"].quantities]
['persons_6m', 'persons_12m', 'county_share']
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from pathlib import Path

from fiscal_sim.errors import ScenarioError
from fiscal_sim.params.schema import REVENUE_LINES, UNIT_MAXIMA, UNITS

# Units of the catalogue's own figures, beyond the schema's closed list.
FIGURE_UNITS = {
    **UNITS,
    "yuan_per_person": ("元/人", "yuan per person (one-off)"),
    "calendar_months": ("月份", "calendar months (1-12)"),
}

LEAF_KEYS = {"value", "unit", "source", "note"}
MONTHS_A_YEAR = 12


@dataclass(frozen=True)
class Figure:
    """A figure the plan fixes: value, unit and the clause it comes from (or *assumption*)."""

    value: object
    unit: str
    source: str


@dataclass(frozen=True)
class Quantity:
    """A quantity the county bureau supplies for a measure.

    A number (never negative, at most ``maximum``), or, for the timing the plan leaves open,
    calendar months: one month (``kind="month"``) or a list of months (``kind="months"``,
    ``count`` of them when the plan fixes how many, all ``within`` a span the plan gives).
    A quantity with a ``default`` is optional: the default is the catalogue's *assumption*,
    and a scenario may replace it with the county's own timing.
    """

    name: str
    unit: str
    label_zh: str
    label_en: str
    maximum: float | None = None
    kind: str = "number"
    default: Figure | None = None
    count: int | None = None
    within: tuple[int, int] = (1, 12)

    @property
    def optional(self) -> bool:
        return self.default is not None


@dataclass(frozen=True)
class Measure:
    """One fiscal measure of the plan: clause, labels, budget line, figures and quantities.

    ``line`` is the revenue line (``+`` = more revenue) or spending tier (``+`` = more planned
    spending) its money lands on. ``at_most`` pairs quantities that may not exceed another
    (a subset of persons). ``parameters`` names the scenario parameters that already carry the
    measure in the engine (then the measure adds no delta and only shows in the measure table).
    """

    id: str
    clause: str
    label_zh: str
    label_en: str
    line: str
    quantities: tuple[Quantity, ...]
    figures: dict[str, Figure]
    method: str
    at_most: dict[str, str] = field(default_factory=dict)
    parameters: tuple[str, ...] = ()
    within_year: tuple[tuple[str, str], ...] = ()

    def __post_init__(self):
        # An optional timing quantity's default is also the figure the rules read when a
        # scenario leaves it out: written once, in the quantity.
        for quantity in self.quantities:
            if quantity.optional:
                self.figures.setdefault(quantity.name, quantity.default)

    @property
    def kind(self) -> str:
        """``"revenue"`` or ``"spending"``."""
        return "revenue" if self.line in REVENUE_LINES else "spending"

    def quantity(self, name: str) -> Quantity:
        return next(q for q in self.quantities if q.name == name)

    def figure_values(self, quantities: dict | None = None) -> dict:
        """The figures a rule reads: the catalogue's, with the timing a scenario set.

        ``quantities`` maps quantity names to values (as ``q`` in
        :mod:`fiscal_sim.engine.measures`); an optional quantity given there replaces the
        catalogue's assumption of the same name.

        Examples
        --------
        >>> measure = CATALOGUE["startup_grant"]
        >>> measure.figure_values()["pay_months"], measure.figure_values({"pay_months": (10,)})[
        ...     "pay_months"
        ... ]
        ((9, 10, 11, 12), (10,))
        """
        values = {name: figure.value for name, figure in self.figures.items()}
        for quantity in self.quantities:
            if quantity.optional and quantities and quantity.name in quantities:
                values[quantity.name] = quantities[quantity.name]
        return values


def _q(name, unit, zh, en, maximum=None) -> Quantity:
    return Quantity(name, unit, zh, en, maximum)


def _share(zh: str = "县级负担比例", en: str = "county share") -> Quantity:
    return _q("county_share", "fraction", zh, en, maximum=1.0)


def _months(first: int, last: int) -> tuple[int, ...]:
    return tuple(range(first, last + 1))


def _timing(name, default: Figure, zh, en, count=None, within=(1, 12)) -> Quantity:
    """An optional timing quantity: calendar months whose default is an assumption."""
    kind = "months" if isinstance(default.value, tuple) else "month"
    return Quantity(name, "calendar_months", zh, en, None, kind, default, count, within)


_YEAR_2020 = Figure(2020, "year", "the plan (2020 六保 work plan, issued 2020-08-12)")
_RENT_WAIVER_MAX = Figure(3, "months", "EMP.4.2.4: 免税期最长不超过3个月")
_SECTOR_EXEMPT_MONTHS = Figure(3, "months", "EMP.4.2.4: 免征2020年3个月")
_STATE_RENT_MONTHS = Figure(3, "months", "MKT.4.2.7(3): 免除上半年3个月租金")
_FIRST_HALF = Figure((1, 6), "calendar_months", "MKT.4.2.7(3): 上半年")

CATALOGUE: dict[str, Measure] = {
    m.id: m
    for m in (
        Measure(
            "vat_small_scale",
            "EMP.4.2.4",
            "小规模纳税人增值税减按1%征收",
            "small-scale VAT taxpayers: 3 % levy rate cut to 1 %",
            "tax",
            (
                _q(
                    "taxable_sales",
                    "wan_yuan",
                    "适用3%征收率的小规模纳税人年应税销售额",
                    "yearly taxable sales of small-scale taxpayers at the 3 % rate",
                ),
                _share("县级增值税分享比例", "county share of VAT"),
            ),
            {
                "year": _YEAR_2020,
                "rate_before": Figure(0.03, "fraction", "EMP.4.2.4: 适用3%征收率"),
                "rate_after": Figure(0.01, "fraction", "EMP.4.2.4: 减按1%征收率"),
                "months": Figure(_months(3, 12), "calendar_months", "EMP.4.2.4: 3-12月"),
            },
            "taxable_sales ÷ 12 × (rate_before − rate_after) × county_share in each month "
            "(sales even over the year: assumption)",
        ),
        Measure(
            "sector_property_tax_relief",
            "EMP.4.2.4",
            "受疫情影响较大行业免征3个月房产税、城镇土地使用税",
            "property and urban land-use tax exempt three months for hard-hit sectors",
            "tax",
            (
                _q(
                    "yearly_tax",
                    "wan_yuan",
                    "交通运输、住宿餐饮、文体娱乐、旅游业年房产税和城镇土地使用税",
                    "yearly property and land-use tax of transport, catering and lodging, "
                    "culture, sports, entertainment and tourism firms",
                ),
                _share("县级分享比例", "county share of the two taxes"),
                _timing(
                    "months",
                    Figure(
                        _months(2, 4),
                        "calendar_months",
                        "assumption (EMP.4.2.4 exempts three months of 2020; February-April, "
                        "the height of the epidemic)",
                    ),
                    "免征月份",
                    "the three exempt months of 2020",
                    count=_SECTOR_EXEMPT_MONTHS.value,
                ),
            ),
            {"year": _YEAR_2020, "exempt_months": _SECTOR_EXEMPT_MONTHS},
            "yearly_tax ÷ 12 × county_share forgone in each exempt month",
        ),
        Measure(
            "rent_waiver_property_tax_relief",
            "EMP.4.2.4",
            "减免租金的出租方免征房产税、城镇土地使用税",
            "landlords who waive rent to small firms exempt from property and land-use tax",
            "tax",
            (
                _q(
                    "yearly_tax",
                    "wan_yuan",
                    "免租房产、土地的年房产税和城镇土地使用税",
                    "yearly property and land-use tax on the premises whose rent was waived",
                ),
                _q(
                    "months",
                    "months",
                    "免收租金月数",
                    "months of rent waived",
                    maximum=_RENT_WAIVER_MAX.value,
                ),
                _share("县级分享比例", "county share of the two taxes"),
                _timing(
                    "first_month",
                    Figure(2, "calendar_months", "assumption (waivers from February 2020)"),
                    "免租起始月份",
                    "first month of the waiver",
                ),
            ),
            {"year": _YEAR_2020, "max_months": _RENT_WAIVER_MAX},
            "yearly_tax ÷ 12 × county_share forgone in each waived month from first_month",
            within_year=(("months", "first_month"),),
        ),
        Measure(
            "state_rent_waiver",
            "MKT.4.2.7(3)",
            "承租国有房屋的服务业中小微企业和个体工商户免除上半年3个月租金",
            "three months' rent waived for service SMEs renting state-owned premises",
            "nontax",
            (
                _q(
                    "yearly_rent",
                    "wan_yuan",
                    "服务业中小微企业和个体工商户承租国有房屋年租金",
                    "yearly rent of state-owned premises let to service SMEs and self-employed",
                ),
                _share("租金缴入县级预算比例", "share of the rent paid into the county budget"),
                _timing(
                    "months",
                    Figure(
                        _months(2, 4),
                        "calendar_months",
                        "assumption (MKT.4.2.7(3) waives three months of the first half-year; "
                        "February-April)",
                    ),
                    "免租月份",
                    "the three waived months of the first half of 2020",
                    count=_STATE_RENT_MONTHS.value,
                    within=_FIRST_HALF.value,
                ),
            ),
            {
                "year": _YEAR_2020,
                "waived_months": _STATE_RENT_MONTHS,
                "first_half": _FIRST_HALF,
            },
            "yearly_rent ÷ 12 × county_share forgone in each waived month",
        ),
        Measure(
            "small_firm_income_tax_deferral",
            "MKT.4.2.5",
            "小微企业、个体工商户所得税延缓至2021年首个申报期缴纳",
            "income tax of small firms and self-employed deferred to the first 2021 filing",
            "tax",
            (
                _q(
                    "yearly_tax",
                    "wan_yuan",
                    "小微企业和个体工商户年所得税",
                    "yearly income tax of small firms and the self-employed",
                ),
                _share("县级所得税分享比例", "county share of income tax"),
                _timing(
                    "months",
                    Figure(
                        _months(5, 12),
                        "calendar_months",
                        "assumption (MKT.4.2.5 defers the tax; from May follows the national "
                        "STA announcement 2020 No. 6, not the plan)",
                    ),
                    "缓缴月份",
                    "months of 2020 whose tax is deferred",
                ),
            ),
            {
                "year": _YEAR_2020,
                "paid_year": Figure(2021, "year", "MKT.4.2.5: 2021年首个申报期"),
                "paid_month": Figure(1, "calendar_months", "MKT.4.2.5: 2021年首个申报期"),
            },
            "yearly_tax ÷ 12 × county_share deferred in each month, all paid in paid_month of "
            "paid_year",
        ),
        Measure(
            "hiring_bonus",
            "EMP.4.2.6",
            "中小微企业吸纳本县劳动力一次性奖补",
            "one-off bonus to SMEs hiring local workers",
            "key_projects",
            (
                _q(
                    "persons_6m",
                    "persons",
                    "稳定就业半年以上（不满1年）人数",
                    "hires stable six months (less than a year)",
                ),
                _q("persons_12m", "persons", "稳定就业1年以上人数", "hires stable a year or more"),
                _share(),
            ),
            {
                "year": _YEAR_2020,
                "hire_months": Figure(
                    _months(1, 12),
                    "calendar_months",
                    "EMP.4.2.6: 2020年1月1日至12月31日; hires even over the year: assumption",
                ),
                "bonus_6m": Figure(1000, "yuan_per_person", "EMP.4.2.6: 1000元/人"),
                "bonus_12m": Figure(2000, "yuan_per_person", "EMP.4.2.6: 2000元/人"),
                "lag_6m": Figure(6, "months", "EMP.4.2.6: 稳定就业半年以上; paid then: assumption"),
                "lag_12m": Figure(
                    12, "months", "EMP.4.2.6: 稳定就业1年以上; paid then: assumption"
                ),
            },
            "persons × bonus × county_share, hires even over hire_months, each paid lag months "
            "after hiring; a person counts once, in the longest band reached",
        ),
        Measure(
            "hiring_poor_bonus",
            "EMP.4.2.7",
            "吸纳贫困劳动力就业一次性奖补",
            "one-off bonus for hiring poor workers",
            "key_projects",
            (
                _q(
                    "persons_6m",
                    "persons",
                    "稳定就业半年以上（不满1年）的贫困劳动力",
                    "poor workers stable six months (less than a year)",
                ),
                _q(
                    "persons_12m",
                    "persons",
                    "稳定就业1年以上的贫困劳动力",
                    "poor workers stable a year or more",
                ),
                _share(),
                _timing(
                    "hire_months",
                    Figure(
                        _months(3, 6),
                        "calendar_months",
                        "assumption (EMP.4.2.7: 疫情防控期间; hires even over March-June)",
                    ),
                    "吸纳就业月份",
                    "months the poor workers were hired",
                ),
            ),
            {
                "year": _YEAR_2020,
                "bonus_6m": Figure(3000, "yuan_per_person", "EMP.4.2.7: 3000元/人"),
                "bonus_12m": Figure(5000, "yuan_per_person", "EMP.4.2.7: 5000元/人"),
                "lag_6m": Figure(6, "months", "EMP.4.2.7: 稳定就业半年; paid then: assumption"),
                "lag_12m": Figure(12, "months", "EMP.4.2.7: 1年以上; paid then: assumption"),
            },
            "persons × bonus × county_share, hires even over hire_months, each paid lag months "
            "after hiring; a person counts once, in the longest band reached",
        ),
        Measure(
            "labour_transfer",
            "EMP.4.3.11",
            "劳动力输转奖补（交通补贴、劳务奖补、生活费补贴、中介奖补）",
            "labour transfer: transport, work awards, living allowance, agency awards",
            "key_projects",
            (
                _q(
                    "persons_in_province",
                    "persons",
                    "有组织输转省内务工的贫困户和边缘户劳动力",
                    "poor and edge-household workers transferred within the province",
                ),
                _q(
                    "persons_out_of_province",
                    "persons",
                    "有组织输转省外务工的贫困户和边缘户劳动力",
                    "poor and edge-household workers transferred out of the province",
                ),
                _q(
                    "persons_3m",
                    "persons",
                    "稳定就业连续满3个月人数",
                    "transferred workers in stable work three months",
                ),
                _q(
                    "persons_6m",
                    "persons",
                    "稳定就业连续满6个月人数",
                    "transferred workers in stable work six months",
                ),
                _q(
                    "persons_agency",
                    "persons",
                    "中介机构有组织输转并履行6个月以上合同人数",
                    "workers placed by agencies on contracts of six months or more",
                ),
                _share(),
                _timing(
                    "departure_months",
                    Figure(
                        _months(3, 5),
                        "calendar_months",
                        "assumption (EMP.4.3.11: 疫情防控期间; departures even over March-May)",
                    ),
                    "输转出行月份",
                    "months the workers left",
                ),
            ),
            {
                "year": _YEAR_2020,
                "transport_in_province": Figure(300, "yuan_per_person", "EMP.4.3.11: 省内300元"),
                "transport_out_of_province": Figure(
                    600, "yuan_per_person", "EMP.4.3.11: 省外600元"
                ),
                "award_3m": Figure(1800, "yuan_per_person", "EMP.4.3.11: 满3个月1800元"),
                "living_3m": Figure(1500, "yuan_per_person", "EMP.4.3.11: 满3个月生活费1500元"),
                "award_6m": Figure(2400, "yuan_per_person", "EMP.4.3.11: 满6个月再给予2400元"),
                "agency_award": Figure(200, "yuan_per_person", "EMP.4.3.11: 200元/人"),
                "lag_3m": Figure(3, "months", "EMP.4.3.11: 连续满3个月"),
                "lag_6m": Figure(6, "months", "EMP.4.3.11: 连续满6个月; 6个月以上劳动合同"),
            },
            "transport on departure; 3-month award and living allowance three months later; "
            "6-month award and agency award six months later; all × county_share",
            at_most={"persons_6m": "persons_3m"},
        ),
        Measure(
            "public_welfare_jobs",
            "EMP.4.3.13",
            "乡村公益性岗位（含防疫临时公益性岗位）",
            "rural public-welfare jobs (including temporary epidemic jobs)",
            "key_projects",
            (
                _q(
                    "monthly_pay",
                    "yuan_per_person_month",
                    "公益性岗位补贴标准",
                    "subsidy per job and month",
                ),
                _q(
                    "months_regular",
                    "months",
                    "常设公益性岗位2020年在岗月数",
                    "months the regular jobs run in 2020",
                    maximum=12,
                ),
                _q(
                    "months_temporary",
                    "months",
                    "防疫临时公益性岗位在岗月数",
                    "months the temporary epidemic jobs run",
                    maximum=12,
                ),
                _share(),
                _timing(
                    "first_month",
                    Figure(3, "calendar_months", "assumption (jobs from March 2020)"),
                    "岗位起始月份",
                    "first month the jobs run",
                ),
            ),
            {
                "year": _YEAR_2020,
                "jobs": Figure(300, "persons", "EMP.4.3.13: 300个乡村公益性岗位"),
                "temporary_jobs": Figure(136, "persons", "EMP.4.3.13: 其中136个防疫临时公益性岗位"),
            },
            "(jobs − temporary_jobs) × months_regular + temporary_jobs × months_temporary "
            "job-months from first_month, × monthly_pay × county_share",
            within_year=(("months_regular", "first_month"), ("months_temporary", "first_month")),
        ),
        Measure(
            "startup_grant",
            "EMP.4.4.21",
            "首次创业一次性创业补贴",
            "one-off start-up grant for first-time founders",
            "key_projects",
            (
                _q(
                    "persons",
                    "persons",
                    "首次创业且正常经营1年以上人数",
                    "first-time founders in business a year or more",
                ),
                _share(),
                _timing(
                    "pay_months",
                    Figure(
                        _months(9, 12),
                        "calendar_months",
                        "assumption (paid evenly September-December, after the plan's issue)",
                    ),
                    "发放月份",
                    "months the grants are paid",
                ),
            ),
            {
                "year": _YEAR_2020,
                "grant": Figure(5000, "yuan_per_person", "EMP.4.4.21: 5000元一次性创业补贴"),
            },
            "persons × grant × county_share, evenly over pay_months",
        ),
        Measure(
            "training_subsidy",
            "EMP.4.5.23",
            "用工企业吸纳贫困劳动力培训补助",
            "training subsidy for firms hiring trained poor workers",
            "key_projects",
            (
                _q(
                    "persons_3m",
                    "persons",
                    "稳定就业3个月以上（不满6个月）人数",
                    "trainees employed three months (less than six)",
                ),
                _q(
                    "persons_6m",
                    "persons",
                    "稳定就业6个月以上人数",
                    "trainees employed six months or more",
                ),
                _share(),
                _timing(
                    "placement_months",
                    Figure(
                        _months(3, 8),
                        "calendar_months",
                        "assumption (EMP.4.5.23: 疫情期间; placements even over March-August)",
                    ),
                    "上岗月份",
                    "months the trainees were placed",
                ),
            ),
            {
                "year": _YEAR_2020,
                "subsidy_3m": Figure(1000, "yuan_per_person", "EMP.4.5.23: 1000元/人"),
                "subsidy_6m": Figure(2000, "yuan_per_person", "EMP.4.5.23: 2000元/人"),
                "lag_3m": Figure(3, "months", "EMP.4.5.23: 稳定就业3个月以上"),
                "lag_6m": Figure(6, "months", "EMP.4.5.23: 6个月以上"),
            },
            "persons × subsidy × county_share, placements even over placement_months, each "
            "paid lag months later; a person counts once, in the longest band reached",
        ),
        Measure(
            "assistance_standards_raise",
            "LIV.4.3.9",
            "城乡低保、特困救助供养标准提高10%",
            "subsistence allowance (低保) and extreme-poverty support standards +10 %",
            "livelihood",
            (
                _q(
                    "months",
                    "months",
                    "2020年按新标准发放月数（至12月）",
                    "months of 2020 paid at the raised standard (ending in December)",
                    maximum=12,
                ),
            ),
            {
                "year": _YEAR_2020,
                "raise": Figure(0.10, "fraction", "LIV.4.3.9: 保障标准和补助水平提高10%"),
                "programmes": Figure(
                    ("dibao", "tekun"), "choice", "LIV.4.3.9: 城乡低保、特困救助供养"
                ),
            },
            "Σ recipients × standard × raise × months × county_share over the programme rows; "
            "the raise holds in later years (12 months), standards growing as the livelihood need",
        ),
        Measure(
            "price_subsidy_doubling",
            "LIV.4.3.9",
            "3-6月价格临时补贴标准提高1倍，孤儿和事实无人抚养儿童纳入",
            "monthly price subsidy doubled March-June; orphans and unsupported children added",
            "livelihood",
            (
                _q(
                    "added_recipients",
                    "persons",
                    "新纳入的孤儿和事实无人抚养儿童",
                    "orphans and de-facto unsupported children brought in",
                ),
            ),
            {
                "year": _YEAR_2020,
                "factor": Figure(2.0, "fraction", "LIV.4.3.9: 每月价格临时补贴标准提高1倍"),
                "months": Figure(_months(3, 6), "calendar_months", "LIV.4.3.9: 3月至6月"),
                "programme": Figure("price_subsidy", "choice", "LIV.4.3.9: 价格临时补贴"),
            },
            "(recipients × (factor − 1) + added_recipients × factor) × standard × county_share "
            "of the price-subsidy row, in each month",
        ),
        Measure(
            "sme_arrears",
            "MKT.4.3.8-9",
            "清理拖欠民营企业中小企业账款",
            "arrears owed to private firms and SMEs cleared",
            "clearing",
            (),
            {
                "small_item_limit": Figure(500, "wan_yuan", "MKT.4.3.9: 500万元以下的欠款"),
                "small_deadline": Figure(6, "calendar_months", "MKT.4.3.9: 6月底前实现清零"),
                "other_deadline": Figure(10, "calendar_months", "MKT.4.3.9: 10月底前清偿完毕"),
            },
            "carried by the arrears.* parameters (tier 5, on their monthly schedule); listing "
            "the measure shows the payments in the measure table",
            parameters=(
                "arrears.small_items",
                "arrears.other_items",
                "arrears.clear_year",
                "arrears.small_profile",
                "arrears.other_profile",
            ),
        ),
    )
}


# -- the `measures:` section of a scenario file ---------------------------------------------------


def _hint(word: str, choices) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _number(value, quantity: Quantity, where: tuple) -> float:
    file, key, line = where
    unit = quantity.unit
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ScenarioError(file, key, f"expected a number ({unit}), got {value!r}", line=line)
    number = float(value)
    if not math.isfinite(number):
        raise ScenarioError(file, key, f"expected a finite number, got {value!r}", line=line)
    if number < 0:
        raise ScenarioError(file, key, f"expected at least 0 {unit}, got {value!r}", line=line)
    upper = quantity.maximum if quantity.maximum is not None else UNIT_MAXIMA.get(unit)
    if upper is not None and number > upper:
        message = f"expected at most {upper:g} {unit}, got {value!r}"
        raise ScenarioError(file, key, message, line=line)
    return number


def _calendar_months(value, quantity: Quantity, where: tuple):
    """One calendar month (``kind="month"``) or a list of them, checked against the plan."""
    file, key, line = where
    first, last = quantity.within
    span = f"{first}-{last}"

    def month(item) -> int:
        if isinstance(item, bool) or not isinstance(item, int) or not first <= item <= last:
            raise ScenarioError(
                file, key, f"expected a calendar month {span}, got {item!r}", line=line
            )
        return item

    if quantity.kind == "month":
        return month(value)
    if not isinstance(value, list | tuple) or not value:
        raise ScenarioError(
            file, key, f"expected a list of calendar months {span}, got {value!r}", line=line
        )
    months = tuple(month(item) for item in value)
    if len(set(months)) != len(months):
        raise ScenarioError(file, key, f"expected each month once, got {value!r}", line=line)
    if quantity.count is not None and len(months) != quantity.count:
        raise ScenarioError(
            file,
            key,
            f"expected {quantity.count} months (the plan's number), got {len(months)}",
            line=line,
        )
    return tuple(sorted(months))


def _leaf(node, quantity: Quantity, base: dict | None, where: tuple) -> dict:
    """Validate one quantity leaf; return ``{value, unit, source[, note]}``."""
    file, key, line = where
    if isinstance(node, dict):
        if "value" not in node:
            raise ScenarioError(
                file, key, f"expected a value, or a mapping with {sorted(LEAF_KEYS)}", line=line
            )
        extra = sorted(set(node) - LEAF_KEYS)
        if extra:
            raise ScenarioError(
                file,
                f"{key}.{extra[0]}",
                f"unknown key; a quantity has only {sorted(LEAF_KEYS)}",
                line=line,
            )
        entry = dict(node)
    else:
        entry = {"value": node}
    unit = entry.get("unit")
    if unit is not None and unit != quantity.unit:
        raise ScenarioError(
            file, key, f"wrong unit {unit!r}: expected {quantity.unit!r}", line=line
        )
    if quantity.kind == "number":
        entry["value"] = _number(entry["value"], quantity, where)
    else:
        entry["value"] = _calendar_months(entry["value"], quantity, where)
    entry["unit"] = quantity.unit
    if not entry.get("source"):
        if base is None:
            raise ScenarioError(
                file,
                key,
                "missing source (write the source or the word 'assumption')",
                line=line,
            )
        entry["source"] = f"override in {Path(str(file)).name}"
    entry["source"] = str(entry["source"])
    return entry


def merge_measures(base: dict | None, fragment, file, lines: dict | None = None) -> dict:
    """Validate the ``measures:`` section of one file and merge it over its base's.

    Parameters
    ----------
    base
        The measures resolved so far (from the ``extends`` chain), or ``None``.
    fragment
        The file's ``measures:`` mapping as read from YAML.
    file, lines
        The file, and its map from dotted key path to line number, for error messages.

    Returns
    -------
    dict
        ``{measure_id: {quantity: {"value": float, "unit": str, "source": str}}}``.

    Raises
    ------
    ScenarioError
        Unknown measure or quantity, missing quantity or source, wrong unit, a negative,
        non-finite or too-large value, a subset larger than its set, months outside the
        plan's span or past December, or ``null`` for a measure the base does not list.

    Examples
    --------
    >>> merge_measures(None, {"startup_grant": {"persons": 10, "county_share": 1}}, "x.yaml")
    Traceback (most recent call last):
    ...
    fiscal_sim.errors.ScenarioError: x.yaml: measures.startup_grant.persons: missing source \
(write the source or the word 'assumption')
    """
    lines = lines or {}
    merged = {key: dict(value) for key, value in (base or {}).items()}
    if fragment is None:
        fragment = {}
    if not isinstance(fragment, dict):
        raise ScenarioError(
            file, "measures", "expected a mapping of measure ids", line=lines.get("measures")
        )
    for measure_id, node in fragment.items():
        path = f"measures.{measure_id}"
        if measure_id not in CATALOGUE:
            raise ScenarioError(
                file,
                path,
                f"unknown measure{_hint(measure_id, CATALOGUE)}; "
                f"measures are: {', '.join(CATALOGUE)}",
                line=lines.get(path),
            )
        measure = CATALOGUE[measure_id]
        if node is None:  # `measure_id: null` takes out a measure the base lists
            if measure_id not in merged:
                raise ScenarioError(
                    file,
                    path,
                    "null removes an inherited measure, but the base does not list "
                    f"{measure_id} (to list a measure, give its quantities)",
                    line=lines.get(path),
                )
            del merged[measure_id]
            continue
        if not isinstance(node, dict):
            raise ScenarioError(
                file, path, "expected a mapping of quantities", line=lines.get(path)
            )
        names = [q.name for q in measure.quantities]
        previous = merged.get(measure_id)
        entry = dict(previous or {})
        for name, leaf in node.items():
            key = f"{path}.{name}"
            if name not in names:
                expected = ", ".join(names) if names else "none"
                raise ScenarioError(
                    file,
                    key,
                    f"unknown quantity{_hint(name, names)}; {measure_id} takes: {expected}",
                    line=lines.get(key),
                )
            where = (file, key, lines.get(key))
            entry[name] = _leaf(leaf, measure.quantity(name), entry.get(name), where)
        for quantity in measure.quantities:
            if quantity.name in entry:
                continue
            if quantity.optional:  # the catalogue's assumption, sourced as such
                default = quantity.default
                entry[quantity.name] = {
                    "value": default.value,
                    "unit": quantity.unit,
                    "source": default.source,
                }
                continue
            raise ScenarioError(
                file,
                f"{path}.{quantity.name}",
                f"missing quantity ({quantity.unit}): {quantity.label_en}",
                line=lines.get(path),
            )
        for small, large in measure.at_most.items():
            if entry[small]["value"] > entry[large]["value"]:
                raise ScenarioError(
                    file,
                    f"{path}.{small}",
                    f"expected at most {large} ({entry[large]['value']:g}), "
                    f"got {entry[small]['value']:g}",
                    line=lines.get(f"{path}.{small}"),
                )
        for months, first in measure.within_year:
            room = MONTHS_A_YEAR - entry[first]["value"] + 1
            if entry[months]["value"] > room:
                changed = months if months in node else first
                raise ScenarioError(
                    file,
                    f"{path}.{changed}",
                    f"expected {months} to end by December: at most {room} months from "
                    f"{first} {entry[first]['value']}, got {entry[months]['value']:g}",
                    line=lines.get(f"{path}.{changed}", lines.get(path)),
                )
        merged[measure_id] = entry
    return merged
