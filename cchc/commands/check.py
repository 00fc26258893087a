"""`cchc check`: read every returned workbook, check it and the evidence it cites."""

from __future__ import annotations

from pathlib import Path

from cchc.commands.checked import Checked
from cchc.commands.session import Session
from cchc.core.progress import Progress
from cchc.evidence.check import EvidenceOptions, LeafEvidence, check_evidence
from cchc.evidence.files import evidence_root
from cchc.reports.issues_xlsx import write_issues
from cchc.scoring.submission import CheckReport
from cchc.templates.collect import check_folder


def check(
    session: Session,
    folder: Path,
    year: int | None,
    out: Path,
    workers: int | None = None,
    progress: Progress | None = None,
) -> Checked[CheckReport]:
    """Check the folder's workbooks and their evidence; write kiem-tra-<năm>.xlsx into `out`."""
    evidence = EvidenceOptions(year, evidence_root(folder))
    then = LeafEvidence(session.find, evidence, findings_only=True)  # where the rows are
    units, find = session.units, session.find
    report = check_folder(
        folder, year, units, find, workers=workers, then=then, progress=progress, keep=True
    )
    report.issues += check_evidence(report, session.find, evidence).all_issues()
    target = write_issues(report.all_issues(), out / f"kiem-tra-{year or 'tat-ca'}.xlsx", folder)
    return Checked(report, target)
