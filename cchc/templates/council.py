"""The appraisal council's workbooks read together: one per member body and round.

Each body appraises its domains for every unit (`ROUND_1`), then the items the units answered
(`ROUND_2`). The files are read in one call and merged by unit and item code, never by position:
an item two files score differently is a conflict (neither is taken), a body of the council that
sent nothing, rows no returned file holds and rows left blank are reported, and so is a file of
another year or round. The single workbook of both rounds reads the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from cchc.core.issues import Issue, Severity
from cchc.core.numbers import fmt
from cchc.readers.table import read_tables
from cchc.scoring.layers import Appraised
from cchc.templates.appraisal import (
    EXTENSIONS,
    TITLES,
    AppraisalFile,
    Maxima,
    read_appraisal_file,
    readable,
)

Layered = dict[str, dict[str, Appraised]]
"""unit code → item code → appraisal."""


def appraisal_files(paths: Iterable[Path]) -> list[Path]:
    """The given files, and the workbooks of the given folders (sorted; Excel's '~$' lock files
    and hidden files skipped)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p
                for p in path.iterdir()
                if p.is_file()
                and p.suffix.lower() in EXTENSIONS
                and not p.name.startswith(("~$", "."))
            )
        else:
            found.append(path)
    return found


@dataclass
class CouncilRead:
    """The files read, what they give merged by unit and item, and every problem found."""

    files: list[AppraisalFile]
    values: Layered = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)

    @property
    def used(self) -> list[AppraisalFile]:
        """The files that were read and taken (not refused as unreadable, of another year or
        round)."""
        return [f for f in self.files if f.sheet is not None]


def read_council(
    paths: Iterable[Path], year: int, maxima: Maxima, round_: int | None = None
) -> CouncilRead:
    """Read every workbook, then merge them; `round_` (1 or 2) refuses files of another round."""
    found = appraisal_files(paths)
    good = [p for p in found if readable(p)]  # the others are refused by the reader, said
    tables = dict(zip(good, read_tables(good), strict=True))  # one pool for every file
    files = [read_appraisal_file(p, year, maxima, round_, tables.get(p)) for p in found]
    read = CouncilRead(files, issues=[i for f in files for i in f.issues])
    read.values = _merge(read.used, read.issues)
    return read


def _merge(files: list[AppraisalFile], issues: list[Issue]) -> Layered:
    given: dict[tuple[str, str], list[Appraised]] = {}
    for f in files:
        for unit, items in f.values.items():
            for code, appraised in items.items():
                given.setdefault((unit, code), []).append(appraised)
    merged: Layered = {}
    for (unit, code), offered in given.items():
        one = offered[0] if len(offered) == 1 else _merge_item(unit, code, offered, issues)
        if _gives(one):
            merged.setdefault(unit, {})[code] = one
    return merged


def _gives(appraised: Appraised) -> bool:
    """True when points or words are left to layer (not when conflicts took the points)."""
    points = (appraised.first, appraised.second)
    texts = (appraised.comment, appraised.response, appraised.second_comment, appraised.added)
    return any(p is not None for p in points) or any(texts)


def _merge_item(unit: str, code: str, offered: list[Appraised], issues: list[Issue]) -> Appraised:
    """One item several files give: points agreed on are kept, points that differ are dropped."""
    points: dict[str, Decimal | None] = {}
    cells: dict[str, str] = {}
    for name in ("first", "second"):
        scored = [a for a in offered if getattr(a, name) is not None]
        values = {getattr(a, name) for a in scored}
        places = "; ".join(a.cells.get(name, a.where) for a in scored)
        if len(scored) > 1:
            agreed = len(values) == 1
            message = (
                f"đơn vị {unit}, mục {code}: {TITLES[name]} được chấm ở {len(scored)} bảng "
                + (
                    f"cùng {fmt(next(iter(values)))} điểm ({places}); giữ một lần"
                    if agreed
                    else f"khác nhau ({places}); không lấy điểm nào, cần thống nhất"
                )
            )
            issues.append(
                Issue(
                    code="appraisal_twice" if agreed else "appraisal_conflict",
                    severity=Severity.WARNING if agreed else Severity.ERROR,
                    message=message,
                    item=code,
                )
            )
            if not agreed:
                scored = []
        points[name] = getattr(scored[0], name) if scored else None
        if scored and name in scored[0].cells:
            cells[name] = scored[0].cells[name]
    texts = {
        name: "; ".join(dict.fromkeys(t for a in offered if (t := getattr(a, name))))
        for name in ("comment", "response", "second_comment", "added")
    }
    bodies = ", ".join(dict.fromkeys(a.body for a in offered if a.body))
    return replace(
        offered[0],
        first=points["first"],
        second=points["second"],
        cells=cells,
        body=bodies,
        where="; ".join(dict.fromkeys(a.where for a in offered)),
        **texts,
    )


def council_gaps(
    read: CouncilRead, expected: Mapping[tuple[str, str], str], round_: int
) -> list[Issue]:
    """What the council still owes for the round: bodies that sent nothing, items no returned
    file holds, rows left blank. `expected` maps each (unit, item) due to its domain code."""
    council: dict[str, tuple[str, ...]] = {}
    for f in read.used:
        if f.sheet is not None and f.sheet.council is not None:
            council = f.sheet.council.bodies
            break
    returned = {f.sheet.body for f in read.used if f.sheet is not None}
    issues: list[Issue] = []
    owed: set[str] = set()
    for body, domains in council.items():
        if body not in returned:
            owed.update(domains)
            issues.append(
                Issue(
                    code="appraisal_not_returned",
                    severity=Severity.WARNING,
                    message=f"{body} chưa gửi bảng thẩm định lần {round_} "
                    f"(lĩnh vực {', '.join(domains)})",
                )
            )
    held = set().union(*(f.rows for f in read.used)) if read.used else set()
    missing: dict[str, list[str]] = {}
    for (unit, code), domain in expected.items():
        if (unit, code) not in held and domain not in owed:
            missing.setdefault(unit, []).append(code)
    for unit, codes in missing.items():
        issues.append(
            Issue(
                code="appraisal_not_returned",
                severity=Severity.WARNING,
                message=f"đơn vị {unit}: {len(codes)} mục không có trong bảng thẩm định lần "
                f"{round_} nào đã nhận ({', '.join(codes[:8])}{' …' if len(codes) > 8 else ''})",
            )
        )
    for f in read.used:
        if f.unscored:
            issues.append(
                Issue(
                    code="appraisal_unscored",
                    severity=Severity.WARNING,
                    message=f"{len(f.unscored)} dòng chưa có điểm thẩm định lần {round_} "
                    "(ô đầu tiên)",
                    file=str(f.path),
                    sheet=f.unscored[0].split("!")[0],
                    cell=f.unscored[0].split("!")[1],
                )
            )
    return issues


@dataclass(frozen=True)
class Returned:
    """One workbook received: whose, which round, which domains, how far filled."""

    file: str
    body: str
    round: int | None
    domains: tuple[str, ...]
    rows: int
    scored: int

    def to_json(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "file": self.file,
            "body": self.body,
            "round": self.round,
            "domains": list(self.domains),
            "rows": self.rows,
            "scored": self.scored,
        }


def returned(read: CouncilRead, domain_of: Mapping[str, str]) -> list[Returned]:
    """Each usable file received, with the domains its rows cover in sheet order (`domain_of`:
    item → domain)."""
    found = []
    for f in read.used:
        assert f.sheet is not None
        codes = dict.fromkeys(domain_of.get(code, code) for _, code in f.rows)
        found.append(
            Returned(
                f.path.name,
                f.sheet.body,
                f.sheet.round,
                tuple(codes),
                len(f.rows),
                f.scored(),
            )
        )
    return found
