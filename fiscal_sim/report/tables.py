"""The report's tables, its words in Chinese and English, and how a cell reads.

The tables keep machine column names (labels are applied when rendering); they are the
projection's own (``indicators()``, ``waterfall()``, ``monthly()``, ``annual``), the findings'
``to_frame()`` and the scenario's parameters, selected and ordered. Nothing is computed here.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

import numpy as np
import pandas as pd

from fiscal_sim import labels, plots
from fiscal_sim._version import __version__
from fiscal_sim.numbers import format_value, kind_of_unit
from fiscal_sim.report.bureau import WORDS as BUREAU_WORDS

LANGS = ("zh", "en")
SEVERITY_ORDER = {"breach": 0, "warning": 1, "ok": 2}
SANBAO_TIERS = plots.SANBAO_TIERS

# Words only reports use; names of model lines and indicators come from fiscal_sim.labels
# (through plots.text), these are the rest.
_WORDS: dict[str, tuple[str, str]] = {
    "report.title": ("财政运行报告", "Fiscal report"),
    "month.title": (
        "{year}年{month}月基层“三保”运行情况月报",
        "Basic operations report, {year}-{month:02d}",
    ),
    "meta.scenario": ("情景", "Scenario"),
    "meta.hash": ("情景哈希", "Scenario hash"),
    "meta.version": ("fiscal_sim 版本", "fiscal_sim version"),
    "meta.date": ("生成日期", "Date"),
    "meta.files": ("情景文件", "Scenario files"),
    "meta.draws": ("模拟次数", "Draws"),
    "meta.seed": ("随机种子", "Seed"),
    "meta.draw_shown": ("显示的模拟", "Draw shown"),
    "meta.description": ("说明", "Description"),
    "meta.mc_draws": ("蒙特卡洛模拟次数", "Monte Carlo draws"),
    "meta.mc_seed": ("蒙特卡洛随机种子", "Monte Carlo seed"),
    "meta.mc_shocks": ("冲击设定", "Shocks"),
    "section.indicators": ("主要指标", "Key indicators"),
    "section.findings": ("规则检查结果", "Findings"),
    "section.waterfall": ("三保保障顺序（瀑布）", "The funding waterfall (三保 first)"),
    "section.advances": ("暂付款消化路径", "Treasury advances"),
    "section.cash": ("库款按月情况", "Monthly treasury cash"),
    "section.debt": ("政府债务与债务率", "Government debt and the debt ratio"),
    "section.more": ("其他图表", "More charts"),
    "section.parameters": ("参数及来源", "Parameters and sources"),
    "section.measures": (
        "六保措施（按措施和年度，万元）",
        "Six-guarantee measures (by measure and year, 万元)",
    ),
    "section.cash_months": ("库款按月明细", "Treasury cash month by month"),
    "sheet.summary": ("概要", "Summary"),
    "sheet.what_it_would_take": ("要做到什么程度", "What it would take"),
    "section.what_it_would_take": (
        "要做到什么程度：各项措施单独使用时各年最少需要的规模及约束规则",
        "What it would take: the least each lever must do, year by year, and the rule that binds",
    ),
    "sheet.measures": ("六保措施", "Measures"),
    "sheet.charts": ("图表", "Charts"),
    "col.measure": ("措施", "Measure"),
    "col.kind": ("类别", "Kind"),
    "col.total": ("合计", "Total"),
    "kind.revenue": ("减收", "revenue forgone"),
    "kind.spending": ("增支", "spending"),
    "report.changes": ("本报告的情景有修改：", "This report's scenario was changed: "),
    "section.uncertainty": (
        "不确定性：各规则被突破的概率",
        "Uncertainty: how likely each rule breaks",
    ),
    "section.about": ("报告信息", "About"),
    "sheet.about": ("说明", "About"),
    "sheet.indicators": ("主要指标", "Indicators"),
    "sheet.waterfall": ("三保瀑布", "Waterfall"),
    "sheet.advances": ("暂付款", "Advances"),
    "sheet.monthly": ("库款按月", "Monthly cash"),
    "sheet.findings": ("规则检查", "Findings"),
    "sheet.parameters": ("参数", "Parameters"),
    "sheet.month": ("月报", "Monthly report"),
    "sheet.breach_probability": ("违规概率", "Breach probabilities"),
    "sheet.quantiles": ("分位数", "Quantiles"),
    "uncertainty.intro": (
        "以下结果来自 {draws:,} 次蒙特卡洛模拟（随机种子 {seed}，用同一种子可重现）。"
        "每次模拟对税收、非税收入、一般性转移支付和土地出让收入的年增长率施加随机冲击，{shocks}；"
        "其余参数与上文的确定性预测相同。",
        "The results below come from {draws:,} Monte Carlo draws (seed {seed}; the same seed "
        "repeats them). Each draw applies random shocks to the yearly growth of tax, non-tax "
        "revenue, general transfers and land sales; {shocks}. Everything else is as in the "
        "deterministic projection above.",
    ),
    "uncertainty.shocks_scenario": (
        "冲击参数取自情景文件的 shocks: 部分",
        "the shocks are those of the scenario's shocks: section",
    ),
    "uncertainty.shocks_default": (
        "冲击参数为默认值，属于假设",
        "the shocks are the default values, which are assumptions",
    ),
    "uncertainty.headline": (
        "任一年出现三保缺口的概率为 {sanbao}，任一月出现工资风险的概率为 {wage}。",
        "Probability of a 三保 shortfall in any year: {sanbao}; of a wage-arrears risk month: "
        "{wage}.",
    ),
    "uncertainty.table": (
        "下表为各规则在各年被突破的概率及在任一年被突破的概率，可能性大的在前。",
        "The table gives the probability that each rule breaks in each year and in any year, "
        "most likely first.",
    ),
    "uncertainty.held": (
        "在全部模拟中均未被突破的规则：{rules}。",
        "Rules that hold in every draw: {rules}.",
    ),
    "uncertainty.fans": (
        "扇形图：各年的分位区间（颜色越浅区间越宽）、中位数和确定性基准。",
        "Fan charts: the quantile bands by year (the lighter, the wider), the median and the "
        "deterministic baseline.",
    ),
    "uncertainty.shock_table": ("冲击设定", "The shocks"),
    "findings.none": ("没有违规或预警。", "No breaches or warnings."),
    "findings.ok_count": ("另有 {count} 项检查通过。", "{count} further checks passed."),
    "severity.breach": ("违规", "breach"),
    "severity.warning": ("预警", "warning"),
    "severity.ok": ("通过", "ok"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "section": ("部分", "Section"),
    "item": ("项目", "Item"),
    "value": ("数值", "Value"),
    "unit": ("单位", "Unit"),
    "scope": ("口径", "Scope"),
    "scope.year": ("全年", "year"),
    "scope.month": ("当月", "month"),
    "scope.year_end": ("年末", "year end"),
    "scope.year_end_plan": ("全年计划（年末数）", "year-end plan"),
    "scope.to_date": ("截至{month}月累计", "year to date (to {month_name})"),
    "sanbao_total": ("三保合计", "三保 total"),
    "part.sanbao": ("三保", "Three guarantees"),
    "part.cash": ("库款", "Treasury cash"),
    "part.advances": ("暂付款", "Advances"),
    # column headers
    "col.rule": ("规则", "Rule"),
    "col.clause": ("条款", "Clause"),
    "col.aspect": ("方面", "Aspect"),
    "col.value": ("数值", "Value"),
    "col.threshold": ("阈值", "Threshold"),
    "col.margin": ("余量", "Margin"),
    "col.unit": ("单位", "Unit"),
    "col.severity": ("结果", "Severity"),
    "col.message": ("说明", "Message"),
    "col.path": ("参数", "Parameter"),
    "col.label": ("名称", "Name"),
    "col.index": ("年度/月份", "Year / month"),
    "col.source": ("来源", "Source"),
    "col.legacy_target_cum": ("计划累计消化", "Planned digestion (cumulative)"),
    "col.new_advances_outstanding": ("新增暂付款余额", "New advances outstanding"),
    "col.overdue_advances": ("逾期暂付款", "Overdue advances"),
    "col.gap_cover_advances_stock": ("垫付缺口暂付款", "Gap-cover advances"),
    "col.title": ("内容", "Requirement"),
    "col.any_year": ("任一年", "Any year"),
    "col.indicator": ("指标代码", "Indicator id"),
    "col.indicator_name": ("指标", "Indicator"),
    "col.mean": ("均值", "Mean"),
    "col.std": ("标准差", "Std. dev."),
    "col.min": ("最小值", "Min"),
    "col.max": ("最大值", "Max"),
    "col.baseline": ("确定性基准", "Deterministic baseline"),
    "col.line": ("收入项目", "Revenue line"),
    "col.distribution": ("分布", "Distribution"),
    "col.sigma": ("标准差 σ", "σ"),
    "col.persistence": ("持续性 φ", "Persistence φ"),
    **BUREAU_WORDS,
}

_ADVANCE_COLUMNS = (
    "legacy_advances",
    "legacy_digested_cum",
    "legacy_target_cum",
    "new_advances_outstanding",
    "overdue_advances",
    "gap_cover_advances_stock",
    "advance_balance",
    "advance_ratio",
)
_IDENTIFIERS = {"year", "month", "tier_no", "index"}


def word(key: str, lang: str, **fields) -> str:
    """A report's word for ``key``: ``_WORDS`` first, then the chart and model labels."""
    pair = _WORDS.get(key)
    found = plots.text(key, lang) if pair is None else pair[LANGS.index(lang)]
    return found.format(**fields) if fields else found


def _header(column, lang: str) -> str:
    if isinstance(column, int):  # a year
        return str(column)
    for key in (f"col.{column}", column):
        if key in _WORDS:
            return word(key, lang)
    return plots.text(column, lang)


def column_kind(column) -> str:
    """How a column's numbers read: ``id``, ``ratio``, ``months``, ``persons`` or ``money``."""
    if not isinstance(column, str):  # a year column of a table by year: amounts
        return "money"
    if column in _IDENTIFIERS:
        return "id"
    if column in {"cash_level", "cash_cover_min_months", "wage_risk_months"}:
        return "months"
    return plots.indicator_kind(column)


_MEASURED = ("value", "threshold", "margin")


def _cell_kind(column, record: Mapping, kinds: Mapping | None = None) -> str:
    """The kind of a cell: ``kinds`` (a table's ``attrs["column_kinds"]``) first; a finding's
    value, threshold and margin read by the row's unit."""
    if kinds and column in kinds:
        return kinds[column]
    if column in _MEASURED and "unit" in record:
        return "number" if record["unit"] == "shares" else kind_of_unit(record["unit"])
    return column_kind(column)


def _lang(lang: str | None) -> str:
    return plots._lang(lang)


def meta_rows(
    projection, lang: str, *, generated: str | None = None, draw: int = 0, ensemble=None
) -> list:
    """``(label, value)`` pairs that identify a report: scenario, hash, version, date ...

    With an ``ensemble`` (a Monte Carlo run), also its draws, seed and shock model.
    """
    meta = dict(getattr(projection, "meta", {}) or {})
    title = plots._scenario_title(projection, lang)
    name = meta.get("scenario", "")
    rows = [
        (word("meta.scenario", lang), f"{title} ({name})" if title and title != name else name),
        (word("meta.hash", lang), meta.get("hash", "")),
        (word("meta.version", lang), meta.get("fiscal_sim_version", __version__)),
        (word("meta.date", lang), generated or datetime.date.today().isoformat()),
    ]
    files = meta.get("files")
    if files:
        rows.append((word("meta.files", lang), ", ".join(str(file) for file in files)))
    draws = meta.get("draws")
    if draws and int(draws) > 1:
        rows.append((word("meta.draws", lang), int(draws)))
        rows.append((word("meta.draw_shown", lang), draw))
    if meta.get("seed") is not None:
        rows.append((word("meta.seed", lang), meta["seed"]))
    if ensemble is not None:
        rows.append((word("meta.mc_draws", lang), ensemble.draws))
        rows.append((word("meta.mc_seed", lang), ensemble.meta.get("seed")))
        model = ensemble.meta.get("shock_model", "")
        statement = shocks_statement(projection, lang)
        shocks = f"{statement}（{model}）" if lang == "zh" else f"{statement} ({model})"
        rows.append((word("meta.mc_shocks", lang), shocks))
    return rows


def report_title(projection, lang: str) -> str:
    """The report's title: 财政运行报告：<scenario title>，修改：… (what was changed)."""
    separator = "：" if lang == "zh" else ": "
    return f"{word('report.title', lang)}{separator}{plots._scenario_title(projection, lang)}"


def changes_text(projection, lang: str) -> str:
    """Every change made to the titled scenario, in one sentence (empty when none)."""
    meta = getattr(projection, "meta", {}) or {}
    return labels.describe_changes(meta.get("overrides"), lang, limit=None)


def measures_frame(scenario, lang: str) -> pd.DataFrame:
    """The six-guarantee measures by measure and year (万元; revenue forgone negative), with
    their clauses and a total; empty when the scenario lists none."""
    from fiscal_sim.results import measure_table

    amounts = measure_table(scenario)
    if amounts.empty:
        return pd.DataFrame(columns=["measure", "clause", "kind"])
    label = "label_zh" if lang == "zh" else "label_en"
    by_year = amounts.pivot_table(
        index=["measure", label, "clause", "kind"], columns="year", values="amount_wan", sort=False
    )
    by_year.columns = [int(year) for year in by_year.columns]
    by_year["total"] = by_year.sum(axis=1)
    frame = by_year.reset_index().drop(columns="measure").rename(columns={label: "measure"})
    frame["kind"] = [word(f"kind.{kind}", lang) for kind in frame["kind"]]
    return frame


def findings_frame(findings, lang: str) -> pd.DataFrame:
    """The findings, breaches first, then warnings, then passed checks; one message column."""
    frame = findings.to_frame() if hasattr(findings, "to_frame") else pd.DataFrame(findings)
    if frame.empty:
        frame = pd.DataFrame(columns=["rule", "clause", "year", "month", "severity"])
    frame = frame.assign(_rank=frame["severity"].map(SEVERITY_ORDER).fillna(3))
    frame = frame.sort_values(
        ["_rank", "year", "month", "rule"], kind="stable", na_position="first"
    )
    message = f"message_{lang}"
    columns = ["severity", "rule", "clause", "year", "month", "aspect", "value", "threshold"]
    columns += ["margin", "unit", message]
    frame = frame[[column for column in columns if column in frame.columns]]
    frame = frame.rename(columns={message: "message"}).reset_index(drop=True)
    if "month" in frame:
        frame["month"] = frame["month"].astype(object).where(frame["month"].notna(), None)
    return frame


def advances_frame(projection, draw: int = 0) -> pd.DataFrame:
    """The advance ledger by year: vintages, plan, balance and ratio (``annual`` arrays)."""
    years = plots._years(projection)
    data = {
        name: np.asarray(projection.annual[name], dtype=float)[draw]
        for name in _ADVANCE_COLUMNS
        if name in projection.annual
    }
    return pd.DataFrame(data, index=pd.Index(years, name="year"))


def monthly_frame(projection, draw: int = 0) -> pd.DataFrame:
    """One row per month (``projection.monthly()``)."""
    return projection.monthly(draw=draw).reset_index(drop=True)


def parameters_frame(scenario, lang: str) -> pd.DataFrame:
    """Every parameter, one row per value: yearly arrays by year, profiles by month."""
    rows = []
    years = [int(year) for year in getattr(scenario, "years", ())]
    for param in scenario.params():
        label = param.label_zh if lang == "zh" else param.label_en
        values = np.asarray(param.value)
        common = {"path": param.path, "label": label, "unit": param.unit, "source": param.source}
        if values.ndim == 0:
            rows.append({**common, "index": "", "value": _cell(values.item())})
            continue
        flat = values.ravel()
        if len(flat) == len(years):
            indexes = years
        else:
            indexes = [f"{number}" for number in range(1, len(flat) + 1)]
        for index, value in zip(indexes, flat, strict=True):
            rows.append({**common, "index": index, "value": _cell(value)})
    return pd.DataFrame(rows, columns=["path", "label", "unit", "index", "value", "source"])


def parameters_compact(scenario, lang: str) -> pd.DataFrame:
    """Every parameter on one row, its values as one short text (for the printed appendix):
    a value repeated over the years once with 各年 / "every year", else year by year."""
    from fiscal_sim.numbers import format_value, kind_of_unit

    years = [int(year) for year in getattr(scenario, "years", ())]
    every_year = "（各年）" if lang == "zh" else " (every year)"
    rows = []
    for param in scenario.params():
        kind = "number" if param.unit == "shares" else kind_of_unit(param.unit)
        values = np.asarray(param.value)
        if values.dtype.kind not in "iuf":
            text = "、".join(str(item) for item in np.ravel(values)) if values.ndim else str(values)
        elif values.ndim == 0:
            text = format_value(values.item(), kind)
        elif len(set(values.ravel().tolist())) == 1 and values.size > 1:
            text = format_value(values.ravel()[0].item(), kind) + every_year
        else:
            flat = values.ravel().tolist()
            keys = years if len(flat) == len(years) else range(1, len(flat) + 1)
            text = "; ".join(
                f"{key}: {format_value(value, kind)}" for key, value in zip(keys, flat, strict=True)
            )
        label = param.label_zh if lang == "zh" else param.label_en
        rows.append(
            {
                "path": param.path,
                "label": label,
                "unit": param.unit,
                "value": text,
                "source": param.source,
            }
        )
    return pd.DataFrame(rows, columns=["path", "label", "unit", "value", "source"])


def _cell(value):
    """A parameter value as a spreadsheet cell: numbers stay numbers, the rest is text."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value) if isinstance(value, float | np.floating) else int(value)
    return "" if value is None else str(value)


def report_tables(projection, findings, lang: str, draw: int = 0) -> dict[str, pd.DataFrame]:
    """The report's tables by sheet key, with machine column names."""
    indicators = projection.indicators(draw=draw)
    indicators.index.name = "year"
    tables = {
        "indicators": indicators.reset_index(),
        "waterfall": projection.waterfall(draw=draw).reset_index(drop=True),
        "advances": advances_frame(projection, draw).reset_index(),
        "monthly": monthly_frame(projection, draw),
        "findings": findings_frame(findings, lang),
    }
    scenario = getattr(projection, "scenario", None)
    if scenario is not None and hasattr(scenario, "extra"):
        measures = measures_frame(scenario, lang)
        if len(measures):
            tables["measures"] = measures
    if scenario is not None and hasattr(scenario, "params"):
        tables["parameters"] = parameters_frame(scenario, lang)
    return tables


# ---------------------------------------------------------------------------------------------
# a Monte Carlo run (fiscal_sim.simulate -> Ensemble)


def shocks_declared(projection) -> bool:
    """Whether the projection's scenario lists its own ``shocks:`` (else the defaults)."""
    scenario = getattr(projection, "scenario", None)
    return bool((getattr(scenario, "extra", None) or {}).get("shocks"))


def shocks_statement(projection, lang: str) -> str:
    """Where the shocks come from: the scenario's ``shocks:`` or the assumed defaults."""
    key = "scenario" if shocks_declared(projection) else "default"
    return word(f"uncertainty.shocks_{key}", lang)


# ---------------------------------------------------------------------------------------------
# cell values for people


def _display(column: str, value, lang: str):
    """A value as shown in a table: tier and class names, yes/no, severity in words."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if column == "tier":
        return plots.text(f"tier.{value}", lang)
    if column == "cash_class":
        return plots.text(f"band.{value}", lang)
    if column == "severity":
        return word(f"severity.{value}", lang)
    if column == "rule":
        from fiscal_sim.report.summary import rule_name

        return rule_name(value, lang)
    if column == "aspect":
        return labels.aspect_label(value, lang)
    if column == "unit":
        return labels.unit_label(value, lang)
    if column == "wage_covered" and isinstance(value, bool | np.bool_):
        return word("yes" if value else "no", lang)
    if isinstance(value, np.generic):
        return value.item()
    return value


def _text_of(column: str, value, lang: str, kind: str | None = None) -> str:
    """A value as text for HTML and the text table."""
    return _format(column, _display(column, value, lang), lang, kind)


def _format(column: str, value, lang: str, kind: str | None = None) -> str:
    """A displayed value as text, numbers formatted by ``kind`` (default: the column's), by
    the one convention of :mod:`fiscal_sim.numbers`."""
    if isinstance(value, bool | np.bool_):
        return word("yes" if value else "no", lang)
    return format_value(value, kind or column_kind(column))
