"""Outputs are safe: never onto a device or an input, never half-written, never a formula (#13).

Classes 5 (targets that are not plain files, write errors), 6 (outputs over inputs, through
the ``extends:`` chain too), 7 (signals mid-write) and 10 (formula injection in CSV and xlsx).
"""

from __future__ import annotations

import csv
import errno
import io
import os
import pathlib
import signal
import stat
import subprocess
import sys
import textwrap

import pytest
import yaml

from fiscal_sim.cells import csv_cell

# --- 5: targets that are not plain files; write errors -------------------------------------


@pytest.mark.parametrize("device", ["/dev/null", "/dev/full"])
@pytest.mark.parametrize("command", [("run",), ("params",), ("report",), ("compare", "a", "b")])
def test_devices_are_refused_as_targets(device, command, refused):
    args = command if command[0] != "compare" else ("compare", "default", "austerity")
    refused(*args, "-o", device, names=[device, "not a regular file"])
    assert stat.S_ISCHR(os.stat(device).st_mode)  # still the device, not a file


def test_a_pipe_is_refused_as_a_target(tmp_path, refused):
    for name, command in (("pipe.csv", "run"), ("pipe.svg", "chart")):
        pipe = tmp_path / name
        os.mkfifo(pipe)
        args = ("chart", "cash") if command == "chart" else ("run",)
        refused(*args, "-o", pipe, names=[str(pipe), "not a regular file"])


@pytest.fixture
def no_projection(monkeypatch):
    """Fail the test if the long computation starts (targets must be checked before it)."""
    import fiscal_sim

    def project(*args, **kwargs):
        raise AssertionError("the projection ran before the target was checked")

    monkeypatch.setattr(fiscal_sim, "project", project)


@pytest.mark.parametrize(
    ("code", "reason"),
    [(errno.EROFS, "Read-only file system"), (errno.EACCES, "Permission denied")],
)
@pytest.mark.parametrize("command", ["run", "report"])
def test_an_unwritable_directory_is_named_before_the_work(
    code, reason, command, tmp_path, monkeypatch, no_projection, refused
):
    import fiscal_sim.writing

    def mkstemp(*args, dir=None, **kwargs):
        raise OSError(code, reason, os.path.join(dir, ".fiscal-sim-x.part"))

    monkeypatch.setattr(fiscal_sim.writing.tempfile, "mkstemp", mkstemp)
    target = tmp_path / ("out.html" if command == "report" else "out.csv")
    message = refused(command, "-o", target, names=[str(target), reason])
    assert ".part" not in message


@pytest.mark.parametrize("args", [("run", "--format", "csv"), ("params", "--format", "json")])
def test_a_full_disk_names_the_target_and_leaves_nothing(args, tmp_path, monkeypatch, refused):
    target = tmp_path / "out.txt"
    target.write_text("the old results\n")
    real = pathlib.Path.write_text

    def full(self, text, *more, **options):
        real(self, text[: len(text) // 2], *more, **options)
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(pathlib.Path, "write_text", full)
    message = refused(*args, "-o", target, names=[f"{target}: cannot write (No space left"])
    assert ".part" not in message  # and `refused` saw the old file unchanged, nothing beside it


# --- 6: outputs over inputs -----------------------------------------------------------------


def test_chart_refuses_to_draw_over_its_scenario(tmp_path, refused):
    scenario = tmp_path / "s.svg"  # a scenario file, whatever its suffix
    scenario.write_text("extends: austerity\n")
    refused("chart", "resources", scenario, "-o", scenario, names=["s.svg", "input file"])
    parent = tmp_path / "cash.svg"
    parent.write_text("extends: default\n")
    scenario.write_text("extends: cash.svg\n")
    refused("chart", "--all", scenario, "-o", tmp_path, "--format", "svg", names=["cash.svg"])
    refused("chart", "compare", "default", scenario, "-o", parent, names=["cash.svg"])


# Each command that writes, with the suffix its -o accepts.
WRITERS = {
    "run": (("run", "{child}"), ".csv"),
    "params": (("params", "-s", "{child}"), ".csv"),
    "compare": (("compare", "default", "{child}"), ".csv"),
    "report": (("report", "{child}"), ".html"),
    "report --month": (("report", "{child}", "--month", "2020-06"), ".csv"),
    "chart": (("chart", "cash", "{child}"), ".svg"),
    "chart compare": (("chart", "compare", "default", "{child}"), ".svg"),
}


@pytest.mark.parametrize("command", list(WRITERS))
@pytest.mark.parametrize("victim", ["child", "parent", "grandparent"])
def test_every_command_refuses_to_write_over_any_file_of_the_extends_chain(
    command, victim, tmp_path, refused
):
    args, suffix = WRITERS[command]
    files = {name: tmp_path / f"{name}{suffix}" for name in ("child", "parent", "grandparent")}
    files["grandparent"].write_text("extends: default\n")
    files["parent"].write_text(f"extends: grandparent{suffix}\nrevenue:\n  tax: 17000\n")
    files["child"].write_text(f"extends: parent{suffix}\npeople:\n  staff: 4900\n")
    args = [arg.format(child=files["child"]) for arg in args]
    refused(*args, "-o", files[victim], names=[str(files[victim]), "input file"])


def test_chart_all_refuses_to_write_over_the_chain(tmp_path, refused):
    (tmp_path / "waterfall.png").write_text("extends: default\n")
    (tmp_path / "child.yaml").write_text("extends: waterfall.png\n")
    refused("chart", "--all", tmp_path / "child.yaml", "-o", tmp_path, names=["waterfall.png"])


# --- 7: signals mid-write -----------------------------------------------------------------

_WRITER = """
import os, signal, sys, time
from fiscal_sim.writing import write_atomic

def write(path):
    path.write_text("half a report")
    os.kill(os.getpid(), getattr(signal, sys.argv[2]))
    time.sleep(30)  # the signal arrives here; the writer must not finish

write_atomic(sys.argv[1], write)
"""


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
@pytest.mark.parametrize("existing", [False, True])
def test_a_signal_mid_write_leaves_nothing_half_written(name, existing, tmp_path):
    target = tmp_path / "report.html"
    if existing:
        target.write_text("the old report")
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_WRITER), str(target), name],
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert done.returncode == -getattr(signal, name), done.stderr  # ended by the signal
    assert "Traceback" not in done.stderr
    left = sorted(path.name for path in tmp_path.iterdir())
    assert left == (["report.html"] if existing else [])
    if existing:
        assert target.read_text() == "the old report"


# --- 10: formula injection ----------------------------------------------------------------

INJECTIONS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3+cmd", "@SUM(1+1)"]


@pytest.fixture
def injected(tmp_path):
    """A scenario whose title, description and programme labels are formulas."""
    path = tmp_path / "inject.yaml"
    scenario = {
        "extends": "default",
        "meta": {
            "title": {"zh": INJECTIONS[0], "en": INJECTIONS[1]},
            "description": INJECTIONS[3],
        },
        "livelihood": {
            "programmes": {"dibao": {"label": {"zh": INJECTIONS[1], "en": INJECTIONS[2]}}}
        },
    }
    path.write_text(yaml.safe_dump(scenario, allow_unicode=True), encoding="utf-8")
    return path


def _formula_cells(path) -> list[str]:
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    return [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def _live_csv_cells(text: str) -> list[str]:
    rows = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    return [
        cell
        for row in rows
        if row and not row[0].startswith("#")
        for cell in row
        if cell != csv_cell(cell)
    ]


@pytest.mark.parametrize("args", [("run",), ("report", "--format", "xlsx")])
def test_xlsx_text_cells_are_strings_never_formulas(args, injected, tmp_path, fiscal_sim_cli):
    target = tmp_path / "out.xlsx"
    result = fiscal_sim_cli(*args, injected, "-o", target)
    assert result.exit_code == 0, result.output
    assert _formula_cells(target) == []
    from openpyxl import load_workbook

    texts = {
        cell.value
        for sheet in load_workbook(target).worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }
    assert any(INJECTIONS[0] in text for text in texts)  # kept as text, shown as written


@pytest.mark.parametrize(
    "args",
    [
        ("params", "-s", "{s}", "--format", "csv"),
        ("run", "{s}", "--format", "csv"),
        ("compare", "{s}", "default", "--format", "csv"),
        ("check", "{s}", "--format", "csv"),
        ("report", "{s}", "--month", "2020-06", "--format", "csv", "-o", "{out}"),
    ],
)
def test_csv_text_cells_that_look_like_formulas_are_neutralised(
    args, injected, tmp_path, fiscal_sim_cli
):
    out = tmp_path / "month.csv"
    result = fiscal_sim_cli(*[arg.format(s=injected, out=out) for arg in args])
    assert result.exit_code in (0, 3), result.output
    text = out.read_text(encoding="utf-8-sig") if "-o" in args else result.stdout
    assert _live_csv_cells(text) == []


@pytest.mark.parametrize("args", [(), ("--month", "2020-06")])
def test_html_reports_escape_the_scenario_s_texts(args, tmp_path, fiscal_sim_cli):
    scenario = tmp_path / "markup.yaml"
    scenario.write_text(
        yaml.safe_dump(
            {
                "extends": "default",
                "meta": {"title": "<script>alert(1)</script>", "description": "<img src=x>"},
                "livelihood": {"programmes": {"dibao": {"label": "<b onmouseover=x>"}}},
            }
        ),
        encoding="utf-8",
    )
    target = tmp_path / "report.html"
    result = fiscal_sim_cli("report", scenario, *args, "--format", "html", "-o", target)
    assert result.exit_code == 0, result.output
    page = target.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    for markup in ("<script>alert", "<img src=x", "<b onmouseover"):
        assert markup not in page


def test_csv_cells_keep_numbers_and_neutralise_every_trigger():
    for text in [*INJECTIONS, "\tcmd", "\rcmd"]:
        assert csv_cell(text) == "'" + text
    for text in ["-0.03", "-0.03, -0.02", "+5", "1e-05", "税收", "", "a=b"]:
        assert csv_cell(text) == text
    assert csv_cell(-5) == -5
