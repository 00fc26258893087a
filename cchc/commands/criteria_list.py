"""`cchc criteria list`: every set the current folder sees, the workspace's first.

Starts at once: the sets' summaries come from the per-user cache (`criteria.catalog`) when their
files have not changed, so neither YAML nor pydantic is loaded then.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cchc.core.errors import CommandError
from cchc.core.user_cache import cache_dir
from cchc.criteria.catalog import summaries
from cchc.store.workspace import WorkspaceError, set_folders, workspace_at

if TYPE_CHECKING:
    from cchc.core.issues import Issue


@dataclass
class SetList:
    """The sets found, each marked with whether it is the workspace's; the notices of the
    workspace's set files that fail their check."""

    rows: list[dict[str, Any]]
    notices: list[Issue] = field(default_factory=list)

    def to_json(self) -> list[dict[str, Any]]:
        """JSON-ready: one object per set file."""
        return self.rows


def list_sets(folder: Path | None = None, cache: Path | None = None) -> SetList:
    """The sets of the folder's workspace (default: the current folder's) then the bundled
    ones, in the order commands look them up. `cache`: the cache folder (default: the user's,
    see `core.user_cache.cache_dir`)."""
    try:
        workspace = workspace_at(folder or Path.cwd())
    except WorkspaceError as exc:
        raise CommandError(str(exc)) from exc
    rows = summaries(set_folders(workspace), cache if cache is not None else cache_dir())
    own = workspace.sets_dir if workspace is not None else None
    for row in rows:
        row["workspace"] = own is not None and Path(row["path"]).parent == own
    broken = [Path(row["path"]) for row in rows if row["workspace"] and not row["ok"]]
    return SetList(rows, [broken_set(path) for path in broken])


def broken_set(path: Path) -> Issue:
    """The notice for a workspace's set file that fails its check (never silently skipped)."""
    from cchc.core.issues import Issue, Severity

    return Issue(
        code="workspace_set_invalid",
        severity=Severity.WARNING,
        file=str(path),
        message=(
            "bộ tiêu chí trong không gian làm việc có lỗi nên không được dùng; "
            f"chạy 'cchc criteria check {path}' để xem"
        ),
    )
