"""The tables of the monthly review of a re-forecast (issue #16, point 3).

Each takes a :class:`~fiscal_sim.restart.Reforecast` and returns a DataFrame with machine
column names and a ``name`` column in the language asked (Chinese first); money in 万元,
shares as fractions. Nothing is computed here that the projections do not hold: the plan's
months and the re-forecast's come from :func:`fiscal_sim.actuals.plan.plan_lines`.
"""

from __future__ import annotations

import calendar

import numpy as np
import pandas as pd

from fiscal_sim import labels
from fiscal_sim.actuals.layout import COLUMN, PAYMENTS, RECEIPTS, month_text
from fiscal_sim.actuals.plan import plan_lines
from fiscal_sim.params.schema import TIERS
from fiscal_sim.restart.inputs import closed_year

# Under this (万元) the closed months' payments and the year's are the same figure.
ABSORBED = 1e-6
CUT_WARNING = (
    "{name}：全年可支付{paid:,.2f}万元，{months}已支付{done:,.2f}万元，剩余月份无法消化的压减"
    "{beyond:,.2f}万元（剩余月份支付为0，全年库款按已支付数列支）",
    "{name}: the year's payments are {paid:,.2f} 万元 but {months} paid {done:,.2f} 万元; "
    "the months left cannot absorb {beyond:,.2f} 万元 of the cut (they pay 0, and the year's "
    "cash pays what was paid)",
)

SANBAO = ("wages", "livelihood", "operations")
YEAR_END = (
    "own_revenue",
    "gpb_expenditure",
    "fund_draw",
    "surplus",
    "stabilization_fund",
    "cash_year_end",
    "cash_anchor_adjustment",
    "cut_not_absorbed",
    "sanbao_shortfall",
    "advance_balance",
    "legacy_restart_adjustment",
    "new_advances_restart_adjustment",
    "sme_arrears",
    "arrears_restart_adjustment",
    "advance_ratio",
)
WORDS = {
    "receipts_total": ("库款流入合计", "receipts, total"),
    "payments_total": ("库款流出合计", "payments, total"),
    "sanbao_total": ("三保合计", "三保, total"),
    "tiers_total": ("各级次支出合计", "all tiers"),
    "fund_draw": ("调入预算稳定调节基金", "stabilisation fund drawn"),
    "surplus": ("当年结余", "surplus of the year"),
}


def _word(key: str, lang) -> str:
    pair = WORDS.get(key)
    if pair is None:
        return labels.label(key, lang)
    return pair[0 if (lang or labels.get_lang()) == "zh" else 1]


def _column_name(key: str, lang) -> str:
    return COLUMN[key].name(lang or labels.get_lang())


def outturn(result, lang=None) -> pd.DataFrame:
    """One row per receipt line and payment tier (and their totals) for the budget year.

    ``plan``: the plan's year (what the budget expects, cash basis); ``actual_to_date``: the
    treasury's closed months; ``remaining``: the re-forecast of the months left;
    ``outturn``: the two added up; ``change``: outturn − plan.
    """
    t = closed_year(result.plan.scenario, result.actuals)
    months = result.actuals.as_of
    plan, again = plan_lines(result.plan), plan_lines(result.projection)
    rows = []
    for key in (*RECEIPTS, *PAYMENTS):
        done = float(result.actuals.frame[key].sum())
        left = float(again[key][0, t, months:].sum())
        rows.append(
            {
                "line": key,
                "kind": COLUMN[key].kind,
                "name": _column_name(key, lang),
                "plan": float(plan[key][0, t].sum()),
                "actual_to_date": done,
                "remaining": left,
                "outturn": done + left,
            }
        )
    frame = pd.DataFrame(rows)
    totals = []
    for kind, key in (("receipt", "receipts_total"), ("payment", "payments_total")):
        part = frame[frame["kind"] == kind]
        total = part[["plan", "actual_to_date", "remaining", "outturn"]].sum()
        totals.append({"line": key, "kind": kind, "name": _word(key, lang), **total})
    frame = pd.concat([frame, pd.DataFrame(totals)], ignore_index=True)
    frame["change"] = frame["outturn"] - frame["plan"]
    return frame


def year_end(result, lang=None) -> pd.DataFrame:
    """The budget year's key year-end figures: plan, re-forecast and the change."""
    t = closed_year(result.plan.scenario, result.actuals)
    rows = []
    for name in YEAR_END:
        before = float(result.plan.annual[name][0, t])
        after = float(result.projection.annual[name][0, t])
        rows.append(
            {
                "indicator": name,
                "name": _word(name, lang) if name in WORDS else labels.indicator_label(name, lang),
                "plan": before,
                "reforecast": after,
                "change": after - before,
            }
        )
    return pd.DataFrame(rows)


def progress(result, lang=None) -> pd.DataFrame:
    """支出进度: each tier's payments to date over the plan's year, against the time elapsed.

    ``behind`` is progress − elapsed: negative when a tier is paid more slowly than the year
    goes (the plan's monthly profiles are not even: projects are back-loaded).
    """
    t = closed_year(result.plan.scenario, result.actuals)
    months = result.actuals.as_of
    plan = plan_lines(result.plan)
    elapsed = months / 12
    rows = []
    for tier in TIERS:
        budget = float(plan[tier][0, t].sum())
        paid = float(result.actuals.frame[tier].sum())
        expected = float(plan[tier][0, t, :months].sum())
        rows.append((tier, labels.label(tier, lang), budget, paid, expected))
    for key, members in (("sanbao_total", SANBAO), ("tiers_total", TIERS)):
        part = [row for row in rows if row[0] in members]
        rows.append((key, _word(key, lang), *np.sum([row[2:] for row in part], axis=0)))
    frame = pd.DataFrame(rows, columns=["tier", "name", "plan", "paid_to_date", "plan_to_date"])
    frame["progress"] = np.divide(
        frame["paid_to_date"],
        frame["plan"],
        out=np.full(len(frame), np.nan),
        where=frame["plan"].to_numpy() > 0,
    )
    frame["elapsed"] = elapsed
    frame["behind"] = frame["progress"] - elapsed
    return frame


def cash_alerts(result, lang=None, through_next_year: bool = True) -> pd.DataFrame:
    """The months after the last closed one (to December of the next year) in which cash is
    in the alarm or low 库款 class, or the month's payroll is not covered (OPS.4.3.3)."""
    t = closed_year(result.plan.scenario, result.actuals)
    years = [int(year) for year in result.projection.scenario.years]
    last = min(t + (2 if through_next_year else 1), len(years))
    months = result.projection.months
    rows = []
    for ti in range(t, last):
        for m in range(result.actuals.as_of if ti == t else 0, 12):
            cash_class = int(months["cash_class"][0, ti, m])
            covered = bool(months["wage_covered"][0, ti, m] > 0.5)
            if cash_class >= 2 and covered:
                continue
            name = ("alarm", "low", "normal", "idle")[cash_class]
            rows.append(
                {
                    "month": month_text(years[ti], m + 1),
                    "cash": float(months["cash"][0, ti, m]),
                    "cash_level": float(months["cash_level"][0, ti, m]),
                    "cash_class": name,
                    "cash_class_name": labels.label(name, lang),
                    "payroll_covered": covered,
                }
            )
    columns = ["month", "cash", "cash_level", "cash_class", "cash_class_name", "payroll_covered"]
    return pd.DataFrame(rows, columns=columns)


def rules(result, lang=None) -> pd.DataFrame:
    """The rules breached or at risk (a warning) in the budget year, with the plan's verdict.

    With a Monte Carlo run, ``probability`` is the share of draws that breach the rule in the
    year (the remaining months' uncertainty).
    """
    from fiscal_sim.rules import check

    year = result.actuals.year
    again = check(result.projection, years=[year]).to_frame()
    before = check(result.plan, years=[year]).to_frame()
    worst = {}
    for frame, column in ((again, "severity"), (before, "plan_severity")):
        for rule, group in frame.groupby("rule", sort=False):
            rank = group["severity"].map({"breach": 0, "warning": 1, "ok": 2}).min()
            worst.setdefault(rule, {})[column] = ("breach", "warning", "ok")[int(rank)]
    rows = []
    for rule, found in worst.items():
        severity = found.get("severity", "ok")
        plan_severity = found.get("plan_severity", "ok")
        if severity == "ok" and plan_severity == "ok":
            continue
        rows.append(
            {
                "rule": rule,
                "name": labels.rule_name(rule, lang),
                "severity": severity,
                "plan_severity": plan_severity,
            }
        )
    frame = pd.DataFrame(rows, columns=["rule", "name", "severity", "plan_severity"])
    if result.ensemble is not None:
        frame["probability"] = [
            float(result.ensemble.breach_probability(rule).loc[year])
            if rule in result.ensemble.breach.index
            else np.nan
            for rule in frame["rule"]
        ]
    return frame


def cuts_not_absorbed(result, lang=None) -> pd.DataFrame:
    """The tiers whose closed months paid more than their payments of the year, as the
    waterfall and the mid-year adjustment leave them: a cut the months left cannot absorb
    (model.md §11). One row per such tier: ``paid`` (the year's, the books),
    ``paid_to_date`` (the treasury's closed months), ``not_absorbed`` (their difference) and
    ``message``, a warning in the language asked.
    """
    lang = lang or labels.get_lang()
    t = closed_year(result.plan.scenario, result.actuals)
    months = result.actuals.as_of
    span = "1月" if months == 1 else f"1—{months}月"
    if lang != "zh":
        span = "January" if months == 1 else f"January–{calendar.month_name[months]}"
    rows = []
    for tier in result.projection.extra.get("anchor", {}).get("tier_payments", {}):
        paid = float(result.projection.tiers["paid"][0, t, TIERS.index(tier)])
        done = float(result.actuals.frame[tier].sum())
        if done - paid <= ABSORBED:
            continue
        name = labels.label(tier, lang)
        words = CUT_WARNING[0 if lang == "zh" else 1]
        message = words.format(name=name, paid=paid, months=span, done=done, beyond=done - paid)
        rows.append((tier, name, paid, done, done - paid, message))
    columns = ["tier", "name", "paid", "paid_to_date", "not_absorbed", "message"]
    return pd.DataFrame(rows, columns=columns)
