"""The workspace's SQLite store: every year's scoring runs, survey results and official results.

Decimals are stored as text, so that what is read back equals what was scored. Each open checks
that the file is whole and of a schema this version knows (older stores are migrated in one
transaction). The store runs in WAL mode: readers (a report, a database browser) never block the
writer. A second cchc writer is refused at once; a lock held by another program is waited for a
while, then refused before any work is done.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager, suppress
from decimal import Decimal
from pathlib import Path

from cchc.core.fileio import atomic_path
from cchc.core.locks import holding
from cchc.scoring.layers import Surveyed
from cchc.scoring.run import YearRun
from cchc.store import runs
from cchc.store.health import (
    StoreBusy,
    StoreDamaged,
    StoreError,
    backup_path,
    check_file,
    check_integrity,
    damaged,
    is_damage,
    sweep_orphans,
)
from cchc.store.runs import Revision, current_rev, official_rev, save_official_run, save_run
from cchc.store.schema import SCHEMA_VERSION, create_tables, migrate, version_of

__all__ = [
    "SCHEMA_VERSION",
    "Revision",
    "StoreBusy",
    "StoreDamaged",
    "StoreError",
    "create",
    "history",
    "indices",
    "indices_in",
    "load_official",
    "load_official_run",
    "load_run",
    "official_rev",
    "official_years",
    "reading",
    "restore",
    "save_official",
    "save_official_run",
    "save_run",
    "save_survey",
    "survey_values",
    "writing",
    "years",
]

BUSY_SECONDS = 20.0
"""How long a command waits for another program to release the store before refusing."""
READ_CHECKED = ("meta", "current_runs", "runs")
"""The tables a reading command checks on open (a writer checks the whole store)."""
COMMIT_TRIES = 5
"""A commit that finds the store locked is retried this many times (the run's work is done)."""


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
    db.execute("PRAGMA foreign_keys = ON")
    return db


def _busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _held(path: Path) -> StoreBusy:
    return StoreBusy(
        f"kho dữ liệu {path.name} đang bị một chương trình khác giữ (đã chờ "
        f"{BUSY_SECONDS:g} giây); hãy đóng chương trình đang mở kho (trình xem cơ sở dữ liệu, "
        "một lệnh cchc khác) rồi chạy lại. Chưa làm gì, chưa ghi gì."
    )


def create(path: Path, meta: Mapping[str, str] | None = None) -> None:
    """Create the tables of a new store, with `meta` entries (idempotent on a current store)."""
    with closing(_connect(path)) as db:
        db.execute("PRAGMA journal_mode = MEMORY")  # no -journal file beside a temporary store
        db.execute("BEGIN IMMEDIATE")
        create_tables(db)
        db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", (meta or {}).items())
        db.execute("COMMIT")
        _wal(db)


def _prepare(db: sqlite3.Connection, path: Path) -> None:
    """Check the store's schema: refuse a newer one, then set WAL mode, then create an empty
    store's tables or migrate an older one (one transaction)."""
    found = _version(db, path)
    if found is not None and found > SCHEMA_VERSION:
        raise StoreError(
            f"kho dữ liệu {path} do một phiên bản cchc mới hơn ghi (lược đồ {found}, phiên bản "
            f"này đọc đến lược đồ {SCHEMA_VERSION}); hãy cập nhật cchc"
        )
    _wal(db)
    if found == SCHEMA_VERSION:
        return
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        raise _held(path) from exc
    try:
        if found is None:
            create_tables(db)
        else:
            migrate(db, found)
    except ValueError as exc:
        db.execute("ROLLBACK")
        raise StoreError(f"kho dữ liệu {path}: lược đồ {found} không chuyển được ({exc})") from exc
    except BaseException:
        db.execute("ROLLBACK")
        raise
    _commit(db, path)


def _wal(db: sqlite3.Connection) -> None:
    """WAL mode, where the file system allows it (kept in the file once set).

    Switching needs the file to itself for an instant: a reader of the old mode holding it is
    waited for briefly, then left for the next time.
    """
    if db.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
        return
    db.execute("PRAGMA busy_timeout = 1000")
    with suppress(sqlite3.OperationalError):
        db.execute("PRAGMA journal_mode = WAL")
    db.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")


def _commit(db: sqlite3.Connection, path: Path) -> None:
    """COMMIT, retried while another program holds the store; rolled back if it never lets go."""
    for attempt in range(COMMIT_TRIES):
        try:
            db.execute("COMMIT")
            return
        except sqlite3.OperationalError as exc:
            if not _busy(exc) or attempt == COMMIT_TRIES - 1:
                db.execute("ROLLBACK")
                raise StoreBusy(
                    f"không ghi được vào kho dữ liệu {path.name} ({exc}); chưa ghi gì, "
                    "hãy đóng chương trình đang mở kho rồi chạy lại"
                ) from exc
            time.sleep(0.2 * (attempt + 1))


def _backup(db: sqlite3.Connection, path: Path) -> None:
    """Keep a copy of the store as it is now, for a damaged store to be restored from."""
    try:
        with atomic_path(backup_path(path)) as tmp, closing(sqlite3.connect(tmp)) as copy:
            copy.execute("PRAGMA journal_mode = OFF")  # a killed copy is thrown away whole
            db.backup(copy)
    except (OSError, sqlite3.Error):
        pass  # the store is written; a copy that cannot be made is not a failure of the run
    sweep_orphans(path.parent)


@contextmanager
def writing(path: Path, keep_copy: bool = True) -> Iterator[sqlite3.Connection]:
    """An exclusive write transaction; StoreBusy at once if another cchc process holds the store.

    The store is checked (whole, known schema) and locked before the block runs, so that a
    command refused fails before doing any work. The lock file is held for the whole block, so a
    long scoring run cannot interleave with another; the transaction commits when the block
    ends and rolls back if it raises. Then the store keeps a copy of itself (cchc.db.bak).
    """
    if not path.exists():
        raise StoreError(f"không tìm thấy kho dữ liệu {path}")
    check_file(path)
    lock_path = path.with_name(path.name + ".lock")
    with lock_path.open("a") as lock, holding(lock.fileno()) as locked:
        if locked is False:
            raise StoreBusy(
                f"một tiến trình khác đang ghi kho dữ liệu {path.name}; hãy chờ nó chạy xong"
            )
        sweep_orphans(path.parent)
        with closing(_connect(path)) as db:
            check_integrity(db, path)
            _prepare(db, path)
            try:
                db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise _held(path) from exc
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            _commit(db, path)
            if keep_copy:
                _backup(db, path)


@contextmanager
def reading(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection that only reads (the store is never created or changed by reading).

    Opened read-write but `query_only`: a writer killed mid-transaction leaves a hot journal,
    which SQLite rolls back on the next connection that may write the file; a `mode=ro`
    connection cannot, and every reading command would fail until the next write. A store of
    an older schema is migrated first.
    """
    if not path.exists():
        raise StoreError(f"không tìm thấy kho dữ liệu {path}")
    check_file(path)
    uri = f"{path.resolve().as_uri()}?mode=rw"
    with closing(sqlite3.connect(uri, uri=True, timeout=BUSY_SECONDS)) as db:
        check_integrity(db, path, READ_CHECKED)
        current = _version(db, path) == SCHEMA_VERSION
    if not current:
        with writing(path, keep_copy=False):
            pass  # migrated (or refused) under the writer's lock
    with closing(sqlite3.connect(uri, uri=True, timeout=BUSY_SECONDS)) as db:
        db.execute("PRAGMA query_only = ON")
        try:
            yield db
        except sqlite3.DatabaseError as exc:
            if is_damage(exc):
                raise damaged(path, str(exc)) from exc
            raise


def _version(db: sqlite3.Connection, path: Path) -> int | None:
    try:
        return version_of(db)
    except sqlite3.DatabaseError as exc:
        raise StoreDamaged(f"kho dữ liệu {path} bị hỏng: {exc}") from exc


def years(path: Path) -> list[int]:
    """The years with a stored run, oldest first."""
    with reading(path) as db:
        return [row[0] for row in db.execute("SELECT year FROM current_runs ORDER BY year")]


def indices(path: Path, year: int) -> dict[str, Decimal | None]:
    """Each unit's stored index for a year (empty if the year was not scored)."""
    if not path.exists():
        return {}
    with reading(path) as db:
        return indices_in(db, year)


def indices_in(db: sqlite3.Connection, year: int) -> dict[str, Decimal | None]:
    """`indices` through an open connection (a writer's, inside its transaction)."""
    rev = current_rev(db, year)
    rows = db.execute("SELECT code, idx FROM units WHERE year = ? AND rev = ?", (year, rev))
    return {code: Decimal(idx) if idx is not None else None for code, idx in rows}


def load_run(
    path: Path, year: int, traces: bool = True, rev: int | None = None, scores: bool = True
) -> YearRun | None:
    """A stored run of a year (default: the current one), exactly as it was computed.

    Without `traces` the leaves carry no trace (a third of the memory and time at national
    scale), for what needs only the points: comparisons, charts. Without `scores`, a partial
    run: its units without their leaves and nodes, which `fill_scores` adds.
    """
    with reading(path) as db:
        return runs.load_run_in(db, year, rev, traces, scores)


def fill_scores(path: Path, run: YearRun, codes: list[str], traces: bool = True) -> None:
    """Give the units `codes` of a partial run their stored leaves and nodes."""
    assert run.partial and run.rev is not None
    with reading(path) as db:
        leaves, nodes = runs.load_scores_in(db, (run.year, run.rev), codes, traces)
    for code in codes:
        score = run.unit(code)
        if score is not None:
            score.leaves = leaves.get(code, {})
            score.totals.nodes = nodes.get(code, {})


def load_official_run(path: Path, year: int, traces: bool = True) -> YearRun | None:
    """The year's official result as imported (None if none was imported)."""
    with reading(path) as db:
        rev = runs.official_rev(db, year)
        return None if rev is None else runs.load_run_in(db, year, rev, traces)


def official_years(path: Path) -> list[int]:
    """The years with an official result, oldest first."""
    with reading(path) as db:
        return runs.official_years(db)


def history(path: Path, year: int) -> list[Revision]:
    """Every stored run of the year, oldest first, the current one marked."""
    with reading(path) as db:
        return runs.revisions(db, year)


def restore(db: sqlite3.Connection, year: int, rev: int) -> Revision:
    """Make a stored run of the year its current run again (inside the caller's transaction)."""
    return runs.restore(db, year, rev)


def save_survey(
    db: sqlite3.Connection, year: int, set_id: str, values: Mapping[str, Mapping[str, Surveyed]]
) -> int:
    """Replace the year's survey results on a set for the units in `values`; rows written."""
    rows = [
        (
            year,
            set_id,
            unit,
            item,
            str(s.points),
            None if s.percent is None else str(s.percent),
            s.where,
        )
        for unit, items in values.items()
        for item, s in items.items()
    ]
    db.executemany(
        "DELETE FROM survey WHERE year = ? AND set_id = ? AND unit = ?",
        [(year, set_id, unit) for unit in values],
    )
    db.executemany("INSERT INTO survey VALUES (?,?,?,?,?,?,?)", rows)
    return len(rows)


def survey_values(db: sqlite3.Connection, year: int) -> dict[str, dict[str, dict[str, Surveyed]]]:
    """The stored survey results of a year: set id → unit → item → result."""
    values: dict[str, dict[str, dict[str, Surveyed]]] = {}
    for set_id, unit, item, points, percent, source in db.execute(
        "SELECT set_id, unit, item, points, percent, source FROM survey WHERE year = ?", (year,)
    ):
        share = Decimal(percent) if percent is not None else None
        by_unit = values.setdefault(set_id, {}).setdefault(unit, {})
        by_unit[item] = Surveyed(Decimal(points), share, source)
    return values


def save_official(
    db: sqlite3.Connection, year: int, values: Mapping[str, Mapping[str, Decimal]], source: str
) -> int:
    """Replace the year's official results for the units in `values`; the rows written."""
    rows = [
        (year, unit, item, str(points), source)
        for unit, items in values.items()
        for item, points in items.items()
    ]
    db.executemany("DELETE FROM official WHERE year = ? AND unit = ?", {(year, r[1]) for r in rows})
    db.executemany("INSERT INTO official VALUES (?,?,?,?,?)", rows)
    return len(rows)


def load_official(path: Path, year: int) -> dict[str, dict[str, Decimal]]:
    """The official results of a year: unit → item → points."""
    values: dict[str, dict[str, Decimal]] = {}
    with reading(path) as db:
        for unit, item, points in db.execute(
            "SELECT unit, item, points FROM official WHERE year = ?", (year,)
        ):
            values.setdefault(unit, {})[item] = Decimal(points)
    return values
