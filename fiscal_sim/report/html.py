"""The report as one self-contained HTML page, laid out by Jinja2 templates.

The layout is in ``fiscal_sim/report/templates`` (package data, so that a bureau can restyle
it): ``report.html.j2`` (the first page, the sections, the appendix), ``month.html.j2`` (the
monthly table), ``_macros.html.j2`` (tables, figures) and ``report.css`` (screen and A4
print). Autoescaping is always on: every value that reaches a template is escaped, so no text
from a scenario file can become markup. This module builds the context: tables as cells of
formatted text, charts as base64 PNG, the bundled font cut to the characters the page uses.
jinja2 is imported only when a page is rendered.
"""

from __future__ import annotations

import base64
import functools

import pandas as pd

from fiscal_sim import fonts, labels, plots
from fiscal_sim._version import __version__
from fiscal_sim.report import summary as first_page
from fiscal_sim.report.bureau import bureau_tables
from fiscal_sim.report.charts import ensemble_charts, projection_charts
from fiscal_sim.report.tables import (
    SANBAO_TIERS,
    _cell_kind,
    _display,
    _header,
    _lang,
    _text_of,
    changes_text,
    meta_rows,
    parameters_compact,
    report_tables,
    report_title,
    shocks_statement,
    word,
)
from fiscal_sim.report.uncertainty import breach_frame, check_ensemble, shocks_frame


@functools.cache
def _environment():
    """The Jinja2 environment of the bundled templates, autoescaping every value."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("fiscal_sim.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


_FONT_CSS_SLOT = "\x00fiscal-sim-font-css\x00"
"""Where the font's CSS goes in a rendered page: no template or escaped value has a NUL."""


def render_page(template: str, lang: str, **context) -> str:
    """Render a page template with the bundled font cut to the characters it shows.

    The page is rendered once, with a slot for the font's CSS: the font is cut to the
    characters of the page without it, then put in the slot.
    """
    from markupsafe import Markup

    page = _environment().get_template(template)
    common = {"html_lang": "zh-CN" if lang == "zh" else "en", "version": __version__}
    before, slot, after = page.render(
        font_css=Markup(_FONT_CSS_SLOT), **common, **context
    ).partition(_FONT_CSS_SLOT)
    if not slot or _FONT_CSS_SLOT in after:
        raise ValueError(f"{template}: the page must show font_css exactly once")
    font = base64.b64encode(fonts.cjk_font_subset(before + after)).decode("ascii")
    font_css = (
        '@font-face{font-family:"fiscal-sim-cjk";'
        f'src:url("data:font/woff;base64,{font}") format("woff")}}'
    )
    return before + font_css + after + "\n"


def table_context(
    frame: pd.DataFrame, lang: str, *, table_id: str = "", row_class: str = ""
) -> dict:
    """A DataFrame as a template table: labelled headers, formatted cells, numbers marked.

    ``row_class`` names a column whose values become each row's CSS class; the kinds of
    ``frame.attrs["column_kinds"]`` format their columns (e.g. probabilities as percentages).
    """
    kinds = frame.attrs.get("column_kinds")
    head = [{"text": _header(column, lang), "num": False} for column in frame.columns]
    rows = []
    for record in frame.to_dict("records"):
        cells = []
        for column, value in record.items():
            shown = _text_of(column, value, lang, _cell_kind(column, record, kinds))
            number = isinstance(_display(column, value, lang), int | float)
            cells.append({"text": shown, "num": number})
        rows.append({"css": str(record[row_class]) if row_class else "", "cells": cells})
    return {"id": table_id, "head": head, "rows": rows}


def html_table(frame: pd.DataFrame, lang: str, *, table_id: str = "", row_class: str = "") -> str:
    """A DataFrame as an HTML table (the ``table`` macro of the templates)."""
    macros = _environment().get_template("_macros.html.j2").module
    return str(macros.table(table_context(frame, lang, table_id=table_id, row_class=row_class)))


def _table(frame, lang, table_id="", row_class="") -> dict:
    return {
        "kind": "table",
        "table": table_context(frame, lang, table_id=table_id, row_class=row_class),
    }


def _text(text: str, block_id: str = "") -> dict:
    return {"kind": "text", "text": text, "id": block_id}


def _details(summary: str, *blocks) -> dict:
    return {"kind": "details", "summary": summary, "blocks": list(blocks)}


def _figure(draw, name: str) -> dict:
    """A chart as a figure block, drawn later: ``draw()`` makes its Axes.

    :func:`_draw_figures` draws every chart of a page at once (on two cores where that
    pays) and embeds each PNG in its block.
    """
    return {"kind": "figure", "figure": {"name": name, "draw": draw}}


def _draw_figures(sections, ahead=()) -> None:
    """Draw the charts of the page's ``(key, blocks)`` sections into their figure blocks;
    those the children of ``ahead`` (:func:`~fiscal_sim.report.charts.charts_ahead`) drew
    already are taken from them."""
    from fiscal_sim.report.rendering import render_charts

    figures = [
        block["figure"] for _, blocks in sections for block in blocks if block["kind"] == "figure"
    ]
    drawing = [child for child in ahead if child.drawing]
    drawn_ahead = {name for child in drawing for name in child.names}
    mine = [i for i, figure in enumerate(figures) if figure["name"] not in drawn_ahead]
    drawn = {}
    if drawing:  # the others here while the children draw their own, then theirs
        mine_drawn = render_charts([figures[i]["draw"] for i in mine], fork=False)
        drawn.update(zip(mine, mine_drawn, strict=True))
        for child in drawing:
            drawn.update(
                (i, child.take(figure["name"]))
                for i, figure in enumerate(figures)
                if figure["name"] in child.names
            )
    left = [i for i in range(len(figures)) if drawn.get(i) is None]
    drawn.update(zip(left, render_charts([figures[i]["draw"] for i in left]), strict=True))
    for i, figure in enumerate(figures):
        del figure["draw"]
        title, png = drawn[i]
        figure.update(title=title, png=base64.b64encode(png).decode("ascii"))


def indicators_context(indicators: pd.DataFrame, lang: str) -> dict:
    """The key indicators as a table: one row per indicator, one column per year."""
    by_year = indicators.set_index("year").T
    head = [{"text": word("col.indicator_name", lang), "num": False}]
    head += [{"text": word("col.unit", lang), "num": False}]
    head += [{"text": str(int(year)), "num": True} for year in by_year.columns]
    rows = []
    for name, row in by_year.iterrows():
        unit = labels.INDICATORS[name][2] if name in labels.INDICATORS else "wan_yuan"
        cells = [{"text": plots.text(name, lang), "th": True}]
        cells.append({"text": "%" if unit == "fraction" else labels.unit_label(unit, lang)})
        cells += [{"text": _text_of(name, value, lang), "num": True} for value in row]
        rows.append({"css": "", "cells": cells})
    return {"id": "indicators", "head": head, "rows": rows}


def _uncertainty_blocks(projection, ensemble, lang: str, charts: bool) -> list[dict]:
    """The Monte Carlo section: what was run, the breach probabilities (rule × year), the
    heat map and the fan charts (:func:`~fiscal_sim.report.charts.ensemble_charts`)."""
    from fiscal_sim.report.tables import _format

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
    held = breach.loc[breach["any_year"] <= 0, "rule"]
    blocks = [
        _text(intro, "uncertainty-intro"),
        _text(headline),
        _text(word("uncertainty.table", lang)),
        _table(breach[breach["any_year"] > 0], lang, "breach-probability"),
    ]
    if len(held):
        names = [first_page.rule_name(rule, lang) for rule in held]
        rules = ("、" if lang == "zh" else ", ").join(names)
        blocks.append(_text(word("uncertainty.held", lang, rules=rules)))
    if charts:
        (heatmap, heatmap_draw), *fans = ensemble_charts(ensemble, lang).items()
        blocks.append(_figure(heatmap_draw, heatmap))
        blocks.append(_text(word("uncertainty.fans", lang)))
        blocks += [_figure(fan_draw, name) for name, fan_draw in fans]
    return blocks


def _what_it_would_take_blocks(found, lang: str) -> list[dict]:
    """The goal-seek table (levers × years) and, folded, every lever's sentences."""
    table = _table(found.table(lang).reset_index(), lang, "what-it-would-take")
    sentences = [_text(line) for line in found.lines(lang)]
    return [table, _details(found.title(lang), *sentences)]


def _bureau_blocks(projection, lang: str, draw: int) -> dict[str, list[dict]]:
    """The bureau's standard tables (:func:`~fiscal_sim.report.bureau.bureau_tables`, the
    builders of the Excel sheets), each under its sheet's name; the 库款 table folded on screen
    (printed open)."""
    blocks = {}
    for key, frame in bureau_tables(projection, lang, draw).items():
        heading = {"kind": "heading", "text": word(f"sheet.{key}", lang)}
        table = _table(frame, lang, key.replace("_", "-"))
        if key == "cash_table":
            blocks[key] = [_details(word(f"sheet.{key}", lang), table)]
        else:
            blocks[key] = [heading, table]
    return blocks


def _findings_blocks(frame: pd.DataFrame, lang: str) -> list[dict]:
    flagged = frame[frame["severity"] != "ok"]
    passed = int((frame["severity"] == "ok").sum())
    blocks = [] if not flagged.empty else [_text(word("findings.none", lang))]
    blocks.append(_table(flagged, lang, "findings", row_class="severity"))
    if passed:
        blocks.append(_text(word("findings.ok_count", lang, count=passed)))
    return blocks


def _check_ahead(key, projection, ensemble, lang: str, draw: int) -> None:
    """Charts drawn ahead must be of this page's projection (or ensemble), language and draw."""
    kind, of, *rest = key if isinstance(key, tuple) and len(key) >= 3 else (None, None)
    if kind == "projection" and of is projection and rest == [lang, draw]:
        return
    if kind == "ensemble" and ensemble is not None and of is ensemble and rest == [lang]:
        return
    raise ValueError("the charts drawn ahead are of another projection, ensemble, language or draw")


def html_report(
    projection,
    findings=None,
    *,
    lang: str | None = None,
    draw: int = 0,
    generated: str | None = None,
    charts: bool = True,
    ensemble=None,
    what_it_would_take=None,
    ahead=None,
) -> str:
    """The report as one self-contained HTML page (charts embedded as base64 PNG).

    ``findings`` defaults to ``fiscal_sim.check(projection)``. The first page gives a
    red/amber/green line per group of rules with its figures and sentences
    (:mod:`~fiscal_sim.report.summary`); the appendix records scenario, hash, files, version
    and shocks. ``charts=False`` leaves the charts out (quick previews and doctests). An
    ``ensemble`` (:func:`fiscal_sim.simulate` of the same scenario) adds the uncertainty
    section: breach probabilities by rule and year, the heat map and fan charts. A
    ``what_it_would_take`` (:func:`fiscal_sim.goalseek.summary.what_it_would_take` of the same
    scenario) adds the levers × years table of goal-seek sizes and binding rules, with each
    lever's sentences. ``ahead``, one or a list of
    :func:`~fiscal_sim.report.charts.charts_ahead` (of the same projection, language and draw)
    and :func:`~fiscal_sim.report.charts.ensemble_charts_ahead` (of the same ensemble and
    language), gives the charts they drew while the caller did other work.
    """
    lang = _lang(lang)
    if ensemble is not None:
        check_ensemble(projection, ensemble)
    ahead = [] if ahead is None else [ahead] if hasattr(ahead, "take") else list(ahead)
    for child in ahead:
        _check_ahead(child.key, projection, ensemble, lang, draw)
    if findings is None:
        import fiscal_sim

        findings = fiscal_sim.check(projection)
    tables = report_tables(projection, findings, lang, draw)

    drawings = projection_charts(projection, lang, draw)

    def chart(name):
        return [_figure(drawings[name], name)] if charts else []

    sanbao = tables["waterfall"]
    sanbao = sanbao[sanbao["tier_no"] <= SANBAO_TIERS]
    standard = _bureau_blocks(projection, lang, draw)
    indicators = {"kind": "table", "table": indicators_context(tables["indicators"], lang)}
    sections = [
        ("indicators", [indicators]),
        ("findings", _findings_blocks(tables["findings"], lang)),
        (
            "waterfall",
            [
                *chart("waterfall"),
                *chart("resources"),
                *standard.get("sanbao_table", [_table(sanbao, lang, "sanbao")]),
            ],
        ),
    ]
    if "measures" in tables:
        sections.append(("measures", [_table(tables["measures"], lang, "measures")]))
    advances = [_table(tables["advances"], lang, "advance-table")]
    sections += [
        ("advances", [*chart("advances"), *standard.get("advance_ledger", advances)]),
        (
            "cash",
            [
                *chart("cash"),
                *standard.get("cash_table", []),
                _details(
                    word("section.cash_months", lang),
                    _table(tables["monthly"], lang, "monthly-cash"),
                ),
            ],
        ),
    ]
    if charts or "debt_table" in standard:
        sections.append(("debt", [*chart("debt"), *standard.get("debt_table", [])]))
    if charts:
        sections.append(("more", chart("revenue")))
    if what_it_would_take is not None:
        sections.append(
            ("what_it_would_take", _what_it_would_take_blocks(what_it_would_take, lang))
        )
    appendix = []
    if ensemble is not None:
        sections.append(("uncertainty", _uncertainty_blocks(projection, ensemble, lang, charts)))
        appendix.append({"kind": "heading", "text": word("uncertainty.shock_table", lang)})
        appendix.append(_table(shocks_frame(ensemble, lang), lang, "shocks"))
    if "parameters" in tables:
        appendix.append(
            _details(
                word("section.parameters", lang),
                _table(parameters_compact(projection.scenario, lang), lang, "parameters"),
            )
        )
    _draw_figures(sections, ahead)
    return render_page(
        "report.html.j2",
        lang,
        title=report_title(projection, lang),
        changes=changes_text(projection, lang),
        about=first_page.about_line(projection, lang, generated),
        summary=first_page.summary(projection, findings, lang, draw),
        words=first_page.page_words(lang),
        sections=[
            {"key": key, "name": word(f"section.{key}", lang), "blocks": blocks}
            for key, blocks in sections
        ],
        meta_rows=meta_rows(projection, lang, generated=generated, draw=draw, ensemble=ensemble),
        appendix=appendix,
    )
