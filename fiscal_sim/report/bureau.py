"""The bureau's standard tables, in the layouts of the monitoring platform and the bureau's
reviews: 三保需求测算与保障情况, the 暂付款 ledger by vintage with digestion progress, 库款保障水平
by month and the debt table (:func:`bureau_tables`): sheets of the Excel report and tables of
the HTML report, from the same builders.

The figures are the projection's own arrays, regrouped. Three columns are identities of the
ledgers, not new computations: a month's opening cash (期初 = 期末 − 流入 + 流出), the debt
principal due (到期 = 再融资 + 期初余额 + 新增 − 期末余额, the engine's roll-forward read
backwards) and the digestion progress (cumulative digested ÷ the base-year stock).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from fiscal_sim import plots

WORDS: dict[str, tuple[str, str]] = {
    "sheet.sanbao_table": ("三保需求测算与保障情况", "三保 need and funding"),
    "sheet.advance_ledger": ("暂付款台账", "Advance ledger"),
    "sheet.cash_table": ("库款保障水平", "Treasury cash cover"),
    "sheet.debt_table": ("政府债务", "Government debt"),
    "col.item": ("项目", "Item"),
    "col.need_estimate": ("需求测算（万元）", "Need (万元)"),
    "col.funded_amount": ("已保障（万元）", "Funded (万元)"),
    "col.gap": ("缺口（万元）", "Shortfall (万元)"),
    "col.funded_share": ("保障率", "Funded share"),
    "col.legacy_opening": ("存量年初余额（万元）", "Legacy stock, opening (万元)"),
    "col.legacy_recovered": ("存量本年收回（万元）", "Legacy recovered (万元)"),
    "col.legacy_written_off": ("存量本年核销（万元）", "Legacy written off (万元)"),
    "col.legacy_closing": ("存量年末余额（万元）", "Legacy stock, closing (万元)"),
    "col.legacy_digested": ("存量累计消化（万元）", "Legacy digested, cumulative (万元)"),
    "col.legacy_planned_cum": ("计划累计消化（万元）", "Planned digestion, cumulative (万元)"),
    "col.digested_share": ("消化进度", "Digestion progress"),
    "col.planned_share": ("计划进度", "Planned progress"),
    "col.new_issued": ("本年新增（万元）", "New advances issued (万元)"),
    "col.new_repaid": ("新增本年收回（万元）", "New advances repaid (万元)"),
    "col.new_outstanding": ("期限内新增余额（万元）", "New, within term (万元)"),
    "col.overdue": ("逾期未收回（万元）", "Overdue (万元)"),
    "col.gap_cover": ("垫付缺口（万元）", "Gap cover (万元)"),
    "col.advance_total": ("暂付款余额（万元）", "Advance balance (万元)"),
    "col.advance_share": ("占支出比例", "Share of spending"),
    "col.cash_opening": ("期初库款余额（万元）", "Opening cash (万元)"),
    "col.cash_in": ("本期库款流入（万元）", "Cash in (万元)"),
    "col.cash_out": ("本期库款流出（万元）", "Cash out (万元)"),
    "col.cash_closing": ("期末库款余额（万元）", "Closing cash (万元)"),
    "col.cash_cover": ("库款保障水平（月）", "Cash cover (months)"),
    "col.cash_band": ("库款状态", "Cash class"),
    "col.general_balance": ("一般债务余额（万元）", "General debt (万元)"),
    "col.general_limit": ("一般债务限额（万元）", "General debt ceiling (万元)"),
    "col.special_balance": ("专项债务余额（万元）", "Special debt (万元)"),
    "col.special_limit": ("专项债务限额（万元）", "Special debt ceiling (万元)"),
    "col.debt_balance": ("债务余额合计（万元）", "Debt, total (万元)"),
    "col.debt_limit": ("限额合计（万元）", "Ceilings, total (万元)"),
    "col.principal_due": ("到期本金（万元）", "Principal due (万元)"),
    "col.refinanced": ("再融资（万元）", "Refinanced (万元)"),
    "col.new_bonds": ("新增债券（万元）", "New bonds (万元)"),
    "col.debt_share": ("债务率", "Debt ratio"),
    "item.total": ("三保合计", "三保 total"),
}

_RATIOS = ("funded_share", "digested_share", "planned_share", "advance_share", "debt_share")


def _kinds(frame: pd.DataFrame) -> pd.DataFrame:
    kinds = {column: "ratio" for column in _RATIOS if column in frame}
    if "cash_cover" in frame:
        kinds["cash_cover"] = "months"
    frame.attrs["column_kinds"] = kinds
    return frame


def _series(projection, name: str, draw: int) -> np.ndarray:
    return np.asarray(projection.annual[name], dtype=float)[draw]


def sanbao_table(projection, lang: str, draw: int = 0) -> pd.DataFrame:
    """三保需求测算与保障情况: per year, each of the three tiers and their total."""
    waterfall = projection.waterfall(draw=draw)
    rows = []
    for year, tiers in waterfall[waterfall["tier_no"] <= plots.SANBAO_TIERS].groupby("year"):
        items = [(plots.text(f"tier.{tier}", lang), tier) for tier in tiers["tier"]]
        for name, tier in [*items, (_word("item.total", lang), None)]:
            chosen = tiers if tier is None else tiers[tiers["tier"] == tier]
            need, funded = float(chosen["need"].sum()), float(chosen["funded"].sum())
            rows.append(
                {
                    "year": int(year),
                    "item": name,
                    "need_estimate": need,
                    "funded_amount": funded,
                    "gap": float(chosen["shortfall"].sum()),
                    "funded_share": funded / need if need else 1.0,
                }
            )
    return _kinds(pd.DataFrame(rows))


def advance_ledger(projection, draw: int = 0) -> pd.DataFrame:
    """The 暂付款 ledger by year and vintage: the base-year stock and its digestion against the
    plan, the new advances (issued, repaid, within term, overdue), gap cover, the total."""
    years = [int(year) for year in projection.years]
    closing = _series(projection, "legacy_advances", draw)
    digested = _series(projection, "legacy_digested_cum", draw)
    stock = closing[0] + digested[0]  # the base-year stock: closing + digested to date
    frame = pd.DataFrame(
        {
            "year": years,
            "legacy_opening": np.concatenate([[stock], closing[:-1]]),
            "legacy_recovered": _series(projection, "legacy_recovered", draw),
            "legacy_written_off": _series(projection, "legacy_written_off", draw),
            "legacy_closing": closing,
            "legacy_digested": digested,
            "legacy_planned_cum": _series(projection, "legacy_target_cum", draw),
            "digested_share": digested / stock if stock else np.ones(len(years)),
            "planned_share": _series(projection, "legacy_target_cum", draw) / stock
            if stock
            else np.ones(len(years)),
            "new_issued": _series(projection, "new_advances_issued", draw),
            "new_repaid": _series(projection, "new_advances_repaid", draw),
            "new_outstanding": _series(projection, "new_advances_outstanding", draw),
            "overdue": _series(projection, "overdue_advances", draw),
            "gap_cover": _series(projection, "gap_cover_advances_stock", draw),
            "advance_total": _series(projection, "advance_balance", draw),
            "advance_share": _series(projection, "advance_ratio", draw),
        }
    )
    return _kinds(frame)


def cash_table(projection, lang: str, draw: int = 0) -> pd.DataFrame:
    """库款保障水平 by month: opening, in, out, closing, the cover level and its class."""
    months = projection.monthly(draw=draw)
    frame = pd.DataFrame(
        {
            "year": months["year"].astype(int),
            "month": months["month"].astype(int),
            "cash_opening": months["cash"] - months["receipts"] + months["payments"],
            "cash_in": months["receipts"],
            "cash_out": months["payments"],
            "cash_closing": months["cash"],
            "cash_cover": months["cash_level"],
            "cash_band": [plots.text(f"band.{band}", lang) for band in months["cash_class"]],
        }
    )
    return _kinds(frame.reset_index(drop=True))


def debt_table(projection, draw: int = 0) -> pd.DataFrame:
    """Government debt by year: balances and ceilings, principal due, refinanced, new bonds,
    the debt ratio."""
    years = [int(year) for year in projection.years]
    scenario = projection.scenario
    columns = {"year": years}
    due = np.zeros(len(years))
    refinanced = np.zeros(len(years))
    new = np.zeros(len(years))
    for kind in ("general", "special"):
        balance = _series(projection, f"{kind}_debt", draw)
        opening = np.concatenate([[float(scenario.value(f"debt.{kind}.balance"))], balance[:-1]])
        issued = np.asarray(scenario.value(f"debt.{kind}.new_issue"), dtype=float)
        refi = _series(projection, f"{kind}_bond_refi", draw)
        columns[f"{kind}_balance"] = balance
        columns[f"{kind}_limit"] = _series(projection, f"{kind}_ceiling", draw)
        due += refi + opening + issued - balance
        refinanced += refi
        new += issued
    columns["debt_balance"] = columns["general_balance"] + columns["special_balance"]
    columns["debt_limit"] = columns["general_limit"] + columns["special_limit"]
    columns.update(principal_due=due, refinanced=refinanced, new_bonds=new)
    columns["debt_share"] = _series(projection, "debt_ratio", draw)
    return _kinds(pd.DataFrame(columns))


_NEEDS = {
    "advance_ledger": ("legacy_recovered", "legacy_written_off", "new_advances_issued"),
    "debt_table": ("general_bond_refi", "special_bond_refi"),
}
"""Arrays beyond the indicators that a table reads (a stand-in projection may lack them)."""


def bureau_tables(projection, lang: str, draw: int = 0) -> dict[str, pd.DataFrame]:
    """The four standard tables by sheet key (the Excel and HTML reports show them); a
    table whose arrays (:data:`_NEEDS`) the projection lacks is left out."""
    tables = {
        "sanbao_table": lambda: sanbao_table(projection, lang, draw),
        "advance_ledger": lambda: advance_ledger(projection, draw),
        "cash_table": lambda: cash_table(projection, lang, draw),
        "debt_table": lambda: debt_table(projection, draw),
    }
    return {
        key: build()
        for key, build in tables.items()
        if all(name in projection.annual for name in _NEEDS.get(key, ()))
    }


def _word(key: str, lang: str) -> str:
    return WORDS[key][0 if lang == "zh" else 1]
