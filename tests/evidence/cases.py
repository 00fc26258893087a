"""Submissions built by hand: what the reader would give for a few evidence cells."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from cchc.criteria.model import CriteriaSet
from cchc.evidence.check import EvidenceOptions, check_evidence
from cchc.evidence.report import EvidenceReport
from cchc.scoring.rules import Entry, Outcome, Status
from cchc.scoring.submission import CheckReport, LeafResult, Submission


def leaf(
    code: str,
    evidence: str = "",
    explanation: str = "",
    points: str = "1",
    status: Status = Status.SCORED,
    row: int = 10,
) -> LeafResult:
    """A leaf as read from row `row`, with its evidence and explanation cells."""
    return LeafResult(code, row, Entry(), Outcome(Decimal(points), status), evidence, explanation)


def submission(unit: str | None, *leaves: LeafResult) -> Submission:
    """A workbook of the mini set, for the unit."""
    meta = {"set_id": "mini", "set_year": "2024"}
    if unit is not None:
        meta |= {"unit_code": unit, "unit_name": f"Đơn vị {unit}"}
    return Submission(f"nop/{unit}.xlsx", meta=meta, leaves={x.code: x for x in leaves})


def check(criteria: CriteriaSet, root: Path, *subs: Submission, **options: Any) -> EvidenceReport:
    """Check the submissions' evidence for 2024, evidence folders under `root`."""
    report = CheckReport(2024, submissions=list(subs))
    return check_evidence(
        report, lambda ref, year: criteria, EvidenceOptions(2024, root, **options)
    )


def codes(report: EvidenceReport) -> list[str]:
    """The findings' codes, in order."""
    return [i.code for i in report.all_issues()]
