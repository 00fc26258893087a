"""Check the evidence units cite in their workbooks; every finding is an Issue at the cell.

Works on what `check_folder` read (no workbook is read twice). Findings (E error, W warning):

- evidence_missing (E): points claimed, no evidence and no giải trình; not for items whose
  evidence is optional, nor for penalties (points there are deductions, not claims).
- evidence_bad_number (E): number missing or malformed ('số /KH-UBND', '52/19/QĐ-UBND').
- evidence_bad_date (E): a date that does not exist or is half typed (31/02/2024, 'ngày ...').
- evidence_outside_year (W): dated outside the assessment year.
- evidence_after_deadline (W): dated after the submission deadline.
- evidence_doc_type (W): a document type the item does not accept (`evidence.doc_types`).
- evidence_bad_url (E): a web address that is not one.
- evidence_url_unreachable (W), online only: the address does not answer.
- evidence_url_limit (W), online only: more addresses than `max_requests`; the rest unchecked.
- evidence_path_outside (E): a path leaving the unit's evidence folder; never opened.
- evidence_file_missing (E): no such file in the unit's evidence folder.
- evidence_folder_unknown (W): the unit is unknown, or its folder is a link leaving the root;
  its files are not looked for.
- evidence_shared_file (W): the same content (SHA-256) cited by several units.

Plans (KH, CTr) are issued before the year they plan for ("trước ngày 31/12 của năm trước"), so
their dates count from 1 October of the previous year. A year printed only inside the number
(52/2019/QĐ-UBND) is not checked: legal documents stay in force for years. Where the evidence
folders are: `cchc.evidence.files`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cchc.core.issues import Issue, Severity
from cchc.core.numbers import fmt
from cchc.criteria.model import CriteriaSet, effective_type
from cchc.criteria.registry import SetNotFound
from cchc.evidence.doctypes import canonical, label
from cchc.evidence.files import PathOutside, locate, shared, unit_folder
from cchc.evidence.parse import Reference, parse_cell
from cchc.evidence.report import EvidenceReport, EvidenceRow
from cchc.evidence.urls import unreachable
from cchc.scoring.rules import Status
from cchc.scoring.submission import CheckReport, LeafResult, Submission
from cchc.templates.collect import SetFinder, check_folder
from cchc.templates.layout import LETTER
from cchc.units.model import Unit

PLANNED_AHEAD = ("KH", "CTr")
ERROR, WARNING = Severity.ERROR, Severity.WARNING
_Cited = dict[Path, list[EvidenceRow]]
"""The files found, and the rows that cite each."""


@dataclass(frozen=True)
class EvidenceOptions:
    """What to check against: the year, the evidence folders, the deadline, the web."""

    year: int | None
    root: Path
    """The folder holding one evidence folder per unit code (see `cchc.evidence.files`)."""
    deadline: date | None = None
    online: bool = False
    timeout: float = 10.0
    """Seconds to wait for each read from a web server."""
    url_seconds: float = 20.0
    """Seconds for one web address in all (a server answering a byte at a time is cut off)."""
    run_seconds: float = 300.0
    """Seconds for every web address of the run together; the rest are reported as not tried."""
    max_requests: int = 200
    """Web addresses checked at most (distinct ones, in alphabetical order)."""
    workers: int = 8
    """Web addresses checked at once."""


@dataclass(frozen=True)
class _Need:
    """What an item asks of its evidence."""

    required: bool = True
    doc_types: tuple[str, ...] = ()


def _needs(criteria: CriteriaSet) -> dict[str, _Need]:
    needs: dict[str, _Need] = {}
    for item, ancestors in criteria.walk():
        evidence = item.evidence
        claim = effective_type(item, ancestors) != "penalty"
        types = tuple(canonical(t) or t for t in evidence.doc_types) if evidence else ()
        needs[item.code] = _Need(claim and (evidence is None or evidence.required), types)
    return needs


_NeedsCache = dict[int, tuple[CriteriaSet, dict[str, _Need]]]


def _needs_of(
    sub: Submission, find: SetFinder, default_set: tuple[str, int] | None, cache: _NeedsCache
) -> dict[str, _Need]:
    """Per item code, what the set the workbook was read against asks (computed once per set)."""
    criteria = _criteria(sub, find, default_set) if sub.leaves else None
    if criteria is None:
        return {}
    cached = cache.get(id(criteria))
    if cached is None or cached[0] is not criteria:
        cached = cache[id(criteria)] = (criteria, _needs(criteria))
    return cached[1]


def _criteria(
    sub: Submission, find: SetFinder, default_set: tuple[str, int] | None
) -> CriteriaSet | None:
    """The set the workbook was read against (as `check_workbook` finds it)."""
    set_id = sub.meta.get("set_id") or (default_set[0] if default_set else None)
    set_year = sub.meta.get("set_year") or (str(default_set[1]) if default_set else None)
    if not set_id:
        return None
    try:
        return find(set_id, int(set_year) if set_year and set_year.isdigit() else None)
    except SetNotFound:
        return None


def _window(year: int, doc_type: str | None) -> tuple[date, date]:
    start = date(year - 1, 10, 1) if doc_type in PLANNED_AHEAD else date(year, 1, 1)
    return start, date(year, 12, 31)


def _day(when: date) -> str:
    return when.strftime("%d/%m/%Y")


Finding = tuple[str, str, Severity]
"""A finding about one reference: code, message, severity."""
_Findings = dict[tuple[str, _Need], list[tuple[Reference, tuple[Finding, ...]]]]
"""Per evidence cell text and what the item asks: its references, each with its findings."""


def _date_finding(ref: Reference, when: date, options: EvidenceOptions) -> Finding | None:
    dated = f"văn bản '{ref.raw}' đề ngày"
    if options.year is not None:
        start, end = _window(options.year, ref.doc_type)
        if not start <= when <= end:
            since = f" (kế hoạch tính từ {_day(start)})" if ref.doc_type in PLANNED_AHEAD else ""
            message = f"{dated} {_day(when)}, ngoài năm đánh giá {options.year}{since}"
            return "evidence_outside_year", message, WARNING
    if options.deadline is not None and when > options.deadline:
        message = f"{dated} {_day(when)}, sau hạn nộp {_day(options.deadline)}"
        return "evidence_after_deadline", message, WARNING
    return None


def _findings(ref: Reference, need: _Need, options: EvidenceOptions) -> tuple[Finding, ...]:
    """What is wrong with one reference, whoever cites it (files are looked for apart)."""
    found: list[Finding | None] = []
    if ref.kind == "citation":
        if ref.bad_number:
            found.append(
                ("evidence_bad_number", f"số văn bản bị thiếu hoặc gõ sai: '{ref.raw}'", ERROR)
            )
        if ref.bad_date:
            message = f"ngày ban hành không có thật hoặc gõ chưa đủ: '{ref.raw}'"
            found.append(("evidence_bad_date", message, ERROR))
        if ref.date is not None:
            found.append(_date_finding(ref, ref.date, options))
        if need.doc_types and ref.doc_type is not None and ref.doc_type not in need.doc_types:
            wanted = " hoặc ".join(label(t) for t in need.doc_types)
            message = f"mục này cần {wanted}; tài liệu dẫn là {label(ref.doc_type)}: '{ref.raw}'"
            found.append(("evidence_doc_type", message, WARNING))
    elif ref.bad_url:
        found.append(("evidence_bad_url", f"địa chỉ web không hợp lệ: '{ref.raw}'", ERROR))
    return tuple(f for f in found if f is not None)


def _leaf_rows(
    sub: Submission, leaf: LeafResult, need: _Need, options: EvidenceOptions, known: _Findings
) -> list[EvidenceRow]:
    cell = f"{LETTER['evidence']}{leaf.row}"  # the template's column: the reader keeps rows only
    where = (sub.unit_code, sub.meta.get("unit_name", ""), sub.file, leaf.code, cell)
    cited = known.get((leaf.evidence, need))
    if cited is None:
        refs = parse_cell(leaf.evidence)
        cited = known[leaf.evidence, need] = [(r, _findings(r, need, options)) for r in refs]
    if not cited:
        row = EvidenceRow(*where, None)
        claimed = leaf.outcome.status is Status.SCORED and leaf.outcome.points > 0
        if claimed and need.required and not leaf.explanation:
            points = fmt(leaf.outcome.points)
            message = f"tự chấm {points} điểm nhưng không có tài liệu kiểm chứng, "
            row.add("evidence_missing", message + "cũng không có giải trình")
            return [row]
        return []
    rows = []
    for ref, findings in cited:
        row = EvidenceRow(*where, ref)
        for finding in findings:
            row.add(*finding)
        rows.append(row)
    return rows


def _check_file(row: EvidenceRow, target: str, folder: Path | None, cited: _Cited) -> None:
    if folder is None:
        message = f"không xác định được thư mục tài liệu của đơn vị; chưa kiểm tra tệp '{target}'"
        row.add("evidence_folder_unknown", message, WARNING)
        return
    try:
        path = locate(folder, target)
    except PathOutside:
        message = f"đường dẫn '{target}' ra ngoài thư mục tài liệu của đơn vị; không đọc tệp này"
        row.add("evidence_path_outside", message)
        return
    if path is None:
        row.add("evidence_file_missing", f"không có tệp '{target}' trong thư mục {folder}")
        return
    cited.setdefault(path, []).append(row)


def _check_shared(cited: _Cited) -> None:
    owners = {path: {row.unit for row in rows if row.unit} for path, rows in cited.items()}
    for group in shared(owners):
        units = {unit for path in group for unit in owners[path]}
        for path in group:
            for row in cited[path]:
                others = ", ".join(sorted(units - {row.unit or ""}))
                message = f"tệp '{path.name}' giống hệt tệp đơn vị {others} nộp"
                row.add("evidence_shared_file", message, WARNING)


def _check_online(addresses: dict[str, list[EvidenceRow]], options: EvidenceOptions) -> list[Issue]:
    every = sorted(addresses)
    checked = every[: options.max_requests]
    issues = []
    if len(checked) < len(every):
        message = f"chỉ kiểm tra {len(checked)} trong {len(every)} địa chỉ web "
        message += "(giới hạn số lần truy cập)"
        issues.append(Issue(code="evidence_url_limit", severity=WARNING, message=message))
    for url, why in unreachable(
        checked, options.timeout, options.workers, options.url_seconds, options.run_seconds
    ).items():
        for row in addresses[url]:
            row.add("evidence_url_unreachable", f"không mở được '{url}': {why}", WARNING)
    return issues


@dataclass(frozen=True)
class LeafEvidence:
    """The evidence rows of one workbook's leaves, made where it was read (`check_folder`'s
    `then`): the parsing runs in the readers, in parallel; what is shared runs after."""

    find: SetFinder
    options: EvidenceOptions
    default_set: tuple[str, int] | None = None
    findings_only: bool = False
    """Hand back only the rows with a finding or something still to look for (a file, a web
    address), and no leaves (only how many were read and filled): all `cchc check` needs
    (`cchc evidence` lists every reference)."""

    def __call__(self, sub: Submission) -> None:
        """Attach the rows to the submission."""
        needs, known = _CACHES.setdefault(self.options, ({}, {}))
        rows = _rows_of(sub, self.find, self.options, self.default_set, needs, known)
        if self.findings_only:
            rows = [r for r in rows if r.issues or (r.ref is not None and r.ref.target)]
            sub.summarize()
        sub.evidence = rows


_CACHES: dict[EvidenceOptions, tuple[_NeedsCache, _Findings]] = {}
"""A reading process's caches, per options (a finding depends on the year and deadline):
sets' needs, and references already parsed."""


def _rows_of(
    sub: Submission,
    find: SetFinder,
    options: EvidenceOptions,
    default_set: tuple[str, int] | None,
    needs: _NeedsCache,
    known: _Findings,
) -> list[EvidenceRow]:
    by_code = _needs_of(sub, find, default_set, needs)
    return [
        row
        for leaf in sub.leaves.values()
        for row in _leaf_rows(sub, leaf, by_code.get(leaf.code, _Need()), options, known)
    ]


def check_evidence(
    report: CheckReport,
    find: SetFinder,
    options: EvidenceOptions,
    default_set: tuple[str, int] | None = None,
) -> EvidenceReport:
    """Check every reference cited in the workbooks a folder check read."""
    result = EvidenceReport(options.year, workbooks=len(report.submissions))
    needs: _NeedsCache = {}
    known: _Findings = {}
    cited: _Cited = {}
    addresses: dict[str, list[EvidenceRow]] = {}
    folders = functools.cache(functools.partial(unit_folder, options.root))
    for sub in report.submissions:
        rows = sub.evidence
        if rows is None:  # read without LeafEvidence
            rows = _rows_of(sub, find, options, default_set, needs, known)
        for row in rows:
            result.rows.append(row)
            ref = row.ref
            if ref is None or ref.target is None:
                continue
            if ref.kind == "file":
                _check_file(row, ref.target, folders(row.unit), cited)
            elif not ref.bad_url:
                addresses.setdefault(ref.target, []).append(row)
    _check_shared(cited)
    if options.online:
        result.issues += _check_online(addresses, options)
    return result


def check_folder_evidence(
    folder: Path,
    units: list[Unit],
    find: SetFinder,
    options: EvidenceOptions,
    default_set: tuple[str, int] | None = None,
    workers: int | None = None,
) -> EvidenceReport:
    """Read every workbook below the folder, then check the evidence they cite."""
    then = LeafEvidence(find, options, default_set)
    report = check_folder(folder, options.year, units, find, default_set, workers, then, keep=True)
    return check_evidence(report, find, options, default_set)
