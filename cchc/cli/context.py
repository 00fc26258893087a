"""What every command shares: the workspace it runs in, its units, its sets, printing issues."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from cchc.cli.kit import fail
from cchc.core.issues import Issue
from cchc.criteria.loader import Loaded
from cchc.criteria.model import CriteriaSet
from cchc.criteria.registry import SetNotFound, bundled_dir, find_set, require, scan
from cchc.scoring.run import YearRun
from cchc.store import db as store
from cchc.store.workspace import Workspace, find_workspace, open_workspace
from cchc.units.model import Unit
from cchc.units.read import load_units

YEAR = click.option("--year", type=int, required=True, help="Năm đánh giá.")


def out_folder(what: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--out DIR` (default: the current folder) for a command writing `what`."""
    return click.option(
        "--out",
        type=click.Path(file_okay=False),
        default=".",
        show_default=True,
        help=f"Thư mục ghi {what}.",
    )


JSON_HELP = "In kết quả dạng JSON."
AS_JSON = click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
UNITS_FILE = click.option(
    "--units", type=click.Path(exists=True, dir_okay=False), help="Danh sách đơn vị."
)
EXTRA_SETS = click.option(
    "--set", "sets", multiple=True, help="Bộ tiêu chí (mã hoặc YAML) ngoài bộ kèm theo."
)
JOBS = click.option(
    "--jobs",
    type=click.IntRange(min=1),
    help="Số tiến trình chạy song song (mặc định: bằng số lõi CPU).",
)


def print_issues(issues: list[Issue]) -> None:
    for issue in issues:
        tag = "LỖI" if issue.severity == "error" else "CẢNH BÁO"
        click.echo(f"  [{tag} {issue.code}] {issue}")


def load_set(ref: str, year: int | None) -> Loaded:
    try:
        loaded = find_set(ref, year)
    except SetNotFound as exc:
        fail(str(exc))
    if not loaded.ok:
        print_issues(loaded.issues)
        fail(f"bộ tiêu chí {loaded.path} có lỗi; chạy 'cchc criteria check' để xem")
    return loaded


def current_workspace() -> Workspace | None:
    """The workspace the command runs in (this folder or a parent), if any."""
    root = find_workspace(Path.cwd())
    return open_workspace(root) if root is not None else None


def units_of(path: str | None) -> list[Unit]:
    workspace = current_workspace()
    if path is None and workspace is not None and workspace.units_path.is_file():
        path = str(workspace.units_path)
    if path is None:
        return []
    registry, issues = load_units(path)
    print_issues(issues)
    if registry is None:
        fail(f"danh sách đơn vị {path} có lỗi")
    return list(registry.units)


def set_finder(explicit: tuple[str, ...]) -> Callable[[str, int | None], CriteriaSet]:
    """Find sets by id and year: the ones named on the command line first, then bundled."""
    named = [require(load_set(ref, None)) for ref in explicit]
    workspace = current_workspace()
    folders = [workspace.sets_dir, bundled_dir()] if workspace is not None else None
    # Read now, once: forked readers inherit the sets instead of each reading every file again.
    entries = scan(folders)

    @functools.cache
    def find(ref: str, year: int | None) -> CriteriaSet:
        # Cached: a folder of thousands of workbooks names the same few sets.
        for criteria in named:
            if criteria.id == ref and (year is None or criteria.year == year):
                return criteria
        loaded = find_set(ref, year, scanned=entries)
        if loaded.set is None:
            raise SetNotFound(f"bộ tiêu chí {ref} có lỗi")
        return loaded.set

    return find


def workspace_or_fail() -> Workspace:
    """The workspace of the current folder; a clear error outside one."""
    workspace = current_workspace()
    if workspace is None:
        fail("lệnh này chạy trong không gian làm việc (tạo bằng 'cchc init'); hãy cd vào đó")
    return workspace


def stored_run(workspace: Workspace, year: int, traces: bool = True) -> YearRun:
    """The stored run of a year; a clear error if the year was never scored."""
    try:
        run = store.load_run(workspace.db_path, year, traces)
    except store.StoreError as exc:
        fail(str(exc))
    if run is None:
        fail(f"chưa có kết quả chấm năm {year}; chạy 'cchc score THƯ_MỤC --year {year}' trước")
    return run
