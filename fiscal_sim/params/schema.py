"""The one schema of scenario parameters: path, unit, kind, bilingual label and bounds.

A scenario file supplies each parameter's value, unit (checked against this schema) and
source; labels come from here so that they are written once. Kinds:

``scalar``   one number (a base-year flow, an end-of-base-year stock, a rate);
``yearly``   one number per projection year, given as a number (every year) or a mapping
             ``{year: value}`` read as a step function (a value holds until the next year given);
``profile``  twelve monthly shares that sum to 1;
``choice``   one word from a closed list;
``order``    a permutation of a closed list (the waterfall's priority order);
``table``    named rows with fixed fields (the livelihood programmes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

UNITS = {
    "wan_yuan": ("万元", "10,000 yuan"),
    "wan_yuan_per_person_year": ("万元/人·年", "10,000 yuan per person-year"),
    "yuan_per_person_month": ("元/人·月", "yuan per person-month"),
    "fraction": ("比例", "fraction"),
    "persons": ("人", "persons"),
    "year": ("年份", "calendar year"),
    "years": ("年", "years"),
    "months": ("月", "months"),
    "month": ("月份", "calendar month"),
    "shares": ("月度份额", "monthly shares"),
    "choice": ("选项", "choice"),
}

# The largest value of a unit, for a parameter (or measure quantity) that names no maximum of
# its own: orders of magnitude above any county (a county budget is ~10^5-10^6 万元, China's
# whole public budget ~3 x 10^9 万元), so that a slip such as 1e308 is refused at load instead
# of overflowing in the engine. Years and months bound the arrays the engine allocates.
UNIT_MAXIMA = {
    "wan_yuan": 1e10,
    "wan_yuan_per_person_year": 1e4,
    "yuan_per_person_month": 1e6,
    "fraction": 10.0,
    "persons": 1e8,
    "year": 2100,
    "years": 100,
    "months": 120,
    "month": 12,
}

MAX_HORIZON_YEARS = 50
"""The longest projection: at most 50 years after the base year."""

MAX_TABLE_ROWS = 200
"""The most rows of a table parameter (livelihood programmes; a county has about a dozen)."""

# Thresholds whose order the rules rely on: (lower, upper) must hold lower <= upper.
ORDERED = (
    ("rules.cash_alarm_level", "rules.cash_low_level"),
    ("rules.cash_low_level", "rules.cash_idle_level"),
    ("rules.debt_ratio_warning", "rules.debt_ratio_high"),
    ("rules.cut_mandate_from", "rules.cut_mandate_to"),
)

TIERS = (
    "wages",
    "livelihood",
    "operations",
    "debt_service",
    "clearing",
    "key_projects",
    "non_rigid",
    "three_public",
)

# Lines a measure or a policy may change (万元, by month): revenue (+ = more revenue) and the
# planned spending of a tier (+ = more spending). Debt service is set by the debt ledger.
REVENUE_LINES = ("tax", "nontax", "general_transfers", "land_sales")
SPENDING_LINES = tuple(t for t in TIERS if t != "debt_service")
DELTA_LINES = REVENUE_LINES + SPENDING_LINES


@dataclass(frozen=True)
class ParamSpec:
    """What one parameter is: its path, unit, kind, labels and allowed range."""

    path: str
    unit: str
    kind: str
    label_zh: str
    label_en: str
    minimum: float | None = 0.0
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    integer: bool = False
    zero_allowed: bool = False  # a year parameter whose 0 means "not a year" (see its label)
    fields: dict = field(default_factory=dict)

    @property
    def upper(self) -> float | None:
        """The largest allowed value: ``maximum``, else the unit's (:data:`UNIT_MAXIMA`)."""
        return self.maximum if self.maximum is not None else UNIT_MAXIMA.get(self.unit)


def _p(path, unit, kind, zh, en, **kw) -> ParamSpec:
    return ParamSpec(path, unit, kind, zh, en, **kw)


_FRACTION = {"minimum": 0.0, "maximum": 1.0}
# Growth rates and one-off deviations may be negative; above 1 (100 %) is almost surely a
# percentage written where a fraction belongs (6 for 6 %).
_RATE = {"minimum": -1.0, "maximum": 1.0}

PROGRAMME_FIELDS = {
    "recipients": ("persons", "受益人数", "recipients"),
    "standard": ("yuan_per_person_month", "补助标准", "standard"),
    "county_share": ("fraction", "县级负担比例", "county share"),
}

SPECS: tuple[ParamSpec, ...] = (
    # -- horizon ---------------------------------------------------------------------------
    _p("horizon.base_year", "year", "scalar", "基年", "base year", minimum=2000, integer=True),
    _p(
        "horizon.end_year",
        "year",
        "scalar",
        "末年",
        "last projection year",
        minimum=2001,
        integer=True,
    ),
    # -- people ----------------------------------------------------------------------------
    _p(
        "people.staff",
        "persons",
        "scalar",
        "财政供养在职人员",
        "serving fiscally supported staff",
        integer=True,
    ),
    _p(
        "people.attrition",
        "fraction",
        "yearly",
        "在职人员减员率",
        "staff attrition rate",
        **_FRACTION,
    ),
    _p("people.hiring", "fraction", "yearly", "在职人员补员率", "staff hiring rate", **_FRACTION),
    _p(
        "people.retirees",
        "persons",
        "scalar",
        "县级补助的离退休人员",
        "retirees topped up by the county",
        integer=True,
    ),
    _p("people.retirements", "persons", "yearly", "每年新增退休", "new retirements a year"),
    _p("people.retiree_deaths", "persons", "yearly", "每年减少离退休", "retirees leaving a year"),
    # -- pay -------------------------------------------------------------------------------
    _p(
        "pay.average_pay",
        "wan_yuan_per_person_year",
        "scalar",
        "在职人员人均工资",
        "average pay of serving staff",
    ),
    _p("pay.growth", "fraction", "yearly", "工资增长率", "pay growth", **_RATE),
    _p(
        "pay.december_share",
        "fraction",
        "scalar",
        "12月发放绩效工资占比",
        "share of pay paid in December",
        **_FRACTION,
    ),
    _p(
        "pay.loading.pension",
        "fraction",
        "scalar",
        "单位养老保险缴费率",
        "employer pension rate",
        **_FRACTION,
    ),
    _p(
        "pay.loading.annuity",
        "fraction",
        "scalar",
        "单位职业年金缴费率",
        "employer annuity rate",
        **_FRACTION,
    ),
    _p(
        "pay.loading.medical",
        "fraction",
        "scalar",
        "单位医疗保险缴费率",
        "employer medical rate",
        **_FRACTION,
    ),
    _p(
        "pay.loading.housing",
        "fraction",
        "scalar",
        "单位住房公积金缴存率",
        "employer housing fund rate",
        **_FRACTION,
    ),
    _p(
        "pay.loading.unemployment",
        "fraction",
        "scalar",
        "单位失业保险缴费率",
        "employer unemployment rate",
        **_FRACTION,
    ),
    _p(
        "pay.loading.injury",
        "fraction",
        "scalar",
        "单位工伤保险缴费率",
        "employer injury rate",
        **_FRACTION,
    ),
    _p(
        "pay.retiree_topup",
        "wan_yuan_per_person_year",
        "scalar",
        "人均离退休补助",
        "county top-up per retiree",
    ),
    _p(
        "pay.retiree_topup_growth",
        "fraction",
        "yearly",
        "离退休补助增长率",
        "retiree top-up growth",
        **_RATE,
    ),
    # -- tier 2: basic livelihood --------------------------------------------------------
    _p(
        "livelihood.programmes",
        "persons",
        "table",
        "基本民生项目",
        "basic livelihood programmes",
        fields=PROGRAMME_FIELDS,
    ),
    _p(
        "livelihood.standard_growth",
        "fraction",
        "yearly",
        "民生保障标准增长率",
        "growth of livelihood standards",
        **_RATE,
    ),
    # -- tier 3: operations --------------------------------------------------------------
    _p(
        "operations.standard",
        "wan_yuan_per_person_year",
        "scalar",
        "公用经费定额",
        "public-funds standard per staff",
    ),
    _p(
        "operations.standard_growth",
        "fraction",
        "yearly",
        "公用经费定额增长率",
        "growth of the public-funds standard",
        **_RATE,
    ),
    _p("operations.fixed_costs", "wan_yuan", "yearly", "固定运转费用", "fixed running costs"),
    # -- tiers 6-8: projects and 三公 ------------------------------------------------------
    _p("projects.key", "wan_yuan", "scalar", "重点项目支出（基年）", "key projects (base year)"),
    _p(
        "projects.key_growth",
        "fraction",
        "yearly",
        "重点项目支出增长率",
        "key projects growth",
        **_RATE,
    ),
    _p(
        "projects.non_rigid",
        "wan_yuan",
        "scalar",
        "非刚性非重点项目支出（基年）",
        "non-rigid, non-priority projects (base year)",
    ),
    _p(
        "projects.non_rigid_cut",
        "fraction",
        "yearly",
        "非刚性项目支出计划压减率",
        "planned cut of non-rigid projects on the prior year",
        **_RATE,
    ),
    _p(
        "projects.three_public",
        "wan_yuan",
        "scalar",
        "三公经费（基年）",
        "three public funds (base year)",
    ),
    _p(
        "projects.three_public_cut",
        "fraction",
        "yearly",
        "三公经费计划压减率",
        "planned cut of the three public funds on the prior year",
        **_RATE,
    ),
    # -- GPB resources -------------------------------------------------------------------
    _p("revenue.tax", "wan_yuan", "scalar", "税收收入（基年）", "tax revenue (base year)"),
    _p(
        "revenue.nominal_growth",
        "fraction",
        "yearly",
        "名义GDP增长率",
        "nominal GDP growth",
        **_RATE,
    ),
    _p("revenue.tax_buoyancy", "fraction", "scalar", "税收弹性", "tax buoyancy", maximum=5.0),
    _p(
        "revenue.tax_level_shock",
        "fraction",
        "yearly",
        "税收一次性偏离趋势",
        "one-off deviation of tax from trend",
        **_RATE,
    ),
    _p("revenue.nontax", "wan_yuan", "scalar", "非税收入（基年）", "non-tax revenue (base year)"),
    _p("revenue.nontax_growth", "fraction", "yearly", "非税收入增长率", "non-tax growth", **_RATE),
    _p(
        "revenue.nontax_level_shock",
        "fraction",
        "yearly",
        "非税收入一次性偏离趋势",
        "one-off deviation of non-tax revenue from trend",
        **_RATE,
    ),
    _p(
        "revenue.asset_disposals",
        "wan_yuan",
        "yearly",
        "盘活闲置资产收入",
        "one-off disposals of idle assets",
    ),
    _p("revenue.rebates", "wan_yuan", "scalar", "返还性收入（基年）", "tax rebates (base year)"),
    _p(
        "revenue.rebates_growth",
        "fraction",
        "yearly",
        "返还性收入增长率",
        "tax rebates growth",
        **_RATE,
    ),
    _p(
        "revenue.general_transfers",
        "wan_yuan",
        "scalar",
        "一般性转移支付（基年）",
        "general transfers (base year)",
    ),
    _p(
        "revenue.general_transfers_growth",
        "fraction",
        "yearly",
        "一般性转移支付增长率",
        "general transfers growth",
        **_RATE,
    ),
    _p("revenue.direct_funds", "wan_yuan", "yearly", "直达资金", "direct funds (one-off)"),
    _p(
        "revenue.earmarked_transfers",
        "wan_yuan",
        "scalar",
        "专项转移支付（基年）",
        "earmarked transfers (base year)",
    ),
    _p(
        "revenue.earmarked_growth",
        "fraction",
        "yearly",
        "专项转移支付增长率",
        "earmarked transfers growth",
        **_RATE,
    ),
    _p(
        "revenue.remittance",
        "wan_yuan",
        "scalar",
        "上解支出（基年）",
        "remittance to higher level (base year)",
    ),
    _p(
        "revenue.remittance_growth",
        "fraction",
        "yearly",
        "上解支出增长率",
        "remittance growth",
        **_RATE,
    ),
    # -- government fund budget ----------------------------------------------------------
    _p(
        "fund.land_sales",
        "wan_yuan",
        "scalar",
        "国有土地使用权出让收入（基年）",
        "land-use-right sales (base year)",
    ),
    _p(
        "fund.land_growth", "fraction", "yearly", "土地出让收入增长率", "land sales growth", **_RATE
    ),
    _p(
        "fund.land_level_shock",
        "fraction",
        "yearly",
        "土地出让收入一次性偏离趋势",
        "one-off deviation of land sales from trend",
        **_RATE,
    ),
    _p(
        "fund.other_revenue",
        "wan_yuan",
        "scalar",
        "其他基金收入（基年）",
        "other fund revenue (base year)",
    ),
    _p(
        "fund.other_growth",
        "fraction",
        "yearly",
        "其他基金收入增长率",
        "other fund revenue growth",
        **_RATE,
    ),
    _p(
        "fund.acquisition_share",
        "fraction",
        "scalar",
        "征地拆迁成本占土地收入比例",
        "land acquisition cost as a share of land sales",
        **_FRACTION,
    ),
    _p("fund.other_programmes", "wan_yuan", "yearly", "其他基金支出", "other fund programmes"),
    _p(
        "fund.transfer_out_share",
        "fraction",
        "scalar",
        "调出资金占基金收入比例",
        "planned transfer to the GPB as a share of fund revenue",
        **_FRACTION,
    ),
    _p(
        "fund.carryover_cap_share",
        "fraction",
        "scalar",
        "基金结转上限占当年收入比例",
        "fund carry-over cap as a share of the year's fund revenue",
        **_FRACTION,
    ),
    _p(
        "fund.opening_balance",
        "wan_yuan",
        "scalar",
        "基金预算年初结转",
        "fund carry-over at base-year end",
    ),
    # -- debt ----------------------------------------------------------------------------
    _p("debt.general.balance", "wan_yuan", "scalar", "一般债务余额", "general debt balance"),
    _p("debt.general.ceiling", "wan_yuan", "scalar", "一般债务限额", "general debt ceiling"),
    _p("debt.general.new_issue", "wan_yuan", "yearly", "新增一般债券", "new general bonds"),
    _p(
        "debt.general.ceiling_increase",
        "wan_yuan",
        "yearly",
        "新增一般债务限额",
        "increase of the general debt ceiling",
    ),
    _p("debt.general.rate", "fraction", "yearly", "一般债券利率", "general bond rate", **_FRACTION),
    _p(
        "debt.general.maturity_years",
        "years",
        "scalar",
        "一般债务平均剩余期限",
        "average remaining maturity of general debt",
        minimum=1.0,
    ),
    _p(
        "debt.general.refinancing_share",
        "fraction",
        "yearly",
        "一般债务到期再融资比例",
        "share of general principal due refinanced",
        **_FRACTION,
    ),
    _p("debt.special.balance", "wan_yuan", "scalar", "专项债务余额", "special debt balance"),
    _p("debt.special.ceiling", "wan_yuan", "scalar", "专项债务限额", "special debt ceiling"),
    _p("debt.special.new_issue", "wan_yuan", "yearly", "新增专项债券", "new special bonds"),
    _p(
        "debt.special.ceiling_increase",
        "wan_yuan",
        "yearly",
        "新增专项债务限额",
        "increase of the special debt ceiling",
    ),
    _p("debt.special.rate", "fraction", "yearly", "专项债券利率", "special bond rate", **_FRACTION),
    _p(
        "debt.special.maturity_years",
        "years",
        "scalar",
        "专项债务平均剩余期限",
        "average remaining maturity of special debt",
        minimum=1.0,
    ),
    _p(
        "debt.special.refinancing_share",
        "fraction",
        "yearly",
        "专项债务到期再融资比例",
        "share of special principal due refinanced",
        **_FRACTION,
    ),
    # -- treasury advances ---------------------------------------------------------------
    _p(
        "advances.legacy",
        "wan_yuan",
        "scalar",
        "2018年末暂付款余额",
        "treasury advances outstanding at base-year end",
    ),
    _p(
        "advances.digestion",
        "fraction",
        "yearly",
        "暂付款存量年度消化比例",
        "share of the legacy stock digested in the year",
        **_FRACTION,
    ),
    _p(
        "advances.recovery_share",
        "fraction",
        "yearly",
        "消化中收回比例",
        "share of digestion by recovery (rest written off in the budget)",
        **_FRACTION,
    ),
    _p("advances.new_issued", "wan_yuan", "yearly", "新增暂付款", "new advances issued"),
    _p(
        "advances.rollover_share",
        "fraction",
        "yearly",
        "到期未收回比例",
        "share of new advances not repaid within the term",
        **_FRACTION,
    ),
    _p(
        "advances.overdue_recovery",
        "fraction",
        "scalar",
        "逾期暂付款年回收率",
        "yearly recovery rate of overdue advances",
        **_FRACTION,
    ),
    # -- SME arrears (清欠) -----------------------------------------------------------------
    _p(
        "arrears.small_items",
        "wan_yuan",
        "scalar",
        "500万元以下欠款",
        "arrears owed in items under 5 million yuan",
    ),
    _p("arrears.other_items", "wan_yuan", "scalar", "其他无分歧欠款", "other undisputed arrears"),
    _p(
        "arrears.clear_year",
        "year",
        "scalar",
        "清欠年度",
        "year the arrears are cleared",
        integer=True,
        minimum=2000,
    ),
    _p(
        "arrears.small_profile",
        "shares",
        "profile",
        "小额欠款清偿月度安排",
        "monthly schedule of small-item payments",
    ),
    _p(
        "arrears.other_profile",
        "shares",
        "profile",
        "其他欠款清偿月度安排",
        "monthly schedule of other payments",
    ),
    # -- stock funds (存量资金) -------------------------------------------------------------
    _p("stock_funds.age0", "wan_yuan", "scalar", "结转不足1年", "carry-overs under one year"),
    _p("stock_funds.age1", "wan_yuan", "scalar", "结转1-2年", "carry-overs of one to two years"),
    _p(
        "stock_funds.age2", "wan_yuan", "scalar", "结转两年以上", "carry-overs of two years or more"
    ),
    _p("stock_funds.formed", "wan_yuan", "yearly", "当年新形成结转", "new carry-overs formed"),
    _p(
        "stock_funds.use_age0",
        "fraction",
        "scalar",
        "不足1年结转次年使用比例",
        "share of under-one-year carry-overs spent in the next year",
        **_FRACTION,
    ),
    _p(
        "stock_funds.use_age1",
        "fraction",
        "scalar",
        "1-2年结转使用比例",
        "share of one-to-two-year carry-overs spent",
        **_FRACTION,
    ),
    _p(
        "stock_funds.recovery_rate",
        "fraction",
        "yearly",
        "两年以上结转收回比例",
        "share of carry-overs of two years or more recovered",
        **_FRACTION,
    ),
    # -- treasury cash -------------------------------------------------------------------
    _p(
        "treasury.opening_cash",
        "wan_yuan",
        "scalar",
        "年初库款余额",
        "treasury cash at base-year end",
    ),
    _p(
        "stabilization.opening_balance",
        "wan_yuan",
        "scalar",
        "预算稳定调节基金余额",
        "stabilisation fund at base-year end",
    ),
    _p("profiles.tax", "shares", "profile", "税收入库月度分布", "monthly profile of tax receipts"),
    _p(
        "profiles.general_transfers",
        "shares",
        "profile",
        "一般性转移支付月度分布",
        "monthly profile of general transfers",
    ),
    _p(
        "profiles.earmarked_transfers",
        "shares",
        "profile",
        "专项转移支付月度分布",
        "monthly profile of earmarked transfers",
    ),
    _p(
        "profiles.earmarked_spending",
        "shares",
        "profile",
        "专项支出月度分布",
        "monthly profile of earmarked spending",
    ),
    _p(
        "profiles.projects",
        "shares",
        "profile",
        "项目支出月度分布",
        "monthly profile of project spending",
    ),
    _p(
        "profiles.land_sales",
        "shares",
        "profile",
        "土地出让收入月度分布",
        "monthly profile of land sales",
    ),
    _p(
        "profiles.general_bonds",
        "shares",
        "profile",
        "一般债券发行月度分布",
        "monthly profile of general bond issuance",
    ),
    _p(
        "profiles.special_bonds",
        "shares",
        "profile",
        "专项债券发行月度分布",
        "monthly profile of special bond issuance",
    ),
    _p("profiles.even", "shares", "profile", "均衡月度分布", "even monthly profile"),
    # -- policy choices ------------------------------------------------------------------
    _p(
        "policy.priority",
        "choice",
        "order",
        "支出保障优先顺序",
        "priority order of the waterfall",
        choices=TIERS,
    ),
    _p(
        "policy.gap_financing",
        "choice",
        "choice",
        "收支缺口处理方式",
        "how a budget gap is financed",
        choices=("none", "fund", "advances", "arrears"),
    ),
    _p(
        "policy.surplus_budgeted_share",
        "fraction",
        "yearly",
        "预计结余纳入预算安排比例（以收定支）",
        "share of the foreseen surplus budgeted for key projects",
        **_FRACTION,
    ),
    _p(
        "policy.unpaid_debt_service",
        "choice",
        "choice",
        "未足额偿还的债务还本付息处理",
        "what happens to debt service the budget does not fund",
        choices=("deducted", "carried"),
    ),
    _p(
        "policy.surplus_use",
        "choice",
        "choice",
        "结余使用",
        "use of a budget surplus",
        choices=("fund", "digestion"),
    ),
    # -- rule thresholds (cited to their clauses) ----------------------------------------
    _p(
        "rules.non_rigid_cut_min",
        "fraction",
        "scalar",
        "非刚性项目支出最低压减率",
        "minimum cut of non-rigid project spending",
        **_FRACTION,
    ),
    _p(
        "rules.three_public_cut_min",
        "fraction",
        "scalar",
        "三公经费最低压减率",
        "minimum cut of the three public funds",
        **_FRACTION,
    ),
    _p(
        "rules.cut_mandate_from",
        "year",
        "scalar",
        "压减要求起始年",
        "first year of the cut mandate",
        integer=True,
        minimum=2000,
    ),
    _p(
        "rules.cut_mandate_to",
        "year",
        "scalar",
        "压减要求终止年",
        "last year of the cut mandate",
        integer=True,
        minimum=2000,
    ),
    _p(
        "rules.cut_base_year",
        "year",
        "scalar",
        "压减比较基年（0为上年）",
        "base year of the cut comparison (0 = prior year)",
        integer=True,
        zero_allowed=True,
    ),
    _p(
        "rules.advance_cap_ratio",
        "fraction",
        "scalar",
        "暂付款余额上限比例",
        "cap on advances as a share of GPB + GFB expenditure",
        **_FRACTION,
    ),
    _p(
        "rules.advance_term_years",
        "years",
        "scalar",
        "暂付款最长期限",
        "longest term of an advance",
    ),
    _p(
        "rules.legacy_deadline_year",
        "year",
        "scalar",
        "暂付款存量消化完毕年度",
        "year by which the legacy stock is digested",
        integer=True,
        minimum=2000,
    ),
    _p(
        "rules.arrears_deadline_year",
        "year",
        "scalar",
        "清欠完成年度",
        "year by which the SME arrears are cleared",
        integer=True,
        minimum=2000,
    ),
    _p(
        "rules.arrears_small_deadline_month",
        "month",
        "scalar",
        "500万元以下欠款清零月份",
        "month by whose end arrears under 5 million yuan are cleared",
        integer=True,
        minimum=1,
        maximum=12,
    ),
    _p(
        "rules.arrears_other_deadline_month",
        "month",
        "scalar",
        "其他无分歧欠款清偿完毕月份",
        "month by whose end the other undisputed arrears are cleared",
        integer=True,
        minimum=1,
        maximum=12,
    ),
    _p(
        "rules.cash_alarm_level",
        "months",
        "scalar",
        "库款保障水平预警线",
        "treasury cash alarm level",
    ),
    _p("rules.cash_low_level", "months", "scalar", "库款保障水平偏低线", "treasury cash low level"),
    _p(
        "rules.cash_idle_level",
        "months",
        "scalar",
        "库款保障水平闲置线",
        "treasury cash idle level",
    ),
    _p(
        "rules.debt_ratio_warning",
        "fraction",
        "scalar",
        "债务率警戒线",
        "debt ratio warning line",
        maximum=10.0,
    ),
    _p(
        "rules.debt_ratio_high",
        "fraction",
        "scalar",
        "债务率高风险线",
        "debt ratio high-risk line",
        maximum=10.0,
    ),
    _p(
        "rules.stock_fund_max_age",
        "years",
        "scalar",
        "存量资金最长结转年限",
        "oldest carry-over age before recovery",
    ),
)

BY_PATH: dict[str, ParamSpec] = {spec.path: spec for spec in SPECS}

TABLE_PATHS = {spec.path for spec in SPECS if spec.kind == "table"}


def spec_for(path: str) -> ParamSpec | None:
    """The spec of ``path``: a schema parameter, or a field of a table row
    (``livelihood.programmes.<row>.<field>``); None when the path is unknown."""
    spec = BY_PATH.get(path)
    if spec is not None:
        return spec
    parts = path.split(".")
    table = ".".join(parts[:2])
    if table in TABLE_PATHS and len(parts) == 4 and parts[3] in PROGRAMME_FIELDS:
        unit, zh, en = PROGRAMME_FIELDS[parts[3]]
        maximum = 1.0 if unit == "fraction" else None
        return ParamSpec(path, unit, "scalar", zh, en, maximum=maximum)
    return None
