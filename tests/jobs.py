"""Jobs the containment tests give worker processes: module-level functions of a light module,
so that a spawned worker (Windows) is given them by name and imports little to run them."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from pathlib import Path
from typing import Any


def in_worker() -> bool:
    """True in a worker process (forked or spawned), never in pytest itself."""
    return multiprocessing.parent_process() is not None


def doubled_unless_fatal(item: int) -> int:
    """Doubles; items 3 and 7 kill the worker process (as a native abort would), never pytest."""
    if item in (3, 7) and in_worker():
        os.kill(os.getpid(), signal.SIGKILL)
    return item * 2


def slow_unless_quick(item: int) -> int:
    """Item 2 would take a minute (as a native loop on a crafted file could)."""
    if item == 2:
        time.sleep(60)
    return item


def failing(item: int) -> int:
    """Item 5 raises a Python error."""
    if item == 5:
        raise ValueError("năm")
    return item


def address_space_limit(item: int) -> int:
    """The address space this process may take (-1: no limit)."""
    import resource  # POSIX only

    return resource.getrlimit(resource.RLIMIT_AS)[0]


def aborting(path: Path, limits: object) -> None:
    """A table reader that aborts its process, as calamine does on an allocation it cannot make."""
    if in_worker():  # never pytest itself
        os.abort()


def busy(path: Path, limits: object) -> None:
    """A table reader that never returns, as calamine on an .xls formula of whitespace tokens."""
    time.sleep(60)


def aborting_on_bomb(path: Path, limits: Any) -> Any:
    """The real table reader, except that it aborts its process on a file named 'bom*'."""
    from cchc.readers import table

    if path.name.startswith("bom") and in_worker():
        os.abort()
    return table.sheets_of(path, limits)
