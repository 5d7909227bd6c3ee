"""The ``stress_tests:`` of a scenario's ``shocks:`` section: their schema and validation.

A stress test (:mod:`fiscal_sim.stress_tests` runs them) moves the growth of the shocked
revenue lines, adds a number of their sigmas, changes the level of a revenue line, the pay or
a spending tier, and may delay the transfers by some months::

    shocks:
      stress_tests:
        drought: {start: 2021, years: 2, sigmas: {tax: -1.5}, level: {land_sales: -0.3}}

Each error names the file, the key path (``stress_tests.drought.start``) and the line.
"""

from __future__ import annotations

from fiscal_sim.errors import Bilingual
from fiscal_sim.params.located import Locator, number
from fiscal_sim.params.schema import MAX_HORIZON_YEARS, SHOCK_LINES
from fiscal_sim.params.wording import TEXT_EXPECTED, unknown_key_expected

MAX_STRESS_TESTS = 50
"""The most stress tests a scenario may define (each one is a projection)."""

# Stress tests (fiscal_sim.stress_tests): level lines are the revenue lines, the pay of serving
# staff (the wage standard) and the spending tiers that have a planned amount.
SPENDING_LEVEL_LINES = (
    "wages",
    "livelihood",
    "operations",
    "key_projects",
    "non_rigid",
    "three_public",
)
LEVEL_LINES = (*SHOCK_LINES, "pay", *SPENDING_LEVEL_LINES)
TEST_KEYS = {"title", "start", "years", "growth", "sigmas", "level", "transfer_delay"}
MAX_TRANSFER_DELAY = 11  # months: an instalment can move at most from January to December


def resolve_stress_tests(raw, where: Locator, years=None) -> dict:
    """The validated ``shocks.stress_tests``: by name, the title (zh and en), the start year
    (checked against ``years`` when they are known), the number of years, the transfer
    delay and the growth, sigma and level changes by line."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise where.error(
            "stress_tests",
            Bilingual(
                "应为 {name: {title, start, years, ...}, ...}",
                "expected {name: {title, start, years, ...}, ...}",
            ),
        )
    if len(raw) > MAX_STRESS_TESTS:
        raise where.error(
            "stress_tests",
            Bilingual(
                "压力测试应不多于 {most} 个，实为 {got} 个",
                "expected at most {most} stress tests, got {got}",
                most=MAX_STRESS_TESTS,
                got=len(raw),
            ),
        )
    tests = {}
    for name, entry in raw.items():
        base = f"stress_tests.{name}"
        if not isinstance(entry, dict):
            raise where.error(
                base,
                Bilingual(
                    "应为含键 {keys} 的映射",
                    "expected a mapping with keys {keys}",
                    keys=sorted(TEST_KEYS),
                ),
            )
        for key in entry:
            if key not in TEST_KEYS:
                raise where.error(f"{base}.{key}", unknown_key_expected(sorted(TEST_KEYS)))
        start = entry.get("start")
        if start is not None:
            if isinstance(start, bool) or not isinstance(start, int):
                raise where.error(
                    f"{base}.start",
                    Bilingual(
                        "应为预测期内的年份，实为 {got!r}",
                        "expected a projection year, got {got!r}",
                        got=start,
                    ),
                )
            if years is not None and start not in years:
                raise where.error(
                    f"{base}.start",
                    Bilingual(
                        "应为预测期内的年份（{first}-{last}），实为 {got!r}",
                        "expected a projection year ({first}-{last}), got {got!r}",
                        first=years[0],
                        last=years[-1],
                        got=start,
                    ),
                )
        length = entry.get("years", 2)
        if (
            isinstance(length, bool)
            or not isinstance(length, int)
            or not 1 <= length <= MAX_HORIZON_YEARS
        ):
            raise where.error(
                f"{base}.years",
                Bilingual(
                    "应为 1 到 {most} 之间的整数年数",
                    "expected a whole number of years from 1 to {most}",
                    most=MAX_HORIZON_YEARS,
                ),
            )
        parts = {}
        for key, allowed, low, high in (
            ("growth", SHOCK_LINES, -1.0, 1.0),
            ("sigmas", SHOCK_LINES, -10.0, 10.0),
            ("level", LEVEL_LINES, -1.0, 10.0),
        ):
            mapping = entry.get(key, {})
            if not isinstance(mapping, dict):
                raise where.error(
                    f"{base}.{key}",
                    Bilingual(
                        "应为 {{line: number}}，line 取 {lines} 之一",
                        "expected {{line: number}} for {lines}",
                        lines=allowed,
                    ),
                )
            for line in mapping:
                if line not in allowed:
                    raise where.error(
                        f"{base}.{key}.{line}",
                        Bilingual(
                            "未知项目；应为 {lines} 之一",
                            "unknown line; expected {lines}",
                            lines=allowed,
                        ),
                    )
            parts[key] = {
                str(line): number(where, f"{base}.{key}.{line}", value, low, high)
                for line, value in mapping.items()
            }
        delay = number(
            where, f"{base}.transfer_delay", entry.get("transfer_delay", 0), 0, MAX_TRANSFER_DELAY
        )
        title = entry.get("title", name)
        if isinstance(title, dict):
            if (
                not title
                or set(title) - {"zh", "en"}
                or not all(isinstance(text, str) for text in title.values())
            ):
                raise where.error(f"{base}.title", TEXT_EXPECTED)
            title = dict(title)
        elif isinstance(title, str):
            title = {"zh": title, "en": title}
        else:
            raise where.error(f"{base}.title", TEXT_EXPECTED)
        tests[str(name)] = {
            "title": title,
            "start": start,
            "years": length,
            "transfer_delay": delay,
            **parts,
        }
    return tests


def check_against_horizon(raw, years, where: Locator | None = None) -> None:
    """Refuse stress tests that start outside the projection ``years`` (known once the
    horizon is resolved)."""
    if isinstance(raw, dict):
        resolve_stress_tests(raw.get("stress_tests"), where or Locator(), years)
