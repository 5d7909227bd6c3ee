"""Writing a batch into a folder: its tidy tables as Parquet and CSV, and what it recorded.

==================  ==========================================================
file                what
==================  ==========================================================
indicators.*        county × year × indicator (``.parquet`` and ``.csv``)
rules.*             county × rule × year: breach flags (and probabilities)
ranking.*           counties by risk score, with the red/amber/green class
rollup.*            sums by prefecture and for the batch, ratios from the sums
counties.*          each county's file, title, scenario hash, seed and status
errors.csv          each county that failed: file, key, message
batch.json          fiscal_sim version, seed, draws, block, scheduler, hashes
summary.xlsx        ranking, roll-up, failures and what the batch recorded
report.html         ranking, high-risk list, heat map, distributions, roll-up
==================  ==========================================================

Column names are the tables' identifiers (docs/batch.md gives their Chinese and English
labels); CSV is UTF-8 with a byte-order mark so that Excel reads the Chinese. Each file is
written atomically.
"""

from __future__ import annotations

import json
from pathlib import Path

from fiscal_sim.writing import check_directory, write_atomic

TABLES = ("indicators", "rules", "ranking", "rollup", "counties")


def _frames(batch) -> dict:
    return {
        "indicators": batch.indicators,
        "rules": batch.rules,
        "ranking": batch.ranking(),
        "rollup": batch.rollup(),
        "counties": batch.counties,
    }


def write_tables(batch, folder) -> list[Path]:
    """Write the tables, ``errors.csv`` and ``batch.json`` into ``folder``; the paths written."""
    directory = check_directory(folder)
    written = []
    for name, frame in _frames(batch).items():
        written.append(
            write_atomic(
                directory / f"{name}.parquet", lambda p, f=frame: f.to_parquet(p, index=False)
            )
        )
        written.append(
            write_atomic(
                directory / f"{name}.csv",
                lambda p, f=frame: f.to_csv(p, index=False, encoding="utf-8-sig"),
            )
        )
    written.append(
        write_atomic(
            directory / "errors.csv",
            lambda p: batch.errors.to_csv(p, index=False, encoding="utf-8-sig"),
        )
    )
    text = json.dumps(batch.meta, ensure_ascii=False, indent=2) + "\n"
    written.append(write_atomic(directory / "batch.json", lambda p: p.write_text(text, "utf-8")))
    return written


def write_reports(batch, folder, lang: str = "zh") -> list[Path]:
    """Write ``summary.xlsx`` and ``report.html`` into ``folder``; the paths written."""
    from fiscal_sim.batch.report import write_html, write_xlsx

    directory = check_directory(folder)
    return [
        write_xlsx(batch, directory / "summary.xlsx", lang),
        write_html(batch, directory / "report.html", lang),
    ]
