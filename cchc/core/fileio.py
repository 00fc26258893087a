"""Outputs are written whole or not at all: to a temporary name, then renamed into place.

A writer holds a lock on its temporary file until the rename (on Windows, where an open file
cannot be renamed, until just before it). A writer that was killed leaves its temporary file
behind, unlocked; the next command that writes into the same folder removes it. A target that
another program holds open (Excel, Word) cannot be replaced on Windows: the rename is tried
again for a moment, then the command stops with the path.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cchc.core.errors import CommandError
from cchc.core.issues import Issue, Severity
from cchc.core.locks import HAVE_FLOCK, try_lock, unlock

TEMP_SUFFIX = ".cchc.tmp"
"""Temporary files are named '.<target name>.<random>.cchc.tmp', beside the target."""
REPLACE_TRIES = 10
REPLACE_PAUSE = 0.3
"""Seconds between tries to replace a target held open elsewhere (3 s in all)."""

_swept: set[Path] = set()
"""Folders already cleared of stale temporary files by this process (once is enough)."""


class OutputInUse(CommandError):
    """The target could not be replaced: open in another program, or not writable."""

    def __init__(self, target: Path) -> None:
        message = (
            f"không ghi được tệp {target}: tệp đang mở trong chương trình khác (Excel, Word…) "
            "hoặc không có quyền ghi; hãy đóng tệp rồi chạy lại lệnh"
        )
        issue = Issue(
            code="output_in_use", severity=Severity.ERROR, message=message, file=str(target)
        )
        super().__init__(message, [issue])
        self.target = target

    def __reduce__(self) -> tuple[type[OutputInUse], tuple[Path]]:
        return OutputInUse, (self.target,)  # raised in a worker, shown by the parent


def _locked_temp(target: Path) -> tuple[int, str]:
    """A new temporary file beside the target, locked by this process."""
    while True:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent)
        locked = try_lock(fd)
        if locked is None:
            return fd, tmp  # a file system without locks, where no sweep can remove it either
        if locked and os.path.exists(tmp):  # no sweep removed it between its creation and the lock
            return fd, tmp
        if locked:
            unlock(fd)
        os.close(fd)  # a sweep in another process took it for stale: make another


def _sweep(folder: Path) -> None:
    """Remove the temporary files whose writers are gone (their locks went with them)."""
    with os.scandir(folder) as entries:
        stale = [e.path for e in entries if e.name.startswith(".") and e.name.endswith(TEMP_SUFFIX)]
    for path in stale:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        locked = False
        try:
            locked = try_lock(fd) is True  # False: a writer at work; None: no locks here
            if locked and HAVE_FLOCK:
                os.unlink(path)  # while locked: a writer that has just made it sees it gone
        except OSError:
            pass  # one that has just renamed its file
        finally:
            if locked:
                unlock(fd)
            os.close(fd)
        if locked and not HAVE_FLOCK:  # Windows removes no open file: closed first
            with contextlib.suppress(OSError):  # a writer opened it meanwhile
                os.unlink(path)


def _replace(tmp: str, target: Path, tries: int) -> None:
    """os.replace, tried again while the target is held open elsewhere; OutputInUse after."""
    for attempt in range(tries):
        try:
            os.replace(tmp, target)
            return
        except PermissionError as exc:
            if attempt == tries - 1:
                raise OutputInUse(target) from exc
            time.sleep(REPLACE_PAUSE)


@contextmanager
def atomic_path(target: str | Path, tries: int = REPLACE_TRIES) -> Iterator[Path]:
    """Yield a temporary path beside the target; on success it replaces the target (`tries`
    times at most while it is held open elsewhere)."""
    with _atomic(Path(target), tries) as (_, tmp):
        yield tmp


@contextmanager
def _atomic(target: Path, tries: int) -> Iterator[tuple[int, Path]]:
    """atomic_path, yielding the temporary file's descriptor too."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _locked_temp(target)
    is_open = True
    renamed = False
    try:
        yield fd, Path(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes files owner-only; outputs are shared
        if not HAVE_FLOCK:  # Windows renames no open file
            unlock(fd)
            os.close(fd)
            is_open = False
        _replace(tmp, target, tries)
        renamed = True
    finally:
        if is_open:
            unlock(fd)
            os.close(fd)
        if not renamed:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
    folder = Path(os.path.abspath(target.parent))  # (resolving costs a system call a part)
    if folder not in _swept:
        _sweep(folder)
        _swept.add(folder)


def write_bytes(target: str | Path, data: bytes, tries: int = REPLACE_TRIES) -> Path:
    """Write bytes atomically, through the temporary file's own descriptor (one open less: a
    national run writes some 20,000 files)."""
    with _atomic(Path(target), tries) as (fd, _):
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    return Path(target)


def write_text(target: str | Path, text: str, tries: int = REPLACE_TRIES) -> Path:
    """Write UTF-8 text atomically."""
    with atomic_path(target, tries) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)
