"""The workspace's SQLite store: every year's scoring run, survey results and official results.

Decimals are stored as text, so that what is read back equals what was scored. A year's run is
replaced in one transaction; a second writer is refused at once rather than left waiting.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from decimal import Decimal
from pathlib import Path

from cchc import __version__
from cchc.core.issues import Issue, Severity
from cchc.core.locks import holding
from cchc.criteria.dump import dump_yaml
from cchc.criteria.loader import load_text
from cchc.criteria.model import CriteriaSet
from cchc.scoring.index import LAYERS, LeafScore, band_of, totals
from cchc.scoring.layers import Surveyed
from cchc.scoring.run import UnitScore, YearRun, rank_units
from cchc.templates.layout import set_hash
from cchc.units.model import Unit

SCHEMA_VERSION = 2
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    year INTEGER PRIMARY KEY, created TEXT NOT NULL, tool TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS run_sets (
    year INTEGER NOT NULL, set_id TEXT NOT NULL, set_year INTEGER NOT NULL,
    set_hash TEXT NOT NULL, yaml TEXT NOT NULL, PRIMARY KEY (year, set_id, set_year));
CREATE TABLE IF NOT EXISTS units (
    year INTEGER NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL, grp TEXT, set_id TEXT NOT NULL,
    set_year INTEGER NOT NULL, ranked INTEGER NOT NULL, file TEXT,
    points TEXT NOT NULL, max TEXT NOT NULL, bonus TEXT NOT NULL, penalty TEXT NOT NULL,
    idx TEXT, band TEXT, rank INTEGER, PRIMARY KEY (year, code));
CREATE TABLE IF NOT EXISTS leaves (
    year INTEGER NOT NULL, unit TEXT NOT NULL, item TEXT NOT NULL, max TEXT NOT NULL,
    excluded INTEGER NOT NULL, self TEXT, appraisal_1 TEXT, appraisal_2 TEXT, survey TEXT,
    final TEXT NOT NULL, final_by TEXT NOT NULL, trace TEXT NOT NULL,
    PRIMARY KEY (year, unit, item));
CREATE TABLE IF NOT EXISTS nodes (
    year INTEGER NOT NULL, unit TEXT NOT NULL, item TEXT NOT NULL, points TEXT NOT NULL,
    max TEXT NOT NULL, sub_index TEXT, PRIMARY KEY (year, unit, item));
CREATE TABLE IF NOT EXISTS issues (
    year INTEGER NOT NULL, code TEXT NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL,
    file TEXT, sheet TEXT, cell TEXT, item TEXT, line INTEGER);
CREATE INDEX IF NOT EXISTS issues_year ON issues (year);
CREATE TABLE IF NOT EXISTS sources (
    year INTEGER NOT NULL, file TEXT NOT NULL, sha256 TEXT NOT NULL, unit TEXT);
CREATE INDEX IF NOT EXISTS sources_year ON sources (year);
CREATE TABLE IF NOT EXISTS survey (
    year INTEGER NOT NULL, set_id TEXT NOT NULL, unit TEXT NOT NULL, item TEXT NOT NULL,
    points TEXT NOT NULL, percent TEXT, source TEXT NOT NULL,
    PRIMARY KEY (year, set_id, unit, item));
CREATE TABLE IF NOT EXISTS official (
    year INTEGER NOT NULL, unit TEXT NOT NULL, item TEXT NOT NULL, points TEXT NOT NULL,
    source TEXT NOT NULL, PRIMARY KEY (year, unit, item));
"""
RUN_TABLES = ("runs", "run_sets", "units", "leaves", "nodes", "issues", "sources")
"""What a scoring run of a year owns (survey and official results outlive re-runs)."""


class StoreError(Exception):
    """The store cannot be used; the message is in Vietnamese."""


class StoreBusy(StoreError):
    """Another process is writing the store."""


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=0, isolation_level=None)
    db.execute("PRAGMA foreign_keys = ON")
    return db


def create(path: Path) -> None:
    """Create the tables (idempotent) and record the schema version."""
    with closing(_connect(path)) as db:
        db.executescript(SCHEMA)
        db.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
            (str(SCHEMA_VERSION),),
        )


@contextmanager
def writing(path: Path) -> Iterator[sqlite3.Connection]:
    """An exclusive write transaction; StoreBusy at once if another process holds the store.

    The lock file is held for the whole block, so a long scoring run cannot interleave with
    another; the transaction commits when the block ends and rolls back if it raises.
    """
    if not path.exists():
        raise StoreError(f"không tìm thấy kho dữ liệu {path}")
    lock_path = path.with_name(path.name + ".lock")
    with lock_path.open("a") as lock, holding(lock.fileno()) as locked:
        if locked is False:
            raise StoreBusy(
                f"một tiến trình khác đang ghi kho dữ liệu {path.name}; hãy chờ nó chạy xong"
            )
        create(path)
        with closing(_connect(path)) as db:
            try:
                db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StoreBusy(f"kho dữ liệu {path.name} đang bị khóa: {exc}") from exc
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")


@contextmanager
def reading(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection that only reads (the store is never created or changed by reading).

    Opened read-write but `query_only`: a writer killed mid-transaction leaves a hot journal,
    which SQLite rolls back on the next connection that may write the file; a `mode=ro`
    connection cannot, and every reading command would fail until the next write.
    """
    if not path.exists():
        raise StoreError(f"không tìm thấy kho dữ liệu {path}")
    with closing(sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=5)) as db:
        db.execute("PRAGMA query_only = ON")
        yield db


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def save_run(db: sqlite3.Connection, run: YearRun) -> None:
    """Replace the year's run with this one (inside the caller's transaction)."""
    year = run.year
    for table in RUN_TABLES:
        db.execute(f"DELETE FROM {table} WHERE year = ?", (year,))
    db.execute("INSERT INTO runs VALUES (?, ?, ?)", (year, run.created, f"cchc {__version__}"))
    db.executemany(
        "INSERT INTO run_sets VALUES (?, ?, ?, ?, ?)",
        [(year, s.id, s.year, set_hash(s), dump_yaml(s)) for s in run.sets.values()],
    )
    db.executemany("INSERT INTO units VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", _unit_rows(run))
    db.executemany("INSERT INTO leaves VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", _leaf_rows(run))
    db.executemany(
        "INSERT INTO nodes VALUES (?,?,?,?,?,?)",
        (
            (year, u.unit.code, n.code, str(n.points), str(n.max), _text(n.index))
            for u in run.units
            for n in u.totals.nodes.values()
            if n.code not in u.leaves  # leaves have their own table
        ),
    )
    db.executemany(
        "INSERT INTO issues VALUES (?,?,?,?,?,?,?,?,?)",
        [
            (year, i.code, i.severity.value, i.message, i.file, i.sheet, i.cell, i.item, i.line)
            for i in run.issues
        ],
    )
    db.executemany(
        "INSERT INTO sources VALUES (?,?,?,?)", [(year, *source) for source in run.sources]
    )


def _unit_rows(run: YearRun) -> Iterator[tuple[object, ...]]:
    for u in run.units:
        t = u.totals
        yield (
            run.year,
            u.unit.code,
            u.unit.name,
            u.unit.group,
            u.set_id,
            u.set_year,
            int(u.unit.ranked),
            u.file,
            str(t.points),
            str(t.max),
            str(t.bonus),
            str(t.penalty),
            _text(t.index),
            t.band,
            t.rank,
        )


def _leaf_rows(run: YearRun) -> Iterator[tuple[object, ...]]:
    for u in run.units:
        for leaf in u.leaves.values():
            yield (
                run.year,
                u.unit.code,
                leaf.code,
                str(leaf.max),
                int(leaf.excluded),
                *(_text(leaf.layers.get(layer)) for layer in LAYERS),
                str(leaf.final),
                leaf.by,
                json.dumps(leaf.trace, ensure_ascii=False),
            )


def years(path: Path) -> list[int]:
    """The years with a stored run, oldest first."""
    with reading(path) as db:
        if not _has_table(db, "runs"):
            return []
        return [row[0] for row in db.execute("SELECT year FROM runs ORDER BY year")]


def indices(path: Path, year: int) -> dict[str, Decimal | None]:
    """Each unit's stored index for a year (empty if the year was not scored)."""
    if not path.exists():
        return {}
    with reading(path) as db:
        return indices_in(db, year)


def indices_in(db: sqlite3.Connection, year: int) -> dict[str, Decimal | None]:
    """`indices` through an open connection (a writer's, inside its transaction)."""
    if not _has_table(db, "units"):
        return {}
    rows = db.execute("SELECT code, idx FROM units WHERE year = ?", (year,))
    return {code: Decimal(idx) if idx is not None else None for code, idx in rows}


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    found = db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,))
    return found.fetchone() is not None


def load_run(path: Path, year: int, traces: bool = True) -> YearRun | None:
    """The stored run of a year, rebuilt (totals recomputed from the stored leaves).

    Without `traces` the leaves carry no trace (a third of the memory and time at national
    scale), for what needs only the points: comparisons, charts.
    """
    with reading(path) as db:
        if not _has_table(db, "runs"):
            return None
        row = db.execute("SELECT created FROM runs WHERE year = ?", (year,)).fetchone()
        if row is None:
            return None
        run = YearRun(year, _load_sets(db, year), created=row[0])
        leaves = _load_leaves(db, year, traces)
        for code, name, grp, set_id, set_year, ranked, file in db.execute(
            "SELECT code, name, grp, set_id, set_year, ranked, file FROM units WHERE year = ?",
            (year,),
        ):
            criteria = run.sets[(set_id, set_year)]
            unit = Unit(code=code, name=name, group=grp, set=set_id, ranked=bool(ranked))
            own = leaves.get(code, {})
            result = totals(criteria, own)
            result.band = band_of(criteria, result.index)
            run.units.append(UnitScore(unit, set_id, set_year, file, own, result))
        rank_units(run.units)
        run.issues = [
            Issue(
                code=code,
                severity=Severity(severity),
                message=message,
                file=file,
                sheet=sheet,
                cell=cell,
                item=item,
                line=line,
            )
            for code, severity, message, file, sheet, cell, item, line in db.execute(
                "SELECT code, severity, message, file, sheet, cell, item, line FROM issues "
                "WHERE year = ? ORDER BY rowid",
                (year,),
            )
        ]
        run.sources = list(
            db.execute("SELECT file, sha256, unit FROM sources WHERE year = ?", (year,))
        )
        return run


def _load_sets(db: sqlite3.Connection, year: int) -> dict[tuple[str, int], CriteriaSet]:
    sets: dict[tuple[str, int], CriteriaSet] = {}
    for set_id, set_year, text in db.execute(
        "SELECT set_id, set_year, yaml FROM run_sets WHERE year = ?", (year,)
    ):
        loaded = load_text(text, f"{set_id}-{set_year} (kho dữ liệu)")
        if loaded.set is None:
            raise StoreError(f"bộ tiêu chí {set_id} năm {set_year} trong kho dữ liệu bị hỏng")
        sets[(set_id, set_year)] = loaded.set
    return sets


def _load_leaves(
    db: sqlite3.Connection, year: int, traces: bool
) -> dict[str, dict[str, LeafScore]]:
    leaves: dict[str, dict[str, LeafScore]] = {}
    trace_column = "trace" if traces else "NULL"
    for unit, item, top, excluded, *points, trace in db.execute(
        "SELECT unit, item, max, excluded, self, appraisal_1, appraisal_2, survey, "
        f"{trace_column} FROM leaves WHERE year = ? ORDER BY rowid",
        (year,),
    ):
        layers = {layer: Decimal(p) for layer, p in zip(LAYERS, points, strict=True) if p}
        leaf = LeafScore(item, Decimal(top), layers, bool(excluded), json.loads(trace or "{}"))
        leaves.setdefault(unit, {})[item] = leaf
    return leaves


def save_survey(
    db: sqlite3.Connection, year: int, set_id: str, values: Mapping[str, Mapping[str, Surveyed]]
) -> int:
    """Replace the year's survey results on a set for the units in `values`; rows written."""
    rows = [
        (year, set_id, unit, item, str(s.points), _text(s.percent), s.where)
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
    if not _has_table(db, "survey"):
        return values
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
        if not _has_table(db, "official"):
            return values
        for unit, item, points in db.execute(
            "SELECT unit, item, points FROM official WHERE year = ?", (year,)
        ):
            values.setdefault(unit, {})[item] = Decimal(points)
    return values
