"""Writing output files safely: the target checked before the work, written atomically.

An output target is checked before any long computation (:func:`check_file`,
:func:`check_directory`): its directory exists and can be written in, it is not a directory,
not a device or a pipe (``-o /dev/null`` is refused rather than replaced by a file), and not
one of the run's input files. :func:`write_atomic` writes to a temporary file beside the
target and moves it into place, so a reader never sees half a file; on an error, Ctrl-C,
SIGTERM or SIGHUP the temporary file is removed.
"""

from __future__ import annotations

import os
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path

from fiscal_sim.errors import Bilingual, FiscalSimError, os_reason


class OutputError(FiscalSimError):
    """An output cannot be written where it was asked for (the CLI exits with code 2)."""


def check_directory(path: str | os.PathLike) -> Path:
    """The existing directory ``-o PATH`` names; :class:`OutputError` when it is none.

    Examples
    --------
    >>> check_directory("no/such/dir/")
    Traceback (most recent call last):
    ...
    fiscal_sim.writing.OutputError: no/such/dir/: the directory does not exist
    """
    text = os.fspath(path)
    target = Path(text)
    if target.is_dir():
        return _writable(target, text)
    if target.exists():
        raise OutputError(
            Bilingual(
                "{text}：不是文件夹；请指定文件夹",
                "{text}: not a directory; name a directory",
                text=text,
            )
        )
    raise OutputError(
        Bilingual("{text}：文件夹不存在", "{text}: the directory does not exist", text=text)
    )


def _writable(directory: Path, text: str) -> Path:
    """``directory``, once a file could be created in it (known before the long work)."""
    try:
        descriptor, probe = tempfile.mkstemp(dir=directory, prefix=".fiscal-sim-", suffix=".part")
        os.close(descriptor)
        os.unlink(probe)
    except (OSError, ValueError) as error:
        raise OutputError(
            Bilingual(
                "{text}：无法在文件夹 {directory} 中写入（{reason}）",
                "{text}: cannot write in the directory {directory} ({reason})",
                text=text,
                directory=directory,
                reason=os_reason(error),
            )
        ) from None
    return directory


def check_file(path: str | os.PathLike, inputs: Iterable[str | os.PathLike] = ()) -> Path:
    """The file ``-o PATH`` names, checked before any work is done.

    Raises :class:`OutputError` when its directory does not exist or cannot be written in,
    it is a directory or exists as anything but a regular file (a device such as
    ``/dev/null``, a pipe), or it is one of ``inputs``.

    Examples
    --------
    >>> check_file("no/such/dir/chart.png")
    Traceback (most recent call last):
    ...
    fiscal_sim.writing.OutputError: no/such/dir/chart.png: the directory no/such/dir does not exist
    """
    text = os.fspath(path)
    target = Path(text)
    if target.is_dir():
        raise OutputError(
            Bilingual(
                "{text}：是文件夹；请指定文件", "{text}: is a directory; name a file", text=text
            )
        )
    if target.exists() and not target.is_file():
        raise OutputError(
            Bilingual(
                "{text}：不是普通文件（是设备或管道？）；请指定文件",
                "{text}: not a regular file (a device or a pipe?); name a file",
                text=text,
            )
        )
    directory = target.parent
    if not directory.is_dir():
        raise OutputError(
            Bilingual(
                "{text}：文件夹 {directory} 不存在",
                "{text}: the directory {directory} does not exist",
                text=text,
                directory=directory,
            )
        )
    _writable(directory, text)
    for source in inputs:
        if _same_file(target, Path(source)):
            raise OutputError(
                Bilingual(
                    "{target}：不会覆盖输入文件 {source}",
                    "{target}: refusing to write over the input file {source}",
                    target=target,
                    source=source,
                )
            )
    return target


def _same_file(target: Path, source: Path) -> bool:
    if not target.exists() or not source.exists():
        return target.resolve() == source.resolve()
    return os.path.samefile(target, source)


def write_atomic(path: str | os.PathLike, write: Callable[[Path], None]) -> Path:
    """Write a file by calling ``write(temporary_path)``, then move it onto ``path``.

    The temporary file sits in the target's directory, so :func:`os.replace` is atomic; on
    any error, Ctrl-C, SIGTERM or SIGHUP it is removed and ``path`` is left as it was. A
    write error (disk full, read-only) is an :class:`OutputError` naming ``path``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_atomic(folder / "a.txt", lambda p: p.write_text("hello")).read_text()
    'hello'
    """
    target = Path(path)
    try:
        with _signals_raise():
            descriptor, temporary = tempfile.mkstemp(
                dir=target.parent, prefix=f".{target.name}.", suffix=".part"
            )
            os.close(descriptor)
            temporary_path = Path(temporary)
            try:
                write(temporary_path)
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(temporary_path, 0o666 & ~umask)  # mkstemp makes 0600; the usual mode
                os.replace(temporary_path, target)
            except BaseException:
                temporary_path.unlink(missing_ok=True)
                raise
    except _Terminated as stop:  # the handlers are back: end as the signal asked
        signal.raise_signal(stop.signum)
        raise OutputError(
            Bilingual("{target}：写入被中断", "{target}: writing was interrupted", target=target)
        ) from None
    except OSError as error:  # disk full, read-only: name the target, not the temporary file
        raise OutputError(
            Bilingual(
                "{target}：无法写入（{reason}）",
                "{target}: cannot write ({reason})",
                target=target,
                reason=os_reason(error),
            )
        ) from None
    return target


class _Terminated(BaseException):
    """SIGTERM or SIGHUP arrived while a file was being written."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


@contextmanager
def _signals_raise():
    """SIGTERM and SIGHUP raise :class:`_Terminated` (so the temporary file is removed, as
    on Ctrl-C) while a file is written; only the main thread can handle signals."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise _Terminated(signum)

    previous = {number: signal.signal(number, stop) for number in _SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)


_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
