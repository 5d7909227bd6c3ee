"""A workbook as the YAML overlay it stands for (``fiscal-sim convert county.xlsx -o x.yaml``).

The other direction, YAML to workbook, is :func:`fiscal_sim.workbook.writer.write_template`.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from fiscal_sim._version import __version__


def _extends(reference: str, workbook: Path, target: Path) -> str:
    """``extends`` as seen from the YAML file's directory (a bundled name stays a name)."""
    from fiscal_sim.scenario import list_scenarios

    if reference in {entry["name"] for entry in list_scenarios()}:
        return reference
    base = Path(reference)
    if not base.is_absolute():
        base = workbook.resolve().parent / base
    return os.path.relpath(base.resolve(), target.resolve().parent)


def workbook_yaml(workbook: str | os.PathLike, target: str | os.PathLike) -> str:
    """The YAML text of ``workbook`` (checked as it loads), to be written at ``target``.

    Examples
    --------
    >>> import tempfile, pathlib, fiscal_sim
    >>> from fiscal_sim.workbook.writer import write_template
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_template(fiscal_sim.load_scenario("land-slump"), folder / "c.xlsx")
    >>> text = workbook_yaml(folder / "c.xlsx", folder / "c.yaml")
    >>> text.splitlines()[1]
    'extends: land-slump'
    """
    from fiscal_sim.scenario import read_overlay

    workbook, target = Path(workbook), Path(target)
    data = read_overlay(workbook)
    data["extends"] = _extends(data["extends"], workbook, target)
    header = f"# Converted from {workbook.name} by fiscal_sim {__version__}.\n"
    return header + yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=None
    )
