"""The batch's report: an HTML page (ranking, high-risk list, county × rule heat map, the
distributions of the key indicators, the roll-up, the failures) and an Excel summary.

Both read the :class:`~fiscal_sim.batch.result.Batch`'s tables; they compute nothing.
Headers and titles are Chinese first, English beside them.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

from fiscal_sim.batch import risk
from fiscal_sim.batch.words import both, class_label, header, text

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


def _title(key: str) -> str:
    return f"{text(key, 'zh')} {text(key, 'en')}"


def _note(key: str) -> str:
    return f"<p>{html.escape(text(key, 'zh'))}<br>{html.escape(text(key, 'en'))}</p>"


def _cell(value, column: str) -> str:
    if isinstance(value, float):
        if column in risk.WEIGHTS:
            return f"{value:.2f}"
        if column == "score":
            return f"{value:.1f}"
        return f"{value:,.4g}" if abs(value) < 10 else f"{value:,.0f}"
    return html.escape(str(value))


def _table(frame, columns, style_by_class: bool = False) -> str:
    head = "".join(f"<th>{html.escape(both(column))}</th>" for column in columns)
    rows = []
    for record in frame[list(columns)].to_dict("records"):
        style = ""
        if style_by_class and "risk_class" in record:
            style = f' style="background:{CLASS_STYLE[record["risk_class"]]}"'
            record = {
                **record,
                "risk_class": f"{class_label(record['risk_class'], 'zh')} "
                f"{class_label(record['risk_class'], 'en')}",
            }
        cells = "".join(f"<td>{_cell(record[column], column)}</td>" for column in columns)
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
    about = (
        f"fiscal_sim {meta['fiscal_sim_version']} · seed {meta['seed']} · "
        f"{meta['draws']:,} draws · {meta['counties']:,} counties, {meta['failed']} failed · "
        f"{html.escape(str(meta['scheduler']))}"
    )
    parts = [
        "<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'>",
        f"<title>{html.escape(_title('title'))}</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;"
        "font-size:0.85em}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
        "th{background:#eee}img{max-width:100%}</style></head><body>",
        f"<h1>{html.escape(_title('title'))}</h1>",
        f"<p>{html.escape(batch.summary())}</p><p>{about}</p>",
    ]
    if any("合成" in title for title in batch.counties["title"]):
        parts.append(f"<p><strong>{html.escape(_title('synthetic'))}</strong></p>")
    parts += [
        f"<h2>{html.escape(_title('high_risk'))}</h2>",
        _table(high, ["rank", "code", "name", "prefecture", "score"])
        if len(high)
        else f"<p>{html.escape(_title('none'))}</p>",
        f"<h2>{html.escape(_title('ranking'))}</h2>",
        _note("score_note"),
        _table(
            ranking.head(RANKING_ROWS),
            ["rank", "code", "name", "prefecture", *risk.WEIGHTS, "score", "risk_class"],
            style_by_class=True,
        ),
    ]
    if len(ranking):
        parts += [
            f"<h2>{html.escape(_title('heatmap'))}</h2>",
            _svg(rule_heatmap(batch.rules, ranking, lang=lang)),
            f"<h2>{html.escape(_title('distribution'))}</h2>",
            _svg(scores(ranking, lang=lang, lines=(risk.AMBER_SCORE, risk.RED_SCORE))),
            *[
                _svg(indicator_histogram(batch.indicators, name, lang=lang))
                for name in KEY_INDICATORS
            ],
            f"<h2>{html.escape(_title('rollup'))}</h2>",
            _note("rollup_note"),
            _table(wide, list(wide.columns)),
        ]
    if batch.counties_failed:
        parts += [
            f"<h2>{html.escape(_title('errors'))}</h2>",
            _table(batch.errors, ["code", "name", "file", "key", "message"]),
        ]
    parts.append("</body></html>")
    return "\n".join(parts)


def write_html(batch, path, lang: str = "zh") -> Path:
    from fiscal_sim.writing import write_atomic

    page = html_page(batch, lang)
    return write_atomic(path, lambda p: p.write_text(page, encoding="utf-8"))


def _sheet(book, title: str, frame, columns) -> None:
    sheet = book.create_sheet(title)
    sheet.append([header(column, "zh") for column in columns])
    sheet.append([header(column, "en") for column in columns])
    for record in frame[list(columns)].itertuples(index=False):
        sheet.append([value.item() if hasattr(value, "item") else value for value in record])
    sheet.freeze_panes = "A3"


def write_xlsx(batch, path) -> Path:
    """The Excel summary: 排名 ranking, 汇总 roll-up, 未完成 errors and 说明 about (two header
    rows: Chinese, then English)."""
    from openpyxl import Workbook

    from fiscal_sim.writing import write_atomic

    ranking = batch.ranking()
    ranking = ranking.assign(
        risk_class=[
            f"{class_label(name, 'zh')} {class_label(name, 'en')}" for name in ranking["risk_class"]
        ]
    )
    wide = rollup_wide(batch)
    book = Workbook()
    book.remove(book.active)
    _sheet(
        book,
        "排名 ranking",
        ranking,
        ["rank", "code", "name", "prefecture", *risk.WEIGHTS, "score", "risk_class"],
    )
    _sheet(book, "汇总 roll-up", wide, list(wide.columns))
    _sheet(book, "未完成 errors", batch.errors, ["code", "name", "file", "key", "message"])
    about = book.create_sheet("说明 about")
    for key, value in batch.meta.items():
        if key != "hashes":
            about.append([key, str(value)])
    about.append([text("score_note", "zh")])
    about.append([text("score_note", "en")])
    about.append([text("rollup_note", "zh")])
    about.append([text("rollup_note", "en")])
    return write_atomic(path, book.save)
