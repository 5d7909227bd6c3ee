"""Several scenarios side by side: :func:`compare` and the :class:`Comparison` it returns.

A comparison projects each scenario once, checks the plan's rules on each, and presents the
key indicators and the rules breached side by side (text and HTML show the same tables,
:mod:`fiscal_sim.display`). ``to_frame()`` is the table the ``compare`` command prints:
indexed by (indicator, year), one column per scenario and one ``B − A`` column per later
scenario.

Examples
--------
>>> import fiscal_sim
>>> comparison = compare("default", "slow-digestion")
>>> comparison.names
('default', 'slow-digestion')
>>> comparison.to_frame().loc[("legacy_advances", 2023)].round(1).to_dict()
{'default': 0.0, 'slow-digestion': 8500.0, 'slow-digestion − default': 8500.0}
>>> comparison.breach_years().loc["legacy_cleared", "slow-digestion"]
'2023–2025'
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

DEFAULT_INDICATOR = "advance_ratio"
"""The indicator the comparison's inline chart and :meth:`Comparison.plot` show by default."""


def _projection(item):
    """A projection from a projection, a scenario, a bundled name or a YAML path."""
    if hasattr(item, "annual") and hasattr(item, "indicators"):
        return item
    from fiscal_sim.results import project

    if isinstance(item, str | Path):
        from fiscal_sim.scenario import load_scenario

        item = load_scenario(item)
    if not hasattr(item, "years") or not hasattr(item, "param"):
        raise TypeError(
            "compare takes projections, scenarios, bundled scenario names or YAML paths, "
            f"not {type(item).__name__}"
        )
    return project(item)


def year_ranges(years) -> str:
    """Years as compact ranges.

    Examples
    --------
    >>> year_ranges([2019, 2020, 2023, 2024, 2025]), year_ranges([2021]), year_ranges([])
    ('2019–2020, 2023–2025', '2021', '')
    """
    from fiscal_sim.numbers import year_ranges as ranges

    return ranges(years, "en")


def side_by_side(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Indicator tables of several scenarios side by side, with differences to the first.

    Each frame is indexed by year with one column per indicator. The result is indexed by
    (indicator, year), with one column per scenario and one ``B − A`` column per later one.

    Examples
    --------
    >>> year = pd.Index([2019], name="year")
    >>> a = pd.DataFrame({"headcount": [4975.0]}, index=year)
    >>> b = pd.DataFrame({"headcount": [4800.0]}, index=year)
    >>> side_by_side({"a": a, "b": b}).to_dict("index")
    {('headcount', 2019): {'a': 4975.0, 'b': 4800.0, 'b − a': -175.0}}
    """
    names = list(frames)
    stacked = {
        name: frame.rename_axis(index="year", columns="indicator").T.stack()
        for name, frame in frames.items()
    }
    table = pd.DataFrame(stacked)
    first = names[0]
    for name in names[1:]:
        table[f"{name} − {first}"] = table[name] - table[first]
    table.index.names = ["indicator", "year"]
    return table


def _unique_names(projections) -> list[str]:
    """Scenario names; a name shared by different scenarios (two ``--set`` variants of one
    file) gets each one's hash, and the very same scenario twice gets ``#2``."""
    names = [projection.scenario.name for projection in projections]
    hashes: dict[str, set] = {}
    for name, projection in zip(names, projections, strict=True):
        hashes.setdefault(name, set()).add(projection.scenario.hash)
    names = [
        f"{name} [{projection.scenario.hash}]" if len(hashes[name]) > 1 else name
        for name, projection in zip(names, projections, strict=True)
    ]
    seen: dict[str, int] = {}
    unique = []
    for name in names:  # the very same scenario twice
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name} #{seen[name]}")
    return unique


def compare(*scenarios_or_projections, names=None, draw: int = 0) -> Comparison:
    """Compare scenarios side by side.

    Parameters
    ----------
    *scenarios_or_projections
        Two or more (one is allowed) projections, loaded scenarios, bundled scenario names or
        YAML paths, in the order to show them; the first is the reference for differences.
        A single list or dict of them works too (a dict's keys are the names).
    names : list of str, optional
        What to call each one (default: the scenario names; a name that appears twice gets
        the scenario hash).
    draw : int
        Which draw of each projection to compare (0 for deterministic runs).

    Returns
    -------
    Comparison
    """
    items = scenarios_or_projections
    if len(items) == 1 and isinstance(items[0], Mapping):
        if names is not None:
            raise ValueError("give names either as the dict's keys or as names=, not both")
        names, items = list(items[0]), list(items[0].values())
    elif len(items) == 1 and isinstance(items[0], list | tuple):
        items = items[0]
    if not items:
        raise ValueError("compare needs at least one scenario or projection")
    projections = [_projection(item) for item in items]
    if names is None:
        names = _unique_names(projections)
    names = [str(name) for name in names]
    if len(names) != len(projections):
        raise ValueError(f"{len(names)} names for {len(projections)} scenarios")
    if len(set(names)) != len(names):
        raise ValueError(f"names must differ, got {names}")
    return Comparison(dict(zip(names, projections, strict=True)), draw=draw)


class Comparison:
    """Projections of several scenarios, their findings, and the tables that compare them.

    Attributes
    ----------
    names : tuple of str
        The scenarios' names, the reference (first) one first.
    projections : dict
        Name -> :class:`~fiscal_sim.results.Projection`.
    """

    def __init__(self, projections: Mapping, draw: int = 0):
        self.projections = dict(projections)
        self.names = tuple(self.projections)
        self.draw = draw
        self._findings: dict | None = None

    # --- data ---------------------------------------------------------------------------------
    @property
    def findings(self) -> dict:
        """Name -> :class:`~fiscal_sim.rules.findings.Findings` (computed once)."""
        if self._findings is None:
            from fiscal_sim.rules import check

            self._findings = {
                name: check(projection, draw=self.draw)
                for name, projection in self.projections.items()
            }
        return self._findings

    def indicators(self, name: str) -> pd.DataFrame:
        """The ``indicators()`` table of one scenario."""
        return self.projections[name].indicators(self.draw)

    def to_frame(self, indicators=None) -> pd.DataFrame:
        """Indexed by (indicator, year): one column per scenario, then ``B − A`` differences.

        ``indicators`` limits the rows to some indicators (default: all of them).
        """
        frames = {name: self.indicators(name) for name in self.names}
        if indicators is not None:
            wanted = [indicators] if isinstance(indicators, str) else list(indicators)
            frames = {name: frame[wanted] for name, frame in frames.items()}
        return side_by_side(frames)

    def breach_years(self) -> pd.DataFrame:
        """Rules breached in any scenario: clause and, per scenario, the years breached.

        Indexed by rule (in the plan's order); years as compact ranges (``2019–2020``), an
        empty string where the scenario keeps the rule.
        """
        from fiscal_sim.rules import RULE_ORDER, RULES

        years: dict[str, dict[str, list[int]]] = {}
        for name, findings in self.findings.items():
            frame = findings.to_frame()
            breaches = frame[frame["severity"] == "breach"]
            for rule_id, rule_rows in breaches.groupby("rule", sort=False):
                years.setdefault(rule_id, {})[name] = list(rule_rows["year"])
        rules = [rule_id for rule_id in RULE_ORDER if rule_id in years]
        rules += [rule_id for rule_id in years if rule_id not in rules]
        table = pd.DataFrame(
            {
                "clause": [RULES[r].clause if r in RULES else "" for r in rules],
                **{
                    name: [year_ranges(years[r].get(name, ())) for r in rules]
                    for name in self.names
                },
            },
            index=pd.Index(rules, name="rule"),
        )
        return table

    # --- presentation -------------------------------------------------------------------------
    def view(self, lang: str | None = None):
        """The :class:`~fiscal_sim.display.View` that ``str`` and ``_repr_html_`` render."""
        from fiscal_sim.display import comparison_view

        return comparison_view(self, lang)

    def plot(self, indicator: str = DEFAULT_INDICATOR, ax=None, **options):
        """One indicator by year, one line per scenario (:func:`fiscal_sim.plots.compare`)."""
        from fiscal_sim import plots

        options.setdefault("draw", self.draw)
        return plots.compare(self.projections, indicator, ax, **options)

    def to_text(self, lang: str | None = None) -> str:
        """The comparison as text (the same tables as the HTML view)."""
        from fiscal_sim.display import comparison_text

        return comparison_text(self, lang)

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return f"<Comparison of {len(self.names)}: {', '.join(self.names)}>\n{self.to_text()}"

    def _repr_html_(self) -> str:
        from fiscal_sim.display import comparison_html

        return comparison_html(self)
