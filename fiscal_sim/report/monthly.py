"""The monthly basic-operations table a county sends upward (OPS.4.4.1), as a DataFrame,
aligned text and an HTML page."""

from __future__ import annotations

from calendar import month_abbr

import pandas as pd

from fiscal_sim import labels, plots
from fiscal_sim.actuals.plan import parse_month
from fiscal_sim.errors import outside_horizon
from fiscal_sim.report.html import render_page
from fiscal_sim.report.tables import (
    _ADVANCE_COLUMNS,
    SANBAO_TIERS,
    _display,
    _format,
    _header,
    _lang,
    advances_frame,
    column_kind,
    meta_rows,
    monthly_frame,
    word,
)

_MONTH_COLUMNS = (
    "receipts",
    "payments",
    "cash",
    "payroll",
    "wage_covered",
    "cash_level",
    "cash_class",
    "deferred_payments",
)


_SCOPES = ("scope.month", "scope.year_end_plan")


def month_table(
    projection, month: str | tuple[int, int], *, lang: str | None = None, draw: int = 0
) -> pd.DataFrame:
    """The month's basic-operations table (OPS.4.4.1): 三保 needs and payments, cash, advances.

    Columns: ``section, item, scope, value, unit``. The 三保 rows are the month's and the
    year-to-date planned need and cash paid, per tier 1–3 and in total, from
    ``monthly_tiers()``; the cash rows are the month's from ``monthly()``; the advance rows
    are the year-end plan figures of the annual ledger (``annual``: the model books
    advances by year).
    """
    lang = _lang(lang)
    year, number = parse_month(month) if isinstance(month, str) else month
    years = [int(value) for value in plots._years(projection)]
    if year not in years:
        raise ValueError(str(outside_horizon(f"{year}-{number:02d}", years)))
    unit_wan = labels.unit_label("wan_yuan", lang)  # 万元 in both languages, as in the rules
    rows = []
    tiers = projection.monthly_tiers(draw=draw)
    tiers = tiers[
        (tiers["year"] == year) & (tiers["month"] <= number) & (tiers["tier_no"] <= SANBAO_TIERS)
    ]
    this_month = tiers[tiers["month"] == number].set_index("tier")
    to_date = tiers.groupby("tier", sort=False)[["need", "paid"]].sum()
    names = [(tier, plots.text(f"tier.{tier}", lang)) for tier in this_month.index]
    names.append(("total", word("sanbao_total", lang)))
    this_month.loc["total"] = this_month[["need", "paid"]].sum()
    to_date.loc["total"] = to_date[["need", "paid"]].sum()
    to_date_scope = word("scope.to_date", lang, month=number, month_name=month_abbr[number])
    for tier, name in names:
        for scope, table in (("scope.month", this_month), (to_date_scope, to_date)):
            for measure in ("need", "paid"):
                item = f"{name}{'：' if lang == 'zh' else ': '}{_header(measure, lang)}"
                rows.append(("part.sanbao", item, scope, table.loc[tier, measure], unit_wan))
    monthly = monthly_frame(projection, draw)
    row = monthly[(monthly["year"] == year) & (monthly["month"] == number)].iloc[0]
    units = {"cash_level": plots.text("unit.months", lang), "wage_covered": "", "cash_class": ""}
    for column in _MONTH_COLUMNS:
        if column in row.index:
            rows.append(
                (
                    "part.cash",
                    _header(column, lang),
                    "scope.month",
                    row[column],
                    units.get(column, unit_wan),
                )
            )
    ledger = advances_frame(projection, draw)
    for column in ledger.columns:
        unit = "" if column_kind(column) == "ratio" else unit_wan
        rows.append(
            (
                "part.advances",
                _header(column, lang),
                "scope.year_end_plan",
                ledger.loc[year, column],
                unit,
            )
        )
    frame = pd.DataFrame(rows, columns=["section", "item", "scope", "value", "unit"])
    frame["section"] = [word(key, lang) for key in frame["section"]]
    frame["scope"] = [word(key, lang) if key in _SCOPES else key for key in frame["scope"]]
    frame["value"] = [
        _display(column, value, lang)
        for column, value in zip(_month_value_columns(frame, lang), frame["value"], strict=True)
    ]
    frame.attrs["kinds"] = _month_value_columns(frame, lang)
    frame.attrs["title"] = word("month.title", lang, year=year, month=number)
    return frame


def _month_value_columns(frame: pd.DataFrame, lang: str) -> list[str]:
    """The machine column each row of the month table came from (to format its value)."""
    by_header = {_header(column, lang): column for column in (*_MONTH_COLUMNS, *_ADVANCE_COLUMNS)}
    return [by_header.get(item, "money") for item in frame["item"]]


def month_text(frame: pd.DataFrame, lang: str) -> str:
    """The month table as aligned text (for the terminal)."""
    kinds = frame.attrs.get("kinds") or ["money"] * len(frame)
    lines = [frame.attrs.get("title", "")]
    for (_, record), kind in zip(frame.iterrows(), kinds, strict=True):
        value = _format(kind, record["value"], lang)
        lines.append(
            f"{record['section']}\t{record['item']}\t{record['scope']}\t{value}\t"
            f"{record['unit']}".rstrip()
        )
    return "\n".join(lines) + "\n"


def month_html(
    projection, frame: pd.DataFrame, lang: str, *, generated: str | None = None, draw: int = 0
) -> str:
    """The month table as an HTML page (template ``month.html.j2``)."""
    from fiscal_sim.report.tables import changes_text

    kinds = frame.attrs.get("kinds") or ["money"] * len(frame)
    rows = []
    for (_, record), kind in zip(frame.iterrows(), kinds, strict=True):
        texts = (record["section"], record["item"], record["scope"])
        cells = [{"text": text, "num": False} for text in texts]
        cells.append({"text": _format(kind, record["value"], lang), "num": True})
        cells.append({"text": record["unit"], "num": False})
        rows.append({"css": "", "cells": cells})
    head = [
        {"text": word(key, lang), "num": False}
        for key in ("section", "item", "scope", "value", "unit")
    ]
    return render_page(
        "month.html.j2",
        lang,
        title=frame.attrs.get("title", ""),
        changes=changes_text(projection, lang),
        meta_rows=meta_rows(projection, lang, generated=generated, draw=draw),
        month={"id": "month-report", "head": head, "rows": rows},
    )
