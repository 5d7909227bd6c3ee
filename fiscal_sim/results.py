"""Projection results: the arrays of one run and the tables people read from them.

:func:`project` runs the engine (:func:`fiscal_sim.engine.run`, a plain record of arrays) and
wraps its record in a :class:`Projection`. The projection presents itself (``str``,
``_repr_html_``, ``.plot``) through accessors that import :mod:`fiscal_sim.display` only when
called, as xarray's ``.plot`` does: this module itself imports nothing above it. pandas is
imported by the tables (``indicators()``, ``waterfall()`` …) when one is asked for, so a
projection alone (the Monte Carlo, a batch worker) never loads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from fiscal_sim._version import __version__
from fiscal_sim.engine import run
from fiscal_sim.engine.measures import TABLE_COLUMNS, measure_rows
from fiscal_sim.engine.treasury import CASH_CLASSES
from fiscal_sim.labels import INDICATORS
from fiscal_sim.params.schema import TIERS

if TYPE_CHECKING:  # pandas is imported by the tables, when one is asked for
    import pandas as pd

INDICATOR_COLUMNS = tuple(INDICATORS)

# Tidy lines of to_frame(): (book, line) read from projection.annual.
_TIDY_LINES = (
    ("gpb", "tax"),
    ("gpb", "nontax"),
    ("gpb", "rebates"),
    ("gpb", "general_transfers"),
    ("gpb", "earmarked_transfers"),
    ("gpb", "transfer_in"),
    ("gpb", "fund_draw"),
    ("gpb", "general_bond_new"),
    ("gpb", "stock_funds_recovered"),
    ("gpb", "remittance"),
    ("gpb", "earmarked_spending"),
    ("gpb", "surplus"),
    ("gpb", "gpb_expenditure"),
    ("gfb", "land_sales"),
    ("gfb", "other_fund_revenue"),
    ("gfb", "special_bond_new"),
    ("gfb", "land_acquisition"),
    ("gfb", "special_bond_projects"),
    ("gfb", "transfer_out"),
    ("gfb", "gfb_expenditure"),
    ("gfb", "gfb_balance"),
    ("advances", "legacy_advances"),
    ("advances", "legacy_recovered"),
    ("advances", "legacy_written_off"),
    ("advances", "new_advances_issued"),
    ("advances", "overdue_advances"),
    ("advances", "gap_cover_advances_stock"),
    ("advances", "advance_balance"),
    ("debt", "general_debt"),
    ("debt", "special_debt"),
    ("debt", "general_interest"),
    ("debt", "special_interest"),
    ("balances", "stabilization_fund"),
    ("balances", "cash_year_end"),
)


@dataclass(frozen=True)
class Projection:
    """One projection: arrays with a leading draw axis, and the tables read from them.

    ``annual[name]`` is (draws, years); ``tiers[name]`` is (draws, years, 8) in ``TIERS``
    order; ``months[name]`` is (draws, years, 12). Money in 万元.
    """

    scenario: object
    annual: dict
    tiers: dict
    months: dict
    base: dict
    seed: object = None
    extra: dict = field(default_factory=dict)

    @property
    def years(self) -> np.ndarray:
        return np.asarray(self.scenario.years)

    @property
    def base_year(self) -> int:
        return self.scenario.base_year

    @property
    def draws(self) -> int:
        return next(iter(self.annual.values())).shape[0]

    @property
    def meta(self) -> dict:
        """Scenario name, title, hash, files, fiscal_sim version, seed, draws and the overrides
        (``Scenario.changes``: what was changed in the scenario the title names)."""
        s = self.scenario
        return {
            "scenario": s.name,
            "title": s.title,
            "hash": s.hash,
            "files": list(s.files),
            "fiscal_sim_version": __version__,
            "seed": self.seed,
            "draws": self.draws,
            "overrides": [dict(change) for change in getattr(s, "changes", ())],
        }

    def indicators(self, draw: int = 0) -> pd.DataFrame:
        """One row per year with the key indicators (see :data:`fiscal_sim.labels.INDICATORS`)."""
        import pandas as pd

        frame = pd.DataFrame(
            {name: self.annual[name][draw] for name in INDICATOR_COLUMNS},
            index=pd.Index(self.years, name="year"),
        )
        return frame

    def waterfall(self, draw: int = 0) -> pd.DataFrame:
        """One row per year and tier: need, adopted budget, funded, shortfall, executed (万元)."""
        import pandas as pd

        years = len(self.years)
        return pd.DataFrame(
            {
                "year": np.repeat(self.years, len(TIERS)),
                "tier_no": np.tile(np.arange(1, len(TIERS) + 1), years),
                "tier": np.tile(TIERS, years),
                **{
                    name: self.tiers[name][draw].reshape(-1)
                    for name in ("need", "budget", "funded", "shortfall", "executed")
                },
            }
        )

    def monthly(self, draw: int = 0) -> pd.DataFrame:
        """One row per month: receipts, payments, cash, payroll, the cash cover class and the
        treasury anchor's adjustment (0 but in a re-forecast's closed months, model.md §11)."""
        import pandas as pd

        years = len(self.years)
        frame = pd.DataFrame(
            {
                "year": np.repeat(self.years, 12),
                "month": np.tile(np.arange(1, 13), years),
                **{
                    name: self.months[name][draw].reshape(-1)
                    for name in (
                        "receipts",
                        "payments",
                        "cash",
                        "payroll",
                        "cash_level",
                        "deferred_payments",
                        "cash_anchor_adjustment",
                    )
                },
            }
        )
        frame["wage_covered"] = self.months["wage_covered"][draw].reshape(-1) > 0.5
        classes = self.months["cash_class"][draw].reshape(-1).astype(int)
        frame["cash_class"] = np.asarray(CASH_CLASSES)[classes]
        return frame

    def monthly_tiers(self, draw: int = 0) -> pd.DataFrame:
        """One row per year, month and tier: the month's planned need and the cash paid, 万元.

        A tier pays its monthly need in the proportion its year was paid (the waterfall is
        annual). Tier 5 is left out: its write-offs move no cash and its arrears follow their
        own schedule (see ``months["payments"]``).

        Examples
        --------
        >>> import fiscal_sim
        >>> rows = fiscal_sim.project(fiscal_sim.load_scenario()).monthly_tiers()
        >>> june = rows.query("year == 2019 and month == 6 and tier == 'livelihood'")
        >>> round(float(june["need"].iloc[0]), 1)   # 31,500 in twelve equal parts
        2625.0
        """
        import pandas as pd

        need_by_tier = self.extra["monthly_need"]
        need, paid = self.tiers["need"][draw], self.tiers["paid"][draw]
        ratio = np.divide(paid, need, out=np.ones_like(need), where=need > 0)
        parts = []
        for tier_no, tier in enumerate(TIERS, start=1):
            if tier not in need_by_tier:
                continue
            months = need_by_tier[tier]
            months = months[draw if months.shape[0] > 1 else 0]
            parts.append(
                pd.DataFrame(
                    {
                        "year": np.repeat(self.years, 12),
                        "month": np.tile(np.arange(1, 13), len(self.years)),
                        "tier_no": tier_no,
                        "tier": tier,
                        "need": months.reshape(-1),
                        "paid": (months * ratio[:, tier_no - 1, None]).reshape(-1),
                    }
                )
            )
        frame = pd.concat(parts, ignore_index=True)
        return frame.sort_values(["year", "month", "tier_no"], ignore_index=True)

    def to_frame(self, draw: int = 0) -> pd.DataFrame:
        """Tidy table: year, month (0 for annual rows), book, tier, line, value in 万元."""
        import pandas as pd

        parts = []
        for book, line in _TIDY_LINES:
            parts.append(
                pd.DataFrame(
                    {
                        "year": self.years,
                        "month": 0,
                        "book": book,
                        "tier": "",
                        "line": line,
                        "value": self.annual[line][draw],
                    }
                )
            )
        waterfall = self.waterfall(draw)
        for name in ("need", "funded", "shortfall"):
            parts.append(
                pd.DataFrame(
                    {
                        "year": waterfall["year"],
                        "month": 0,
                        "book": "gpb",
                        "tier": waterfall["tier"],
                        "line": name,
                        "value": waterfall[name],
                    }
                )
            )
        monthly = self.monthly(draw)
        for name in ("receipts", "payments", "cash", "payroll", "deferred_payments"):
            parts.append(
                pd.DataFrame(
                    {
                        "year": monthly["year"],
                        "month": monthly["month"],
                        "book": "treasury",
                        "tier": "",
                        "line": name,
                        "value": monthly[name],
                    }
                )
            )
        return pd.concat(parts, ignore_index=True)

    @classmethod
    def from_run(cls, record, seed=None) -> Projection:
        """The projection of an :class:`~fiscal_sim.engine.EngineRun`; ``seed`` is metadata."""
        return cls(
            scenario=record.scenario,
            annual=record.annual,
            tiers=record.tiers,
            months=record.months,
            base=record.base,
            seed=seed,
            extra={"monthly_need": record.monthly_need},
        )

    # --- a stack's members (fiscal_sim.stack) -------------------------------------------
    def split(self) -> list[Projection]:
        """Each member's projection of a stacked scenario, in order (``[self]`` otherwise).

        The same, bit for bit, as each member projected alone: the arrays are the member's
        draw of the stack's (views, not copies). ``projection[i]`` and
        ``projection["name"]`` pick one.

        Examples
        --------
        >>> import fiscal_sim
        >>> from fiscal_sim.perturb import with_values
        >>> base = fiscal_sim.load_scenario()
        >>> more = with_values(base, {"people.staff": 5500})
        >>> both = fiscal_sim.project(fiscal_sim.stack([base, more]))
        >>> [round(float(p.annual["headcount"][0, 0])) for p in both.split()]
        [4975, 5472]
        >>> bool((both[1].months["cash"] == fiscal_sim.project(more).months["cash"]).all())
        True
        """
        return list(self._members) if self._members else [self]

    @cached_property
    def _members(self) -> tuple[Projection, ...]:
        """The projections of a stack's members, cut once (empty for one scenario)."""
        members = getattr(self.scenario, "members", ())
        count = len(members)

        def rows(arrays: dict) -> list[dict]:
            # Each array cut once into its draws (views), then one dict per member.
            cut = {
                name: list(array[:, None]) if array.shape[0] > 1 else [array] * count
                for name, array in arrays.items()
            }
            return [{name: draws[index] for name, draws in cut.items()} for index in range(count)]

        annual, tiers, months = rows(self.annual), rows(self.tiers), rows(self.months)
        needs = rows(self.extra["monthly_need"])
        base = {
            name: np.broadcast_to(given, (count,)).tolist() for name, given in self.base.items()
        }
        return tuple(
            Projection(
                scenario=member,
                annual=annual[index],
                tiers=tiers[index],
                months=months[index],
                base={name: values[index] for name, values in base.items()},
                seed=self.seed,
                extra={"monthly_need": needs[index]},
            )
            for index, member in enumerate(members)
        )

    def __getitem__(self, key) -> Projection:
        """A stacked member's projection, by position or by scenario name (:meth:`split`)."""
        if not self._members:
            raise TypeError("only a stacked projection is indexed by member (fiscal_sim.stack)")
        if isinstance(key, str):
            named = [part for part in self._members if part.scenario.name == key]
            if len(named) != 1:
                found = "no" if not named else f"{len(named)}"
                raise KeyError(f"{found} stacked scenario named {key!r}")
            return named[0]
        return self._members[key]

    def actuals(self, through=None, draw: int = 0) -> pd.DataFrame:
        """The months of one year this projection expects, in the actuals layout.

        What the treasury's figures are compared against, and the starting point of a
        re-forecast (:func:`fiscal_sim.actuals.plan.plan_months`; ``through="2020-06"``).
        """
        from fiscal_sim.actuals.plan import plan_months

        return plan_months(self, through, draw=draw)

    # --- presentation (rendering lives in fiscal_sim.display) ----------------------------
    @property
    def plot(self):
        """The charts of :mod:`fiscal_sim.plots`: ``projection.plot.advances()`` and so on."""
        from fiscal_sim.display import PlotAccessor

        return PlotAccessor(self)

    def __str__(self) -> str:
        from fiscal_sim.display import projection_text

        return projection_text(self)

    def __repr__(self) -> str:
        s = self.scenario
        head = f"<Projection {s.name} [{s.hash}] {s.years[0]}–{s.years[-1]}, {self.draws} draw(s)>"
        members = getattr(s, "members", ())
        if members:  # a stack: its members, each shown by split()
            names = ", ".join(member.name for member in members[:5])
            return f"{head}\nmembers: {names}{', …' if len(members) > 5 else ''}"
        return f"{head}\n{self}"

    def _repr_html_(self) -> str:
        from fiscal_sim.display import projection_html

        return projection_html(self)


def project(
    scenario, shocks=None, deltas=None, draws: int | None = None, seed=None, anchor=None
) -> Projection:
    """Project the county budget year by year and month by month.

    Parameters
    ----------
    scenario
        A :class:`~fiscal_sim.scenario.Scenario` from :func:`fiscal_sim.load_scenario`.
    shocks
        Optional ``{line: array (draws, years)}`` of shocks to log growth for
        ``tax, nontax, general_transfers, land_sales`` (the Monte Carlo enters here).
    deltas
        Optional ``{line: array ([draws,] years, 12)}`` in 万元 added to a revenue line
        (``tax, nontax, general_transfers, land_sales``) or to the planned spending of a tier
        (``wages, livelihood, operations, clearing, key_projects, non_rigid, three_public``).
    draws
        Number of identical draws when neither shocks nor deltas set it (default 1).
    seed
        Recorded in the result's metadata only; the engine itself draws nothing.
    anchor
        Optional treasury anchor ``{"cash": (years, 12), "deferred_payments": (years, 12)}``
        in 万元, NaN in the months the model follows: month-end cash and payments deferred
        where it is a number, the model from there on (:func:`fiscal_sim.engine.run`).

    Returns
    -------
    Projection
        The engine's arrays (:func:`fiscal_sim.engine.run`) and the tables read from them.

    Examples
    --------
    >>> import fiscal_sim
    >>> p = fiscal_sim.project(fiscal_sim.load_scenario())
    >>> ind = p.indicators()
    >>> round(ind.loc[2019, "legacy_advances"]), round(ind.loc[2023, "legacy_advances"])
    (13600, 0)
    >>> p.annual["tax"].shape
    (1, 7)
    """
    projection = Projection.from_run(run(scenario, shocks, deltas, draws, anchor), seed=seed)
    if anchor is not None:  # the state it started from, for its months (actuals.plan)
        projection.extra["anchor"] = anchor
    return projection


def measure_table(scenario) -> pd.DataFrame:
    """What each listed measure cost or forwent, one row per measure and projection year.

    Columns: ``measure, clause, label_zh, label_en, kind`` (revenue or spending), ``line``,
    ``year``, ``amount_wan`` (万元; revenue forgone negative, spending positive). A scenario
    without measures gives an empty table with these columns.

    Examples
    --------
    >>> from fiscal_sim import load_scenario
    >>> table = measure_table(load_scenario("covid-2020"))
    >>> row = table[(table.measure == "vat_small_scale") & (table.year == 2020)].iloc[0]
    >>> row.line, round(float(row.amount_wan), 2)
    ('tax', -300.0)
    """
    import pandas as pd

    return pd.DataFrame(measure_rows(scenario), columns=list(TABLE_COLUMNS))
