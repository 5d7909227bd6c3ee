"""Reading an error off the CLI's stderr: under zh ``错误：<Chinese>`` then ``Error: <English>``."""

from __future__ import annotations

ZH_PREFIX = "错误："
EN_PREFIX = "Error: "


def error_lines(result) -> tuple[str | None, str]:
    """``(Chinese, English)`` of the last error a command printed; Chinese is None under en.

    Each keeps its prefix and may span lines (a workbook's list of problems); the Chinese is
    what stands between the last ``错误：`` and the last ``Error:``.
    """
    lines = result.stderr.rstrip("\n").splitlines()
    english_at = max(
        (i for i, line in enumerate(lines) if line.startswith(EN_PREFIX)), default=None
    )
    assert english_at is not None, f"no 'Error: ' line on stderr:\n{result.stderr}"
    chinese_at = max(
        (i for i, line in enumerate(lines[:english_at]) if line.startswith(ZH_PREFIX)),
        default=None,
    )
    english = "\n".join(lines[english_at:])
    if chinese_at is None:
        return None, english
    return "\n".join(lines[chinese_at:english_at]), english
