"""Hostile input files and values are refused at load, in one line, with exit code 2 (#13).

One test per class of the issue, each with several inputs of the class: alias bombs (1),
unbounded sizes (2), numbers that overflow (3), thresholds out of order (4), names that make
bad file names (8) and unsafe YAML tags (9). Every refusal names the file and the key (or
line), leaves no traceback and writes nothing (see ``refused`` in conftest.py).
"""

from __future__ import annotations

import os

import pytest
from _errors import NO_REVENUE

# A billion laughs: nine levels of nine aliases each expand to 9^9 (387 million) values.
_LAUGHS = "\n".join(
    ["  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
)
_BOMB = "[" + ", ".join(["*a8"] * 9) + "]"


ALIAS_BOMBS = {
    "as a parameter value": f"extends: default\nx:\n{_LAUGHS}\nrevenue:\n  tax: {_BOMB}\n",
    "as a source": (
        f"extends: default\nx:\n{_LAUGHS}\nrevenue:\n  tax: {{value: 1, source: {_BOMB}}}\n"
    ),
    "inside shocks": f"extends: default\nx:\n{_LAUGHS}\nshocks:\n  tax: {{sigma: {_BOMB}}}\n",
}


@pytest.mark.parametrize("case", list(ALIAS_BOMBS))
def test_alias_bombs_are_refused_at_load(case, write, refused):
    path = write("bomb.yaml", ALIAS_BOMBS[case])
    message = refused("run", path, names=[path.name, "holds more than 100,000 values"])
    assert ":" in message.split(path.name)[1][:8]  # the line number follows the file


def test_alias_bombs_in_a_policy_file_and_in_set(write, refused):
    policy = write("policy.yaml", f"x:\n{_LAUGHS}\nline: tax\namount: {_BOMB}\nstart_year: 2021\n")
    refused("assess", policy, names=["policy.yaml", "holds more than"])
    bomb = "[&a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], " + ", ".join(
        f"&{b} [{', '.join([f'*{a}'] * 10)}]" for a, b in zip("abcdef", "bcdefg", strict=True)
    )
    refused(
        "run",
        "--set",
        f"revenue.tax={bomb}]",
        names=["--set", "revenue.tax", "more than 100,000 values"],
    )


def test_an_alias_inside_its_own_value_is_refused(write, refused):
    path = write("loop.yaml", "extends: default\nmeta: &m {sources: [*m]}\n")
    refused("run", path, names=["loop.yaml", "inside its own value"])


# --- 2: unbounded sizes --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("override", "key", "expected"),
    [
        ("horizon.end_year=2090", "horizon.end_year", "at most 50 years after the base year"),
        ("horizon.end_year=100000", "horizon.end_year", "at most 2100"),
        ("rules.advance_term_years=1.0e+9", "rules.advance_term_years", "at most 100 years"),
        ("rules.stock_fund_max_age=1000", "rules.stock_fund_max_age", "at most 100 years"),
        ("rules.cash_idle_level=1.0e+12", "rules.cash_idle_level", "at most 120 months"),
        ("debt.general.maturity_years=500", "debt.general.maturity_years", "at most 100"),
    ],
)
def test_years_counts_and_lengths_are_bounded(override, key, expected, refused):
    refused("run", "--set", override, names=["--set", key, expected])


def test_a_stress_test_longer_than_a_horizon_is_refused(write, refused):
    path = write(
        "long.yaml",
        """\
        extends: default
        shocks:
          stress_tests:
            forever: {years: 1000000000, growth: {tax: -0.1}}
        """,
    )
    refused("stress", path, names=["long.yaml", "shocks.stress_tests.forever.years", "1 to 50"])


@pytest.mark.parametrize("length", [17, 1100])  # 1,100 files overflowed Python's recursion
def test_the_extends_chain_is_bounded(length, tmp_path, write, refused):
    write("f0.yaml", "extends: default\n")
    for index in range(1, length):
        write(f"f{index}.yaml", f"extends: f{index - 1}.yaml\n")
    refused("run", tmp_path / f"f{length - 1}.yaml", names=["extends", "more than 16 files"])


def test_the_counts_of_stress_tests_and_programmes_are_bounded(write, refused):
    tests = "".join(f"    t{i}: {{growth: {{tax: -0.1}}}}\n" for i in range(51))
    path = write("many.yaml", "extends: default\nshocks:\n  stress_tests:\n" + tests)
    refused("stress", path, names=["many.yaml", "shocks.stress_tests", "at most 50 stress tests"])
    rows = "".join(f"    p{i}: {{recipients: 1}}\n" for i in range(201))
    path = write("rows.yaml", "extends: default\nlivelihood:\n  programmes:\n" + rows)
    refused("run", path, names=["rows.yaml:3", "livelihood.programmes", "at most 200"])
    measures = "  - {line: tax, amount: 1, start_year: 2021}\n" * 101
    path = write("policy.yaml", "measures:\n" + measures)
    refused("assess", path, names=["policy.yaml:1", "measures", "at most 100 measures"])


@pytest.mark.parametrize("kind", ["device", "fifo", "directory", "too large"])
def test_input_files_must_be_small_regular_files(kind, tmp_path, refused):
    if kind == "device":
        path, expected = "/dev/zero", "not a regular file (a character device)"
    elif kind == "fifo":
        path, expected = tmp_path / "pipe.yaml", "not a regular file (a named pipe)"
        os.mkfifo(path)
    elif kind == "directory":
        path, expected = tmp_path / "folder.yaml", "not a regular file (a directory)"
        path.mkdir()
    else:
        path, expected = tmp_path / "huge.yaml", "may be at most 4 MiB"
        path.write_text("extends: default\n" + "#" * (5 * 2**20) + "\n")
    refused("run", path, names=[str(path), expected])
    message = refused("assess", path, names=[str(path)])
    assert expected in message or "is a directory" in message  # click checks POLICY first


def test_a_too_large_file_in_an_extends_chain_is_refused(tmp_path, write, refused):
    (tmp_path / "base.yaml").write_text("extends: default\n" + "#" * (5 * 2**20) + "\n")
    child = write("child.yaml", "extends: base.yaml\n")
    refused("run", child, names=["base.yaml", "at most 4 MiB"])


@pytest.mark.parametrize(
    "text",
    [
        "extends: default\nmeta: {description: " + "[" * 600 + "]" * 600 + "}\n",
        "extends: default\nshocks:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(40)),
    ],
    ids=["600 nested lists", "40 nested mappings"],
)
def test_nesting_depth_is_limited(text, write, refused):
    path = write("deep.yaml", text)
    refused("run", path, names=["deep.yaml", "nested deeper than 32 levels"])


def test_nesting_depth_is_limited_in_set_values(refused):
    refused("run", "--set", "revenue.tax=" + "[" * 100 + "]" * 100, names=["revenue.tax", "32"])


# --- 3: numbers that overflow --------------------------------------------------------------


@pytest.mark.parametrize(
    ("override", "key", "expected"),
    [
        ("revenue.tax=1.0e+308", "revenue.tax", "at most 1e+10 wan_yuan"),
        ("people.staff=1.0e+308", "people.staff", "at most 1e+08 persons"),
        ("pay.average_pay=1.0e+200", "pay.average_pay", "at most 10000"),
        ("operations.fixed_costs={2019: 1.0e+300}", "operations.fixed_costs.2019", "at most"),
        (
            "livelihood.programmes.dibao.recipients=1.0e+20",
            "livelihood.programmes.dibao.recipients",
            "at most 1e+08 persons",
        ),
        ("revenue.tax_buoyancy=1.0e+6", "revenue.tax_buoyancy", "at most 5"),
    ],
)
def test_money_headcount_and_quantities_have_upper_bounds(override, key, expected, refused):
    refused("run", "--set", override, names=["--set", key, expected])


def test_measure_quantities_and_policies_have_upper_bounds(write, refused):
    scenario = write(
        "measure.yaml",
        """\
        extends: default
        measures:
          startup_grant:
            persons: {value: 1.0e+308, unit: persons, source: x}
            county_share: {value: 1, unit: fraction, source: x}
        """,
    )
    refused("run", scenario, names=["measure.yaml", "measures.startup_grant.persons", "at most"])
    policy = write(
        "policy.yaml", "line: livelihood\nquantity: 1.0e+308\nunit_cost_yuan: 1\nstart_year: 2021\n"
    )
    refused("assess", policy, names=["policy.yaml", "quantity", "from 0 to 1e+08"])
    policy = write("growth.yaml", "line: tax\namount: 1\ngrowth: 1.0e+9\nstart_year: 2021\n")
    refused("assess", policy, names=["growth.yaml", "growth", "from -1 to 1"])


def test_a_non_finite_result_is_an_error_naming_the_input(write, refused):
    # No revenue of any kind: the debt ratio divides by a zero capacity.
    no_revenue = [f"--set={zero}" for zero in NO_REVENUE]
    message = refused("run", *no_revenue, names=["--set", "revenue.tax"])
    assert "debt_ratio in 2019 not a finite number" in message
    path = write(
        "no-revenue.yaml",
        """\
        extends: default
        revenue: {tax: 0, nontax: 0, rebates: 0, general_transfers: 0, earmarked_transfers: 0}
        fund: {land_sales: 0, other_revenue: 0}
        """,
    )
    refused("check", path, names=[f"{path}: revenue.tax", "not a finite number"])


def test_the_engine_names_the_input_behind_a_non_finite_figure():
    import fiscal_sim
    from fiscal_sim.errors import ScenarioError

    scenario = fiscal_sim.load_scenario(overrides=NO_REVENUE)
    with pytest.raises(ScenarioError) as caught:
        fiscal_sim.project(scenario)
    assert caught.value.key == "revenue.tax" and caught.value.file == "--set"
    # With tax revenue back, the same scenario projects to finite figures.
    fixed = fiscal_sim.load_scenario(overrides=NO_REVENUE[1:])
    assert all(
        (abs(array) < float("inf")).all() for array in fiscal_sim.project(fixed).annual.values()
    )


# --- 4: thresholds out of order ------------------------------------------------------------


@pytest.mark.parametrize(
    ("override", "lower", "upper"),
    [
        ("rules.cash_alarm_level=0.9", "rules.cash_alarm_level", "rules.cash_low_level"),
        ("rules.cash_idle_level=0.1", "rules.cash_low_level", "rules.cash_idle_level"),
        ("rules.debt_ratio_high=0.5", "rules.debt_ratio_warning", "rules.debt_ratio_high"),
        ("rules.cut_mandate_to=2019", "rules.cut_mandate_from", "rules.cut_mandate_to"),
    ],
)
def test_related_thresholds_must_be_in_order(override, lower, upper, refused):
    message = refused("check", "--set", override, names=["--set", lower, upper])
    assert f": {lower} (" in message and f"must not exceed {upper} (" in message


def test_thresholds_out_of_order_in_a_file_name_the_file_and_line(write, refused):
    path = write("rules.yaml", "extends: default\nrules:\n  cash_low_level: 5\n")
    refused("run", path, names=["rules.yaml:3", "cash_low_level", "cash_idle_level"])


# --- 8: names that make bad file names -------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["x" * 300, "../../etc/passwd", '"=HYPERLINK(1)"', "'my county'", '""', '"a\\0b"'],
    ids=["300 characters", "path", "formula", "space", "empty", "NUL"],
)
def test_meta_name_must_be_a_short_slug(name, tmp_path, write, refused):
    path = write("named.yaml", f"extends: default\nmeta:\n  name: {name}\n")
    out = tmp_path / "out"
    out.mkdir()
    expected = "control character U+0000" if "\\0" in name else "short name"
    refused("run", path, "-o", f"{out}/", names=["named.yaml:3", "meta.name", expected])


@pytest.mark.parametrize(
    ("where", "text", "code"),
    [
        ("meta:\n  title", '"\\e[2J\\e[31mall clear"', "U+001B"),
        ("livelihood:\n  programmes:\n    dibao:\n      label", '"dibao\\u202Eexe.txt"', "U+202E"),
        ("revenue:\n  tax: {value: 1, source", '"line\\rbreak"}', "U+000D"),
    ],
    ids=["terminal escape", "bidi override", "carriage return"],
)
def test_control_characters_in_texts_are_refused(where, text, code, write, refused):
    path = write("texts.yaml", f"extends: default\n{where}: {text}\n")
    refused("run", path, names=["texts.yaml:", code, "not allowed in a text"])


def test_a_name_taken_from_the_file_name_is_made_safe(tmp_path, fiscal_sim_cli):
    path = tmp_path / ("=bad name " + "x" * 200 + ".yaml")
    path.write_text("extends: default\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    result = fiscal_sim_cli("run", path, "--format", "csv", "-o", f"{out}/")
    assert result.exit_code == 0, result.output
    (written,) = out.iterdir()
    assert written.name.startswith("bad-name-xxx") and len(written.name) < 100


# --- 9: unsafe YAML tags ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        '!!python/object/apply:os.system ["echo pwned"]',
        "!!python/name:os.system",
        "!!python/object:__main__.Exploit {}",
    ],
)
def test_python_tags_are_refused_in_policy_and_scenario_files(value, write, refused):
    policy = write("policy.yaml", f"line: tax\namount: {value}\nstart_year: 2021\n")
    refused("assess", policy, names=["policy.yaml:2", "only plain YAML values"])
    scenario = write("scenario.yaml", f"extends: default\nrevenue:\n  tax: {value}\n")
    refused("run", scenario, names=["scenario.yaml:3", "only plain YAML values"])
