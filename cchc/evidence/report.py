"""What the evidence check found: one row per reference a unit cited, with its findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cchc.core.issues import Issue, Severity, has_errors
from cchc.evidence.parse import KIND_LABELS, Kind, Reference
from cchc.templates.layout import SELF_SHEET


@dataclass
class EvidenceRow:
    """One reference cited for one item by one unit (ref None: the item cites nothing)."""

    unit: str | None
    unit_name: str
    file: str
    item: str
    cell: str
    ref: Reference | None
    issues: list[Issue] = field(default_factory=list)

    def add(self, code: str, message: str, severity: Severity = Severity.ERROR) -> None:
        """Record a finding located at the row's evidence cell."""
        self.issues.append(
            Issue(
                code=code,
                severity=severity,
                message=message,
                file=self.file,
                sheet=SELF_SHEET,
                cell=self.cell,
                item=self.item,
            )
        )

    def to_json(self) -> dict[str, Any]:
        """JSON-ready row; findings by code (the issues themselves are listed once, apart)."""
        return {
            "unit": self.unit,
            "unit_name": self.unit_name,
            "file": self.file,
            "item": self.item,
            "cell": self.cell,
            "reference": self.ref.to_json() if self.ref else None,
            "findings": [i.code for i in self.issues],
        }


@dataclass
class EvidenceReport:
    """The outcome of checking the evidence of a folder of workbooks."""

    year: int | None
    workbooks: int = 0
    rows: list[EvidenceRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    """Findings about the check itself, not one reference (e.g. addresses left unchecked)."""

    @property
    def ok(self) -> bool:
        """True when no error was found."""
        return not has_errors(self.all_issues())

    def all_issues(self) -> list[Issue]:
        """Every finding, row by row, then the check's own."""
        return [i for row in self.rows for i in row.issues] + self.issues

    def counts(self) -> dict[Kind, int]:
        """References found, by kind."""
        found = [row.ref.kind for row in self.rows if row.ref is not None]
        return {kind: found.count(kind) for kind in KIND_LABELS}

    def to_json(self) -> dict[str, Any]:
        """JSON-ready summary (what `cchc evidence --json` prints)."""
        issues = self.all_issues()
        return {
            "year": self.year,
            "ok": self.ok,
            "workbooks": self.workbooks,
            "references": self.counts(),
            "errors": sum(i.severity is Severity.ERROR for i in issues),
            "warnings": sum(i.severity is Severity.WARNING for i in issues),
            "rows": [row.to_json() for row in self.rows],
            "issues": [i.model_dump(mode="json") for i in issues],
        }
