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

from fiscal_sim.errors import ScenarioError

MAX_INPUT_BYTES = 4 * 1024 * 1024
"""The largest input file read (4 MiB)."""

_KINDS = {
    stat.S_IFDIR: "a directory",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFIFO: "a named pipe",
    stat.S_IFSOCK: "a socket",
}


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
        raise error(path, None, "file not found") from None
    except IsADirectoryError:
        raise error(path, None, "not a regular file (a directory); give a file") from None
    except (OSError, ValueError) as exc:  # ValueError: an embedded NUL in the path
        raise error(path, None, f"cannot read the file ({_reason(exc)})") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            kind = _KINDS.get(stat.S_IFMT(info.st_mode), "not a file")
            raise error(path, None, f"not a regular file ({kind}); give a file")
        if info.st_size > MAX_INPUT_BYTES:
            raise error(path, None, _too_large(info.st_size))
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            data = stream.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise error(path, None, f"cannot read the file ({_reason(exc)})") from None
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
        raise error(path, None, f"not UTF-8 text (byte {exc.start})") from None


def _too_large(size: int) -> str:
    return (
        f"the file is {size / 2**20:.1f} MiB; an input file may be at most "
        f"{MAX_INPUT_BYTES // 2**20} MiB"
    )


def _reason(exc: Exception) -> str:
    return getattr(exc, "strerror", None) or str(exc)
