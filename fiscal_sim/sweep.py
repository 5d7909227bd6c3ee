"""Sensitivity sweeps: which assumptions move the answers most (one parameter at a time).

:func:`sensitivity` moves every numeric parameter of a scenario (or of one group, the first
part of its path) down and up by a step (10 % of its value by default, within its allowed
range), projects each variant, and reports the change in chosen outcomes, the elasticity,
and the rules a move newly breaks; parameters are sorted by their effect on the first
outcome. :func:`run_variants` is the one place that runs the variants: all of them in one
engine call, stacked on the draw axis (:func:`fiscal_sim.stack`), each equal bit for bit to the
variant projected alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from fiscal_sim.errors import Bilingual, FiscalSimError
from fiscal_sim.labels import get_lang

# Outcomes: (label zh, label en, unit). ``name@year`` reads any annual indicator in one year.
OUTCOMES = {
    "sanbao_shortfall": ("三保缺口（全期合计）", "三保 shortfall (whole horizon)", "wan_yuan"),
    "cash_min": ("最低库款保障水平", "lowest cash-guarantee level", "months"),
    "advance_ratio_deadline": (
        "存量消化期限年暂付款比例",
        "advance ratio, deadline year",
        "fraction",
    ),
    "debt_ratio_end": ("期末债务率", "debt ratio at the horizon", "fraction"),
    "stabilization_fund_end": (
        "期末预算稳定调节基金",
        "stabilisation fund at the horizon",
        "wan_yuan",
    ),
}
DEFAULT_OUTCOMES = tuple(OUTCOMES)
# Kinds and units that are not amounts to scale: calendar years, choices, monthly shares.
SKIPPED_UNITS = ("year", "choice", "shares")


def outcome_values(projection, name: str) -> np.ndarray:
    """The outcome ``name`` per draw (see :data:`OUTCOMES`; or ``indicator@year``)."""
    annual, years = projection.annual, list(projection.years)
    if "@" in name:
        indicator, _, year = name.partition("@")
        if indicator not in annual or not year.isdigit() or int(year) not in years:
            raise FiscalSimError(
                Bilingual(
                    "未知结果指标 {name!r}：应为 指标@年度，指标为年度指标，年度应在 {first} 到 "
                    "{last} 之间",
                    "unknown outcome {name!r}: expected indicator@year with an annual indicator "
                    "and a year from {first} to {last}",
                    name=name,
                    first=years[0],
                    last=years[-1],
                )
            )
        return np.asarray(annual[indicator], dtype=float)[:, years.index(int(year))]
    if name == "sanbao_shortfall":
        return annual["sanbao_shortfall"].sum(axis=1)
    if name == "cash_min":
        level = projection.months["cash_level"]
        return level.reshape(level.shape[0], -1).min(axis=1)
    if name == "advance_ratio_deadline":
        deadline = round(float(projection.scenario.value("rules.legacy_deadline_year")))
        index = years.index(deadline) if deadline in years else len(years) - 1
        return annual["advance_ratio"][:, index]
    if name == "debt_ratio_end":
        return annual["debt_ratio"][:, -1]
    if name == "stabilization_fund_end":
        return annual["stabilization_fund"][:, -1]
    raise FiscalSimError(
        Bilingual(
            "未知结果指标 {name!r}；可用的结果指标：{outcomes}（或 指标@年度）",
            "unknown outcome {name!r}; outcomes are: {outcomes} (or indicator@year)",
            name=name,
            outcomes=", ".join(OUTCOMES),
        )
    )


def outcome_label(name: str, lang: str) -> str:
    if name in OUTCOMES:
        return OUTCOMES[name][0 if lang == "zh" else 1]
    indicator, _, year = name.partition("@")
    from fiscal_sim.labels import label

    name = label(indicator, lang)
    return f"{year}年{name}" if lang == "zh" else f"{name} {year}"


def parameters(scenario, group: str | None = None) -> list[str]:
    """Paths of the numeric parameters a sweep moves (non-zero, not years, choices or
    profiles), optionally of one group (``revenue``, ``pay``, ``advances`` …)."""
    paths = []
    groups = set()
    for param in scenario.params():
        if param.unit in SKIPPED_UNITS or param.kind not in ("scalar", "yearly"):
            continue
        if param.path.startswith("horizon."):
            continue
        value = np.asarray(param.value)
        if value.dtype.kind not in "if" or not np.any(value):
            continue
        groups.add(param.path.split(".")[0])
        if group is None or param.path.split(".")[0] == group:
            paths.append(param.path)
    if group is not None and not paths:
        raise FiscalSimError(
            Bilingual(
                "未知参数分组 {group!r}；可用的分组：{groups}",
                "unknown group {group!r}; groups are: {groups}",
                group=group,
                groups=", ".join(sorted(groups)),
            )
        )
    return paths


def _moved(scenario, path: str, factor: float):
    """The value of ``path`` times ``factor``, kept within the schema's range."""
    from fiscal_sim.params.schema import spec_for

    value = np.asarray(scenario.value(path), dtype=float) * factor
    spec = spec_for(path)
    low = None if spec is None else spec.minimum
    high = None if spec is None else spec.maximum
    value = np.clip(value, -np.inf if low is None else low, np.inf if high is None else high)
    if spec is not None and spec.integer:
        value = np.round(value)
    return value if value.ndim else float(value)


def run_variants(scenario, variants: list[dict], outcomes, rules=None) -> tuple:
    """Outcomes (variants, outcomes) and the breached rules of each variant.

    The one place that runs the sweep: ``variants`` are ``{path: value}`` changes, projected
    in one engine call as a stack (a sweep moves numbers, never the horizon or a word, so its
    variants always stack) and checked part by part.
    """
    from fiscal_sim.perturb import with_values
    from fiscal_sim.results import project
    from fiscal_sim.rules import breach_matrix
    from fiscal_sim.stacking import stack

    members = [with_values(scenario, changes) if changes else scenario for changes in variants]
    values = np.empty((len(variants), len(outcomes)))
    breached = []
    for row, projection in enumerate(project(stack(members)).split()):
        values[row] = [outcome_values(projection, name)[0] for name in outcomes]
        matrix = breach_matrix(projection, only=rules)
        breached.append({rule for rule, years in matrix.items() if years.any()})
    return values, breached


def sensitivity(
    scenario, outcomes=DEFAULT_OUTCOMES, step: float = 0.10, group: str | None = None
) -> Sensitivity:
    """The change in ``outcomes`` when each numeric parameter moves down and up by ``step``.

    Parameters
    ----------
    outcomes
        Names of :data:`OUTCOMES` or ``indicator@year``; the first sorts the table.
    step
        The relative move (0.10: 10 % of the value), within each parameter's allowed range.
    group
        Only the parameters whose path starts with this section.

    Examples
    --------
    >>> import fiscal_sim
    >>> found = sensitivity(fiscal_sim.load_scenario(), ["planned_three_public@2019"],
    ...                     group="projects")
    >>> row = found.to_frame().set_index("parameter").loc["projects.three_public"]
    >>> round(float(row["change_up"]), 6), round(float(row["elasticity"]), 6)
    (100.0, 1.0)
    """
    outcomes = [outcomes] if isinstance(outcomes, str) else list(outcomes)
    if not outcomes:
        raise FiscalSimError(
            Bilingual(
                "未给出结果指标；可用的结果指标：{outcomes}",
                "no outcome given; outcomes are: {outcomes}",
                outcomes=", ".join(OUTCOMES),
            )
        )
    if not 0 < step < 1:
        raise FiscalSimError(
            Bilingual(
                "步长 step 应在 0 到 100 % 之间，实为 {step:g}",
                "step must be between 0 and 100 %, got {step:g}",
                step=step,
            )
        )
    from fiscal_sim.results import project

    for name in outcomes:  # unknown names fail before the sweep
        outcome_values(project(scenario), name)
    paths = parameters(scenario, group)
    variants = [{}]
    for path in paths:
        variants += [{path: _moved(scenario, path, 1 + sign * step)} for sign in (-1, 1)]
    values, breached = run_variants(scenario, variants, outcomes)
    base_breached = breached[0]
    rows = []
    for index, path in enumerate(paths):
        down, up = 1 + 2 * index, 2 + 2 * index
        base_value = np.asarray(scenario.value(path), dtype=float)
        move = [_relative(variants[row][path], base_value) for row in (down, up)]
        rows.append(
            dict(
                path=path,
                down=values[down],
                up=values[up],
                move_down=move[0],
                move_up=move[1],
                breaks_down=tuple(sorted(breached[down] - base_breached)),
                breaks_up=tuple(sorted(breached[up] - base_breached)),
            )
        )
    return Sensitivity.build(scenario, outcomes, step, values[0], rows, len(variants))


def _relative(moved, base: np.ndarray) -> float:
    """The relative move actually made (the largest over the years of a yearly value)."""
    moved = np.asarray(moved, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(base != 0, moved / base - 1.0, 0.0)
    return float(ratio.flat[np.argmax(np.abs(ratio))])


@dataclass(frozen=True)
class Sensitivity:
    """The sweep's result: per parameter and outcome the changes and the elasticity."""

    outcomes: tuple
    step: float
    base: np.ndarray
    frame_rows: list
    projections: int
    labels: dict = field(default_factory=dict)
    meta: dict = field(default_factory=dict)

    @classmethod
    def build(cls, scenario, outcomes, step, base, rows, projections) -> Sensitivity:
        from fiscal_sim.results import project

        labels = {row["path"]: scenario.param(row["path"]) for row in rows}

        # By the swing of the first outcome, then of the next ones (ties: by path).
        def key(i):
            swings = np.abs(rows[i]["up"] - rows[i]["down"])
            return (*(-swings), rows[i]["path"])

        order = sorted(range(len(rows)), key=key)
        meta = {**dict(project(scenario).meta), "step": step, "outcomes": list(outcomes)}
        return cls(tuple(outcomes), step, base, [rows[i] for i in order], projections, labels, meta)

    def label_of(self, outcome: str, lang: str) -> str:
        """An outcome's name in ``lang``."""
        return outcome_label(outcome, lang)

    def unit_of(self, outcome: str) -> str:
        """An outcome's unit (an ``indicator@year`` is taken as 万元)."""
        return OUTCOMES.get(outcome, (None, None, "wan_yuan"))[2]

    @property
    def parameters(self) -> list[str]:
        """The parameters swept, largest effect on the first outcome first."""
        return [row["path"] for row in self.frame_rows]

    def to_frame(self):
        """One row per (parameter, outcome), machine form, parameters by effect: ``unit`` is
        the unit of the outcome's values (base, down, up, changes), ``parameter_unit`` the
        parameter's."""
        import pandas as pd

        records = []
        for row in self.frame_rows:
            for column, outcome in enumerate(self.outcomes):
                base = self.base[column]
                down, up = row["down"][column], row["up"][column]
                moved = row["move_up"] - row["move_down"]
                with np.errstate(divide="ignore", invalid="ignore"):
                    elasticity = ((up - down) / abs(base)) / moved if base and moved else np.nan
                records.append(
                    {
                        "parameter": row["path"],
                        "parameter_unit": self.labels[row["path"]].unit,
                        "outcome": outcome,
                        "unit": self.unit_of(outcome),
                        "base": base,
                        "down": down,
                        "up": up,
                        "change_down": down - base,
                        "change_up": up - base,
                        "elasticity": elasticity,
                        "breaks_down": " ".join(row["breaks_down"]),
                        "breaks_up": " ".join(row["breaks_up"]),
                    }
                )
        frame = pd.DataFrame(records)
        # The outcomes' names, for a CSV table that names its codes (fiscal_sim.csvtables).
        names = {
            outcome: (outcome_label(outcome, "zh"), outcome_label(outcome, "en"))
            for outcome in self.outcomes
        }
        frame.attrs["names"] = {"outcome": names}
        return frame

    def display(self, lang: str | None = None, top: int | None = None) -> dict:
        """For people: one table per outcome, one row per parameter (labelled, by effect):
        the change down and up, the elasticity, and the rules a move newly breaks (⚠)."""
        import pandas as pd

        lang = lang or get_lang()
        words = _WORDS["zh" if lang == "zh" else "en"]
        frame = self.to_frame()
        tables = {}
        for outcome in self.outcomes:
            part = frame[frame["outcome"] == outcome]
            part = part.assign(swing=(part["up"] - part["down"]).abs())
            part = part.sort_values("swing", ascending=False, kind="stable").head(top)
            unit = self.unit_of(outcome)
            shown = pd.DataFrame(
                {
                    words["parameter"]: [self.labels[p].label(lang) for p in part["parameter"]],
                    words["down"]: [_change_text(v, unit) for v in part["change_down"]],
                    words["up"]: [_change_text(v, unit) for v in part["change_up"]],
                    words["elasticity"]: [
                        "-" if np.isnan(v) else f"{v:+.2f}" for v in part["elasticity"]
                    ],
                    words["breaks"]: [
                        _breaks_text(down, up, words)
                        for down, up in zip(part["breaks_down"], part["breaks_up"], strict=True)
                    ],
                },
                index=pd.Index(list(part["parameter"]), name=words["path"]),
            )
            tables[outcome] = shown
        return tables

    def plot(self, outcome: str | None = None, top: int = 15, ax=None, lang=None):
        """A tornado chart of one outcome (default: the first): :mod:`fiscal_sim.plots.tornado`."""
        from fiscal_sim.plots.tornado import tornado

        return tornado(self, outcome or self.outcomes[0], top=top, ax=ax, lang=lang)

    def _repr_html_(self) -> str:
        first = self.outcomes[0]
        return self.display(top=20)[first].to_html(border=0)


_WORDS = {
    "zh": {
        "parameter": "参数",
        "path": "参数路径",
        "down": "下调时变化",
        "up": "上调时变化",
        "elasticity": "弹性",
        "breaks": "新增违规",
        "moved_down": "下调",
        "moved_up": "上调",
    },
    "en": {
        "parameter": "parameter",
        "path": "path",
        "down": "change down",
        "up": "change up",
        "elasticity": "elasticity",
        "breaks": "newly breaks",
        "moved_down": "down",
        "moved_up": "up",
    },
}


def _breaks_text(down: str, up: str, words: dict) -> str:
    sides = (("moved_down", down), ("moved_up", up))
    parts = [f"{words[side]}: {rules}" for side, rules in sides if rules]
    return "⚠ " + "; ".join(parts) if parts else ""


def _change_text(change: float, unit: str) -> str:
    if abs(change) < 1e-9:
        return "0"
    if unit == "fraction":
        return f"{change * 100:+.2f} pp"
    if unit == "months":
        return f"{change:+.2f}"
    return f"{change:+,.1f}"
