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


def given_twice(first: str) -> Bilingual:
    """A key (or column) met again: where it was first."""
    return Bilingual("重复填写（第一次在 {first}）", "given twice (first at {first})", first=first)


def cannot_read(error: BaseException) -> Bilingual:
    """A workbook openpyxl cannot parse (a corrupt zip or XML)."""
    return Bilingual("无法读取工作簿（{error}）", "cannot read the workbook ({error})", error=error)


def expected_got(what: Bilingual, value) -> Bilingual:
    """A cell that holds the wrong thing: what it should hold, what it holds."""
    return Bilingual(
        "应为{what}，实为 {got}", "expected {what}, got {got}", what=what, got=shown(value)
    )


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
                    Bilingual(
                        "公式没有计算结果；请在 Excel 或 LibreOffice 中打开并保存工作簿（它们会计算"
                        "公式），或直接填入数字",
                        "a formula without a computed value; open and save the workbook in Excel "
                        "or LibreOffice (which compute it), or type the number",
                    ),
                )
                return EMPTY
            return None
        if cell.data_type == "e":
            self.problems.add(
                self.ref(row, column),
                key,
                Bilingual(
                    "单元格中是错误值 {value}", "the cell holds an error {value}", value=value
                ),
            )
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
                Bilingual(
                    "合并的单元格：请取消合并（每个单元格只放一个值）",
                    "merged cells: unmerge them (each cell holds one value)",
                ),
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
                    Bilingual(
                        "表头应为 {wanted}，实为 {got}（请勿删除、移动或重命名表头单元格）",
                        "expected the header {wanted}, got {got} (do not delete, move or "
                        "rename header cells)",
                        wanted=_describe(wanted),
                        got=Bilingual("空", "nothing") if got is None else shown(got),
                    ),
                )
        return ok


def _header_matches(got, wanted) -> bool:
    if isinstance(wanted, int) and not isinstance(wanted, bool):  # a year column
        return isinstance(got, int) and not isinstance(got, bool) and got == wanted
    if isinstance(wanted, tuple):
        return got in wanted
    return got == wanted


def _describe(wanted) -> Bilingual:
    if isinstance(wanted, int):
        return Bilingual("{year}（年份，数字）", "{year} (a year, as a number)", year=wanted)
    if isinstance(wanted, tuple):
        first, *others = (shown(text) for text in dict.fromkeys(wanted))
        described = Bilingual.same(first)
        for text in others:
            described += Bilingual("或{text}", " or {text}", text=text)
        return described
    return Bilingual.same(shown(wanted))


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
