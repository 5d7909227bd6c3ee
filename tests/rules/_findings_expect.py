"""Worked cases of the rules as data: read the case files, compare findings with hand figures.

Shared by ``test_rule_cases.py`` (synthetic projections) and ``test_rules_on_engine.py`` (the
engine's own output).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

EXPECTED_FIELDS = ("value", "threshold", "margin")


def load_document(path: Path) -> dict:
    """One case file: ``rule``, ``cases`` (and for synthetic cases ``clause``)."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def case_params(files) -> list:
    """``pytest.param(document, case)`` for every case of every file; a case with ``xfail``
    (the reason) is a strict xfail, which fails the suite once the case passes."""
    params = []
    for path in files:
        document = load_document(path)
        for index, case in enumerate(document["cases"]):
            marks = (
                [pytest.mark.xfail(strict=True, reason=case["xfail"])] if "xfail" in case else []
            )
            case_id = f"{path.stem}[{index}] {case['name']}"
            params.append(pytest.param(document, case, id=case_id, marks=marks))
    return params


def assert_rows(frame, expect: list[dict], absent_years=()) -> None:
    """Each expected row is found once (by year, and month or aspect when given) with its
    value, threshold, margin and severity; ``absent_years`` give no row at all."""
    for expected in expect:
        rows = frame[frame["year"] == expected["year"]]
        if "month" in expected:
            rows = rows[rows["month"] == expected["month"]]
        if "aspect" in expected:
            rows = rows[rows["aspect"] == expected["aspect"]]
        assert len(rows) == 1, f"expected one row for {expected}, got\n{rows}"
        row = rows.iloc[0]
        for name in EXPECTED_FIELDS:
            if name in expected:
                assert row[name] == pytest.approx(expected[name], abs=1e-9), (name, expected)
        assert row["severity"] == expected["severity"], (expected, row["message_en"])
        if "message_zh_contains" in expected:
            assert expected["message_zh_contains"] in row["message_zh"]
    for year in absent_years:
        assert not (frame["year"] == year).any(), f"{year} should not be checked"
