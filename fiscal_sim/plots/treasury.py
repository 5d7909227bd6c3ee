"""The monthly treasury-cash chart: the cash guarantee level against its bands, and the months
whose payroll the cash could not cover."""

from __future__ import annotations

import numpy as np

from fiscal_sim import fonts
from fiscal_sim.errors import year_outside_horizon
from fiscal_sim.plots._common import (
    COLORS,
    _finish,
    _lang,
    _months,
    _new_axes,
    _ratio_value,
    _years,
    text,
)

_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_BANDS = (  # (name, colour): alarm < low < normal < idle (model.md §6)
    ("alarm", "#e74c3c"),
    ("low", "#f5b041"),
    ("normal", "#58d68d"),
    ("idle", "#aab7b8"),
)


def wage_risk_months(result, draw: int = 0) -> np.ndarray:
    """Bool ``(years, 12)``: months whose payroll the treasury cash could not cover.

    ``wage_covered`` is a 0/1 flag (the engine's) or an amount; an amount below the payroll
    is a risk month too.
    """
    covered = _months(result, "wage_covered", draw)
    if covered.dtype == bool:
        return ~covered
    covered = covered.astype(float)
    payroll = _months(result, "payroll", draw).astype(float)
    if np.nanmax(covered, initial=0.0) <= 1.0:  # a 0/1 flag, as the engine stores it
        return covered < 0.5
    return covered < payroll - 1e-6


def monthly_cash(result, year: int | None = None, ax=None, *, lang=None, draw: int = 0):
    """Month-end 库款保障水平 against its bands; wage-arrears risk months flagged.

    Bands from the parameters ``rules.cash_alarm_level``, ``cash_low_level`` and
    ``cash_idle_level`` (alarm / low / normal / idle, model.md §6). A red cross and a
    dated note mark each month whose payroll the cash could not cover (OPS.4.3.3).
    ``year`` restricts the chart to one year; by default all projection years are shown.
    """
    lang = _lang(lang)
    years = _years(result)
    level = _months(result, "cash_level", draw).astype(float)
    risk = wage_risk_months(result, draw)
    if year is not None:
        if int(year) not in years:
            raise ValueError(str(year_outside_horizon(year, years)))
        keep = years == int(year)
        years, level, risk = years[keep], level[keep], risk[keep]
    month_years = np.repeat(years, 12)
    month_numbers = np.tile(np.arange(1, 13), len(years))
    level, risk = level.ravel(), risk.ravel()
    positions = np.arange(level.size)
    limits = [_ratio_value(result, f"rules.cash_{name}_level") for name in ("alarm", "low", "idle")]
    alarm, low, idle = limits
    top = max(float(np.nanmax(level, initial=0.0)) * 1.1, idle * 1.5)
    lowest = min(float(np.nanmin(level, initial=0.0)), 0.0)
    bottom = lowest - 0.05 * (top - lowest)  # room for the crosses of months at zero
    edges = (bottom, alarm, low, idle, top)
    with fonts.font_context(lang):
        ax = _new_axes(ax, size=(10.0, 4.8))
        for (name, colour), lower, upper in zip(_BANDS, edges[:-1], edges[1:], strict=True):
            ax.axhspan(
                lower,
                upper,
                color=colour,
                alpha=0.18,
                lw=0,
                label=text(f"band.{name}", lang),
                gid=f"band_{name}",
            )
        (line,) = ax.plot(
            positions,
            level,
            color="#1f3b57",
            marker="o",
            markersize=3,
            label=text("cash_level", lang),
        )
        line.set_gid("cash_level")
        if risk.any():
            marks = ax.scatter(
                positions[risk],
                level[risk],
                marker="X",
                s=80,
                zorder=5,
                color=COLORS["shortfall"],
                label=text("wage_risk", lang),
            )
            marks.set_gid("wage_risk")
            # One note per run of consecutive risk months, above its highest cross: below
            # the crosses a note would fall on the year ticks, as risk months sit low.
            for first, last in _runs(positions[risk]):
                dates = [f"{month_years[at]}-{month_numbers[at]:02d}" for at in (first, last)]
                if first != last:  # 2020-01–03, or 2020-12–2021-01 across a year
                    same_year = month_years[first] == month_years[last]
                    dates[1] = f"{month_numbers[last]:02d}" if same_year else dates[1]
                ax.annotate(
                    "–".join(dict.fromkeys(dates)),
                    ((first + last) / 2, float(np.nanmax(level[first : last + 1]))),
                    xytext=(0, 7),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    color=COLORS["shortfall"],
                    fontsize="x-small",
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7},
                    gid="wage_risk_note",
                )
        if len(years) == 1:
            labels = [_month_label(month, lang) for month in range(1, 13)]
            ax.set_xticks(positions, labels)
            ax.set_xlabel(str(years[0]))
        else:
            ax.set_xticks(positions[::12], [str(year) for year in years])
            ax.set_xticks(positions, minor=True)
            ax.set_xlabel(text("axis.year", lang))
        ax.set_xlim(-0.5, positions[-1] + 0.5)
        ax.set_ylim(bottom, top)
        ax.set_ylabel(text("axis.cash_level", lang))
        _finish(ax, lang, text("title.cash", lang), result)
    return ax


def _runs(positions) -> list[tuple[int, int]]:
    """First and last of each run of consecutive positions.

    Examples
    --------
    >>> _runs([0, 1, 2, 5, 9, 10])
    [(0, 2), (5, 5), (9, 10)]
    """
    runs: list[tuple[int, int]] = []
    for position in (int(at) for at in positions):
        if runs and position == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], position)
        else:
            runs.append((position, position))
    return runs


def _month_label(month: int, lang: str) -> str:
    return text("axis.month_tick", lang, month=month, month_name=_MONTH_NAMES[month - 1])
