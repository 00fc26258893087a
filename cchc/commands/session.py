"""Where a command runs: the workspace (if any), its units, its criteria sets, its stored years."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from cchc.commands.criteria_list import broken_set
from cchc.core.errors import CommandError
from cchc.core.issues import Issue
from cchc.criteria.loader import Loaded
from cchc.criteria.model import CriteriaSet
from cchc.criteria.registry import SetEntry, SetNotFound, find_set, require, scan
from cchc.scoring.run import SetFinder, YearRun
from cchc.store import db as store
from cchc.store.workspace import Workspace, WorkspaceError, set_folders, workspace_at
from cchc.units.model import Unit
from cchc.units.read import load_units


def load_set(ref: str, year: int | None, session: Session | None = None) -> CriteriaSet:
    """A set by id or YAML path, checked: the workspace's sets first, then the bundled ones.

    CommandError if it is unknown (with the ids known and the nearest) or has errors; the
    workspace's set files that fail their check go to the session's notices.
    """
    current = session if session is not None else Session.here()
    try:
        loaded: Loaded = find_set(ref, year, scanned=current.set_entries)
    except SetNotFound as exc:
        raise CommandError(str(exc)) from exc
    if not loaded.ok:
        message = f"bộ tiêu chí {loaded.path} có lỗi; chạy 'cchc criteria check' để xem"
        raise CommandError(message, loaded.issues)
    return require(loaded)


FIRST_YEAR, LAST_YEAR = 1000, 9999


def check_year(year: int, units: list[Unit], find: SetFinder, default: str | None) -> None:
    """Refuse a year written short, or one that none of the units' criteria sets is for."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CommandError(f"năm {year} không hợp lệ: ghi năm đủ bốn chữ số, vd. 2024")
    refs = sorted({ref for u in units if (ref := u.set or default)})
    missing = [ref for ref in refs if _set_year(find, ref, year) is None]
    if refs and len(missing) == len(refs):
        known = [f"{ref} ({_set_year(find, ref, None) or 'không có'})" for ref in missing]
        raise CommandError(
            f"không có bộ tiêu chí của năm {year} cho các đơn vị (năm mới nhất có bộ: "
            f"{', '.join(known)}); kiểm tra lại --year"
        )


def _set_year(find: SetFinder, ref: str, year: int | None) -> int | None:
    try:
        return find(ref, year).year
    except SetNotFound:
        return None


@dataclass
class Finder:
    """The sets named on the command line, then the scanned ones; picklable, so that spawned
    worker processes (Windows) can be given it."""

    named: list[CriteriaSet]
    entries: list[SetEntry]
    found: dict[tuple[str, int | None], CriteriaSet] = field(default_factory=dict)
    """Cached: a folder of thousands of workbooks names the same few sets."""

    def __call__(self, ref: str, year: int | None) -> CriteriaSet:
        """The set; SetNotFound if there is none or it has errors."""
        if (ref, year) not in self.found:
            self.found[ref, year] = self._find(ref, year)
        return self.found[ref, year]

    def _find(self, ref: str, year: int | None) -> CriteriaSet:
        for criteria in self.named:
            if criteria.id == ref and (year is None or criteria.year == year):
                return criteria
        loaded = find_set(ref, year, scanned=self.entries)
        if loaded.set is None:
            raise SetNotFound(f"bộ tiêu chí {ref} có lỗi")
        return loaded.set


def broken_sets(entries: list[SetEntry], folder: Path) -> list[Issue]:
    """A notice for each set file of the folder that fails its check (never silently skipped)."""
    return [
        broken_set(entry.path)
        for entry in entries
        if entry.path.parent == folder and not entry.loaded.ok
    ]


@dataclass
class Session:
    """What a command works with. Units and sets are read when first needed, once.

    `notices` collects the problems found on the way that did not stop the command (a units
    file's warnings); the caller shows them.
    """

    workspace: Workspace | None = None
    units_file: Path | None = None
    extra_sets: tuple[str, ...] = ()
    notices: list[Issue] = field(default_factory=list)
    given_units: list[Unit] | None = None
    given_finder: SetFinder | None = None

    @classmethod
    def here(
        cls, folder: Path | None = None, units: str | None = None, sets: tuple[str, ...] = ()
    ) -> Session:
        """The session of a folder (default: the current one) and its parents' workspace."""
        try:
            workspace = workspace_at(folder or Path.cwd())
        except WorkspaceError as exc:
            raise CommandError(str(exc)) from exc
        return cls(workspace, Path(units) if units else None, sets)

    def require_workspace(self) -> Workspace:
        """The workspace; a clear error outside one."""
        if self.workspace is None:
            raise CommandError(
                "lệnh này chạy trong không gian làm việc (tạo bằng 'cchc init'); hãy cd vào đó"
            )
        return self.workspace

    @property
    def default_set(self) -> str | None:
        """The workspace's first default set id."""
        sets = self.workspace.default_sets if self.workspace else ()
        return sets[0] if sets else None

    @functools.cached_property
    def units(self) -> list[Unit]:
        """The units file named, else the workspace's; empty when there is none."""
        if self.given_units is not None:
            return self.given_units
        path = self.units_file
        if path is None and self.workspace is not None and self.workspace.units_path.is_file():
            path = self.workspace.units_path
        if path is None:
            return []
        registry, issues = load_units(path)
        if registry is None:
            raise CommandError(f"danh sách đơn vị {path} có lỗi", issues)
        self.notices += issues
        return list(registry.units)

    @functools.cached_property
    def set_entries(self) -> list[SetEntry]:
        """Every set the session sees, the workspace's first, read once; the workspace's files
        that fail their check become notices."""
        entries = scan(set_folders(self.workspace))
        if self.workspace is not None:
            self.notices += broken_sets(entries, self.workspace.sets_dir)
        return entries

    @functools.cached_property
    def find(self) -> SetFinder:
        """Find sets by id and year: the ones named on the command line, the workspace's, then
        the bundled ones."""
        if self.given_finder is not None:
            return self.given_finder
        named = [load_set(ref, None, self) for ref in self.extra_sets]
        # Read now, once: the readers' worker processes get the sets instead of each reading
        # every file.
        return Finder(named, self.set_entries)

    def set_named(self, ref: str | None, year: int) -> CriteriaSet | None:
        """The set a --set option names, or None."""
        if ref is None:
            return None
        try:
            return self.find(ref, year)
        except SetNotFound as exc:
            raise CommandError(str(exc)) from exc

    def stored_run(self, year: int, traces: bool = True, scores: bool = True) -> YearRun:
        """The stored run of a year (partial without `scores`: `store.load_run`); a clear
        error if the year was never scored."""
        workspace = self.require_workspace()
        try:
            run = store.load_run(workspace.db_path, year, traces, scores=scores)
        except store.StoreError as exc:
            raise CommandError(str(exc)) from exc
        if run is None:
            scored = store.years(workspace.db_path)
            known = f" (kho có các năm {', '.join(map(str, scored))})" if scored else ""
            raise CommandError(
                f"chưa có kết quả chấm năm {year}{known}; chạy 'cchc score THƯ_MỤC --year {year}' "
                "trước"
            )
        return run

    def stored_years(self) -> list[int]:
        """The years the store holds, in order."""
        try:
            return store.years(self.require_workspace().db_path)
        except store.StoreError as exc:
            raise CommandError(str(exc)) from exc

    def result_run(
        self, year: int, result: str | None = None, traces: bool = True, scores: bool = True
    ) -> YearRun:
        """The year's result a command is built on: `result` 'official' (imported with
        `cchc results import`) or 'cchc' (scored); by default the official one where the year
        has one. A clear error when the year has neither. Without `scores`, a scored run is
        partial (`store.load_run`); an official one is whole."""
        if result not in (None, "official", "cchc"):
            raise CommandError(f"--result phải là official hoặc cchc, không phải '{result}'")
        if result != "cchc":
            path = self.require_workspace().db_path
            try:
                official = store.load_official_run(path, year, traces)
            except store.StoreError as exc:
                raise CommandError(str(exc)) from exc
            if official is not None:
                return official
            if result == "official":
                raise CommandError(
                    f"năm {year} chưa có kết quả chính thức; nhập bằng 'cchc results import "
                    f"TỆP --year {year}', hoặc dùng --result cchc"
                )
        return self.stored_run(year, traces, scores)

    def result_years(self) -> list[int]:
        """The years with a scored run or an official result, in order."""
        try:
            path = self.require_workspace().db_path
            return sorted({*store.years(path), *store.official_years(path)})
        except store.StoreError as exc:
            raise CommandError(str(exc)) from exc
