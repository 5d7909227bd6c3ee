"""Reading cells: cached values of formulas, errors that name the cell, header checks.

A :class:`Problems` collects every problem of a workbook (up to :data:`MAX_PROBLEMS`) so that
the bureau sees all of them at once; each names its cell as ``file!sheet!E14 (key, year)``.
"""

from __future__ import annotations

from fiscal_sim.errors import Bilingual, ScenarioError, in_lang
from fiscal_sim.workbook import layout as L

MAX_PROBLEMS = 50
EMPTY = object()  # a cell that holds nothing usable (already reported when it had to)


class WorkbookError(ScenarioError):
    """Every problem found in a workbook, one line each (``problems``: the English)."""

    def __init__(self, file, problems: list[ScenarioError], more: int = 0):
        self.errors: list[ScenarioError | Bilingual] = list(problems)
        if more:
            self.errors.append(
                Bilingual(
                    "{file}：……另有 {more} 个问题",
                    "{file}: … and {more} more problems",
                    file=file,
                    more=more,
                )
            )
        self.problems = [str(problem) for problem in self.errors]
        super().__init__(file, None, "; ".join(self.problems))

    def in_lang(self, lang: str) -> str:
        return "\n".join(in_lang(problem, lang) for problem in self.errors)

    def __str__(self) -> str:
        return self.in_lang("en")


class Problems:
    """The problems found so far; :meth:`raise_any` stops with all of them."""

    def __init__(self, file):
        self.file = file
        self.found: list[ScenarioError] = []
        self.more = 0

    def add(self, where: str | None, key: str | None, message: Bilingual | str) -> None:
        if len(self.found) >= MAX_PROBLEMS:
            self.more += 1
            return
        self.found.append(ScenarioError(self.file, key, message, line=where))

    def add_error(self, error: ScenarioError) -> None:
        self.add(error.line if isinstance(error.line, str) else None, error.key, error.text)

    def raise_any(self) -> None:
        if self.found:
            raise WorkbookError(self.file, self.found, self.more)


def shown(value) -> str:
    """A cell's value as an error message quotes it: text in double quotes."""
    if isinstance(value, str):
        return f'"{value}"'
    if value is True or value is False:
        return "TRUE" if value else "FALSE"
    return repr(value)


class SheetReader:
    """One sheet of a workbook, read by value (cached values of formulas)."""

    def __init__(self, values_ws, formulas_ws, problems: Problems):
        self.ws = values_ws
        self.formulas = formulas_ws
        self.problems = problems
        self.title = values_ws.title

    def ref(self, row: int, column: int, last_column: int | None = None) -> str:
        """``收入!E14`` (or ``收入!E14:P14`` for a range of one row)."""
        first = self.ws.cell(row=row, column=column).coordinate
        if last_column is None:
            return f"{self.title}!{first}"
        return f"{self.title}!{first}:{self.ws.cell(row=row, column=last_column).coordinate}"

    def value(self, row: int, column: int, key: str | None = None):
        """The cell's value: None when empty, :data:`EMPTY` when it cannot be read."""
        cell = self.ws.cell(row=row, column=column)
        value = cell.value
        if value is None:
            if self.formulas.cell(row=row, column=column).data_type == "f":
                self.problems.add(
                    self.ref(row, column),
                    key,
                    "a formula without a computed value; open and save the workbook in Excel "
                    "or LibreOffice (which compute it), or type the number",
                )
                return EMPTY
            return None
        if cell.data_type == "e":
            self.problems.add(self.ref(row, column), key, f"the cell holds an error {value}")
            return EMPTY
        if isinstance(value, str):
            value = value.strip()
            return value or None
        return value

    def check_merged(self) -> None:
        for merged in self.ws.merged_cells.ranges:
            self.problems.add(
                f"{self.title}!{merged.coord}",
                None,
                "merged cells: unmerge them (each cell holds one value)",
            )

    def check_headers(self, expected: list) -> bool:
        """Whether row 1 holds ``expected`` (a text accepts either language)."""
        ok = True
        for column, wanted in enumerate(expected, start=1):
            got = self.value(1, column)
            if not _header_matches(got, wanted):
                ok = False
                self.problems.add(
                    self.ref(1, column),
                    None,
                    f"expected the header {_describe(wanted)}, got "
                    f"{'nothing' if got is None else shown(got)} (do not delete, move or "
                    "rename header cells)",
                )
        return ok


def _header_matches(got, wanted) -> bool:
    if isinstance(wanted, int) and not isinstance(wanted, bool):  # a year column
        return isinstance(got, int) and not isinstance(got, bool) and got == wanted
    if isinstance(wanted, tuple):
        return got in wanted
    return got == wanted


def _describe(wanted) -> str:
    if isinstance(wanted, int):
        return f"{wanted} (a year, as a number)"
    if isinstance(wanted, tuple):
        return " or ".join(shown(text) for text in dict.fromkeys(wanted))
    return shown(wanted)


def expected_headers(columns: tuple) -> list:
    """Row 1 of a parameter sheet, each text as the pair of its two languages."""
    fixed = [L.HEADERS[name] for name in ("key", "label_zh", "label_en", "unit")]
    values: list = [*fixed]
    for column in columns:
        if column == "value":
            values.append(L.HEADERS["value"])
        elif isinstance(column, tuple):
            index = column[1] - 1
            values.append((L.MONTH_HEADERS[0][index], L.MONTH_HEADERS[1][index]))
        else:
            values.append(column)
    return [*values, L.HEADERS["source"], L.HEADERS["note"]]
