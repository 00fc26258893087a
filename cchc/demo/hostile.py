"""The demo's hostile files: a folder where a good workbook sits among broken and crafted ones."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

from cchc.core.fileio import atomic_path
from cchc.criteria.model import CriteriaSet
from cchc.templates.collect import OneSet, check_folder
from cchc.units.model import Unit

FOLDER = "tep-bat-thuong"
_Change = Callable[[str, bytes], bytes]


def _rezip(source: Path, target: Path, change: _Change, extra: dict[str, bytes]) -> Path:
    """A copy of a workbook with each member passed through `change`, plus extra members."""
    with (
        zipfile.ZipFile(source) as original,
        atomic_path(target) as tmp,
        zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as copy,
    ):
        for info in original.infolist():
            copy.writestr(info.filename, change(info.filename, original.read(info)))
        for name, data in extra.items():
            copy.writestr(name, data)
    return target


def _far_corner(name: str, data: bytes) -> bytes:
    """One value added at XFD1048576, the last cell a sheet can have, in the first sheet."""
    if name != "xl/worksheets/sheet1.xml":
        return data
    far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    return re.sub(rb"</sheetData>|<sheetData\s*/>", lambda m: far, data, count=1)


def _same(name: str, data: bytes) -> bytes:
    return data


def write_hostile(folder: Path, good: Path, outside: Path) -> dict[str, str]:
    """The files, each with what it is; `good` is copied in, `outside` is linked to."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    shutil.copy(good, folder / good.name)
    made = {good.name: "sổ hợp lệ của đơn vị"}
    _rezip(good, folder / "o-cuoi-cung.xlsx", _far_corner, {})
    made["o-cuoi-cung.xlsx"] = (
        "8 KB, một giá trị ở ô XFD1048576 (đọc thẳng: 17 tỷ ô, sập chương trình)"
    )
    zeros = bytes(64 * 2**20)
    _rezip(good, folder / "bom-nen.xlsx", _same, {"xl/media/anh.bin": zeros})
    made["bom-nen.xlsx"] = "“bom nén”: 64 MiB số 0 nén còn 64 KB"
    strings = b'<sst xmlns="x" count="4000000000" uniqueCount="4000000000"/>'
    _rezip(good, folder / "chuoi-ky-tu.xlsx", _same, {"xl/sharedStrings.xml": strings})
    made["chuoi-ky-tu.xlsx"] = "khai báo 4 tỷ chuỗi ký tự; đọc thẳng sẽ xin 96 GB bộ nhớ"
    with atomic_path(folder / "bao-cao.xlsx") as tmp:
        tmp.write_bytes(b"%PDF-1.4\n% bao cao\n")
    made["bao-cao.xlsx"] = "tệp PDF đổi đuôi thành .xlsx"
    try:
        (folder / "lien-ket.xlsx").symlink_to(outside)
        made["lien-ket.xlsx"] = f"liên kết trỏ ra ngoài thư mục, tới {outside.name}"
    except OSError:  # no symbolic links here (Windows without the right)
        pass
    return made


def hostile_lines(
    folder: Path, good: Path, outside: Path, units: list[Unit], criteria: CriteriaSet, year: int
) -> list[str]:
    """Check the folder: what each file is and what the check said about it."""
    made = write_hostile(folder, good, outside)
    report = check_folder(folder, year, units, OneSet(criteria))
    said = {Path(s.file).name: s.issues for s in report.submissions}
    for issue in report.issues:
        said.setdefault(Path(issue.file or "").name, []).append(issue)
    lines = []
    for name, what in made.items():
        issues = said.get(name, [])
        verdict = "; ".join(f"[{i.code}] {i.message}" for i in issues) or "đọc bình thường"
        lines.append(f"{name} — {what} → {verdict}")
    return lines
