"""Run one job over many inputs in forked worker processes when it pays, in input order.

The job is inherited by fork rather than pickled (it may hold closures and large runs); where
fork does not exist (Windows, macOS spawn), or for few inputs, everything runs in this process.

A worker may die: killed, out of memory, or aborted by a native reader on a hostile file (a Rust
allocation failure aborts the process; Python cannot catch it). Plain jobs are then done again in
this process. A job given `crashed` is contained instead: it always runs in workers, the inputs a
dying worker had started are each run again alone in a fresh process, and one that kills that
process too gets `crashed(input)`; the others are done again normally. With `seconds`, an input
that runs longer kills its worker the same way (SIGALRM, whose default action ends the process:
a native loop never returns to Python to be interrupted otherwise).
"""

from __future__ import annotations

import faulthandler
import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.sharedctypes import RawArray
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_FORKED: list[Any] = []
"""What a forked worker inherits: the job, the inputs, the shared array of their states, the
seconds an input may take (0: no limit)."""
_STARTED, _DONE = 1, 2
_BREAKS = 3
"""Pool breaks with no input in progress (a worker killed from outside) before every input left
is run alone."""


def default_workers() -> int:
    """The processors this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _in_worker(index: int) -> Any:
    job, items, states, seconds = _FORKED
    states[index] = _STARTED
    signal.alarm(seconds)
    try:
        result = job(items[index])
    finally:
        signal.alarm(0)  # a job that raised must not leave its alarm to end the worker later
    states[index] = _DONE
    return result


def _contained() -> None:
    """A contained worker: SIGALRM ends it; its stderr goes nowhere (a native abort's backtrace
    is not for users)."""
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    faulthandler.disable()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def fork_map(
    job: Callable[[T], R],
    items: Sequence[T],
    workers: int | None,
    threshold: int,
    crashed: Callable[[T], R] | None = None,
    seconds: int = 0,
) -> Iterator[R]:
    """`map(job, items)`, in `workers` forked processes when there are `threshold` items or more.

    With `crashed`, always in forked processes (one below `threshold`), contained as above, each
    input given at most `seconds` (0: no limit).
    """
    workers = workers or default_workers()
    if "fork" not in multiprocessing.get_all_start_methods():
        return map(job, items)
    if crashed is None and (workers < 2 or len(items) < threshold):
        return map(job, items)
    if not items:
        return iter([])
    workers = workers if len(items) >= threshold else 1
    states = RawArray("b", len(items))
    _FORKED[:] = [job, items, states, seconds if crashed is not None else 0]
    gc.freeze()  # the workers' collector leaves the inherited objects alone: fewer pages copied
    try:
        pool = _Pool(workers, len(items), crashed)
        results = pool.run(range(len(items)))
        if results is None:  # a plain job's worker died: do it all here
            return map(job, items)
        return iter([results[i] for i in range(len(items))])
    finally:
        gc.unfreeze()
        _FORKED.clear()


class _Pool:
    """Forked workers over input indices, with the containment `fork_map` describes."""

    def __init__(self, workers: int, count: int, crashed: Callable[[Any], Any] | None) -> None:
        self.workers = workers
        self.chunk = max(1, min(64, count // (workers * 8)))
        self.crashed = crashed
        self.context = multiprocessing.get_context("fork")

    def run(self, indices: Sequence[int]) -> dict[int, Any] | None:
        """Results by index; None if a plain job's worker died."""
        states = _FORKED[2]
        results: dict[int, Any] = {}
        pending, breaks = list(indices), 0
        while pending:
            for index in pending:
                states[index] = 0
            try:
                results.update(self._map(pending))
                break
            except BrokenProcessPool:
                if self.crashed is None:
                    return None
            suspects = [i for i in pending if states[i] == _STARTED and i not in results]
            breaks += not suspects
            if breaks >= _BREAKS:
                suspects = pending
            for index in suspects:
                results[index] = self._alone(index)
            pending = [i for i in pending if i not in results]
        return results

    def _executor(self, workers: int) -> ProcessPoolExecutor:
        initializer = _contained if self.crashed is not None else None
        return ProcessPoolExecutor(workers, mp_context=self.context, initializer=initializer)

    def _map(self, indices: list[int]) -> dict[int, Any]:
        with self._executor(self.workers) as pool:
            done = pool.map(_in_worker, indices, chunksize=self.chunk)
            return dict(zip(indices, done, strict=True))

    def _alone(self, index: int) -> Any:
        """The input run in a process of its own; `crashed` if that process dies too."""
        try:
            with self._executor(1) as pool:
                return pool.submit(_in_worker, index).result()
        except BrokenProcessPool:
            assert self.crashed is not None
            return self.crashed(_FORKED[1][index])
