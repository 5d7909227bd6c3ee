"""The one schema of scenario parameters: path, unit, kind, bilingual label and bounds.

The parameters are data, ``schema.yaml`` beside this module, read and checked once when it is
imported (:data:`SPECS`, :data:`BY_PATH`, :func:`spec_for`); the units, tiers and budget lines
every layer shares are the Python constants below. A scenario file supplies each parameter's
value, unit (checked against this schema) and source; labels come from here so that they are
written once. Kinds:

``scalar``   one number (a base-year flow, an end-of-base-year stock, a rate);
``yearly``   one number per projection year, given as a number (every year) or a mapping
             ``{year: value}`` read as a step function (a value holds until the next year given);
``profile``  twelve monthly shares that sum to 1;
``choice``   one word from a closed list;
``order``    a permutation of a closed list (the waterfall's priority order);
``table``    named rows with fixed fields (the livelihood programmes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fiscal_sim.errors import Bilingual
from fiscal_sim.params.datafile import DataReader

UNITS = {
    "wan_yuan": ("万元", "10,000 yuan"),
    "wan_yuan_per_person_year": ("万元/人·年", "10,000 yuan per person-year"),
    "yuan_per_person_month": ("元/人·月", "yuan per person-month"),
    "fraction": ("比例", "fraction"),
    "persons": ("人", "persons"),
    "year": ("年份", "calendar year"),
    "years": ("年", "years"),
    "months": ("月", "months"),
    "month": ("月份", "calendar month"),
    "shares": ("月度份额", "monthly shares"),
    "choice": ("选项", "choice"),
}

# The largest value of a unit, for a parameter (or measure quantity) that names no maximum of
# its own: orders of magnitude above any county (a county budget is ~10^5-10^6 万元, China's
# whole public budget ~3 x 10^9 万元), so that a slip such as 1e308 is refused at load instead
# of overflowing in the engine. Years and months bound the arrays the engine allocates.
UNIT_MAXIMA = {
    "wan_yuan": 1e10,
    "wan_yuan_per_person_year": 1e4,
    "yuan_per_person_month": 1e6,
    "fraction": 10.0,
    "persons": 1e8,
    "year": 2100,
    "years": 100,
    "months": 120,
    "month": 12,
}

MAX_HORIZON_YEARS = 50
"""The longest projection: at most 50 years after the base year."""

MAX_TABLE_ROWS = 200
"""The most rows of a table parameter (livelihood programmes; a county has about a dozen)."""

# Thresholds whose order the rules rely on: (lower, upper) must hold lower <= upper.
ORDERED = (
    ("rules.cash_alarm_level", "rules.cash_low_level"),
    ("rules.cash_low_level", "rules.cash_idle_level"),
    ("rules.debt_ratio_warning", "rules.debt_ratio_high"),
    ("rules.cut_mandate_from", "rules.cut_mandate_to"),
)

TIERS = (
    "wages",
    "livelihood",
    "operations",
    "debt_service",
    "clearing",
    "key_projects",
    "non_rigid",
    "three_public",
)

# Lines a measure or a policy may change (万元, by month): revenue (+ = more revenue) and the
# planned spending of a tier (+ = more spending). Debt service is set by the debt ledger.
REVENUE_LINES = ("tax", "nontax", "general_transfers", "land_sales")
SPENDING_LINES = tuple(t for t in TIERS if t != "debt_service")
DELTA_LINES = REVENUE_LINES + SPENDING_LINES
# The revenue lines the Monte Carlo shocks and a stress test moves (shocks:, model.md §9).
SHOCK_LINES = REVENUE_LINES


@dataclass(frozen=True)
class ParamSpec:
    """What one parameter is: its path, unit, kind, labels and allowed range."""

    path: str
    unit: str
    kind: str
    label_zh: str
    label_en: str
    minimum: float | None = 0.0
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    integer: bool = False
    zero_allowed: bool = False  # a year parameter whose 0 means "not a year" (see its label)
    fields: dict = field(default_factory=dict)

    @property
    def upper(self) -> float | None:
        """The largest allowed value: ``maximum``, else the unit's (:data:`UNIT_MAXIMA`)."""
        return self.maximum if self.maximum is not None else UNIT_MAXIMA.get(self.unit)


KINDS = ("scalar", "yearly", "profile", "choice", "order", "table")
SCHEMA_FILE = "schema.yaml"
_UNIT, _KIND = Bilingual("单位", "unit"), Bilingual("类型", "kind")
_SPEC_KEYS = (
    {"unit", "kind", "label_zh", "label_en"},
    {"minimum", "maximum", "choices", "integer", "zero_allowed", "fields"},
)


def _number(reader, node, key: str):
    if node is not None and (isinstance(node, bool) or not isinstance(node, int | float)):
        raise reader.error(
            key,
            Bilingual(
                "应为数字或 null，实为 {got!r}", "expected a number or null, got {got!r}", got=node
            ),
        )
    return node


def _flag(reader, node, key: str) -> bool:
    if not isinstance(node, bool):
        raise reader.error(
            key,
            Bilingual(
                "应为 true 或 false，实为 {got!r}", "expected true or false, got {got!r}", got=node
            ),
        )
    return node


def _spec(reader, path: str, node, tables: dict, key: str) -> ParamSpec:
    node = reader.mapping(node, key, *_SPEC_KEYS)
    fields = {}
    if "fields" in node:
        fields = tables.get(node["fields"])
        if fields is None:
            raise reader.error(
                f"{key}.fields",
                Bilingual(
                    "没有这个表；表有 {tables}",
                    "names no table; tables are {tables}",
                    tables=list(tables),
                ),
            )
    choices = node.get("choices", [])
    if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
        raise reader.error(f"{key}.choices", Bilingual("应为词语列表", "expected a list of words"))
    return ParamSpec(
        path,
        reader.word(node["unit"], f"{key}.unit", UNITS, _UNIT),
        reader.word(node["kind"], f"{key}.kind", KINDS, _KIND),
        reader.text(node["label_zh"], f"{key}.label_zh"),
        reader.text(node["label_en"], f"{key}.label_en"),
        minimum=_number(reader, node.get("minimum", 0.0), f"{key}.minimum"),
        maximum=_number(reader, node.get("maximum"), f"{key}.maximum"),
        choices=tuple(choices),
        integer=_flag(reader, node.get("integer", False), f"{key}.integer"),
        zero_allowed=_flag(reader, node.get("zero_allowed", False), f"{key}.zero_allowed"),
        fields=fields,
    )


def load_schema(path=None) -> tuple[dict, tuple[ParamSpec, ...]]:
    """The tables' row fields and the parameters of ``path`` (default: ``schema.yaml``).

    Returns
    -------
    tables : dict
        ``{table: {field: (unit, label_zh, label_en)}}``.
    specs : tuple of ParamSpec
        In the file's order.

    Raises
    ------
    ScenarioError
        Naming the file, key path and line: an unknown or missing key, an unknown unit or
        kind, an empty label, a bound that is not a number, a table that is not defined.
    """
    reader = DataReader(path, SCHEMA_FILE)
    data = reader.mapping(reader.data, "", {"tables", "parameters"})
    tables = {}
    for table, table_fields in reader.mapping(data["tables"], "tables").items():
        tables[table] = {}
        for name, node in reader.mapping(table_fields, f"tables.{table}").items():
            key = f"tables.{table}.{name}"
            node = reader.mapping(node, key, {"unit", "label_zh", "label_en"})
            tables[table][name] = (
                reader.word(node["unit"], f"{key}.unit", UNITS, _UNIT),
                reader.text(node["label_zh"], f"{key}.label_zh"),
                reader.text(node["label_en"], f"{key}.label_en"),
            )
    parameters = reader.mapping(data["parameters"], "parameters")
    specs = tuple(
        _spec(reader, path, node, tables, f"parameters.{path}") for path, node in parameters.items()
    )
    return tables, specs


_TABLES, SPECS = load_schema()
"""Every parameter, read once from ``schema.yaml`` when this module is imported."""

PROGRAMME_FIELDS: dict[str, tuple[str, str, str]] = _TABLES["programmes"]
"""The fields of a livelihood programme row: ``{field: (unit, label_zh, label_en)}``."""

BY_PATH: dict[str, ParamSpec] = {spec.path: spec for spec in SPECS}

TABLE_PATHS = {spec.path for spec in SPECS if spec.kind == "table"}


def spec_for(path: str) -> ParamSpec | None:
    """The spec of ``path``: a schema parameter, or a field of a table row
    (``livelihood.programmes.<row>.<field>``); None when the path is unknown."""
    spec = BY_PATH.get(path)
    if spec is not None:
        return spec
    parts = path.split(".")
    table = ".".join(parts[:2])
    if table in TABLE_PATHS and len(parts) == 4 and parts[3] in PROGRAMME_FIELDS:
        unit, zh, en = PROGRAMME_FIELDS[parts[3]]
        maximum = 1.0 if unit == "fraction" else None
        return ParamSpec(path, unit, "scalar", zh, en, maximum=maximum)
    return None
