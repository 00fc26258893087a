"""Is the store whole? Checked on every open, before anything is written into it.

A half-copied `cchc.db` (a copy to a USB stick cut short) is shorter than its header says; a
damaged one fails SQLite's quick check. Either is refused with what is wrong and how to restore,
and the file is left as it is.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path

MAGIC = b"SQLite format 3\x00"
HEADER_BYTES = 100
BACKUP_SUFFIX = ".bak"
"""The store keeps a copy of itself as it was after the last write: cchc.db.bak."""
ORPHANS = ("-journal", "-wal", "-shm")
"""What SQLite leaves beside a database file."""
TEMP_MARK = ".cchc.tmp"
"""Temporary files of atomic writes (cchc.core.fileio) end with this."""


class StoreError(Exception):
    """The store cannot be used; the message is in Vietnamese."""


class StoreBusy(StoreError):
    """Another process is writing the store, or holds it locked."""


class StoreDamaged(StoreError):
    """The store file is not a whole SQLite database; nothing was written into it."""


def backup_path(path: Path) -> Path:
    """Where the store keeps its copy."""
    return path.with_name(path.name + BACKUP_SUFFIX)


def check_file(path: Path) -> None:
    """Refuse a file that is not a whole SQLite database, reading only its header."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            header = handle.read(HEADER_BYTES)
    except OSError as exc:
        raise StoreError(f"không đọc được kho dữ liệu {path}: {exc.strerror}") from exc
    if size == 0:
        raise damaged(path, "tệp trống (0 byte)")
    if len(header) < HEADER_BYTES or not header.startswith(MAGIC):
        raise damaged(path, "không phải tệp cơ sở dữ liệu SQLite")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    counter_valid = header[24:28] == header[92:96]
    if counter_valid and pages and size < pages * page_size:
        raise damaged(
            path, f"tệp bị cắt cụt: có {size:,} byte, cần {pages * page_size:,} byte (chép dở?)"
        )


def check_integrity(
    db: sqlite3.Connection, path: Path, tables: tuple[str, ...] | None = None
) -> None:
    """SQLite's quick check (every page and index entry, without cross-checking contents).

    With `tables`, only theirs: what a reading command pays on every open (the whole store's
    check takes seconds at national scale, and is done before every write).
    """
    try:
        if tables is not None:
            present = {
                r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            tables = tuple(t for t in tables if t in present) or ("sqlite_master",)
        found = []
        for table in tables or (None,):
            pragma = "PRAGMA quick_check" if table is None else f"PRAGMA quick_check({table})"
            found += [row[0] for row in db.execute(pragma)]
    except sqlite3.DatabaseError as exc:
        raise damaged(path, str(exc)) from exc
    problems = [str(f) for f in found if f != "ok"]
    if problems:
        raise damaged(path, "; ".join(problems[:5]))


def is_damage(exc: sqlite3.DatabaseError) -> bool:
    """An error that means the file is damaged (not a mistake in a query)."""
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text or "corrupt" in text


def damaged(path: Path, what: str) -> StoreDamaged:
    """The error for a damaged store: what is wrong, and how to get the data back."""
    copy = backup_path(path)
    how = (
        f"chép bản sao {copy.name} (kho tự lưu lúc {_when(copy)}) đè lên {path.name}, "
        "rồi chấm lại các năm đã chấm sau lúc đó"
        if _whole(copy)
        else f"chép lại {path.name} từ bản sao lưu của đơn vị, hoặc chấm lại từng năm vào một "
        "kho mới"
    )
    return StoreDamaged(
        f"kho dữ liệu {path} bị hỏng ({what}); cchc không đọc và không ghi vào tệp này. "
        f"Cách khôi phục: {how}"
    )


def _whole(path: Path) -> bool:
    if not path.is_file():
        return False
    try:
        check_file(path)
    except StoreError:
        return False
    return True


def _when(path: Path) -> str:
    stamp = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    return stamp.strftime("%H:%M ngày %d/%m/%Y (UTC)")


def sweep_orphans(folder: Path) -> None:
    """Remove what SQLite left beside a temporary store whose writer is gone.

    `init` creates the store under a temporary name; killed, it leaves `….cchc.tmp-journal`
    (or -wal, -shm), which the sweep of temporary files does not match. Such a file is an
    orphan once its database is gone (the database itself is swept as a stale temporary file).
    """
    try:
        with os.scandir(folder) as entries:
            names = [e.name for e in entries if e.name.startswith(".") and TEMP_MARK in e.name]
    except OSError:
        return
    for name in names:
        for suffix in ORPHANS:
            base = name.removesuffix(suffix)
            if base != name and base.endswith(TEMP_MARK) and base not in names:
                with suppress(OSError):
                    os.unlink(folder / name)
