"""Which counties a batch runs: a folder of scenario files or a manifest, and each county's seed.

A county is one scenario file (YAML or an ``.xlsx`` workbook, both read by
:func:`fiscal_sim.load_scenario`) with its 行政区划代码 (six digits), its name and the
prefecture (地市) it belongs to. They come from

- a **manifest** (CSV or YAML) with the columns ``file, code, name, prefecture`` (``file``
  relative to the manifest; ``name`` and ``prefecture`` may be empty), or
- a bundled scenario's name (``default``, ``land-slump`` …), a county of its own;
- a **folder**: its ``manifest.csv`` when it has one, else every ``*.yaml``, ``*.yml`` and
  ``*.xlsx`` in it, sorted. A file named by its code (``620702.yaml``, ``620702-甘州区.xlsx``)
  has that code; another takes a stable six-digit number made from its file name. The
  prefecture is the code's first four digits followed by ``00``.

The seed of a county depends on the batch seed and its code only
(``SeedSequence([seed, code])``), so results do not depend on order, blocks or scheduler.

Examples
--------
>>> county_seed(1, "990101").entropy
[1, 990101]
>>> prefecture_of("620702")
'620700'
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from fiscal_sim.errors import Bilingual, ScenarioError

SCENARIO_SUFFIXES = (".yaml", ".yml", ".xlsx")
MANIFEST_SUFFIXES = (".csv", ".yaml", ".yml")
MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = ("file", "code", "name", "prefecture")
# Chinese headers a bureau's own list may use for the same columns.
MANIFEST_ALIASES = {
    "文件": "file",
    "行政区划代码": "code",
    "代码": "code",
    "名称": "name",
    "县区": "name",
    "地市": "prefecture",
    "所属地市": "prefecture",
}
_CODE = re.compile(r"^(\d{6})(?!\d)")


@dataclass(frozen=True)
class County:
    """One county of a batch: its scenario file, 行政区划代码, name and prefecture."""

    file: str
    code: str
    name: str
    prefecture: str


def county_seed(seed: int, code: str) -> np.random.SeedSequence:
    """The county's own seed: ``SeedSequence([seed, int(code)])``."""
    return np.random.SeedSequence([int(seed), int(code)])


def prefecture_of(code: str) -> str:
    """The prefecture's code of a county code: its first four digits and ``00``."""
    return code[:4] + "00"


def code_of(path: Path) -> str:
    """The code in a file's name (six leading digits), else a stable number from the name.

    Examples
    --------
    >>> code_of(Path("620702-甘州区.yaml"))
    '620702'
    >>> code_of(Path("gaotai.yaml")) == code_of(Path("other/gaotai.yaml"))
    True
    """
    match = _CODE.match(path.stem)
    if match:
        return match.group(1)
    digest = hashlib.sha256(path.stem.encode("utf-8")).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 1_000_000:06d}"


def _check_code(code, manifest: Path, row: int) -> str:
    text = str(code).strip()
    if text.endswith(".0"):  # a spreadsheet's number
        text = text[:-2]
    if not re.fullmatch(r"\d{6}", text):
        raise ScenarioError(
            manifest,
            f"row {row}.code",
            Bilingual(
                "应为六位行政区划代码，实为 {code!r}",
                "expected a six-digit 行政区划代码, got {code!r}",
                code=code,
            ),
        )
    return text


def read_manifest(path: Path) -> list[County]:
    """The counties a manifest lists; a bad row is a :class:`ScenarioError` naming it."""
    if path.suffix == ".csv":
        try:
            with open(path, newline="", encoding="utf-8-sig") as handle:
                rows = list(csv.DictReader(handle))
        except UnicodeDecodeError as error:
            raise ScenarioError(
                path,
                None,
                Bilingual("不是 UTF-8 文本（{why}）", "not UTF-8 text ({why})", why=error.reason),
            ) from None
    else:
        from fiscal_sim.yamlio import read_yaml

        data, _ = read_yaml(path)
        rows = data.get("counties") if isinstance(data, dict) else data
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise ScenarioError(
                path,
                "counties",
                Bilingual(
                    "应为 {row} 的列表", "expected a list of {row}", row="{file, code, name, …}"
                ),
            )
    counties, seen = [], {}
    for number, raw in enumerate(rows, start=1):
        row = {MANIFEST_ALIASES.get(str(k).strip(), str(k).strip()): v for k, v in raw.items()}
        unknown = sorted(set(row) - set(MANIFEST_COLUMNS))
        if unknown:
            raise ScenarioError(
                path,
                f"row {number}.{unknown[0]}",
                Bilingual(
                    "未知列；应为 {columns}",
                    "unknown column; expected {columns}",
                    columns=MANIFEST_COLUMNS,
                ),
            )
        if not str(row.get("file") or "").strip():
            raise ScenarioError(
                path,
                f"row {number}.file",
                Bilingual("每个县都需要其情景文件", "a county needs its scenario file"),
            )
        file = path.parent / str(row["file"]).strip()
        code = _check_code(row.get("code", ""), path, number)
        if code in seen:
            raise ScenarioError(
                path,
                f"row {number}.code",
                Bilingual(
                    "代码 {code} 与第 {row} 行重复",
                    "code {code} is also in row {row}",
                    code=code,
                    row=seen[code],
                ),
            )
        seen[code] = number
        name = str(row.get("name") or "").strip() or file.stem
        prefecture = str(row.get("prefecture") or "").strip() or prefecture_of(code)
        counties.append(County(str(file), code, name, prefecture))
    if not counties:
        raise ScenarioError(
            path, None, Bilingual("清单中没有列出任何县", "the manifest lists no county")
        )
    return counties


def discover(paths) -> list[County]:
    """Every county of the given folders, manifests and scenario files, in the order given.

    Raises
    ------
    ScenarioError
        A path that is none of these, a manifest with a bad row, or two counties with the
        same code.
    """
    counties: list[County] = []
    for given in [paths] if isinstance(paths, str | Path) else paths:
        path = Path(given)
        if path.is_dir():
            manifest = path / MANIFEST_NAME
            if manifest.is_file():
                counties += read_manifest(manifest)
                continue
            files = sorted(p for p in path.iterdir() if p.suffix in SCENARIO_SUFFIXES)
            if not files:
                raise ScenarioError(
                    path,
                    None,
                    Bilingual(
                        "文件夹中没有情景文件（*.yaml、*.xlsx）",
                        "no scenario files (*.yaml, *.xlsx) in the folder",
                    ),
                )
            counties += [
                County(str(p), code_of(p), p.stem, prefecture_of(code_of(p))) for p in files
            ]
        elif path.is_file() and (
            path.suffix == ".csv" or (path.suffix in (".yaml", ".yml") and _is_manifest(path))
        ):
            counties += read_manifest(path)
        elif path.is_file() and path.suffix in SCENARIO_SUFFIXES:
            counties.append(
                County(str(path), code_of(path), path.stem, prefecture_of(code_of(path)))
            )
        elif not path.exists() and _bundled(str(given)) is not None:
            code = code_of(Path(str(given)))
            counties.append(
                County(str(_bundled(str(given))), code, str(given), prefecture_of(code))
            )
        else:
            raise ScenarioError(
                path,
                None,
                Bilingual(
                    "应为文件夹、清单（.csv/.yaml）、情景文件或内置情景的名称",
                    "expected a folder, a manifest (.csv/.yaml), a scenario file or a bundled "
                    "scenario's name",
                ),
            )
    seen: dict[str, str] = {}
    for county in counties:
        if county.code in seen:
            raise ScenarioError(
                county.file,
                None,
                Bilingual(
                    "代码 {code} 也是 {other} 的代码",
                    "code {code} is also the code of {other}",
                    code=county.code,
                    other=seen[county.code],
                ),
            )
        seen[county.code] = county.file
    return counties


def _bundled(name: str) -> Path | None:
    from fiscal_sim.scenario.files import _bundled_path

    return _bundled_path(name) if "/" not in name else None


def _is_manifest(path: Path) -> bool:
    """A YAML file is a manifest when its top level is ``counties:`` (a list)."""
    from fiscal_sim.yamlio import read_yaml

    try:
        data, _ = read_yaml(path)
    except ScenarioError:  # a broken county file: it fails as a county, not the batch
        return False
    return isinstance(data, dict) and set(data) == {"counties"}
