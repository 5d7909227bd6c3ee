"""A workbook as the YAML overlay it stands for (``fiscal-sim convert county.xlsx -o x.yaml``).

The mapping comes from :func:`fiscal_sim.scenario.read_overlay`; the other direction, YAML to
workbook, is :func:`fiscal_sim.workbook.writer.write_template`.
"""

from __future__ import annotations

import yaml

from fiscal_sim._version import __version__


def overlay_yaml(data: dict, made_from: str) -> str:
    """The YAML text of an overlay mapping, leaves on one line as in the bundled files.

    Examples
    --------
    >>> leaf = {"value": {2019: 0.05, 2020: 0.02}, "unit": "fraction", "source": "bureau"}
    >>> print(overlay_yaml({"extends": "default", "revenue": {"nominal_growth": leaf}}, "c.xlsx"))
    # Converted from c.xlsx by fiscal_sim 0.1.0.
    extends: default
    revenue:
      nominal_growth:
        value: {2019: 0.05, 2020: 0.02}
        unit: fraction
        source: bureau
    <BLANKLINE>
    """
    header = f"# Converted from {made_from} by fiscal_sim {__version__}.\n"
    body = yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=None
    )
    return header + body
