"""The report as one self-contained HTML page: tables, findings and charts as base64 PNG.

Text that comes from scenario files is escaped; the bundled font is embedded, cut to the
characters the page uses.
"""

from __future__ import annotations

import base64
import html

import pandas as pd

from fiscal_sim import fonts, plots
from fiscal_sim._version import __version__
from fiscal_sim.report.tables import (
    SANBAO_TIERS,
    _cell_kind,
    _display,
    _format,
    _header,
    _lang,
    _text_of,
    meta_rows,
    report_tables,
    shocks_statement,
    word,
)
from fiscal_sim.report.uncertainty import (
    FAN_INDICATORS,
    breach_frame,
    check_ensemble,
    shocks_frame,
)

_CSS = """
body{font-family:"fiscal-sim-cjk","Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
margin:2em auto;max-width:1100px;color:#222;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;border-bottom:2px solid #ddd;
padding-bottom:.2em;margin-top:1.8em}
table{border-collapse:collapse;margin:.6em 0;font-size:.86em}
th,td{border:1px solid #ccc;padding:.25em .5em}th{background:#f0f3f6;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.breach td{background:#fbe3e1}tr.warning td{background:#fff4d6}
table.meta th{background:none;border:none;padding-right:1.5em}table.meta td{border:none}
figure{margin:1em 0}figure img{max-width:100%;height:auto}
.scroll{overflow-x:auto}details summary{cursor:pointer;margin:.5em 0}
"""


def _page(title: str, header: str, main: str, lang: str) -> str:
    """A whole HTML document, with the bundled font cut to the characters it uses."""
    html_lang = "zh-CN" if lang == "zh" else "en"
    visible = title + header + main
    font = base64.b64encode(fonts.cjk_font_subset(visible)).decode("ascii")
    font_face = (
        '@font-face{font-family:"fiscal-sim-cjk";'
        f'src:url("data:font/woff;base64,{font}") format("woff")}}'
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="fiscal_sim {_esc(__version__)}">'
        f"<title>{_esc(title)}</title><style>{font_face}{_CSS}</style></head><body>"
        f"<header>{header}</header><main>{main}</main></body></html>\n"
    )


def _esc(value) -> str:
    return html.escape(str(value), quote=True)


def html_table(frame: pd.DataFrame, lang: str, *, table_id: str = "", row_class: str = "") -> str:
    """A DataFrame as an HTML table: labelled headers, formatted and escaped cells.

    ``row_class`` names a column whose values become each row's CSS class; the kinds of
    ``frame.attrs["column_kinds"]`` format their columns (e.g. probabilities as percentages).
    """
    kinds = frame.attrs.get("column_kinds")
    ident = f' id="{_esc(table_id)}"' if table_id else ""
    head = "".join(f"<th>{_esc(_header(column, lang))}</th>" for column in frame.columns)
    body = []
    for record in frame.to_dict("records"):
        css = f' class="{_esc(record[row_class])}"' if row_class else ""
        cells = []
        for column, value in record.items():
            shown = _text_of(column, value, lang, _cell_kind(column, record, kinds))
            number = isinstance(_display(column, value, lang), int | float)
            cells.append(
                f'<td class="num">{_esc(shown)}</td>' if number else f"<td>{_esc(shown)}</td>"
            )
        body.append(f"<tr{css}>{''.join(cells)}</tr>")
    return (
        f'<div class="scroll"><table{ident}><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _figure_html(name: str, projection, lang: str, draw: int, **options) -> str:
    return _axes_html(plots.chart(name, projection, lang=lang, draw=draw, **options), name)


def _axes_html(ax, name: str) -> str:
    """A drawn chart as a figure with the PNG embedded (the figure is released)."""
    title = ax.get_title() or ax.figure.get_suptitle()  # read before close() clears it
    try:
        png = plots.figure_bytes(ax.figure, "png")
    finally:
        plots.close(ax)
    encoded = base64.b64encode(png).decode("ascii")
    return (
        f'<figure id="chart-{_esc(name)}"><img alt="{_esc(title)}" '
        f'src="data:image/png;base64,{encoded}"></figure>'
    )


def _meta_html(rows) -> str:
    cells = "".join(f"<tr><th>{_esc(key)}</th><td>{_esc(value)}</td></tr>" for key, value in rows)
    return f'<table class="meta" id="meta">{cells}</table>'


def _uncertainty_html(projection, ensemble, lang: str, charts: bool) -> str:
    """The Monte Carlo section: what was run, the breach probabilities (rule × year), the
    heat map, the fan charts of :data:`FAN_INDICATORS` and the shock model."""
    from fiscal_sim.plots.uncertainty import breach_heatmap, fan_chart

    def percent(value):
        return _format("", float(value), lang, "ratio")

    intro = word(
        "uncertainty.intro",
        lang,
        draws=ensemble.draws,
        seed=ensemble.meta.get("seed"),
        shocks=shocks_statement(projection, lang),
    )
    headline = word(
        "uncertainty.headline",
        lang,
        sanbao=percent(ensemble.sanbao_probability_any),
        wage=percent(ensemble.wage_probability_any),
    )
    breach = breach_frame(ensemble, lang)
    breached = breach[breach["any_year"] > 0]
    held = breach.loc[breach["any_year"] <= 0, "rule"]
    parts = [
        f'<p id="uncertainty-intro">{_esc(intro)}</p>',
        f"<p>{_esc(headline)}</p>",
        f"<p>{_esc(word('uncertainty.table', lang))}</p>",
        html_table(breached, lang, table_id="breach-probability"),
    ]
    if len(held):
        rules = ("、" if lang == "zh" else ", ").join(held)
        parts.append(f"<p>{_esc(word('uncertainty.held', lang, rules=rules))}</p>")
    if charts:
        parts.append(_axes_html(breach_heatmap(ensemble, lang=lang), "breach-heatmap"))
        parts.append(f"<p>{_esc(word('uncertainty.fans', lang))}</p>")
        parts += [
            _axes_html(fan_chart(ensemble, name, lang=lang), f"fan-{name}")
            for name in FAN_INDICATORS
        ]
    parts.append(
        "<details><summary>"
        + _esc(word("uncertainty.shock_table", lang))
        + "</summary>"
        + html_table(shocks_frame(ensemble, lang), lang, table_id="shocks")
        + "</details>"
    )
    return "".join(parts)


def _findings_html(frame: pd.DataFrame, lang: str) -> str:
    flagged = frame[frame["severity"] != "ok"]
    passed = int((frame["severity"] == "ok").sum())
    parts = []
    if flagged.empty:
        parts.append(f"<p>{_esc(word('findings.none', lang))}</p>")
    parts.append(html_table(flagged, lang, table_id="findings", row_class="severity"))
    if passed:
        parts.append(f"<p>{_esc(word('findings.ok_count', lang, count=passed))}</p>")
    return "".join(parts)


def html_report(
    projection,
    findings=None,
    *,
    lang: str | None = None,
    draw: int = 0,
    generated: str | None = None,
    charts: bool = True,
    ensemble=None,
) -> str:
    """The report as one self-contained HTML page (charts embedded as base64 PNG).

    ``findings`` defaults to ``fiscal_sim.check(projection)``. ``charts=False`` leaves the
    charts out (quick previews and doctests). An ``ensemble`` (:func:`fiscal_sim.simulate`
    of the same scenario) adds the uncertainty section: breach probabilities by rule and
    year, the heat map and fan charts; its draws and seed go into the header.
    """
    lang = _lang(lang)
    if ensemble is not None:
        check_ensemble(projection, ensemble)
    if findings is None:
        import fiscal_sim

        findings = fiscal_sim.check(projection)
    tables = report_tables(projection, findings, lang, draw)
    title = plots._scenario_title(projection, lang)
    heading = (
        f"{word('report.title', lang)}：{title}"
        if lang == "zh"
        else (f"{word('report.title', lang)}: {title}")
    )
    indicators = tables["indicators"].set_index("year").T
    indicators.index.name = "indicator"
    indicator_rows = []
    for name, row in indicators.iterrows():
        cells = "".join(
            f'<td class="num">{_esc(_text_of(name, value, lang))}</td>' for value in row
        )
        indicator_rows.append(f"<tr><th>{_esc(plots.text(name, lang))}</th>{cells}</tr>")
    years_head = "".join(f"<th>{int(year)}</th>" for year in indicators.columns)
    indicator_html = (
        f'<div class="scroll"><table id="indicators"><thead><tr><th></th>{years_head}</tr>'
        f"</thead><tbody>{''.join(indicator_rows)}</tbody></table></div>"
    )

    def chart(name, **options):
        return _figure_html(name, projection, lang, draw, **options) if charts else ""

    sanbao = tables["waterfall"]
    sanbao = sanbao[sanbao["tier_no"] <= SANBAO_TIERS]
    sections = [
        ("indicators", word("section.indicators", lang), indicator_html),
        ("findings", word("section.findings", lang), _findings_html(tables["findings"], lang)),
        (
            "waterfall",
            word("section.waterfall", lang),
            chart("waterfall") + chart("resources") + html_table(sanbao, lang, table_id="sanbao"),
        ),
        (
            "advances",
            word("section.advances", lang),
            chart("advances") + html_table(tables["advances"], lang, table_id="advance-table"),
        ),
        (
            "cash",
            word("section.cash", lang),
            chart("cash") + html_table(tables["monthly"], lang, table_id="monthly-cash"),
        ),
    ]
    if charts:
        sections.append(("more", word("section.more", lang), chart("revenue") + chart("debt")))
    if ensemble is not None:
        sections.append(
            (
                "uncertainty",
                word("section.uncertainty", lang),
                _uncertainty_html(projection, ensemble, lang, charts),
            )
        )
    if "parameters" in tables:
        sections.append(
            (
                "parameters",
                word("section.parameters", lang),
                "<details><summary>"
                + _esc(word("section.parameters", lang))
                + "</summary>"
                + html_table(tables["parameters"], lang, table_id="parameters")
                + "</details>",
            )
        )
    body = "".join(
        f'<section id="section-{key}"><h2>{_esc(name)}</h2>{content}</section>'
        for key, name, content in sections
    )
    rows = meta_rows(projection, lang, generated=generated, draw=draw, ensemble=ensemble)
    header = f"<h1>{_esc(heading)}</h1>{_meta_html(rows)}"
    return _page(heading, header, body, lang)
