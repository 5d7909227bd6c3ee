"""The clauses of the source document, as package data (``clauses.yaml``).

Examples
--------
>>> "OPS.4.3.2" in clause_ids()
True
>>> "5%" in clause("OPS.4.3.2").zh
True
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fiscal_sim.yamlio import read_yaml


@dataclass(frozen=True)
class Clause:
    """One clause: its ID, where it sits in the plan, the Chinese text and an English gloss."""

    id: str
    section: str
    zh: str
    en: str


@cache
def _data() -> dict:
    """The clauses file, read by the one strict loader (its parse kept between runs)."""
    return read_yaml(Path(__file__).parent / "clauses.yaml")[0]


def clause_ids() -> frozenset[str]:
    """Every clause ID defined in the source-rules table."""
    return frozenset(_data()["ids"])


def document() -> dict:
    """Title and dates of the source document."""
    return dict(_data()["document"])


def clause(clause_id: str) -> Clause:
    """The quoted clause ``clause_id`` (only clauses that a rule cites are quoted)."""
    entry = _data()["clauses"][clause_id]
    return Clause(id=clause_id, section=entry["section"], zh=entry["zh"], en=entry["en"])


def quoted_ids() -> frozenset[str]:
    """IDs of the clauses whose text is quoted."""
    return frozenset(_data()["clauses"])
