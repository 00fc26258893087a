"""Outputs are written whole or not at all: to a temporary name, then renamed into place.

A writer holds a lock on its temporary file until the rename. A writer that was killed leaves its
temporary file behind, unlocked; the next command that writes into the same folder removes it.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TEMP_SUFFIX = ".cchc.tmp"
"""Temporary files are named '.<target name>.<random>.cchc.tmp', beside the target."""

_swept: set[Path] = set()
"""Folders already cleared of stale temporary files by this process (once is enough)."""


def _locked_temp(target: Path) -> tuple[int, str]:
    """A new temporary file beside the target, locked by this process."""
    while True:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)  # a sweep in another process took it for stale: make another
            continue
        except OSError:
            return fd, tmp  # a file system without locks, where no sweep can remove it either
        if os.path.exists(tmp):  # no sweep removed it between its creation and the lock
            return fd, tmp
        os.close(fd)


def _sweep(folder: Path) -> None:
    """Remove the temporary files whose writers are gone (their locks went with them)."""
    with os.scandir(folder) as entries:
        stale = [e.path for e in entries if e.name.startswith(".") and e.name.endswith(TEMP_SUFFIX)]
    for path in stale:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.unlink(path)
        except OSError:
            pass  # a writer at work, one that has just renamed its file, or no locks here
        finally:
            os.close(fd)


@contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside the target; on success it replaces the target."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _locked_temp(target)
    try:
        yield Path(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes files owner-only; outputs are shared
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
        os.close(fd)
    folder = target.parent.resolve()
    if folder not in _swept:
        _sweep(folder)
        _swept.add(folder)


def write_text(target: str | Path, text: str) -> Path:
    """Write UTF-8 text atomically."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)
