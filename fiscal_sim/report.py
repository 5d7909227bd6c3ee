"""Reports from a projection and its findings: one self-contained HTML page or an Excel workbook,
and the monthly basic-operations table a county sends upward (OPS.4.4.1).

Nothing is computed here: the tables are the projection's own (``indicators()``,
``waterfall()``, ``monthly()``, ``annual``), the findings' ``to_frame()`` and the scenario's
parameters, selected, labelled and ordered. Every report states the scenario, its hash, the
fiscal_sim version and the date. Text that comes from scenario files is escaped in HTML; files
are written atomically (a temporary file in the target directory, then :func:`os.replace`).

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

import base64
import datetime
import html
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from fiscal_sim import fonts, plots
from fiscal_sim._version import __version__

LANGS = ("zh", "en")
REPORT_FORMATS = ("html", "xlsx")
MONTH_FORMATS = ("html", "xlsx", "csv", "txt")
SEVERITY_ORDER = {"breach": 0, "warning": 1, "ok": 2}
SANBAO_TIERS = plots.SANBAO_TIERS

# Words only reports use; names of model lines and indicators come from fiscal_sim.labels
# (through plots.text), these are the rest.
_WORDS: dict[str, tuple[str, str]] = {
    "report.title": ("财政运行报告", "Fiscal report"),
    "month.title": (
        "{year}年{month}月基层“三保”运行情况月报",
        "Basic operations report, {year}-{month:02d}",
    ),
    "meta.scenario": ("情景", "Scenario"),
    "meta.hash": ("情景哈希", "Scenario hash"),
    "meta.version": ("fiscal_sim 版本", "fiscal_sim version"),
    "meta.date": ("生成日期", "Date"),
    "meta.files": ("情景文件", "Scenario files"),
    "meta.draws": ("模拟次数", "Draws"),
    "meta.seed": ("随机种子", "Seed"),
    "meta.draw_shown": ("显示的模拟", "Draw shown"),
    "meta.description": ("说明", "Description"),
    "section.indicators": ("主要指标", "Key indicators"),
    "section.findings": ("规则检查结果", "Findings"),
    "section.waterfall": ("三保保障顺序（瀑布）", "The funding waterfall (三保 first)"),
    "section.advances": ("暂付款消化路径", "Treasury advances"),
    "section.cash": ("库款按月情况", "Monthly treasury cash"),
    "section.more": ("其他图表", "More charts"),
    "section.parameters": ("参数及来源", "Parameters and sources"),
    "section.about": ("报告信息", "About"),
    "sheet.about": ("说明", "About"),
    "sheet.indicators": ("主要指标", "Indicators"),
    "sheet.waterfall": ("三保瀑布", "Waterfall"),
    "sheet.advances": ("暂付款", "Advances"),
    "sheet.monthly": ("库款按月", "Monthly cash"),
    "sheet.findings": ("规则检查", "Findings"),
    "sheet.parameters": ("参数", "Parameters"),
    "sheet.month": ("月报", "Monthly report"),
    "findings.none": ("没有违规或预警。", "No breaches or warnings."),
    "findings.ok_count": ("另有 {count} 项检查通过。", "{count} further checks passed."),
    "severity.breach": ("违规", "breach"),
    "severity.warning": ("预警", "warning"),
    "severity.ok": ("通过", "ok"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "section": ("部分", "Section"),
    "item": ("项目", "Item"),
    "value": ("数值", "Value"),
    "unit": ("单位", "Unit"),
    "scope": ("口径", "Scope"),
    "scope.year": ("全年", "year"),
    "scope.month": ("当月", "month"),
    "scope.year_end": ("年末", "year end"),
    "part.sanbao": ("三保", "Three guarantees"),
    "part.cash": ("库款", "Treasury cash"),
    "part.advances": ("暂付款", "Advances"),
    # column headers
    "col.rule": ("规则", "Rule"),
    "col.clause": ("条款", "Clause"),
    "col.aspect": ("方面", "Aspect"),
    "col.value": ("数值", "Value"),
    "col.threshold": ("阈值", "Threshold"),
    "col.margin": ("余量", "Margin"),
    "col.unit": ("单位", "Unit"),
    "col.severity": ("结果", "Severity"),
    "col.message": ("说明", "Message"),
    "col.path": ("参数", "Parameter"),
    "col.label": ("名称", "Name"),
    "col.index": ("年度/月份", "Year / month"),
    "col.source": ("来源", "Source"),
    "col.legacy_target_cum": ("计划累计消化", "Planned digestion (cumulative)"),
    "col.new_advances_outstanding": ("新增暂付款余额", "New advances outstanding"),
    "col.overdue_advances": ("逾期暂付款", "Overdue advances"),
    "col.gap_cover_advances_stock": ("垫付缺口暂付款", "Gap-cover advances"),
}

_ADVANCE_COLUMNS = (
    "legacy_advances",
    "legacy_digested_cum",
    "legacy_target_cum",
    "new_advances_outstanding",
    "overdue_advances",
    "gap_cover_advances_stock",
    "advance_balance",
    "advance_ratio",
)
_IDENTIFIERS = {"year", "month", "tier_no"}
_MONTH_COLUMNS = (
    "receipts",
    "payments",
    "cash",
    "payroll",
    "wage_covered",
    "cash_level",
    "cash_class",
    "deferred_payments",
)


def word(key: str, lang: str, **fields) -> str:
    """A report's word for ``key``: ``_WORDS`` first, then the chart and model labels."""
    pair = _WORDS.get(key)
    found = plots.text(key, lang) if pair is None else pair[LANGS.index(lang)]
    return found.format(**fields) if fields else found


def _header(column: str, lang: str) -> str:
    for key in (f"col.{column}", column):
        if key in _WORDS:
            return word(key, lang)
    return plots.text(column, lang)


def column_kind(column: str) -> str:
    """How a column's numbers read: ``id``, ``ratio``, ``months``, ``persons`` or ``money``."""
    if column in _IDENTIFIERS:
        return "id"
    if column in {"cash_level", "cash_cover_min_months"}:
        return "months"
    return plots.indicator_kind(column)


_UNIT_KINDS = {"fraction": "ratio", "wan_yuan": "money", "months": "months", "persons": "persons"}
_MEASURED = ("value", "threshold", "margin")


def _cell_kind(column: str, record: Mapping) -> str:
    """The kind of a cell: a finding's value, threshold and margin read by the row's unit."""
    if column in _MEASURED and record.get("unit") in _UNIT_KINDS:
        return _UNIT_KINDS[record["unit"]]
    return column_kind(column)


def _lang(lang: str | None) -> str:
    return plots._lang(lang)


# ---------------------------------------------------------------------------------------------
# the tables (machine column names; labels are applied when rendering)


def meta_rows(projection, lang: str, *, generated: str | None = None, draw: int = 0) -> list:
    """``(label, value)`` pairs that identify a report: scenario, hash, version, date ..."""
    meta = dict(getattr(projection, "meta", {}) or {})
    title = plots._scenario_title(projection, lang)
    name = meta.get("scenario", "")
    rows = [
        (word("meta.scenario", lang), f"{title} ({name})" if title and title != name else name),
        (word("meta.hash", lang), meta.get("hash", "")),
        (word("meta.version", lang), meta.get("fiscal_sim_version", __version__)),
        (word("meta.date", lang), generated or datetime.date.today().isoformat()),
    ]
    files = meta.get("files")
    if files:
        rows.append((word("meta.files", lang), ", ".join(str(file) for file in files)))
    draws = meta.get("draws")
    if draws and int(draws) > 1:
        rows.append((word("meta.draws", lang), int(draws)))
        rows.append((word("meta.draw_shown", lang), draw))
    if meta.get("seed") is not None:
        rows.append((word("meta.seed", lang), meta["seed"]))
    return rows


def findings_frame(findings, lang: str) -> pd.DataFrame:
    """The findings, breaches first, then warnings, then passed checks; one message column."""
    frame = findings.to_frame() if hasattr(findings, "to_frame") else pd.DataFrame(findings)
    if frame.empty:
        frame = pd.DataFrame(columns=["rule", "clause", "year", "month", "severity"])
    frame = frame.assign(_rank=frame["severity"].map(SEVERITY_ORDER).fillna(3))
    frame = frame.sort_values(
        ["_rank", "year", "month", "rule"], kind="stable", na_position="first"
    )
    message = f"message_{lang}"
    columns = ["severity", "rule", "clause", "year", "month", "aspect", "value", "threshold"]
    columns += ["margin", "unit", message]
    frame = frame[[column for column in columns if column in frame.columns]]
    frame = frame.rename(columns={message: "message"}).reset_index(drop=True)
    if "month" in frame:
        frame["month"] = frame["month"].astype(object).where(frame["month"].notna(), None)
    return frame


def advances_frame(projection, draw: int = 0) -> pd.DataFrame:
    """The advance ledger by year: vintages, plan, balance and ratio (``annual`` arrays)."""
    years = plots._years(projection)
    data = {
        name: np.asarray(projection.annual[name], dtype=float)[draw]
        for name in _ADVANCE_COLUMNS
        if name in projection.annual
    }
    return pd.DataFrame(data, index=pd.Index(years, name="year"))


def monthly_frame(projection, draw: int = 0) -> pd.DataFrame:
    """One row per month (``projection.monthly()``)."""
    return projection.monthly(draw=draw).reset_index(drop=True)


def parameters_frame(scenario, lang: str) -> pd.DataFrame:
    """Every parameter, one row per value: yearly arrays by year, profiles by month."""
    rows = []
    years = [int(year) for year in getattr(scenario, "years", ())]
    for param in scenario.params():
        label = param.label_zh if lang == "zh" else param.label_en
        values = np.asarray(param.value)
        common = {"path": param.path, "label": label, "unit": param.unit, "source": param.source}
        if values.ndim == 0:
            rows.append({**common, "index": "", "value": _cell(values.item())})
            continue
        flat = values.ravel()
        if len(flat) == len(years):
            indexes = years
        else:
            indexes = [f"{number}" for number in range(1, len(flat) + 1)]
        for index, value in zip(indexes, flat, strict=True):
            rows.append({**common, "index": index, "value": _cell(value)})
    return pd.DataFrame(rows, columns=["path", "label", "unit", "index", "value", "source"])


def _cell(value):
    """A parameter value as a spreadsheet cell: numbers stay numbers, the rest is text."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value) if isinstance(value, float | np.floating) else int(value)
    return "" if value is None else str(value)


def report_tables(projection, findings, lang: str, draw: int = 0) -> dict[str, pd.DataFrame]:
    """The report's tables by sheet key, with machine column names."""
    indicators = projection.indicators(draw=draw)
    indicators.index.name = "year"
    tables = {
        "indicators": indicators.reset_index(),
        "waterfall": projection.waterfall(draw=draw).reset_index(drop=True),
        "advances": advances_frame(projection, draw).reset_index(),
        "monthly": monthly_frame(projection, draw),
        "findings": findings_frame(findings, lang),
    }
    scenario = getattr(projection, "scenario", None)
    if scenario is not None and hasattr(scenario, "params"):
        tables["parameters"] = parameters_frame(scenario, lang)
    return tables


# ---------------------------------------------------------------------------------------------
# cell values for people


def _display(column: str, value, lang: str):
    """A value as shown in a table: tier and class names, yes/no, severity in words."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if column == "tier":
        return plots.text(f"tier.{value}", lang)
    if column == "cash_class":
        return plots.text(f"band.{value}", lang)
    if column == "severity":
        return word(f"severity.{value}", lang)
    if column == "wage_covered" and isinstance(value, bool | np.bool_):
        return word("yes" if value else "no", lang)
    if isinstance(value, np.generic):
        return value.item()
    return value


def _text_of(column: str, value, lang: str, kind: str | None = None) -> str:
    """A value as text for HTML and the text table."""
    return _format(column, _display(column, value, lang), lang, kind)


def _format(column: str, value, lang: str, kind: str | None = None) -> str:
    """A displayed value as text, numbers formatted by ``kind`` (default: the column's)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, bool | np.bool_):
        return word("yes" if value else "no", lang)
    if isinstance(value, np.generic):
        value = value.item()
    if not isinstance(value, int | float):
        return str(value)
    kind = kind or column_kind(column)
    if kind == "id":
        return f"{int(value)}"
    if kind == "ratio":
        return f"{value * 100:.1f}%"
    if kind == "months":
        return f"{value:.2f}"
    if kind == "persons" or value == 0 or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.2f}"


# ---------------------------------------------------------------------------------------------
# HTML

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

    ``row_class`` names a column whose values become each row's CSS class.
    """
    ident = f' id="{_esc(table_id)}"' if table_id else ""
    head = "".join(f"<th>{_esc(_header(column, lang))}</th>" for column in frame.columns)
    body = []
    for record in frame.to_dict("records"):
        css = f' class="{_esc(record[row_class])}"' if row_class else ""
        cells = []
        for column, value in record.items():
            shown = _text_of(column, value, lang, _cell_kind(column, record))
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
    ax = plots.chart(name, projection, lang=lang, draw=draw, **options)
    try:
        png = plots.figure_bytes(ax.figure, "png")
    finally:
        plots.close(ax)
    title = ax.get_title()
    encoded = base64.b64encode(png).decode("ascii")
    return (
        f'<figure id="chart-{_esc(name)}"><img alt="{_esc(title)}" '
        f'src="data:image/png;base64,{encoded}"></figure>'
    )


def _meta_html(rows) -> str:
    cells = "".join(f"<tr><th>{_esc(key)}</th><td>{_esc(value)}</td></tr>" for key, value in rows)
    return f'<table class="meta" id="meta">{cells}</table>'


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
) -> str:
    """The report as one self-contained HTML page (charts embedded as base64 PNG).

    ``findings`` defaults to ``fiscal_sim.check(projection)``. ``charts=False`` leaves the
    charts out (quick previews and doctests).
    """
    lang = _lang(lang)
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
    header = (
        f"<h1>{_esc(heading)}</h1>"
        f"{_meta_html(meta_rows(projection, lang, generated=generated, draw=draw))}"
    )
    return _page(heading, header, body, lang)


# ---------------------------------------------------------------------------------------------
# Excel

_NUMBER_FORMATS = {
    "id": "0",
    "ratio": "0.0%",
    "months": "0.00",
    "persons": "#,##0",
    "money": "#,##0.00",
}
_HEADER_FILL = "DCE6F1"


def _write_sheet(workbook, title: str, frame: pd.DataFrame, lang: str) -> None:
    """One formatted sheet: labelled bold header in row 1 (frozen), numbers as numbers."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title=title[:31])
    headers = [_header(column, lang) for column in frame.columns]
    sheet.append(headers)
    for record in frame.itertuples(index=False, name=None):
        sheet.append(
            [
                _display(column, value, lang)
                for column, value in zip(frame.columns, record, strict=True)
            ]
        )
    bold, fill = Font(bold=True), PatternFill("solid", fgColor=_HEADER_FILL)
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    row_kinds = frame.attrs.get("kinds")
    records = frame.to_dict("records")
    for number, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(number)
        kinds = row_kinds if row_kinds and column == "value" else None
        texts = [headers[number - 1]]
        for row_number, cell in enumerate(sheet[letter][1:]):
            if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                if kinds:
                    kind = column_kind(kinds[row_number])
                else:
                    kind = _cell_kind(column, records[row_number])
                cell.number_format = _NUMBER_FORMATS[kind]
                texts.append(f"{cell.value:,.2f}")
            elif cell.value is not None:
                texts.append(str(cell.value))
        width = max(_display_width(text) for text in texts[:500])
        sheet.column_dimensions[letter].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"
    if sheet.max_row > 1:
        sheet.auto_filter.ref = sheet.dimensions


def _display_width(text: str) -> int:
    """Width in Excel character units: CJK characters are about two wide."""
    return sum(2 if ord(character) > 0x2E80 else 1 for character in str(text))


def _about_sheet(workbook, rows, lang: str) -> None:
    from openpyxl.styles import Font

    sheet = workbook.active
    sheet.title = word("sheet.about", lang)
    for key, value in rows:
        sheet.append([key, value])
    for cell in sheet["A"]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 70


def _workbook(projection, tables: Mapping[str, pd.DataFrame], lang: str, rows):
    from openpyxl import Workbook

    workbook = Workbook()
    _about_sheet(workbook, rows, lang)
    for key, frame in tables.items():
        _write_sheet(workbook, word(f"sheet.{key}", lang), frame, lang)
    meta = getattr(projection, "meta", {}) or {}
    workbook.properties.title = f"{word('report.title', lang)}: {meta.get('scenario', '')}"
    workbook.properties.subject = f"hash {meta.get('hash', '')}"
    workbook.properties.creator = f"fiscal_sim {meta.get('fiscal_sim_version', __version__)}"
    workbook.properties.keywords = str(meta.get("hash", ""))
    return workbook


def xlsx_workbook(
    projection,
    findings=None,
    *,
    lang: str | None = None,
    draw: int = 0,
    generated: str | None = None,
):
    """The report as an openpyxl Workbook: an about sheet, then one sheet per table."""
    lang = _lang(lang)
    if findings is None:
        import fiscal_sim

        findings = fiscal_sim.check(projection)
    tables = report_tables(projection, findings, lang, draw)
    return _workbook(
        projection, tables, lang, meta_rows(projection, lang, generated=generated, draw=draw)
    )


# ---------------------------------------------------------------------------------------------
# the monthly basic-operations report (OPS.4.4.1)


def parse_month(text: str) -> tuple[int, int]:
    """``2020-06`` -> ``(2020, 6)``.

    Examples
    --------
    >>> parse_month("2020-06")
    (2020, 6)
    """
    year, dash, month = str(text).strip().partition("-")
    try:
        if not dash:
            raise ValueError
        parsed = int(year), int(month)
    except ValueError:
        raise ValueError(f"expected a month as YYYY-MM, e.g. 2020-06, got {text!r}") from None
    if not 1 <= parsed[1] <= 12:
        raise ValueError(f"month {parsed[1]} of {text!r} is not between 1 and 12")
    return parsed


def month_table(
    projection, month: str | tuple[int, int], *, lang: str | None = None, draw: int = 0
) -> pd.DataFrame:
    """The month's basic-operations table (OPS.4.4.1): 三保 needs and funding, cash, advances.

    Columns: ``section, item, scope, value, unit``. The 三保 rows are the year's budget
    (need, funded, shortfall per tier) from ``waterfall()``; the cash rows are the month's
    from ``monthly()``; the advance rows are the year-end ledger from ``annual``.
    """
    lang = _lang(lang)
    year, number = parse_month(month) if isinstance(month, str) else month
    years = [int(value) for value in plots._years(projection)]
    if year not in years:
        raise ValueError(
            f"{year}-{number:02d} is outside the projection years {years[0]}–{years[-1]}"
        )
    unit_wan = plots.text("unit.wan", lang)
    rows = []
    waterfall = projection.waterfall(draw=draw)
    sanbao = waterfall[(waterfall["year"] == year) & (waterfall["tier_no"] <= SANBAO_TIERS)]
    for record in sanbao.to_dict("records"):
        tier = plots.text(f"tier.{record['tier']}", lang)
        for measure in ("need", "funded", "shortfall"):
            rows.append(
                (
                    "part.sanbao",
                    f"{tier}：{_header(measure, lang)}"
                    if lang == "zh"
                    else f"{tier}: {_header(measure, lang)}",
                    "scope.year",
                    record[measure],
                    unit_wan,
                )
            )
    monthly = monthly_frame(projection, draw)
    row = monthly[(monthly["year"] == year) & (monthly["month"] == number)].iloc[0]
    units = {"cash_level": plots.text("unit.months", lang), "wage_covered": "", "cash_class": ""}
    for column in _MONTH_COLUMNS:
        if column in row.index:
            rows.append(
                (
                    "part.cash",
                    _header(column, lang),
                    "scope.month",
                    row[column],
                    units.get(column, unit_wan),
                )
            )
    ledger = advances_frame(projection, draw)
    for column in ledger.columns:
        unit = "" if column_kind(column) == "ratio" else unit_wan
        rows.append(
            (
                "part.advances",
                _header(column, lang),
                "scope.year_end",
                ledger.loc[year, column],
                unit,
            )
        )
    frame = pd.DataFrame(rows, columns=["section", "item", "scope", "value", "unit"])
    frame["section"] = [word(key, lang) for key in frame["section"]]
    frame["scope"] = [word(key, lang) for key in frame["scope"]]
    frame["value"] = [
        _display(column, value, lang)
        for column, value in zip(_month_value_columns(frame, lang), frame["value"], strict=True)
    ]
    frame.attrs["kinds"] = _month_value_columns(frame, lang)
    frame.attrs["title"] = word("month.title", lang, year=year, month=number)
    return frame


def _month_value_columns(frame: pd.DataFrame, lang: str) -> list[str]:
    """The machine column each row of the month table came from (to format its value)."""
    by_header = {_header(column, lang): column for column in (*_MONTH_COLUMNS, *_ADVANCE_COLUMNS)}
    return [by_header.get(item, "money") for item in frame["item"]]


def month_text(frame: pd.DataFrame, lang: str) -> str:
    """The month table as aligned text (for the terminal)."""
    kinds = frame.attrs.get("kinds") or ["money"] * len(frame)
    lines = [frame.attrs.get("title", "")]
    for (_, record), kind in zip(frame.iterrows(), kinds, strict=True):
        value = _format(kind, record["value"], lang)
        lines.append(
            f"{record['section']}\t{record['item']}\t{record['scope']}\t{value}\t"
            f"{record['unit']}".rstrip()
        )
    return "\n".join(lines) + "\n"


def month_html(
    projection, frame: pd.DataFrame, lang: str, *, generated: str | None = None, draw: int = 0
) -> str:
    kinds = frame.attrs.get("kinds") or ["money"] * len(frame)
    rows = []
    for (_, record), kind in zip(frame.iterrows(), kinds, strict=True):
        value = _format(kind, record["value"], lang)
        rows.append(
            f"<tr><td>{_esc(record['section'])}</td><td>{_esc(record['item'])}</td>"
            f'<td>{_esc(record["scope"])}</td><td class="num">{_esc(value)}</td>'
            f"<td>{_esc(record['unit'])}</td></tr>"
        )
    head = "".join(
        f"<th>{_esc(word(key, lang))}</th>" for key in ("section", "item", "scope", "value", "unit")
    )
    title = frame.attrs.get("title", "")
    header = (
        f"<h1>{_esc(title)}</h1>"
        f"{_meta_html(meta_rows(projection, lang, generated=generated, draw=draw))}"
    )
    main = (
        f'<table id="month-report"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return _page(title, header, main, lang)


# ---------------------------------------------------------------------------------------------
# writing files


def write_report(
    path,
    projection,
    findings=None,
    *,
    lang: str | None = None,
    draw: int = 0,
    month: str | None = None,
    generated: str | None = None,
) -> Path:
    """Write the report (or, with ``month``, the monthly table) to ``path``, atomically.

    The format comes from the suffix: ``.html`` or ``.xlsx`` (and ``.csv`` / ``.txt`` for
    the monthly table).
    """
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
                lambda temporary: labelled.to_csv(temporary, index=False, encoding="utf-8-sig"),
            )
        rows = meta_rows(projection, lang, generated=generated, draw=draw)
        workbook = _workbook(projection, {"month": frame}, lang, rows)
        return write_atomic(path, lambda temporary: workbook.save(temporary))
    if fmt == "html":
        page = html_report(projection, findings, lang=lang, draw=draw, generated=generated)
        return write_atomic(path, lambda temporary: temporary.write_text(page, "utf-8"))
    workbook = xlsx_workbook(projection, findings, lang=lang, draw=draw, generated=generated)
    return write_atomic(path, lambda temporary: workbook.save(temporary))
