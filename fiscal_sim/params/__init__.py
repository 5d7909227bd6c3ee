"""Parameter schema (units, labels, kinds) and the Param record carried by every value."""

from fiscal_sim.params.schema import BY_PATH, SPECS, TIERS, UNITS, ParamSpec

__all__ = ["BY_PATH", "SPECS", "TIERS", "UNITS", "ParamSpec"]
