"""The ``batch`` and ``synth`` commands: many counties at once, and a synthetic province.

Registered in the main group by :mod:`fiscal_sim.cli`. Dask, pandas and the library's batch
code are imported inside the commands, so ``fiscal-sim --help`` stays quick.
"""

from __future__ import annotations

import contextlib

import click

from fiscal_sim.cli.common import (
    command,
    example,
    lang_option,
    make_output_directory,
    progress,
    use_lang,
)
from fiscal_sim.cli.errors import EXIT_SOME_FAILED, InputError
from fiscal_sim.errors import Bilingual

BATCH_EXIT_CODES = """\b
退出码 Exit codes:
  0  所有县完成 every county done
  1  错误 error (an unexpected failure; --debug shows the traceback)
  2  用法错误或输入无效 usage error or invalid input (a path, a manifest, -o, --draws)
  4  部分县失败，其余已完成，errors.csv 列出每个文件和键 some counties failed: the others
     are done, errors.csv names each file and key"""


@command(
    "batch",
    epilog=BATCH_EXIT_CODES
    + "\n\n"
    + example("fiscal-sim batch default land-slump transfer-cut --workers 2 -o batch-out/"),
)
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", required=True, help="Folder for the tables and the report.")
@click.option(
    "--draws",
    type=click.IntRange(0, 1_000_000),
    default=0,
    show_default=True,
    help="Monte Carlo draws per county (0: the deterministic projection only).",
)
@click.option(
    "--seed",
    type=click.IntRange(0),
    default=0,
    show_default=True,
    help="Batch seed; each county draws from SeedSequence([seed, code]).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="An existing Dask cluster (tcp://host:8786); default $DASK_SCHEDULER_ADDRESS, else a "
    "local cluster on 127.0.0.1.",
)
@click.option(
    "--workers",
    type=click.IntRange(0),
    help="Worker processes of the local cluster (default: one per core); 0 runs every county "
    "in this process, without Dask.",
)
@click.option(
    "--block",
    type=click.IntRange(1),
    default=10,
    show_default=True,
    help="Counties per Dask task.",
)
@lang_option
def batch(paths, output, draws, seed, scheduler, workers, block) -> None:
    """Many counties at once: each county projected, checked and (with --draws) simulated;
    ranked by a risk score, rolled up by prefecture and for the whole batch.

    PATHS are folders of county scenarios (YAML or .xlsx; a folder's manifest.csv when it has
    one), manifests (CSV or YAML: file, code 行政区划代码, name, prefecture), scenario files
    or bundled scenario names. Blocks of counties are tasks on a Dask cluster; a county that
    fails does not stop the others. Writes tidy tables (Parquet and CSV), the ranking, the
    roll-up, summary.xlsx, report.html and batch.json into -o (docs/batch.md).
    """
    from fiscal_sim.batch import files, run
    from fiscal_sim.batch.counties import discover
    from fiscal_sim.batch.schedule import existing_cluster, local_cluster, scheduler_address
    from fiscal_sim.writing import check_directory

    lang = use_lang()
    make_output_directory(output if output.endswith("/") else output + "/")
    check_directory(output)  # a file, or a folder it cannot write in: before any county runs
    counties = discover(paths)  # bad paths or manifests stop here, before any cluster starts
    address = scheduler_address(scheduler)
    if address is not None and workers is not None:
        raise InputError(
            Bilingual(
                "--workers 设置的是本地集群，不能与 --scheduler 同用",
                "--workers sets the local cluster; it cannot go with --scheduler",
            )
        )
    if address is None and workers == 0:
        cluster = contextlib.nullcontext()  # every county in this process, without Dask
    else:
        cluster = existing_cluster(address) if address else local_cluster(workers)
    with cluster as client:
        if client is not None:
            where = (
                f"Dask 调度器 scheduler: {address}"
                if address
                else f"Dask 仪表盘 dashboard: {client.dashboard_link}"
            )
            click.echo(where, err=True)
        with progress(len(counties), COUNTING[lang][0].format(len(counties))) as bar:
            on_block = _counting(bar, COUNTING[lang][1])
            result = run(paths, draws, seed, client=client, block=block, on_block=on_block)
    written = files.write_tables(result, output) + files.write_reports(result, output, lang)
    click.echo(result.summary(lang), err=True)
    click.echo(COUNTING[lang][2].format(len(written), output), err=True)
    if result.counties_failed:
        for row in result.errors_in(lang).itertuples():
            click.echo(COUNTING[lang][3].format(row.code, row.message), err=True)
        raise click.exceptions.Exit(EXIT_SOME_FAILED)


COUNTING = {
    "zh": ("预测 {} 个县", "，{} 个失败", "已写入 {} 个文件到 {}", "失败 {}：{}"),
    "en": ("projecting {} counties", ", {} failed", "wrote {} files to {}", "failed {}: {}"),
}
"""The progress bar's label, what it gains once counties fail, the files written and each
failure, by language."""


def _counting(bar, failures: str):
    """The ``on_block`` of :func:`fiscal_sim.batch.run` that moves ``bar`` by each block's
    counties and, once some have failed, adds ``failures`` with their count to its label."""
    label = bar.label
    failed = 0

    def count(block_results) -> None:
        nonlocal failed
        failed += sum(not result.ok for result in block_results)
        if failed:
            bar.label = label + failures.format(failed)
        bar.update(len(block_results))

    return count


@command("synth", epilog=example("fiscal-sim synth --counties 86 --seed 1 -o counties/"))
@click.option(
    "--counties",
    type=click.IntRange(1, 99 * 99),
    default=86,
    show_default=True,
    help="How many synthetic counties.",
)
@click.option("--seed", type=click.IntRange(0), default=1, show_default=True, help="Seed.")
@click.option("--base", default="default", show_default=True, help="The scenario they extend.")
@click.option("-o", "--output", required=True, help="Folder for the county files.")
@lang_option
def synth(counties, seed, base, output) -> None:
    """A synthetic province: county files perturbed from a base scenario, for trying batch.

    Each file extends the base and changes its size, own revenue, staff, legacy advances and
    debt by documented lognormal factors (docs/batch.md); each is marked 合成/synthetic in
    its title and sources, coded 99PPCC, and listed in manifest.csv.
    """
    from fiscal_sim.batch.synth import write_counties

    make_output_directory(output if output.endswith("/") else output + "/")
    manifest = write_counties(counties, seed, output, extends=base)
    lang = use_lang()
    said = {"zh": "已写入 {} 个合成县和 {}", "en": "wrote {} synthetic counties and {}"}[lang]
    click.echo(said.format(counties, manifest), err=True)


COMMANDS = (batch, synth)
