"""Re-forecast on actuals: the projection restarted from the end of the last closed month.

:func:`reforecast` reads the treasury's months (an actuals file or a read
:class:`~fiscal_sim.actuals.reader.Actuals`), turns them into the engine's inputs
(:mod:`~fiscal_sim.restart.inputs`: unforeseen deltas for the closed months and the treasury
anchor) and projects the scenario with them: the remaining months and the later years by the
model. The result's ``projection`` is an ordinary :class:`~fiscal_sim.results.Projection`
(checks, charts, reports, ``actuals()`` work on it as on any); :class:`Reforecast` adds the
tables of the monthly review (:mod:`~fiscal_sim.restart.outlook`). With ``draws`` the
uncertainty is that of the remaining months only (:mod:`~fiscal_sim.restart.uncertainty`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from fiscal_sim.restart.inputs import (
    closed_months,
    closed_year,
    restart_deltas,
    treasury_anchor,
)

__all__ = ["Reforecast", "reforecast", "restarted"]


@dataclass(frozen=True)
class Reforecast:
    """A re-forecast: the restarted projection, the plan it departs from, the actuals.

    ``ensemble`` (with draws) is a :class:`~fiscal_sim.ensemble.Ensemble` of the remaining
    months' uncertainty and ``cash_fan`` the quantiles of month-end cash from the last closed
    month (the treasury's, one point) to December.
    """

    projection: object
    plan: object
    actuals: object
    ensemble: object = None
    cash_fan: object = None

    @property
    def year(self) -> int:
        return self.actuals.year

    @property
    def as_of(self) -> str:
        return self.actuals.as_of_text

    def outturn(self, lang=None):
        """The year's outturn estimate against the plan, by receipt line and payment tier."""
        from fiscal_sim.restart.outlook import outturn

        return outturn(self, lang)

    def year_end(self, lang=None):
        """Year-end figures of the plan and of the re-forecast, with the change."""
        from fiscal_sim.restart.outlook import year_end

        return year_end(self, lang)

    def progress(self, lang=None):
        """Execution progress (支出进度) by tier against the time elapsed."""
        from fiscal_sim.restart.outlook import progress

        return progress(self, lang)

    def cash_alerts(self, lang=None):
        """The months ahead where cash falls below the normal 库款 class or payroll is at risk."""
        from fiscal_sim.restart.outlook import cash_alerts

        return cash_alerts(self, lang)

    def cuts_not_absorbed(self, lang=None):
        """The tiers whose closed months paid more than the year's payments after the cut,
        each with a warning: what the months left cannot absorb."""
        from fiscal_sim.restart.outlook import cuts_not_absorbed

        return cuts_not_absorbed(self, lang)

    def rules(self, lang=None):
        """The rules breached or at risk in the year, re-forecast and in the plan."""
        from fiscal_sim.restart.outlook import rules

        return rules(self, lang)


def restarted(scenario, actuals, plan, shocks=None):
    """The projection of ``scenario`` restarted from ``actuals`` (the engine's own inputs).

    ``plan`` is the projection the closed months are measured against, made with the same
    ``shocks`` (each draw gets its own deltas). The anchor
    (:func:`~fiscal_sim.restart.inputs.treasury_anchor`) sets the closed months' month-end
    cash and payments deferred, payroll cover, tier payments and advance balances to the
    actuals' in every draw (what moved cash on lines the deltas do not track is in
    ``months["cash_anchor_adjustment"]``), and the months after follow the model from the
    last one. The re-forecast records its deltas in
    ``extra["deltas"]`` and the actuals' file, as-of month and closed months in
    ``extra["actuals"]`` (:func:`~fiscal_sim.restart.inputs.closed_months`: the projection's
    months in the actuals layout are the treasury's in every draw).
    """
    from fiscal_sim.actuals.plan import projection_deltas
    from fiscal_sim.results import project

    deltas = restart_deltas(plan, actuals)
    projection = project(
        scenario, shocks=shocks, deltas=deltas, anchor=treasury_anchor(plan, actuals)
    )
    recorded = dict(projection_deltas(plan))
    for line, delta in deltas.items():
        recorded[line] = recorded.get(line, 0.0) + delta
    extra = {
        **projection.extra,
        "deltas": recorded,
        "actuals": {
            "file": actuals.file,
            "as_of": actuals.as_of_text,
            "closed": closed_months(plan, actuals),
        },
    }
    return dataclasses.replace(projection, extra=extra)


def reforecast(scenario, actuals, *, draws: int | None = None, seed=None) -> Reforecast:
    """Restart ``scenario`` from the end of the last closed month of ``actuals``.

    Parameters
    ----------
    scenario
        A loaded scenario: the plan the year was budgeted on.
    actuals
        An actuals file (``.xlsx`` or ``.csv``) or a read
        :class:`~fiscal_sim.actuals.reader.Actuals`.
    draws, seed
        With ``draws``, a Monte Carlo run of the remaining months only: the scenario's shocks
        from the month after the last closed one on (the years before are the plan's, the
        closed months the treasury's).

    Returns
    -------
    Reforecast

    Examples
    --------
    >>> import fiscal_sim
    >>> scenario = fiscal_sim.load_scenario("plan-followed")
    >>> plan = fiscal_sim.project(scenario)
    >>> again = fiscal_sim.reforecast(scenario, plan.actuals(through="2020-06"))
    >>> float(abs(again.projection.months["cash"] - plan.months["cash"]).max()) < 1e-6
    True
    """
    from fiscal_sim.results import project

    actuals = _as_actuals(actuals)
    closed_year(scenario, actuals)
    plan = project(scenario)
    projection = restarted(scenario, actuals, plan)
    if draws is None:
        return Reforecast(projection, plan, actuals)
    from fiscal_sim.restart.uncertainty import remaining_months

    ensemble, fan = remaining_months(scenario, actuals, projection, draws, seed)
    return Reforecast(projection, plan, actuals, ensemble, fan)


def _as_actuals(actuals):
    """A read :class:`Actuals`: a path is read; a DataFrame (``projection.actuals()``) is
    taken as the months it holds."""
    from fiscal_sim.actuals.reader import Actuals, read_actuals

    if isinstance(actuals, Actuals):
        return actuals
    if hasattr(actuals, "attrs") and "as_of" in getattr(actuals, "attrs", {}):
        year, month = (int(part) for part in actuals.attrs["as_of"].split("-"))
        return Actuals(file="<DataFrame>", year=year, as_of=month, frame=actuals)
    return read_actuals(actuals)
