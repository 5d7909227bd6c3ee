"""The catalogue of six-guarantee measures: :class:`Measure`, read from ``measures.yaml``.

The catalogue is data, ``measures.yaml`` beside this module (its header says how an entry
reads). :func:`load_catalogue` reads it with the strict YAML loader of every input and checks
it key by key: a broken entry is a :class:`~fiscal_sim.errors.ScenarioError` naming the file,
the key path and the line. ``CATALOGUE`` (or :func:`measure_catalogue`) is read once, on
first use: a scenario without measures, and ``fiscal-sim --help``, parse no catalogue. How a
measure becomes money is one small function per measure in :mod:`fiscal_sim.engine.measures`;
a scenario's ``measures:`` section is checked against the catalogue in
:mod:`fiscal_sim.params.measures`.

Examples
--------
>>> measure_catalogue()["vat_small_scale"].figures["rate_after"].value
0.01
>>> [q.name for q in measure_catalogue()["hiring_bonus"].quantities]
['persons_6m', 'persons_12m', 'county_share']
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from fiscal_sim.errors import Bilingual
from fiscal_sim.params.datafile import DataReader, as_tuple
from fiscal_sim.params.schema import DELTA_LINES, REVENUE_LINES, UNITS

# Units of the catalogue's own figures, beyond the schema's closed list.
FIGURE_UNITS = {
    **UNITS,
    "yuan_per_person": ("元/人", "yuan per person (one-off)"),
    "calendar_months": ("月份", "calendar months (1-12)"),
}

MONTHS_A_YEAR = 12


@dataclass(frozen=True)
class Figure:
    """A figure the plan fixes: value, unit and the clause it comes from (or *assumption*)."""

    value: object
    unit: str
    source: str


@dataclass(frozen=True)
class Quantity:
    """A quantity the county bureau supplies for a measure.

    A number (never negative, at most ``maximum``), or, for the timing the plan leaves open,
    calendar months: one month (``kind="month"``) or a list of months (``kind="months"``,
    ``count`` of them when the plan fixes how many, all ``within`` a span the plan gives).
    A quantity with a ``default`` is optional: the default is the catalogue's *assumption*,
    and a scenario may replace it with the county's own timing.
    """

    name: str
    unit: str
    label_zh: str
    label_en: str
    maximum: float | None = None
    kind: str = "number"
    default: Figure | None = None
    count: int | None = None
    within: tuple[int, int] = (1, 12)

    @property
    def optional(self) -> bool:
        return self.default is not None


@dataclass(frozen=True)
class Measure:
    """One fiscal measure of the plan: clause, labels, budget line, figures and quantities.

    ``line`` is the revenue line (``+`` = more revenue) or spending tier (``+`` = more planned
    spending) its money lands on. ``at_most`` pairs quantities that may not exceed another
    (a subset of persons). ``parameters`` names the scenario parameters that already carry the
    measure in the engine (then the measure adds no delta and only shows in the measure table).
    """

    id: str
    clause: str
    label_zh: str
    label_en: str
    line: str
    quantities: tuple[Quantity, ...]
    figures: dict[str, Figure]
    method: str
    at_most: dict[str, str] = field(default_factory=dict)
    parameters: tuple[str, ...] = ()
    within_year: tuple[tuple[str, str], ...] = ()

    def __post_init__(self):
        # An optional timing quantity's default is also the figure the rules read when a
        # scenario leaves it out: written once, in the quantity.
        for quantity in self.quantities:
            if quantity.optional:
                self.figures.setdefault(quantity.name, quantity.default)

    @property
    def kind(self) -> str:
        """``"revenue"`` or ``"spending"``."""
        return "revenue" if self.line in REVENUE_LINES else "spending"

    def quantity(self, name: str) -> Quantity:
        return next(q for q in self.quantities if q.name == name)

    def figure_values(self, quantities: dict | None = None) -> dict:
        """The figures a rule reads: the catalogue's, with the timing a scenario set.

        ``quantities`` maps quantity names to values (as ``q`` in
        :mod:`fiscal_sim.engine.measures`); an optional quantity given there replaces the
        catalogue's assumption of the same name.

        Examples
        --------
        >>> measure = measure_catalogue()["startup_grant"]
        >>> measure.figure_values()["pay_months"], measure.figure_values({"pay_months": (10,)})[
        ...     "pay_months"
        ... ]
        ((9, 10, 11, 12), (10,))
        """
        values = {name: figure.value for name, figure in self.figures.items()}
        for quantity in self.quantities:
            if quantity.optional and quantities and quantity.name in quantities:
                values[quantity.name] = quantities[quantity.name]
        return values


# -- the catalogue, read from measures.yaml ------------------------------------------------------

CATALOGUE_FILE = "measures.yaml"
_UNIT = Bilingual("单位", "unit")
_FIGURE_KEYS = {"value", "unit", "source"}
_QUANTITY_KEYS = ({"unit", "label_zh", "label_en"}, {"maximum", "count", "within", "default"})
_MEASURE_KEYS = (
    {"clause", "label_zh", "label_en", "line", "quantities", "figures", "method"},
    {"at_most", "within_year", "parameters"},
)


class _Reader(DataReader):
    """Checks the catalogue file node by node; errors name the file, key path and line."""

    def figure(self, node, key: str, units=FIGURE_UNITS) -> Figure:
        node = self.mapping(node, key, _FIGURE_KEYS)
        self.word(node["unit"], f"{key}.unit", units, _UNIT)
        return Figure(
            as_tuple(node["value"]), node["unit"], self.text(node["source"], f"{key}.source")
        )

    def named(self, node, figures: dict, key: str):
        """A number written in the file, or the value of the measure's figure it names."""
        if isinstance(node, str):
            if node not in figures:
                raise self.error(
                    key,
                    Bilingual(
                        "不是该措施的数值；数值有 {figures}",
                        "names no figure of the measure; figures are {figures}",
                        figures=list(figures),
                    ),
                )
            return figures[node].value
        return as_tuple(node)

    def quantity(self, name: str, node, figures: dict, key: str) -> Quantity:
        node = self.mapping(node, key, *_QUANTITY_KEYS)
        default = node.get("default")
        if default is not None:
            default = self.figure(default, f"{key}.default")
        units = FIGURE_UNITS if default is not None else UNITS
        self.word(node["unit"], f"{key}.unit", units, _UNIT)
        kind = "number"
        if default is not None:
            kind = "months" if isinstance(default.value, tuple) else "month"
        return Quantity(
            name,
            node["unit"],
            self.text(node["label_zh"], f"{key}.label_zh"),
            self.text(node["label_en"], f"{key}.label_en"),
            maximum=self.named(node.get("maximum"), figures, f"{key}.maximum"),
            kind=kind,
            default=default,
            count=self.named(node.get("count"), figures, f"{key}.count"),
            within=self.named(node.get("within", [1, MONTHS_A_YEAR]), figures, f"{key}.within"),
        )

    def measure(self, measure_id: str, node, key: str) -> Measure:
        node = self.mapping(node, key, *_MEASURE_KEYS)
        self.word(node["line"], f"{key}.line", DELTA_LINES, Bilingual("预算项目", "budget line"))
        figures = {
            name: self.figure(figure, f"{key}.figures.{name}")
            for name, figure in self.mapping(node["figures"], f"{key}.figures").items()
        }
        quantities = tuple(
            self.quantity(name, quantity, figures, f"{key}.quantities.{name}")
            for name, quantity in self.mapping(node["quantities"], f"{key}.quantities").items()
        )
        names = {q.name for q in quantities}
        at_most = node.get("at_most") or {}
        within_year = as_tuple(node.get("within_year") or [])
        for pair in [*at_most.items(), *within_year]:
            for name in pair:
                if name not in names:
                    raise self.error(
                        key,
                        Bilingual(
                            "{name!r} 不是 {measure} 的数量",
                            "{name!r} is not a quantity of {measure}",
                            name=name,
                            measure=measure_id,
                        ),
                    )
        return Measure(
            measure_id,
            self.text(node["clause"], f"{key}.clause"),
            self.text(node["label_zh"], f"{key}.label_zh"),
            self.text(node["label_en"], f"{key}.label_en"),
            node["line"],
            quantities,
            figures,
            self.text(node["method"], f"{key}.method"),
            at_most=dict(at_most),
            parameters=as_tuple(node.get("parameters") or []),
            within_year=within_year,
        )


def load_catalogue(path=None) -> dict[str, Measure]:
    """The measures of ``path`` (default: the bundled ``measures.yaml``), checked.

    Raises
    ------
    ScenarioError
        Naming the file, the key path and line: an unknown or missing key, an unknown unit or
        budget line, an empty source or label, a name that is not a figure or quantity.
    """
    reader = _Reader(path, CATALOGUE_FILE)
    data = reader.mapping(reader.data, "", {"measures"}, {"shared"})
    measures = reader.mapping(data["measures"], "measures")
    return {
        measure_id: reader.measure(measure_id, node, f"measures.{measure_id}")
        for measure_id, node in measures.items()
    }


@functools.cache
def measure_catalogue() -> dict[str, Measure]:
    """Every measure by id, read from the bundled ``measures.yaml`` on first use, then kept."""
    return load_catalogue()


def __getattr__(name: str):
    # CATALOGUE is read on first use, so that loading a scenario without measures (and
    # `fiscal-sim --help`) parses no catalogue.
    if name == "CATALOGUE":
        return measure_catalogue()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
