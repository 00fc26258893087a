"""One advisory lock on an open file, the same way on every OS: flock on POSIX, msvcrt on Windows.

A lock lives as long as the file stays open in the process that took it (the OS drops it when that
process ends, however it ends), which is what tells a live writer's file from one a killed
writer left. No third-party package: `filelock` locks a separate lock file by path, while the
files locked here are the outputs' own temporary files and the store's lock file, held open.
"""

from __future__ import annotations

import errno
import importlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

WINDOWS_OFFSET = 2**31 - 2
"""Where the Windows lock sits: one byte far past the end of any output. Windows locks are
mandatory, so a lock on the data itself would stop the writer's own library from writing it;
the offset stays below 2 GiB for C runtimes that seek in 32 bits."""


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


_fcntl = _module("fcntl")
_msvcrt = None if _fcntl is not None else _module("msvcrt")

HAVE_FLOCK = _fcntl is not None
"""POSIX locks: a locked file may be renamed and removed while open (not so on Windows)."""


def _windows_locking(fd: int, mode: int) -> None:
    """msvcrt.locking on the byte at WINDOWS_OFFSET, the file position left where it was."""
    assert _msvcrt is not None
    position = os.lseek(fd, 0, os.SEEK_CUR)
    os.lseek(fd, WINDOWS_OFFSET, os.SEEK_SET)
    try:
        _msvcrt.locking(fd, mode, 1)
    finally:
        os.lseek(fd, position, os.SEEK_SET)


def try_lock(fd: int) -> bool | None:
    """Lock the open file without waiting: True if locked, False if another process holds it,
    None where the OS or file system offers no lock (the caller goes on unguarded)."""
    try:
        if _fcntl is not None:
            _fcntl.flock(fd, _fcntl.LOCK_EX | _fcntl.LOCK_NB)
        elif _msvcrt is not None:
            _windows_locking(fd, _msvcrt.LK_NBLCK)
        else:
            return None
    except BlockingIOError:
        return False
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EAGAIN, errno.EDEADLK):
            return False  # msvcrt's word for a region locked by another process
        return None  # a file system without locks (some network shares)
    return True


def unlock(fd: int) -> None:
    """Release a lock try_lock took (closing the file releases it too, except on Windows, where
    it should be released first)."""
    try:
        if _fcntl is not None:
            _fcntl.flock(fd, _fcntl.LOCK_UN)
        elif _msvcrt is not None:
            _windows_locking(fd, _msvcrt.LK_UNLCK)
    except OSError:
        pass  # not locked (try_lock found no locks here)


@contextmanager
def holding(fd: int) -> Iterator[bool | None]:
    """try_lock for the length of a block (released at its end): True, False or None as there."""
    locked = try_lock(fd)
    try:
        yield locked
    finally:
        if locked:
            unlock(fd)
