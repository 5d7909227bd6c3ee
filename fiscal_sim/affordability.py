"""Affordability assessment (财政可承受能力评估, OPS.4.1.1).

A *policy* (:mod:`fiscal_sim.policy`: a new spending or revenue measure in a small YAML
file) is assessed by running the scenario with and without it and comparing the plan's
rules: the policy is **affordable** only if no 三保, advance or treasury-cash rule newly fails
(OPS.4.1.1: "对评估认定……财政无法承受的支出政策，一律不得实施").

The public API is ``fiscal_sim.assess(scenario, policy)``; ``fiscal_sim.load_policy(path)``
reads a policy file and ``fiscal_sim.Policy.from_dict`` builds one in code.

One module, though near 500 lines: the :class:`Assessment` and the comparisons that fill it
(per-year rule outcomes, crowding-out, headroom) are one assessment, read top to bottom.

Examples
--------
>>> import fiscal_sim
>>> policy = fiscal_sim.Policy.from_dict(
...     {"line": "key_projects", "amount": 50, "start_year": 2022})
>>> fiscal_sim.assess(None, policy).verdict
'affordable'
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from fiscal_sim.errors import Bilingual, PolicyError
from fiscal_sim.policy import LINES, Measure, Policy, load_policy
from fiscal_sim.rules.findings import (
    SEVERITY_RANK,
    TOLERANCE,
    format_value,
    item_label,
    snap,
)

__all__ = [
    "GATING_TOPICS",
    "LINES",
    "VERDICTS",
    "Assessment",
    "Measure",
    "Policy",
    "assess",
    "load_policy",
]

# A policy is unaffordable when a rule of these topics (rule modules) newly fails: the 三保,
# the treasury advances and the treasury cash (model.md §9, OPS.4.1.1).
GATING_TOPICS = ("sanbao", "advances", "treasury")
SANBAO_TIERS = ("wages", "livelihood", "operations")

VERDICTS = {
    "affordable": {"zh": "可承受", "en": "affordable"},
    "affordable_with_warnings": {"zh": "可承受，但有预警", "en": "affordable with warnings"},
    "not_affordable": {"zh": "不可承受", "en": "not affordable"},
}


# --- the assessment -----------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Assessment:
    """The verdict on a policy and the evidence for it.

    Attributes
    ----------
    verdict : {"affordable", "affordable_with_warnings", "not_affordable"}
    changes : DataFrame
        Rules whose outcome gets worse with the policy, one row per rule, aspect and year:
        ``rule, clause, aspect, year, month, gating, change, severity_before,
        severity_after, margin_before, margin_after, unit, message_zh, message_en``;
        ``change`` is ``new_breach``, ``worse_breach``, ``new_warning`` or ``crowds_out``
        (planned spending below the 三保 left unfunded: rule ``crowding_out``, OPS.4.1.1).
    headroom : DataFrame
        For every gating rule and aspect, the tightest margin left with the policy over the
        years it runs (``rule, aspect, year, margin_before, margin_after, unit``).
    cost : DataFrame
        The policy's deltas per year and line (万元).
    before, after : Findings
        The findings without and with the policy.
    years : tuple of int
        The years the policy runs (the headroom is the tightest of these).
    """

    policy: Policy
    scenario: str
    verdict: str
    changes: pd.DataFrame
    headroom: pd.DataFrame
    cost: pd.DataFrame
    before: object
    after: object
    years: tuple[int, ...] = ()

    @property
    def affordable(self) -> bool:
        """True unless a 三保, advance or cash rule newly fails."""
        return self.verdict != "not_affordable"

    @property
    def failing_rules(self) -> list[str]:
        """Gating rules that newly fail (why the policy is not affordable)."""
        new = self.changes[(self.changes["change"] == "new_breach") & self.changes["gating"]]
        return list(dict.fromkeys(new["rule"]))

    def to_frame(self) -> pd.DataFrame:
        """The changes table (see ``changes``)."""
        return self.changes.copy()

    def to_records(self) -> dict:
        """The assessment as plain JSON-safe data."""
        from fiscal_sim.rules.findings import records_of as to_records

        return {
            "policy": self.policy.name,
            "scenario": self.scenario,
            "verdict": self.verdict,
            "failing_rules": self.failing_rules,
            "changes": to_records(self.changes),
            "headroom": to_records(self.headroom),
            "cost": to_records(self.cost),
        }

    def headline(self, lang: str = "zh") -> str:
        """One line: the verdict and, when not affordable, the rules that newly fail."""
        verdict = VERDICTS[self.verdict][lang]
        title = self.policy.label(lang)
        if lang == "zh":
            text = f"财政可承受能力评估（OPS.4.1.1）：{title} —— {verdict}"
            if self.failing_rules:
                text += f"（新增违规：{', '.join(self.failing_rules)}）"
            return text
        text = f"Affordability (OPS.4.1.1): {title} — {verdict}"
        if self.failing_rules:
            text += f" (newly failing: {', '.join(self.failing_rules)})"
        return text

    def _display_tables(self, lang: str) -> list[tuple[str, pd.DataFrame]]:
        """The tables a reader sees, captioned, with words and numbers in ``lang``."""
        from fiscal_sim.labels import (
            aspect_label,
            change_label,
            finding_column,
            label,
            unit_label,
        )
        from fiscal_sim.rules.findings import month_text, rule_label

        zh = lang == "zh"
        cost = self.cost.copy()
        for column in cost.columns[1:]:
            cost[column] = cost[column].map(lambda value: format_value(value, "wan_yuan"))
        cost.columns = [finding_column("year", lang), *(label(c, lang) for c in cost.columns[1:])]
        tables = [("年度影响（万元）" if zh else "Yearly effect (万元)", cost)]
        if len(self.changes):
            changes = self.changes
            shown = pd.DataFrame(
                {
                    "rule": changes["rule"].map(lambda key: rule_label(key, lang)),
                    "clause": changes["clause"],
                    "year": changes["year"],
                    "month": changes["month"].map(month_text),
                    "change": changes["change"].map(lambda key: change_label(key, lang)),
                    "message": changes[f"message_{lang}"],
                }
            )
            shown.columns = [finding_column(column, lang) for column in shown.columns]
            tables.append(("变差的规则" if zh else "Rules made worse", shown))
        headroom = self.headroom
        units = headroom["unit"]
        shown = pd.DataFrame(
            {
                "rule": headroom["rule"].map(lambda key: rule_label(key, lang)),
                "aspect": headroom["aspect"].map(lambda key: aspect_label(key, lang)),
                "year": headroom["year"],
                **{
                    column: [
                        format_value(value, unit)
                        for value, unit in zip(headroom[column], units, strict=True)
                    ]
                    for column in ("margin_before", "margin_after")
                },
                "unit": units.map(lambda key: unit_label(key, lang)),
            }
        )
        shown.columns = [finding_column(column, lang) for column in shown.columns]
        years = "–".join(dict.fromkeys(str(year) for year in (self.years[0], self.years[-1])))
        caption = (
            f"剩余空间（政策实施年度{years}中最紧的一年）"
            if zh
            else f"Headroom left (tightest of the policy's years {years})"
        )
        tables.append((caption, shown))
        return tables

    def to_text(self, lang: str = "zh") -> str:
        """Verdict, the yearly cost, the rules made worse (gating first) and the headroom."""
        parts = [self.headline(lang)]
        with pd.option_context("display.unicode.east_asian_width", True):
            for caption, table in self._display_tables(lang):
                parts += ["", caption, table.to_string(index=False)]
        return "\n".join(parts)

    def __str__(self) -> str:
        from fiscal_sim.rules.findings import default_lang

        return self.to_text(default_lang())

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        from fiscal_sim.rules.findings import default_lang

        lang = default_lang()
        parts = [f"<p><strong>{html.escape(self.headline(lang))}</strong></p>"]
        for caption, table in self._display_tables(lang):  # text from files: escaped
            parts += [f"<p>{html.escape(caption)}</p>", table.to_html(index=False, border=0)]
        return "\n".join(parts)


def _per_year(checks, draw: int) -> pd.DataFrame:
    """Worst severity and smallest margin per rule, aspect and year (over months/tiers)."""
    from fiscal_sim.rules import RULES

    rows = []
    for item in checks:
        ranks = item.severity_codes()[draw]
        margin = np.broadcast_to(np.asarray(item.margin, float), np.shape(item.value))[draw]
        for year_index, year in enumerate(np.asarray(item.years, dtype=int)):
            if not item.in_force[year_index]:
                continue
            rank = np.min(ranks[year_index])
            rows.append(
                {
                    "rule": item.rule,
                    "clause": item.clause,
                    "aspect": item.aspect,
                    "year": int(year),
                    "rank": int(rank),
                    "margin": snap(np.min(margin[year_index])),
                    "unit": item.unit,
                    "gating": RULES[item.rule].topic in GATING_TOPICS,
                }
            )
    return pd.DataFrame(rows)


def _crowding_out(baseline, with_policy, draw: int) -> pd.DataFrame:
    """Planned spending of tiers below the 三保 that the policy leaves unfunded (万元).

    Not a rule of model.md §8, but what OPS.4.1.1 warns of ("防止过度增加财政支出压力"): a
    policy that is paid for by silently dropping planned projects is flagged.
    """
    from fiscal_sim.params.schema import TIERS

    extra = with_policy.tiers["shortfall"][draw] - baseline.tiers["shortfall"][draw]
    rows = []
    for year_index, year in enumerate(np.asarray(with_policy.years, dtype=int)):
        for tier_index, tier in enumerate(TIERS):
            amount = float(extra[year_index, tier_index])
            if amount > TOLERANCE and tier not in SANBAO_TIERS:
                rows.append(
                    {
                        "rule": "crowding_out",
                        "clause": "OPS.4.1.1",
                        "aspect": tier,
                        "year": int(year),
                        "month": pd.NA,
                        "gating": False,
                        "change": "crowds_out",
                        "rank_before": SEVERITY_RANK["ok"],
                        "rank_after": SEVERITY_RANK["warning"],
                        "margin_before": 0.0,
                        "margin_after": -amount,
                        "unit": "wan_yuan",
                        "message_zh": f"{year}年挤占“{item_label(tier, 'zh')}”预算安排"
                        f"{amount:,.0f}万元",
                        "message_en": f"{year}: crowds out {amount:,.0f} 万元 of planned "
                        f"{item_label(tier, 'en')}",
                    }
                )
    return pd.DataFrame(rows)


def _compare(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    keys = ["rule", "clause", "aspect", "year", "unit", "gating"]
    both = after.merge(before, on=keys, how="left", suffixes=("_after", "_before"))
    both["rank_before"] = both["rank_before"].fillna(SEVERITY_RANK["ok"]).astype(int)
    breach, warning = SEVERITY_RANK["breach"], SEVERITY_RANK["warning"]
    change = np.select(
        [
            (both["rank_after"] == breach) & (both["rank_before"] != breach),
            (both["rank_after"] == breach)
            & (both["margin_after"] < both["margin_before"] - TOLERANCE),
            (both["rank_after"] == warning) & (both["rank_before"] > warning),
        ],
        ["new_breach", "worse_breach", "new_warning"],
        default="",
    )
    both["change"] = change
    return both[both["change"] != ""].reset_index(drop=True)


def _verdict(changes: pd.DataFrame) -> str:
    gating_new = (changes["change"] == "new_breach") & changes["gating"]
    if gating_new.any():
        return "not_affordable"
    if len(changes):
        return "affordable_with_warnings"
    return "affordable"


def _messages(changes: pd.DataFrame, findings_after) -> pd.DataFrame:
    """Attach the month and message of the worst finding row for each change."""
    frame = findings_after.to_frame()
    frame["rank"] = frame["severity"].map(SEVERITY_RANK)
    worst = frame.sort_values(["rank", "margin"], kind="stable").drop_duplicates(
        ["rule", "aspect", "year"]
    )
    # Tier rows of no_spending_without_budget carry the tier as aspect: match on rule/year.
    by_aspect = worst.set_index(["rule", "aspect", "year"])
    by_year = (
        frame.sort_values(["rank", "margin"], kind="stable")
        .drop_duplicates(["rule", "year"])
        .set_index(["rule", "year"])
    )
    months, zh, en = [], [], []
    for row in changes.itertuples():
        key = (row.rule, row.aspect, row.year)
        found = by_aspect.loc[key] if key in by_aspect.index else by_year.loc[(row.rule, row.year)]
        months.append(found["month"])
        zh.append(found["message_zh"])
        en.append(found["message_en"])
    changes = changes.copy()
    changes["month"] = pd.array(months, dtype="Int64") if months else pd.array([], "Int64")
    changes["message_zh"] = zh
    changes["message_en"] = en
    return changes


def _sanbao_room(projection, draw: int) -> np.ndarray:
    """Budget resources left after the 三保 are funded, per year (万元).

    Bond proceeds are left out: they fund key projects only (OPS.4.2.4), never the 三保.
    """
    from fiscal_sim.params.schema import TIERS

    sanbao = [TIERS.index(tier) for tier in SANBAO_TIERS]
    funded = projection.tiers["funded"][draw][:, sanbao].sum(axis=1)
    annual = projection.annual
    return (
        np.asarray(annual["gpb_resources"][draw] - annual["general_bond_projects"][draw]) - funded
    )


def _headroom(
    before: pd.DataFrame, after: pd.DataFrame, room_before, room_after, years, policy_years
):
    """The tightest margin left per gating rule and aspect over the years the policy runs,
    with and without it.

    The 三保 rules' margins are zero while they hold, so their headroom is given as the
    budget resources left after the 三保 (rule ``sanbao``, aspect ``resources_left``).
    Years a rule is already breached without the policy are used only when there are no
    others.
    """
    from fiscal_sim.rules import RULES

    keys = ["rule", "aspect", "year"]
    gating = after[after["gating"] & after["year"].isin(policy_years)]
    merged = gating.merge(before[[*keys, "margin"]], on=keys, suffixes=("", "_before"))
    sanbao_rules = [rule.id for rule in RULES.values() if rule.topic == "sanbao"]
    merged = merged[~merged["rule"].isin(sanbao_rules)]
    # Years already breached without the policy say nothing about its room: prefer the others.
    merged = merged.assign(already=merged["margin_before"] < -TOLERANCE)
    tightest = merged.sort_values(["already", "margin"], kind="stable").drop_duplicates(
        ["rule", "aspect"]
    )
    order = {rule: rank for rank, rule in enumerate(dict.fromkeys(gating["rule"]))}
    tightest = tightest.assign(order=tightest["rule"].map(order)).sort_values(
        ["order", "aspect"], kind="stable"
    )
    table = tightest.rename(columns={"margin": "margin_after"})[
        ["rule", "aspect", "year", "margin_before", "margin_after", "unit"]
    ]
    running = np.isin(np.asarray(years, dtype=int), list(policy_years))
    index = int(np.flatnonzero(running)[np.argmin(np.asarray(room_after)[running])])
    sanbao = pd.DataFrame(
        [
            {
                "rule": "sanbao",
                "aspect": "resources_left",
                "year": int(years[index]),
                "margin_before": float(room_before[index]),
                "margin_after": float(room_after[index]),
                "unit": "wan_yuan",
            }
        ]
    )
    return pd.concat([sanbao, table], ignore_index=True)


def _cost_table(deltas: dict, years) -> pd.DataFrame:
    table = pd.DataFrame({"year": [int(year) for year in years]})
    for line, block in deltas.items():
        table[line] = np.asarray(block).sum(axis=1)
    return table


def assess(scenario=None, policy=None, *, draw: int = 0) -> Assessment:
    """Assess a policy's affordability against a scenario (OPS.4.1.1).

    Parameters
    ----------
    scenario : Scenario, str, path or None
        A loaded scenario, a bundled name or a YAML path (None: the default county).
    policy : Policy, str or path
        A policy, or the path of a policy YAML file (see the module docstring).
    draw : int
        Which draw to judge (0 for a deterministic run).

    Returns
    -------
    Assessment
        ``verdict`` is ``not_affordable`` when a 三保, advance or treasury-cash rule newly
        fails with the policy, ``affordable_with_warnings`` when another rule newly fails, a
        breach deepens or a warning appears, else ``affordable``.
    """
    from fiscal_sim.results import project
    from fiscal_sim.rules import check, checks

    if policy is None:
        raise PolicyError(None, None, Bilingual("未给出政策", "no policy given"))
    if not isinstance(policy, Policy):
        policy = load_policy(policy)
    if scenario is None or isinstance(scenario, str | Path):
        from fiscal_sim.scenario import load_scenario

        scenario = load_scenario(scenario)
    years = [int(year) for year in scenario.years]
    deltas = policy.deltas(years)
    policy_years = [
        year for year in years if any(m.active(year, years[-1]) for m in policy.measures)
    ]
    baseline = project(scenario)
    with_policy = project(scenario, deltas=deltas)
    before_year = _per_year(checks(baseline), draw)
    after_year = _per_year(checks(with_policy), draw)
    findings_after = check(with_policy, draw=draw)
    changes = _messages(_compare(before_year, after_year), findings_after)
    crowding = _crowding_out(baseline, with_policy, draw)
    if len(crowding):
        changes = pd.concat([changes, crowding], ignore_index=True)
    changes = changes.sort_values(
        ["gating", "change", "year"], ascending=[False, True, True], kind="stable"
    )
    severity = {rank: name for name, rank in SEVERITY_RANK.items()}
    changes = changes.assign(
        severity_before=changes["rank_before"].map(severity),
        severity_after=changes["rank_after"].map(severity),
    )[
        [
            "rule",
            "clause",
            "aspect",
            "year",
            "month",
            "gating",
            "change",
            "severity_before",
            "severity_after",
            "margin_before",
            "margin_after",
            "unit",
            "message_zh",
            "message_en",
        ]
    ].reset_index(drop=True)
    return Assessment(
        policy=policy,
        scenario=getattr(scenario, "name", str(scenario)),
        verdict=_verdict(changes),
        changes=changes,
        headroom=_headroom(
            before_year,
            after_year,
            _sanbao_room(baseline, draw),
            _sanbao_room(with_policy, draw),
            years,
            policy_years,
        ),
        cost=_cost_table(deltas, years),
        before=check(baseline, draw=draw),
        after=findings_after,
        years=tuple(policy_years),
    )
