"""Findings: the outcome of the plan's rules, as data.

A rule computes :class:`Check` objects (arrays over draws and years, optionally months or
tiers); :func:`collect` turns the checks of one draw into rows, and :class:`Findings` holds
the rows and presents them (``to_frame``, ``to_records``, text and HTML, breaches first).

Sign convention: ``margin`` is how far a value is inside its threshold, in the value's own
unit; it is negative exactly when the row is a breach.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # the findings' tables import pandas when built: the checks need none
    import pandas as pd

SEVERITIES = ("breach", "warning", "ok")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}

COLUMNS = (
    "rule",
    "clause",
    "year",
    "month",
    "aspect",
    "value",
    "threshold",
    "margin",
    "unit",
    "severity",
    "message_zh",
    "message_en",
)

# Float comparisons of money and ratios: a shortfall of 1e-6 万元 (0.01 yuan) is rounding,
# not a breach. This is numerical tolerance, not a policy threshold.
TOLERANCE = 1e-6


@dataclass(frozen=True)
class Outcome:
    """One possible outcome of a check: its severity and message templates.

    The templates are ``str.format`` strings over the fields ``year``, ``month``, ``item``,
    ``value``, ``threshold``, ``margin``, ``gap`` (``-margin``) and any extra arrays the check
    carries.
    """

    severity: str
    zh: str
    en: str

    def __post_init__(self):
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, got {self.severity!r}")


@dataclass(frozen=True, eq=False)
class Check:
    """One test of a rule, evaluated for every draw and year (and month or tier).

    Parameters
    ----------
    rule, clause, aspect, unit : str
        Rule id, clause ID(s) of the source document, which part of the rule this is
        (``annual``, ``monthly``, ``general_ceiling`` ...), unit of value/threshold/margin.
    years : ndarray, shape (years,)
    value, threshold, margin : ndarray
        Shape ``(draws, years)`` or ``(draws, years, k)`` (``k`` months or tiers); threshold
        and margin broadcast to the value's shape.
    status : ndarray of int
        Index into ``outcomes`` for every element of ``value``.
    outcomes : tuple of Outcome
    in_force : ndarray of bool, shape (years,)
        Years in which the mandate applies; other years give no rows and no breaches.
    sub : {None, "month", "tier"}
        What the third axis of ``value`` is, if any.
    sub_labels : tuple of str
        Labels of the third axis (tier names; months are numbered 1..12).
    extra : dict of ndarray
        More fields for the message templates, broadcastable to the value's shape.
    """

    rule: str
    clause: str
    aspect: str
    unit: str
    years: np.ndarray
    value: np.ndarray
    threshold: np.ndarray
    margin: np.ndarray
    status: np.ndarray
    outcomes: tuple[Outcome, ...]
    in_force: np.ndarray
    sub: str | None = None
    sub_labels: tuple[str, ...] = ()
    extra: dict[str, np.ndarray] = field(default_factory=dict)

    def _broadcast(self, array) -> np.ndarray:
        return np.broadcast_to(np.asarray(array, dtype=float), np.shape(self.value))

    def severity_codes(self) -> np.ndarray:
        """Severity rank (0 breach, 1 warning, 2 ok) of every element of ``value``."""
        ranks = np.array([SEVERITY_RANK[outcome.severity] for outcome in self.outcomes])
        return ranks[np.asarray(self.status, dtype=int)]

    def breaches(self) -> np.ndarray:
        """Bool array ``(draws, years)``: a breach in force in that draw and year."""
        codes = [i for i, outcome in enumerate(self.outcomes) if outcome.severity == "breach"]
        if len(codes) == 1:  # most checks: one comparison instead of a severity per element
            breach = np.asarray(self.status) == codes[0]  # any integer type, as it is
        else:
            breach = self.severity_codes() == SEVERITY_RANK["breach"]
        if breach.ndim == 3:
            breach = _any_of_last_axis(breach)
        return breach & np.asarray(self.in_force, dtype=bool)[np.newaxis, :]


def _any_of_last_axis(flags: np.ndarray) -> np.ndarray:
    """``flags.any(axis=-1)``, the last axis's columns or-ed one after the other: along a short
    last axis (12 months, 8 tiers) numpy's reduction takes three times as long."""
    if flags.shape[-1] == 0:
        return np.zeros(flags.shape[:-1], dtype=bool)
    out = flags[..., 0].copy()
    for column in range(1, flags.shape[-1]):
        out |= flags[..., column]
    return out


def pass_fail(
    *,
    margin: np.ndarray,
    ok: Outcome,
    breach: Outcome,
) -> tuple[np.ndarray, tuple[Outcome, Outcome]]:
    """Status array and outcomes of a plain pass/fail check: breach where margin < 0.

    The status is the comparison itself read as 0/1 bytes (int8, no copy): a status is an
    index into the outcomes, whatever its integer type.
    """
    status = (np.asarray(margin, dtype=float) < -TOLERANCE).view(np.int8)
    return status, (ok, breach)


def collect(checks, draw: int = 0, years=None) -> pd.DataFrame:
    """Rows of the findings table for one draw.

    Per year in force: one row per breaching or warning month/tier; when none, one ``ok``
    row at the tightest month/tier (the smallest margin).
    """
    import pandas as pd

    rows: list[dict] = []
    wanted = None if years is None else {int(year) for year in np.atleast_1d(years)}
    for check in checks:
        rows.extend(_rows_of(check, draw, wanted))
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    return frame


def _rows_of(check: Check, draw: int, wanted: set[int] | None) -> list[dict]:
    """Rows of one check; ``ok`` rows of a tier check are about all tiers, not one."""
    value = np.asarray(check.value, dtype=float)[draw]
    threshold = check._broadcast(check.threshold)[draw]
    margin = check._broadcast(check.margin)[draw]
    status = np.broadcast_to(np.asarray(check.status, dtype=int), np.shape(check.value))[draw]
    extra = {name: check._broadcast(array)[draw] for name, array in check.extra.items()}
    ranks = check.severity_codes()[draw]
    rows = []
    for year_index, year in enumerate(np.asarray(check.years, dtype=int)):
        if not check.in_force[year_index] or (wanted is not None and int(year) not in wanted):
            continue
        if check.sub is None:
            picks = [None]
        else:
            flagged = np.flatnonzero(ranks[year_index] < SEVERITY_RANK["ok"])
            picks = list(flagged) if flagged.size else [int(np.argmin(margin[year_index]))]
        for pick in picks:
            index = (year_index,) if pick is None else (year_index, pick)
            row = _row(check, int(year), pick, index, value, threshold, margin, status, extra)
            if check.sub == "tier" and row["severity"] == "ok":
                row["aspect"] = check.aspect
            rows.append(row)
    return rows


def item_label(item: str, lang: str) -> str:
    """A tier's name in ``lang`` for messages (the identifier if labels cannot name it)."""
    if not item:
        return item
    try:
        from fiscal_sim.labels import label

        return label(item, lang)
    except (ImportError, KeyError, LookupError):
        return item


def snap(number) -> float:
    """A float with rounding noise (|x| < TOLERANCE, and -0.0) shown as zero."""
    number = float(number)
    return 0.0 if abs(number) < TOLERANCE else number


def _row(check, year, pick, index, value, threshold, margin, status, extra) -> dict:
    outcome = check.outcomes[int(status[index])]
    month = pick + 1 if check.sub == "month" else None
    item = check.sub_labels[pick] if check.sub == "tier" else ""
    fields = {
        "year": year,
        "month": month if month is not None else "",
        "item": item,
        "value": snap(value[index]),
        "threshold": snap(threshold[index]),
        "margin": snap(margin[index]),
        "gap": snap(-margin[index]),
    }
    fields.update({name: snap(array[index]) for name, array in extra.items()})
    return {
        "rule": check.rule,
        "clause": check.clause,
        "year": year,
        "month": month,
        "aspect": item or check.aspect,
        "value": fields["value"],
        "threshold": fields["threshold"],
        "margin": fields["margin"],
        "unit": check.unit,
        "severity": outcome.severity,
        "message_zh": outcome.zh.format(**{**fields, "item": item_label(item, "zh")}),
        "message_en": outcome.en.format(**{**fields, "item": item_label(item, "en")}),
    }


def _plain(value):
    import pandas as pd

    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(value)
    return value


def records_of(frame: pd.DataFrame) -> list[dict]:
    """A DataFrame as plain JSON-safe dicts (numpy scalars to Python, NaN/NA to None)."""
    return [
        {key: _plain(value) for key, value in row.items()}
        for row in frame.to_dict(orient="records")
    ]


def default_lang() -> str:
    try:
        from fiscal_sim.labels import get_lang
    except ImportError:  # labels are optional for the rules; Chinese is the bureau's language
        return "zh"
    return get_lang()


def month_text(month) -> str:
    """A finding's month as text: ``-`` for a finding about the whole year.

    Examples
    --------
    >>> import pandas as pd
    >>> month_text(6), month_text(pd.NA), month_text(None)
    ('6', '-', '-')
    """
    import pandas as pd

    if month is None or month is pd.NA or (isinstance(month, float) and math.isnan(month)):
        return "-"
    return str(int(month))


def format_value(value: float, unit: str) -> str:
    """A finding's value, threshold or margin as text, by its unit (fiscal_sim.numbers)."""
    from fiscal_sim.numbers import format_value as by_kind
    from fiscal_sim.numbers import kind_of_unit

    return by_kind(value, kind_of_unit(unit))


def rule_label(rule_id: str, lang: str) -> str:
    """A rule as a reader sees it: its Chinese short name under zh, its id in English (the
    name ``check --only`` takes)."""
    from fiscal_sim.labels import rule_name

    return rule_name(rule_id, lang) if lang == "zh" else rule_id


class Findings:
    """The findings of the plan's rules for one projection and draw.

    Breaches come first, then warnings, then rules that hold; within each, rules in the
    order of model.md §8, then year and month.

    Examples
    --------
    >>> findings = Findings.empty()
    >>> findings.ok, len(findings), findings.to_records()
    (True, 0, [])
    """

    def __init__(self, frame: pd.DataFrame, rule_order=()):
        import pandas as pd

        order = {rule_id: rank for rank, rule_id in enumerate(rule_order)}
        frame = frame.reindex(columns=list(COLUMNS)).copy()
        frame["month"] = frame["month"].astype("Int64")
        frame["year"] = frame["year"].astype("int64")
        for column in ("value", "threshold", "margin"):
            frame[column] = frame[column].astype(float)
        sort_keys = pd.DataFrame(
            {
                "severity": frame["severity"].map(SEVERITY_RANK),
                "rule": frame["rule"].map(order).fillna(len(order)),
                "year": frame["year"],
                "month": frame["month"].fillna(0),
            }
        )
        ordered = sort_keys.sort_values(list(sort_keys.columns), kind="stable").index
        self._frame = frame.loc[ordered].reset_index(drop=True)
        self._rule_order = tuple(rule_order)

    @classmethod
    def empty(cls) -> Findings:
        """Findings with no rows (every rule holds vacuously)."""
        import pandas as pd

        return cls(pd.DataFrame(columns=list(COLUMNS)))

    # --- data -------------------------------------------------------------------------
    def to_frame(self) -> pd.DataFrame:
        """The findings as a DataFrame with the columns of ``COLUMNS``, breaches first."""
        return self._frame.copy()

    def to_records(self) -> list[dict]:
        """The findings as a list of plain dicts (JSON-safe: no numpy types, no NaN)."""
        return records_of(self._frame)

    def _subset(self, mask) -> Findings:
        return Findings(self._frame[mask], self._rule_order)

    @property
    def breaches(self) -> Findings:
        """Only the rows that breach a rule."""
        return self._subset(self._frame["severity"] == "breach")

    @property
    def warnings(self) -> Findings:
        """Only the warning rows."""
        return self._subset(self._frame["severity"] == "warning")

    @property
    def ok(self) -> bool:
        """True when no rule is breached."""
        return not (self._frame["severity"] == "breach").any()

    def filter(self, rule=None, year=None) -> Findings:
        """Rows of one rule (or several) and/or one year (or several)."""
        import pandas as pd

        mask = pd.Series(True, index=self._frame.index)
        if rule is not None:
            mask &= self._frame["rule"].isin(np.atleast_1d(rule))
        if year is not None:
            mask &= self._frame["year"].isin(np.atleast_1d(year).astype(int))
        return self._subset(mask)

    def summary(self) -> pd.DataFrame:
        """One row per rule: worst severity, breach count, first breach year, tightest margin."""
        import pandas as pd

        frame = self._frame
        if frame.empty:
            return pd.DataFrame(columns=["rule", "clause", "severity", "breaches", "first_breach"])
        grouped = frame.groupby("rule", sort=False)
        summary = pd.DataFrame(
            {
                "clause": grouped["clause"].first(),
                "severity": grouped["severity"].agg(lambda s: min(s, key=SEVERITY_RANK.get)),
                "breaches": grouped["severity"].agg(lambda s: int((s == "breach").sum())),
                "first_breach": frame[frame["severity"] == "breach"]
                .groupby("rule")["year"]
                .min()
                .reindex(grouped["clause"].first().index)
                .astype("Int64"),
            }
        )
        return summary.reset_index()

    def __len__(self) -> int:
        return len(self._frame)

    def __iter__(self):
        return iter(self.to_records())

    # --- presentation -----------------------------------------------------------------
    def _display_frame(self, lang: str) -> pd.DataFrame:
        """The findings for a reader: words in ``lang``, numbers formatted by unit."""
        import pandas as pd

        from fiscal_sim.labels import aspect_label, finding_column, severity_label, unit_label

        frame = self._frame
        units = frame["unit"]
        shown = {
            "severity": frame["severity"].map(lambda key: severity_label(key, lang)),
            "rule": frame["rule"].map(lambda key: rule_label(key, lang)),
            "clause": frame["clause"],
            "year": frame["year"].astype(str),
            "month": frame["month"].map(month_text),
            "aspect": frame["aspect"].map(lambda key: aspect_label(key, lang)),
            "value": [format_value(v, u) for v, u in zip(frame["value"], units, strict=True)],
            "threshold": [
                format_value(v, u) for v, u in zip(frame["threshold"], units, strict=True)
            ],
            "margin": [format_value(v, u) for v, u in zip(frame["margin"], units, strict=True)],
            "unit": units.map(lambda key: unit_label(key, lang)),
            "message": frame[f"message_{lang}"],
        }
        return pd.DataFrame({finding_column(name, lang): column for name, column in shown.items()})

    def headline(self, lang: str | None = None) -> str:
        """One line: how many breaches and warnings, and in which rules."""
        lang = lang or default_lang()
        frame = self._frame
        breached = list(dict.fromkeys(frame.loc[frame["severity"] == "breach", "rule"]))
        n_breach = int((frame["severity"] == "breach").sum())
        n_warning = int((frame["severity"] == "warning").sum())
        if lang == "zh":
            text = f"合规检查：{n_breach} 项违规，{n_warning} 项预警"
            names = "、".join(rule_label(rule, lang) for rule in breached)
            return text + (f"（违规规则：{names}）" if breached else "，各项规则均满足")
        breaches = "breach" if n_breach == 1 else "breaches"
        warnings = "warning" if n_warning == 1 else "warnings"
        text = f"Rule check: {n_breach} {breaches}, {n_warning} {warnings}"
        return text + (
            f" (rules breached: {', '.join(breached)})" if breached else "; every rule holds"
        )

    def to_text(self, lang: str | None = None, max_rows: int | None = None) -> str:
        """The findings as a text table (breaches first), with a headline."""
        import pandas as pd

        lang = lang or default_lang()
        display = self._display_frame(lang)
        if max_rows is not None and len(display) > max_rows:
            display = display.head(max_rows)
        if display.empty:
            return self.headline(lang)
        with pd.option_context("display.unicode.east_asian_width", True):
            table = display.to_string(index=False)
        return f"{self.headline(lang)}\n{table}"

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return f"<Findings: {len(self)} rows, ok={self.ok}>\n{self.to_text(max_rows=20)}"

    def _repr_html_(self) -> str:
        lang = default_lang()
        table = self._display_frame(lang).to_html(index=False, border=0)
        return f"<p><strong>{self.headline(lang)}</strong></p>\n{table}"
