"""The checks of options that several commands share, with their messages in both languages.

``report``, ``actuals`` and ``reforecast`` read a month, draws and a seed the same way and
refuse the same mistakes with the same words; each message is a :class:`Bilingual` for an
:class:`~fiscal_sim.cli.errors.InputError`.
"""

from __future__ import annotations

from fiscal_sim.cli.errors import InputError, error_message
from fiscal_sim.errors import Bilingual


def parse_month_option(option: str, text: str) -> tuple[int, int]:
    """``--month 2020-06`` (or ``--through``) as ``(2020, 6)``, read by the library's own
    :func:`~fiscal_sim.actuals.plan.parse_month`; its refusal (in both languages once it
    has them) becomes an InputError naming the option.

    Examples
    --------
    >>> parse_month_option("--month", "2020-06")
    (2020, 6)
    >>> parse_month_option("--month", "2020-13")
    Traceback (most recent call last):
    fiscal_sim.cli.errors.InputError: --month 2020-13: month 13 of '2020-13' is not between 1 and 12
    """
    from fiscal_sim.actuals.plan import parse_month

    try:
        return parse_month(text)
    except ValueError as error:
        where = Bilingual("{option} {text}：", "{option} {text}: ", option=option, text=text)
        raise InputError(where + error_message(error)) from None


def outside_years(option: str, value, scenario) -> Bilingual:
    """``--month 2050-06: outside the projection years of plan-followed``."""
    return Bilingual(
        "{option} {value}：不在 {name} 的预测年度内",
        "{option} {value}: outside the projection years of {name}",
        option=option,
        value=value,
        name=scenario.name,
    )


def whole_number_error(option: str, value, low: int, high: int | None = None) -> Bilingual:
    """``--draws 5: expected a whole number from 100 to 1,000,000`` (or ``of at least 0``)."""
    if high is None:
        return Bilingual(
            "{option} {value}：应为不小于 {low} 的整数",
            "{option} {value}: expected a whole number of at least {low}",
            option=option,
            value=value,
            low=low,
        )
    return Bilingual(
        "{option} {value}：应为 {low:,} 到 {high:,} 之间的整数",
        "{option} {value}: expected a whole number from {low:,} to {high:,}",
        option=option,
        value=value,
        low=low,
        high=high,
    )


def seed_needs_draws(seed) -> Bilingual:
    """``--seed`` without ``--draws``: a seed has nothing to seed."""
    return Bilingual(
        "--seed {seed}：随机数种子需要配合 --draws N（蒙特卡洛模拟）",
        "--seed {seed}: a seed needs --draws N (the Monte Carlo run)",
        seed=seed,
    )


def writes_suffix(where, fmt: str, suffix: str) -> Bilingual:
    """``-o x.csv: --format xlsx writes a .xlsx file``: the target's suffix contradicts
    ``--format``."""
    return Bilingual(
        "{where}：--format {fmt} 写的是 {suffix} 文件",
        "{where}: --format {fmt} writes a {suffix} file",
        where=where,
        fmt=fmt,
        suffix=suffix,
    )


def format_needs_output(fmt: str) -> Bilingual:
    """``--format xlsx`` without ``-o``."""
    return Bilingual(
        "--format {fmt} 写的是文件：请加 -o 路径",
        "--format {fmt} writes a file: add -o PATH",
        fmt=fmt,
    )
