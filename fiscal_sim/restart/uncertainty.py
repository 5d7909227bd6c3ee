"""The uncertainty of the remaining months only: a Monte Carlo run of a re-forecast.

The scenario's shocks (:mod:`fiscal_sim.stochastic`) act from the budget year of the actuals
on; the years before are the plan's. In the budget year each draw's closed months are made
the treasury's by their own deltas (:func:`~fiscal_sim.restart.inputs.restart_deltas`
against that draw's shocked plan), their cash, payments and stocks by the treasury anchor,
the same in every draw, and their months in the actuals layout are the treasury's
(:func:`~fiscal_sim.restart.inputs.closed_months`): the year's shock falls on the months
left. The draws
come from :func:`fiscal_sim.simulate` through its ``projector``, with the same seed handling.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from fiscal_sim.actuals.layout import month_text
from fiscal_sim.restart.inputs import closed_year

FAN_LEVELS = (0.05, 0.25, 0.5, 0.75, 0.95)


def remaining_months(scenario, actuals, baseline, draws: int, seed):
    """``(ensemble, cash_fan)``: the Monte Carlo of the months after ``actuals.as_of``.

    ``cash_fan`` has one row per month from the last closed one to December: month, the
    re-forecast's cash and the quantiles of month-end cash over the draws (``q05`` …
    ``q95``), in 万元. The fan opens from a point: the last closed month's cash is the
    treasury's in every draw.
    """
    import fiscal_sim
    from fiscal_sim.restart import restarted
    from fiscal_sim.results import project

    t = closed_year(scenario, actuals)
    cash: list[np.ndarray] = []

    def projector(shocks):
        if shocks is None:
            return baseline
        shocks = {line: np.array(values, dtype=float) for line, values in shocks.items()}
        for values in shocks.values():
            values[:, :t] = 0.0  # the years before the budget year are the plan's
        plan = project(scenario, shocks=shocks)
        projection = restarted(scenario, actuals, plan, shocks=shocks)
        cash.append(projection.months["cash"][:, t, actuals.as_of - 1 :])
        return projection

    ensemble = fiscal_sim.simulate(scenario, draws=draws, seed=seed, projector=projector)
    months = np.concatenate(cash, axis=0)
    fan = pd.DataFrame(
        np.quantile(months, FAN_LEVELS, axis=0).T,
        columns=[f"q{round(level * 100):02d}" for level in FAN_LEVELS],
    )
    fan.insert(0, "reforecast", baseline.months["cash"][0, t, actuals.as_of - 1 :])
    fan.insert(0, "month", [month_text(actuals.year, m) for m in range(actuals.as_of, 13)])
    return ensemble, fan
