"""The batch's words: table headers and report text, Chinese first, English too.

Indicator, rule and unit names come from :mod:`fiscal_sim.labels`; only what is the batch's
own is here.

Examples
--------
>>> header("risk_class", "zh"), header("risk_class", "en")
('风险等级', 'risk class')
>>> header("self_sufficiency", "zh")
'财政自给率'
"""

from __future__ import annotations

from fiscal_sim import labels
from fiscal_sim.batch.risk import CLASS_LABELS, COMPONENT_LABELS

HEADERS = {
    "rank": ("排名", "rank"),
    "code": ("行政区划代码", "code"),
    "name": ("名称", "name"),
    "prefecture": ("地市", "prefecture"),
    "level": ("层级", "level"),
    "group": ("汇总单位", "group"),
    "counties": ("县数", "counties"),
    "file": ("文件", "file"),
    "key": ("键", "key"),
    "message": ("说明", "message"),
    "title": ("标题", "title"),
    "hash": ("情景哈希", "scenario hash"),
    "seed": ("随机种子", "seed"),
    "status": ("状态", "status"),
    "year": ("年度", "year"),
    "indicator": ("指标", "indicator"),
    "value": ("数值", "value"),
    **COMPONENT_LABELS,
}
TEXT = {
    "title": ("多县批量测算", "Many counties: the batch"),
    "summary": ("概况", "Summary"),
    "ranking": ("风险排名", "Ranking by risk"),
    "high_risk": ("高风险县名单（计算所得）", "High-risk counties (computed)"),
    "none": ("（无）", "(none)"),
    "heatmap": ("各县各规则", "Counties × rules"),
    "distribution": ("主要指标分布", "Distribution of the key indicators"),
    "rollup": ("汇总：地市与全部", "Roll-up: prefectures and the whole batch"),
    "rollup_note": (
        "金额与人数为各县之和；比例由合计数重新计算，不是各县比例的平均。",
        "Money and people are sums over counties; ratios are recomputed from the sums, "
        "never averaged.",
    ),
    "errors": ("未完成的县", "Counties that failed"),
    "score_note": (
        "风险评分 = 100 ×（0.30 三保 + 0.20 库款 + 0.20 暂付款 + 0.10 存量消化 + 0.20 债务）；"
        "≥50或三保缺口概率≥0.5为高风险，≥25为关注。",
        "score = 100 × (0.30 三保 + 0.20 cash + 0.20 advances + 0.10 legacy + 0.20 debt); "
        "red at 50 or P(三保 shortfall) ≥ 0.5, amber at 25.",
    ),
    "about": ("说明", "About"),
    "about_line": (
        "fiscal_sim {version} · 随机种子 {seed} · 模拟 {draws:,} 次 · {counties:,} 个县，"
        "{failed} 个失败 · {scheduler}",
        "fiscal_sim {version} · seed {seed} · {draws:,} draws · {counties:,} counties, "
        "{failed} failed · {scheduler}",
    ),
    "sheet_ranking": ("排名", "Ranking"),
    "sheet_rollup": ("汇总", "Roll-up"),
    "sheet_errors": ("未完成", "Failed"),
    "sheet_about": ("说明", "About"),
    "meta_fiscal_sim_version": ("fiscal_sim 版本", "fiscal_sim version"),
    "meta_seed": ("随机种子", "seed"),
    "meta_draws": ("每县模拟次数", "draws per county"),
    "meta_block": ("每个任务的县数", "counties per task"),
    "meta_scheduler": ("调度器", "scheduler"),
    "meta_counties": ("县数", "counties"),
    "meta_failed": ("失败县数", "counties failed"),
    "synthetic": (
        "含合成数据（非真实县）",
        "contains synthetic counties (not real data)",
    ),
}


VALUES = {
    "level": {"prefecture": ("地市", "prefecture"), "batch": ("全部", "whole batch")},
    "group": {"all": ("全部", "all")},
    "risk_class": CLASS_LABELS,
    "scheduler": {"this process": ("本进程", "this process")},
}
"""The words among a table's values (the roll-up's levels, the risk classes), by column."""


def pick(pair, lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def header(key: str, lang: str) -> str:
    """A column's header: the batch's own, else an indicator's or a rule's label, else the key."""
    if key in HEADERS:
        return pick(HEADERS[key], lang)
    if key in labels.INDICATORS:
        return labels.indicator_label(key, lang)
    if key in labels.RULE_NAMES:
        return labels.rule_name(key, lang)
    return str(labels.header(key, lang))


def header_with_unit(key: str, lang: str) -> str:
    """A column's header with its unit where it has one: 暂付款余额（万元）."""
    unit = {"wan_yuan": "万元", "persons": pick(("人", "persons"), lang)}.get(labels.unit_of(key))
    if unit is None:
        return header(key, lang)
    return f"{header(key, lang)}（{unit}）" if lang == "zh" else f"{header(key, lang)} ({unit})"


def value_label(column: str, value, lang: str):
    """A value as a reader sees it: a word of :data:`VALUES` in ``lang``, else the value."""
    words = VALUES.get(column, {})
    return pick(words[value], lang) if isinstance(value, str) and value in words else value


def text(key: str, lang: str) -> str:
    return pick(TEXT[key], lang)


def class_label(name: str, lang: str) -> str:
    return pick(CLASS_LABELS[name], lang)
