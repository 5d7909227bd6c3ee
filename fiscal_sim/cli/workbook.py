"""The ``template`` and ``convert`` commands: a scenario as an Excel workbook, and back.

Registered in the main group by :mod:`fiscal_sim.cli`. openpyxl is imported inside the
commands (through :mod:`fiscal_sim.workbook`), so ``fiscal-sim --help`` stays quick. Every
other command reads a filled workbook wherever it reads a YAML scenario.
"""

from __future__ import annotations

from pathlib import Path

import click

from fiscal_sim.cli.common import (
    command,
    example,
    inputs,
    lang_option,
    load,
    make_output_directory,
    say_written,
    scenario_argument,
    scenario_meta,
    use_lang,
)
from fiscal_sim.cli.errors import CommandError, InputError
from fiscal_sim.errors import Bilingual

YAML_SUFFIXES = (".yaml", ".yml")


def _write_checked(target: Path, write, scenario) -> None:
    """Write ``target`` through ``write(path)``, keep it only if it loads as ``scenario``.

    The file is written and loaded under a hidden name beside ``target`` (so relative
    ``extends`` paths resolve the same), then moved into place: an existing file is replaced
    whole or not at all.
    """
    import os
    import tempfile

    import fiscal_sim

    descriptor, name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.stem}.", suffix=target.suffix
    )
    os.close(descriptor)
    trial = Path(name)
    try:
        write(trial)
        converted = fiscal_sim.load_scenario(trial)
        if converted.hash != scenario.hash:
            raise CommandError(
                Bilingual(
                    "内部错误：{name} 载入后的哈希将是 {got}，而不是 {hash}；未写入任何文件",
                    "internal error: {name} would load with hash {got}, not {hash}; nothing "
                    "written",
                    name=target.name,
                    got=converted.hash,
                    hash=scenario.hash,
                )
            )
        os.chmod(trial, 0o644)
        os.replace(trial, target)
    finally:
        trial.unlink(missing_ok=True)
    say_written(target, (f"同一情景：哈希 {scenario.hash}", f"same scenario: hash {scenario.hash}"))


def _write_workbook(scenario, target: Path, lang: str) -> None:
    from fiscal_sim.scenario import reference_to
    from fiscal_sim.workbook.writer import write_template

    extends = reference_to(scenario.files[-1], target)
    _write_checked(target, lambda path: write_template(scenario, path, extends, lang), scenario)


@command(
    epilog=example(
        "fiscal-sim template default -o county.xlsx",
        "fiscal-sim template covid-2020 -o output/ --lang en",
        "fiscal-sim template --actuals 2020 -o actuals-2020.xlsx",
    )
)
@scenario_argument
@click.option(
    "-o",
    "--output",
    metavar="PATH",
    required=True,
    help="The .xlsx file, or a directory to write it into under a name that records the "
    "scenario, its hash and the version.",
)
@click.option(
    "--actuals",
    "actuals_year",
    metavar="YEAR",
    type=int,
    default=None,
    help="Write instead the workbook of the actual execution of YEAR: a row per month "
    "to fill in from the treasury's figures (fiscal-sim reforecast reads it).",
)
@lang_option
def template(scenario, output, actuals_year) -> None:
    """Write SCENARIO as an Excel workbook for a bureau to fill in and send back.

    An About sheet (what to fill, units, how to run it, the scenario it extends), one sheet
    per parameter group with every value, unit, label and source, the Monte Carlo shocks and
    the six-guarantee measures. Yellow cells are filled, the rest is locked; an empty cell
    keeps the value of SCENARIO. Run the filled workbook like a YAML file:
    `fiscal-sim run county.xlsx`. SCENARIO defaults to plan-followed.
    """
    from fiscal_sim import outputs

    lang = use_lang()
    loaded = load(scenario)
    if actuals_year is not None:
        from fiscal_sim.cli.reforecast import write_actuals_template

        return write_actuals_template(loaded, actuals_year, output, lang)
    make_output_directory(output)
    target = outputs.resolve_output(
        output, scenario_meta(loaded), "xlsx", inputs=inputs(loaded), prefix="template_"
    )
    if target.suffix.lower() != ".xlsx":
        raise InputError(
            Bilingual(
                "-o {output}：工作簿文件应以 .xlsx 结尾",
                "-o {output}: a workbook ends in .xlsx",
                output=output,
            )
        )
    _write_workbook(loaded, target, lang)


@command(
    epilog=example(
        "fiscal-sim convert county.xlsx -o county.yaml",
        "fiscal-sim convert county.yaml -o county-again.xlsx",
    )
)
@click.argument("source", metavar="FILE")
@click.option(
    "-o", "--output", metavar="PATH", required=True, help="The .yaml or .xlsx file to write."
)
@lang_option
def convert(source, output) -> None:
    """Convert a workbook to a YAML scenario, or a YAML scenario to a workbook.

    FILE.xlsx -> PATH.yaml writes the YAML overlay the workbook stands for (to keep under
    version control); FILE.yaml (or a bundled name) -> PATH.xlsx writes its workbook. Either
    way the result loads as the same scenario, with the same hash (checked before it is
    written).
    """
    from fiscal_sim import outputs

    lang = use_lang()
    loaded = load(source)
    target = outputs.check_file(output, inputs=inputs(loaded))
    wants = target.suffix.lower()
    if Path(source).suffix.lower() == ".xlsx":
        if wants not in YAML_SUFFIXES:
            raise InputError(
                Bilingual(
                    "-o {output}：工作簿只能转换为 .yaml 文件",
                    "-o {output}: a workbook converts to a .yaml file",
                    output=output,
                )
            )
        from fiscal_sim.scenario import read_overlay
        from fiscal_sim.workbook.convert import overlay_yaml

        text = overlay_yaml(read_overlay(source, relative_to=target), Path(source).name)
        _write_checked(target, lambda path: path.write_text(text, encoding="utf-8"), loaded)
    elif wants == ".xlsx":
        _write_workbook(loaded, target, lang)
    else:
        raise InputError(
            Bilingual(
                "-o {output}：YAML 情景只能转换为 .xlsx 工作簿",
                "-o {output}: a YAML scenario converts to an .xlsx workbook",
                output=output,
            )
        )


COMMANDS = (template, convert)
