"""`cchc results import`: the official results a superior body published, as a year of its own."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cchc.commands.session import Session, check_year
from cchc.core.errors import CommandError
from cchc.core.issues import Issue, has_errors
from cchc.core.numbers import pct
from cchc.inputs.official import read_official
from cchc.scoring.official import build_official
from cchc.scoring.run import YearRun
from cchc.store import db as store


@dataclass
class ResultsImport:
    """The official result kept for the year (its revision), and the problems found."""

    year: int
    run: YearRun
    points: int
    rev: int | None
    """The revision it was stored as; None when errors kept it out of the store."""
    replaced: int | None
    """The official result it replaced (still kept as a revision)."""
    issues: list[Issue]

    @property
    def stored(self) -> bool:
        """Whether the result was stored."""
        return self.rev is not None

    def to_json(self) -> dict[str, Any]:
        """A JSON summary of the import."""
        return {
            "year": self.year,
            "points": self.points,
            "units": len(self.run.units),
            "rev": self.rev,
            "replaced": self.replaced,
            "stored": self.stored,
            "results": [
                {
                    "unit": u.unit.code,
                    "name": u.unit.name,
                    "group": u.unit.group,
                    "points": str(u.totals.total),
                    "max": str(u.totals.max),
                    "index": None if u.totals.index is None else str(u.totals.index),
                    "band": u.totals.band,
                    "rank": u.totals.rank,
                }
                for u in self.run.ranking()
            ],
            "issues": [i.model_dump(mode="json") for i in self.issues],
        }

    def lines(self) -> list[str]:
        """The ranking as the terminal shows it."""
        return [
            f"{u.totals.rank or '—':>5}  {u.unit.code:<8} {u.unit.name[:36]:<36} "
            f"{pct(u.totals.index):>7}  {u.totals.band or '—'}"
            for u in self.run.ranking()
        ]


def import_results(session: Session, file: Path, year: int, replace: bool = False) -> ResultsImport:
    """Read the published table; keep it as the year's official result unless it has errors.

    A year that has an official result already keeps it unless `replace` (the old one stays a
    revision of the year).
    """
    workspace = session.require_workspace()
    check_year(year, session.units, session.find, session.default_set)
    rows, issues = read_official(file)
    if not rows:
        return ResultsImport(year, YearRun(year, {}, result="official"), 0, None, None, issues)
    build = build_official(year, rows, session.units, session.find, session.default_set, file)
    issues += build.issues
    if has_errors(issues) or not build.run.units:
        return ResultsImport(year, build.run, build.points, None, None, issues)
    try:
        with store.writing(workspace.db_path) as db:
            replaced = store.official_rev(db, year)
            rev = store.save_official_run(db, build.run, replace)
            store.save_official(db, year, build.values, file.name)
    except store.StoreError as exc:
        raise CommandError(str(exc), issues) from exc
    return ResultsImport(year, build.run, build.points, rev, replaced, issues)
