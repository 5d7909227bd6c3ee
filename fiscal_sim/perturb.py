"""A scenario with some parameter values replaced, for the analyses that perturb one.

Goal-seek (parameter levers) and sensitivity run the engine on copies of a scenario in which
a few values differ. :func:`with_values` makes such a copy without going back to YAML: the
values are the analysis's own (in range by construction), so they are not re-validated; the
copy's hash records what changed, so every figure stays traceable.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json

import numpy as np

from fiscal_sim.params.values import freeze


def with_values(scenario, values: dict):
    """A copy of ``scenario`` with ``values`` (``{path: value}``) in place of its own.

    Examples
    --------
    >>> import fiscal_sim
    >>> base = fiscal_sim.load_scenario()
    >>> more = with_values(base, {"people.staff": 5500})
    >>> more.value("people.staff"), base.value("people.staff"), more.hash != base.hash
    (5500, 5000, True)
    """
    params = dict(scenario._params)
    changes = {}
    for path, value in values.items():
        old = scenario.param(path)
        if isinstance(old.value, np.ndarray):
            value = np.broadcast_to(np.asarray(value, dtype=float), old.value.shape).copy()
        params[path] = dataclasses.replace(old, value=freeze(value))
        changes[path] = value.tolist() if isinstance(value, np.ndarray) else value
    text = json.dumps([scenario.hash, changes], sort_keys=True, default=str)
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    return dataclasses.replace(scenario, _params=params, hash=digest)
