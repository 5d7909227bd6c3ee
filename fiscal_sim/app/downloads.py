"""What a user takes away: the what-if as a scenario file, and the HTML and Excel reports.

Every file is named after the scenario, its hash and the version (as ``fiscal-sim -o DIR``
names them), and records them inside. The overlay is the very text the app loaded (under a
comment header), so :func:`fiscal_sim.load_scenario` reads it back to the same hash. The
reports are made only when their button is pressed.

Examples
--------
>>> file_name("report", "plan-followed-what-if", "0123456789ab", "html")
'report_plan-followed-what-if_0123456789ab_v0.1.0.html'
"""

from __future__ import annotations

import io

from fiscal_sim._version import __version__
from fiscal_sim.app.whatif import download_text
from fiscal_sim.app.words import word

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_name(kind: str, name: str, scenario_hash: str, suffix: str) -> str:
    """``kind_name_hash_vVERSION.suffix``."""
    return f"{kind}_{name}_{scenario_hash}_v{__version__}.{suffix}"


def overlay_bytes(body: str, scenario) -> bytes:
    """The what-if overlay as downloaded: a header with hash and version, then the body."""
    return download_text(body, scenario).encode("utf-8")


def html_bytes(projection, findings, lang: str) -> bytes:
    from fiscal_sim import report

    return report.html_report(projection, findings, lang=lang).encode("utf-8")


def xlsx_bytes(projection, findings, lang: str) -> bytes:
    from fiscal_sim import report

    buffer = io.BytesIO()
    report.xlsx_workbook(projection, findings, lang=lang).save(buffer)
    return buffer.getvalue()


def workbook_writer():
    """``fiscal_sim.workbook.writer.write_template`` when this version has it, else None."""
    try:
        from fiscal_sim.workbook.writer import write_template
    except ImportError:
        return None
    return write_template


def workbook_bytes(scenario, extends: str, lang: str) -> bytes:
    """The what-if as an Excel scenario workbook that extends the what-if's base."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory(prefix="fiscal-sim-app-") as folder:
        path = Path(folder) / "what-if.xlsx"
        workbook_writer()(scenario, path, extends, lang=lang)
        return path.read_bytes()


def render(context, projection, findings) -> None:
    """The download buttons of the current what-if."""
    import streamlit as st

    lang, scenario = context.lang, context.scenario
    name, digest = scenario.name, scenario.hash
    st.text(word("download.note", lang, hash=digest, version=__version__))
    st.download_button(
        word("download.overlay", lang),
        overlay_bytes(context.body, scenario),
        file_name=file_name("what-if", name, digest, "yaml"),
        mime="application/x-yaml",
        key="download_overlay",
    )
    if workbook_writer() is None:
        st.text(word("download.workbook_missing", lang))
    else:
        st.download_button(
            word("download.workbook", lang),
            lambda: workbook_bytes(scenario, context.base.ref, lang),
            file_name=file_name("what-if", name, digest, "xlsx"),
            mime=XLSX,
            key="download_workbook",
        )
    st.download_button(
        word("download.html", lang),
        lambda: html_bytes(projection, findings, lang),
        file_name=file_name("report", name, digest, "html"),
        mime="text/html",
        key="download_html",
    )
    st.download_button(
        word("download.xlsx", lang),
        lambda: xlsx_bytes(projection, findings, lang),
        file_name=file_name("report", name, digest, "xlsx"),
        mime=XLSX,
        key="download_xlsx",
    )
