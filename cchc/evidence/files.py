"""The files units send as evidence: where they are, which cited paths are safe, duplicates.

Each unit's evidence goes in a folder named by its unit code, under `tai-lieu/` in the folder
of returned workbooks, and units cite paths relative to that folder:

    so-da-nop/
      X001 - UBND xã Tân Lập.xlsx
      tai-lieu/
        X001/
          minh-chung/ke-hoach-cchc.pdf      cited as "minh-chung/ke-hoach-cchc.pdf"

The unit code, not the workbook's name, names the folder: it is stable, has no diacritics (file
names lose them or change Unicode form on the way), and is what the units registry and every
output use. The root is a parameter (`cchc evidence --evidence-dir`).

A cited path that is absolute, climbs out with '..', or resolves (through a link) outside the
unit's folder is refused before anything is opened.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from cchc.templates.layout import EVIDENCE_DIR

__all__ = ["EVIDENCE_DIR"]
_ABSOLUTE = re.compile(r"^(?:/|[A-Za-z]:|~/)")


class PathOutside(ValueError):
    """A cited path that leaves the unit's evidence folder."""


def evidence_root(submissions: Path) -> Path:
    """Where the units' evidence folders are by default: tai-lieu/ in the submissions folder."""
    return submissions / EVIDENCE_DIR


def unit_folder(root: Path, unit_code: str | None) -> Path | None:
    """The unit's evidence folder (resolved), or None if the code cannot safely name one."""
    if not unit_code or unit_code in (".", "..") or any(c in unit_code for c in "/\\:\0"):
        return None
    base = root.resolve()
    folder = (base / unit_code).resolve()
    return folder if folder.parent == base else None


def locate(folder: Path, target: str) -> Path | None:
    """The cited file inside the (resolved) folder, or None if there is no such file.

    Raises PathOutside for a path that leaves the folder; such a file is never opened.
    """
    target = target.replace("\\", "/")
    if _ABSOLUTE.match(target) or ".." in target.split("/") or "\0" in target:
        raise PathOutside(target)
    for form in ("NFC", "NFD"):  # a folder unzipped from a Mac keeps NFD names
        try:
            path = (folder / unicodedata.normalize(form, target)).resolve()
        except (OSError, RuntimeError):  # a link loop: no file there
            return None
        if not path.is_relative_to(folder):
            raise PathOutside(target)
        try:
            if path.is_file():
                return path
        except OSError:  # a name the file system cannot hold (over 255 bytes): no such file
            return None
    return None


def digest(path: Path) -> str:
    """SHA-256 of a file's content."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def shared(owners: Mapping[Path, set[str]]) -> list[list[Path]]:
    """Groups of files with the same content, owned by more than one unit.

    Only files whose size another unit's file shares are read, each once.
    """
    by_size: dict[int, list[Path]] = {}
    for path in owners:
        by_size.setdefault(path.stat().st_size, []).append(path)
    groups: list[list[Path]] = []
    for paths in by_size.values():
        if len(_units(owners, paths)) < 2:
            continue
        by_digest: dict[str, list[Path]] = {}
        for path in paths:
            by_digest.setdefault(digest(path) if len(paths) > 1 else "", []).append(path)
        groups += [group for group in by_digest.values() if len(_units(owners, group)) > 1]
    return groups


def _units(owners: Mapping[Path, set[str]], paths: list[Path]) -> set[str]:
    return {unit for path in paths for unit in owners[path]}
