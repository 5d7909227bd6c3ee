"""The batch's report: an HTML page (ranking, high-risk list, county × rule heat map, the
distributions of the key indicators, the roll-up, the failures) and an Excel summary.

Both read the :class:`~fiscal_sim.batch.result.Batch`'s tables; they compute nothing.
Headers, titles and words are in the language asked (``batch --lang``), money headed by its
unit; numbers follow :mod:`fiscal_sim.numbers` (ratios as percentages, money in 万元 without
three decimals, headcounts whole), in the workbook as number formats over full precision.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

from fiscal_sim import labels
from fiscal_sim.batch import risk
from fiscal_sim.batch.words import header_with_unit, text, value_label
from fiscal_sim.numbers import EXCEL_FORMATS, format_value, kind_of_unit

ROLLUP_INDICATORS = (
    "own_revenue",
    "gpb_expenditure",
    "self_sufficiency",
    "sanbao_shortfall",
    "advance_balance",
    "advance_ratio",
    "debt_total",
    "debt_ratio",
    "headcount",
)
RANKING_ROWS = 100
CLASS_STYLE = {"red": "#f4c7c3", "amber": "#fde9c4", "green": "#d9ead3"}


SCORE_FORMAT = "0.0"
"""The risk score (0 to 100) with one decimal, in the page and as the workbook's format."""


def _kind(column: str) -> str | None:
    """How a column's numbers read (a kind of :mod:`fiscal_sim.numbers`); None for text and
    for the score (:data:`SCORE_FORMAT`)."""
    if column in risk.WEIGHTS:
        return "number"  # a component from 0 to 1, two decimals
    if column in ("rank", "counties"):
        return "count"
    if column == "year":
        return "year"
    unit = labels.unit_of(column)
    return kind_of_unit(unit) if unit else None


def _cell(value, column: str, lang: str) -> str:
    if column == "score" and isinstance(value, float):
        return f"{value:.1f}"
    kind = _kind(column)
    if kind is None or isinstance(value, str):
        return html.escape(str(value_label(column, value, lang)))
    return format_value(value, kind, missing="-")


def _table(frame, columns, lang: str, style_by_class: bool = False) -> str:
    head = "".join(f"<th>{html.escape(header_with_unit(column, lang))}</th>" for column in columns)
    rows = []
    for record in frame[list(columns)].to_dict("records"):
        style = ""
        if style_by_class and "risk_class" in record:
            style = f' style="background:{CLASS_STYLE[record["risk_class"]]}"'
        cells = "".join(f"<td>{_cell(record[column], column, lang)}</td>" for column in columns)
        rows.append(f"<tr{style}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _svg(ax) -> str:
    from fiscal_sim.plots import close, figure_bytes

    data = figure_bytes(ax.figure, "svg")
    close(ax)
    encoded = base64.b64encode(data).decode("ascii")
    return f'<img alt="" src="data:image/svg+xml;base64,{encoded}">'


def rollup_wide(batch):
    """The roll-up as one row per level, group and year, the key indicators as columns."""
    table = batch.rollup()
    table = table[table["indicator"].isin(ROLLUP_INDICATORS)]
    wide = table.pivot_table(
        index=["level", "group", "year", "counties"], columns="indicator", values="value"
    ).reset_index()
    wide.columns.name = None
    return wide[
        ["level", "group", "year", "counties", *[c for c in ROLLUP_INDICATORS if c in wide]]
    ]


def html_page(batch, lang: str = "zh") -> str:
    """The HTML report of a batch (one self-contained page, charts inlined as SVG)."""
    from fiscal_sim.plots.batch import KEY_INDICATORS, indicator_histogram, rule_heatmap
    from fiscal_sim.plots.batch import score_histogram as scores

    ranking = batch.ranking()
    high = batch.high_risk()
    wide = rollup_wide(batch)
    meta = batch.meta

    def title(key: str) -> str:
        return html.escape(text(key, lang))

    def note(key: str) -> str:
        return f"<p>{title(key)}</p>"

    about = text("about_line", lang).format(
        version=meta["fiscal_sim_version"],
        seed=meta["seed"],
        draws=meta["draws"],
        counties=meta["counties"],
        failed=meta["failed"],
        scheduler=html.escape(str(value_label("scheduler", meta["scheduler"], lang))),
    )
    parts = [
        f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>",
        f"<title>{title('title')}</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;"
        "font-size:0.85em}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
        "th{background:#eee}img{max-width:100%}</style></head><body>",
        f"<h1>{title('title')}</h1>",
        f"<p>{html.escape(batch.summary(lang))}</p><p>{about}</p>",
    ]
    if any("合成" in county for county in batch.counties["title"]):
        parts.append(f"<p><strong>{title('synthetic')}</strong></p>")
    parts += [
        f"<h2>{title('high_risk')}</h2>",
        _table(high, ["rank", "code", "name", "prefecture", "score"], lang)
        if len(high)
        else f"<p>{title('none')}</p>",
        f"<h2>{title('ranking')}</h2>",
        note("score_note"),
        _table(
            ranking.head(RANKING_ROWS),
            ["rank", "code", "name", "prefecture", *risk.WEIGHTS, "score", "risk_class"],
            lang,
            style_by_class=True,
        ),
    ]
    if len(ranking):
        parts += [
            f"<h2>{title('heatmap')}</h2>",
            _svg(rule_heatmap(batch.rules, ranking, lang=lang)),
            f"<h2>{title('distribution')}</h2>",
            _svg(scores(ranking, lang=lang, lines=(risk.AMBER_SCORE, risk.RED_SCORE))),
            *[
                _svg(indicator_histogram(batch.indicators, name, lang=lang))
                for name in KEY_INDICATORS
            ],
            f"<h2>{title('rollup')}</h2>",
            note("rollup_note"),
            _table(wide, list(wide.columns), lang),
        ]
    if batch.counties_failed:
        parts += [
            f"<h2>{title('errors')}</h2>",
            _table(batch.errors_in(lang), ["code", "name", "file", "key", "message"], lang),
        ]
    parts.append("</body></html>")
    return "\n".join(parts)


def write_html(batch, path, lang: str = "zh") -> Path:
    from fiscal_sim.writing import write_atomic

    page = html_page(batch, lang)
    return write_atomic(path, lambda p: p.write_text(page, encoding="utf-8"))


def _sheet(book, key: str, frame, columns, lang: str) -> None:
    """A sheet of ``frame``'s ``columns``: one header row in ``lang``, numbers at full
    precision under the one convention's formats, words in ``lang``."""
    sheet = book.create_sheet(text(f"sheet_{key}", lang))
    sheet.append([header_with_unit(column, lang) for column in columns])
    formats = [
        SCORE_FORMAT if column == "score" else EXCEL_FORMATS.get(_kind(column))
        for column in columns
    ]
    for record in frame[list(columns)].itertuples(index=False):
        values = [value.item() if hasattr(value, "item") else value for value in record]
        sheet.append([value_label(c, v, lang) for c, v in zip(columns, values, strict=True)])
        for cell, number_format in zip(sheet[sheet.max_row], formats, strict=True):
            if number_format and isinstance(cell.value, int | float):
                cell.number_format = number_format
    sheet.freeze_panes = "A2"


def write_xlsx(batch, path, lang: str = "zh") -> Path:
    """The Excel summary: ranking, roll-up, failures and what the batch recorded (排名, 汇总,
    未完成, 说明 under zh; Ranking, Roll-up, Failed, About under en)."""
    from openpyxl import Workbook

    from fiscal_sim.writing import write_atomic

    ranking = batch.ranking()
    wide = rollup_wide(batch)
    book = Workbook()
    book.remove(book.active)
    columns = ["rank", "code", "name", "prefecture", *risk.WEIGHTS, "score", "risk_class"]
    _sheet(book, "ranking", ranking, columns, lang)
    _sheet(book, "rollup", wide, list(wide.columns), lang)
    _sheet(book, "errors", batch.errors_in(lang), ["code", "name", "file", "key", "message"], lang)
    about = book.create_sheet(text("sheet_about", lang))
    about.append([labels.meta_label("item", lang), labels.meta_label("content", lang)])
    for key, value in batch.meta.items():
        if key != "hashes":
            about.append([text(f"meta_{key}", lang), str(value_label(key, value, lang))])
    about.append([text("score_note", lang)])
    about.append([text("rollup_note", lang)])
    return write_atomic(path, book.save)
