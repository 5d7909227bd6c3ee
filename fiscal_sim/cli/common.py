"""What every ``fiscal-sim`` command shares: options, loading, output targets, metadata (how
a command fails, its exit codes and errors in both languages: :mod:`fiscal_sim.cli.errors`).

Heavy libraries (pandas, numpy, scipy, matplotlib) are imported inside the functions that
need them, so that importing a command module, and ``fiscal-sim --help``, stays quick.

Exit codes: 0 ok, 1 error, 2 usage or invalid input, 3 rules breached (``check``) or policy
not affordable (``assess``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence

import click

from fiscal_sim._version import __version__
from fiscal_sim.cli.errors import (
    DEBUG_KEY,
    LANG_KEY,
    InputError,
    bilingual_usage,
    clean_errors,
)
from fiscal_sim.cli.helpzh import Context
from fiscal_sim.errors import Bilingual, os_reason

EXIT_CODES_HELP = """\b
退出码 Exit codes:
  0  正常 ok
  1  错误 error (an unexpected failure; --debug shows the traceback)
  2  用法错误或输入无效 usage error or invalid input (a scenario, --set,
     --years or -o)
  3  规则违规（check）或政策不可承受（assess） rules breached (check) or
     policy not affordable (assess)
  4  部分县失败，其余已完成（batch） some counties failed, the others done
     (batch)"""

DEFAULT_SCENARIO = "plan-followed"
"""The bundled scenario a command runs when it is given none (issue #6)."""

DEFAULT_SCENARIO_HELP = f"the bundled scenario {DEFAULT_SCENARIO}"

FORMATS = ("table", "csv", "json", "xlsx")  # fiscal_sim.outputs.FORMATS, without importing it
TEXT_FORMATS = ("table", "csv", "json")
_PRECISION = "fiscal_sim.precision"


def example(*lines: str) -> str:
    """An epilog that ends a command's help with its example, kept unwrapped.

    Examples
    --------
    >>> example("fiscal-sim run").splitlines()[1:]
    ['示例 Example:', '  $ fiscal-sim run']
    """
    return "\b\n示例 Example:\n" + "\n".join(f"  $ {line}" for line in lines)


HELP_OPTION_HELP = "显示本帮助并退出。 Show this message and exit."


def _bilingual_help_option(option):
    if option is not None:
        option.help = HELP_OPTION_HELP
    return option


class FiscalSimGroup(click.Group):
    """A click group that turns library errors into one-line messages and exit codes."""

    context_class = Context

    def get_help_option(self, ctx: click.Context):
        return _bilingual_help_option(super().get_help_option(ctx))

    def make_context(self, info_name, args, parent=None, **extra):
        with bilingual_usage():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context):
        with bilingual_usage(), clean_errors(ctx):
            return super().invoke(ctx)


class FiscalSimCommand(click.Command):
    """A command that maps errors as the group does, also when it is run on its own."""

    context_class = Context

    def get_help_option(self, ctx: click.Context):
        return _bilingual_help_option(super().get_help_option(ctx))

    def make_context(self, info_name, args, parent=None, **extra):
        with bilingual_usage():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context):
        with bilingual_usage(), clean_errors(ctx):
            return super().invoke(ctx)


def command(name: str | None = None, **settings):
    """``click.command`` with :class:`FiscalSimCommand`: every command's decorator."""
    return click.command(name, cls=FiscalSimCommand, **settings)


def _remember_lang(ctx: click.Context, param: click.Parameter, value: str | None):
    if value is not None:
        ctx.meta[LANG_KEY] = value
    return value


def lang_option(function):
    """``--lang zh|en``: the language of labels and descriptions (group or command)."""
    return click.option(
        "--lang",
        type=click.Choice(["zh", "en"]),
        default=None,
        envvar="FISCAL_SIM_LANG",
        expose_value=False,
        callback=_remember_lang,
        help="Language of labels and text: zh (中文) or en. [env: FISCAL_SIM_LANG]",
    )(function)


def use_lang() -> str:
    """Apply the chosen ``--lang`` to fiscal_sim.labels and return the language in use."""
    from fiscal_sim import labels

    ctx = click.get_current_context()
    lang = ctx.meta.get(LANG_KEY)
    if lang and lang != labels.get_lang():
        previous = labels.get_lang()
        labels.set_lang(lang)
        ctx.call_on_close(lambda: labels.set_lang(previous))  # leave no global change behind
    return labels.get_lang()


def _remember_precision(ctx: click.Context, param: click.Parameter, value: str | None):
    if value is not None:
        ctx.meta[_PRECISION] = value
    return value


def precision_option(function):
    """``--precision cents|full``: CSV amounts in 万元 to 0.01 (default) or as computed."""
    return click.option(
        "--precision",
        type=click.Choice(["cents", "full"]),
        default=None,
        expose_value=False,
        callback=_remember_precision,
        help="CSV 中的金额（万元）保留到0.01（cents，默认）或完整精度（full）。 "
        "CSV amounts in 万元 rounded to 0.01 (cents, the default) or in full precision.",
    )(function)


def use_precision() -> str:
    """The ``--precision`` chosen for CSV amounts: ``cents`` unless ``full`` was asked for."""
    return click.get_current_context().meta.get(_PRECISION) or "cents"


def remember_debug(ctx: click.Context, debug: bool) -> None:
    """Record the group's ``--debug`` where the error mapping looks for it."""
    ctx.meta[DEBUG_KEY] = debug


def format_option(choices: Sequence[str] = FORMATS, default: str | None = None):
    """``--format``: without a default, the suffix of ``-o`` chooses (see :func:`choose_format`)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default,
        show_default=default is not None,
        help="Output format."
        if default is not None
        else "Output format; default: from the suffix of -o, else table.",
    )


output_option = click.option(
    "-o",
    "--output",
    metavar="PATH",
    default=None,
    help="Write to this file, or into this directory under a name that records the "
    "scenario, its hash and the version. Default: stdout.",
)

scenario_argument = click.argument("scenario", required=False)
"""The optional SCENARIO: a bundled name, a YAML file or a workbook (.xlsx); :func:`load`
supplies the default."""

set_option = click.option(
    "--set",
    "overrides",
    metavar="KEY=VALUE",
    multiple=True,
    help="Override one parameter, e.g. --set people.staff=4800 (repeatable).",
)


# ``--format table|csv|json``, default table: the commands that print tables only.
text_format_option = format_option(TEXT_FORMATS, default="table")


def _parse_years(ctx: click.Context, param: click.Parameter, value: str | None):
    """``2019:2025``, ``2021``, ``2020:`` or ``:2022`` -> (first, last), None for open ends."""
    if value is None:
        return None
    first, colon, last = value.partition(":")
    try:
        start = int(first) if first.strip() else None
        end = int(last) if last.strip() else None
    except ValueError:
        raise InputError(
            Bilingual(
                "--years {value}：应为 起始年:结束年，例如 2019:2025",
                "--years {value}: expected FIRST:LAST, e.g. 2019:2025",
                value=value,
            )
        ) from None
    if not colon:
        end = start
    if start is not None and end is not None and start > end:
        raise InputError(
            Bilingual(
                "--years {value}：起始年 {start} 晚于结束年 {end}",
                "--years {value}: the first year {start} comes after the last {end}",
                value=value,
                start=start,
                end=end,
            )
        )
    return start, end


years_option = click.option(
    "--years",
    metavar="FIRST:LAST",
    callback=_parse_years,
    help="Show only these projection years, e.g. 2019:2023 or 2021.",
)


def select_years(scenario, years: tuple[int | None, int | None] | None) -> list[int]:
    """The projection years ``--years`` asks for; InputError outside the horizon."""
    available = [int(year) for year in scenario.years]
    if years is None:
        return available
    start = available[0] if years[0] is None else years[0]
    end = available[-1] if years[1] is None else years[1]
    if start > end:
        raise InputError(
            Bilingual(
                "--years {start}:{end}：起始年晚于结束年",
                "--years {start}:{end}: the first year comes after the last",
                start=start,
                end=end,
            )
        )
    if start < available[0] or end > available[-1]:
        message = Bilingual(
            "--years {start}:{end}：超出 {name} 的预测年度 {first}:{last}",
            "--years {start}:{end}: outside the projection years of {name}, {first}:{last}",
            start=start,
            end=end,
            name=scenario.name,
            first=available[0],
            last=available[-1],
        )
        if end > available[-1]:
            message += Bilingual(
                "；要预测得更远，请加 --set horizon.end_year={end}",
                "; to project further, add --set horizon.end_year={end}",
                end=end,
            )
        raise InputError(message)
    return [year for year in available if start <= year <= end]


def _check_overrides(overrides: Iterable[str]) -> tuple[str, ...]:
    for override in overrides:
        key, equals, _ = override.partition("=")
        if not equals or not key.strip():
            raise InputError(
                Bilingual(
                    "--set {override}：应为 键=值，例如 --set people.staff=4800",
                    "--set {override}: expected KEY=VALUE, e.g. --set people.staff=4800",
                    override=override,
                )
            )
    return tuple(overrides)


def load(spec: str | None, overrides: Iterable[str] = ()):
    """The scenario named by ``spec`` (a bundled name, a YAML file or an ``.xlsx`` workbook;
    None: the default).

    Without ``spec`` the command line runs :data:`DEFAULT_SCENARIO`, not the library's
    default county.
    """
    import fiscal_sim

    spec = DEFAULT_SCENARIO if spec is None else spec
    try:
        return fiscal_sim.load_scenario(spec, overrides=_check_overrides(overrides))
    except (FileNotFoundError, IsADirectoryError, PermissionError) as error:
        raise InputError(f"{spec}: " + os_reason(error)) from None


def check_start(scenario, start: int | None) -> None:
    """``--start YEAR`` must be a projection year of ``scenario``."""
    if start is not None and start not in scenario.years:
        raise InputError(
            Bilingual(
                "--start {start}：不在 {name} 的预测年度内",
                "--start {start}: outside the projection years of {name}",
                start=start,
                name=scenario.name,
            )
        )


def make_output_directory(output: str | None) -> None:
    """Create the directory ``-o`` names when it is missing (the user's intent): the path
    itself when it ends in ``/`` or has no suffix, else the directory of the file."""
    if output is None:
        return
    from pathlib import Path

    target = Path(output)
    folder = target if output.endswith(("/", os.sep)) or not target.suffix else target.parent
    if not folder.exists():
        try:
            folder.mkdir(parents=True)
        except OSError as error:
            raise InputError(
                Bilingual(
                    "-o {output}：无法创建 {folder}（{why}）",
                    "-o {output}: cannot create {folder} ({why})",
                    output=output,
                    folder=folder,
                    why=os_reason(error),
                )
            ) from None
        click.echo(("已创建 {}" if use_lang() == "zh" else "created {}").format(folder), err=True)


SPREADSHEET_SUFFIXES = (".xls", ".xlsm", ".xlsb", ".ods")
"""Suffixes of spreadsheets fiscal-sim does not write (it writes .xlsx)."""


def refuse_unknown_suffix(output: str | None, fmt: str | None, known) -> None:
    """``-o x.xls`` (or any suffix no format writes) without ``--format``: refused with a hint."""
    if output is None or fmt is not None:
        return
    from pathlib import Path

    suffix = Path(output).suffix.lower()
    if not suffix or output.endswith(("/", os.sep)) or suffix in known:
        return
    if suffix in SPREADSHEET_SUFFIXES:
        hint = Bilingual(
            "fiscal-sim 以 .xlsx 格式写 Excel 工作簿：-o {xlsx}",
            "fiscal-sim writes Excel workbooks as .xlsx: -o {xlsx}",
            xlsx=Path(output).with_suffix(".xlsx"),
        )
    else:
        hint = Bilingual(
            "请用以 {known} 结尾的文件名，或加 --format",
            "name a file ending in {known}, or add --format",
            known=", ".join(sorted(known)),
        )
    message = Bilingual(
        "-o {output}：没有哪种输出格式写 {suffix} 文件；",
        "-o {output}: no output format writes {suffix} files; ",
        output=output,
        suffix=suffix,
    )
    raise InputError(message + hint)


def choose_format(fmt: str | None, output: str | None) -> str:
    """``--format``, else the one ``-o``'s suffix names, else table; xlsx needs ``-o``."""
    from fiscal_sim.outputs import SUFFIXES, format_from_path

    refuse_unknown_suffix(
        output, fmt, {suffix for key, suffix in SUFFIXES.items() if key != "html"}
    )
    make_output_directory(output)
    chosen = fmt or format_from_path(output) or "table"
    if chosen == "xlsx" and output is None:
        raise InputError(
            Bilingual(
                "--format xlsx 写的是文件：请加 -o 路径", "--format xlsx writes a file: add -o PATH"
            )
        )
    return chosen


def inputs(*scenarios) -> list[str]:
    """The files the scenarios were built from (an output must not overwrite them)."""
    return [str(file) for scenario in scenarios for file in scenario.files]


def emit(result, fmt: str, target, lang: str) -> None:
    """Write ``result`` (an Output) to ``target`` (a resolved path) or print it on stdout."""
    from fiscal_sim import outputs

    precision = use_precision()
    if target is None:
        click.echo(outputs.render(result, fmt, lang, precision), nl=False)
    else:
        outputs.write(result, fmt, target, lang, precision)
        say_written(target)


def say_written(target, note: tuple[str, str] | None = None) -> None:
    """Say on stderr that ``target`` was written, in the language in use: 已写入 PATH / wrote
    PATH, then ``note`` (Chinese, English) when given."""
    zh = use_lang() == "zh"
    text = f"已写入 {target}" if zh else f"wrote {target}"
    if note:
        text += f"（{note[0]}）" if zh else f" ({note[1]})"
    click.echo(text, err=True)


def say_seed(seed) -> None:
    """Say on stderr the seed a Monte Carlo run drew (no ``--seed`` was given), in the
    language in use, so that the run can be repeated."""
    if use_lang() == "zh":
        text = f"随机数种子：{seed}（用 --seed {seed} 可重复本次模拟）"
    else:
        text = f"seed: {seed} (repeat with --seed)"
    click.echo(text, err=True)


PROGRESS_VERBS = {
    "projecting": "预测",
    "reporting": "生成报告",
    "simulating": "模拟",
    "stress-testing": "压力测试",
    "searching": "搜索",
    "goal-seeking": "目标求解",
    "sweeping": "扫描",
}
"""The first word of a progress label under ``--lang zh`` (the rest is a name or a code)."""


def progress(length: int, label: str, eta: bool = False):
    """A progress bar on stderr (click shows only the label when stderr is not a terminal),
    labelled in the chosen language."""
    from fiscal_sim import labels

    verb, space, rest = label.partition(" ")
    if labels.get_lang() == "zh" and verb in PROGRESS_VERBS:
        label = PROGRESS_VERBS[verb] + space + rest
    return click.progressbar(length=length, label=label, file=sys.stderr, show_eta=eta)


def scenario_meta(scenario, title: bool = True) -> dict:
    """Where a result came from: scenario name, (title,) hash, files, fiscal_sim version and
    the overrides (what was changed in the scenario the title names)."""
    meta = {
        "scenario": scenario.name,
        "title": dict(scenario.title),
        "hash": scenario.hash,
        "files": [str(file) for file in scenario.files],
        "fiscal_sim_version": __version__,
        "overrides": [dict(change) for change in scenario.changes],
    }
    if not title:
        del meta["title"]
    return meta


def unique_names(names: Iterable[str], mark: str = "#{}") -> list[str]:
    """Names made unique for headers and legends: a repeated name gets ``mark`` and a count.

    Examples
    --------
    >>> unique_names(["a", "b", "a", "a"])
    ['a', 'b', 'a#2', 'a#3']
    >>> unique_names(["A", "A"], mark=" ({})")
    ['A', 'A (2)']
    """
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name}{mark.format(seen[name])}")
    return unique
