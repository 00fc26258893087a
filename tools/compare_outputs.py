"""Compare two output folders (e.g. the demo run before and after a change): every workbook cell
by cell, every Word document's text, every other text file line by line.

Time stamps and the folder names inside the files are masked, so two runs of the same code
compare equal. Usage (from the repository root)::

    python tools/compare_outputs.py BEFORE_DIR AFTER_DIR
"""

from __future__ import annotations

import hashlib
import re
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

TIME = re.compile(r"\d{1,2}:\d{2}( ngày \d{2}/\d{2}/\d{4})?( UTC)?|\d{4}-\d{2}-\d{2}T[\d:+.]+")
SKIP = {".db", ".bak", ".lock", ".png", ".pdf", ".svg"}
HOSTILE = "tep-bat-thuong"
"""The demo's folder of hostile files (zip bombs, …): made anew each run, never opened."""


def _mask(text: str, roots: tuple[str, ...]) -> str:
    for root in roots:
        text = text.replace(root, "<OUT>")
    return TIME.sub("<TIME>", text)


def _cells(path: Path) -> Iterator[tuple[str, int, list[object]]]:
    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        for number, row in enumerate(book.get_sheet_by_name(name).to_python(), start=1):
            yield name, number, row


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return re.sub(r"<[^>]+>", "", xml.replace("</w:p>", "\n"))


def _content(path: Path, roots: tuple[str, ...]) -> list[str]:
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm", ".ods"):
            return [_mask(f"{s}!{n}: {row}", roots) for s, n, row in _cells(path)]
        if suffix == ".docx":
            return _mask(_docx_text(path), roots).splitlines()
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, CalamineError):
        return [hashlib.sha256(path.read_bytes()).hexdigest()]  # a broken file on purpose
    return _mask(path.read_text(encoding="utf-8", errors="replace"), roots).splitlines()


def compare(before: Path, after: Path) -> list[str]:
    """The differences, one line each (empty: the folders hold the same outputs)."""
    roots = (str(before.resolve()), str(after.resolve()), str(before), str(after))
    names = {
        p.relative_to(root).as_posix()
        for root in (before, after)
        for p in root.rglob("*")
        if p.is_file() and p.suffix.lower() not in SKIP and HOSTILE not in p.parts
    }
    found = []
    for name in sorted(names):
        a, b = before / name, after / name
        if not a.exists() or not b.exists():
            found.append(f"{name}: only in {'after' if b.exists() else 'before'}")
            continue
        old, new = _content(a, roots), _content(b, roots)
        if old != new:
            diff = next(
                (f"{x!r} → {y!r}" for x, y in zip(old, new, strict=False) if x != y),
                f"{len(old)} → {len(new)} lines",
            )
            found.append(f"{name}: {diff[:300]}")
    return found


if __name__ == "__main__":
    differences = compare(Path(sys.argv[1]), Path(sys.argv[2]))
    sys.stdout.write(("\n".join(differences) or "same outputs") + "\n")
    sys.exit(1 if differences else 0)
