"""Regenerate ``tests/golden/default_findings.csv`` — only on purpose, after reviewing a change.

Run from the repository root::

    python tests/rules/regen_golden.py

``test_default_county.py`` compares the default county's findings with this file.

The golden file is a regression pin, not evidence that the findings are right (this script
writes it from the code it checks; the hand-worked cases in ``tests/rules/engine_cases`` are
the evidence). Commit a regenerated golden only in a commit that changes no engine or rule
code, and say in its message why the figures moved (docs/testing.md).
"""

from __future__ import annotations

from pathlib import Path

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "default_findings.csv"
DECIMALS = 6


def default_findings_frame():
    """The default county's findings (draw 0) as stored in the golden file."""
    import fiscal_sim
    from fiscal_sim.rules import check

    frame = check(fiscal_sim.project(fiscal_sim.load_scenario())).to_frame()
    return frame.round({"value": DECIMALS, "threshold": DECIMALS, "margin": DECIMALS})


def main() -> None:
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    default_findings_frame().to_csv(GOLDEN, index=False, lineterminator="\n")
    print(f"wrote {GOLDEN}")


if __name__ == "__main__":
    main()
