"""Every error the package raises for a user carries its message in Chinese and English (#17).

A scan of the source, not of runs: a ``raise`` whose message is an English-only string would
print ``Error: …`` alone under zh. The message must be a :class:`fiscal_sim.errors.Bilingual`
(or built from one); and the Chinese template of a ``Bilingual`` must hold Chinese.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "fiscal_sim"

# Errors with a (file, key, message, line) frame (``error``: the class a reader is given,
# e.g. ``read_input(path, error=PolicyError)``); errors whose first argument is the message.
FRAMED = {"ScenarioError", "PolicyError", "WorkbookError", "error"}
PLAIN = {
    "FiscalSimError",
    "OutputError",
    "FontNotFoundError",
    "InputError",
    "CommandError",
    "UploadError",
    "UsageError",
    "BadParameter",
    "ClickException",
}
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
CHINESE = re.compile(r"[\u4e00-\u9fff]")
FIELD = re.compile(r"\{[^{}]*\}")  # a template's {field!r:format}: not words of the text


def _english(node: ast.AST) -> bool:
    """Whether a message expression is (or is built from) an English string literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(ENGLISH_WORD.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_english(part) for part in node.values if isinstance(part, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _english(node.left) or _english(node.right)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("format", "join")
    ):
        return _english(node.func.value)
    return False


def _called(func: ast.AST) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _message(call: ast.Call) -> ast.AST | None:
    called = _called(call.func)
    if called in FRAMED:
        if len(call.args) > 2:
            return call.args[2]
        return next((k.value for k in call.keywords if k.arg == "message"), None)
    if called in PLAIN:
        return call.args[0] if call.args else None
    is_problem = isinstance(call.func, ast.Attribute) and "problems" in ast.unparse(call.func)
    if called == "add" and is_problem and len(call.args) > 2:
        return call.args[2]
    return None


def _calls() -> list[tuple[str, ast.Call]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        where = str(path.relative_to(PACKAGE.parent))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), where)):
            if isinstance(node, ast.Call):
                found.append((f"{where}:{node.lineno}", node))
    return found


CALLS = _calls()


def test_the_scan_sees_the_errors_it_looks_for():
    raised = [site for site, call in CALLS if _called(call.func) in FRAMED | PLAIN]
    assert len(raised) > 100, "the scan found almost no error sites: is the package moved?"


def test_no_error_is_raised_with_an_english_only_message():
    english_only = [
        f"{site}: {_called(call.func)}"
        for site, call in CALLS
        if (message := _message(call)) is not None and _english(message)
    ]
    assert english_only == [], "\n".join(english_only)


def test_every_bilingual_template_has_chinese_where_it_has_words():
    """``Bilingual("no such file", …)`` would print English after 错误：."""
    not_chinese = [
        f"{site}: {call.args[0].value!r}"
        for site, call in CALLS
        if _called(call.func) == "Bilingual"
        and call.args
        and isinstance(call.args[0], ast.Constant)
        and isinstance(call.args[0].value, str)
        and ENGLISH_WORD.search(FIELD.sub("", call.args[0].value))
        and not CHINESE.search(call.args[0].value)
    ]
    assert not_chinese == [], "\n".join(not_chinese)
