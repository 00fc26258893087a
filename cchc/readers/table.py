"""A table file's sheets, read whole in a process of its own.

The tables an office feeds in (appraisal, survey, official results, owners, units, criteria) pass
the guards of cchc.readers.guard first, like the units' workbooks. A crafted file may still find
a way to abort the native reader or keep it busy (an .xls formula of whitespace tokens costs
calamine quadratic time): read in a worker process with a time limit (forked, or spawned where
fork is missing), it ends that process, not the command, and comes back as a refusal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from cchc.core.errors import os_error_message
from cchc.core.parallel import fork_map
from cchc.readers.guard import TABLE, Limits, Refusal, Refused, open_book, sheet_rows

TABLE_SECONDS = 120
"""Longest a table may take to read: 100,000 rows × 12 columns (4.7 MB) take 1.4 s."""

Sheets = dict[str, list[list[Any]]]
"""Each sheet's rows from A1, in the workbook's order."""


class Unreadable(Exception):
    """The reader failed on the file (calamine's own error, with its message)."""


T = TypeVar("T")


def contained(
    job: Callable[[Path], T | Refusal | str], path: Path, crashed: Callable[[Path], Refusal]
) -> T:
    """`job(path)` in a contained worker within TABLE_SECONDS; its refusal raised as Refused,
    its message (a string) as Unreadable."""
    results: list[T | Refusal | str] = list(
        fork_map(job, [path], 1, 1, crashed=crashed, seconds=TABLE_SECONDS)
    )
    result = results[0]
    if isinstance(result, Refusal):
        raise Refused(result)
    if isinstance(result, str):
        raise Unreadable(result)
    return result


def read_table(path: Path, limits: Limits = TABLE) -> Sheets:
    """Every sheet of the file (at least one), guarded and contained; raises Refused or
    Unreadable."""
    result = contained(partial(_sheets, limits=limits), path, _crashed)
    if not result:
        raise Unreadable("tệp không có trang tính nào")
    return result


def read_tables(
    paths: Sequence[Path], limits: Limits = TABLE, workers: int | None = None
) -> list[Sheets | Refused | Unreadable]:
    """Each file's sheets as `read_table` gives them, read in one pool of contained workers
    (one process per core, not one per file); a file's failure comes back as its exception."""
    found: list[Sheets | Refused | Unreadable] = []
    job = partial(_sheets, limits=limits)
    for result in fork_map(job, list(paths), workers, 1, crashed=_crashed, seconds=TABLE_SECONDS):
        if isinstance(result, Refusal):
            found.append(Refused(result))
        elif isinstance(result, str):
            found.append(Unreadable(result))
        elif not result:
            found.append(Unreadable("tệp không có trang tính nào"))
        else:
            found.append(result)
    return found


def _sheets(path: Path, limits: Limits) -> Sheets | Refusal | str:
    """In the worker: the sheets, or why not (a refusal, or calamine's message)."""
    return sheets_of(path, limits)


def sheets_of(path: Path, limits: Limits) -> Sheets | Refusal | str:
    """The sheets of one file, or why not (what `_sheets` does in the worker)."""
    try:
        book = open_book(path, limits)
        return {name: sheet_rows(book, name, limits) for name in book.sheet_names}
    except Refused as exc:
        return exc.refusal
    except OSError as exc:  # missing, unreadable: said as such, not as a damaged file
        return os_error_message(exc)
    except Exception as exc:  # calamine raises several error types for unreadable files
        return f"tệp hỏng hoặc không đúng định dạng (trình đọc báo: {exc})"


def _crashed(path: Path) -> Refusal:
    return Refusal(
        "workbook_crash",
        f"trình đọc bảng dừng đột ngột hoặc chạy quá {TABLE_SECONDS} giây khi đọc tệp này "
        "(tệp hỏng hoặc được tạo để phá chương trình)",
    )
