"""Run one job over many inputs in forked worker processes when it pays, in input order.

The job is inherited by fork rather than pickled (it may hold closures and large runs); where
fork does not exist (Windows, macOS spawn), or for few inputs, everything runs in this process.
If a worker dies (out of memory, killed), the inputs are done again here.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_FORKED: list[Callable[[Any], Any]] = []
"""The job a forked worker inherits."""


def default_workers() -> int:
    """The processors this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _in_worker(item: Any) -> Any:
    return _FORKED[0](item)


def fork_map(
    job: Callable[[T], R], items: Sequence[T], workers: int | None, threshold: int
) -> Iterator[R]:
    """`map(job, items)`, in `workers` forked processes when there are `threshold` items or more."""
    workers = workers or default_workers()
    fork = "fork" in multiprocessing.get_all_start_methods()
    if workers < 2 or len(items) < threshold or not fork:
        return map(job, items)
    _FORKED[:] = [job]
    gc.freeze()  # the workers' collector leaves the inherited objects alone: fewer pages copied
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            chunk = max(1, min(64, len(items) // (workers * 8)))
            return iter(list(pool.map(_in_worker, items, chunksize=chunk)))
    except BrokenProcessPool:
        return map(job, items)
    finally:
        gc.unfreeze()
        _FORKED.clear()
