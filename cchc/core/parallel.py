"""Run one job over many inputs in worker processes, in input order, on every OS.

A worker may die: killed, out of memory, or aborted by a native reader on a hostile file (a Rust
allocation failure aborts the process; Python cannot catch it). A job given `crashed` is
*contained*: it always runs in workers, each given one input at a time, so the input a dying
worker had is known; it is run once more in a fresh worker (a worker may be killed from outside),
and if that one dies too the input gets `crashed(input)`. With `seconds`, the parent ends a worker
whose input takes longer (a native loop never returns to Python to be interrupted otherwise) and
that input gets `crashed(input)`. Where the OS offers it, a contained worker's memory is limited
to MEMORY_BUDGET more than it started with (RLIMIT_AS with `resource`; on Windows a job object,
`cchc.core.winjob`), so an allocation bomb ends the worker instead of swapping the machine.

Workers are forked where `fork` exists (the job is inherited: it may hold closures and large
runs); elsewhere (Windows) they are spawned, and the job must pickle (a module-level function,
or a bound method of a picklable object). A plain job (no `crashed`) runs in forked workers
when there are `threshold` inputs or more, its results handed back as they come; if a worker
dies, what is left is done in this process. Without fork it runs in this process.
"""

from __future__ import annotations

import contextlib
import faulthandler
import gc
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MEMORY_BUDGET = 4 << 30
"""Bytes of address space a contained worker may add to what it started with: the largest
table the guards let through (10 million cells) takes under 2 GiB to read."""
TRIES = 2
"""Workers an input may kill before it is given up (the first may have been killed from outside)."""

_INHERITED: list[Any] = []
"""What a forked plain worker inherits: the job and the inputs."""


def default_workers() -> int:
    """The processors this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def start_method() -> str:
    """'fork' where it exists, else 'spawn' (Windows)."""
    has_fork = hasattr(os, "fork") and "fork" in multiprocessing.get_all_start_methods()
    return "fork" if has_fork else "spawn"


def fork_map(
    job: Callable[[T], R],
    items: Sequence[T],
    workers: int | None,
    threshold: int,
    crashed: Callable[[T], R] | None = None,
    seconds: int = 0,
) -> Iterator[R]:
    """`map(job, items)`, in `workers` processes when there are `threshold` items or more.

    With `crashed`, always in worker processes (one below `threshold`), contained as above, each
    input given at most `seconds` (0: no limit).
    """
    workers = workers or default_workers()
    if crashed is not None:
        if not items:
            return iter([])
        count = min(workers if len(items) >= threshold else 1, len(items))
        return iter(_Contained(job, items, crashed, seconds).run(count))
    if start_method() != "fork" or workers < 2 or len(items) < threshold:
        return map(job, items)
    _INHERITED[:] = [job, items]
    gc.freeze()  # the workers' collector leaves the inherited objects alone: fewer pages copied
    try:
        chunk = max(1, min(64, len(items) // (workers * 8)))
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
        # Every worker is forked at the first submission (so with what it inherits), and map
        # submits every chunk at once.
        results = pool.map(_inherited, range(len(items)), chunksize=chunk)
    finally:
        gc.unfreeze()
        _INHERITED.clear()
    return _streamed(pool, results, job, items)


def _streamed(
    pool: ProcessPoolExecutor, results: Iterator[R], job: Callable[[T], R], items: Sequence[T]
) -> Iterator[R]:
    """The workers' results as they come, in order; if a worker dies, the rest done here."""
    done = 0
    with pool:
        try:
            for result in results:
                done += 1
                yield result
        except BrokenProcessPool:  # a plain job's worker died: do the rest here
            yield from map(job, items[done:])


@contextlib.contextmanager
def beside(job: Callable[[], object]) -> Iterator[None]:
    """Run `job` in a forked process while the block runs, and wait for it at the block's end
    (where fork is missing, or the block raised: run here, after the block, or not at all).

    A job that fails or dies in its process is done again here, so its own exception is what
    the caller sees. The job must not need what the block does, nor the block what it does.
    """
    if start_method() != "fork":
        yield
        job()
        return
    gc.freeze()  # the child's collector leaves the inherited objects alone: fewer pages copied
    try:
        child = multiprocessing.get_context("fork").Process(target=_quietly(job), daemon=True)
        child.start()
    finally:
        gc.unfreeze()
    try:
        yield
    except BaseException:
        child.terminate()
        child.join()
        raise
    child.join()
    if child.exitcode != 0:
        job()


def _quietly(job: Callable[[], object]) -> Callable[[], None]:
    """`job` for a forked process: a failure only sets its exit code (the job is done again
    in the parent, which shows the error once)."""

    def run() -> None:
        try:
            job()
        except BaseException:
            os._exit(1)

    return run


def _inherited(index: int) -> Any:
    job, items = _INHERITED
    return job(items[index])


# --- contained workers ----------------------------------------------------------------------


def _limit_memory() -> None:
    """Cap the address space at what the worker uses now plus MEMORY_BUDGET, where possible
    (RLIMIT_AS on POSIX, a job object's process memory limit on Windows)."""
    try:
        import resource  # POSIX only
    except ImportError:
        from cchc.core.winjob import cap_this_process  # Windows: a job object

        cap_this_process(MEMORY_BUDGET)
        return
    used = 0
    try:
        with open("/proc/self/statm") as statm:  # Linux: the first figure is pages mapped
            used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        pass
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = used + MEMORY_BUDGET
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft == resource.RLIM_INFINITY or soft > limit:
        with contextlib.suppress(ValueError, OSError):  # not enforced here (macOS)
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _serve(connection: Connection, job: Callable[[Any], Any]) -> None:
    """A contained worker: inputs in, results out, until the parent closes the pipe.

    Its stderr goes nowhere (a native abort's backtrace is not for users); Ctrl-C is the
    parent's to handle.
    """
    if hasattr(signal, "SIGINT"):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    faulthandler.disable()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    _limit_memory()
    connection.send(("ready", -1, None))
    while True:
        try:
            index, item = connection.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[str, int, Any] = ("done", index, job(item))
        except Exception as exc:
            reply = ("raised", index, exc)
        try:
            connection.send(reply)
        except Exception as exc:  # a result or an error that does not pickle
            connection.send(("raised", index, RuntimeError(f"{type(exc).__name__}: {exc}")))


@dataclass
class _Worker:
    process: BaseProcess
    connection: Connection
    index: int | None = None
    started: float = 0.0
    ready: bool = False
    """It has started (a worker that dies before is a broken set-up, not a hostile input)."""


class _Contained:
    """Workers over the inputs, one input each at a time, with the containment described above."""

    def __init__(
        self,
        job: Callable[[Any], Any],
        items: Sequence[Any],
        crashed: Callable[[Any], Any],
        seconds: int,
    ) -> None:
        self.job, self.items, self.crashed, self.seconds = job, items, crashed, seconds
        self.context: Any = multiprocessing.get_context(start_method())
        self.kills = [0] * len(items)

    def run(self, count: int) -> list[Any]:
        results: dict[int, Any] = {}
        pending = deque(range(len(self.items)))
        workers: list[_Worker] = []
        gc.freeze()  # forked workers: fewer inherited pages copied (spawned ones: no matter)
        try:
            while len(results) < len(self.items):
                while len(workers) < count and len(workers) < len(pending) + self._busy(workers):
                    workers.append(self._start())
                for worker in workers:
                    if worker.index is None and pending:
                        self._give(worker, pending.popleft())
                for worker in self._wait(workers):
                    index = worker.index
                    assert index is not None
                    outcome = self._outcome(worker)
                    if outcome == ("wait", None):
                        continue
                    if outcome is None:  # the worker died or ran out of time
                        workers.remove(worker)
                        self._end(worker)
                        if self.kills[index] >= TRIES:
                            results[index] = self.crashed(self.items[index])
                        else:
                            pending.appendleft(index)
                        continue
                    kind, result = outcome
                    worker.index = None
                    if kind == "raised":
                        raise result
                    results[index] = result
        finally:
            gc.unfreeze()
            for worker in workers:
                self._end(worker)
        return [results[i] for i in range(len(self.items))]

    @staticmethod
    def _busy(workers: list[_Worker]) -> int:
        return sum(w.index is not None for w in workers)

    def _start(self) -> _Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_serve, args=(child, self.job), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def _give(self, worker: _Worker, index: int) -> None:
        worker.index, worker.started = index, time.monotonic()
        with contextlib.suppress(OSError, EOFError):  # it died starting: seen dead by _wait
            worker.connection.send((index, self.items[index]))

    def _wait(self, workers: list[_Worker]) -> list[_Worker]:
        """The busy workers with news: a reply, a death, or their time up."""
        busy = [w for w in workers if w.index is not None]
        timeout = None
        timed = [w for w in busy if w.ready]
        if self.seconds and timed:
            now = time.monotonic()
            timeout = max(0.0, min(w.started + self.seconds - now for w in timed))
        handles: list[Any] = [w.connection for w in busy] + [w.process.sentinel for w in busy]
        ready = set(wait(handles, timeout))
        return [
            w for w in busy if w.connection in ready or w.process.sentinel in ready or self._late(w)
        ]

    def _outcome(self, worker: _Worker) -> tuple[str, Any] | None:
        """(kind, result) from a worker's reply; None if it died or its time is up."""
        index = worker.index
        assert index is not None
        try:
            while worker.connection.poll():
                kind, _, result = worker.connection.recv()
                if kind != "ready":
                    return kind, result
                worker.ready, worker.started = True, time.monotonic()  # its time starts now
        except (EOFError, OSError):
            worker.process.join(1)  # its pipe closed: it is ending
        if not worker.ready and not worker.process.is_alive():
            raise RuntimeError(f"a worker process failed to start (exit {worker.process.exitcode})")
        if worker.process.is_alive() and not self._late(worker):
            return "wait", None
        if self._late(worker):
            self.kills[index] = TRIES  # a stall is the input's own doing: not tried again
        else:
            self.kills[index] += 1
        return None

    def _late(self, worker: _Worker) -> bool:
        """Its input has had its time (counted from when the worker was ready)."""
        late = time.monotonic() - worker.started >= self.seconds
        return bool(self.seconds) and worker.ready and late

    @staticmethod
    def _end(worker: _Worker) -> None:
        worker.connection.close()
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
