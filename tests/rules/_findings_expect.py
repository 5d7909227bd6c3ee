"""Compare a rule's findings with the hand figures of a worked case (shared by the case tests)."""

from __future__ import annotations

import pytest

EXPECTED_FIELDS = ("value", "threshold", "margin")


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
