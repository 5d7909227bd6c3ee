"""Bilingual names and meanings of indicators, tiers and lines; the current display language.

One module, though over 500 lines: it is the project's one vocabulary, mostly data (the
indicator, column and tier tables) with the few functions that look words up in it; split,
a label would have two homes.

Examples
--------
>>> label("advance_ratio", "zh")
'暂付款余额占支出比例'
>>> label("wages", "en")
'wages (保工资)'
"""

from __future__ import annotations

import re

from fiscal_sim.numbers import format_value, kind_of_unit
from fiscal_sim.params.schema import UNITS

LANGS = ("zh", "en")
_lang = "zh"

# key: (中文, English, unit, how it is computed, clause)
INDICATORS: dict[str, tuple[str, str, str, str, str]] = {
    "gpb_expenditure": (
        "一般公共预算支出",
        "GPB expenditure",
        "wan_yuan",
        "funded tiers + earmarked spending − debt principal",
        "model.md §3",
    ),
    "gfb_expenditure": (
        "政府性基金预算支出",
        "GFB expenditure",
        "wan_yuan",
        "land acquisition + bond projects + special interest + other programmes",
        "model.md §4",
    ),
    "own_revenue": (
        "本级一般公共预算收入",
        "own revenue",
        "wan_yuan",
        "tax + non-tax revenue",
        "model.md §2",
    ),
    "self_sufficiency": (
        "财政自给率",
        "self-sufficiency",
        "fraction",
        "own revenue ÷ GPB expenditure",
        "model.md §2",
    ),
    "sanbao_need": (
        "三保支出需求",
        "三保 need",
        "wan_yuan",
        "need of tiers 1–3: wages, basic livelihood, operations",
        "OPS.1",
    ),
    "sanbao_shortfall": (
        "三保缺口",
        "三保 shortfall",
        "wan_yuan",
        "need − funded of tiers 1–3",
        "OPS.2.1, OPS.2.2",
    ),
    "advance_balance": (
        "暂付款余额",
        "advance balance",
        "wan_yuan",
        "legacy + new within term + overdue + gap-cover advances",
        "OPS.4.3.2",
    ),
    "advance_ratio": (
        "暂付款余额占支出比例",
        "advance ratio",
        "fraction",
        "advance balance ÷ (GPB expenditure + GFB expenditure)",
        "OPS.4.3.2",
    ),
    "legacy_advances": (
        "2018年末暂付款存量余额",
        "legacy advances",
        "wan_yuan",
        "end-2018 stock − cumulative recovery − cumulative write-off",
        "OPS.4.3.1",
    ),
    "legacy_digested_cum": (
        "累计消化暂付款存量",
        "legacy digested (cumulative)",
        "wan_yuan",
        "end-2018 stock − legacy advances",
        "OPS.4.3.1",
    ),
    "cash_year_end": (
        "年末库款余额",
        "treasury cash at year end",
        "wan_yuan",
        "December month-end cash",
        "OPS.4.3.3",
    ),
    "cash_cover_min_months": (
        "最低库款保障水平",
        "lowest cash cover",
        "months",
        "min over months of month-end cash ÷ average monthly outflow",
        "OPS.4.3.3",
    ),
    "debt_total": (
        "政府债务余额",
        "government debt",
        "wan_yuan",
        "general + special debt",
        "OPS.4.4.2",
    ),
    "debt_ratio": (
        "债务率",
        "debt ratio",
        "fraction",
        "debt ÷ 综合财力 (own revenue + transfers + fund revenue)",
        "OPS.4.4.2",
    ),
    "headcount": (
        "财政供养在职人员",
        "serving staff",
        "persons",
        "prior year × (1 − attrition + hiring)",
        "OPS.5.2",
    ),
    "stabilization_fund": (
        "预算稳定调节基金余额",
        "stabilisation fund",
        "wan_yuan",
        "prior balance − draws + surpluses",
        "model.md §3",
    ),
}

# The indicators of a Monte Carlo ensemble that are not in INDICATORS (fiscal_sim.ensemble).
EXTRA_INDICATOR_LABELS = {
    "tax": ("税收收入", "tax revenue"),
    "nontax": ("非税收入", "non-tax revenue"),
    "general_transfers": ("一般性转移支付", "general transfers"),
    "land_sales": ("土地出让收入", "land sales"),
    "wage_risk_months": ("工资风险月数", "wage-arrears risk months"),
    "sanbao_shortfall_cum": ("累计三保缺口", "三保 shortfall, cumulative"),
}
TIER_LABELS = {
    "wages": ("保工资", "wages (保工资)"),
    "livelihood": ("保基本民生", "basic livelihood (保基本民生)"),
    "operations": ("保运转", "operations (保运转)"),
    "debt_service": ("债务还本付息", "debt service"),
    "clearing": ("消化暂付款与清欠", "mandated clearing"),
    "key_projects": ("重点项目", "key projects"),
    "non_rigid": ("非刚性非重点项目", "non-rigid projects"),
    "three_public": ("三公经费", "three public funds (三公)"),
}

COLUMNS = {
    "year": ("年度", "year"),
    "month": ("月份", "month"),
    "tier": ("层级", "tier"),
    "tier_no": ("序号", "no."),
    "need": ("需求", "need"),
    "budget": ("年初预算", "adopted budget"),
    "funded": ("已保障", "funded"),
    "paid": ("已支付", "paid"),
    "shortfall": ("缺口", "shortfall"),
    "executed": ("实际执行", "executed"),
    "receipts": ("库款流入", "receipts"),
    "payments": ("库款流出", "payments"),
    "cash": ("月末库款", "month-end cash"),
    "payroll": ("工资发放", "payroll"),
    "wage_covered": ("工资有保障", "wages covered"),
    "cash_level": ("库款保障水平", "cash cover (months)"),
    "cash_class": ("库款状态", "cash class"),
    "deferred_payments": ("缓付款项", "deferred payments"),
    "cash_anchor_adjustment": ("实际库款校准差额", "treasury anchor adjustment"),
    "legacy_restart_adjustment": ("存量暂付款按实际调整", "legacy advances restarted from actuals"),
    "cut_not_absorbed": ("剩余月份无法消化的压减", "cut the months left cannot absorb"),
    "sme_arrears": ("拖欠企业账款余额", "SME arrears owed"),
    "arrears_restart_adjustment": ("清欠按实际调整", "SME arrears restarted from actuals"),
    "new_advances_restart_adjustment": (
        "新增暂付款按实际调整",
        "new advances restarted from actuals",
    ),
    "book": ("账本", "book"),
    "line": ("项目", "line"),
    "value": ("数值（万元）", "value (万元)"),
}

# The columns of a findings table (fiscal_sim.rules.findings) and of an assessment's tables.
FINDING_COLUMNS = {
    "severity": ("结果", "severity"),
    "rule": ("规则", "rule"),
    "clause": ("条款", "clause"),
    "year": ("年度", "year"),
    "month": ("月份", "month"),
    "aspect": ("方面", "aspect"),
    "value": ("数值", "value"),
    "threshold": ("阈值", "threshold"),
    "margin": ("余量", "margin"),
    "unit": ("单位", "unit"),
    "message": ("说明", "message"),
    "change": ("变化", "change"),
    "margin_before": ("实施前余量", "margin before"),
    "margin_after": ("实施后余量", "margin after"),
}

SEVERITY_LABELS = {
    "breach": ("违规", "breach"),
    "warning": ("预警", "warning"),
    "ok": ("通过", "ok"),
}

# What part of a rule a finding is about (the ``aspect`` of fiscal_sim.rules.findings.Check);
# a tier's aspect is the tier's name (TIER_LABELS).
ASPECT_LABELS = {
    "annual": ("全年", "year"),
    "monthly": ("按月", "monthly"),
    "ratio": ("占比", "ratio"),
    "overdue": ("逾期未收回", "overdue"),
    "flow": ("当年新增", "new in the year"),
    "deadline": ("期限", "deadline"),
    "on_track": ("消化进度", "on track"),
    "planned": ("预算安排", "planned"),
    "tier": ("保障层级", "tier"),
    "carryover": ("结转资金", "carry-overs"),
    "general_ceiling": ("一般债务限额", "general debt ceiling"),
    "special_ceiling": ("专项债务限额", "special debt ceiling"),
    "resources_left": ("保障三保后剩余财力", "resources left after the 三保"),
    "shortfall": ("资金缺口", "shortfall"),
    "small_items": ("500万元以下欠款", "items under 5 million yuan"),
    "other_items": ("其他无分歧欠款", "other undisputed arrears"),
    "after_deadline": ("期限后仍欠", "owed after the deadline"),
}

CHANGE_LABELS = {
    "new_breach": ("新增违规", "new breach"),
    "worse_breach": ("违规加重", "worse breach"),
    "new_warning": ("新增预警", "new warning"),
    "crowds_out": ("挤占预算安排", "crowds out"),
}

# Units of findings and parameters; money reads 万元 in both languages.
UNIT_LABELS = {
    **UNITS,
    "wan_yuan": ("万元", "万元"),
    "wan_yuan_per_person_year": ("万元/人·年", "万元 per person-year"),
}

# Short names of the plan's rules (fiscal_sim.rules ids), for headlines and table cells; a rule
# not listed here is named by its registered title.
RULE_NAMES = {
    "wages_funded": ("保工资", "wages paid"),
    "livelihood_funded": ("保基本民生", "basic livelihood funded"),
    "operations_funded": ("保运转", "operations funded"),
    "non_rigid_cut": ("非刚性支出压减", "non-rigid spending cut"),
    "three_public_cut": ("三公经费压减", "three public funds cut"),
    "no_spending_without_budget": ("无预算不支出", "no spending without a budget"),
    "advance_cap": ("暂付款控制比例", "advance cap"),
    "advance_term": ("暂付款期限", "advance term"),
    "advance_no_gap_cover": ("不以暂付款平衡收支", "no gap cover by advances"),
    "legacy_cleared": ("暂付款存量消化", "legacy advances digested"),
    "wage_account_covered": ("工资专户保障", "wage account covered"),
    "treasury_cash_level": ("库款保障水平", "treasury cash level"),
    "headcount_not_rising": ("供养人员只减不增", "staff never rising"),
    "debt_ratio": ("债务率与限额", "debt ratio and ceilings"),
    "stock_funds_recovered": ("存量资金收回", "carry-overs recovered"),
    "arrears_cleared": ("清理拖欠企业账款", "SME arrears cleared"),
    "debt_service_paid": ("债务还本付息", "debt service paid"),
    # not rules: the assessment's headroom of the three 三保 rules together, and its
    # finding that a policy takes money planned for lower tiers (fiscal_sim.affordability)
    "sanbao": ("三保保障", "三保 funded"),
    "crowding_out": ("挤占预算安排", "crowding out"),
}

CASH_CLASS_LABELS = {
    "alarm": ("预警", "alarm"),
    "low": ("偏低", "low"),
    "normal": ("正常", "normal"),
    "idle": ("闲置", "idle"),
}


# The headers of the command line's tables (fiscal_sim.outputs.render_table) that the tables
# above do not name: simulate, stress, reverse-stress, goal-seek, scenarios, params.
OUTPUT_HEADERS = {
    "name": ("名称", "name"),
    "param_value": ("数值", "value"),
    "title": ("名称", "title"),
    "description": ("说明", "description"),
    "label": ("名称", "label"),
    "source": ("来源", "source"),
    "indicator": ("指标", "indicator"),
    "test": ("压力测试", "test"),
    "measure": ("措施", "measure"),
    "probability": ("概率", "probability"),
    "any_year": ("任一年", "any year"),
    "mean": ("均值", "mean"),
    "std": ("标准差", "std"),
    "min": ("最小值", "min"),
    "max": ("最大值", "max"),
    "baseline": ("确定性基准", "baseline"),
    "mean_if_short": ("有缺口时均值", "mean if short"),
    "sanbao": ("三保", "sanbao"),
    "cash": ("库款", "cash"),
    "sanbao_shortfall_total": ("三保缺口合计（万元）", "三保 shortfall total"),
    "first_sanbao_year": ("首个三保缺口年份", "first 三保 year"),
    "cash_cover_min": ("最低库款保障水平（月）", "lowest cash cover"),
    "wage_risk_months": ("工资风险月数", "wage-risk months"),
    "advance_ratio_max": ("暂付款占比最高值", "highest advance ratio"),
    "debt_ratio_max": ("债务率最高值", "highest debt ratio"),
    "stabilization_fund_end": ("期末预算稳定调节基金（万元）", "stabilisation fund at the end"),
    "rules_breached": ("违规规则数", "rules breached"),
    "new_breaches": ("新增违规规则", "new breaches"),
    "first_breach": ("首次违规年份", "first breach"),
    "first_new_breach": ("首次新增违规年份", "first new breach"),
    "new": ("是否新增", "new"),
    "measured": ("数值", "value"),
    "stressed": ("压力情景值", "stressed"),
    "kind": ("冲击类型", "kind"),
    "target": ("目标", "target"),
    "size": ("规模", "size"),
    "breaks": ("首先突破", "breaks"),
    "margin_at_size": ("该规模下余量", "margin at size"),
    "margin_at_99pct": ("99%规模下余量", "margin at 99 %"),
    "baseline_margin": ("基准余量", "baseline margin"),
    "searched_up_to": ("搜索上限", "searched up to"),
    "margin_unit": ("余量单位", "margin unit"),
    "money": ("金额", "money"),
    "lever": ("缓解手段", "lever"),
    "binding": ("约束目标", "binding"),
    "binding_years": ("约束年份", "binding years"),
    "size_sanbao": ("保三保所需规模", "size for 三保"),
    "size_cash": ("保库款所需规模", "size for cash"),
    "month_any_month": ("任一月", "any month"),
    "month_mean_months": ("平均月数", "mean months"),
}

# Units of output columns that are not indicators (for formatting the command line's tables).
OUTPUT_UNITS = {
    "probability": "fraction",
    "any_year": "fraction",
    "cash_cover_min": "months",
    "advance_ratio_max": "fraction",
    "debt_ratio_max": "fraction",
    "month_any_month": "fraction",
    "month_mean_months": "months",
    "wage_risk_months": "count",
    "rules_breached": "count",
    "sanbao_shortfall_total": "wan_yuan",
    "stabilization_fund_end": "wan_yuan",
    "first_sanbao_year": "year",
    "first_breach": "year",
    "first_new_breach": "year",
    "cash_level": "months",
    "amount_wan": "wan_yuan",
    "money": "wan_yuan",
}

# The titles of the command line's tables (``## title``), by the table's key.
TABLE_TITLES = {
    "indicators": ("主要指标", "indicators"),
    "waterfall": ("三保保障顺序（瀑布，万元）", "waterfall (万元)"),
    "measures": ("六保措施（万元）", "measures (万元)"),
    "compare": ("情景比较", "comparison"),
    "scenarios": ("内置情景", "scenarios"),
    "params": ("参数", "parameters"),
    "quantiles": ("分位数", "quantiles"),
    "breach_probability": ("各规则违规概率", "breach probability"),
    "risk": ("三保缺口与工资风险概率", "三保 and wage risk"),
    "sanbao": ("三保缺口（万元）", "三保 shortfall (万元)"),
    "wage_risk": ("工资风险概率", "wage risk"),
    "summary": ("压力测试结果", "summary"),
    "findings": ("新增违规", "new breaches"),
    "change_vs_baseline": ("相对基准的变化", "change vs baseline"),
    "reverse_stress": ("反向压力测试", "reverse stress"),
    "goal_seek": ("目标求解", "goal seek"),
    "margins": ("各年余量", "margins"),
}

# The sheets of a command's workbook (``-o x.xlsx``), named as the report workbook names its
# own (fiscal_sim.report.tables); a table without a name here is named by TABLE_TITLES.
SHEET_NAMES = {
    "about": ("说明", "About"),
    "indicators": ("主要指标", "Indicators"),
    "waterfall": ("三保瀑布", "Waterfall"),
    "measures": ("六保措施", "Measures"),
    "compare": ("情景比较", "Comparison"),
    "scenarios": ("内置情景", "Scenarios"),
    "params": ("参数", "Parameters"),
    "quantiles": ("分位数", "Quantiles"),
    "breach_probability": ("违规概率", "Breach probabilities"),
}

# The rows of a workbook's about sheet: where the result came from (Output.meta keys).
META_LABELS = {
    "item": ("项目", "Item"),
    "content": ("内容", "Value"),
    "scenario": ("情景", "Scenario"),
    "title": ("情景名称", "Title"),
    "hash": ("情景哈希", "Scenario hash"),
    "files": ("情景文件", "Scenario files"),
    "fiscal_sim_version": ("fiscal_sim 版本", "fiscal_sim version"),
    "overrides": ("修改的参数", "Overrides"),
    "seed": ("随机种子", "Seed"),
    "draws": ("模拟次数", "Draws"),
    "shock_model": ("冲击模型", "Shock model"),
    "quantile_method": ("分位数方法", "Quantile method"),
    "years": ("年度", "Years"),
    "scenarios": ("各情景及其哈希", "Scenarios"),
    "unit": ("金额单位", "Unit"),
    "lever": ("缓解手段", "Lever"),
    "rules": ("规则", "Rules"),
    "step": ("变动幅度", "Step"),
    "outcomes": ("结果指标", "Outcomes"),
}

NONE = ("（无）", "(none)")
"""What an empty table shows."""


def get_lang() -> str:
    """The current display language, ``"zh"`` or ``"en"``."""
    return _lang


def resolve_lang(lang: str | None = None) -> str:
    """``lang`` checked to be ``"zh"`` or ``"en"``; None is the current display language."""
    lang = _lang if lang is None else lang
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    return lang


def set_lang(lang: str) -> None:
    """Set the display language for labels, tables and charts (``"zh"`` or ``"en"``)."""
    global _lang
    _lang = resolve_lang(lang)


def _pick(pair, lang):
    return pair[0] if (lang or _lang) == "zh" else pair[1]


def label(key: str, lang: str | None = None) -> str:
    """Name of an indicator, tier, column or cash class in ``lang`` (default: current)."""
    for table in (INDICATORS, TIER_LABELS, COLUMNS, CASH_CLASS_LABELS):
        if key in table:
            return _pick(table[key][:2], lang)
    return key


def indicator_label(name: str, lang: str | None = None) -> str:
    """The label of an indicator, the Monte Carlo ensemble's extra ones included.

    Examples
    --------
    >>> indicator_label("sanbao_shortfall_cum", "en"), indicator_label("debt_ratio", "en")
    ('三保 shortfall, cumulative', 'debt ratio')
    """
    if name in EXTRA_INDICATOR_LABELS:
        return _pick(EXTRA_INDICATOR_LABELS[name], lang)
    return label(name, lang)


def _lookup(table: dict, key, lang: str | None) -> str:
    """``key``'s name in ``table`` in ``lang``; the key itself when the table lacks it."""
    if not isinstance(key, str) or key not in table:
        return key
    return _pick(table[key], lang)


def finding_column(key: str, lang: str | None = None) -> str:
    """The header of a column of a findings or assessment table.

    Examples
    --------
    >>> finding_column("margin", "zh"), finding_column("margin", "en")
    ('余量', 'margin')
    """
    return _lookup(FINDING_COLUMNS, key, lang)


def aspect_label(key: str, lang: str | None = None) -> str:
    """What part of a rule a finding is about (a tier's name for a tier's finding).

    Examples
    --------
    >>> aspect_label("ratio", "zh"), aspect_label("non_rigid", "zh")
    ('占比', '非刚性非重点项目')
    """
    if key in TIER_LABELS:
        return _pick(TIER_LABELS[key], lang)
    return _lookup(ASPECT_LABELS, key, lang)


UNITS_NAMED = ("wan_yuan", "months", "persons")
"""Units a row of indicators names after its label (a ratio reads as a percentage)."""


def label_with_unit(key: str, lang: str | None = None) -> str:
    """An indicator's label, with its unit when it is one of :data:`UNITS_NAMED`.

    Examples
    --------
    >>> label_with_unit("headcount", "zh"), label_with_unit("cash_cover_min_months", "en")
    ('财政供养在职人员（人）', 'lowest cash cover (months)')
    >>> label_with_unit("advance_ratio", "zh"), label_with_unit("debt_total", "en")
    ('暂付款余额占支出比例', 'government debt (万元)')
    """
    name = label(key, lang)
    unit = INDICATORS[key][2] if key in INDICATORS else None
    if unit not in UNITS_NAMED:
        return name
    unit_name = unit_label(unit, lang)
    return f"{name}（{unit_name}）" if (lang or _lang) == "zh" else f"{name} ({unit_name})"


def unit_label(key: str, lang: str | None = None) -> str:
    """A unit's name: ``wan_yuan`` reads 万元 in both languages.

    Examples
    --------
    >>> unit_label("wan_yuan", "en"), unit_label("fraction", "zh")
    ('万元', '比例')
    """
    return _lookup(UNIT_LABELS, key, lang)


def severity_label(key: str, lang: str | None = None) -> str:
    """违规 / 预警 / 通过 (breach / warning / ok)."""
    return _lookup(SEVERITY_LABELS, key, lang)


def rule_name(key: str, lang: str | None = None) -> str:
    """A rule's short name (``RULE_NAMES``); the id itself when it has none.

    Examples
    --------
    >>> rule_name("advance_cap", "zh"), rule_name("advance_cap", "en")
    ('暂付款控制比例', 'advance cap')
    """
    return _lookup(RULE_NAMES, key, lang)


def header(key, lang: str | None = None):
    """The header of a table column (or index level) in ``lang``: a column, finding, indicator,
    tier or output name; ``p95`` reads 95%分位, ``month_6`` 6月; other keys (years, None, a
    code) are returned unchanged.

    Examples
    --------
    >>> header("need", "zh"), header("p95", "zh"), header("month_6", "zh"), header(2020, "zh")
    ('需求', '95%分位', '6月', 2020)
    >>> header("cum_p50", "zh"), header("p95", "en")
    ('累计50%分位', 'p95')
    """
    if not isinstance(key, str):
        return key
    zh = (lang or _lang) == "zh"
    for table in (COLUMNS, FINDING_COLUMNS, OUTPUT_HEADERS, INDICATORS, TIER_LABELS):
        if key in table:
            return _pick(table[key][:2], lang)
    match = re.fullmatch(r"(cum_)?p(\d{1,2})|month_(\d{1,2})", key)
    if match is None or not zh:
        return key
    if match.group(3):
        return f"{match.group(3)}月"
    return f"{'累计' if match.group(1) else ''}{match.group(2)}%分位"


def table_title(key: str, lang: str | None = None) -> str:
    """The title of a command-line table under zh (``TABLE_TITLES``); in English, and for a
    table without a title, its key (what ``--format json`` calls it)."""
    return key if (lang or _lang) != "zh" else _lookup(TABLE_TITLES, key, lang)


def sheet_name(key: str, lang: str | None = None) -> str:
    """A workbook sheet's name in ``lang``: at most 31 characters, none of ``[]:*?/\\``.

    Examples
    --------
    >>> sheet_name("waterfall", "zh"), sheet_name("waterfall", "en"), sheet_name("margins", "zh")
    ('三保瀑布', 'Waterfall', '各年余量')
    """
    if key in SHEET_NAMES:
        name = _pick(SHEET_NAMES[key], lang)
    else:
        name = table_title(key, lang)
        name = name[:1].upper() + name[1:]
    return re.sub(r"[\[\]:*?/\\]", "-", str(name))[:31]


def meta_label(key: str, lang: str | None = None) -> str:
    """The name of a metadata key on an about sheet (``hash`` reads 情景哈希)."""
    return _lookup(META_LABELS, key, lang)


def unit_of(key: str) -> str | None:
    """The unit of an indicator or output column (``wan_yuan``, ``fraction`` ...), or None."""
    if key in INDICATORS:
        return INDICATORS[key][2]
    return OUTPUT_UNITS.get(key)


def change_label(key: str, lang: str | None = None) -> str:
    """How a policy changes a rule's outcome (fiscal_sim.affordability)."""
    return _lookup(CHANGE_LABELS, key, lang)


FORMULAS_ZH = {
    "gpb_expenditure": "已保障的各层级支出 + 专项转移支付安排的支出 − 债务还本",
    "gfb_expenditure": "土地征收 + 专项债券项目 + 专项债券付息 + 其他基金项目",
    "own_revenue": "税收收入 + 非税收入",
    "self_sufficiency": "本级一般公共预算收入 ÷ 一般公共预算支出",
    "sanbao_need": "第1–3层的需求：保工资、保基本民生、保运转",
    "sanbao_shortfall": "第1–3层的需求 − 已保障",
    "advance_balance": "存量暂付款 + 期限内新增暂付款 + 逾期未收回 + 垫付缺口的暂付款",
    "advance_ratio": "暂付款余额 ÷（一般公共预算支出 + 政府性基金预算支出）",
    "legacy_advances": "2018年末存量 − 累计收回 − 累计核销",
    "legacy_digested_cum": "2018年末存量 − 存量暂付款余额",
    "cash_year_end": "12月末库款余额",
    "cash_cover_min_months": "各月 月末库款余额 ÷ 月均库款流出 中的最低值",
    "debt_total": "一般债务余额 + 专项债务余额",
    "debt_ratio": "债务余额 ÷ 综合财力（本级收入 + 转移支付 + 政府性基金收入）",
    "headcount": "上年人数 ×（1 − 自然减员率 + 补充率）",
    "stabilization_fund": "上年余额 − 调入预算 + 结余补充",
}
"""How each indicator of :data:`INDICATORS` is computed, in Chinese (``explain`` under zh)."""


def describe(key: str, lang: str | None = None) -> str | None:
    """One line on what an indicator means and how it is computed, with its clause.

    Examples
    --------
    >>> describe("self_sufficiency", "zh")
    '财政自给率（比例）= 本级一般公共预算收入 ÷ 一般公共预算支出（model.md §2）'
    >>> describe("own_revenue", "en")
    'own revenue [万元] = tax + non-tax revenue (model.md §2)'
    """
    if key not in INDICATORS:
        return None
    zh, en, unit, formula, clause = INDICATORS[key]
    if (lang or _lang) == "zh":
        return f"{zh}（{unit_label(unit, 'zh')}）= {FORMULAS_ZH[key]}（{clause}）"
    return f"{en} [{unit_label(unit, 'en')}] = {formula} ({clause})"


MAX_CHANGES_SHOWN = 3
"""Changes named in a title at most; the rest are counted (every one is in ``meta``)."""


def describe_changes(
    changes, lang: str | None = None, limit: int | None = MAX_CHANGES_SHOWN
) -> str:
    """What was changed, for a title: ``修改：people.staff = 4,800 人`` (empty when nothing).

    ``changes`` are ``Scenario.changes`` (or ``meta["overrides"]``): dicts with ``path``,
    ``value`` and ``unit``.

    Examples
    --------
    >>> describe_changes([{"path": "people.staff", "value": 4800, "unit": "persons"}], "zh")
    '修改：people.staff = 4,800 人'
    >>> describe_changes([{"path": "rules.advance_cap_ratio", "value": 0.06, "unit": "fraction"},
    ...                   {"path": "a", "value": 1, "unit": ""}], "en", limit=1)
    'modified: rules.advance_cap_ratio = 6.0% and 1 more'
    """
    changes = list(changes or ())
    if not changes:
        return ""
    zh = (lang or _lang) == "zh"
    shown = changes if limit is None else changes[:limit]
    parts = []
    for change in shown:
        unit = change.get("unit") or ""
        value = change.get("value")
        text = (
            format_value(value, kind_of_unit(unit))
            if isinstance(value, int | float)
            else str(value)
        )
        if unit and unit != "fraction" and isinstance(value, int | float):
            text = f"{text} {unit_label(unit, lang)}"
        parts.append(f"{change['path']} = {text}")
    more = len(changes) - len(shown)
    if zh:
        return "修改：" + "；".join(parts) + (f" 等{len(changes)}项" if more else "")
    return "modified: " + "; ".join(parts) + (f" and {more} more" if more else "")
