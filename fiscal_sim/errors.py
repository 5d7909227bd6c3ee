"""Errors that stop a run. A broken budget rule is never an error: it is a finding."""

from __future__ import annotations


class FiscalSimError(Exception):
    """Base of every error fiscal_sim raises on purpose (the CLI maps it to exit code 2)."""


class ScenarioError(FiscalSimError):
    """A scenario file or override is invalid.

    Names the file, the key path inside it and what was expected, with the line number when
    the YAML parser can give it, or the cell of a workbook (``line="收入!E14"``).

    Examples
    --------
    >>> str(ScenarioError("county.yaml", "revenue.tax", "expected a number, got 'abc'", line=12))
    "county.yaml:12: revenue.tax: expected a number, got 'abc'"
    >>> str(ScenarioError("county.xlsx", "revenue.tax", "expected a number", line="收入!E14"))
    'county.xlsx!收入!E14 (revenue.tax): expected a number'
    """

    MAX_LENGTH = 300
    """A longer message (one quoting a huge value) is cut here: an error stays one short line."""

    def __init__(self, file, key: str | None, message: str, line: int | str | None = None):
        self.file = str(file) if file is not None else None
        self.key = key if key is None or len(key) <= 100 else key[:99] + "…"
        cut = self.MAX_LENGTH - 1
        self.message = message if len(message) <= self.MAX_LENGTH else message[:cut] + "…"
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file or "<scenario>"
        if isinstance(self.line, str):  # a workbook's cell, e.g. 收入!E14
            key = f" ({self.key})" if self.key else ""
            return f"{where}!{self.line}{key}: {self.message}"
        if self.line is not None:
            where = f"{where}:{self.line}"
        if self.key:
            where = f"{where}: {self.key}"
        return f"{where}: {self.message}"


class PolicyError(ScenarioError):
    """A policy file for the affordability assessment is invalid."""
