"""`cchc results import`: the official results a superior body published, into the store."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cchc.commands.lookup import Lookup
from cchc.commands.session import Session, check_year
from cchc.core.errors import CommandError
from cchc.core.issues import Issue
from cchc.inputs.official import read_official
from cchc.store import db as store


@dataclass
class ResultsImport:
    """How many official points were kept, for how many units, and the problems found."""

    year: int
    points: int
    units: int
    issues: list[Issue]

    def to_json(self) -> dict[str, Any]:
        """A JSON summary of the import."""
        return {
            "year": self.year,
            "points": self.points,
            "units": self.units,
            "issues": [i.model_dump(mode="json") for i in self.issues],
        }


def import_results(session: Session, file: Path, year: int) -> ResultsImport:
    """Read the official results table and keep it for the year."""
    workspace = session.require_workspace()
    check_year(year, session.units, session.find, session.default_set)
    lookup = Lookup(session.units, session.find, session.default_set, year)
    values, issues = read_official(file, lookup.leaf_max)
    try:
        with store.writing(workspace.db_path) as db:
            count = store.save_official(db, year, values, file.name)
    except store.StoreError as exc:
        raise CommandError(str(exc), issues) from exc
    return ResultsImport(year, count, len(values), issues)
