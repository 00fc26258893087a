"""Check a folder of returned workbooks: who submitted, who is missing, every problem."""

from __future__ import annotations

import contextlib
import os
import pickle
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from cchc.core.collector import paused
from cchc.core.errors import os_error_message
from cchc.core.issues import Issue, Severity
from cchc.core.parallel import fork_map
from cchc.core.progress import Progress, counted
from cchc.criteria.model import CriteriaSet
from cchc.criteria.registry import SetNotFound
from cchc.readers.number_formats import percent_cells
from cchc.scoring.submission import CheckReport, Submission
from cchc.templates.kept import kept, set_ref
from cchc.templates.layout import EVIDENCE_DIR, SELF_SHEET, set_hash
from cchc.templates.reader import EXTENSIONS, open_rows, read_leaves
from cchc.units.model import Unit

SetFinder = Callable[[str, int | None], CriteriaSet]
"""Where fork is missing (Windows) the finder goes to spawned readers, so it must pickle."""


@dataclass(frozen=True)
class OneSet:
    """A finder that gives the one set whatever a workbook names (a finder that pickles)."""

    criteria: CriteriaSet

    def __call__(self, ref: str, year: int | None) -> CriteriaSet:
        """The set."""
        return self.criteria


MAX_DEPTH = 20
"""Folders nested deeper below the submissions folder are not entered (and said so)."""


def _below(folder: Path, report: CheckReport) -> list[Path]:
    """Every entry below the folder, sorted, without entering linked folders, hidden folders
    or the evidence (tai-lieu/); iterative, so any nesting is safe."""
    found: list[Path] = []
    stack = [(folder, 0)]
    while stack:
        current, depth = stack.pop()
        if depth > MAX_DEPTH:
            message = f"thư mục lồng quá {MAX_DEPTH} cấp, không đọc bên trong"
            report.skip(_shown(current), "folder_too_deep", message, Severity.WARNING)
            continue
        try:
            entries = list(os.scandir(current))
        except OSError as exc:
            report.skip(_shown(current), "folder_unreadable", os_error_message(exc))
            continue
        for entry in entries:
            path = Path(entry.path)
            if entry.name.startswith((".", "~$")) or (depth == 0 and entry.name == EVIDENCE_DIR):
                continue  # hidden, a lock file, or the units' evidence, not workbooks
            found.append(path)
            if entry.is_dir(follow_symlinks=False):
                stack.append((path, depth + 1))
    return sorted(found)


def _shown(path: Path) -> Path:
    """The path as it can be shown and stored: a name that is not UTF-8 (a zip made on an old
    Windows) gets replacement characters."""
    return Path(os.fsencode(path).decode("utf-8", "replace"))


def _valid_name(path: Path) -> bool:
    try:
        os.fsencode(path).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def workbook_files(folder: Path, report: CheckReport) -> list[Path]:
    """Every file below the folder but hidden ones, lock files and the evidence.

    Linked folders are never entered; a link that leaves the folder, points nowhere or loops
    is reported and never read; so is a file whose name is not valid UTF-8.
    """
    root = folder.resolve()
    files = []
    for path in _below(folder, report):
        if not _valid_name(path):
            message = (
                "tên tệp không đúng bảng mã UTF-8 (tệp nén tạo trên máy cũ?): đổi tên tệp "
                "rồi kiểm tra lại"
            )
            report.skip(_shown(path), "file_name_invalid", message)
            continue
        problem = _link_problem(path, root) if path.is_symlink() else None
        if problem is not None:
            report.skip(path, *problem)
            continue
        if not path.is_file():
            continue
        if path.suffix.lower() not in EXTENSIONS:
            message = "tệp không phải sổ tính Excel/ODS, đã bỏ qua"
            report.skip(path, "not_a_workbook", message, Severity.WARNING)
            continue
        files.append(path)
    return files


def _link_problem(path: Path, root: Path) -> tuple[str, str] | None:
    """(code, message) for a link that must not be followed, None for one inside the folder."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):  # a loop (RuntimeError before Python 3.13) or a dead link
        return "link_broken", "liên kết hỏng hoặc tạo vòng lặp, không đọc"
    if not target.is_relative_to(root):
        return "link_outside", "liên kết trỏ ra ngoài thư mục nộp bài, không đọc"
    return None


def _identify(sub: Submission, path: Path, units: dict[str, Unit]) -> None:
    if sub.unit_code:
        return
    prefix = path.stem.split(" - ")[0].strip()
    if prefix in units:
        sub.meta["unit_code"] = prefix
        sub.add(
            "meta_missing",
            f"thiếu trang _meta; nhận diện đơn vị {prefix} theo tên tệp",
            Severity.WARNING,
        )
    else:
        sub.add(
            "unit_unknown",
            "không xác định được đơn vị (thiếu trang _meta, tên tệp không bắt đầu bằng mã đơn vị)",
        )


def check_workbook(
    path: Path,
    year: int | None,
    units: dict[str, Unit],
    find: SetFinder,
    default_set: tuple[str, int] | None,
) -> Submission:
    """Read one workbook and check it against its set, year and unit."""
    sub = Submission(str(path))
    opened = open_rows(path, sub)
    if opened is None:
        return sub
    rows, meta = opened
    sub.meta = meta
    _identify(sub, path, units)
    unit = units.get(sub.unit_code or "")
    if units and sub.unit_code and unit is None:
        sub.add("unit_unknown", f"mã đơn vị '{sub.unit_code}' không có trong danh sách đơn vị")
    if year is not None and meta.get("year") and meta["year"] != str(year):
        sub.add("wrong_year", f"sổ tính của năm {meta['year']}, không phải năm {year}")
    set_id, set_year = set_ref(meta, default_set)
    if not set_id:
        sub.add("set_unknown", "không xác định được bộ tiêu chí của sổ tính")
        return sub
    try:
        criteria = find(set_id, set_year)
    except SetNotFound:
        named = meta.get("set_year") or (default_set[1] if default_set else None)
        sub.add("set_unknown", f"không có bộ tiêu chí '{set_id}' năm {named}")
        return sub
    if meta.get("set_hash") and meta["set_hash"] != _hash_of(criteria):
        sub.add(
            "set_changed",
            "sổ tính được lập theo một phiên bản khác của bộ tiêu chí; hãy dùng mẫu mới",
        )
        return sub
    # The registry decides the group; without one, the group the template was made for.
    group = unit.group if unit is not None else meta.get("unit_group") or None
    if group is not None and criteria.groups and group not in criteria.groups:
        known = ", ".join(criteria.groups)
        sub.add(
            "unit_unknown_group",
            f"nhóm đơn vị '{group}' không có trong bộ tiêu chí {criteria.id} (các nhóm: {known})",
        )
        return sub
    read_leaves(rows, criteria, group, sub, lambda cells: percent_cells(path, SELF_SHEET, cells))
    return sub


def _saved(sub: Submission) -> float:
    try:
        return Path(sub.file).stat().st_mtime
    except OSError:
        return 0.0


def _one_of(code: str, found: list[Submission]) -> Submission:
    """The workbook that counts for a unit with several: a filled one over a blank one, then the
    one saved last; the others get `unit_duplicate` naming it, and it names them."""
    if len(found) == 1:
        return found[0]
    chosen = max(found, key=lambda s: (s.filled > 0, _saved(s), s.file))
    blank_others = all(s.filled == 0 for s in found if s is not chosen)
    why = "các tệp kia còn trống" if blank_others else "tệp được lưu sau cùng"
    others = ", ".join(Path(s.file).name for s in found if s is not chosen)
    chosen.add(
        "unit_duplicate_chosen",
        f"đơn vị {code} nộp nhiều tệp; dùng tệp này ({why}), bỏ qua: {others}",
        Severity.WARNING,
    )
    for sub in found:
        if sub is not chosen:
            blank = " (tệp trống)" if sub.filled == 0 else ""
            sub.add(
                "unit_duplicate",
                f"đơn vị {code} đã nộp tệp khác được dùng thay tệp này{blank}: "
                f"{Path(chosen.file).name}",
            )
    return chosen


_HASHES: dict[int, tuple[CriteriaSet, str]] = {}


def _hash_of(criteria: CriteriaSet) -> str:
    """set_hash, computed once per set object (thousands of workbooks share a few sets)."""
    cached = _HASHES.get(id(criteria))
    if cached is None or cached[0] is not criteria:
        cached = _HASHES[id(criteria)] = (criteria, set_hash(criteria))
    return cached[1]


PARALLEL_FROM = 200
"""Folders with fewer workbooks are read by one worker process: starting more costs more."""
READ_SECONDS = 60
"""Longest a workbook may take to read and check: a real one takes a few milliseconds, one filled
to every limit of cchc.readers.guard.WORKBOOK (5,000 rows × 100 columns, 2.9 MB) 3 seconds."""


def check_folder(
    folder: Path,
    year: int | None,
    units: list[Unit],
    find: SetFinder,
    default_set: tuple[str, int] | None = None,
    workers: int | None = None,
    then: Callable[[Submission], None] | None = None,
    progress: Progress | None = None,
    keep: bool = False,
) -> CheckReport:
    """Check every workbook below the folder; one bad file never stops the others.

    Large folders are read by `workers` processes (default: one per processor), small ones by
    one: a file that aborts its reader loses only itself (`cchc.core.parallel`). `then` (which
    must pickle) runs on each workbook read, in the process that read it, where its rows are.
    `progress` hears how many workbooks were read. With `keep`, a workbook read before (by
    check or score, unchanged, against the same set, registry and cchc) is not read again but
    taken from the user's cache (`cchc.templates.kept`), and this run's readings are kept.
    """
    report = CheckReport(year)
    with paused():
        files = workbook_files(folder, report)
        registry = {u.code: u for u in units}
        readings = kept(folder, year, registry, find, default_set) if keep else None
        job = _Job(year, registry, find, default_set, then, readings is not None)
        taken: list[tuple[Submission, bytes | None]] = []
        todo = []
        for path in files:
            sub = readings.take(path) if readings is not None else None
            if sub is None:
                todo.append(path)
            else:
                job.after(sub)  # here: its rows are here
                taken.append((sub, None))
        read = fork_map(
            job.check, todo, workers, PARALLEL_FROM, crashed=job.crashed, seconds=READ_SECONDS
        )
        found: dict[str, Submission] = {}
        for sub, blob in counted(chain(taken, read), len(files), progress):
            found[sub.file] = sub
            if readings is not None and blob is not None:
                readings.keep(sub, blob)
        _collect(report, (found[str(path)] for path in files), units)
        if readings is not None:
            readings.save()
    return report


@dataclass(frozen=True)
class _Job:
    year: int | None
    registry: dict[str, Unit]
    find: SetFinder
    default_set: tuple[str, int] | None
    then: Callable[[Submission], None] | None = None
    keep: bool = False
    """Hand back each reading pickled, before `then` changes it, to be kept."""

    def check(self, path: Path) -> tuple[Submission, bytes | None]:
        try:
            sub = check_workbook(path, self.year, self.registry, self.find, self.default_set)
        except Exception as exc:  # a file that breaks the reader must not stop the others
            sub = Submission(str(path))
            sub.add("internal_error", f"lỗi không lường trước khi đọc tệp: {exc!r}")
            return sub, None
        blob = pickle.dumps(sub, pickle.HIGHEST_PROTOCOL) if self.keep else None
        self.after(sub)
        return sub, blob

    def after(self, sub: Submission) -> None:
        """`then` on a workbook read; one that fails is left undone (the caller does it after)."""
        if self.then is not None:
            with contextlib.suppress(Exception):
                self.then(sub)

    @staticmethod
    def crashed(path: Path) -> tuple[Submission, bytes | None]:
        """The file whose reading killed the process reading it, or took over READ_SECONDS."""
        sub = Submission(str(path))
        sub.add(
            "workbook_crash",
            f"trình đọc sổ tính dừng đột ngột hoặc chạy quá {READ_SECONDS} giây khi đọc tệp này "
            "(tệp hỏng hoặc được tạo để phá chương trình); tệp không được đọc, các tệp khác "
            "không bị ảnh hưởng",
        )
        return sub, None


def _collect(report: CheckReport, subs: Iterable[Submission], units: list[Unit]) -> None:
    """Add the submissions to the report, then list the units that did not submit."""
    by_unit: dict[str, list[Submission]] = {}
    for sub in subs:
        report.submissions.append(sub)
        if sub.unit_code:
            by_unit.setdefault(sub.unit_code, []).append(sub)
    seen = {code: _one_of(code, found) for code, found in by_unit.items()}
    for sub in seen.values():
        if sub.blank:
            message = "sổ tự đánh giá chưa điền mục nào (nộp sổ trống)"
            sub.add("workbook_blank", message, Severity.WARNING, sheet=sub.sheet or SELF_SHEET)
    report.missing = [u for u in units if u.code not in seen]
    for unit in report.missing:
        report.issues.append(
            Issue(
                code="unit_missing",
                severity=Severity.WARNING,
                message=f"đơn vị {unit.code} – {unit.name} chưa nộp sổ tự đánh giá",
            )
        )
