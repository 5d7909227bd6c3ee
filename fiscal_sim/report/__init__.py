"""Reports from a projection and its findings: one self-contained HTML page or an Excel workbook,
and the monthly basic-operations table a county sends upward (OPS.4.4.1).

Nothing is computed here: the tables are the projection's own (``indicators()``,
``waterfall()``, ``monthly()``, ``annual``), the findings' ``to_frame()`` and the scenario's
parameters, selected, labelled and ordered. Every report states the scenario, its hash, the
fiscal_sim version and the date. Text that comes from scenario files is escaped in HTML; files
are written atomically (a temporary file in the target directory, then :func:`os.replace`).

The report is built in pieces: :mod:`~fiscal_sim.report.tables` (the tables, the words, the
cells), :mod:`~fiscal_sim.report.html`, :mod:`~fiscal_sim.report.xlsx` and
:mod:`~fiscal_sim.report.monthly` (OPS.4.4.1) and :mod:`~fiscal_sim.report.uncertainty` (the
tables of a Monte Carlo run); :func:`write_report` writes any of them.

Examples
--------
>>> import fiscal_sim
>>> from fiscal_sim import report
>>> result = fiscal_sim.project(fiscal_sim.load_scenario())
>>> page = report.html_report(result, lang="en", charts=False)
>>> page.startswith("<!DOCTYPE html>") and result.meta["hash"] in page
True
"""

from __future__ import annotations

import importlib
from pathlib import Path

# Each public name and the module it lives in: a name is imported the first time it is used
# (PEP 562), so that ``fiscal-sim report`` can fork the child that draws the charts
# (:mod:`~fiscal_sim.report.charts`) before it loads pandas.
_HOMES = {
    "FAN_INDICATORS": "charts",
    "charts_ahead": "charts",
    "ensemble_charts_ahead": "charts",
    "html_report": "html",
    "html_table": "html",
    "month_html": "monthly",
    "month_table": "monthly",
    "month_text": "monthly",
    "parse_month": "monthly",
    "advances_frame": "tables",
    "column_kind": "tables",
    "findings_frame": "tables",
    "meta_rows": "tables",
    "monthly_frame": "tables",
    "parameters_frame": "tables",
    "report_tables": "tables",
    "word": "tables",
    "breach_frame": "uncertainty",
    "quantiles_frame": "uncertainty",
    "uncertainty_tables": "uncertainty",
    "xlsx_workbook": "xlsx",
}

__all__ = sorted([*_HOMES, "MONTH_FORMATS", "REPORT_FORMATS", "write_report"])


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is not None:
        value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    elif (Path(__file__).parent / f"{name}.py").is_file():  # a module: report.tables
        value = importlib.import_module(f"{__name__}.{name}")
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # the next use finds it at once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})


REPORT_FORMATS = ("html", "xlsx")
MONTH_FORMATS = ("html", "xlsx", "csv", "txt")


def write_report(
    path,
    projection,
    findings=None,
    *,
    lang: str | None = None,
    draw: int = 0,
    month: str | None = None,
    generated: str | None = None,
    ensemble=None,
    what_it_would_take=None,
    ahead=None,
) -> Path:
    """Write the report (or, with ``month``, the monthly table) to ``path``, atomically.

    The format comes from the suffix: ``.html`` or ``.xlsx`` (and ``.csv`` / ``.txt`` for
    the monthly table). An ``ensemble`` (``fiscal_sim.simulate`` of the same scenario) adds
    the uncertainty section: breach probabilities, heat map and fan charts in HTML, the
    breach-probability and quantile sheets in Excel; its draws and seed go into the header.
    The report draws no random numbers itself. A ``what_it_would_take``
    (:func:`fiscal_sim.goalseek.summary.what_it_would_take`) adds the goal-seek section.
    ``ahead`` (:func:`charts_ahead`, :func:`ensemble_charts_ahead`, one or a list) has the
    HTML page's charts drawn already, in child processes, while the caller ran the Monte
    Carlo or the goal-seek.
    """
    from fiscal_sim.cells import save_workbook, to_csv
    from fiscal_sim.outputs import write_atomic
    from fiscal_sim.report.html import html_report
    from fiscal_sim.report.monthly import month_html, month_table, month_text
    from fiscal_sim.report.tables import _lang, meta_rows, word
    from fiscal_sim.report.xlsx import _workbook, xlsx_workbook

    lang = _lang(lang)
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    allowed = MONTH_FORMATS if month else REPORT_FORMATS
    if fmt not in allowed:
        raise ValueError(
            f"{path.name}: a {'monthly ' if month else ''}report ends in "
            + ", ".join(f".{name}" for name in allowed)
        )
    if month and (ensemble is not None or what_it_would_take is not None):
        raise ValueError("the monthly table has no uncertainty or goal-seek section")
    if month:
        frame = month_table(projection, month, lang=lang, draw=draw)
        if fmt == "html":
            page = month_html(projection, frame, lang, generated=generated, draw=draw)
            return write_atomic(path, lambda temporary: temporary.write_text(page, "utf-8"))
        if fmt == "txt":
            text = "".join(
                f"{key}\t{value}\n"
                for key, value in meta_rows(projection, lang, generated=generated, draw=draw)
            ) + month_text(frame, lang)
            return write_atomic(path, lambda temporary: temporary.write_text(text, "utf-8"))
        if fmt == "csv":
            labelled = frame.rename(columns=lambda column: word(column, lang))
            return write_atomic(
                path,
                lambda temporary: to_csv(labelled, temporary, index=False, encoding="utf-8-sig"),
            )
        rows = meta_rows(projection, lang, generated=generated, draw=draw)
        workbook = _workbook(projection, {"month": frame}, lang, rows)
        return write_atomic(path, lambda temporary: save_workbook(workbook, temporary))
    if fmt == "html":
        page = html_report(
            projection,
            findings,
            lang=lang,
            draw=draw,
            generated=generated,
            ensemble=ensemble,
            what_it_would_take=what_it_would_take,
            ahead=ahead,
        )
        return write_atomic(path, lambda temporary: temporary.write_text(page, "utf-8"))
    workbook = xlsx_workbook(
        projection,
        findings,
        lang=lang,
        draw=draw,
        generated=generated,
        ensemble=ensemble,
        what_it_would_take=what_it_would_take,
    )
    return write_atomic(path, lambda temporary: save_workbook(workbook, temporary))
