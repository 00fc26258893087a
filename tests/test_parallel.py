"""Forked workers: results in input order; a dying worker loses only the input that killed it."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from cchc.core.parallel import fork_map
from cchc.criteria.model import CriteriaSet
from cchc.scoring.submission import Submission
from cchc.templates import collect
from cchc.templates.collect import check_folder
from cchc.templates.reader import open_rows
from tests.workbooks import MINI_X01, XA, filled

PARENT = os.getpid()


def doubled_unless_fatal(item: int) -> int:
    """Doubles; items 3 and 7 kill the worker process (as a native abort would), never pytest."""
    if item in (3, 7) and os.getpid() != PARENT:
        os.kill(os.getpid(), signal.SIGKILL)
    return item * 2


@pytest.mark.parametrize(("workers", "threshold"), [(2, 1), (1, 100)])
def test_a_contained_job_loses_only_the_inputs_that_kill_their_worker(
    workers: int, threshold: int
) -> None:
    items = list(range(40))
    results = list(fork_map(doubled_unless_fatal, items, workers, threshold, crashed=lambda i: -i))
    assert results == [-i if i in (3, 7) else i * 2 for i in items]


def slow_unless_quick(item: int) -> int:
    """Item 2 would take a minute (as a native loop on a crafted file could)."""
    if item == 2:
        time.sleep(60)
    return item


def test_an_input_over_its_time_is_given_up() -> None:
    started = time.monotonic()
    results = list(fork_map(slow_unless_quick, list(range(6)), 2, 1, lambda i: -1, seconds=1))
    assert results == [0, 1, -1, 3, 4, 5]
    assert time.monotonic() - started < 10  # one second in the pool, one alone


def test_a_plain_job_is_done_again_here_when_a_worker_dies() -> None:
    items = list(range(40))
    assert list(fork_map(doubled_unless_fatal, items, 2, 1)) == [i * 2 for i in items]


def test_a_python_error_in_a_worker_still_reaches_the_caller() -> None:
    def failing(item: int) -> int:
        if item == 5:
            raise ValueError("năm")
        return item

    with pytest.raises(ValueError, match="năm"):
        list(fork_map(failing, list(range(10)), 2, 1, crashed=lambda i: -1))


def test_a_workbook_that_aborts_its_reader_loses_only_itself(
    mini: CriteriaSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    filled(mini, XA, MINI_X01, tmp_path / "X01.xlsx")
    (tmp_path / "pha.xlsx").write_bytes(b"PK\x03\x04")

    def aborting(path: Path, sub: Submission) -> object:
        if path.name == "pha.xlsx" and os.getpid() != PARENT:
            os.abort()  # what calamine does on an allocation it cannot make
        return open_rows(path, sub)

    monkeypatch.setattr(collect, "open_rows", aborting)
    report = check_folder(tmp_path, 2024, [XA], lambda ref, year: mini, workers=1)
    by_file = {Path(s.file).name: [i.code for i in s.issues] for s in report.submissions}
    assert by_file == {"X01.xlsx": [], "pha.xlsx": ["workbook_crash"]}
    assert report.missing == []
