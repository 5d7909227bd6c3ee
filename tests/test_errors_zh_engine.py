"""The engine's and the analyses' errors in Chinese and English, as a user meets them (#17).

Through the command line: under ``--lang zh`` stderr shows ``错误：<Chinese>`` then
``Error: <English>``, under ``--lang en`` the English alone. Errors only the Python API can
reach (a stack, shocks, an anchor) are read with :func:`fiscal_sim.errors.in_lang`.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from _errors import NO_REVENUE, error_lines

import fiscal_sim
from fiscal_sim.errors import FiscalSimError, in_lang
from fiscal_sim.perturb import with_values

CLI_CASES = [
    pytest.param(
        ("stress", "--test", "nope"),
        "未知压力测试 'nope'；可用的测试：revenue_1sd",
        "unknown stress test 'nope'; tests are: revenue_1sd",
        id="stress-test",
    ),
    pytest.param(
        ("check", "--only", "advance_capp"),
        "未知规则 'advance_capp'；可用的规则：",
        "unknown rule 'advance_capp'; rules are: ",
        id="check-rule",
    ),
    pytest.param(
        ("check", "--year", "2031"),
        "年度 2031 超出预测期 2019–2025",
        "year 2031 is outside the projection years 2019–2025",
        id="check-year",
    ),
    pytest.param(
        ("check", "--set", "rules.stock_fund_max_age=3"),
        "rules.stock_fund_max_age: 应为 0、1 或 2（结转资金最多跟踪两年），实为 3",
        "rules.stock_fund_max_age: expected 0, 1 or 2 (carry-overs are tracked up to two "
        "years), got 3",
        id="stock-fund-age",
    ),
    pytest.param(
        ("sensitivity", "--step", "150%"),
        "步长 step 应在 0 到 100 % 之间，实为 1.5",
        "step must be between 0 and 100 %, got 1.5",
        id="sweep-step",
    ),
    pytest.param(
        ("sensitivity", "--group", "nope"),
        "未知参数分组 'nope'；可用的分组：",
        "unknown group 'nope'; groups are: ",
        id="sweep-group",
    ),
    pytest.param(
        ("sensitivity", "--outcome", "x"),
        "未知结果指标 'x'；可用的结果指标：sanbao_shortfall",
        "unknown outcome 'x'; outcomes are: sanbao_shortfall",
        id="sweep-outcome",
    ),
    pytest.param(
        ("sensitivity", "--outcome", "debt_ratio@2099"),
        "未知结果指标 'debt_ratio@2099'：应为 指标@年度",
        "unknown outcome 'debt_ratio@2099': expected indicator@year",
        id="sweep-outcome-year",
    ),
    pytest.param(
        ("goal-seek", "--lever", "magic"),
        "未知缓解手段 'magic'；可用的缓解手段：revenue_effort",
        "unknown lever 'magic'; levers are: revenue_effort",
        id="goal-seek-lever",
    ),
    pytest.param(
        ("goal-seek", "--lever", "revenue_effort", "--rules", "x"),
        "未知规则 'x'；可用的规则：",
        "unknown rule 'x'; rules are: ",
        id="goal-seek-rule",
    ),
    pytest.param(
        ("run", *(f"--set={zero}" for zero in NO_REVENUE)),
        "--set: revenue.tax: 税收收入（基年）的值 0 使 2019 年的预测值 debt_ratio 不是有限数",
        "--set: revenue.tax: the value 0 makes the projected debt_ratio in 2019 not a finite "
        "number",
        id="not-finite",
    ),
]


@pytest.mark.parametrize(("args", "chinese", "english"), CLI_CASES)
def test_a_command_says_the_error_in_chinese_then_english(fiscal_sim_cli, args, chinese, english):
    under_zh = fiscal_sim_cli("--lang", "zh", *args)
    assert under_zh.exit_code == 2, under_zh.output
    zh, en = error_lines(under_zh)
    assert zh.startswith("错误：") and chinese in zh and english not in zh
    assert en.startswith("Error: ") and english in en
    under_en = fiscal_sim_cli("--lang", "en", *args)
    assert under_en.exit_code == 2, under_en.output
    zh, en = error_lines(under_en)
    assert zh is None and english in en


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory):
    """The default county, and one whose horizon ends a year later (it cannot be stacked)."""
    longer = tmp_path_factory.mktemp("longer") / "longer.yaml"
    longer.write_text(
        "extends: default\nmeta: {name: longer}\n"
        "horizon: {end_year: {value: 2026, unit: year, source: assumption}}\n",
        encoding="utf-8",
    )
    default = fiscal_sim.load_scenario()
    return SimpleNamespace(
        default=default, longer=fiscal_sim.load_scenario(longer), years=len(default.years)
    )


API_CASES = [
    pytest.param(
        lambda s: fiscal_sim.stack([s.default, s.longer]),
        "无法叠加情景 1（longer）：2026 与情景 0（default）的 2025 不同",
        "cannot stack scenario 1 (longer): 2026 differs from 2025 of scenario 0 (default)",
        id="stack-horizon",
    ),
    pytest.param(
        lambda s: fiscal_sim.stack([]),
        "stack() 至少需要一个情景",
        "stack() needs at least one scenario",
        id="stack-empty",
    ),
    pytest.param(
        lambda s: fiscal_sim.stack([s.default, "default"]),
        "stack() 接受已加载的情景；第 1 项是 str",
        "stack() takes loaded scenarios; item 1 is str",
        id="stack-item",
    ),
    pytest.param(
        lambda s: fiscal_sim.stack(
            [s.default, with_values(s.default, {"policy.gap_financing": "advances"})]
        ),
        "'advances' 与情景 0（default）的 'fund' 不同；文字选项决定引擎的算法",
        "'advances' differs from 'fund' of scenario 0 (default); words choose the engine's code",
        id="stack-words",
    ),
    pytest.param(
        lambda s: fiscal_sim.project(fiscal_sim.stack([s.default, s.default]), draws=3),
        "2 个情景的叠加按原样预测，每个成员一次抽样；不能带多次抽样",
        "a stack of 2 scenarios is projected as it is, one draw per member; it takes no draws > 1",
        id="stack-draws",
    ),
    pytest.param(
        lambda s: fiscal_sim.project(s.default, shocks={"nope": np.zeros((1, s.years))}),
        "未知冲击项目 'nope'；应为 ('tax'",
        "unknown shock line 'nope'; expected one of ('tax'",
        id="shock-line",
    ),
    pytest.param(
        lambda s: fiscal_sim.project(s.default, shocks={"tax": np.zeros((1, s.years + 1))}),
        "冲击 'tax' 的最后一维应有 7 个年度",
        "shock 'tax' must have 7 years on its last axis",
        id="shock-years",
    ),
    pytest.param(
        lambda s: fiscal_sim.project(s.default, anchor={"headcount": 1}),
        "锚定值应为含键 ('cash'",
        "anchor must be a dict with the keys ('cash'",
        id="anchor-no-cash",
    ),
    pytest.param(
        lambda s: fiscal_sim.project(
            s.default, anchor={"cash": np.full((s.years, 12), np.nan), "nope": 1}
        ),
        "未知锚定键 'nope'；应为 ('cash'",
        "unknown anchor key 'nope'; expected one of ('cash'",
        id="anchor-key",
    ),
    pytest.param(
        lambda s: fiscal_sim.project(s.default, anchor={"cash": np.zeros((s.years, 11))}),
        "锚定值 'cash' 的形状应为（年数, 12）=（7, 12），实为 (7, 11)",
        "anchor 'cash' must have shape (years, 12) = (7, 12), got (7, 11)",
        id="anchor-shape",
    ),
    pytest.param(
        lambda s: fiscal_sim.assess(s.default, None),
        "未给出政策",
        "no policy given",
        id="assess-no-policy",
    ),
    pytest.param(
        lambda s: fiscal_sim.reverse_stress(s.default, "nope"),
        "未知冲击类型 'nope'；可用的类型：revenue_fall",
        "unknown shock kind 'nope'; kinds are: revenue_fall",
        id="reverse-kind",
    ),
    pytest.param(
        lambda s: fiscal_sim.reverse_stress(s.default, "transfer_cut", target="nope"),
        "未知目标 'nope'；可用的目标：sanbao, cash, any",
        "unknown target 'nope'; targets are: sanbao, cash, any",
        id="reverse-target",
    ),
]


@pytest.mark.parametrize(("call", "chinese", "english"), API_CASES)
def test_the_python_api_error_reads_in_chinese_and_english(scenarios, call, chinese, english):
    with pytest.raises(FiscalSimError) as raised:
        call(scenarios)
    error = raised.value
    assert chinese in in_lang(error, "zh") and english not in in_lang(error, "zh")
    assert english in in_lang(error, "en") and in_lang(error, "en") == str(error)
