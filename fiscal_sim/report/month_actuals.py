"""The monthly report on actuals (OPS.4.4.1): the monitoring platform's tables, filled from
the treasury's months and a re-forecast of the rest of the year.

:func:`month_actuals_tables` gives, for a closed month of a
:class:`~fiscal_sim.restart.Reforecast`: the platform's cash table (期初库款余额, 本期库款流入,
本期库款流出, 期末库款余额, 库款保障水平) for the months to date, actual, and the next three,
projected; the month's and the year-to-date 三保 need and payments; advances against the cap
(OPS.4.3.2) and the digestion line (OPS.4.3.1); the re-forecast of the year end. The cash
cover of an actual month is its closing cash over the re-forecast year's average monthly
outflow, as the engine's own months are. :func:`month_actuals_html` and
:func:`month_actuals_workbook` lay them out; nothing is computed that the projections and
the actuals do not hold.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from fiscal_sim import labels
from fiscal_sim.actuals.layout import PAYMENTS, RECEIPTS, month_text
from fiscal_sim.actuals.plan import plan_lines
from fiscal_sim.numbers import format_value
from fiscal_sim.report.reforecast import cell_kind, review_tables, table_sheet
from fiscal_sim.report.tables import _lang, meta_rows

AHEAD = 3  # months projected after the month reported
CLASSES = ("alarm", "low", "normal", "idle")
WORDS = {
    "month": ("月份", "month"),
    "source": ("数据", "figures"),
    "actual": ("实际", "actual"),
    "projected": ("预测", "projected"),
    "opening": ("期初库款余额（万元）", "opening treasury cash (万元)"),
    "inflow": ("本期库款流入（万元）", "treasury inflow (万元)"),
    "outflow": ("本期库款流出（万元）", "treasury outflow (万元)"),
    "closing": ("期末库款余额（万元）", "closing treasury cash (万元)"),
    "level": ("库款保障水平（月）", "cash cover (months)"),
    "class": ("保障等级", "class"),
    "item": ("项目", "item"),
    "month_need": ("本月需求（万元）", "need, month (万元)"),
    "month_paid": ("本月支付（万元）", "paid, month (万元)"),
    "ytd_need": ("累计需求（万元）", "need, year to date (万元)"),
    "ytd_paid": ("累计支付（万元）", "paid, year to date (万元)"),
    "value": ("数值", "value"),
    "sanbao_total": ("三保合计", "三保, total"),
    "advance_balance": (
        "暂付款余额（实际，月末，万元）",
        "advances outstanding (actual, month end, 万元)",
    ),
    "advance_cap": (
        "暂付款上限：支出的{cap:.0%}（重新预测的全年支出，万元）",
        "advance cap: {cap:.0%} of the year's expenditure (re-forecast, 万元)",
    ),
    "advance_ratio": ("暂付款占支出比例", "advances ÷ expenditure"),
    "legacy": ("存量暂付款余额（实际，月末，万元）", "legacy advances (actual, month end, 万元)"),
    "legacy_line": ("消化进度线：年末应余（万元）", "digestion line: left at year end (万元)"),
    "legacy_plan": ("计划年末存量暂付款（万元）", "planned legacy advances at year end (万元)"),
    "title": (
        "{year}年{month}月保基层运转监测（实际执行）",
        "Basic-operations monitoring, {year}-{month:02d} (actuals)",
    ),
    "part.cash": ("库款", "Treasury cash"),
    "part.sanbao": ("三保需求与支付", "三保 need and payments"),
    "part.advances": ("暂付款", "Advances"),
    "part.year_end": ("年末重新预测", "Re-forecast of the year end"),
}


def _w(key: str, lang: str, **fields) -> str:
    text = WORDS[key][0 if lang == "zh" else 1]
    return text.format(**fields) if fields else text


def _check_month(result, month: int) -> None:
    if not 1 <= month <= result.actuals.as_of:
        raise ValueError(
            f"{month_text(result.year, month)} is not a closed month of {result.actuals.file} "
            f"(January to {result.as_of})"
        )


def cash_table(result, month: int, lang: str) -> pd.DataFrame:
    """The platform's cash table: January to ``month`` actual, then up to three projected."""
    t = list(result.projection.scenario.years).index(result.year)
    frame = result.actuals.frame
    lines = plan_lines(result.projection)
    average = result.projection.months["payments"][0, t].sum() / 12
    scenario = result.projection.scenario
    thresholds = [scenario.value(f"rules.cash_{name}_level") for name in ("alarm", "low", "idle")]
    rows = []
    for m in range(1, min(month + AHEAD, 12) + 1):
        key = month_text(result.year, m)
        if m <= month:
            row = frame.loc[key]
            figures = (
                row["opening_cash"],
                row[list(RECEIPTS)].sum(),
                row[list(PAYMENTS)].sum(),
                row["closing_cash"],
            )
            source = "actual"
        else:
            figures = tuple(
                float(value)
                for value in (
                    lines["opening_cash"][0, t, m - 1],
                    sum(lines[k][0, t, m - 1] for k in RECEIPTS),
                    sum(lines[k][0, t, m - 1] for k in PAYMENTS),
                    lines["closing_cash"][0, t, m - 1],
                )
            )
            source = "projected"
        level = figures[3] / average if average > 0 else np.nan
        cash_class = CLASSES[int(np.digitize(level, thresholds))]
        rows.append((key, _w(source, lang), *figures, level, labels.label(cash_class, lang)))
    columns = [
        _w(k, lang)
        for k in ("month", "source", "opening", "inflow", "outflow", "closing", "level", "class")
    ]
    table = pd.DataFrame(rows, columns=columns)
    table.attrs["kinds"] = dict(
        zip(columns, ["id", "text", *["money"] * 4, "months", "text"], strict=True)
    )
    return table


def sanbao_table(result, month: int, lang: str) -> pd.DataFrame:
    """Tiers 1–3: the plan's need and the treasury's payments, the month and the year to date."""
    t = list(result.plan.scenario.years).index(result.year)
    needs = result.plan.extra["monthly_need"]
    frame = result.actuals.frame
    rows = []
    for tier in ("wages", "livelihood", "operations"):
        need = np.broadcast_to(needs[tier], (1, *needs[tier].shape[-2:]))[0, t]
        paid = frame[tier].to_numpy()
        rows.append(
            [
                labels.label(tier, lang),
                need[month - 1],
                paid[month - 1],
                need[:month].sum(),
                paid[:month].sum(),
            ]
        )
    rows.append([_w("sanbao_total", lang), *np.sum([row[1:] for row in rows], axis=0)])
    columns = [_w(k, lang) for k in ("item", "month_need", "month_paid", "ytd_need", "ytd_paid")]
    table = pd.DataFrame(rows, columns=columns)
    table.attrs["kinds"] = {columns[0]: "text", **{c: "money" for c in columns[1:]}}
    return table


def advances_table(result, month: int, lang: str) -> pd.DataFrame:
    """Advances at the month end against the 5 % cap and the plan's digestion line."""
    t = list(result.projection.scenario.years).index(result.year)
    annual = result.projection.annual
    row = result.actuals.frame.loc[month_text(result.year, month)]
    balance = row["legacy_advances"] + row["new_advances"]
    spending = annual["gpb_expenditure"][0, t] + annual["gfb_expenditure"][0, t]
    cap = result.projection.scenario.value("rules.advance_cap_ratio")
    legacy0 = result.projection.scenario.value("advances.legacy")
    items = [
        ("advance_balance", balance, "money"),
        ("advance_cap", cap * spending, "money"),
        ("advance_ratio", balance / spending if spending > 0 else np.nan, "ratio"),
        ("legacy", row["legacy_advances"], "money"),
        ("legacy_line", legacy0 - annual["legacy_target_cum"][0, t], "money"),
        ("legacy_plan", result.plan.annual["legacy_advances"][0, t], "money"),
    ]
    columns = [_w("item", lang), _w("value", lang)]
    names = [_w(k, lang, cap=cap) if k == "advance_cap" else _w(k, lang) for k, _, _ in items]
    table = pd.DataFrame(
        [(name, float(v)) for name, (_, v, _) in zip(names, items, strict=True)], columns=columns
    )
    table.attrs["kinds"] = {columns[0]: "text", columns[1]: "money"}
    table.attrs["row_kinds"] = [kind for _, _, kind in items]
    return table


def month_actuals_tables(result, month: int, lang: str | None = None) -> dict:
    """The report's tables by section key (``part.cash`` …), labelled in ``lang``."""
    lang = _lang(lang)
    _check_month(result, month)
    year_end = review_tables(result, lang)["year_end"]
    return {
        "part.cash": cash_table(result, month, lang),
        "part.sanbao": sanbao_table(result, month, lang),
        "part.advances": advances_table(result, month, lang),
        "part.year_end": year_end,
    }


def _cell_texts(frame: pd.DataFrame) -> list[list[tuple[str, bool]]]:
    out = []
    for i, record in enumerate(frame.itertuples(index=False, name=None)):
        cells = []
        for column, value in zip(frame.columns, record, strict=True):
            kind = cell_kind(frame, i, column)
            text = str(value) if kind in ("text", "id") else format_value(value, kind)
            cells.append((text, kind not in ("text", "id")))
        out.append(cells)
    return out


def month_actuals_html(result, month: int, lang: str | None = None, generated=None) -> str:
    """The report as a self-contained HTML page (template ``month_actuals.html.j2``)."""
    from fiscal_sim.report.html import render_page

    lang = _lang(lang)
    sections = []
    for key, frame in month_actuals_tables(result, month, lang).items():
        head = [
            {"text": str(c), "num": frame.attrs["kinds"].get(c, "text") not in ("text", "id")}
            for c in frame.columns
        ]
        rows = [
            {"css": "", "cells": [{"text": text, "num": num} for text, num in cells]}
            for cells in _cell_texts(frame)
        ]
        sections.append(
            {
                "title": _w(key, lang),
                "table": {"id": key.replace(".", "-"), "head": head, "rows": rows},
            }
        )
    return render_page(
        "month_actuals.html.j2",
        lang,
        title=_w("title", lang, year=result.year, month=month),
        meta_rows=_meta(result, lang, generated),
        sections=sections,
    )


def _meta(result, lang: str, generated) -> list:
    rows = list(meta_rows(result.projection, lang, generated=generated))
    rows.append(("截至月份" if lang == "zh" else "as of", result.as_of))
    rows.append(("实际执行文件" if lang == "zh" else "actuals file", result.actuals.file))
    return rows


def month_actuals_workbook(result, month: int, lang: str | None = None, generated=None):
    """The report as an openpyxl workbook: an About sheet, then one sheet per section."""
    from openpyxl import Workbook

    lang = _lang(lang)
    workbook = Workbook()
    about = workbook.active
    about.title = "说明" if lang == "zh" else "About"
    about.append([_w("title", lang, year=result.year, month=month)])
    for key, value in _meta(result, lang, generated):
        about.append([key, value])
    for key, frame in month_actuals_tables(result, month, lang).items():
        table_sheet(workbook, _w(key, lang), frame)
    return workbook
