"""`cchc council …`: the appraisal council's two rounds, one workbook per body and per unit.

1. `books` writes one workbook per appraising body (round 1: its domains for every unit; round 2:
   only the items the units answered), from an assignment of domains or items to bodies (the
   owners-format file, else the set's `owner`, else one default body).
2. `status` says which body has returned which domains.
3. `read` layers a round read from the bodies' files onto the stored year, as a new revision.
4. `feedback` writes one workbook per unit with its round-1 result and a column for its answer;
   `answers` reads the answers back into the store (a new revision), for round 2.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cchc.commands.history import describe
from cchc.commands.session import Session
from cchc.core.errors import CommandError
from cchc.core.fileio import atomic_path
from cchc.core.issues import Issue, has_errors
from cchc.core.names import safe_name
from cchc.core.numbers import number_format
from cchc.criteria.model import CriteriaSet, Item
from cchc.evidence.check import EvidenceOptions, check_folder_evidence
from cchc.evidence.files import evidence_root
from cchc.evidence.report import EvidenceRow
from cchc.inputs.owners import NO_OWNERS, Owners, read_owners
from cchc.reports.results_xlsx import write_results_to
from cchc.scoring.index import LeafScore
from cchc.scoring.layers import answered, apply_answer, apply_appraisal
from cchc.scoring.rescore import rescored
from cchc.scoring.run import UnitScore, YearRun
from cchc.store import db as store
from cchc.store import runs
from cchc.store.runs import Revision
from cchc.templates.appraisal import AppraisalRow, Council, Sheet, write_appraisal
from cchc.templates.appraisal_rows import (
    appraisal_rows,
    domain_of,
    feedback_rows,
    points_format,
)
from cchc.templates.council import (
    CouncilRead,
    Returned,
    appraisal_files,
    council_gaps,
    read_council,
    returned,
)
from cchc.templates.feedback import Addressee, Answers, read_feedback, write_feedback

DEFAULT_BODY = "Cơ quan thường trực (Nội vụ)"
"""Who appraises an item no assignment names."""


@dataclass
class Book:
    """One workbook written: for whom, how many rows."""

    who: str
    path: Path
    rows: int

    def to_json(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"for": self.who, "path": str(self.path), "rows": self.rows}


@dataclass
class Books:
    """The workbooks of one round (or the units' feedback), and the problems found on the way."""

    year: int
    round: int
    books: list[Book]
    issues: list[Issue] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """What `cchc council books|feedback --json` prints."""
        return {
            "year": self.year,
            "round": self.round,
            "books": [b.to_json() for b in self.books],
            "issues": [i.model_dump(mode="json") for i in self.issues],
        }


def assignment(
    run: YearRun, bodies: Path | None, default: str = DEFAULT_BODY
) -> tuple[dict[tuple[str, str], str], list[Issue]]:
    """(unit, item) → the body that appraises it, and the problems of the assignment file."""
    owners: dict[tuple[str, int], Owners] = {}
    issues: list[Issue] = []
    if bodies is not None:
        for key, criteria in run.sets.items():
            owners[key] = read_owners(bodies, criteria)
            issues += owners[key].issues

    def body(criteria: CriteriaSet, item: Item, ancestors: tuple[Item, ...]) -> str:
        found = owners.get((criteria.id, criteria.year), NO_OWNERS).resolve(item, ancestors)[0]
        return found or default

    by_set = {
        key: {item.code: body(criteria, item, ancestors) for item, ancestors in criteria.walk()}
        for key, criteria in run.sets.items()
    }
    assigned = {
        (score.unit.code, code): by_set[(score.set_id, score.set_year)].get(code, default)
        for score in run.units
        for code in score.leaves
    }
    return assigned, issues


def council_books(
    session: Session,
    year: int,
    out: Path,
    round_: int = 1,
    bodies: Path | None = None,
    evidence: Path | None = None,
) -> Books:
    """One appraisal workbook per body for the round, written into `out`.

    Round 1 holds every appraisable item of every unit, with the unit's figures, self-score,
    evidence references and (given the folder of submitted workbooks) what `cchc evidence`
    found about them. Round 2 holds only the items the units answered, for the body that
    appraised them in round 1.
    """
    if round_ not in (1, 2):
        raise CommandError(f"lần thẩm định {round_} không có; chỉ có lần 1 và lần 2")
    run = session.stored_run(year)
    assigned, issues = assignment(run, bodies)
    if has_errors(issues):
        raise CommandError("tệp phân công cơ quan thẩm định có lỗi; chưa ghi bảng nào", issues)
    findings = _findings(session, evidence, year) if evidence is not None else {}
    rows = appraisal_rows(run, findings)
    if round_ == 2:
        keep = {
            (s.unit.code, code)
            for s in run.units
            for code, leaf in s.leaves.items()
            if answered(leaf)
        }
        rows = [r for r in rows if (r.unit_code, r.code) in keep]
        if not rows:
            raise CommandError(
                f"chưa có đơn vị nào giải trình sau thẩm định lần 1 năm {year}; nhập giải trình "
                "bằng 'cchc council answers' trước"
            )
    by_body = _by_body(run, rows, assigned)
    domains = domain_of(run)
    council = Council(
        {
            body: tuple(dict.fromkeys(domains.get((r.unit_code, r.code), r.code) for r in mine))
            for body, mine in by_body.items()
        }
    )
    out.mkdir(parents=True, exist_ok=True)
    books = []
    for body, mine in by_body.items():
        target = out / safe_name(f"tham-dinh-lan-{round_}-{year} - {body}", ".xlsx")
        write_appraisal(mine, Sheet(year, round_, body, council, points_format(run)), target)
        books.append(Book(body, target, len(mine)))
    return Books(year, round_, books, issues)


def _by_body(
    run: YearRun, rows: list[AppraisalRow], assigned: Mapping[tuple[str, str], str]
) -> dict[str, list[AppraisalRow]]:
    """Rows grouped by body (round 2: the body of round 1), units together, in the given order."""
    trace = {
        (s.unit.code, code): leaf.trace.get("appraised_by", "")
        for s in run.units
        for code, leaf in s.leaves.items()
    }
    grouped: dict[str, list[AppraisalRow]] = {}
    for row in rows:
        key = (row.unit_code, row.code)
        body = trace.get(key) or assigned.get(key, DEFAULT_BODY)
        grouped.setdefault(body, []).append(row)
    return dict(sorted(grouped.items()))


def _findings(session: Session, folder: Path, year: int) -> dict[tuple[str, str], str]:
    """(unit, item) → what the evidence check found about what the unit cited."""
    default_set = (session.default_set, year) if session.default_set else None
    options = EvidenceOptions(year, evidence_root(folder))
    report = check_folder_evidence(folder, session.units, session.find, options, default_set)
    found: dict[tuple[str, str], list[EvidenceRow]] = {}
    for row in report.rows:
        if row.unit is None or row.ref is None:
            continue
        found.setdefault((row.unit, row.item), []).append(row)
    return {key: _finding(rows) for key, rows in found.items()}


def _finding(rows: list[EvidenceRow]) -> str:
    """What was found about the references of one item, in a few words."""
    notes = [f"{row.ref.raw if row.ref else ''}: {i.message}" for row in rows for i in row.issues]
    if notes:
        return "\n".join(notes)
    return f"Đã kiểm tra {len(rows)} tài liệu: không phát hiện vấn đề"


@dataclass
class Status:
    """Which body has returned which domains for the round; what is still owed."""

    year: int
    round: int
    files: list[Returned]
    issues: list[Issue]

    def to_json(self) -> dict[str, Any]:
        """What `cchc council status --json` prints."""
        return {
            "year": self.year,
            "round": self.round,
            "files": [f.to_json() for f in self.files],
            "issues": [i.model_dump(mode="json") for i in self.issues],
        }


def _read_round(run: YearRun, paths: list[Path], round_: int) -> CouncilRead:
    """The round's files read against the stored run (its units, items, maxima and steps)."""
    found = appraisal_files(paths)
    if not found:
        raise CommandError(f"không có bảng thẩm định nào trong {', '.join(map(str, paths))}")
    limits = {(r.unit_code, r.code): (r.max, r.step) for r in appraisal_rows(run)}
    read = read_council(found, run.year, lambda u, c: limits.get((u, c)), round_)
    read.issues += council_gaps(read, _due(run, round_), round_)
    return read


def _due(run: YearRun, round_: int) -> dict[tuple[str, str], str]:
    """(unit, item) the round must appraise → its domain."""
    domains = domain_of(run)
    rows = appraisal_rows(run)
    keys = [(r.unit_code, r.code) for r in rows]
    if round_ == 2:
        leaves = {(s.unit.code, c): leaf for s in run.units for c, leaf in s.leaves.items()}
        keys = [k for k in keys if answered(leaves[k])]
    return {key: domains.get(key, key[1]) for key in keys}


def council_status(session: Session, year: int, paths: list[Path], round_: int = 1) -> Status:
    """Read the bodies' files (nothing is stored) and say who returned what."""
    run = session.stored_run(year, traces=True)
    read = _read_round(run, paths, round_)
    domains = {code: domain for (_, code), domain in domain_of(run).items()}
    return Status(year, round_, returned(read, domains), read.issues)


@dataclass
class Layered:
    """The new revision made by layering a round or the units' answers onto the stored year."""

    year: int
    revision: Revision
    source: int
    files: int
    items: int
    issues: list[Issue]
    results: Path | None = None
    """The results workbook written, if any."""

    def to_json(self) -> dict[str, Any]:
        """What `cchc council read|answers --json` prints."""
        return {
            "year": self.year,
            "results": None if self.results is None else str(self.results),
            "revision": self.revision.to_json(),
            "from": self.source,
            "files": self.files,
            "items": self.items,
            "issues": [i.model_dump(mode="json") for i in self.issues],
        }

    def describe(self) -> str:
        """One Vietnamese line: the revision made."""
        return describe(self.revision)


def council_read(
    session: Session, year: int, paths: list[Path], round_: int, out: Path | None = None
) -> Layered:
    """Layer the round read from the bodies' files onto the year's current run (a new revision,
    the old one kept) and, given `out`, write the results workbook there. Conflicts are not
    taken; a round that gives nothing is refused."""
    workspace = session.require_workspace()
    run = session.stored_run(year)
    read = _read_round(run, paths, round_)
    if not read.values:
        raise CommandError(
            f"các bảng thẩm định lần {round_} không có điểm nào dùng được; kho không đổi",
            read.issues,
        )

    def layer(score: UnitScore, leaves: dict[str, LeafScore]) -> None:
        for code, appraised in read.values.get(score.unit.code, {}).items():
            if code in leaves:
                apply_appraisal(leaves[code], appraised)

    kept = [i for i in run.issues if not i.code.startswith("appraisal_")]
    new = rescored(run, layer, [*kept, *read.issues])
    note = f"thẩm định lần {round_}: {len(read.used)} bảng"
    made = _save(workspace.db_path, new, f"appraisal_{round_}", note, out)
    count = sum(len(items) for items in read.values.values())
    results = None if out is None else out / f"ket-qua-{year}.xlsx"
    return Layered(year, made[0], made[1], len(read.used), count, read.issues, results)


def _save(
    db_path: Path, run: YearRun, how: str, note: str, out: Path | None
) -> tuple[Revision, int]:
    """Keep `run` as the year's new current revision and, given `out`, write its results
    workbook there (both or neither); (the revision, the one it was made from)."""
    try:
        with ExitStack() as stack:
            book = None
            if out is not None:
                book = stack.enter_context(atomic_path(out / f"ket-qua-{run.year}.xlsx"))
            db = stack.enter_context(store.writing(db_path))
            current = runs.revision(db, run.year)
            assert current is not None
            if book is not None:
                write_results_to(run, book, store.indices_in(db, run.year - 1))
            rev = store.save_run(db, run, how=how, note=f"{note}; từ lần chấm {current.rev}")
            made = runs.revision(db, run.year, rev)
    except store.StoreError as exc:
        raise CommandError(str(exc)) from exc
    assert made is not None
    return made, current.rev


def council_feedback(session: Session, year: int, out: Path) -> Books:
    """One workbook per unit appraised in round 1: its result and a column for its answer."""
    run = session.stored_run(year)
    out.mkdir(parents=True, exist_ok=True)
    books = []
    for score, rows in feedback_rows(run):
        places = number_format(run.criteria(score).precision.points)
        unit = Addressee(score.unit.code, score.unit.name, year, places)
        name = safe_name(f"ket-qua-tham-dinh-lan-1-{year} - {unit.code} - {unit.name}", ".xlsx")
        books.append(Book(unit.code, write_feedback(unit, rows, out / name), len(rows)))
    if not books:
        raise CommandError(
            f"năm {year} chưa có điểm thẩm định lần 1; đọc bảng thẩm định bằng "
            "'cchc council read' trước"
        )
    return Books(year, 1, books)


def council_answers(session: Session, year: int, paths: Iterable[Path]) -> Layered:
    """Read the units' answers to round 1 into the store (a new revision; points unchanged)."""
    workspace = session.require_workspace()
    run = session.stored_run(year)
    appraised = {
        (s.unit.code, code)
        for s in run.units
        for code, leaf in s.leaves.items()
        if "appraisal_1" in leaf.layers
    }
    files = appraisal_files(paths)
    answers: Answers = read_feedback(files, year, lambda u, c: (u, c) in appraised)
    if not answers.count():
        raise CommandError("không có giải trình nào dùng được; kho không đổi", answers.issues)

    def layer(score: UnitScore, leaves: dict[str, LeafScore]) -> None:
        for code, answer in answers.by_unit.get(score.unit.code, {}).items():
            apply_answer(leaves[code], answer.response, answer.added, answer.where)

    new = rescored(run, layer, [*run.issues, *answers.issues])
    note = f"giải trình của {len(answers.by_unit)} đơn vị"
    made = _save(workspace.db_path, new, "answers", note, None)
    return Layered(year, made[0], made[1], answers.files, answers.count(), answers.issues)
