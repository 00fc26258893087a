"""`cchc history`, `cchc restore`, `cchc recompute`: the stored runs of a year, as revisions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cchc.commands.session import Session
from cchc.core.errors import CommandError
from cchc.scoring.rescore import rescored
from cchc.scoring.run import UnitScore
from cchc.store import db as store
from cchc.store import runs
from cchc.store.runs import HOW_LABELS, Revision


def describe(revision: Revision) -> str:
    """A revision in one Vietnamese line: when, how, and what it holds."""
    return (
        f"lần chấm {revision.rev} ({HOW_LABELS.get(revision.how, revision.how)}, "
        f"{when(revision.created)}): {revision.units} đơn vị, {revision.files} sổ, "
        f"thẩm định {revision.appraised} đơn vị, điều tra {revision.surveyed} đơn vị"
    )


def when(stamp: str) -> str:
    """An ISO time stamp as Vietnamese readers write it ('16:08 ngày 03/12/2026 UTC')."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%H:%M ngày %d/%m/%Y UTC")


@dataclass
class History:
    """The revisions of a year, oldest first."""

    year: int
    revisions: list[Revision]

    def to_json(self) -> dict[str, Any]:
        """What `cchc history --json` prints."""
        return {"year": self.year, "revisions": [r.to_json() for r in self.revisions]}


def history(session: Session, year: int) -> History:
    """Every stored run of the year; a clear error if the year was never scored."""
    workspace = session.require_workspace()
    try:
        found = store.history(workspace.db_path, year)
    except store.StoreError as exc:
        raise CommandError(str(exc)) from exc
    if not found:
        raise CommandError(not_scored(year))
    return History(year, found)


def not_scored(year: int) -> str:
    """The message for a year with no stored run."""
    return f"chưa có kết quả chấm năm {year}; chạy 'cchc score THƯ_MỤC --year {year}' trước"


@dataclass
class Restored:
    """The revision made current, and the one it replaced as current."""

    year: int
    now: Revision
    before: Revision | None

    def to_json(self) -> dict[str, Any]:
        """What `cchc restore --json` prints."""
        return {
            "year": self.year,
            "current": self.now.to_json(),
            "replaced": self.before.to_json() if self.before else None,
        }


def restore(session: Session, year: int, rev: int) -> Restored:
    """Make a stored run of the year its current run again (nothing is deleted)."""
    workspace = session.require_workspace()
    try:
        with store.writing(workspace.db_path) as db:
            before = runs.revision(db, year)
            if before is None:
                raise CommandError(not_scored(year))
            now = store.restore(db, year, rev)
    except store.StoreError as exc:
        raise CommandError(str(exc)) from exc
    return Restored(year, now, before)


@dataclass
class Change:
    """A unit whose index, band or rank differs once recomputed."""

    unit: str
    before: tuple[str | None, str | None, int | None]
    after: tuple[str | None, str | None, int | None]


@dataclass
class Recomputed:
    """The new revision made from the stored points, and what changed."""

    year: int
    revision: Revision
    source: int
    changes: list[Change] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """What `cchc recompute --json` prints."""
        return {
            "year": self.year,
            "revision": self.revision.to_json(),
            "from": self.source,
            "changes": [
                {"unit": c.unit, "before": list(c.before), "after": list(c.after)}
                for c in self.changes
            ],
        }


def _outlook(score: UnitScore) -> tuple[str | None, str | None, int | None]:
    t = score.totals
    return (None if t.index is None else str(t.index), t.band, t.rank)


def recompute(session: Session, year: int) -> Recomputed:
    """A new revision of the year: its current run's points re-totalled by today's code.

    The stored criteria sets are kept (the points were given against them); the old revision
    stays and can be restored.
    """
    workspace = session.require_workspace()
    try:
        with store.writing(workspace.db_path) as db:
            current = runs.revision(db, year)
            old = runs.load_run_in(db, year) if current else None
            if current is None or old is None:
                raise CommandError(not_scored(year))
            new = rescored(old)
            rev = store.save_run(db, new, how="recompute", note=f"từ lần chấm {current.rev}")
            made = runs.revision(db, year, rev)
    except store.StoreError as exc:
        raise CommandError(str(exc)) from exc
    assert made is not None
    before = {u.unit.code: _outlook(u) for u in old.units}
    changes = [
        Change(u.unit.code, before[u.unit.code], _outlook(u))
        for u in new.units
        if before.get(u.unit.code) != _outlook(u)
    ]
    return Recomputed(year, made, current.rev, changes)
