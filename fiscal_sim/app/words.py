"""The workbench's own words, in Chinese and English (model words come from fiscal_sim.labels).

Examples
--------
>>> word("view.dashboard", "zh"), word("view.dashboard", "en")
('仪表盘', 'Dashboard')
>>> word("meta.line", "en", hash="abc", version="0.1.0")
'scenario hash abc · fiscal_sim 0.1.0'
"""

from __future__ import annotations

from fiscal_sim.display import format_indicator
from fiscal_sim.labels import INDICATORS

LANGS = ("zh", "en")
LANG_NAMES = {"zh": "中文", "en": "English"}

WORDS: dict[str, tuple[str, str]] = {
    "app.title": ("保基层运转 财政模拟工作台", "Fiscal what-if workbench (保基层运转)"),
    "meta.line": (
        "情景哈希 {hash} · fiscal_sim {version}",
        "scenario hash {hash} · fiscal_sim {version}",
    ),
    "meta.changed": ("已修改 {count} 项", "{count} change(s)"),
    "meta.unchanged": ("未修改（情景原值）", "unchanged (the scenario as loaded)"),
    "sidebar.lang": ("语言 / Language", "语言 / Language"),
    "sidebar.source": ("情景来源", "Scenario from"),
    "source.bundled": ("内置情景", "bundled scenario"),
    "source.upload": ("上传文件（YAML 或 Excel）", "upload (YAML or Excel)"),
    "sidebar.scenario": ("情景", "Scenario"),
    "sidebar.upload": ("情景文件", "Scenario file"),
    "sidebar.upload_help": (
        "YAML 情景文件或 Excel 工作簿，最大 {limit}；只能继承内置情景。",
        "A YAML scenario or an Excel workbook, at most {limit}; it may extend only a "
        "bundled scenario.",
    ),
    "sidebar.upload_none": (
        "尚未上传文件，下方使用内置情景。",
        "No file yet: a bundled scenario is used.",
    ),
    "sidebar.year": ("调整年度", "Year of the what-if"),
    "sidebar.year_help": (
        "按年参数在该年（或自该年起）修改；图表和指标显示该年。",
        "Yearly parameters change in this year (or from it on); indicators and charts show it.",
    ),
    "sidebar.levers": ("调整参数", "Levers"),
    "sidebar.reset": ("恢复情景原值", "Reset the what-if"),
    "sidebar.measures": ("六保措施", "Six-guarantee measures"),
    "sidebar.measure": ("措施", "Measure"),
    "sidebar.changed": ("已修改：{paths}", "Changed: {paths}"),
    "upload.failed": ("上传的情景无法使用：", "The uploaded scenario cannot be used:"),
    "upload.kept_working": (
        "工作台继续使用下方选择的内置情景。",
        "The workbench goes on with the bundled scenario chosen below.",
    ),
    "lever.help": (
        "单位：{unit}；情景值：{value}；来源：{source}",
        "unit: {unit}; scenario value: {value}; source: {source}",
    ),
    "scope.year": ("仅{year}年", "{year} only"),
    "scope.from_year": ("自{year}年起", "from {year} on"),
    "unit.percent": ("%", "%"),
    "measure.on": ("实施", "applied"),
    "measure.off_in_scenario": ("情景中未实施", "not in the scenario"),
    "view": ("视图", "View"),
    "view.dashboard": ("仪表盘", "Dashboard"),
    "view.charts": ("图表", "Charts"),
    "view.uncertainty": ("不确定性与求解", "Uncertainty and solving"),
    "view.compare": ("情景比较", "Compare"),
    "view.downloads": ("下载", "Downloads"),
    "dashboard.baseline": ("对比基准", "Baseline"),
    "baseline.loaded": ("情景原值（未修改）", "the scenario as loaded"),
    "baseline.bundled": ("内置情景：{name}", "bundled: {name}"),
    "baseline.kept": ("保存的假设：{name}", "kept what-if: {name}"),
    "dashboard.rules": ("规则检查（红/黄/绿）", "The plan's rules (red / amber / green)"),
    "dashboard.indicators": (
        "{year}年主要指标（与基准之差）",
        "Key indicators in {year} (against the baseline)",
    ),
    "dashboard.all_years": (
        "各年指标及与基准之差",
        "Every year, and the difference from the baseline",
    ),
    "dashboard.findings": ("全部检查结果", "All findings"),
    "rag.status": ("状态", "status"),
    "rag.rule": ("规则", "rule"),
    "rag.clause": ("条款", "clause"),
    "rag.figure": ("依据", "figure"),
    "rag.breach_years": ("违规年度", "years breached"),
    "col.indicator": ("指标", "indicator"),
    "col.whatif": ("假设情形", "what-if"),
    "col.baseline": ("基准", "baseline"),
    "col.difference": ("差额", "difference"),
    "chart.pick": ("图表", "Chart"),
    "chart.resources": ("财力与支出", "resources and uses"),
    "chart.waterfall": ("三保瀑布（所选年度）", "the waterfall (the chosen year)"),
    "chart.advances": ("暂付款与上限、消化计划", "advances, the cap and the plan"),
    "chart.cash": ("库款按月及保障等级", "monthly cash and its classes"),
    "chart.debt": ("政府债务", "government debt"),
    "chart.revenue": ("收入构成", "revenue mix"),
    "mc.title": ("蒙特卡洛模拟", "Monte Carlo"),
    "mc.draws": ("模拟次数", "draws"),
    "mc.seed": ("随机种子", "seed"),
    "mc.run": ("运行模拟", "Run the simulation"),
    "mc.running": ("模拟中……", "simulating…"),
    "mc.stale": (
        "上次模拟针对另一情形；请重新运行。",
        "The last run was of another what-if: run it again.",
    ),
    "mc.result": ("{draws:,} 次模拟，随机种子 {seed}", "{draws:,} draws, seed {seed}"),
    "mc.fan": ("扇形图指标", "fan chart of"),
    "mc.breach": ("各规则被突破的概率", "Probability that each rule breaks"),
    "solve.title": ("反向压力测试与目标求解", "Reverse stress and goal-seek"),
    "solve.kind": ("冲击类型", "shock"),
    "solve.target": ("目标", "target"),
    "solve.lever": ("调节手段", "lever"),
    "solve.reverse": ("求最小冲击", "Find the smallest shock"),
    "solve.goal": ("逐年求所需最小调节", "Find the least the lever must do, year by year"),
    "target.sanbao": ("三保保障", "三保 funding"),
    "target.cash": ("库款预警线", "the cash alarm line"),
    "target.any": ("二者之一", "either"),
    "compare.name": ("名称", "name"),
    "compare.keep": ("保存当前假设以便比较", "Keep this what-if for comparison"),
    "compare.clear": ("清空", "Clear"),
    "compare.none": (
        "尚未保存假设。调整参数后点击“保存”，可并排比较多个假设。",
        "Nothing kept yet: change levers, then keep each what-if to see them side by side.",
    ),
    "compare.table": (
        "{year}年指标（差额相对于第一列）",
        "Indicators in {year} (differences from the first)",
    ),
    "compare.current": ("当前假设", "current what-if"),
    "download.overlay": ("假设情形（YAML，仅列修改项）", "The what-if (YAML, only what changed)"),
    "download.workbook": ("假设情形（Excel 工作簿）", "The what-if (Excel workbook)"),
    "download.workbook_missing": (
        "本版本尚不能写出情景工作簿。",
        "This version cannot write scenario workbooks yet.",
    ),
    "download.html": ("报告（HTML）", "Report (HTML)"),
    "download.xlsx": ("报告（Excel）", "Report (Excel)"),
    "download.note": (
        "下载的文件均注明情景哈希 {hash} 和版本 {version}。",
        "Every download records the scenario hash {hash} and version {version}.",
    ),
}


def word(key: str, lang: str, **fields) -> str:
    """The workbench's word for ``key`` in ``lang``, with ``fields`` filled in."""
    text = WORDS[key][0 if lang == "zh" else 1]
    return text.format(**fields) if fields else text


def format_difference(name: str, difference: float, lang: str) -> str:
    """A difference as the reports show the indicator, signed; ratios in percentage points.

    Examples
    --------
    >>> format_difference("own_revenue", 1234.4, "zh"), format_difference("headcount", -2, "en")
    ('+1,234', '-2')
    >>> format_difference("advance_ratio", 0.0123, "zh"), format_difference("debt_ratio", 0, "en")
    ('+1.2个百分点', '0')
    """
    shown = format_indicator(name, abs(difference))
    if shown.strip("0.,%") == "":
        return "0"
    sign = "+" if difference > 0 else "-"
    if INDICATORS.get(name, ("", "", ""))[2] == "fraction":
        points = shown.rstrip("%")
        return f"{sign}{points}{'个百分点' if lang == 'zh' else ' pp'}"
    return f"{sign}{shown}"
