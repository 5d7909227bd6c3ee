"""The phrases the parameter and scenario errors share, in Chinese and English (#17).

Each returns a :class:`~fiscal_sim.errors.Bilingual` whose English is the text the errors
have always carried (tests and users grep it); a unit stays its code in English (``fraction``,
as a file writes it) and reads as its Chinese name in Chinese (比例).

Examples
--------
>>> message = at_least(0, "fraction", -1)
>>> message.in_lang("zh"), str(message)
('应不小于 0（比例），实为 -1', 'expected at least 0 fraction, got -1')
>>> expected_number("x", "persons").in_lang("zh")
"应为数字（人），实为 'x'"
"""

from __future__ import annotations

from fiscal_sim.errors import Bilingual
from fiscal_sim.params.catalogue import FIGURE_UNITS

MISSING_SOURCE = Bilingual(
    "缺少来源（写明来源，或写 'assumption' 表示假设）",
    "missing source (write the source or the word 'assumption')",
)
MISSING_VALUE = Bilingual("缺少必填值", "missing required value")


def unit_words(unit: str) -> Bilingual:
    """A unit inside a message: its Chinese name (:data:`FIGURE_UNITS`), its code in English."""
    return Bilingual(FIGURE_UNITS.get(unit, (unit,))[0], unit)


def expected_number(value, unit: str | None = None) -> Bilingual:
    if unit is None:
        return Bilingual("应为数字，实为 {got!r}", "expected a number, got {got!r}", got=value)
    return Bilingual(
        "应为数字（{unit}），实为 {got!r}",
        "expected a number ({unit}), got {got!r}",
        unit=unit_words(unit),
        got=value,
    )


def expected_finite(value) -> Bilingual:
    return Bilingual("应为有限数，实为 {got!r}", "expected a finite number, got {got!r}", got=value)


def expected_whole(value) -> Bilingual:
    return Bilingual("应为整数，实为 {got!r}", "expected a whole number, got {got!r}", got=value)


def at_least(bound: float, unit: str, value) -> Bilingual:
    return Bilingual(
        "应不小于 {bound:g}（{unit}），实为 {got!r}",
        "expected at least {bound:g} {unit}, got {got!r}",
        bound=bound,
        unit=unit_words(unit),
        got=value,
    )


def at_most(bound: float, unit: str, value) -> Bilingual:
    return Bilingual(
        "应不大于 {bound:g}（{unit}），实为 {got!r}",
        "expected at most {bound:g} {unit}, got {got!r}",
        bound=bound,
        unit=unit_words(unit),
        got=value,
    )


def wrong_unit(unit, expected: str) -> Bilingual:
    return Bilingual(
        "单位 {unit!r} 有误：应为 {expected!r}",
        "wrong unit {unit!r}: expected {expected!r}",
        unit=unit,
        expected=expected,
    )


def one_of(choices, value) -> Bilingual:
    return Bilingual(
        "应为 {choices} 之一，实为 {got!r}",
        "expected one of {choices}, got {got!r}",
        choices=list(choices),
        got=value,
    )


def unknown_key(hint: Bilingual | str = "") -> Bilingual:
    """``unknown key`` and a did-you-mean hint (:func:`~fiscal_sim.errors.did_you_mean`)."""
    return Bilingual("未知键{hint}", "unknown key{hint}", hint=hint)


def unknown_key_expected(keys) -> Bilingual:
    """``unknown key; expected [...]``: the keys a section takes."""
    return Bilingual("未知键；应为 {keys} 之一", "unknown key; expected {keys}", keys=keys)


TEXT_EXPECTED = Bilingual(
    "应为文字或 {zh: text, en: text}", "expected a text or {zh: text, en: text}"
)
