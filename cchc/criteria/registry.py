"""Find criteria sets: the bundled ones, a workspace's, or a YAML file given by path."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from cchc.criteria.catalog import bundled_dir
from cchc.criteria.loader import Loaded, load_file
from cchc.criteria.model import CriteriaSet


class SetNotFound(LookupError):
    """No set matches the id (and year) asked for."""


@dataclass(frozen=True)
class SetEntry:
    """A set on disk, loaded and checked."""

    path: Path
    loaded: Loaded


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
        raise SetNotFound(not_found(ref, year, entries))
    # max keeps the first of equal years: the folders' order decides (a workspace's sets first).
    return max(matches, key=lambda m: m.set.year if m.set else 0)


def not_found(ref: str, year: int | None, entries: list[SetEntry]) -> str:
    """Why no set matches: the ids known, the nearest one, the years of the id, broken files."""
    sets = [e.loaded.set for e in entries if e.loaded.set is not None]
    known = sorted({s.id for s in sets})
    message = f"không tìm thấy bộ tiêu chí '{ref}'" + (f" năm {year}" if year else "")
    years = sorted(s.year for s in sets if s.id == ref)
    if years:
        message += f"; bộ '{ref}' có các năm: {', '.join(map(str, years))}"
    else:
        message += f"; các bộ đã có: {', '.join(known) or 'không có'}"
        nearest = difflib.get_close_matches(ref, known, n=1, cutoff=0.5)
        if nearest:
            message += f"; gần nhất: '{nearest[0]}'"
    broken = [str(e.path) for e in entries if e.loaded.set is None]
    if broken:
        message += (
            f"; tệp bộ tiêu chí có lỗi, không dùng được: {', '.join(broken)} "
            "(xem bằng 'cchc criteria check')"
        )
    return message


def require(loaded: Loaded) -> CriteriaSet:
    """The set of a successful load (callers check `ok` first)."""
    if loaded.set is None:
        raise SetNotFound(f"bộ tiêu chí {loaded.path} có lỗi")
    return loaded.set
