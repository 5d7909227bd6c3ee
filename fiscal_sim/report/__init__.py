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

from pathlib import Path

from fiscal_sim.report.html import charts_ahead, html_report, html_table
from fiscal_sim.report.monthly import month_html, month_table, month_text, parse_month
from fiscal_sim.report.tables import (
    _lang,
    advances_frame,
    column_kind,
    findings_frame,
    meta_rows,
    monthly_frame,
    parameters_frame,
    report_tables,
    word,
)
from fiscal_sim.report.uncertainty import (
    FAN_INDICATORS,
    breach_frame,
    quantiles_frame,
    uncertainty_tables,
)
from fiscal_sim.report.xlsx import _workbook, xlsx_workbook

__all__ = [
    "FAN_INDICATORS",
    "MONTH_FORMATS",
    "REPORT_FORMATS",
    "advances_frame",
    "breach_frame",
    "charts_ahead",
    "column_kind",
    "findings_frame",
    "html_report",
    "html_table",
    "meta_rows",
    "month_html",
    "month_table",
    "month_text",
    "monthly_frame",
    "parameters_frame",
    "parse_month",
    "quantiles_frame",
    "report_tables",
    "uncertainty_tables",
    "word",
    "write_report",
    "xlsx_workbook",
]

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
    ``ahead`` (:func:`charts_ahead`) has the HTML page's charts of the projection drawn
    already, in a child process, while the caller ran the Monte Carlo or the goal-seek.
    """
    from fiscal_sim.cells import save_workbook, to_csv
    from fiscal_sim.outputs import write_atomic

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
