"""Reading an input file safely: a regular file, under a size limit, read in one go.

Every reader of a user's file (scenario and policy YAML, workbooks) goes through
:func:`read_input`, so that ``/dev/zero``, a FIFO, a directory or a 2 GB file is refused with
one clear line instead of a hang or a memory blow-up. The limit is far above any real input
(the bundled default county is about 16 kB).

Examples
--------
>>> read_input("/dev/zero")
Traceback (most recent call last):
...
fiscal_sim.errors.ScenarioError: /dev/zero: not a regular file (a character device); give a file
"""

from __future__ import annotations

import os
import stat

from fiscal_sim.errors import Bilingual, ScenarioError, os_reason

MAX_INPUT_BYTES = 4 * 1024 * 1024
"""The largest input file read (4 MiB)."""

_KINDS = {
    stat.S_IFDIR: Bilingual._of("文件夹", "a directory"),
    stat.S_IFCHR: Bilingual._of("字符设备", "a character device"),
    stat.S_IFBLK: Bilingual._of("块设备", "a block device"),
    stat.S_IFIFO: Bilingual._of("命名管道", "a named pipe"),
    stat.S_IFSOCK: Bilingual._of("套接字", "a socket"),
}
_NOT_A_FILE = Bilingual._of("不是文件", "not a file")


def read_input(path, error: type[ScenarioError] = ScenarioError) -> bytes:
    """The bytes of the input file ``path``, once it is known to be a regular, small file.

    The file is opened without blocking (a FIFO cannot hang the reader) and checked on the
    open descriptor, so it cannot be swapped between the check and the read.

    Parameters
    ----------
    path
        The file to read.
    error
        The :class:`~fiscal_sim.errors.ScenarioError` subclass to raise (e.g. ``PolicyError``).

    Raises
    ------
    ScenarioError
        (or ``error``) naming the file: missing, unreadable, not a regular file, or larger
        than :data:`MAX_INPUT_BYTES`.
    """
    try:
        descriptor = os.open(os.fspath(path), os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise error(path, None, Bilingual("没有这个文件", "file not found")) from None
    except IsADirectoryError:
        raise error(path, None, _not_regular(_KINDS[stat.S_IFDIR])) from None
    except (OSError, ValueError) as exc:  # ValueError: an embedded NUL in the path
        raise error(path, None, _cannot_read(exc)) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            kind = _KINDS.get(stat.S_IFMT(info.st_mode), _NOT_A_FILE)
            raise error(path, None, _not_regular(kind))
        if info.st_size > MAX_INPUT_BYTES:
            raise error(path, None, _too_large(info.st_size))
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            data = stream.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise error(path, None, _cannot_read(exc)) from None
    finally:
        os.close(descriptor)
    if len(data) > MAX_INPUT_BYTES:  # it grew while being read
        raise error(path, None, _too_large(len(data)))
    return data


def read_input_text(path, error: type[ScenarioError] = ScenarioError) -> str:
    """:func:`read_input` decoded as UTF-8 (a byte-order mark is dropped)."""
    try:
        return read_input(path, error).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        message = Bilingual(
            "不是 UTF-8 文本（第 {byte} 字节）", "not UTF-8 text (byte {byte})", byte=exc.start
        )
        raise error(path, None, message) from None


def _too_large(size: int) -> Bilingual:
    return Bilingual(
        "文件有 {size:.1f} MiB；输入文件应不大于 {most} MiB",
        "the file is {size:.1f} MiB; an input file may be at most {most} MiB",
        size=size / 2**20,
        most=MAX_INPUT_BYTES // 2**20,
    )


def _not_regular(kind: Bilingual) -> Bilingual:
    return Bilingual(
        "不是普通文件（{kind}）；请给出一个文件",
        "not a regular file ({kind}); give a file",
        kind=kind,
    )


def _cannot_read(exc: Exception) -> Bilingual:
    return Bilingual(
        "无法读取文件（{reason}）", "cannot read the file ({reason})", reason=os_reason(exc)
    )
