"""Every bad input names the file, the key path and what was expected (issue #2)."""

import textwrap

import pytest
from _errors import error_lines

import fiscal_sim
from fiscal_sim.errors import ScenarioError


def _write(tmp_path, text, name="county.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _error(path, overrides=()):
    with pytest.raises(ScenarioError) as info:
        fiscal_sim.load_scenario(path, overrides=overrides)
    return info.value


def test_unknown_key_with_suggestion_and_line(tmp_path):
    path = _write(
        tmp_path,
        """\
        extends: default
        revenue:
          taxx: 100
        """,
    )
    error = _error(path)
    assert error.key == "revenue.taxx" and error.line == 3 and "revenue.tax" in error.message
    assert str(error).startswith(str(path.resolve()))


def test_unknown_top_level_section(tmp_path):
    error = _error(_write(tmp_path, "extends: default\nrevenu: {tax: 1}\n"))
    assert error.key == "revenu" and "unknown key" in error.message


def test_unknown_field_of_a_parameter(tmp_path):
    error = _error(_write(tmp_path, "extends: default\nrevenue:\n  tax: {value: 1, units: x}\n"))
    assert error.key == "revenue.tax.units"


def test_duplicate_key(tmp_path):
    path = _write(
        tmp_path,
        """\
        extends: default
        revenue:
          tax: 100
          tax: 200
        """,
    )
    error = _error(path)
    assert error.key == "revenue.tax" and error.line == 4 and "first at line 3" in error.message


def test_missing_required_value(tmp_path):
    error = _error(
        _write(
            tmp_path,
            "horizon:\n  base_year: {value: 2018, source: x}\n"
            "  end_year: {value: 2025, source: x}\n",
        )
    )
    assert "missing required value" in error.message


def test_missing_source_in_a_base_file(tmp_path):
    from fiscal_sim.scenario import _data_dir

    text = (_data_dir() / "default-county.yaml").read_text(encoding="utf-8")
    text = text.replace(
        'staff: {value: 5000, unit: persons, source: "assumption (domain-brief '
        '§1.3: 4,500-5,500)"}',
        "staff: {value: 5000, unit: persons}",
    )
    error = _error(_write(tmp_path, text))
    assert error.key == "people.staff" and "source" in error.message


def test_wrong_unit(tmp_path):
    error = _error(_write(tmp_path, "extends: default\nrevenue:\n  tax: {value: 1, unit: yuan}\n"))
    assert error.key == "revenue.tax" and "wan_yuan" in error.message and error.line == 3


def test_negative_stock(tmp_path):
    error = _error(_write(tmp_path, "extends: default\nadvances:\n  legacy: -5\n"))
    assert error.key == "advances.legacy" and "at least 0" in error.message


def test_negative_headcount_via_set():
    with pytest.raises(ScenarioError, match=r"people\.staff: expected at least 0"):
        fiscal_sim.load_scenario(overrides=["people.staff=-1"])


def test_fractional_headcount():
    with pytest.raises(ScenarioError, match="whole number"):
        fiscal_sim.load_scenario(overrides=["people.staff=4999.5"])


def test_shares_not_summing_to_one(tmp_path):
    error = _error(
        _write(
            tmp_path,
            "extends: default\nprofiles:\n  tax: [0.5, 0.5, 0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0]\n",
        )
    )
    assert error.key == "profiles.tax" and "sum to 1" in error.message


def test_profile_of_wrong_length():
    with pytest.raises(ScenarioError, match="12 monthly shares"):
        fiscal_sim.load_scenario(overrides=["profiles.tax=[1]"])


def test_year_outside_horizon(tmp_path):
    error = _error(
        _write(tmp_path, "extends: default\nrevenue:\n  nominal_growth: {2019: 0.05, 2031: 0.02}\n")
    )
    assert error.key == "revenue.nominal_growth.2031"
    assert "year 2031 is outside the projection years 2019–2025" in error.message


def test_yearly_series_must_start_at_first_year():
    with pytest.raises(ScenarioError, match="first projection year 2019"):
        fiscal_sim.load_scenario(overrides=["revenue.nominal_growth={2021: 0.05}"])


def test_cycle_in_extends(tmp_path):
    _write(tmp_path, "extends: b.yaml\n", "a.yaml")
    _write(tmp_path, "extends: a.yaml\n", "b.yaml")
    error = _error(tmp_path / "a.yaml")
    assert "cycle" in error.message and "a.yaml -> b.yaml -> a.yaml" in error.message


def test_duplicate_key_is_named_by_its_full_path(tmp_path):
    path = _write(
        tmp_path,
        """\
        extends: default
        livelihood:
          programmes:
            dibao:
              recipients: 1
              recipients: 2
        """,
    )
    error = _error(path)
    assert (error.key, error.line) == ("livelihood.programmes.dibao.recipients", 6)
    assert str(error).startswith(f"{path.resolve()}:6: livelihood.programmes.dibao.recipients:")


def test_duplicate_top_level_section(tmp_path):
    error = _error(_write(tmp_path, "extends: default\nrevenue: {}\nrevenue: {}\n"))
    assert (error.key, error.line) == ("revenue", 3) and "first at line 2" in error.message


def test_extends_a_missing_file_names_the_extending_file_and_line(tmp_path):
    (tmp_path / "sub").mkdir()
    path = _write(tmp_path, "meta: {title: x}\nextends: ../nope.yaml\n", "sub/county.yaml")
    error = _error(path)
    assert (error.file, error.key, error.line) == (str(path.resolve()), "extends", 2)
    assert "file not found: '../nope.yaml'" in error.message
    assert str(tmp_path.resolve() / "nope.yaml") in error.message


def test_extends_a_missing_file_through_the_cli(fiscal_sim_cli, tmp_path):
    path = _write(tmp_path, "extends: nope.yaml\n")
    result = fiscal_sim_cli("check", path)
    assert result.exit_code == 2
    zh, en = error_lines(result)  # under zh (the default) the Chinese, then the English
    assert result.stderr.strip().splitlines() == [zh, en]
    assert zh.startswith(f"错误：{path.resolve()}:1: extends: ")
    assert en.startswith(f"Error: {path.resolve()}:1: extends: file not found")
    english = fiscal_sim_cli("check", path, "--lang", "en")
    assert (english.exit_code, english.stderr) == (2, en + "\n")


def test_a_programme_field_typo_lists_the_fields(tmp_path):
    path = _write(
        tmp_path,
        "extends: default\nlivelihood:\n  programmes:\n    dibao:\n      recipent: 5\n",
    )
    error = _error(path)
    assert (error.key, error.line) == ("livelihood.programmes.dibao.recipent", 5)
    assert "did you mean 'recipients'?" in error.message
    assert "recipients, standard, county_share" in error.message
    assert "'livelihood.programmes'" not in error.message


@pytest.mark.parametrize(
    ("meta", "key", "line", "message"),
    [
        ("  title: {fr: bonjour}\n", "meta.title", 3, "expected a text or {zh: text, en: text}"),
        ("  description: 5\n", "meta.description", 3, "expected a text or {zh: text, en: text}"),
        ("  sources: 5\n", "meta.sources", 3, "expected a list of texts"),
        ("  sources: [a, 5]\n", "meta.sources", 3, "expected a list of texts"),
        ("  date: notadate\n", "meta.date", 3, "expected an ISO date (YYYY-MM-DD)"),
        ('  date: "2026-13-01"\n', "meta.date", 3, "expected an ISO date"),
        ("  titel: x\n", "meta.titel", 3, "unknown key (did you mean 'title'?)"),
    ],
)
def test_meta_values_are_checked(tmp_path, meta, key, line, message):
    error = _error(_write(tmp_path, "extends: default\nmeta:\n" + meta))
    assert (error.key, error.line) == (key, line)
    assert message in error.message


def test_an_impossible_unquoted_date_is_an_error_not_a_crash(tmp_path):
    error = _error(_write(tmp_path, "extends: default\nmeta:\n  date: 2026-13-01\n"))
    assert "cannot read a value (month must be in 1..12)" in error.message


def test_meta_in_good_forms_loads(tmp_path):
    path = _write(
        tmp_path,
        """\
        extends: default
        meta:
          title: {zh: 县, en: county}
          description: one line
          date: 2026-11-26
          sources: ["county bureau, 2019 final accounts"]
        """,
    )
    scenario = fiscal_sim.load_scenario(path)
    assert scenario.title == {"zh": "县", "en": "county"}


def test_extends_unknown_name(tmp_path):
    error = _error(_write(tmp_path, "extends: no-such-county\n"))
    assert error.key == "extends" and "bundled" in error.message


@pytest.mark.parametrize("bad", [".nan", ".inf", "-.inf"])
def test_nan_and_inf(tmp_path, bad):
    error = _error(_write(tmp_path, f"extends: default\nrevenue:\n  tax: {bad}\n"))
    assert error.key == "revenue.tax" and "finite" in error.message


def test_not_a_number(tmp_path):
    error = _error(_write(tmp_path, "extends: default\nrevenue:\n  tax: lots\n"))
    assert "expected a number" in error.message


def test_yaml_syntax_error_has_line(tmp_path):
    error = _error(_write(tmp_path, "extends: default\nrevenue:\n  tax: [1, 2\n"))
    assert "YAML syntax error" in error.message and error.line is not None


def test_missing_file(tmp_path):
    error = _error(tmp_path / "nope.yaml")
    assert "no such file" in error.message


def test_bad_choice():
    with pytest.raises(ScenarioError, match="expected one of"):
        fiscal_sim.load_scenario(overrides=["policy.gap_financing=borrow"])


def test_bad_priority_order():
    with pytest.raises(ScenarioError, match="expected an order"):
        fiscal_sim.load_scenario(overrides=["policy.priority=[wages, wages]"])


def test_set_without_equals():
    with pytest.raises(ScenarioError, match=r"key\.path=value"):
        fiscal_sim.load_scenario(overrides=["people.staff"])


def test_unsafe_yaml_tags_are_refused(tmp_path):
    error = _error(
        _write(
            tmp_path,
            "extends: default\nrevenue:\n  tax: !!python/object/apply:os.system ['true']\n",
        )
    )
    assert "YAML" in error.message


def test_overlay_keeps_sources_traceable(tmp_path):
    path = _write(tmp_path, "extends: default\nrevenue:\n  tax: 17000\n")
    scenario = fiscal_sim.load_scenario(path, overrides=["people.staff=4800"])
    assert scenario.param("revenue.tax").source == "override in county.yaml"
    assert scenario.param("people.staff").source == "--set people.staff=4800"
    assert scenario.param("revenue.nontax").source.startswith("remainder of own revenue")
    assert scenario.files[-1] == str(path.resolve())
    assert scenario.hash != fiscal_sim.load_scenario().hash


def test_every_parameter_has_unit_labels_and_source():
    for param in fiscal_sim.load_scenario().params():
        assert param.unit and param.label_zh and param.label_en and param.source, param.path


@pytest.mark.parametrize(
    "override",
    ["arrears.clear_year=2031", "rules.legacy_deadline_year=2040", "rules.cut_base_year=2030"],
)
def test_a_year_outside_the_horizon_is_refused(override):
    # A deadline or payment year nothing would ever reach is an input error, not a quiet no-op.
    with pytest.raises(ScenarioError, match="expected a year from 2018 to 2025"):
        fiscal_sim.load_scenario(overrides=[override])


def test_cut_base_year_zero_means_the_prior_year():
    assert (
        fiscal_sim.load_scenario(overrides=["rules.cut_base_year=0"]).value("rules.cut_base_year")
        == 0
    )


def test_a_percentage_written_for_a_growth_fraction_is_refused():
    with pytest.raises(ScenarioError, match="at most 1 fraction, got 6"):
        fiscal_sim.load_scenario(overrides=["revenue.nominal_growth=6"])


def test_a_priority_order_with_a_number_is_refused_not_crashed():
    order = "[1, wages, livelihood, operations, debt_service, clearing, key_projects, non_rigid]"
    with pytest.raises(ScenarioError, match="expected an order"):
        fiscal_sim.load_scenario(overrides=[f"policy.priority={order}"])
