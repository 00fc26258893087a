"""`cchc evidence`: the documents every unit cites, checked (files, dates, web addresses)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from cchc.commands.checked import Checked
from cchc.commands.session import Session
from cchc.evidence.check import EvidenceOptions, check_folder_evidence
from cchc.evidence.files import evidence_root
from cchc.evidence.report import EvidenceReport
from cchc.reports.evidence_xlsx import book_name, write_evidence


def check_evidence_folder(
    session: Session,
    folder: Path,
    year: int,
    deadline: date | None = None,
    online: bool = False,
    evidence_dir: Path | None = None,
    out: Path | None = None,
    workers: int | None = None,
) -> Checked[EvidenceReport]:
    """Read the folder's workbooks, check what they cite; write the evidence workbook."""
    default_set = (session.default_set, year) if session.default_set else None
    options = EvidenceOptions(year, evidence_dir or evidence_root(folder), deadline, online)
    report = check_folder_evidence(
        folder, session.units, session.find, options, default_set, workers
    )
    return Checked(report, write_evidence(report, out or Path(book_name(year))))
