"""Workbooks written from the bundled scenarios, shared by the workbook tests."""

from __future__ import annotations

import shutil

import pytest
from _workbooks import write

import fiscal_sim


@pytest.fixture(scope="session")
def default_template(tmp_path_factory):
    """The default county's template (zh), written once; copy it before changing it."""
    path = tmp_path_factory.mktemp("template") / "default.xlsx"
    write(fiscal_sim.load_scenario("default"), path)
    return path


@pytest.fixture
def county(default_template, tmp_path):
    """A fresh copy of the default county's template, as ``county.xlsx``."""
    return shutil.copy(default_template, tmp_path / "county.xlsx")
