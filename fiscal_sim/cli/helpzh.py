"""The Chinese of every command's ``--help``: Chinese first, the English after it.

A bureau's staff read the help in Chinese; the English stays below (and in the docstrings,
which the reference documentation uses). :func:`bilingual` puts each command's Chinese
description above its English one and each option's Chinese help before its English help,
when the commands are registered in :mod:`fiscal_sim.cli`. Kept as data in one place so that
a test can check that no command or option is left without its Chinese.
"""

from __future__ import annotations

import inspect
import re
import unicodedata

import click

WIDTH = 76
"""Columns a line of Chinese help takes at most (a Chinese character takes two)."""

SHORT_HELP = {
    "run": "预测情景：指标与三保瀑布。 Project a scenario.",
    "compare": "情景对比及差额。 Scenarios side by side.",
    "scenarios": "内置情景列表。 The bundled scenarios.",
    "params": "全部参数：名称、单位、数值、来源。 Every parameter.",
    "explain": "指标或规则的含义与条款。 What an indicator or rule means.",
    "check": "检查方案规则，违规时退出码3。 The plan's rules; exit 3.",
    "assess": "新增政策的财力可承受性评估。 Can the budget afford a policy?",
    "chart": "绘制预算图表（PNG/SVG/PDF）。 A budget chart.",
    "report": "HTML或Excel报告；--month为月报。 HTML or Excel report.",
    "simulate": "蒙特卡洛：分位数与违规概率。 Monte Carlo.",
    "stress": "标准及自定义压力测试。 Stress tests.",
    "reverse-stress": "击穿三保或库款的最小冲击。 Reverse stress.",
    "goal-seek": "逐年求解守住规则的最小措施。 Goal-seek a lever, year by year.",
    "template": "生成待填报的Excel工作簿。 A scenario as a workbook to fill in.",
    "convert": "工作簿与YAML情景互相转换。 Workbook to YAML, or back.",
    "sensitivity": "敏感性：哪些参数影响最大。 Which parameters matter most.",
    "app": "在浏览器中打开情景推演工作台。 The what-if workbench.",
    "actuals": "情景预期的各月执行数（实际数格式）。 The months as actuals.",
    "reforecast": "根据实际月份重新预测全年。 Re-forecast from actual months.",
    "batch": "多县批量测算、排名与汇总。 Many counties at once.",
    "synth": "生成试用 batch 的模拟县文件。 A synthetic province.",
}
"""One line each in ``fiscal-sim --help`` (a command's own first sentence is cut short)."""

COMMAND_HELP = {
    "fiscal-sim": "县级财政预算模拟（保基层运转）：三保保障顺序、暂付款、月度库款、债务与方案"
    "规则。金额单位为万元。未指定情景时运行内置情景 plan-followed（2020年冲击下落实方案"
    "全部要求）。数据输出到标准输出（或 -o PATH），提示信息输出到标准错误。",
    "run": "预测情景：逐年主要指标、三保保障顺序（瀑布）和六保措施。SCENARIO 可以是内置"
    "情景名（见 fiscal-sim scenarios）、YAML 文件或填好的工作簿（.xlsx）；不指定时为内置"
    "情景 plan-followed。",
    "compare": "情景对比：各指标逐年并列，并给出与第一个情景 A 的差额（B − A …）。每个情景"
    "可以是内置情景名、YAML 文件或工作簿（.xlsx）。",
    "scenarios": "列出内置情景及其名称和说明。",
    "params": "列出全部参数：代码、名称（中文/英文）、单位、数值和来源。PATTERN 按代码筛选"
    "（如 'advances.*'），或按代码、名称的任一部分筛选。",
    "explain": "解释指标或规则：含义、计算方法和所依据的条款。可用代码或名称中的词"
    "（如 暂付款）；不带参数时列出全部指标和规则。",
    "check": "对情景的预测检查方案规则：逐条列出结果（违规在前），含规则、条款、年度、"
    "月份、数值、阈值、余量（正数表示在规则之内）和说明。有违规时退出码为3。",
    "assess": "新增政策的财力可承受性评估（OPS.4.1.1）：POLICY 是描述新增支出或收入措施的"
    " YAML 文件。情景分别在有无该政策下运行，结论为可承受、可承受但有预警或不可承受，"
    "并列出新增违规的规则、年度和剩余空间。",
    "chart": "将情景（默认 plan-followed）的预算图表写入文件。NAME 为 resources（财力与"
    "支出）、waterfall（某年三保瀑布）、advances（暂付款）、cash（库款保障水平）、revenue"
    "（收入结构）、debt（债务率）或 compare（多个情景的同一指标）。",
    "report": "生成情景报告：主要指标、三保瀑布、规则检查和图表，输出为 HTML 或 Excel；"
    "--month 为上报的月度基层运转表（OPS.4.4.1）；--draws 增加蒙特卡洛违规概率；"
    "--what-it-would-take 增加各项措施的目标求解。",
    "simulate": "蒙特卡洛模拟：各指标的分位数和每条规则的违规概率。税收、非税、一般性转移"
    "支付和土地收入增长的冲击取自情景的 shocks 部分。",
    "stress": "压力测试：各项标准（或自定义）冲击与基准对比，列出三保缺口、最低库款保障水平、"
    "工资风险月数、暂付款和债务比例，以及新增违规。",
    "reverse-stress": "反向压力测试：某类冲击击穿三保或库款预警线的最小规模，以及首次"
    "击穿的年份（或月份）。",
    "goal-seek": "目标求解：逐年求出使所选规则全部成立的最小措施规模，列出所需规模、"
    "筹集或腾出的资金、起约束作用的规则，以及各规则的余量。",
    "sensitivity": "敏感性分析：每个数值参数上下变动一个步长时各结果指标的变化、弹性和新增"
    "违规（⚠）。-o 文件名以 .png/.svg/.pdf 结尾时写出第一个结果指标的龙卷风图。",
    "template": "将情景写成 Excel 工作簿，供财政局填报后返回：说明页、每组参数一页（数值、"
    "单位、名称、来源）、冲击和六保措施。黄色单元格为填报区。--actuals YEAR 改为写出该年"
    "各月实际执行数的填报工作簿（供 fiscal-sim reforecast 读取）。",
    "convert": "工作簿与 YAML 情景互相转换：FILE.xlsx 转为 PATH.yaml（便于版本管理），"
    "FILE.yaml（或内置情景名）转为 PATH.xlsx；两者载入后是同一情景（哈希相同）。",
    "app": "在浏览器中启动情景推演工作台并显示其地址：选择或上传情景，调整各项措施，"
    "查看规则检查、指标、图表、蒙特卡洛和目标求解。",
    "actuals": "情景预期的各月执行数，按实际数工作簿的格式：各收入项、各层级支出、期初"
    "和期末库款、暂付款、清欠和人数，单位万元（人数为人），截至 --through 月份。",
    "reforecast": "根据国库实际月份（--actuals FILE）重新预测：从最后一个已结账月份末重新"
    "起算，输出全年执行预计与预算的对比、支出进度、库款预警和规则检查；--draws 增加其余"
    "月份的不确定性。",
    "batch": "多县批量测算：逐县预测、检查规则（加 --draws 时做蒙特卡洛），在本进程或 Dask "
    "上分块运行；按风险评分排名，按地市和全部汇总，输出结果表、summary.xlsx 和 report.html。",
    "synth": "生成模拟省份：由基础情景扰动得到的各县情景文件，用于试用 batch。",
}
"""Each command's description in Chinese, shown above the English one."""

OPTION_HELP = {
    "--lang": "标签和文字的语言：zh（中文）或 en（英文）。",
    "--set": "修改一个参数，如 --set people.staff=4800（可重复）。",
    "--years": "只显示这些预测年度，如 2019:2023 或 2021。",
    "--format": "输出格式。",
    "--output": "写入该文件，或写入该目录（文件名含情景、哈希和版本）。",
    "--precision": "",  # bilingual in its own definition (cli.common.precision_option)
    "--draws": "蒙特卡洛模拟次数。",
    "--seed": "随机数种子。",
    "--chunk-size": "每次引擎调用的模拟次数（影响内存，不影响结果）。",
    "--indicator": "指标代码。",
    "--only": "只检查该规则（可重复）。",
    "--year": "年度。",
    "--explain": "显示该规则的条款和参数。",
    "--breaches-only": "只显示违规（不含预警和通过项）。",
    "--scenario": "情景：内置情景名或 YAML 文件（默认 plan-followed）。",
    "--all": "绘制一个情景的全部图表。",
    "--month": "只输出该月的月度基层运转表（OPS.4.4.1），如 2020-06。",
    "--actuals": "国库实际执行数工作簿（.xlsx）或 CSV。",
    "--what-it-would-take": "增加目标求解部分：各项措施逐年至少需要多大，规则才能全部成立。",
    "--test": "只运行该压力测试（可重复）。",
    "--shock": "逐步加大直到击穿的冲击类型。",
    "--target": "须击穿的目标：三保、库款预警线或任一。",
    "--start": "冲击的起始年份（默认：第一个预测年度）。",
    "--lever": "县里采取的措施。",
    "--rules": "必须成立的规则，以逗号分隔（默认：所有可能违规的规则）。",
    "--outcome": "结果指标，以逗号分隔。",
    "--step": "每个参数上下变动的幅度（相对其数值）。",
    "--group": "只分析情景中一个部分的参数（revenue、pay、advances …）。",
    "--top": "表中每个结果指标显示的参数个数（csv 和 json 输出全部）。",
    "--through": "截至月份：从当年1月到该月。",
    "--host": "监听的网络接口；非本机回环地址时其他机器也可访问。",
    "--port": "TCP 端口。",
    "--debug": "显示意外错误的完整回溯。",
    "--version": "显示版本并退出。",
    "--help": "显示本帮助并退出。",
}
"""Each option's help in Chinese (by its long name), put before its English help."""

# Options whose Chinese differs by command (their English does too).
COMMAND_OPTION_HELP = {
    ("chart", "--format"): "--all 写出的图表文件格式。",
    ("chart", "--output"): "图表文件 FILE.png|svg|pdf；使用 --all 时为目录。",
    ("chart", "--indicator"): "compare 图表显示的指标。",
    ("chart", "--year"): "瀑布图的年份（默认：最差的一年）或库款图的年份。",
    ("report", "--format"): "html 或 xlsx（--month 另有 csv 和 txt）；默认按 -o 的后缀。",
    ("report", "--draws"): "增加不确定性部分：N 次蒙特卡洛模拟（100 至 1,000,000）。",
    ("report", "--output"): "报告文件，或写入该目录；默认当前目录，--month 时输出到屏幕。",
    ("reforecast", "--draws"): "增加其余月份的不确定性：N 次蒙特卡洛模拟（100 至 1,000,000）。",
    ("reforecast", "--output"): "将分析写成 Excel 工作簿（.xlsx），而不是打印。",
    ("template", "--actuals"): "改为写出 YEAR 年各月实际执行数的填报工作簿。",
    ("template", "--output"): ".xlsx 文件，或写入该目录（文件名含情景、哈希和版本）。",
    ("convert", "--output"): "要写出的 .yaml 或 .xlsx 文件。",
    ("actuals", "--format"): "csv 或 xlsx；默认按 -o 的后缀，否则 csv。",
    ("actuals", "--output"): "写入该文件或目录；默认将 CSV 输出到屏幕。",
    ("simulate", "--indicator"): "要输出分位数的指标（可重复；默认：主要指标）。",
    ("check", "--year"): "只检查该年度（可重复）。",
    ("params", "--scenario"): "显示哪个情景的数值：内置情景名或 YAML 文件（默认 plan-followed）。",
    ("sensitivity", "--output"): "将表写入该文件；以 .png/.svg/.pdf 结尾时写出龙卷风图。",
    ("batch", "--output"): "结果表和报告的输出目录。",
    ("batch", "--draws"): "每县蒙特卡洛模拟次数（0：只做确定性预测）。",
    ("batch", "--seed"): "批量种子；每县的随机数由 SeedSequence([seed, code]) 派生。",
    (
        "batch",
        "--scheduler",
    ): "已有的 Dask 集群地址；默认取 $DASK_SCHEDULER_ADDRESS，否则本机集群。",
    ("batch", "--workers"): "本机集群的工作进程数（默认每核一个）；0 表示在本进程内运行。",
    ("batch", "--block"): "每个 Dask 任务包含的县数。",
    ("synth", "--counties"): "模拟县的个数。",
    ("synth", "--seed"): "随机数种子。",
    ("synth", "--base"): "各县扩展的基础情景。",
    ("synth", "--output"): "县情景文件的输出目录。",
}


def option_help(command: str, option: str) -> str | None:
    """The Chinese help of ``option`` (its long name) in ``command``, or None."""
    return COMMAND_OPTION_HELP.get((command, option), OPTION_HELP.get(option))


def _long_name(param) -> str | None:
    names = [*param.opts, *param.secondary_opts]
    long = [name for name in names if name.startswith("--")]
    return long[0] if long else None


def _width(text: str) -> int:
    """Columns ``text`` takes on a terminal: east-asian wide and full-width characters two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


CLOSING_MARKS = "，。；：）、！？”’》」"
"""Marks a line never starts with: they stay with the character before them."""

OPENING_MARKS = "（“‘《「"
"""Marks a line never ends with: they go down with the character after them."""

# Spaces, a word (a line may also break after a "|": ``[zh|en]``), or one Chinese character.
_TOKENS = re.compile(r"\s+|[^\s|\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]+\|?|\||.")


def wrap(
    text: str, width: int = WIDTH, indent: str = "", hang: str | None = None, spaces: bool = False
) -> list[str]:
    """``text`` in lines of at most ``width`` terminal columns, a Chinese character taking two
    (click counts characters, and makes Chinese lines twice too wide).

    A line breaks between words or between two Chinese characters, never before a closing
    mark (the character before it moves down with it); ``indent`` starts the first line,
    ``hang`` (default: ``indent``) the others; a word longer than a line is cut. Runs of
    spaces become one unless ``spaces`` (a line laid out by hand).

    Examples
    --------
    >>> wrap("县级财政预算模拟。金额单位为万元。", 12)
    ['县级财政预算', '模拟。金额单', '位为万元。']
    >>> wrap("标签的语言：zh（中文）或 en。 Language of labels", 20)
    ['标签的语言：zh（中', '文）或 en。 Language', 'of labels']
    """
    hang = indent if hang is None else hang
    lines: list[str] = []
    line: list[str] = []
    room = width - _width(indent)

    def used() -> int:
        return _width("".join(line))

    def new_line() -> None:
        nonlocal room
        lines.append((hang if lines else indent) + "".join(line).rstrip())
        line.clear()
        room = width - _width(hang)

    for token in _TOKENS.findall(" ".join(text.split("\n"))):
        if token.isspace():
            if line:
                line.append(token if spaces else " ")
            continue
        if used() + _width(token) <= room:
            line.append(token)
            continue
        carried: list[str] = []
        while token[0] in CLOSING_MARKS and len(line) > 1 and not line[-1].isspace():
            carried.insert(0, line.pop())  # the character before the mark goes down with it
            if carried[0][0] not in CLOSING_MARKS:
                break
        while len(line) > 1 and line[-1] in OPENING_MARKS:
            carried.insert(0, line.pop())  # an opening mark never ends a line
        if line:
            new_line()
        line.extend(carried)
        while _width(token) > room - used():  # a word longer than a line
            cut = max(1, _fit(token, room - used()))
            line.append(token[:cut])
            new_line()
            token = token[cut:]
        line.append(token)
    if line:
        new_line()
    return lines


def _fit(text: str, room: int) -> int:
    """How many leading characters of ``text`` fit in ``room`` columns."""
    count = 0
    for count, char in enumerate(text):
        room -= _width(char)
        if room < 0:
            return count
    return len(text)


def _join_lines(lines: list[str]) -> str:
    """A paragraph's lines as one text: no space put between two Chinese characters."""
    text = ""
    for line in (line.strip() for line in lines):
        if text and not (_width(text[-1]) == 2 and _width(line[:1]) == 2):
            text += " "
        text += line
    return text


class HelpFormatter(click.HelpFormatter):
    """click's help formatter, measuring by terminal columns (a Chinese character takes two):
    no line of the help is wider than the terminal. A ``\\b`` paragraph keeps its lines, and
    only a line too wide for the terminal is wrapped, under its own indent; an example
    (``$ fiscal-sim ...``) is continued with the shell's `` \\``, so it still runs pasted."""

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        self.write("\n\n".join(self._paragraphs(text, self.width, indent)))
        self.write("\n")

    def _paragraphs(self, text: str, width: int, indent: str) -> list[str]:
        paragraphs: list[list[str]] = [[]]
        for line in text.expandtabs().splitlines():
            if line.strip():
                paragraphs[-1].append(line)
            elif paragraphs[-1]:
                paragraphs.append([])
        shown = []
        for lines in filter(None, paragraphs):
            if lines[0].strip() == "\b":
                kept = []
                for line in lines[1:]:
                    own = indent + " " * (len(line) - len(line.lstrip()))
                    if not line.strip().startswith("$ "):
                        kept += wrap(line.strip(), width, own, own + "   ", spaces=True)
                        continue
                    # an example command stays one command: continued by the shell's " \"
                    parts = wrap(line.strip(), width - 2, own, own + "    ", spaces=True)
                    kept += [f"{part} \\" for part in parts[:-1]] + parts[-1:]
                shown.append("\n".join(kept))
            else:
                own = indent + " " * (len(lines[0]) - len(lines[0].lstrip()))
                shown.append("\n".join(wrap(_join_lines(lines), width, own)))
        return shown

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_col = min(max((_width(first) for first, _ in rows), default=0), col_max)
        first_col += col_spacing
        indent = " " * self.current_indent
        for first, second in rows:
            names = wrap(first, self.width, indent, indent + "  ")  # a long list of choices
            self.write("".join(f"{line}\n" for line in names[:-1]) + names[-1])
            used = _width(names[-1]) - self.current_indent
            if not second:
                self.write("\n")
                continue
            if used <= first_col - col_spacing:
                self.write(" " * (first_col - used))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            hang = " " * (first_col + self.current_indent)
            lines = "\n\n".join(self._paragraphs(second, self.width, hang)).splitlines()
            self.write(lines[0].lstrip() + "\n" if lines else "\n")
            for line in lines[1:]:
                self.write(f"{line}\n")


class Context(click.Context):
    """A click context whose help is formatted by :class:`HelpFormatter`."""

    formatter_class = HelpFormatter


def chinese_paragraph(text: str) -> str:
    """``text`` as a paragraph of its own, wrapped by :class:`HelpFormatter` to the terminal."""
    return " ".join(part.strip() for part in text.splitlines())


def bilingual(command, name: str) -> None:
    """Put the Chinese first in ``command``'s help and its options' helps (in place)."""
    chinese = COMMAND_HELP.get(name)
    if chinese and command.help and not command.help.startswith(chinese[:8]):
        command.help = f"{chinese_paragraph(chinese)}\n\n{inspect.cleandoc(command.help)}"
    for param in command.params:
        help_text = getattr(param, "help", None)
        option = _long_name(param) if hasattr(param, "opts") else None
        if help_text is None or option is None:
            continue
        zh = option_help(name, option)
        if zh and not help_text.startswith(zh):
            param.help = f"{zh} {help_text}"
