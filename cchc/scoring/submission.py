"""What a unit submitted: each self-assessed leaf, its workbook, a folder of workbooks."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cchc.core.issues import Issue, Severity, has_errors
from cchc.scoring.rules import Entry, Outcome
from cchc.units.model import Unit

EMPTY_ENTRY = Entry()


@dataclass
class LeafResult:
    """One self-assessed leaf: what was entered, where, and the points it earns."""

    code: str
    row: int
    entry: Entry
    outcome: Outcome
    evidence: str
    explanation: str

    def __reduce__(self) -> tuple[type[LeafResult], tuple[object, ...]]:
        # Positional fields pickle in half the time of the default (workers send thousands).
        fields = (self.code, self.row, self.entry, self.outcome, self.evidence, self.explanation)
        return LeafResult, fields


@dataclass
class Submission:
    """What one workbook holds, and every problem found in it."""

    file: str
    meta: dict[str, str] = field(default_factory=dict)
    leaves: dict[str, LeafResult] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    sheet: str = ""
    """The sheet its leaves were read from."""
    evidence: list[Any] | None = None
    """The evidence rows of its leaves, where the reader checked them
    (`cchc.evidence.check.LeafEvidence`); None: not checked yet."""
    counts: tuple[int, int] | None = None
    """(leaves read, leaves filled) of a submission whose leaves were dropped (`summarize`)."""
    sha256: str | None = None
    """SHA-256 of the bytes read (None: the file could not be read)."""

    @property
    def unit_code(self) -> str | None:
        """The unit the workbook says it belongs to."""
        return self.meta.get("unit_code")

    @property
    def filled(self) -> int:
        """How many leaves the unit filled in (0: a blank template)."""
        if self.counts is not None:
            return self.counts[1]
        return sum(1 for leaf in self.leaves.values() if leaf.entry != EMPTY_ENTRY)

    @property
    def blank(self) -> bool:
        """The template came back with its items read and none filled in ('nộp sổ trống')."""
        read = self.counts[0] if self.counts is not None else len(self.leaves)
        return read > 0 and self.filled == 0

    def summarize(self) -> None:
        """Drop the leaves, keeping how many were read and filled: all a check needs of them
        once their evidence is checked (a reading process then hands back a tenth)."""
        self.counts = (len(self.leaves), self.filled)
        self.leaves = {}

    def add(
        self, code: str, message: str, severity: Severity = Severity.ERROR, **where: Any
    ) -> None:
        """Record a problem located in this workbook."""
        self.issues.append(
            Issue(code=code, severity=severity, message=message, file=self.file, **where)
        )


@dataclass
class CheckReport:
    """The outcome of checking a folder."""

    year: int | None
    submissions: list[Submission] = field(default_factory=list)
    missing: list[Unit] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no error was found anywhere."""
        return not has_errors(self.all_issues())

    def all_issues(self) -> list[Issue]:
        """Folder-level issues, then each workbook's."""
        return self.issues + [i for s in self.submissions for i in s.issues]

    def skip(
        self, path: Path, code: str, message: str, severity: Severity = Severity.ERROR
    ) -> None:
        """Record a file of the folder that is not read, and why."""
        self.issues.append(Issue(code=code, severity=severity, file=str(path), message=message))

    def _codes(self, blank: bool) -> set[str]:
        """Units that sent a workbook with something filled in, or (blank) only blank ones."""
        sent: dict[str, bool] = {}
        for s in self.submissions:
            if s.unit_code:
                sent[s.unit_code] = sent.get(s.unit_code, False) or not s.blank
        return {code for code, filled in sent.items() if filled != blank}

    def to_json(self) -> dict[str, Any]:
        """JSON-ready summary (what `cchc check --json` prints): units that submitted, sent a
        blank workbook ('nộp sổ trống') or are missing."""
        return {
            "year": self.year,
            "ok": self.ok,
            "submitted": sorted(self._codes(blank=False)),
            "blank": sorted(self._codes(blank=True)),
            "missing": [u.code for u in self.missing],
            "files": len(self.submissions),
            "errors": sum(i.severity is Severity.ERROR for i in self.all_issues()),
            "warnings": sum(i.severity is Severity.WARNING for i in self.all_issues()),
            "issues": [i.model_dump(mode="json") for i in self.all_issues()],
        }
