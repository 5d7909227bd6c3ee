"""Reading an error off the CLI's stderr: under zh ``错误：<Chinese>`` then ``Error: <English>``;
the inputs more than one error test uses."""

from __future__ import annotations

ZH_PREFIX = "错误："
EN_PREFIX = "Error: "

# Every revenue line of the default county at zero, as overrides (``--set`` or
# ``load_scenario(overrides=...)``): the debt ratio then divides by a capacity of zero, a result
# that is not a finite number.
NO_REVENUE = (
    "revenue.tax=0",
    "revenue.nontax=0",
    "revenue.rebates=0",
    "revenue.general_transfers=0",
    "revenue.earmarked_transfers=0",
    "fund.land_sales=0",
    "fund.other_revenue=0",
)


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
