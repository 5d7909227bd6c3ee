"""Uploaded scenario files: kept in the app's private folder, validated as the CLI validates.

An upload is never opened where the user says: its bytes are written, under a cleaned name,
into a folder of its own inside the app's private temporary directory, and that copy is read
with :func:`fiscal_sim.load_scenario` (a YAML file or an Excel workbook). An uploaded YAML may
extend only a bundled scenario, so that no path written in a file is followed on the server.
Errors come back as a list of readable lines, each in both languages, naming the uploaded
file, never the server's folders.

Examples
--------
>>> clean_name("../../etc/县 预算.yaml")
'县_预算.yaml'
>>> receive("a.txt", b"x", Path("/nonexistent"))
Traceback (most recent call last):
...
fiscal_sim.app.uploads.UploadError: a.txt: expected a .yaml, .yml or .xlsx file
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from fiscal_sim.errors import Bilingual, FiscalSimError, as_bilingual, in_lang
from fiscal_sim.inputs import MAX_INPUT_BYTES

MAX_UPLOAD_BYTES = MAX_INPUT_BYTES
"""The largest scenario file the app accepts: the largest input fiscal_sim reads (also
Streamlit's ``server.maxUploadSize``, in MiB, in the app's ``config.toml``)."""

SUFFIXES = (".yaml", ".yml", ".xlsx")
MAX_NAME = 80


class UploadError(FiscalSimError):
    """An upload that cannot be used: one readable line per problem, in both languages.

    ``errors`` holds the English lines; :meth:`lines` gives them in a language.

    >>> UploadError([Bilingual("没有这个文件", "no such file")]).lines("zh")
    ['没有这个文件']
    """

    def __init__(self, errors: list[Bilingual | str]):
        self.messages = [as_bilingual(error) for error in errors]
        self.errors = [message.en for message in self.messages]
        joined = Bilingual.same("")
        for number, message in enumerate(self.messages):
            joined += ("; " if number else "") + message
        super().__init__(joined)

    def lines(self, lang: str) -> list[str]:
        """The problems in ``lang``, one line each."""
        return [message.in_lang(lang) for message in self.messages]


def clean_name(name: str) -> str:
    """The upload's file name with no folders and only word characters, dots and dashes."""
    stem = re.sub(r"[^\w.-]+", "_", Path(str(name).replace("\\", "/")).name).lstrip("._")
    if len(stem) > MAX_NAME:
        suffix = Path(stem).suffix
        stem = stem[: MAX_NAME - len(suffix)] + suffix
    return stem or "upload"


def _bundled_names() -> set[str]:
    from fiscal_sim.scenario import list_scenarios

    return {entry["name"] for entry in list_scenarios()}


def _check_extends(path: Path, shown: str) -> None:
    """An uploaded YAML may extend a bundled scenario only (no server path is followed)."""
    from fiscal_sim.yamlio import read_yaml

    data, lines = read_yaml(path)
    parent = data.get("extends") if isinstance(data, dict) else None
    if parent is not None and str(parent) not in _bundled_names():
        where = f"{shown}:{lines['extends']}" if "extends" in lines else shown
        raise UploadError(
            [
                Bilingual(
                    "{where}: extends: 上传的情景只能继承内置情景（{names}），实为 {parent!r}",
                    "{where}: extends: an uploaded scenario may extend only a bundled scenario "
                    "({names}), got {parent!r}",
                    where=where,
                    names=", ".join(sorted(_bundled_names())),
                    parent=parent,
                )
            ]
        )


def shown_error(error: BaseException, folder: Path, shown: str) -> Bilingual:
    """An error's text (in both languages) with the private copy's path replaced by the
    uploaded file's name."""

    def cleaned(text: str) -> str:
        text = " ".join(text.split())
        for private in {str(folder / shown), str((folder / shown).resolve())}:
            text = text.replace(private, shown)
        for private in {str(folder), str(folder.resolve())}:
            text = text.replace(private + "/", "").replace(private, "")
        return text

    # each language's own text (as cli.errors.error_message builds it)
    return Bilingual._of(cleaned(in_lang(error, "zh")), cleaned(in_lang(error, "en")))


def receive(name: str, data: bytes, root: Path):
    """Keep an upload in ``root`` and load it; return ``(Base, Scenario)``.

    Raises
    ------
    UploadError
        A wrong suffix, a file too large, an ``extends`` that is not a bundled scenario, or
        any error :func:`fiscal_sim.load_scenario` finds (naming the uploaded file).
    """
    import fiscal_sim
    from fiscal_sim.app.whatif import Base, write_once

    shown = clean_name(name)
    if Path(shown).suffix.lower() not in SUFFIXES:
        raise UploadError(
            [
                Bilingual(
                    "{file}：应为 .yaml、.yml 或 .xlsx 文件",
                    "{file}: expected a .yaml, .yml or .xlsx file",
                    file=shown,
                )
            ]
        )
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(
            [
                Bilingual(
                    "{file}：{size:,} 字节，超过上限 {limit:,} 字节",
                    "{file}: {size:,} bytes, more than the limit of {limit:,}",
                    file=shown,
                    size=len(data),
                    limit=MAX_UPLOAD_BYTES,
                )
            ]
        )
    folder = Path(root) / hashlib.sha256(data).hexdigest()[:16]
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = write_once(folder / shown, data)
    try:
        if path.suffix.lower() != ".xlsx":
            _check_extends(path, shown)
        scenario = fiscal_sim.load_scenario(path)
    except UploadError:
        raise
    except (FiscalSimError, OSError, ValueError, UnicodeDecodeError) as error:
        raise UploadError([shown_error(error, folder, shown)]) from None
    outside = [file for file in scenario.files if not _inside(file, folder)]
    if outside:
        raise UploadError(
            [
                Bilingual(
                    "{file}：读取了上传文件以外的文件，拒绝使用",
                    "{file}: reads a file outside the upload; refused",
                    file=shown,
                )
            ]
        )
    return Base(shown, str(folder)), scenario


def _inside(file: str, folder: Path) -> bool:
    from fiscal_sim.scenario import list_scenarios

    bundled = {str(Path(entry["path"]).resolve()) for entry in list_scenarios()}
    resolved = Path(file).resolve()
    return str(resolved) in bundled or resolved.is_relative_to(folder.resolve())
