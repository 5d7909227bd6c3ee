"""Scenario, parameter, measure, shocks and policy errors in Chinese and English, as a user
meets them on the command line (#17): under ``--lang zh`` the Chinese line names the key in
Chinese words, then the English line; under ``--lang en`` the English alone."""

import pytest
from _errors import error_lines

# (name, scenario file written as bad.yaml or None, arguments, Chinese phrase, English
# phrase); the file extends the default county unless it says what it extends, and "{file}"
# in the arguments is its path.
CASES = [
    (
        "scenario name typo",
        None,
        ["run", "plan-folowed"],
        "plan-folowed: 没有这个文件或内置情景（是不是要找 'plan-followed'？）",
        "plan-folowed: no such file or bundled scenario (did you mean 'plan-followed'?)",
    ),
    (
        "unknown key",
        "revenue:\n  taxx: 100\n",
        ["run", "{file}"],
        "revenue.taxx: 未知键（是不是要找 'revenue.tax'？）",
        "revenue.taxx: unknown key (did you mean 'revenue.tax'?)",
    ),
    (
        "wrong unit",
        "revenue:\n  tax: {value: 1, unit: yuan, source: x}\n",
        ["run", "{file}"],
        "revenue.tax: 单位 'yuan' 有误：应为 'wan_yuan'",
        "revenue.tax: wrong unit 'yuan': expected 'wan_yuan'",
    ),
    (
        "not a number in a file",
        "people:\n  staff: abc\n",
        ["run", "{file}"],
        "people.staff: 应为数字，实为 'abc'",
        "people.staff: expected a number, got 'abc'",
    ),
    (
        "not a number in --set",
        None,
        ["run", "--set", "people.staff=abc"],
        "--set: people.staff: 应为数字，实为 'abc'",
        "--set: people.staff: expected a number, got 'abc'",
    ),
    (
        "not a whole number",
        None,
        ["run", "--set", "people.staff=4800.5"],
        "people.staff: 应为整数，实为 4800.5",
        "people.staff: expected a whole number, got 4800.5",
    ),
    (
        "below the minimum",
        None,
        ["run", "--set", "people.attrition=-1"],
        "people.attrition: 应不小于 0（比例），实为 -1",
        "people.attrition: expected at least 0 fraction, got -1",
    ),
    (
        "above the unit's maximum",
        None,
        ["run", "--set", "revenue.tax=100000000000"],
        "revenue.tax: 应不大于 1e+10（万元），实为 100000000000",
        "revenue.tax: expected at most 1e+10 wan_yuan, got 100000000000",
    ),
    (
        "year outside the horizon",
        "people:\n  attrition: {2090: 0.01}\n",
        ["run", "{file}"],
        "people.attrition.2090: 年度 2090 超出预测期 2019–2025",
        "people.attrition.2090: year 2090 is outside the projection years 2019–2025",
    ),
    (
        "end year before the base year",
        None,
        ["run", "--set", "horizon.end_year=2010"],
        "horizon.end_year: 应为基年 2018 之后的年份，实为 2010",
        "horizon.end_year: expected a year after the base year 2018, got 2010",
    ),
    (
        "horizon too long",
        None,
        ["run", "--set", "horizon.end_year=2100"],
        "horizon.end_year: 应不超过基年 2018 之后 50 年，实为 2100",
        "horizon.end_year: expected at most 50 years after the base year 2018, got 2100",
    ),
    (
        "thresholds out of order",
        None,
        ["run", "--set", "rules.cash_alarm_level=0.9"],
        "rules.cash_alarm_level（0.9）不应大于 rules.cash_low_level（0.5）",
        "rules.cash_alarm_level (0.9) must not exceed rules.cash_low_level (0.5)",
    ),
    (
        "unknown measure",
        None,
        ["run", "--set", "measures.startup_grnt.persons=3"],
        "measures.startup_grnt: 未知措施（是不是要找 'startup_grant'？）；措施有：",
        "measures.startup_grnt: unknown measure (did you mean 'startup_grant'?); measures are:",
    ),
    (
        "unknown quantity of a measure",
        None,
        ["run", "covid-2020", "--set", "measures.startup_grant.persns=3"],
        "未知数量（是不是要找 'persons'？）；startup_grant 的数量有：",
        "unknown quantity (did you mean 'persons'?); startup_grant takes:",
    ),
    (
        "measure quantity not a number",
        None,
        ["run", "covid-2020", "--set", "measures.vat_small_scale.county_share=x"],
        "measures.vat_small_scale.county_share: 应为数字（比例），实为 'x'",
        "measures.vat_small_scale.county_share: expected a number (fraction), got 'x'",
    ),
    (
        "measure without a source",
        "measures:\n  startup_grant: {persons: 10, county_share: 1}\n",
        ["run", "{file}"],
        "measures.startup_grant.persons: 缺少来源（写明来源，或写 'assumption' 表示假设）",
        "measures.startup_grant.persons: missing source (write the source or the word "
        "'assumption')",
    ),
    (
        "measure month outside the plan's span",
        "measures:\n  startup_grant:\n"
        "    persons: {value: 10, source: x}\n    county_share: {value: 1, source: x}\n"
        "    pay_months: {value: [13], source: x}\n",
        ["run", "{file}"],
        "measures.startup_grant.pay_months: 应为",
        "measures.startup_grant.pay_months: expected a calendar month",
    ),
    (
        "extends a missing file",
        "extends: nope.yaml\n",
        ["run", "{file}"],
        "extends: 没有这个文件：'nope.yaml'",
        "extends: file not found: 'nope.yaml'",
    ),
    (
        "meta key typo",
        "meta:\n  titel: x\n",
        ["run", "{file}"],
        "meta.titel: 未知键（是不是要找 'title'？）；meta 的键有",
        "meta.titel: unknown key (did you mean 'title'?); meta has",
    ),
    (
        "programme field typo",
        "livelihood:\n  programmes:\n    dibao:\n      recipent: 10\n",
        ["run", "{file}"],
        "livelihood.programmes.dibao.recipent: 未知字段（是不是要找 'recipients'？）",
        "livelihood.programmes.dibao.recipent: unknown field (did you mean 'recipients'?)",
    ),
    (
        "uncertain parameter typo",
        "shocks:\n  parameters:\n    pay.growht: {sd: 0.01}\n",
        ["run", "{file}"],
        "shocks.parameters.pay.growht: 不是情景的参数（是不是要找 'pay.growth'？）",
        "shocks.parameters.pay.growht: not a parameter of the scenario (did you mean "
        "'pay.growth'?)",
    ),
    (
        "shock out of range",
        "shocks:\n  tax: {sigma: 2}\n",
        ["run", "{file}"],
        "shocks.tax.sigma: 应为不大于 1 的数，实为 2",
        "shocks.tax.sigma: expected a number at most 1, got 2",
    ),
]


def _arguments(tmp_path, text, arguments):
    path = tmp_path / "bad.yaml"
    if text is not None:
        base = "" if text.startswith("extends:") else "extends: default\n"
        path.write_text(base + text, encoding="utf-8")
    return [str(argument).replace("{file}", str(path)) for argument in arguments]


@pytest.mark.parametrize(
    ("text", "arguments", "chinese", "english"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_an_input_error_in_chinese_then_english(
    fiscal_sim_cli, tmp_path, text, arguments, chinese, english
):
    arguments = _arguments(tmp_path, text, arguments)

    result = fiscal_sim_cli("--lang", "zh", *arguments)
    assert result.exit_code == 2, result.output
    zh, en = error_lines(result)
    assert zh is not None and zh.startswith("错误："), result.stderr
    assert chinese in zh
    assert english in en

    result = fiscal_sim_cli("--lang", "en", *arguments)
    assert result.exit_code == 2, result.output
    zh, en = error_lines(result)
    assert zh is None and english in en, result.stderr


POLICY_CASES = [
    (
        "line: livelihod\namount: 100\nstart_year: 2021\n",
        "line: 应为 ",
        "line: expected one of ",
    ),
    (
        "line: livelihood\namount: 100\nquantity: 3\nstart_year: 2021\n",
        "amount: 应给出 `amount`（每年万元）或 `quantity` 与 `unit_cost_yuan`，二者选一",
        "amount: give either `amount` (万元 a year) or `quantity` and `unit_cost_yuan`",
    ),
    (
        "line: livelihood\namount: 100\nstart_year: 2021\ncounty_share: 2\n",
        "county_share: 应在 0 到 1 之间，实为 2",
        "county_share: expected a value from 0 to 1, got 2",
    ),
]


@pytest.mark.parametrize(("text", "chinese", "english"), POLICY_CASES)
def test_a_policy_error_in_chinese_then_english(fiscal_sim_cli, tmp_path, text, chinese, english):
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    result = fiscal_sim_cli("--lang", "zh", "assess", path)
    assert result.exit_code == 2, result.output
    zh, en = error_lines(result)
    assert zh is not None and chinese in zh and english in en, result.stderr
