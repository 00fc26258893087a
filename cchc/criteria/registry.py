"""Find criteria sets: the bundled ones, a workspace's, or a YAML file given by path."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from cchc.criteria.loader import Loaded, load_file
from cchc.criteria.model import CriteriaSet


class SetNotFound(LookupError):
    """No set matches the id (and year) asked for."""


@dataclass(frozen=True)
class SetEntry:
    """A set on disk, loaded and checked."""

    path: Path
    loaded: Loaded


def bundled_dir() -> Path:
    """The folder of the sets shipped with cchc."""
    return Path(str(resources.files("cchc.criteria") / "sets"))


def scan(folders: list[Path] | None = None) -> list[SetEntry]:
    """Every YAML set in the folders (default: the bundled ones), in name order."""
    entries = []
    for folder in folders or [bundled_dir()]:
        for path in sorted(folder.glob("*.yaml")):
            entries.append(SetEntry(path, load_file(path)))
    return entries


def find_set(
    ref: str,
    year: int | None = None,
    folders: list[Path] | None = None,
    scanned: list[SetEntry] | None = None,
) -> Loaded:
    """A set by path, or by id (the given year, else the latest year) in the folders' sets.

    `scanned`: the folders' sets as `scan` read them already.
    """
    if ref.endswith((".yaml", ".yml")) or Path(ref).is_file():
        return load_file(ref)
    entries = scan(folders) if scanned is None else scanned
    matches = [
        e.loaded
        for e in entries
        if e.loaded.set is not None
        and e.loaded.set.id == ref
        and (year is None or e.loaded.set.year == year)
    ]
    if not matches:
        wanted = f"'{ref}'" + (f" năm {year}" if year else "")
        raise SetNotFound(f"không tìm thấy bộ tiêu chí {wanted}")
    return max(matches, key=lambda m: m.set.year if m.set else 0)


def require(loaded: Loaded) -> CriteriaSet:
    """The set of a successful load (callers check `ok` first)."""
    if loaded.set is None:
        raise SetNotFound(f"bộ tiêu chí {loaded.path} có lỗi")
    return loaded.set
