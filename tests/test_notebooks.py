"""Every notebook in notebooks/ runs top to bottom on a fresh kernel (issue #7).

The notebooks check their own key numbers (cells with ``assert``), so running them is the
test. The kernel is the ``python3`` kernel of the interpreter running the tests: its
kernelspec is written to a temporary directory, so a ``python3`` kernel installed elsewhere
on the machine is never picked up. Notebooks are stored without outputs; a test checks that.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import ipykernel  # noqa: F401  (test extras: missing is a broken install, not a reason to skip)
import nbclient
import nbformat
import pytest

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
CELL_TIMEOUT = 120  # seconds per cell
NOTEBOOK_BUDGET = 60  # seconds per notebook, on a fresh install (issue #7)


def test_there_are_notebooks():
    names = [path.stem for path in NOTEBOOKS]
    assert names == [
        "01_quickstart",
        "02_what_if",
        "03_advances_2023",
        "04_monthly_cash",
        "june_review",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_notebook_is_stored_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


def _kernel_manager(directory: Path):
    """A manager that starts ``python3`` on this interpreter (``sys.executable``)."""
    from ipykernel.kernelspec import write_kernel_spec
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    write_kernel_spec(directory / "python3")
    specs = KernelSpecManager(kernel_dirs=[str(directory)], ensure_native_kernel=False)
    manager = KernelManager(kernel_name="python3", kernel_spec_manager=specs)
    assert manager.kernel_spec.argv[0] == sys.executable
    return manager


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_notebook_runs(path, tmp_path, monkeypatch):
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel's inline backend draws
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        km=_kernel_manager(tmp_path),
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},  # policy files are read from here
    )
    started = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - started
    errors = [
        output
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.output_type == "error"
    ]
    assert not errors
    assert elapsed < NOTEBOOK_BUDGET, f"{path.name} took {elapsed:.0f} s"
    images = [
        output
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if "image/png" in output.get("data", {})
    ]
    assert images, "every notebook draws at least one chart"
