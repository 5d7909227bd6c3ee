"""Results present themselves: text and HTML show the same tables, titles are escaped, the
language follows the setting, charts are one attribute away (issue #7)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

import fiscal_sim
from fiscal_sim import display, labels
from fiscal_sim.comparison import compare

TIGHT = ["treasury.opening_cash=0", "revenue.general_transfers_growth=-0.2"]


@pytest.fixture(scope="module")
def default_projection():
    return fiscal_sim.project(fiscal_sim.load_scenario())


@pytest.fixture(scope="module")
def tight_projection():
    """Transfers falling 20 % a year from zero opening cash: 三保 shortfalls, > 20 breaches."""
    return fiscal_sim.project(fiscal_sim.load_scenario("transfer-cut", overrides=TIGHT))


class _Tables(HTMLParser):
    """Every <table> of an HTML fragment as rows of cell texts (th and td alike)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def html_tables(page: str) -> list[list[list[str]]]:
    parser = _Tables()
    parser.feed(page)
    return parser.tables


def row_pattern(cells: list[str]) -> re.Pattern:
    """A text line showing these cells in this order (empty cells are only spaces)."""
    return re.compile(r"\s+".join(re.escape(cell) for cell in cells if cell))


NUMBER = re.compile(r"-?[\d,]+(?:\.\d+)?%?")


def assert_same_tables(text: str, page: str, skip_blocks: int = 1) -> None:
    """Each HTML table equals, row by row and cell by cell, the matching text block."""
    tables = html_tables(page)
    blocks = text.split("\n\n")[skip_blocks:]
    assert len(tables) >= 1
    for table, block in zip(tables, blocks, strict=False):
        lines = block.splitlines()[1:]  # the first line is the table's title
        assert len(lines) >= len(table)
        for cells, line in zip(table, lines, strict=False):
            assert row_pattern(cells).fullmatch(line.strip()), (cells, line)
            assert NUMBER.findall(" ".join(cells)) == NUMBER.findall(line)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_projection_text_and_html_show_the_same_indicators_and_findings(tight_projection, lang):
    labels.set_lang(lang)
    text, page = str(tight_projection), tight_projection._repr_html_()
    assert_same_tables(text, page)
    findings = fiscal_sim.check(tight_projection)
    tables = html_tables(page)
    breach_rows, indicator_rows = tables[0][1:], tables[1][1:]
    assert len(breach_rows) == display.MAX_FINDING_ROWS
    assert len(indicator_rows) == len(display.KEY_INDICATORS)
    # the indicator cells are the projection's numbers, formatted by unit
    indicators = tight_projection.indicators()
    row = indicator_rows[display.KEY_INDICATORS.index("sanbao_shortfall")]
    expected = [
        display.format_indicator("sanbao_shortfall", v) for v in indicators.sanbao_shortfall
    ]
    assert row[2:] == expected
    # breaches first, each with its clause; the rest counted in both views
    severities = [cells[0] for cells in breach_rows]
    breach = display.word("breach", lang)
    assert severities == sorted(severities, key=lambda severity: severity != breach)
    first = findings.breaches.to_frame().iloc[0]
    assert breach_rows[0][1:4] == [first["rule"], first["clause"], str(first["year"])]
    flagged = len(findings.breaches) + len(findings.warnings)
    note = display.word("findings.more", lang, count=flagged - display.MAX_FINDING_ROWS)
    assert note in text and note in page
    assert findings.headline(lang) in text and findings.headline(lang) in page


def test_projection_html_has_a_small_chart_and_text_names_the_charts(default_projection):
    page = default_projection._repr_html_()
    assert page.count('src="data:image/png;base64,') == 1
    assert "projection.plot." in str(default_projection)
    assert "data:image" not in display.projection_html(default_projection, chart=False)
    assert repr(default_projection).startswith("<Projection default [")


def test_language_follows_the_setting(default_projection):
    labels.set_lang("en")
    assert "Key indicators" in str(default_projection)
    assert "Key indicators" in default_projection._repr_html_()
    labels.set_lang("zh")
    assert "主要指标" in str(default_projection)
    assert "主要指标" in display.projection_html(default_projection, chart=False)
    assert "Key indicators" in display.projection_text(default_projection, lang="en")


def test_text_from_scenario_files_is_escaped_in_html(tmp_path):
    path = tmp_path / "markup.yaml"
    path.write_text(
        "extends: default\n"
        "meta:\n"
        '  title: {zh: "<script>alert(\'x\')</script> 县", en: "<b>bold</b> & co"}\n',
        encoding="utf-8",
    )
    projection = fiscal_sim.project(fiscal_sim.load_scenario(path))
    for lang in ("zh", "en"):
        labels.set_lang(lang)
        pages = [projection._repr_html_(), compare(projection, "default")._repr_html_()]
        for page in pages:
            assert "<script>" not in page and "<b>bold" not in page
        assert ("&lt;script&gt;" if lang == "zh" else "&lt;b&gt;bold&lt;/b&gt; &amp; co") in pages[
            0
        ]


def test_the_chart_shown_explains_the_first_breach(default_projection, tight_projection):
    assert display.chart_for(fiscal_sim.check(default_projection)) == "advances"
    assert display.chart_for(fiscal_sim.check(tight_projection)) == "waterfall"
    baseline = fiscal_sim.project(
        fiscal_sim.load_scenario("baseline", overrides=["rules.advance_cap_ratio=0.2"])
    )
    assert display.chart_for(fiscal_sim.check(baseline)) == "resources"


def test_several_draws_say_which_draw_is_shown():
    projection = fiscal_sim.project(fiscal_sim.load_scenario(), draws=3)
    assert "draw 0 of 3 shown" in display.projection_text(projection, lang="en")


def test_plot_accessor_forwards_to_the_chart_functions(default_projection):
    from fiscal_sim import plots

    accessor = default_projection.plot
    assert {"advances", "monthly_cash", "cash", "waterfall", "debt"} <= set(dir(accessor))
    ax = accessor.advances(lang="en")
    assert ax.get_title().startswith("Treasury advances")
    plots.close(ax)
    ax = accessor.monthly_cash(year=2020, lang="en")
    assert len(ax.get_xticks()) == 12
    plots.close(ax)
    ax = accessor("debt", lang="zh")
    assert ax.get_title().startswith("政府债务")
    plots.close(ax)
    with pytest.raises(AttributeError, match="no chart 'nope'"):
        accessor.nope  # noqa: B018
    assert accessor.waterfall.__doc__ == plots.waterfall.__doc__


# --- comparisons --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def comparison():
    return compare("baseline", "covid-2020", "slow-digestion")


def test_comparison_frame_has_one_column_per_scenario_and_differences(comparison):
    frame = comparison.to_frame()
    assert list(frame.columns) == [
        "baseline",
        "covid-2020",
        "slow-digestion",
        "covid-2020 − baseline",
        "slow-digestion − baseline",
    ]
    assert frame.index.names == ["indicator", "year"]
    row = frame.loc[("legacy_advances", 2023)]
    assert row["baseline"] == 0 and row["slow-digestion − baseline"] == pytest.approx(8500)
    assert list(comparison.to_frame("advance_ratio").index.unique("indicator")) == ["advance_ratio"]


def test_comparison_breaches_first_with_clauses(comparison):
    breaches = comparison.breach_years()
    assert list(breaches.index) == [
        "non_rigid_cut",
        "three_public_cut",
        "advance_cap",
        "legacy_cleared",
        "treasury_cash_level",
    ]
    assert breaches.loc["legacy_cleared", "clause"] == "OPS.4.3.1"
    assert breaches.loc["legacy_cleared", "slow-digestion"] == "2023–2025"
    assert breaches.loc["legacy_cleared", "baseline"] == ""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_comparison_text_and_html_show_the_same_tables(comparison, lang):
    labels.set_lang(lang)
    text, page = str(comparison), comparison._repr_html_()
    assert_same_tables(text, page)
    tables = html_tables(page)
    assert [row[0] for row in tables[0][1:]] == list(comparison.breach_years().index)
    assert len(tables[1]) == 1 + len(display.KEY_INDICATORS) * 3
    assert page.count("data:image/png;base64,") == 1
    for name in comparison.names:
        assert comparison.findings[name].headline(lang) in text


def test_compare_takes_projections_scenarios_names_and_dicts(default_projection):
    scenario = fiscal_sim.load_scenario(overrides=["people.staff=4800"])
    both = compare(default_projection, scenario)
    assert both.names == (
        f"default [{default_projection.scenario.hash}]",
        f"default [{scenario.hash}]",
    )
    named = compare({"plan": default_projection, "fewer staff": scenario})
    assert named.names == ("plan", "fewer staff")
    assert compare([default_projection, "land-slump"], names=["a", "b"]).names == ("a", "b")
    assert compare(default_projection, default_projection).names == ("default", "default #2")
    with pytest.raises(ValueError, match="2 names for 1"):
        compare(default_projection, names=["a", "b"])
    with pytest.raises(TypeError, match="not int"):
        compare(3)
    with pytest.raises(fiscal_sim.ScenarioError):
        compare("no-such-scenario")


def test_comparison_plot_draws_one_line_per_scenario(comparison):
    from fiscal_sim import plots

    ax = comparison.plot("stabilization_fund", lang="en")
    gids = {line.get_gid() for line in ax.get_lines()}
    assert {"scenario_0", "scenario_1", "scenario_2"} <= gids
    plots.close(ax)


# --- findings keep their own display; it shows the same rows in text and HTML --------------------
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_findings_text_and_html_show_the_same_rows(tight_projection, lang):
    labels.set_lang(lang)
    findings = fiscal_sim.check(tight_projection)
    text, page = str(findings), findings._repr_html_()
    (table,) = html_tables(page)
    lines = text.splitlines()[1:]  # headline, then header and rows
    assert len(table) == len(lines) == len(findings) + 1
    for cells, line in zip(table[1:], lines[1:], strict=True):
        assert row_pattern(cells).fullmatch(line.strip()), (cells, line)
