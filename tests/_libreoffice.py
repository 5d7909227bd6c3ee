"""LibreOffice headless for the print tests: one workbook to PDF, in a profile of its own."""

from __future__ import annotations

import subprocess


def to_pdf(soffice: str, path, folder):
    """Convert ``path`` to PDF in ``folder`` (a fresh user profile there) and return the PDF."""
    completed = subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return folder / f"{path.stem}.pdf"
