"""`cchc appraise`: the appraisal workbook of a scored year."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cchc.commands.session import Session
from cchc.templates.appraisal import Sheet, write_appraisal
from cchc.templates.appraisal_rows import appraisal_rows, points_format


@dataclass
class AppraisalBook:
    """The workbook written, for how many units, with how many rows."""

    workbook: Path
    units: int
    rows: int

    def to_json(self) -> dict[str, Any]:
        """A JSON summary."""
        return {"workbook": str(self.workbook), "units": self.units, "rows": self.rows}


def appraise(session: Session, year: int, out: Path) -> AppraisalBook:
    """Write the appraisal workbook (round 1, comments, answers, round 2) for the stored year."""
    run = session.stored_run(year)
    rows = appraisal_rows(run)
    book = write_appraisal(rows, Sheet(year, number_format=points_format(run)), out)
    return AppraisalBook(book, len(run.units), len(rows))
