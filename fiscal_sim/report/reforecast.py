"""The tables of a re-forecast on actuals, labelled, as text and as an Excel workbook.

:func:`review_tables` labels the tables of a :class:`~fiscal_sim.restart.Reforecast`
(outturn estimate, year-end figures, execution progress, cash alerts, rules, the cuts the
months left cannot absorb where there are any, and with a Monte Carlo run the cash fan from
the last closed month): headers in the language asked with their
units, money in 万元, shares as percentages. Nothing is computed here.
"""

from __future__ import annotations

import pandas as pd

from fiscal_sim import labels
from fiscal_sim.numbers import format_value
from fiscal_sim.report.tables import _lang, meta_rows

WAN = "（万元）", " (万元)"
HEADERS = {
    "name": ("项目", "item"),
    "plan": ("年初预计", "plan"),
    "actual_to_date": ("累计实际", "actual to date"),
    "remaining": ("剩余月份预测", "remaining months"),
    "outturn": ("全年预计", "outturn estimate"),
    "change": ("较年初预计增减", "change from plan"),
    "reforecast": ("重新预测", "re-forecast"),
    "paid_to_date": ("累计支付", "paid to date"),
    "paid": ("全年可支付", "payments of the year"),
    "not_absorbed": ("剩余月份无法消化", "not absorbed by the months left"),
    "message": ("提示", "warning"),
    "plan_to_date": ("计划累计", "plan to date"),
    "progress": ("支出进度", "execution progress"),
    "elapsed": ("时间进度", "time elapsed"),
    "behind": ("进度差", "progress − time"),
    "month": ("月份", "month"),
    "cash": ("期末库款余额", "month-end cash"),
    "cash_level": ("库款保障水平（月）", "cash cover (months)"),
    "cash_class_name": ("库款保障等级", "cash class"),
    "payroll_covered": ("工资有保障", "payroll covered"),
    "severity": ("重新预测", "re-forecast"),
    "plan_severity": ("年初预计", "plan"),
    "probability": ("违规概率", "breach probability"),
    "q05": ("5%分位", "5 %"),
    "q25": ("25%分位", "25 %"),
    "q50": ("中位数", "median"),
    "q75": ("75%分位", "75 %"),
    "q95": ("95%分位", "95 %"),
}
MONEY = {"plan", "actual_to_date", "remaining", "outturn", "change", "reforecast"}
MONEY |= {"paid_to_date", "plan_to_date", "cash", "q05", "q25", "q50", "q75", "q95"}
MONEY |= {"paid", "not_absorbed"}
KINDS = {"progress": "ratio", "elapsed": "ratio", "behind": "ratio", "probability": "ratio"}
KINDS |= {"cash_level": "months", "month": "id"}
TITLES = {
    "outturn": ("全年执行预计", "Outturn estimate of the year"),
    "year_end": ("年末主要指标", "Year-end figures"),
    "progress": ("支出进度与时间进度", "Execution progress against time elapsed"),
    "cash_alerts": ("库款偏低或工资有风险的月份", "Months ahead with low cash or payroll at risk"),
    "rules": ("违规或有风险的规则", "Rules breached or at risk in the year"),
    "cuts_not_absorbed": (
        "剩余月份无法消化的压减",
        "Cuts beyond the months left",
    ),
    "cash_fan": ("剩余月份库款的不确定性", "Month-end cash in the remaining months, over draws"),
}
COLUMNS = {
    "outturn": ("name", "plan", "actual_to_date", "remaining", "outturn", "change"),
    "year_end": ("name", "plan", "reforecast", "change"),
    "progress": ("name", "plan", "paid_to_date", "plan_to_date", "progress", "elapsed", "behind"),
    "cash_alerts": ("month", "cash", "cash_level", "cash_class_name", "payroll_covered"),
    "rules": ("name", "severity", "plan_severity", "probability"),
    "cuts_not_absorbed": ("name", "paid", "paid_to_date", "not_absorbed", "message"),
    "cash_fan": ("month", "reforecast", "q05", "q25", "q50", "q75", "q95"),
}


def header(column: str, lang: str) -> str:
    text = HEADERS[column][0 if lang == "zh" else 1]
    return text + WAN[0 if lang == "zh" else 1] if column in MONEY else text


def title(key: str, lang: str) -> str:
    return TITLES[key][0 if lang == "zh" else 1]


def review_tables(result, lang: str | None = None) -> dict[str, pd.DataFrame]:
    """The labelled tables of ``result``, by key (``TITLES``), numbers as numbers.

    ``attrs["kinds"]`` gives each column's kind (``money``, ``ratio``, ``months``, ``id``,
    ``text``); the year-end table's rows have their own kinds (``attrs["row_kinds"]``).
    """
    lang = _lang(lang)
    frames = {
        "outturn": result.outturn(lang),
        "year_end": result.year_end(lang),
        "progress": result.progress(lang),
        "cash_alerts": result.cash_alerts(lang),
        "rules": result.rules(lang),
    }
    unabsorbed = result.cuts_not_absorbed(lang)
    if not unabsorbed.empty:
        frames["cuts_not_absorbed"] = unabsorbed
    if result.cash_fan is not None:
        frames["cash_fan"] = result.cash_fan
    yes_no = {True: "是" if lang == "zh" else "yes", False: "否" if lang == "zh" else "no"}
    tables = {}
    for key, frame in frames.items():
        frame = frame.copy()
        for column in ("severity", "plan_severity"):
            if column in frame:
                frame[column] = [labels.severity_label(value, lang) for value in frame[column]]
        if "payroll_covered" in frame:
            frame["payroll_covered"] = frame["payroll_covered"].map(yes_no)
        columns = [column for column in COLUMNS[key] if column in frame]
        labelled = frame[columns].rename(columns=lambda column: header(column, lang))
        labelled.attrs["kinds"] = {
            header(column, lang): KINDS.get(column, "money" if column in MONEY else "text")
            for column in columns
        }
        if key == "year_end":
            labelled.attrs["row_kinds"] = [
                "ratio" if name == "advance_ratio" else "money" for name in frame["indicator"]
            ]
        tables[key] = labelled
    return tables


def review_text(result, lang: str | None = None) -> str:
    """The review as aligned text for the terminal: a title line, then each table."""
    lang = _lang(lang)
    parts = []
    for key, frame in review_tables(result, lang).items():
        parts.append(f"# {title(key, lang)}")
        if frame.empty:
            parts.append("（无）" if lang == "zh" else "(none)")
            continue
        text = frame.copy()
        for column in frame.columns:
            text[column] = [
                value
                if cell_kind(frame, i, column) == "text"
                else format_value(value, cell_kind(frame, i, column))
                for i, value in enumerate(frame[column])
            ]
        with pd.option_context("display.unicode.east_asian_width", True):  # 汉字 two columns
            parts.append(text.to_string(index=False))
    return "\n".join(parts) + "\n"


def review_workbook(result, lang: str | None = None, generated: str | None = None):
    """The review as an openpyxl workbook: an About sheet, then one sheet per table."""
    from openpyxl import Workbook

    lang = _lang(lang)
    workbook = Workbook()
    about = workbook.active
    about.title = "说明" if lang == "zh" else "About"
    for key, value in meta_rows(result.projection, lang, generated=generated):
        about.append([key, value])
    about.append(["截至月份" if lang == "zh" else "as of", result.as_of])
    about.append(["实际执行文件" if lang == "zh" else "actuals file", result.actuals.file])
    for key, frame in review_tables(result, lang).items():
        table_sheet(workbook, title(key, lang), frame)
    return workbook


def cell_kind(frame: pd.DataFrame, row: int, column) -> str:
    """The kind of one cell of a labelled table: its column's, or its row's for money columns
    of a table whose rows differ (``attrs["row_kinds"]``)."""
    kind = frame.attrs["kinds"].get(column, "text")
    row_kinds = frame.attrs.get("row_kinds")
    return row_kinds[row] if row_kinds and kind == "money" else kind


def table_sheet(workbook, name: str, frame: pd.DataFrame) -> None:
    """A labelled table as a sheet: bold header row (frozen), numbers kept as numbers with
    the Excel format of their kind."""
    from openpyxl.styles import Font

    from fiscal_sim.numbers import EXCEL_FORMATS

    sheet = workbook.create_sheet(name[:31])
    sheet.append([str(column) for column in frame.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i, record in enumerate(frame.itertuples(index=False, name=None)):
        sheet.append([value.item() if hasattr(value, "item") else value for value in record])
        for number, column in enumerate(frame.columns, start=1):
            kind = cell_kind(frame, i, column)
            if kind not in ("text", "id"):
                sheet.cell(row=i + 2, column=number).number_format = EXCEL_FORMATS[kind]
    for number in range(1, len(frame.columns) + 1):
        sheet.column_dimensions[sheet.cell(1, number).column_letter].width = 22
    sheet.freeze_panes = "A2"
