"""Tier positions in the ``projection.tiers`` arrays."""

from __future__ import annotations

from fiscal_sim.params.schema import TIERS

__all__ = ["TIERS", "tier_index"]


def tier_index(tier: str) -> int:
    """Position of a tier on the last axis of ``projection.tiers[...]``."""
    return TIERS.index(tier)
