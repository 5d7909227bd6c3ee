"""fiscal_sim: a county budget simulator for 保基层运转 (keeping basic-level government running).

The public API is small and imported lazily, so that ``fiscal-sim --help`` stays quick:

- :func:`load_scenario` reads and validates a scenario (a bundled name or a YAML path);
- :func:`project` runs the pure engine and wraps its arrays in a
  :class:`~fiscal_sim.results.Projection`;
- :func:`stack` stacks scenarios with the same horizon, projected in one engine call;
- :func:`check` evaluates the plan's rules on a projection (findings, never exceptions);
- :func:`reforecast` restarts a projection from the treasury's actual months;
- :func:`batch` runs many counties (in this process or on a Dask cluster) and ranks them;
- :func:`list_scenarios` names the bundled scenarios.

Examples
--------
>>> import fiscal_sim
>>> scenario = fiscal_sim.load_scenario()          # the bundled default county
>>> result = fiscal_sim.project(scenario)
>>> round(float(result.indicators().loc[2019, "headcount"]))
4975
"""

from fiscal_sim._version import __version__

__all__ = [
    "Policy",
    "ScenarioError",
    "__version__",
    "assess",
    "batch",
    "check",
    "compare",
    "get_lang",
    "goal_seek",
    "list_scenarios",
    "load_policy",
    "load_scenario",
    "project",
    "reforecast",
    "reverse_stress",
    "sensitivity",
    "set_lang",
    "simulate",
    "stack",
    "stress",
]

_LAZY = {
    "load_scenario": ("fiscal_sim.scenario", "load_scenario"),
    "list_scenarios": ("fiscal_sim.scenario", "list_scenarios"),
    "project": ("fiscal_sim.results", "project"),
    "reforecast": ("fiscal_sim.restart", "reforecast"),
    "check": ("fiscal_sim.rules", "check"),
    "assess": ("fiscal_sim.affordability", "assess"),
    "load_policy": ("fiscal_sim.policy", "load_policy"),
    "Policy": ("fiscal_sim.policy", "Policy"),
    "compare": ("fiscal_sim.comparison", "compare"),
    "set_lang": ("fiscal_sim.labels", "set_lang"),
    "get_lang": ("fiscal_sim.labels", "get_lang"),
    "ScenarioError": ("fiscal_sim.errors", "ScenarioError"),
    "simulate": ("fiscal_sim.stochastic", "simulate"),
    "stack": ("fiscal_sim.stacking", "stack"),
    "stress": ("fiscal_sim.stress_tests", "stress"),
    "reverse_stress": ("fiscal_sim.solve", "reverse_stress"),
    "goal_seek": ("fiscal_sim.goalseek", "goal_seek"),
    "sensitivity": ("fiscal_sim.sweep", "sensitivity"),
    "batch": ("fiscal_sim.batch", None),  # the package itself, callable as its ``run``
}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        module_name, attribute = _LAZY[name]
        module = importlib.import_module(module_name)
        value = module if attribute is None else getattr(module, attribute)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'fiscal_sim' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
