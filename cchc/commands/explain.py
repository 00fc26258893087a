"""`cchc explain` and `cchc whatif`: why a unit has its points, and what fixing items would give."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cchc.commands.session import Session
from cchc.core.errors import CommandError
from cchc.scoring.whatif import Gain, NotScored, Outlook, explain, gains, whatif


def explain_item(session: Session, unit: str, item: str, year: int) -> dict[str, Any]:
    """The rule, inputs, sources and every layer of one item of one unit (JSON-ready)."""
    run = session.stored_run(year)
    try:
        return explain(run, unit, item)
    except NotScored as exc:
        raise CommandError(str(exc)) from exc


def _outlook(outlook: Outlook) -> dict[str, Any]:
    index = outlook.index
    return {
        "index": None if index is None else str(index),
        "band": outlook.band,
        "rank": outlook.rank,
    }


@dataclass
class WhatIf:
    """The unit now and with the items fixed; or, with no items given, the items worth most."""

    unit: str
    year: int
    fixes: list[str]
    now: Outlook | None = None
    then: Outlook | None = None
    gains: list[Gain] | None = None
    places: int = 2
    """Decimals of the unit's index (its set's precision.index)."""

    def to_json(self) -> dict[str, Any]:
        """What `cchc whatif --json` prints."""
        if self.gains is not None:
            rows = [
                {"code": g.code, "title": g.title, "points": str(g.points), "index": str(g.index)}
                for g in self.gains
            ]
            return {"unit": self.unit, "year": self.year, "gains": rows}
        assert self.now is not None and self.then is not None
        return {
            "unit": self.unit,
            "year": self.year,
            "fix": self.fixes,
            "now": _outlook(self.now),
            "then": _outlook(self.then),
        }


def what_if(session: Session, unit: str, year: int, fixes: list[str]) -> WhatIf:
    """Index, band and rank if the items reached their maximum (no items: the best gains)."""
    run = session.stored_run(year)
    score = run.unit(unit)
    places = run.criteria(score).precision.index if score is not None else 2
    try:
        if fixes:
            now, then = whatif(run, unit, fixes)
            return WhatIf(unit, year, fixes, now, then, places=places)
        return WhatIf(unit, year, fixes, gains=gains(run, unit), places=places)
    except NotScored as exc:
        raise CommandError(str(exc)) from exc
