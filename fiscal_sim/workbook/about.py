"""The 说明 / About sheet: what to fill and how to run it, then the workbook's own settings.

Rows are ``(key, label, value, editable)``. The reader takes the rows whose key is in
:data:`META_ROWS` (``extends`` and the scenario's ``meta``); the instructions and the version
are for people.
"""

from __future__ import annotations

from fiscal_sim._version import __version__

# key -> (中文, English) of the settings the reader takes.
META_ROWS = {
    "extends": ("基于情景（extends：内置情景名或相对路径）", "extends (a bundled name or a path)"),
    "meta.name": ("情景名称（留空则用文件名）", "scenario name (empty: the file name)"),
    "meta.title.zh": ("标题（中文）", "title (Chinese)"),
    "meta.title.en": ("标题（英文）", "title (English)"),
    "meta.description.zh": ("说明（中文）", "description (Chinese)"),
    "meta.description.en": ("说明（英文）", "description (English)"),
    "meta.date": ("日期（YYYY-MM-DD）", "date (YYYY-MM-DD)"),
    "meta.sources": ("资料来源（每行一条）", "sources (one a line)"),
}

INSTRUCTIONS = {
    "zh": (
        "本工作簿是 fiscal_sim 的一个情景：各参数表每行一个参数，黄色单元格可填写，其余锁定。",
        "金额单位为万元；比例填小数（10% 填 0.1）；“单位”列给出每行的单位，输入提示给出允许范围。",
        "分年度参数每年一列；月度分布每月一列，12个月合计须为1。",
        "单元格留空表示沿用“基于情景”中的数值；只改几个数也可以。",
        "改了数值请同时填写来源（或写 assumption）；来源不变时记为本工作簿的修改。",
        "措施表：每项措施填“是/否”及其数量，月份用逗号分隔（如 3, 4, 5）。",
        "运行：fiscal-sim run county.xlsx；检查规则：fiscal-sim check county.xlsx；"
        "转为YAML：fiscal-sim convert county.xlsx -o county.yaml",
    ),
    "en": (
        "This workbook is a fiscal_sim scenario: one parameter per row; fill the yellow cells, "
        "the rest is locked.",
        "Money is in 万元 (10,000 yuan); fractions as decimals (10 % is 0.1); the unit column "
        "gives each row's unit and the input prompt its allowed range.",
        "Yearly parameters have one column per year; monthly profiles one per month, the 12 "
        "summing to 1.",
        "An empty cell keeps the value of the scenario named under extends; changing a few "
        "cells is fine.",
        "When you change a value, write its source (or 'assumption'); an unchanged source is "
        "recorded as an override in this workbook.",
        "Measures sheet: on/off for each measure and its quantities; months comma-separated "
        "(3, 4, 5).",
        "Run: fiscal-sim run county.xlsx; rules: fiscal-sim check county.xlsx; to YAML: "
        "fiscal-sim convert county.xlsx -o county.yaml",
    ),
}


def about_rows(scenario, lang: str, extends: str) -> list[tuple[str, str, object, bool]]:
    """The About sheet's rows for a workbook made from ``scenario``."""
    pick = 0 if lang == "zh" else 1
    title = "fiscal_sim 情景工作簿" if lang == "zh" else "fiscal_sim scenario workbook"
    rows: list[tuple[str, str, object, bool]] = [("", title, "", False)]
    rows += [("", "", line, False) for line in INSTRUCTIONS[lang]]
    rows.append(("", "", "", False))
    values = {
        "extends": extends,
        "meta.title.zh": scenario.title["zh"],
        "meta.title.en": scenario.title["en"],
        "meta.description.zh": scenario.description["zh"] or None,
        "meta.description.en": scenario.description["en"] or None,
    }
    rows += [(key, names[pick], values.get(key), True) for key, names in META_ROWS.items()]
    made = "制作自" if lang == "zh" else "made from"
    version = "fiscal_sim 版本" if lang == "zh" else "fiscal_sim version"
    rows.append(("", made, f"{scenario.name} (hash {scenario.hash})", False))
    rows.append(("", version, __version__, False))
    return rows
