"""Where each value of a scenario sits in the workbook: sheets, columns and rows, as data.

The parameter sheets are derived from the schema (:data:`fiscal_sim.params.schema.SPECS`):
each parameter lands on the first sheet in :data:`PARAM_SHEETS` that claims its kind or the
start of its path, one row per parameter. The measures sheet is derived from the catalogue
(:data:`fiscal_sim.params.measures.CATALOGUE`), the shocks sheet from
:mod:`fiscal_sim.params.shocks`. Nothing here imports openpyxl.

Every parameter sheet has the same columns: key, 中文名称, English name, unit, the value
columns, source, note. The value columns are one ``value`` column (a number, word or order),
followed by one column per projection year on a sheet that holds yearly parameters, or
twelve month columns on the profiles sheet.

Examples
--------
>>> sheet_of("revenue.tax").id, sheet_of("arrears.small_profile").id
('revenue', 'profiles')
>>> SHEETS_BY_ID["revenue"].name("zh"), SHEETS_BY_ID["revenue"].name("en")
('收入', 'Revenue')
"""

from __future__ import annotations

from dataclasses import dataclass

from fiscal_sim.params.measures import CATALOGUE, FIGURE_UNITS
from fiscal_sim.params.schema import SPECS, TABLE_PATHS, ParamSpec
from fiscal_sim.params.shocks import DEFAULT_SIGMA, DISTRIBUTIONS, SHOCK_LINES


@dataclass(frozen=True)
class SheetLayout:
    """One sheet: its id, its names in both languages and which parameters it holds."""

    id: str
    name_zh: str
    name_en: str
    title_zh: str
    title_en: str
    prefixes: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def claims(self, spec: ParamSpec) -> bool:
        return spec.kind in self.kinds or spec.path.startswith(self.prefixes)


ABOUT = SheetLayout("about", "说明", "About", "说明", "About this workbook")
# Claimed in this order: the profiles sheet takes every monthly profile before the prefixes.
PARAM_SHEETS = (
    SheetLayout(
        "profiles", "月度分布", "Profiles", "月度分布", "Monthly profiles", kinds=("profile",)
    ),
    SheetLayout(
        "settings",
        "设定",
        "Settings",
        "测算期与政策选择",
        "Horizon and policy choices",
        prefixes=("horizon.", "policy."),
    ),
    SheetLayout(
        "base",
        "基年",
        "Base year",
        "基年支出、库款与存量",
        "Base-year spending, cash and stocks",
        prefixes=("operations.", "projects.", "stock_funds.", "treasury.", "stabilization."),
    ),
    SheetLayout(
        "people",
        "人员工资",
        "People and pay",
        "人员、工资与基本民生",
        "People, pay and basic livelihood",
        prefixes=("people.", "pay.", "livelihood."),
    ),
    SheetLayout(
        "revenue",
        "收入",
        "Revenue",
        "收入与转移支付（分年度）",
        "Revenue and transfers by year",
        prefixes=("revenue.", "fund."),
    ),
    SheetLayout(
        "advances",
        "暂付款",
        "Advances",
        "暂付款及消化安排、清欠",
        "Advances, their digestion schedule and arrears",
        prefixes=("advances.", "arrears."),
    ),
    SheetLayout("debt", "债务", "Debt", "政府债务", "Government debt", prefixes=("debt.",)),
    SheetLayout("rules", "规则阈值", "Rules", "规则阈值", "Rule thresholds", prefixes=("rules.",)),
)
SHOCKS = SheetLayout("shocks", "冲击", "Shocks", "蒙特卡洛冲击", "Monte Carlo shocks")
MEASURES = SheetLayout("measures", "措施", "Measures", "六保措施", "Six-guarantee measures")
SHEET_ORDER = (
    ABOUT,
    *(sheet for sheet in PARAM_SHEETS if sheet.id != "profiles"),
    PARAM_SHEETS[0],
    SHOCKS,
    MEASURES,
)
SHEETS_BY_ID = {sheet.id: sheet for sheet in SHEET_ORDER}

# The fixed columns, (中文, English) header each; value columns sit between UNIT and SOURCE.
KEY, LABEL_ZH, LABEL_EN, UNIT = 1, 2, 3, 4
FIRST_VALUE = 5
HEADERS = {
    "key": ("参数键", "key"),
    "label_zh": ("中文名称", "中文名称"),
    "label_en": ("English name", "English name"),
    "unit": ("单位", "unit"),
    "value": ("数值", "value"),
    "source": ("来源", "source"),
    "note": ("备注", "note"),
}
MONTH_HEADERS = (
    tuple(f"{month}月" for month in range(1, 13)),
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
)
SWITCH = {"on": ("是", "on"), "off": ("否", "off")}
SWITCH_WORDS = {"是": True, "on": True, "yes": True, "否": False, "off": False, "no": False}


def header(name: str, lang: str) -> str:
    """A fixed column's header in ``lang``."""
    zh, en = HEADERS[name]
    return zh if lang == "zh" else en


def sheet_of(path: str) -> SheetLayout:
    """The parameter sheet that holds schema parameter ``path`` (a table's rows included)."""
    from fiscal_sim.params.schema import BY_PATH

    table = ".".join(path.split(".")[:2])
    spec = BY_PATH.get(path) or BY_PATH[table]
    return next(sheet for sheet in PARAM_SHEETS if sheet.claims(spec))


def specs_on(sheet: SheetLayout) -> list[ParamSpec]:
    """The schema parameters of one parameter sheet, in schema order."""
    return [spec for spec in SPECS if sheet_of(spec.path) is sheet]


def value_columns(sheet: SheetLayout, years: tuple[int, ...]) -> tuple:
    """What the value columns of ``sheet`` hold: ``"value"``, years, or months ``("m", n)``."""
    if sheet is PARAM_SHEETS[0]:
        return tuple(("m", month) for month in range(1, 13))
    if sheet in PARAM_SHEETS and any(spec.kind == "yearly" for spec in specs_on(sheet)):
        return ("value", *years)
    return ("value",)


# -- the shocks sheet ----------------------------------------------------------------------------

SHOCK_LINE_LABELS = {
    "tax": ("税收收入", "tax revenue"),
    "nontax": ("非税收入", "non-tax revenue"),
    "general_transfers": ("一般性转移支付", "general transfers"),
    "land_sales": ("土地出让收入", "land sales"),
}
SHOCK_TOP = {
    "distribution": ("冲击分布（normal / student_t / bootstrap）", "distribution of the shocks"),
    "df": ("t分布自由度（默认5）", "Student-t degrees of freedom (default 5)"),
    "block_years": ("自助法区块年数", "bootstrap block length in years"),
    "source": ("相关系数或历史数据来源", "source of the correlations or the history"),
}


def shock_rows() -> list[str]:
    """The shock keys the sheet always offers (stress tests come from the scenario)."""
    rows = [f"shocks.{key}" for key in SHOCK_TOP]
    for line in SHOCK_LINES:
        rows += [f"shocks.{line}.sigma", f"shocks.{line}.persistence"]
    rows += [
        f"shocks.correlation.{a}.{b}"
        for i, a in enumerate(SHOCK_LINES)
        for b in SHOCK_LINES[i + 1 :]
    ]
    rows += [f"shocks.history.{line}" for line in SHOCK_LINES]
    return rows


def shock_labels(key: str) -> tuple[str, str]:
    """中文 and English names of a ``shocks.`` key."""
    parts = key.split(".")[1:]
    if len(parts) == 1 and parts[0] in SHOCK_TOP:
        return SHOCK_TOP[parts[0]]
    if len(parts) == 2 and parts[0] in SHOCK_LINE_LABELS:
        zh, en = SHOCK_LINE_LABELS[parts[0]]
        default = DEFAULT_SIGMA[parts[0]][0]
        if parts[1] == "sigma":
            return f"{zh}增长波动率σ（默认{default:g}）", f"{en}: growth σ (default {default:g})"
        return f"{zh}冲击持续性φ（默认0.3）", f"{en}: persistence φ (default 0.3)"
    if parts[0] == "correlation" and len(parts) == 3:
        a, b = (SHOCK_LINE_LABELS.get(line, (line, line)) for line in parts[1:])
        return f"相关系数：{a[0]}—{b[0]}", f"correlation: {a[1]} – {b[1]}"
    if parts[0] == "history" and len(parts) == 2:
        zh, en = SHOCK_LINE_LABELS.get(parts[1], (parts[1], parts[1]))
        return f"{zh}历史增长率（逗号分隔）", f"{en}: past growth rates (comma-separated)"
    if parts[0] == "stress_tests":
        return f"压力测试 {'.'.join(parts[1:])}", f"stress test {'.'.join(parts[1:])}"
    return key, key


SHOCK_CHOICES = {"shocks.distribution": DISTRIBUTIONS}


# -- the measures sheet --------------------------------------------------------------------------


def measure_rows() -> list[tuple[str, str | None]]:
    """``(measure id, quantity name or None)`` for every row of the measures sheet."""
    rows: list[tuple[str, str | None]] = []
    for measure in CATALOGUE.values():
        rows.append((measure.id, None))
        rows += [(measure.id, quantity.name) for quantity in measure.quantities]
    return rows


def unit_text(unit: str, lang: str) -> str:
    """A unit's name in ``lang`` (the catalogue's units include the schema's)."""
    zh, en = FIGURE_UNITS.get(unit, (unit, unit))
    return zh if lang == "zh" else en


def is_table_path(path: str) -> bool:
    """Whether ``path`` is a field or label of a table row (``livelihood.programmes.x.y``)."""
    return ".".join(path.split(".")[:2]) in TABLE_PATHS and path.count(".") == 3
