"""How a ``fiscal-sim`` command fails: its exit codes, the language it speaks in, and every
error shown in both languages.

Under zh (the default) an error prints ``错误：<中文>`` and then ``Error: <English>``; under
``--lang en`` the English alone. A library error (:class:`fiscal_sim.errors.FiscalSimError`)
becomes an :class:`InputError` (exit 2), an operating-system refusal or an unexpected error a
one-line :class:`CommandError` (exit 1), and click's usage errors get a Chinese line by kind.
"""

from __future__ import annotations

import os
import re
import sys
from contextlib import contextmanager

import click

from fiscal_sim.errors import Bilingual, FiscalSimError, as_bilingual, in_lang, os_reason

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_INVALID = 2
EXIT_RULES_BREACHED = 3  # `check` when a rule is breached, `assess` when not affordable
EXIT_SOME_FAILED = 4  # `batch` when some counties failed (the others are done)
LANG_KEY = "fiscal_sim.lang"  # ctx.meta is shared by the group and its commands
DEBUG_KEY = "fiscal_sim.debug"


def current_lang() -> str:
    """The language chosen for this run (``--lang``, else FISCAL_SIM_LANG, else zh), read
    without importing fiscal_sim.labels."""
    ctx = click.get_current_context(silent=True)
    lang = ctx.meta.get(LANG_KEY) if ctx is not None else None
    lang = lang or os.environ.get("FISCAL_SIM_LANG")
    if lang in ("zh", "en"):
        return lang
    from fiscal_sim import labels

    return labels.get_lang()


def error_text(message: Bilingual | str, lang: str) -> str:
    """How an error is printed: under zh ``错误：<Chinese>`` then ``Error: <English>`` (the
    English is what an IT desk or a search engine knows); under en the English alone.

    >>> print(error_text(Bilingual("没有这个文件", "no such file"), "zh"))
    错误：没有这个文件
    Error: no such file
    >>> error_text("x.yaml: no such file", "en")
    'Error: x.yaml: no such file'
    """
    message = as_bilingual(message)
    english = f"Error: {message.en}"
    return english if lang != "zh" else f"错误：{message.zh}\n{english}"


class CommandError(click.ClickException):
    """A run that stops: its message in both languages on stderr (see :func:`error_text`)."""

    exit_code = EXIT_ERROR

    def __init__(self, message: Bilingual | str):
        self.bilingual = as_bilingual(message)
        self.lang = current_lang()
        super().__init__(self.bilingual.en)

    def show(self, file=None) -> None:
        click.echo(error_text(self.bilingual, self.lang), file=file, err=file is None)


class InputError(CommandError):
    """Invalid input from the user: exit code 2."""

    exit_code = EXIT_INVALID


def one_line(error: BaseException | str) -> str:
    """An error's message on one line (or its type when it has none)."""
    return " ".join(str(error).split()) or type(error).__name__


def _lines(text: str) -> str:
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def error_message(error: BaseException) -> Bilingual:
    """A library error's message in both languages, each problem on one line."""
    return Bilingual._of(_lines(in_lang(error, "zh")), _lines(in_lang(error, "en")))


@contextmanager
def clean_errors(ctx: click.Context):
    """Library errors become one-line messages and the documented exit codes."""
    try:
        yield
    except (click.ClickException, click.exceptions.Exit, click.Abort):
        raise
    except FiscalSimError as error:
        # A workbook's problems come all at once, one line each.
        raise InputError(error_message(error)) from None
    except BrokenPipeError:
        # The reader went away (`fiscal-sim run | head`): stop quietly.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - replaces a closed stream
        raise click.exceptions.Exit(EXIT_ERROR) from None
    except OSError as error:
        if ctx.meta.get(DEBUG_KEY):
            raise
        where = f"{error.filename}: " if error.filename else ""
        raise CommandError(where + os_reason(error)) from None
    except Exception as error:
        if ctx.meta.get(DEBUG_KEY):
            raise
        detail = f"{type(error).__name__}: {one_line(error)}"
        raise CommandError(
            Bilingual(
                "内部错误（{detail}）；加 --debug 重新运行可看到调用栈",
                "internal error ({detail}); rerun with --debug for the traceback",
                detail=detail,
            )
        ) from None


USAGE_KINDS = (
    (click.NoSuchOption, "没有这个选项"),
    (click.MissingParameter, "缺少参数"),
    (click.BadParameter, "参数值无效"),
    (click.BadOptionUsage, "选项用法有误"),
    (click.BadArgumentUsage, "参数用法有误"),
    (click.UsageError, "用法有误"),
)
"""The Chinese of click's usage errors, by kind (most specific first)."""


def usage_in_chinese(error: click.UsageError) -> str:
    """A usage error's Chinese line: its kind, then what it names (click's English detail
    when it names nothing a Chinese sentence can hold)."""
    if isinstance(error, click.NoSuchOption):
        close = error.possibilities or ()
        hint = f"（是不是要用 {'、'.join(sorted(close))}？）" if close else ""
        return f"没有这个选项：{error.option_name}{hint}"
    command = re.fullmatch(r"No such command '(.+)'\.", error.format_message())
    if command:
        return f"没有这个命令：{command.group(1)}（fiscal-sim --help 列出全部命令）"
    kind = next(zh for kind, zh in USAGE_KINDS if isinstance(error, kind))
    return f"{kind}：{error.format_message()}"


class BilingualUsageError(click.UsageError):
    """click's usage error, shown under zh with a Chinese line before click's own."""

    def __init__(self, error: click.UsageError, lang: str):
        super().__init__(error.format_message(), error.ctx)
        self.exit_code = error.exit_code
        self.chinese = usage_in_chinese(error)
        self.lang = lang

    def show(self, file=None) -> None:
        if self.lang != "zh":
            return super().show(file)
        if self.ctx is not None:
            help_option = self.ctx.help_option_names[0]
            try_help = f"'{self.ctx.command_path} {help_option}'"
            click.echo(self.ctx.get_usage(), err=file is None, file=file)
            click.echo(
                f"用 {try_help} 查看帮助。 Try {try_help} for help.\n",
                err=file is None,
                file=file,
            )
        message = Bilingual._of(self.chinese, self.format_message())
        click.echo(error_text(message, "zh"), err=file is None, file=file)


@contextmanager
def bilingual_usage():
    try:
        yield
    except BilingualUsageError:
        raise
    except click.UsageError as error:
        raise BilingualUsageError(error, current_lang()) from None
