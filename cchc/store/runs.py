"""Scoring runs in the store, as revisions of their year, read back as they were computed.

Every run of a year is kept; one of them is the year's current run. Reading a run back uses the
stored points, node totals, sub-indices, index, band and rank, never today's scoring code: what
a year showed when it was scored is what it shows later.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from cchc import __version__
from cchc.core.issues import Issue, Severity
from cchc.criteria.dump import dump_yaml
from cchc.criteria.loader import load_text
from cchc.criteria.model import CriteriaSet, ItemType
from cchc.scoring.index import LAYERS, LeafScore, NodeScore, Totals
from cchc.scoring.run import UnitScore, YearRun
from cchc.store.health import StoreError
from cchc.store.schema import count_run
from cchc.templates.layout import set_hash
from cchc.units.model import Unit

HOW_LABELS = {
    "score": "chấm từ sổ",
    "recompute": "tính lại từ điểm đã lưu",
    "migrated": "chuyển từ kho cũ",
    "appraisal_1": "thẩm định lần 1 của hội đồng",
    "appraisal_2": "thẩm định lần 2 của hội đồng",
    "answers": "giải trình bổ sung của đơn vị",
    "official": "kết quả chính thức do cấp trên công bố",
}
OFFICIAL = "official"
"""`runs.how` of an official result: a revision of its own, never the year's current run."""


@dataclass(frozen=True)
class Revision:
    """One stored run of a year: when and how it was made, and what it holds."""

    year: int
    rev: int
    created: str
    tool: str
    how: str
    note: str
    units: int
    appraised: int
    """Units with appraisal points."""
    surveyed: int
    """Units with survey points."""
    files: int
    """Workbooks read."""
    current: bool

    def to_json(self) -> dict[str, Any]:
        """The revision as JSON."""
        return {
            "year": self.year,
            "rev": self.rev,
            "created": self.created,
            "tool": self.tool,
            "how": self.how,
            "note": self.note,
            "units": self.units,
            "appraised": self.appraised,
            "surveyed": self.surveyed,
            "files": self.files,
            "current": self.current,
        }


@dataclass(frozen=True, eq=False, slots=True)
class StoredNode(NodeScore):
    """A node as stored: its sub-index is the one computed when the run was scored."""

    stored_index: Decimal | None = None

    @property
    def index(self) -> Decimal | None:
        """The stored sub-index."""
        return self.stored_index

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NodeScore):
            return NotImplemented
        mine = (self.code, self.points, self.max, self.kind, self.index)
        return mine == (other.code, other.points, other.max, other.kind, other.index)

    def __hash__(self) -> int:
        return hash((self.code, self.points, self.max, self.kind))


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def current_rev(db: sqlite3.Connection, year: int) -> int | None:
    """The year's current revision, None if the year was never scored."""
    row = db.execute("SELECT rev FROM current_runs WHERE year = ?", (year,)).fetchone()
    return None if row is None else int(row[0])


def official_rev(db: sqlite3.Connection, year: int) -> int | None:
    """The revision holding the year's official result, None if none was imported."""
    row = db.execute("SELECT rev FROM official_runs WHERE year = ?", (year,)).fetchone()
    return None if row is None else int(row[0])


def official_years(db: sqlite3.Connection) -> list[int]:
    """The years with an official result, oldest first."""
    return [row[0] for row in db.execute("SELECT year FROM official_runs ORDER BY year")]


def save_official_run(db: sqlite3.Connection, run: YearRun, replace: bool = False) -> int:
    """Keep an official result as a revision of its own and make it the year's official result.

    A year that has one already is refused unless `replace`; the one replaced stays a revision.
    """
    held = official_rev(db, run.year)
    if held is not None and not replace:
        raise StoreError(
            f"năm {run.year} đã có kết quả chính thức (lần {held}); nhập lại với --replace để "
            "thay (kết quả cũ vẫn giữ trong 'cchc history')"
        )
    rev = save_run(db, run, OFFICIAL, run.source, current=False)
    since = datetime.now(UTC).isoformat(timespec="seconds")
    db.execute("INSERT OR REPLACE INTO official_runs VALUES (?, ?, ?)", (run.year, rev, since))
    return rev


def save_run(
    db: sqlite3.Connection,
    run: YearRun,
    how: str = "score",
    note: str = "",
    current: bool = True,
) -> int:
    """Keep the run as the year's next revision and make it current (unless not `current`);
    its number."""
    year = run.year
    row = db.execute("SELECT max(rev) FROM runs WHERE year = ?", (year,)).fetchone()
    rev = (row[0] or 0) + 1
    db.execute(
        "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, 0)",
        (year, rev, run.created, f"cchc {__version__}", how, note),
    )
    key = (year, rev)
    db.executemany(
        "INSERT INTO run_sets VALUES (?, ?, ?, ?, ?, ?)",
        [(*key, s.id, s.year, set_hash(s), dump_yaml(s)) for s in run.sets.values()],
    )
    db.executemany(
        "INSERT INTO units VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", _unit_rows(run, rev)
    )
    db.executemany("INSERT INTO leaves VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", _leaf_rows(run, rev))
    db.executemany(
        "INSERT INTO nodes VALUES (?,?,?,?,?,?,?,?)",
        (
            (*key, u.unit.code, n.code, n.kind, str(n.points), str(n.max), _text(n.index))
            for u in run.units
            for n in u.totals.nodes.values()
        ),
    )
    db.executemany(
        "INSERT INTO issues VALUES (?,?,?,?,?,?,?,?,?,?)",
        [
            (*key, i.code, i.severity.value, i.message, i.file, i.sheet, i.cell, i.item, i.line)
            for i in run.issues
        ],
    )
    db.executemany("INSERT INTO sources VALUES (?,?,?,?,?)", [(*key, *s) for s in run.sources])
    count_run(db, year, rev)
    if current:
        _make_current(db, year, rev)
    return rev


def _make_current(db: sqlite3.Connection, year: int, rev: int) -> None:
    since = datetime.now(UTC).isoformat(timespec="seconds")
    db.execute("INSERT OR REPLACE INTO current_runs VALUES (?, ?, ?)", (year, rev, since))


def _unit_rows(run: YearRun, rev: int) -> Iterator[tuple[object, ...]]:
    for u in run.units:
        t = u.totals
        yield (
            run.year,
            rev,
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


_TRACE = json.JSONEncoder(ensure_ascii=False).encode
"""json.dumps(trace, ensure_ascii=False), without making an encoder for each of 200,000 leaves."""


def _leaf_rows(run: YearRun, rev: int) -> Iterator[tuple[object, ...]]:
    for u in run.units:
        for leaf in u.leaves.values():
            yield (
                run.year,
                rev,
                u.unit.code,
                leaf.code,
                str(leaf.max),
                int(leaf.excluded),
                *(_text(leaf.layers.get(layer)) for layer in LAYERS),
                str(leaf.final),
                leaf.by,
                _TRACE(leaf.trace),
            )


def revisions(db: sqlite3.Connection, year: int) -> list[Revision]:
    """Every revision of the year, oldest first."""
    current = current_rev(db, year)
    return [
        Revision(
            y, rev, created, tool, how, note, units, appraised, surveyed, files, rev == current
        )
        for y, rev, created, tool, how, note, units, appraised, surveyed, files in db.execute(
            "SELECT year, rev, created, tool, how, note, units, appraised, surveyed, files "
            "FROM runs WHERE year = ? ORDER BY rev",
            (year,),
        )
    ]


def revision(db: sqlite3.Connection, year: int, rev: int | None = None) -> Revision | None:
    """A revision of the year (default: the current one), None if there is none."""
    wanted = current_rev(db, year) if rev is None else rev
    return next((r for r in revisions(db, year) if r.rev == wanted), None)


def restore(db: sqlite3.Connection, year: int, rev: int) -> Revision:
    """Make a stored revision the year's current run again (the others are kept)."""
    found = revision(db, year, rev)
    if found is None:
        known = ", ".join(str(r.rev) for r in revisions(db, year)) or "không có"
        raise StoreError(f"năm {year} không có lần chấm {rev} (các lần chấm: {known})")
    if found.how == OFFICIAL:
        raise StoreError(
            f"lần {rev} của năm {year} là kết quả chính thức, không thay kết quả cchc chấm; các "
            "lệnh dùng nó với --result official"
        )
    _make_current(db, year, rev)
    return revision(db, year, rev) or found


def load_run_in(
    db: sqlite3.Connection,
    year: int,
    rev: int | None = None,
    traces: bool = True,
    scores: bool = True,
) -> YearRun | None:
    """A revision of the year (default: the current one) as stored; None if there is none.

    Without `scores`, its units come without their leaves and nodes (a partial run: see
    `load_scores_in`).
    """
    wanted = current_rev(db, year) if rev is None else rev
    row = db.execute(
        "SELECT created, how, note FROM runs WHERE year = ? AND rev = ?", (year, wanted)
    ).fetchone()
    if wanted is None or row is None:
        return None
    key = (year, wanted)
    run = YearRun(year, _load_sets(db, key), created=row[0], rev=wanted, partial=not scores)
    if row[1] == OFFICIAL:
        run.result, run.source = "official", row[2]
    leaves, nodes = load_scores_in(db, key, None, traces) if scores else ({}, {})
    for code, name, grp, set_id, set_year, ranked, file, *figures, band, rank in db.execute(
        "SELECT code, name, grp, set_id, set_year, ranked, file, points, max, bonus, penalty, "
        "idx, band, rank FROM units WHERE year = ? AND rev = ? ORDER BY rowid",
        key,
    ):
        unit = Unit(code=code, name=name, group=grp, set=set_id, ranked=bool(ranked))
        points, top, bonus, penalty, index = (
            Decimal(f) if f is not None else None for f in figures
        )
        assert points is not None and top is not None and bonus is not None and penalty is not None
        result = Totals(points, top, bonus, penalty, index, nodes.get(code, {}), band, rank)
        run.units.append(UnitScore(unit, set_id, set_year, file, leaves.get(code, {}), result))
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
            "WHERE year = ? AND rev = ? ORDER BY rowid",
            key,
        )
    ]
    run.sources = list(
        db.execute("SELECT file, sha256, unit FROM sources WHERE year = ? AND rev = ?", key)
    )
    return run


def _load_sets(db: sqlite3.Connection, key: tuple[int, int]) -> dict[tuple[str, int], CriteriaSet]:
    sets: dict[tuple[str, int], CriteriaSet] = {}
    for set_id, set_year, text in db.execute(
        "SELECT set_id, set_year, yaml FROM run_sets WHERE year = ? AND rev = ?", key
    ):
        loaded = load_text(text, f"{set_id}-{set_year} (kho dữ liệu)")
        if loaded.set is None:
            raise StoreError(f"bộ tiêu chí {set_id} năm {set_year} trong kho dữ liệu bị hỏng")
        sets[(set_id, set_year)] = loaded.set
    return sets


_Scores = tuple[dict[str, dict[str, LeafScore]], dict[str, dict[str, NodeScore]]]
"""Each unit's leaves and nodes, by code."""


def load_scores_in(
    db: sqlite3.Connection, key: tuple[int, int], units: list[str] | None, traces: bool
) -> _Scores:
    """The leaves and nodes of a revision (year, rev): of every unit, or of `units` only."""
    return _load_leaves(db, key, units, traces), _load_nodes(db, key, units)


def _of_units(units: list[str] | None) -> tuple[str, tuple[object, ...]]:
    """The SQL condition and parameter that keep only `units` (none: every unit)."""
    if units is None:
        return "", ()
    return f" AND unit IN ({', '.join('?' * len(units))})", tuple(units)


def _load_leaves(
    db: sqlite3.Connection, key: tuple[int, int], units: list[str] | None, traces: bool
) -> dict[str, dict[str, LeafScore]]:
    leaves: dict[str, dict[str, LeafScore]] = {}
    trace_column = "trace" if traces else "NULL"
    number, text = _Shared.decimal(), _Shared.text()
    only, more = _of_units(units)
    for unit, item, top, excluded, *points, trace in db.execute(
        "SELECT unit, item, max, excluded, self, appraisal_1, appraisal_2, survey, "
        f"{trace_column} FROM leaves WHERE year = ? AND rev = ?{only} ORDER BY rowid",
        (*key, *more),
    ):
        layers = {layer: number(p) for layer, p in zip(LAYERS, points, strict=True) if p}
        told = {text(k): text(v) for k, v in json.loads(trace).items()} if trace else {}
        leaf = LeafScore(text(item), number(top), layers, bool(excluded), told)
        leaves.setdefault(unit, {})[leaf.code] = leaf
    return leaves


def _load_nodes(
    db: sqlite3.Connection, key: tuple[int, int], units: list[str] | None
) -> dict[str, dict[str, NodeScore]]:
    nodes: dict[str, dict[str, NodeScore]] = {}
    number, text = _Shared.decimal(), _Shared.text()
    only, more = _of_units(units)
    for unit, item, kind, points, top, sub_index in db.execute(
        "SELECT unit, item, kind, points, max, sub_index FROM nodes "
        f"WHERE year = ? AND rev = ?{only} ORDER BY rowid",
        (*key, *more),
    ):
        index = number(sub_index) if sub_index is not None else None
        typed: ItemType = text(kind)  # type: ignore[assignment]
        node = StoredNode(text(item), number(points), number(top), typed, stored_index=index)
        nodes.setdefault(unit, {})[node.code] = node
    return nodes


class _Shared:
    """One object per distinct stored value: a national run repeats the same few points, codes
    and words hundreds of thousands of times (Decimals and strings are immutable, so sharing
    them is safe); a run of 3,321 units takes about half the memory."""

    @staticmethod
    def decimal() -> Callable[[str], Decimal]:
        seen: dict[str, Decimal] = {}

        def number(stored: str) -> Decimal:
            found = seen.get(stored)
            if found is None:
                found = seen[stored] = Decimal(stored)
            return found

        return number

    @staticmethod
    def text() -> Callable[[str], str]:
        seen: dict[str, str] = {}
        return lambda stored: seen.setdefault(stored, stored)
