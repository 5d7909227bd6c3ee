"""Errors that stop a run. A broken budget rule is never an error: it is a finding.

Every message is written in both languages where it is raised: a :class:`Bilingual` holds
the Chinese and the English, filled from the same named fields, and an error renders either
with :meth:`FiscalSimError.in_lang`. ``str()`` of an error is its English (what a log or a
traceback shows); the command line prints the Chinese first under ``--lang zh``.
"""

from __future__ import annotations

import errno
import string

_FORMATTER = string.Formatter()


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in _FORMATTER.parse(template) if name is not None}


def _side(fields: dict, lang: str) -> dict:
    return {
        name: value.in_lang(lang) if isinstance(value, Bilingual) else value
        for name, value in fields.items()
    }


class Bilingual:
    """One message in Chinese and English, from templates with the same named fields.

    Examples
    --------
    >>> message = Bilingual("应为数字，实为 {got!r}", "expected a number, got {got!r}", got="abc")
    >>> message.in_lang("zh"), str(message)
    ("应为数字，实为 'abc'", "expected a number, got 'abc'")
    >>> (message + Bilingual("（见第 {n} 行）", " (see line {n})", n=3)).in_lang("zh")
    "应为数字，实为 'abc'（见第 3 行）"
    >>> why = Bilingual("没有权限", "permission denied")
    >>> Bilingual("无法写入（{why}）", "cannot write ({why})", why=why).in_lang("zh")
    '无法写入（没有权限）'
    >>> Bilingual("{a}", "{b}", a=1, b=2)
    Traceback (most recent call last):
    TypeError: the Chinese and English of a message must use the same fields: ['a'] vs ['b']
    """

    __slots__ = ("en", "zh")

    def __init__(self, zh: str, en: str, **fields):
        if _fields(zh) != _fields(en):
            raise TypeError(
                "the Chinese and English of a message must use the same fields: "
                f"{sorted(_fields(zh))} vs {sorted(_fields(en))}"
            )
        # A field that is itself Bilingual fills each language with its own text.
        self.zh = zh.format(**_side(fields, "zh")) if fields else zh
        self.en = en.format(**_side(fields, "en")) if fields else en

    @classmethod
    def same(cls, text: str) -> Bilingual:
        """Text that reads the same in both languages (a path, a code, a value)."""
        return cls._of(text, text)

    @classmethod
    def _of(cls, zh: str, en: str) -> Bilingual:
        message = cls.__new__(cls)
        message.zh, message.en = zh, en
        return message

    def in_lang(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def __add__(self, other: Bilingual | str) -> Bilingual:
        other = as_bilingual(other)
        return Bilingual._of(self.zh + other.zh, self.en + other.en)

    def __radd__(self, other: str) -> Bilingual:
        return as_bilingual(other) + self

    def __len__(self) -> int:
        return max(len(self.zh), len(self.en))

    def cut(self, length: int) -> Bilingual:
        """Each language cut to ``length`` characters, ending in … when it was longer."""

        def short(text: str) -> str:
            return text if len(text) <= length else text[: length - 1] + "…"

        return Bilingual._of(short(self.zh), short(self.en))

    def __str__(self) -> str:
        return self.en

    def __repr__(self) -> str:
        return f"Bilingual({self.zh!r}, {self.en!r})"

    def __eq__(self, other) -> bool:
        if isinstance(other, Bilingual):
            return (self.zh, self.en) == (other.zh, other.en)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.zh, self.en))


def as_bilingual(message: Bilingual | str) -> Bilingual:
    """``message`` as a :class:`Bilingual` (a plain string reads the same in both)."""
    return message if isinstance(message, Bilingual) else Bilingual.same(str(message))


def in_lang(error: BaseException | Bilingual | str, lang: str) -> str:
    """An error's (or a message's) text in ``lang``; English for errors that have only it."""
    if isinstance(error, Bilingual):
        return error.in_lang(lang)
    render = getattr(error, "in_lang", None)
    return render(lang) if callable(render) else str(error)


def did_you_mean(word, choices) -> Bilingual:
    """The closest of ``choices`` to a mistyped ``word`` as a hint, empty when none is close.

    >>> did_you_mean("people.staf", ["people.staff", "pay.growth"]).in_lang("zh")
    "（是不是要找 'people.staff'？）"
    >>> str(did_you_mean("people.staf", ["people.staff"]))
    " (did you mean 'people.staff'?)"
    >>> did_you_mean("zzz", ["people.staff"]) == Bilingual.same("")
    True
    """
    import difflib

    close = difflib.get_close_matches(str(word), [str(choice) for choice in choices], n=1)
    if not close:
        return Bilingual.same("")
    return Bilingual("（是不是要找 {close!r}？）", " (did you mean {close!r}?)", close=close[0])


def outside_horizon(what, years) -> Bilingual:
    """``what`` (a year, a month, a start year: text or Bilingual) is not one of the
    projection ``years``: the one message every check of a year against the horizon gives.

    >>> outside_horizon(Bilingual("年度 {y}", "year {y}", y=2031), (2019, 2025)).in_lang("zh")
    '年度 2031 超出预测期 2019–2025'
    >>> str(outside_horizon("2031-06", range(2019, 2026)))
    '2031-06 is outside the projection years 2019–2025'
    """
    years = [int(year) for year in years]
    return Bilingual(
        "{what} 超出预测期 {first}–{last}",
        "{what} is outside the projection years {first}–{last}",
        what=what,
        first=min(years),
        last=max(years),
    )


def year_outside_horizon(year, years) -> Bilingual:
    """``年度 2031 超出预测期 2019–2025`` / ``year 2031 is outside the projection years …``."""
    return outside_horizon(Bilingual("年度 {year}", "year {year}", year=year), years)


OS_REASONS = {
    errno.ENOENT: "没有这个文件或文件夹",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EACCES: "没有权限",
    errno.EPERM: "不允许此操作",
    errno.EEXIST: "文件已存在",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "只读文件系统",
    errno.EDQUOT: "超出磁盘配额",
}
"""The Chinese of the operating system's usual reasons, by errno (its English is ``strerror``)."""


def os_reason(error: BaseException) -> Bilingual:
    """Why the operating system refused (a file not found, no permission, a full disk), in
    both languages: the Chinese from :data:`OS_REASONS`, the English the system's own.

    >>> os_reason(FileNotFoundError(2, "No such file or directory")).zh
    '没有这个文件或文件夹'
    >>> os_reason(OSError("disk full"))
    Bilingual('系统错误（disk full）', 'disk full')
    """
    english = getattr(error, "strerror", None) or " ".join(str(error).split())
    english = english or type(error).__name__
    chinese = OS_REASONS.get(getattr(error, "errno", None))
    return Bilingual._of(chinese or f"系统错误（{english}）", english)


class FiscalSimError(Exception):
    """Base of every error fiscal_sim raises on purpose (the CLI maps it to exit code 2).

    Its message is a :class:`Bilingual` or a plain string (the same in both languages).

    >>> FiscalSimError(Bilingual("没有这个县：{c}", "no such county: {c}", c="X")).in_lang("zh")
    '没有这个县：X'
    """

    def in_lang(self, lang: str) -> str:
        """The message in ``lang`` (``str()`` is the English)."""
        if len(self.args) == 1:
            return in_lang(self.args[0], lang)
        return str(self)

    def __str__(self) -> str:
        if len(self.args) == 1 and isinstance(self.args[0], Bilingual):
            return self.args[0].en
        return super().__str__()


class ScenarioError(FiscalSimError):
    """A scenario file or override is invalid.

    Names the file, the key path inside it and what was expected, with the line number when
    the YAML parser can give it, or the cell of a workbook (``line="收入!E14"``).

    Examples
    --------
    >>> str(ScenarioError("county.yaml", "revenue.tax", "expected a number, got 'abc'", line=12))
    "county.yaml:12: revenue.tax: expected a number, got 'abc'"
    >>> str(ScenarioError("county.xlsx", "revenue.tax", "expected a number", line="收入!E14"))
    'county.xlsx!收入!E14 (revenue.tax): expected a number'
    """

    MAX_LENGTH = 300
    """A longer message (one quoting a huge value) is cut here: an error stays one short line."""

    def __init__(
        self,
        file,
        key: str | None,
        message: Bilingual | str,
        line: int | str | None = None,
    ):
        self.file = str(file) if file is not None else None
        self.key = key if key is None or len(key) <= 100 else key[:99] + "…"
        self.text = as_bilingual(message).cut(self.MAX_LENGTH)
        self.message = self.text.en  # the English, as ``str()`` gives it
        self.line = line
        super().__init__(str(self))

    def in_lang(self, lang: str) -> str:
        """``file:line: key: message`` (or ``file!sheet!E14 (key): message``), the message in
        ``lang``; the frame is the same in both languages."""
        where = self.file or "<scenario>"
        message = self.text.in_lang(lang)
        if isinstance(self.line, str):  # a workbook's cell, e.g. 收入!E14
            key = f" ({self.key})" if self.key else ""
            return f"{where}!{self.line}{key}: {message}"
        if self.line is not None:
            where = f"{where}:{self.line}"
        if self.key:
            where = f"{where}: {self.key}"
        return f"{where}: {message}"

    def __str__(self) -> str:
        return self.in_lang("en")


class PolicyError(ScenarioError):
    """A policy file for the affordability assessment is invalid."""
