"""Worker processes: results in input order; a dying worker loses only the input that killed it.

The jobs are module-level functions, so that spawned workers (Windows) can be given them; the
file runs once more with spawn only, no fork, fcntl nor SIGALRM (tests/test_windows.py).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from cchc.core import parallel
from cchc.core.parallel import MEMORY_BUDGET, beside, fork_map, start_method
from cchc.criteria.model import CriteriaSet
from cchc.scoring.submission import Submission
from cchc.templates import collect
from cchc.templates.collect import OneSet, check_folder
from tests.jobs import (
    address_space_limit,
    doubled_unless_fatal,
    failing,
    in_worker,
    slow_unless_quick,
)
from tests.workbooks import MINI_X01, XA, filled


@pytest.mark.parametrize(("workers", "threshold"), [(2, 1), (1, 100)])
def test_a_contained_job_loses_only_the_inputs_that_kill_their_worker(
    workers: int, threshold: int
) -> None:
    items = list(range(40))
    results = list(fork_map(doubled_unless_fatal, items, workers, threshold, crashed=lambda i: -i))
    assert results == [-i if i in (3, 7) else i * 2 for i in items]


def test_an_input_over_its_time_is_given_up() -> None:
    started = time.monotonic()
    results = list(fork_map(slow_unless_quick, list(range(6)), 2, 1, lambda i: -1, seconds=1))
    assert results == [0, 1, -1, 3, 4, 5]
    assert time.monotonic() - started < 10  # one second in the pool, one alone


def test_a_plain_job_is_done_again_here_when_a_worker_dies() -> None:
    items = list(range(40))
    assert list(fork_map(doubled_unless_fatal, items, 2, 1)) == [i * 2 for i in items]


def test_a_python_error_in_a_worker_still_reaches_the_caller() -> None:
    with pytest.raises(ValueError, match="năm"):
        list(fork_map(failing, list(range(10)), 2, 1, crashed=lambda i: -1))


class AbortingJob(collect._Job):
    """The check of a folder, but pha.xlsx aborts its worker (as calamine does on an allocation
    it cannot make); a class of this module, so that a spawned worker is given it too."""

    def check(self, path: Path) -> tuple[Submission, bytes | None]:
        if path.name == "pha.xlsx" and in_worker():
            os.abort()
        return super().check(path)


def test_a_workbook_that_aborts_its_reader_loses_only_itself(
    mini: CriteriaSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    filled(mini, XA, MINI_X01, tmp_path / "X01.xlsx")
    (tmp_path / "pha.xlsx").write_bytes(b"PK\x03\x04")
    monkeypatch.setattr(collect, "_Job", AbortingJob)
    report = check_folder(tmp_path, 2024, [XA], OneSet(mini), workers=1)
    by_file = {Path(s.file).name: [i.code for i in s.issues] for s in report.submissions}
    assert by_file == {"X01.xlsx": [], "pha.xlsx": ["workbook_crash"]}
    assert report.missing == []


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS is enforced on Linux")
def test_a_contained_worker_has_a_memory_limit() -> None:
    [limit] = fork_map(address_space_limit, [0], 1, 1, crashed=lambda i: -2)
    assert MEMORY_BUDGET < limit < MEMORY_BUDGET + (8 << 30)  # what the worker had, plus the budget


def test_a_job_beside_runs_while_the_block_does(tmp_path: Path) -> None:
    """The job (writing a file) runs in another process while the block runs: each sees the
    other's process id; its result is there when the block ends."""
    mark = tmp_path / "beside.txt"
    with beside(lambda: mark.write_text(str(os.getpid()))):
        here = os.getpid()
    forked = start_method() == "fork"  # else (Windows) run here, after the block
    assert (mark.read_text() != str(here)) is forked


def test_a_job_beside_that_fails_is_done_again_here(tmp_path: Path) -> None:
    """A job failing in its process is run again here: the caller sees its own exception."""
    runs = tmp_path / "runs"
    runs.mkdir()

    def fails() -> None:
        (runs / str(os.getpid())).touch()
        raise ValueError("sổ hỏng")

    with pytest.raises(ValueError, match="sổ hỏng"), beside(fails):
        pass
    assert os.getpid() in {int(p.name) for p in runs.iterdir()}  # the second try, here


def test_a_block_that_raises_stops_the_job_beside(tmp_path: Path) -> None:
    mark = tmp_path / "late.txt"

    def slow() -> None:
        time.sleep(5)
        mark.touch()

    with pytest.raises(RuntimeError), beside(slow):
        raise RuntimeError("lỗi")
    time.sleep(0.2)
    assert not mark.exists()  # ended, not run here either


def test_without_fork_the_job_beside_runs_after_the_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    order: list[str] = []
    monkeypatch.setattr(parallel, "start_method", lambda: "spawn")
    with beside(lambda: order.append("job")):
        order.append("block")
    assert order == ["block", "job"]
