"""`cchc criteria add`: a workspace's own sets beside the bundled ones."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cchc.commands.session import Session
from cchc.core.errors import CommandError
from cchc.core.fileio import atomic_path
from cchc.criteria.loader import load_file
from cchc.criteria.registry import require, scan


@dataclass
class Added:
    """A set copied into the workspace."""

    set_id: str
    year: int
    target: Path
    replaced: bool

    def to_json(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "id": self.set_id,
            "year": self.year,
            "file": str(self.target),
            "replaced": self.replaced,
        }


def add_set(session: Session, path: Path, replace: bool = False) -> Added:
    """Copy a checked set YAML into the workspace's sets folder as `<id>-<year>.yaml`.

    A set with errors is refused with its issues; one the workspace already holds under the same
    id and year (a different file) is replaced only when asked.
    """
    workspace = session.require_workspace()
    loaded = load_file(path)
    if not loaded.ok:
        message = f"bộ tiêu chí {path} có lỗi; sửa rồi chạy lại (xem 'cchc criteria check')"
        raise CommandError(message, loaded.issues)
    criteria = require(loaded)
    folder = workspace.sets_dir
    target = folder / f"{criteria.id}-{criteria.year}.yaml"
    same = [
        e.path
        for e in (scan([folder]) if folder.is_dir() else [])
        if e.loaded.set is not None
        and (e.loaded.set.id, e.loaded.set.year) == (criteria.id, criteria.year)
    ]
    if same and not replace and any(p.read_bytes() != path.read_bytes() for p in same):
        names = ", ".join(str(p) for p in same)
        raise CommandError(
            f"không gian làm việc đã có bộ '{criteria.id}' năm {criteria.year} ({names}); "
            "dùng --replace để thay"
        )
    if path.resolve() != target.resolve():
        with atomic_path(target) as tmp:
            shutil.copyfile(path, tmp)
    for old in same:
        if old.resolve() != target.resolve():
            old.unlink()
    return Added(criteria.id, criteria.year, target, bool(same))
