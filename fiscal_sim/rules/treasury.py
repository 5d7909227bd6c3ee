"""Treasury cash (库款) month by month: the wage account and the cash-guarantee level."""

from __future__ import annotations

import numpy as np

from fiscal_sim.rules.findings import Check, Outcome
from fiscal_sim.rules.registry import param_value, rule, simple_check, years_of

MONTHS = tuple(str(month) for month in range(1, 13))


def _monthly(projection, name: str) -> np.ndarray:
    return np.asarray(projection.months[name], dtype=float)


def cash_before_payroll(projection) -> np.ndarray:
    """Cash available for each month's payroll: opening cash plus the month's receipts.

    Recovered from the month-end arrays: ``cash − deferred + payments + deferred of the
    month before`` (payments that cash could not meet are deferred to the next month).
    """
    cash = _monthly(projection, "cash")
    deferred = _monthly(projection, "deferred_payments")
    payments = _monthly(projection, "payments")
    available = cash - deferred  # then added to in place: the same sums, fewer arrays
    available += payments
    by_month, deferred_by_month = (a.reshape(a.shape[0], -1) for a in (available, deferred))
    by_month[:, 1:] += deferred_by_month[:, :-1]
    by_month[:, 0] += 0.0  # nothing deferred before the first month (and -0.0 + 0.0 is 0.0)
    return available


@rule(
    clauses=("OPS.4.3.3", "OPS.2.1"),
    title_zh="实行工资专户管理，确保“保工资”支出需求",
    title_en="Wage account covers every payroll",
)
def wage_account_covered(projection):
    """Every month's payroll can be paid from treasury cash: no wage-arrears risk month.

    Clause OPS.4.3.3 (实行工资专户管理制度……确保“保工资”支出需求) and OPS.2.1 (杜绝工资拖欠).
    Value: cash available before payday (opening cash plus the month's receipts, 万元);
    threshold: the month's payroll; margin = cash − payroll (negative: a wage-arrears risk
    month, reported with its month).
    """
    payroll = _monthly(projection, "payroll")
    available = cash_before_payroll(projection)
    return [
        simple_check(
            projection,
            rule_id="wage_account_covered",
            clause="OPS.4.3.3, OPS.2.1",
            aspect="monthly",
            unit="wan_yuan",
            value=available,
            threshold=payroll,
            margin=available - payroll,
            sub="month",
            sub_labels=MONTHS,
            ok=Outcome(
                "ok",
                "{year}年各月工资均有库款保障（最紧为{month}月，库款{value:,.0f}万元，"
                "工资{threshold:,.0f}万元）",
                "{year}: every payroll covered by treasury cash (tightest month {month}: "
                "cash {value:,.0f} 万元, payroll {threshold:,.0f} 万元)",
            ),
            breach=Outcome(
                "breach",
                "{year}年{month}月库款{value:,.0f}万元不足以支付工资{threshold:,.0f}万元"
                "（缺口{gap:,.0f}万元，工资拖欠风险）",
                "{year}-{month:02d}: treasury cash {value:,.0f} 万元 cannot cover the payroll "
                "of {threshold:,.0f} 万元 (short {gap:,.0f} 万元: wage-arrears risk)",
            ),
        )
    ]


@rule(
    clauses=("OPS.4.3.3",),
    params=("cash_alarm_level", "cash_low_level", "cash_idle_level"),
    title_zh="强化库款保障，防范支付风险",
    title_en="Treasury-cash guarantee level",
)
def treasury_cash_level(projection):
    """库款保障水平 (month-end cash ÷ average monthly outflow) by class, every month.

    Clause OPS.4.3.3 (统筹安排财政收支……坚决防范支付风险). Classes: below
    ``rules.cash_alarm_level`` alarm (预警, a breach); up to ``rules.cash_low_level`` low
    (偏低, a warning); below ``rules.cash_idle_level`` normal (正常); from it on idle (闲置,
    report-only: not a breach of the clause). Value: the level in months; threshold: the
    alarm line; margin = level − alarm. The classes are the engine's ``cash_class``.
    """
    level = _monthly(projection, "cash_level")
    alarm = param_value(projection, "cash_alarm_level")
    # Status codes: 0 alarm, 1 low, 2 normal, 3 idle (index into outcomes below): the class
    # the engine gave each month by the same lines, else (a projection without it, such as a
    # hand case) the class of its level.
    classes = projection.months.get("cash_class")
    if classes is None:
        low = param_value(projection, "cash_low_level")
        idle = param_value(projection, "cash_idle_level")
        classes = np.select([level < alarm, level < low, level < idle], [0, 1, 2], default=3)
    status = np.asarray(classes).astype(np.int8)  # 0 … 3, an index into the outcomes
    return [
        Check(
            rule="treasury_cash_level",
            clause="OPS.4.3.3",
            aspect="monthly",
            unit="months",
            years=years_of(projection),
            value=level,
            threshold=np.broadcast_to(alarm, level.shape),
            margin=level - alarm,
            status=status,
            outcomes=(
                Outcome(
                    "breach",
                    "{year}年{month}月库款保障水平{value:.2f}，低于{threshold:.2f}预警线（库款预警）",
                    "{year}-{month:02d}: cash-guarantee level {value:.2f} below the alarm "
                    "line {threshold:.2f} (alarm)",
                ),
                Outcome(
                    "warning",
                    "{year}年{month}月库款保障水平{value:.2f}，库款偏低",
                    "{year}-{month:02d}: cash-guarantee level {value:.2f} (low)",
                ),
                Outcome(
                    "ok",
                    "{year}年库款保障水平最低{value:.2f}（{month}月），处于正常区间",
                    "{year}: lowest cash-guarantee level {value:.2f} (month {month}), normal",
                ),
                Outcome(
                    "ok",
                    "{year}年库款保障水平最低{value:.2f}（{month}月），库款闲置",
                    "{year}: lowest cash-guarantee level {value:.2f} (month {month}), idle cash",
                ),
            ),
            in_force=np.ones(len(projection.years), dtype=bool),
            sub="month",
            sub_labels=MONTHS,
        )
    ]
