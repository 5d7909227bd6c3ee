"""Top-down allocation of resources to needs (the 三保 waterfall, model.md §3)."""

from __future__ import annotations

import numpy as np


def allocate(needs: np.ndarray, resources: np.ndarray, order) -> np.ndarray:
    """Fund ``needs`` from ``resources`` in priority ``order``; a tier gets what those above left.

    Parameters
    ----------
    needs
        Shape ``(draws, tiers)``, non-negative.
    resources
        Shape ``(draws,)``; a negative value funds nothing.
    order
        Tier indices, highest priority first.

    Returns
    -------
    numpy.ndarray
        Funded amounts, shape ``(draws, tiers)``; ``0 <= funded <= needs``.

    Examples
    --------
    >>> allocate(np.array([[60.0, 30.0, 20.0]]), np.array([80.0]), [0, 1, 2])
    array([[60., 20.,  0.]])
    >>> allocate(np.array([[60.0, 30.0, 20.0]]), np.array([80.0]), [2, 0, 1])
    array([[60.,  0., 20.]])
    """
    funded = np.zeros_like(needs)
    remaining = np.maximum(resources, 0.0).astype(float)
    for tier in order:
        funded[:, tier] = np.minimum(needs[:, tier], remaining)
        remaining = remaining - funded[:, tier]
    return funded
