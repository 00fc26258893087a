"""Make this interpreter look like Windows' to cchc: no fcntl, no fork, no SIGALRM, spawn only.

Put this folder on PYTHONPATH with CCHC_SIMULATE_WINDOWS=1 (tests/test_windows.py does): Python
imports this module at start-up, before cchc, in every process, the spawned workers too. File
locks then go through the Windows call (msvcrt.locking), simulated with flock, which, like a
Windows lock, belongs to the open file and ends with the process.
"""

from __future__ import annotations

import os
import sys
import types


def _simulate() -> None:
    import errno
    import fcntl
    import getpass  # noqa: F401  # these tell Windows by whether msvcrt imports: before the fake
    import multiprocessing
    import signal
    import subprocess  # noqa: F401
    from multiprocessing import context

    msvcrt = types.ModuleType("msvcrt")
    msvcrt.LK_UNLCK, msvcrt.LK_LOCK, msvcrt.LK_NBLCK = 0, 1, 2  # type: ignore[attr-defined]

    def locking(fd: int, mode: int, nbytes: int) -> None:
        try:
            fcntl.flock(fd, fcntl.LOCK_UN if mode == 0 else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PermissionError(errno.EACCES, "Permission denied") from None

    msvcrt.locking = locking  # type: ignore[attr-defined]
    sys.modules["msvcrt"] = msvcrt
    sys.modules["fcntl"] = None  # type: ignore[assignment]  # import fcntl: ImportError
    del os.fork
    for name in ("SIGALRM", "alarm", "setitimer"):
        if hasattr(signal, name):
            delattr(signal, name)
    for name in ("fork", "forkserver"):
        context._concrete_contexts.pop(name, None)  # type: ignore[attr-defined]
    multiprocessing.set_start_method("spawn", force=True)

    def spawn_only(self: object) -> list[str]:
        return ["spawn"]

    context.BaseContext.get_all_start_methods = spawn_only  # type: ignore[attr-defined]
    context.DefaultContext.get_all_start_methods = spawn_only  # type: ignore[method-assign]
    multiprocessing.get_all_start_methods = lambda: ["spawn"]


if os.environ.get("CCHC_SIMULATE_WINDOWS") == "1":
    _simulate()
