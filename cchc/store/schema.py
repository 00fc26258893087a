"""The store's tables, its schema version, and the migration of older stores.

Schema 3 keeps every scoring run of a year as a revision (`runs.rev`), one of them current
(`current_runs`), and every node of every unit with its kind and sub-index, so that a stored run
reads back as it was computed, without the scoring code. Schema 4 adds the official result of a
year (`official_runs`): a revision of its own (`runs.how = 'official'`), never the current run.
"""

from __future__ import annotations

import sqlite3
from decimal import Decimal

from cchc.criteria.loader import load_text
from cchc.criteria.model import CriteriaSet, ItemType, effective_type
from cchc.scoring.index import NodeScore

SCHEMA_VERSION = 4
TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    year INTEGER NOT NULL, rev INTEGER NOT NULL, created TEXT NOT NULL, tool TEXT NOT NULL,
    how TEXT NOT NULL, note TEXT NOT NULL, units INTEGER NOT NULL, appraised INTEGER NOT NULL,
    surveyed INTEGER NOT NULL, files INTEGER NOT NULL, PRIMARY KEY (year, rev));
CREATE TABLE IF NOT EXISTS current_runs (
    year INTEGER PRIMARY KEY, rev INTEGER NOT NULL, since TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS official_runs (
    year INTEGER PRIMARY KEY, rev INTEGER NOT NULL, since TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS run_sets (
    year INTEGER NOT NULL, rev INTEGER NOT NULL, set_id TEXT NOT NULL, set_year INTEGER NOT NULL,
    set_hash TEXT NOT NULL, yaml TEXT NOT NULL, PRIMARY KEY (year, rev, set_id, set_year));
CREATE TABLE IF NOT EXISTS units (
    year INTEGER NOT NULL, rev INTEGER NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL, grp TEXT,
    set_id TEXT NOT NULL, set_year INTEGER NOT NULL, ranked INTEGER NOT NULL, file TEXT,
    points TEXT NOT NULL, max TEXT NOT NULL, bonus TEXT NOT NULL, penalty TEXT NOT NULL,
    idx TEXT, band TEXT, rank INTEGER, PRIMARY KEY (year, rev, code));
CREATE TABLE IF NOT EXISTS leaves (
    year INTEGER NOT NULL, rev INTEGER NOT NULL, unit TEXT NOT NULL, item TEXT NOT NULL,
    max TEXT NOT NULL, excluded INTEGER NOT NULL, self TEXT, appraisal_1 TEXT, appraisal_2 TEXT,
    survey TEXT, final TEXT NOT NULL, final_by TEXT NOT NULL, trace TEXT NOT NULL,
    PRIMARY KEY (year, rev, unit, item));
CREATE TABLE IF NOT EXISTS nodes (
    year INTEGER NOT NULL, rev INTEGER NOT NULL, unit TEXT NOT NULL, item TEXT NOT NULL,
    kind TEXT NOT NULL, points TEXT NOT NULL, max TEXT NOT NULL, sub_index TEXT,
    PRIMARY KEY (year, rev, unit, item));
CREATE TABLE IF NOT EXISTS issues (
    year INTEGER NOT NULL, rev INTEGER NOT NULL, code TEXT NOT NULL, severity TEXT NOT NULL,
    message TEXT NOT NULL, file TEXT, sheet TEXT, cell TEXT, item TEXT, line INTEGER);
CREATE INDEX IF NOT EXISTS issues_run ON issues (year, rev);
CREATE TABLE IF NOT EXISTS sources (
    year INTEGER NOT NULL, rev INTEGER NOT NULL, file TEXT NOT NULL, sha256 TEXT NOT NULL,
    unit TEXT);
CREATE INDEX IF NOT EXISTS sources_run ON sources (year, rev);
CREATE TABLE IF NOT EXISTS survey (
    year INTEGER NOT NULL, set_id TEXT NOT NULL, unit TEXT NOT NULL, item TEXT NOT NULL,
    points TEXT NOT NULL, percent TEXT, source TEXT NOT NULL,
    PRIMARY KEY (year, set_id, unit, item));
CREATE TABLE IF NOT EXISTS official (
    year INTEGER NOT NULL, unit TEXT NOT NULL, item TEXT NOT NULL, points TEXT NOT NULL,
    source TEXT NOT NULL, PRIMARY KEY (year, unit, item));
"""
RUN_TABLES = ("run_sets", "units", "leaves", "nodes", "issues", "sources")
"""What a revision owns besides its `runs` row (survey and official results outlive runs)."""


def statements(script: str) -> list[str]:
    """The statements of a script, to run one by one inside a transaction.

    `executescript` would commit the caller's transaction first.
    """
    return [s.strip() for s in script.split(";") if s.strip()]


def create_tables(db: sqlite3.Connection) -> None:
    """Every table of the current schema (idempotent), and the version."""
    for statement in statements(TABLES):
        db.execute(statement)
    db.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
        (str(SCHEMA_VERSION),),
    )


def version_of(db: sqlite3.Connection) -> int | None:
    """The schema version a store records; None for a file with no tables yet."""
    has_meta = db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'")
    if has_meta.fetchone() is None:
        return None
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None or not str(row[0]).isdigit():
        return 1  # the first stores recorded nothing or a placeholder
    return int(row[0])


def migrate(db: sqlite3.Connection, found: int) -> None:
    """Bring a store of an older schema to the current one (inside the caller's transaction)."""
    if found == 3:
        create_tables(db)  # schema 4 only adds `official_runs`
        return
    old = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")} & {
        "runs",
        *RUN_TABLES,
    }
    for table in sorted(old):
        db.execute(f"ALTER TABLE {table} RENAME TO v{found}_{table}")
    create_tables(db)
    if found == 2 and old >= {"runs", *RUN_TABLES}:
        _copy_v2(db)
    for table in sorted(old):
        db.execute(f"DROP TABLE v{found}_{table}")


def _copy_v2(db: sqlite3.Connection) -> None:
    """Schema 2 held one run per year: it becomes revision 1, current."""
    db.execute(
        "INSERT INTO run_sets SELECT year, 1, set_id, set_year, set_hash, yaml FROM v2_run_sets"
    )
    db.execute(
        "INSERT INTO units SELECT year, 1, code, name, grp, set_id, set_year, ranked, file, "
        "points, max, bonus, penalty, idx, band, rank FROM v2_units ORDER BY rowid"
    )
    db.execute(
        "INSERT INTO leaves SELECT year, 1, unit, item, max, excluded, self, appraisal_1, "
        "appraisal_2, survey, final, final_by, trace FROM v2_leaves ORDER BY rowid"
    )
    db.execute(
        "INSERT INTO issues SELECT year, 1, code, severity, message, file, sheet, cell, item, "
        "line FROM v2_issues ORDER BY rowid"
    )
    db.execute("INSERT INTO sources SELECT year, 1, file, sha256, unit FROM v2_sources")
    for year, created, tool in list(db.execute("SELECT year, created, tool FROM v2_runs")):
        _nodes_v2(db, year)
        db.execute(
            "INSERT INTO runs VALUES (?, 1, ?, ?, 'migrated', '', 0, 0, 0, 0)",
            (year, created, tool),
        )
        count_run(db, year, 1)
        db.execute("INSERT INTO current_runs VALUES (?, 1, ?)", (year, created))


def _nodes_v2(db: sqlite3.Connection, year: int) -> None:
    """Schema 2 kept inner nodes without their kind, and no node of a leaf: both from the set."""
    kinds: dict[tuple[str, int], dict[str, ItemType]] = {}
    for set_id, set_year, text in db.execute(
        "SELECT set_id, set_year, yaml FROM v2_run_sets WHERE year = ?", (year,)
    ):
        loaded = load_text(text, f"{set_id}-{set_year}")
        if loaded.set is not None:
            kinds[(set_id, set_year)] = item_kinds(loaded.set)
    unit_sets = dict(
        (
            (code, (set_id, set_year))
            for code, set_id, set_year in db.execute(
                "SELECT code, set_id, set_year FROM v2_units WHERE year = ?", (year,)
            )
        )
    )
    rows = []
    for unit, item, top, excluded, final in db.execute(
        "SELECT unit, item, max, excluded, final FROM v2_leaves WHERE year = ? ORDER BY rowid",
        (year,),
    ):
        kind = kinds.get(unit_sets.get(unit, ("", 0)), {}).get(item, "score")
        points, maximum = ("0", "0") if excluded else (final, top)
        node = NodeScore(item, Decimal(points), Decimal(maximum), kind)
        index = node.index
        rows.append(
            (year, unit, item, kind, points, maximum, None if index is None else str(index))
        )
    for unit, item, points, top, sub_index in db.execute(
        "SELECT unit, item, points, max, sub_index FROM v2_nodes WHERE year = ? ORDER BY rowid",
        (year,),
    ):
        kind = kinds.get(unit_sets.get(unit, ("", 0)), {}).get(item, "score")
        rows.append((year, unit, item, kind, points, top, sub_index))
    db.executemany("INSERT INTO nodes VALUES (?, 1, ?, ?, ?, ?, ?, ?)", rows)


def item_kinds(criteria: CriteriaSet) -> dict[str, ItemType]:
    """Each item's effective type (score, bonus, penalty)."""
    return {item.code: effective_type(item, ancestors) for item, ancestors in criteria.walk()}


def count_run(db: sqlite3.Connection, year: int, rev: int) -> None:
    """Fill a revision's summary: units, units appraised, units surveyed, files read."""
    where = "year = ? AND rev = ?"
    key = (year, rev)
    db.execute(
        "UPDATE runs SET "
        f"units = (SELECT count(*) FROM units WHERE {where}), "
        f"appraised = (SELECT count(DISTINCT unit) FROM leaves WHERE {where} "
        "AND (appraisal_1 IS NOT NULL OR appraisal_2 IS NOT NULL)), "
        f"surveyed = (SELECT count(DISTINCT unit) FROM leaves WHERE {where} "
        "AND survey IS NOT NULL), "
        f"files = (SELECT count(*) FROM sources WHERE {where}) "
        f"WHERE {where}",
        key * 5,
    )
