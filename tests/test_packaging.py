"""A plain (non-editable) install carries every data file the package reads.

The bundled county, the scenario library and the clause texts are package data: a file that
setup.cfg's ``package_data`` globs miss would work in the editable checkout and vanish from a
wheel. (Checked by hand once with ``pip install .`` into a fresh venv: scenarios load by name.)
"""

import configparser
import fnmatch
import subprocess

from fiscal_sim.scenario import list_scenarios


def test_every_data_file_is_declared_as_package_data(repo):
    config = configparser.ConfigParser()
    config.read(repo / "setup.cfg")
    globs = [g.strip() for g in config["options.package_data"]["fiscal_sim"].split(",")]
    tracked = subprocess.run(
        ["git", "ls-files", "fiscal_sim"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.split()
    data = [
        path.removeprefix("fiscal_sim/")
        for path in tracked
        if path.endswith(".yaml") or "/templates/" in path  # the report templates too
    ]
    assert data, "the package reads YAML data files"
    missing = [path for path in data if not any(_glob_matches(path, g) for g in globs)]
    assert not missing, f"not in setup.cfg package_data: {missing}"


def _glob_matches(path: str, pattern: str) -> bool:
    """setuptools' glob: ``*`` stays within one directory level."""
    parts, pattern_parts = path.split("/"), pattern.split("/")
    return len(parts) == len(pattern_parts) and all(
        fnmatch.fnmatch(part, glob) for part, glob in zip(parts, pattern_parts, strict=True)
    )


def test_the_scenario_library_is_read_from_the_package():
    paths = [entry["path"] for entry in list_scenarios()]
    assert len(paths) == 9 and all("fiscal_sim/data" in path for path in paths)
