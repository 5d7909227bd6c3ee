"""Charts: every chart renders in both languages without warnings (no missing glyphs), and its
artists carry the projection's numbers."""

from __future__ import annotations

import io
import subprocess
import sys
import warnings

import matplotlib
import numpy as np
import pytest
from _fake_projection import FakeProjection

from fiscal_sim import fonts, plots

LANGS = ("zh", "en")


def _real_projection():
    import fiscal_sim

    return fiscal_sim.project(fiscal_sim.load_scenario())


@pytest.fixture(scope="module")
def fake():
    return FakeProjection()


@pytest.fixture(scope="module", params=["fake", "default-county"])
def projection(request):
    if request.param == "fake":
        return FakeProjection()
    return _real_projection()


def render(draw_chart):
    """Draw and save a chart with every warning an error (a missing glyph is a warning)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = draw_chart()
        buffer = io.BytesIO()
        ax.figure.savefig(buffer, format="png", dpi=60)
    assert buffer.getvalue().startswith(b"\x89PNG")
    return ax


def by_gid(ax, gid):
    """Artists with this gid on the chart's axes (twins included)."""
    found = []
    for axes in ax.figure.axes:
        found += [artist for artist in axes.get_children() if artist.get_gid() == gid]
    return found


def bar_heights(ax, gid):
    return np.array([patch.get_height() for patch in by_gid(ax, gid)])


def all_text(ax):
    texts = [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
    for axes in ax.figure.axes:
        texts += [label.get_text() for label in axes.get_xticklabels() + axes.get_yticklabels()]
        texts.append(axes.get_ylabel())
        legend = axes.get_legend()
        if legend is not None:
            texts += [entry.get_text() for entry in legend.get_texts()]
    return [text for text in texts if text]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(plots.CHARTS))
def test_every_chart_renders_in_both_languages_without_warnings(projection, name, lang):
    ax = render(lambda: plots.chart(name, projection, lang=lang))
    texts = all_text(ax)
    axis_words = ax.get_xlabel() + ax.get_ylabel()
    has_chinese = any("\u4e00" <= character <= "\u9fff" for character in axis_words)
    assert has_chinese == (lang == "zh")
    for text in texts:  # no raw label keys leak into a chart
        assert not text.startswith(("title.", "unit.", "axis.", "band.", "tier.")), text
    plots.close(ax)


@pytest.mark.parametrize("lang", LANGS)
def test_compare_renders_in_both_languages(projection, lang):
    other = FakeProjection(title="另一情景")
    ax = render(lambda: plots.compare({"A": projection, "B": other}, "advance_ratio", lang=lang))
    assert len(by_gid(ax, "scenario_0")) == 1 and len(by_gid(ax, "scenario_1")) == 1
    assert by_gid(ax, "advance_cap")[0].get_ydata()[0] == pytest.approx(5.0)
    ax = render(lambda: plots.compare([projection, other], "debt_total", lang=lang))
    assert [text.get_text() for text in ax.get_legend().get_texts()][1] == "另一情景"


def test_the_missing_glyph_check_would_catch_boxes():
    """The warning the chart tests turn into errors is raised for a font without CJK."""
    figure = matplotlib.figure.Figure()
    figure.text(0.5, 0.5, "三保", family="DejaVu Sans")
    with pytest.warns(UserWarning, match="missing from font"):
        figure.savefig(io.BytesIO(), format="png")


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_save_figure_writes_each_format_atomically(fake, tmp_path, fmt):
    ax = plots.chart("waterfall", fake, lang="zh")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = plots.save_figure(ax.figure, tmp_path / f"waterfall.{fmt}")
    head = path.read_bytes()[:16]
    assert {"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}[fmt] in head
    assert [item.name for item in tmp_path.iterdir()] == [f"waterfall.{fmt}"]


def test_save_figure_refuses_other_suffixes(fake, tmp_path):
    ax = plots.chart("debt", fake, lang="en")
    with pytest.raises(ValueError, match=r"\.png, \.svg or \.pdf"):
        plots.save_figure(ax.figure, tmp_path / "debt.jpg")
    assert not list(tmp_path.iterdir())


# --- the numbers on the charts ------------------------------------------------------------------


def test_advance_cap_line_is_five_percent_of_both_budgets(projection):
    ax = render(lambda: plots.advances(projection, lang="zh", unit="wan"))
    annual = projection.annual
    denominator = annual["gpb_expenditure"][0] + annual["gfb_expenditure"][0]
    ratio = projection.scenario.param("rules.advance_cap_ratio").value
    (cap,) = by_gid(ax, "advance_cap")
    np.testing.assert_allclose(cap.get_ydata(), ratio * denominator)
    np.testing.assert_allclose(cap.get_xdata(), projection.years)
    legacy = annual["legacy_advances"][0]
    np.testing.assert_allclose(bar_heights(ax, "legacy"), legacy)
    np.testing.assert_allclose(
        bar_heights(ax, "legacy") + bar_heights(ax, "new"), annual["advance_balance"][0]
    )
    (plan,) = by_gid(ax, "legacy_plan")
    opening = legacy[0] + annual["legacy_digested_cum"][0][0]
    assert plan.get_xdata()[0] == projection.years[0] - 1
    assert plan.get_ydata()[0] == pytest.approx(opening)
    np.testing.assert_allclose(
        plan.get_ydata()[1:], np.maximum(opening - annual["legacy_target_cum"][0], 0)
    )


def test_money_is_shown_in_yi_once_values_reach_one_yi(fake):
    ax = plots.advances(fake, lang="zh")
    assert "亿元" in ax.get_ylabel()
    (cap,) = by_gid(ax, "advance_cap")
    denominator = fake.annual["gpb_expenditure"][0] + fake.annual["gfb_expenditure"][0]
    np.testing.assert_allclose(cap.get_ydata(), 0.05 * denominator / 1e4)
    assert plots.money_unit([9_999.0]) == (1.0, "unit.wan")
    assert plots.money_unit([10_000.0]) == (1e4, "unit.yi")
    assert "CNY 100m" in plots.advances(fake, lang="en").get_ylabel()


def test_resources_chart_marks_the_sanbao_shortfall(fake):
    ax = render(lambda: plots.resources_uses(fake, lang="zh", unit="wan"))
    np.testing.assert_allclose(bar_heights(ax, "resources"), fake.annual["gpb_resources"][0])
    np.testing.assert_allclose(bar_heights(ax, "uses"), fake.tiers["funded"][0].sum(axis=1))
    np.testing.assert_allclose(bar_heights(ax, "shortfall"), fake.tiers["shortfall"][0].sum(1))
    (need,) = by_gid(ax, "sanbao_need")
    np.testing.assert_allclose(need.get_ydata(), fake.tiers["need"][0, :, :3].sum(axis=1))
    (marks,) = by_gid(ax, "sanbao_shortfall")
    assert marks.get_offsets()[:, 0].tolist() == [2020]


def test_waterfall_bars_add_up_to_the_need_tier_by_tier(fake):
    ax = render(lambda: plots.waterfall(fake, 2020, lang="zh", unit="wan"))
    index = list(fake.years).index(2020)
    funded, shortfall = bar_heights(ax, "funded"), bar_heights(ax, "shortfall")
    np.testing.assert_allclose(funded, fake.tiers["funded"][0, index])
    np.testing.assert_allclose(funded + shortfall, fake.tiers["need"][0, index])
    labels = [label.get_text() for label in ax.get_xticklabels()]
    assert labels[0].endswith("保工资") and labels[2].endswith("保运转") and len(labels) == 8
    (remaining,) = by_gid(ax, "remaining")
    assert remaining.get_ydata()[0] == pytest.approx(fake.tiers["funded"][0, index].sum())
    assert "2020" in ax.get_title()
    assert plots.waterfall(fake, lang="en").get_title().startswith("Funding waterfall, 2020")
    with pytest.raises(ValueError, match="outside the projection years"):
        plots.waterfall(fake, 2030)


def test_cash_chart_has_the_bands_and_flags_the_wage_risk_month(fake):
    ax = render(lambda: plots.monthly_cash(fake, lang="zh"))
    scenario = fake.scenario
    alarm, low, idle = (
        scenario.param(f"rules.cash_{name}_level").value for name in ("alarm", "low", "idle")
    )
    (band_low,) = by_gid(ax, "band_low")
    assert (band_low.get_y(), band_low.get_y() + band_low.get_height()) == pytest.approx(
        (alarm, low)
    )
    (band_normal,) = by_gid(ax, "band_normal")
    assert band_normal.get_y() + band_normal.get_height() == pytest.approx(idle)
    (level,) = by_gid(ax, "cash_level")
    np.testing.assert_allclose(level.get_ydata(), fake.months["cash_level"][0].ravel())
    (risk,) = by_gid(ax, "wage_risk")
    assert risk.get_offsets()[:, 0].tolist() == [12 + 5]  # June of the second year
    assert any(text.get_text() == "2020-06" for text in ax.texts)
    one_year = render(lambda: plots.monthly_cash(fake, 2020, lang="en"))
    assert [label.get_text() for label in one_year.get_xticklabels()][:2] == ["Jan", "Feb"]


def test_revenue_chart_stacks_the_four_sources(fake):
    ax = render(lambda: plots.revenue_mix(fake, lang="en", unit="wan"))
    annual = fake.annual
    np.testing.assert_allclose(bar_heights(ax, "tax"), annual["tax"][0])
    transfers = annual["rebates"] + annual["general_transfers"] + annual["earmarked_transfers"]
    np.testing.assert_allclose(bar_heights(ax, "transfers"), transfers[0])
    np.testing.assert_allclose(bar_heights(ax, "gfb_revenue"), annual["gfb_revenue"][0])
    (line,) = by_gid(ax, "self_sufficiency")
    expected = annual["own_revenue"][0] / annual["gpb_expenditure"][0] * 100
    np.testing.assert_allclose(line.get_ydata(), expected)


def test_debt_chart_has_the_warning_lines(projection):
    ax = render(lambda: plots.debt(projection, lang="zh"))
    scenario = projection.scenario
    (warning,) = by_gid(ax, "debt_ratio_warning")
    (high,) = by_gid(ax, "debt_ratio_high")
    assert warning.get_ydata()[0] == pytest.approx(
        100 * scenario.param("rules.debt_ratio_warning").value
    )
    assert high.get_ydata()[0] == pytest.approx(100 * scenario.param("rules.debt_ratio_high").value)
    (ratio,) = by_gid(ax, "debt_ratio")
    np.testing.assert_allclose(ratio.get_ydata(), projection.annual["debt_ratio"][0] * 100)


def test_a_given_ax_is_drawn_on_and_returned(fake):
    figure = matplotlib.figure.Figure()
    ax = figure.add_subplot()
    assert plots.debt(fake, ax=ax, lang="en") is ax


# --- the font -------------------------------------------------------------------------------


def test_charts_leave_global_settings_alone(fake):
    before = dict(matplotlib.rcParams)
    plots.chart("cash", fake, lang="zh")
    assert matplotlib.rcParams["font.family"] == before["font.family"]
    assert "zhplot" not in sys.modules


def test_the_font_is_found_without_importing_zhplot():
    code = (
        "import sys, matplotlib\n"
        "family = list(matplotlib.rcParams['font.family'])\n"
        "from fiscal_sim import fonts, plots\n"
        "assert fonts.cjk_font_path().is_file()\n"
        "assert fonts.register_cjk_font() == 'Noto Sans SC'\n"
        "assert 'zhplot' not in sys.modules, 'zhplot was imported'\n"
        "assert list(matplotlib.rcParams['font.family']) == family\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_text_drawn_in_the_context_keeps_the_font_when_saved_later():
    figure = matplotlib.figure.Figure()
    with fonts.font_context("zh"):
        text = figure.text(0.1, 0.5, "库款保障水平")
    assert text.get_fontfamily()[0] == fonts.CJK_FAMILY
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figure.savefig(io.BytesIO(), format="png")


def test_every_word_a_chart_uses_has_a_label_in_both_languages():
    import re
    from pathlib import Path

    source = "".join(path.read_text("utf-8") for path in Path(plots.__file__).parent.glob("*.py"))
    keys = set(re.findall(r'\btext\(\s*"([a-z_.]+)"', source))
    keys |= {f"tier.{name}" for name in plots._tier_names()}
    keys |= {f"band.{name}" for name, _colour in plots._BANDS}
    keys |= {f"unit.{kind}" for kind in ("wan", "yi", "months", "persons")}
    assert len(keys) > 30
    assert not [key for key in sorted(keys) if plots.text(key, "zh") == key]
    # An English label may be its key ("need"); a dotted key never is.
    assert not [key for key in sorted(keys) if "." in key and plots.text(key, "en") == key]


def test_the_plan_line_is_named_after_the_plan_years(fake):
    ax = plots.advances(fake, lang="zh")
    (plan,) = by_gid(ax, "legacy_plan")
    assert plan.get_label() == "2019—2023年消化计划"


def _extents(artists, renderer):
    return [artist.get_window_extent(renderer) for artist in artists if artist.get_text()]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(plots.CHARTS))
def test_titles_stay_inside_the_figure_with_the_scenario_on_its_own_line(name, lang):
    import fiscal_sim

    result = fiscal_sim.project(fiscal_sim.load_scenario("plan-followed"))
    ax = render(lambda: plots.chart(name, result, lang=lang))
    renderer = ax.figure.canvas.get_renderer()
    (subtitle,) = by_gid(ax, "scenario_title")
    assert subtitle.get_text().replace("\n", " ") == result.meta["title"][lang]
    assert subtitle.get_fontsize() < ax.title.get_fontsize()
    title, scenario = _extents([ax.title, subtitle], renderer)
    figure = ax.figure.bbox
    for box in (title, scenario):
        assert figure.x0 <= box.x0 and box.x1 <= figure.x1 and box.y1 <= figure.y1
    assert scenario.y1 <= title.y0 + 1  # the scenario line sits below the title
    plots.close(ax)


def test_wage_risk_notes_stay_clear_of_the_year_ticks_and_of_each_other():
    import fiscal_sim

    result = fiscal_sim.project(
        fiscal_sim.load_scenario(
            overrides=[
                "treasury.opening_cash=0",
                "profiles.general_transfers=[0,0,0.25,0,0,0.25,0,0,0.25,0,0,0.25]",
                "profiles.earmarked_transfers=[0,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.05,0.05]",
            ]
        )
    )
    for year in (None, 2020):
        ax = render(lambda year=year: plots.monthly_cash(result, year=year, lang="en"))
        renderer = ax.figure.canvas.get_renderer()
        notes = _extents(by_gid(ax, "wage_risk_note"), renderer)
        ticks = _extents(ax.get_xticklabels(), renderer)
        assert notes and ticks
        assert not any(note.overlaps(tick) for note in notes for tick in ticks)
        assert not any(a.overlaps(b) for i, a in enumerate(notes) for b in notes[i + 1 :])
        assert all(ax.bbox.y0 <= note.y0 for note in notes)  # above the x axis
        plots.close(ax)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(plots.CHARTS))
def test_figure_bytes_draws_once_the_picture_savefig_writes(name, lang):
    """The report's PNG (one draw) is savefig's picture (a layout pass, then a draw), pixel for
    pixel, and the file is no bigger."""
    projection = _real_projection()
    figure = plots.chart(name, projection, lang=lang).figure
    dpi, canvas = figure.dpi, figure.canvas
    drawn_once = plots.figure_bytes(figure, dpi=110)
    assert (figure.dpi, figure.canvas) == (dpi, canvas)  # left as it was
    saved = _savefig_png(plots.chart(name, projection, lang=lang), 110)
    np.testing.assert_array_equal(_pixels(drawn_once), _pixels(saved))
    assert _dpi(drawn_once) == _dpi(saved) == (110, 110)
    assert len(drawn_once) <= 1.05 * len(saved)
    plots.close(figure)


def _savefig_png(ax, dpi):
    buffer = io.BytesIO()
    ax.figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    plots.close(ax)
    return buffer.getvalue()


def _pixels(png: bytes) -> np.ndarray:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as picture:
        return np.asarray(picture.convert("RGBA"))


def _dpi(png: bytes) -> tuple:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as picture:
        return tuple(round(value) for value in picture.info["dpi"])


def test_figure_bytes_of_the_uncertainty_charts_is_the_picture_savefig_writes():
    import fiscal_sim
    from fiscal_sim.plots.uncertainty import breach_heatmap, fan_chart

    ensemble = fiscal_sim.simulate(fiscal_sim.load_scenario(), draws=1024, seed=3)
    for draw_chart in (
        lambda: breach_heatmap(ensemble, lang="zh"),
        lambda: fan_chart(ensemble, "debt_ratio", lang="en"),
    ):
        ax = draw_chart()
        np.testing.assert_array_equal(
            _pixels(plots.figure_bytes(ax.figure, dpi=90)), _pixels(_savefig_png(draw_chart(), 90))
        )
        plots.close(ax)


def test_figure_bytes_follows_savefig_when_an_rc_setting_changes_the_file(fake):
    with matplotlib.rc_context({"savefig.bbox": "tight"}):
        ax = plots.chart("debt", fake, lang="en")
        assert plots.figure_bytes(ax.figure, dpi=60) == _savefig_png(
            plots.chart("debt", fake, lang="en"), 60
        )
        plots.close(ax)
