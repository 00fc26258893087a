"""Guards every input workbook passes before python-calamine reads it: size, format, zip, grid.

calamine builds each sheet as a dense grid from its first to its last value, so one value at
XFD1048576 in an 8 KB file asks for 17 billion cells and aborts the whole process (calamine issue
#693), and a zip member may inflate a thousand-fold. So, before calamine: the file size, what the
file really is, the zip's central directory, then every member inflated (never past its declared
size, where calamine stops too) and searched as bytes. A DOCTYPE is refused outright.
"""

from __future__ import annotations

import html
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook, PasswordError

from cchc.core.numbers import fmt
from cchc.readers.sheet_grid import BadSheet, Grid, attributes, ods_grid, xlsx_grid
from cchc.readers.xls_grid import Encrypted, xls_grid

MIB = 2**20


@dataclass(frozen=True)
class Limits:
    """How large one kind of input may be; a larger file is refused before it is parsed."""

    file_bytes: int
    """The file on disk."""
    unpacked_bytes: int
    """All members of an .xlsx/.xlsm/.ods container, uncompressed."""
    rows: int
    """Rows of a sheet, from row 1 to its last value: the rows a reader materialises."""
    cells: int
    """Rows × columns of a sheet from A1 to its last value (of all sheets together in an .ods)."""


WORKBOOK = Limits(file_bytes=20 * MIB, unpacked_bytes=100 * MIB, rows=5_000, cells=500_000)
"""One unit's self-assessment workbook. Real ones weigh 30–60 KB, unpack to ~150 KB and hold
~150 rows × 10 columns: each limit is more than 30 times what a real workbook reaches."""

TABLE = Limits(file_bytes=64 * MIB, unpacked_bytes=1024 * MIB, rows=1_000_000, cells=10_000_000)
"""A table about many units (appraisal, survey, official results, owners). A province's appraisal
is ~15,000 rows × 12 columns (~1 MB); all 3,321 communes of the country would be ~270,000 rows
(~20 MB). A CSV is read whole into Python, about ten times its size: hence 64 MiB."""

MAX_RATIO = 200
"""A member may inflate at most this many times: real sheet XML compresses 5–30 times, deflate
cannot pass 1,032 times, and zip bombs sit near that ceiling."""

RATIO_FROM = MIB
"""Members that unpack to less than this are not held to MAX_RATIO: they cannot hurt."""

MAX_MEMBERS = 10_000
"""Members of a container: a workbook has 10 to 40, a few hundred with many pictures."""

DOCUMENT = Limits(file_bytes=32 * MIB, unpacked_bytes=256 * MIB, rows=50_000, cells=1_000_000)
"""A Word document holding a table (a criteria set's annex). A province's decision with its annex
weighs 50–500 KB and holds 200–400 table rows; pictures of signatures and seals make the rest."""

ZIP_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".docx")
_DOC_MAIN = {".ods": "content.xml", ".docx": "word/document.xml"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_ZIP_MAGIC = b"PK\x03\x04"
_UTF16 = (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_XLS_STREAM = "Workbook".encode("utf-16-le")
_PROLOG = 4096
"""Bytes at the start of a member searched for a DOCTYPE."""
_SST = re.compile(rb"<(?:[^\s<>/:!?]+:)?sst\s([^>]*)>")
_BOOK = "xl/workbook.xml"
_RELS = "xl/_rels/workbook.xml.rels"


@dataclass(frozen=True)
class Refusal:
    """Why a file is not read: a stable code, a message in Vietnamese, the sheet if one."""

    code: str
    message: str
    sheet: str | None = None


_ENCRYPTED_BOOK = Refusal(
    "workbook_encrypted", "sổ tính được đặt mật khẩu; hãy gỡ mật khẩu rồi gửi lại"
)


class Refused(Exception):
    """A file or sheet a guard refused."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


def open_book(path: Path, limits: Limits) -> CalamineWorkbook:
    """The workbook, once check_bytes has passed it; raises Refused, or calamine's errors.

    The file is read once: calamine parses the very bytes the guards passed, so a file replaced
    between the check and the read cannot slip through.
    """
    return parse_book(read_checked(path, limits))


def parse_book(data: bytes) -> CalamineWorkbook:
    """The workbook of bytes `read_checked` passed; raises Refused for calamine's password
    error and panics, or its other errors."""
    with _calamine_failures():
        return CalamineWorkbook.from_filelike(io.BytesIO(data))


def sheet_rows(book: CalamineWorkbook, name: str, limits: Limits) -> list[list[Any]]:
    """A sheet's rows from A1 (row 0 is the sheet's row 1), once check_grid has passed it."""
    with _calamine_failures():
        sheet = book.get_sheet_by_name(name)
        refusal = check_grid(name, sheet, limits)
        if refusal is not None:
            raise Refused(refusal)
        rows: list[list[Any]] = sheet.to_python(skip_empty_area=False)
    return rows


@contextmanager
def _calamine_failures() -> Iterator[None]:
    """calamine's password error and its panics (a BaseException, not an Exception) as refusals.

    Its other errors pass on: the readers report them as unreadable files.
    """
    try:
        yield
    except PasswordError as exc:
        raise Refused(_ENCRYPTED_BOOK) from exc
    except BaseException as exc:
        if type(exc).__name__ != "PanicException":  # pyo3's, not importable by name
            raise
        message = "trình đọc sổ tính gặp lỗi nội bộ với tệp này (tệp hỏng hoặc được tạo bất thường)"
        raise Refused(Refusal("workbook_corrupt", message)) from exc


def read_checked(path: Path, limits: Limits) -> bytes:
    """A file's bytes once every guard of its format has passed them; raises Refused."""
    data = _read(path, limits)
    refusal = check_bytes(data, path.suffix, limits)
    if refusal is not None:
        raise Refused(refusal)
    return data


def read_text_bytes(path: Path, limits: Limits) -> bytes:
    """A text table's bytes (CSV) once its size and line count pass; raises Refused."""
    data = _read(path, limits)
    if data.count(b"\n") > limits.rows:
        message = f"tệp có hơn {fmt(limits.rows)} dòng, vượt giới hạn"
        raise Refused(Refusal("workbook_too_large", message))
    return data


def check_file(path: Path, limits: Limits) -> Refusal | None:
    """None if python-calamine may read the file; otherwise why not. Never raises for content."""
    try:
        data = _read(path, limits)
    except Refused as exc:
        return exc.refusal
    return check_bytes(data, path.suffix, limits)


def _read(path: Path, limits: Limits) -> bytes:
    """The file's bytes if its size is within the limits (checked first); raises Refused."""
    size = path.stat().st_size
    if size <= limits.file_bytes:
        with path.open("rb") as handle:
            data = handle.read(limits.file_bytes + 1)  # the file may have grown since stat
        size = len(data)
    if size == 0:
        raise Refused(Refusal("workbook_empty", "tệp rỗng (0 byte)"))
    if size > limits.file_bytes:
        raise Refused(
            Refusal(
                "workbook_too_large",
                f"tệp nặng {_mib(size)} MiB, vượt giới hạn {_mib(limits.file_bytes)} MiB",
            )
        )
    return data


def check_bytes(data: bytes, suffix: str, limits: Limits) -> Refusal | None:
    """None if python-calamine may read these bytes of a file named with `suffix`; else why not.

    The extension says which format the bytes must be; other extensions pass unchecked.
    """
    suffix = suffix.lower()
    head = data[:512]
    if suffix in ZIP_SUFFIXES and head.startswith(_ZIP_MAGIC):
        return _check_zip(data, suffix, limits)
    if suffix == ".xls" and head.startswith(_OLE_MAGIC):
        return _check_xls(data, limits)
    if suffix in ZIP_SUFFIXES and head.startswith(_OLE_MAGIC) and not _is_xls(data):
        return _ENCRYPTED_BOOK
    if suffix in (*ZIP_SUFFIXES, ".xls"):
        return _mislabelled(suffix, _kind(data))
    return None


def check_grid(name: str, sheet: Any, limits: Limits) -> Refusal | None:
    """A loaded python-calamine sheet against the limits, before its cells become Python objects.

    A second line behind check_bytes, which has counted every format's grid from its bytes.
    """
    end = sheet.end
    grid = Grid(name=name)
    if end is not None:
        grid.add(end[0] + 1, end[1] + 1)
    return _too_large(grid, limits) if grid.over(limits.rows, limits.cells) else None


def _mib(size: int) -> str:
    return f"{size / MIB:.1f}".replace(".", ",")


def _is_xls(data: bytes) -> bool:
    """An OLE file with a Workbook stream and no EncryptedPackage: an .xls, not a locked .xlsx."""
    return _XLS_STREAM in data and _ENCRYPTED not in data


def _kind(data: bytes) -> str:
    """What the first bytes of a file say it is, in words."""
    head = data[:512]
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(_ZIP_MAGIC):
        return "một tệp nén ZIP (sổ tính .xlsx/.ods hoặc tài liệu khác)"
    if head.startswith(_OLE_MAGIC):
        return "sổ tính Excel 97–2003 (.xls)" if _is_xls(data) else "một tệp Office cũ (OLE)"
    if head.startswith(b"%PDF"):
        return "một tệp PDF"
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<head", b"<body")):
        return "một trang HTML"
    if text.startswith(b"<"):
        return "một tệp XML"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # a character cut at the end of the sample is still text
            return "dữ liệu không rõ định dạng"
    return "văn bản thuần (CSV/TXT)"


def _mislabelled(suffix: str, kind: str) -> Refusal:
    return Refusal(
        "workbook_corrupt",
        f"tệp hỏng hoặc không đúng định dạng theo đuôi tệp ({suffix}): nội dung là {kind}; "
        "hãy mở bằng Excel hoặc LibreOffice rồi lưu lại đúng định dạng",
    )


def _too_large(grid: Grid, limits: Limits) -> Refusal:
    if grid.rows > limits.rows:
        message = (
            f"trang '{grid.name}' có dữ liệu tới dòng {fmt(grid.rows)}, vượt giới hạn "
            f"{fmt(limits.rows)} dòng"
        )
    elif grid.before:  # the sheets before it fill most of the limit: all are loaded at once
        message = (
            f"các trang tính trước trang '{grid.name}' đã có {fmt(grid.before)} ô; cộng "
            f"{fmt(grid.rows)} dòng × {fmt(grid.columns)} cột của trang này, vượt giới hạn "
            f"{fmt(limits.cells)} ô của cả sổ"
        )
    else:
        message = (
            f"trang '{grid.name}' trải trên {fmt(grid.rows)} dòng × {fmt(grid.columns)} cột, "
            f"vượt giới hạn {fmt(limits.cells)} ô"
        )
    return Refusal("workbook_too_large", message, grid.name)


# --- zip containers (.xlsx, .xlsm, .ods) ---------------------------------------------------------


def _check_zip(data: bytes, suffix: str, limits: Limits) -> Refusal | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _check_directory(archive, suffix, limits) or _check_members(
                archive, memoryview(data), suffix, limits
            )
    except BadSheet as exc:
        return Refusal("workbook_corrupt", f"không đọc được sổ tính: {exc}")
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error):
        return Refusal("workbook_corrupt", "không đọc được sổ tính: tệp nén (zip) bị hỏng")


def _check_directory(archive: zipfile.ZipFile, suffix: str, limits: Limits) -> Refusal | None:
    """Sizes as the central directory declares them (calamine stops at the declared size too)."""
    infos = archive.infolist()
    names = {info.filename for info in infos}
    if _DOC_MAIN.get(suffix, _BOOK) not in names:
        kind = "một tệp nén ZIP không phải sổ tính"
        if "content.xml" in names:
            kind = "sổ tính OpenDocument (.ods)"
        elif _BOOK in names:
            kind = "sổ tính Excel (.xlsx)"
        elif _DOC_MAIN[".docx"] in names:
            kind = "văn bản Word (.docx)"
        return _mislabelled(suffix, kind)
    if len(infos) > MAX_MEMBERS:
        return Refusal(
            "workbook_too_large",
            f"tệp nén có {fmt(len(infos))} thành phần, vượt giới hạn {fmt(MAX_MEMBERS)}",
        )
    total = sum(info.file_size for info in infos)
    if total > limits.unpacked_bytes:
        return Refusal(
            "workbook_too_large",
            f"tệp giải nén ra {_mib(total)} MiB, vượt giới hạn {_mib(limits.unpacked_bytes)} MiB "
            "(có thể là “bom nén”)",
        )
    for info in infos:
        if info.file_size >= RATIO_FROM and info.file_size > MAX_RATIO * info.compress_size:
            ratio = info.file_size // max(info.compress_size, 1)
            return Refusal(
                "workbook_too_large",
                f"thành phần {info.filename} nén {fmt(ratio)} lần, vượt giới hạn "
                f"{MAX_RATIO} lần (có thể là “bom nén”)",
            )
    return None


def _check_members(
    archive: zipfile.ZipFile, container: memoryview, suffix: str, limits: Limits
) -> Refusal | None:
    """Each member inflated and searched as bytes.

    Every member, not only the worksheets the workbook lists: calamine finds a sheet through the
    relationships, whatever the member's name.
    """
    for info in archive.infolist():
        data = _inflate(container, info)
        if data.startswith(_UTF16):
            return Refusal("workbook_corrupt", f"thành phần {info.filename} mã hóa UTF-16")
        if b"<!DOCTYPE" in data[:_PROLOG]:
            return Refusal(
                "workbook_corrupt",
                f"thành phần {info.filename} khai báo DOCTYPE (thực thể XML), không được phép",
            )
        if suffix not in (".ods", ".docx") and b"uniqueCount" in data and _overcounted(data):
            return Refusal(
                "workbook_corrupt",
                f"thành phần {info.filename} khai báo số chuỗi ký tự nhiều hơn nội dung có thể "
                "chứa (tệp bị sửa hoặc tạo để phá chương trình đọc)",
            )
        grid = None
        if suffix == ".ods" and info.filename == "content.xml":
            grid = ods_grid(data, limits.rows, limits.cells)
        elif suffix not in (".ods", ".docx") and b"sheetData" in data:
            grid = xlsx_grid(data, limits.rows, limits.cells)
            if grid is not None:
                grid.name = _sheet_names(archive).get(info.filename, info.filename)
        if grid is not None:
            return _too_large(grid, limits)
    return None


def _overcounted(data: bytes) -> bool:
    """A shared-strings part whose `uniqueCount` exceeds what its bytes could hold.

    calamine reserves room for that many strings before reading one (calamine issue #684): a
    1 KB part declaring four billion asks for 96 GB and aborts the process. Each string takes
    at least one byte of the part.
    """
    match = _SST.search(data)
    if match is None:
        return False
    count = attributes(match.group(1)).get(b"uniqueCount", b"").strip().lstrip(b"+")
    return count.isdigit() and int(count) > len(data)


def _inflate(container: memoryview, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes, read as calamine reads them: never past the declared size.

    zlib directly rather than ZipFile.read, which costs twice as much on small members; the CRC
    is left to calamine.
    """
    start = info.header_offset
    header = bytes(container[start : start + 30])
    if len(header) < 30 or not header.startswith(_ZIP_MAGIC) or info.flag_bits & 1:
        raise BadSheet(f"thành phần {info.filename} hỏng hoặc được mã hóa")
    name_length, extra_length = struct.unpack_from("<HH", header, 26)
    start += 30 + name_length + extra_length
    packed = container[start : start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        data = bytes(packed)
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        data = zlib.decompressobj(-15).decompress(packed, info.file_size + 1)
    else:
        raise BadSheet(f"thành phần {info.filename} dùng kiểu nén không hỗ trợ")
    if len(packed) != info.compress_size or len(data) != info.file_size:
        raise BadSheet(f"thành phần {info.filename} không đúng kích thước khai báo")
    return data


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Member → sheet name, from the workbook and its relationships (for messages only)."""
    names = set(archive.namelist())
    if _BOOK not in names or _RELS not in names:
        return {}
    targets = {}
    for raw in re.findall(rb"<(?:[^\s<>/:]+:)?Relationship\s([^>]*)>", archive.read(_RELS)):
        found = attributes(raw)
        targets[found.get(b"Id", b"")] = found.get(b"Target", b"").decode("utf-8", "replace")
    sheets = {}
    for raw in re.findall(rb"<(?:[^\s<>/:]+:)?sheet\s([^>]*)>", archive.read(_BOOK)):
        found = attributes(raw)
        target = targets.get(found.get(b"id", b""), "")
        member = target[1:] if target.startswith("/") else f"xl/{target.removeprefix('xl/')}"
        sheets[member] = html.unescape(found.get(b"name", b"").decode("utf-8", "replace"))
    return sheets


# --- legacy .xls (OLE2 container, BIFF records) ---------------------------------------------------


def _check_xls(data: bytes, limits: Limits) -> Refusal | None:
    try:
        grid = xls_grid(data, limits.rows, limits.cells)
    except Encrypted:
        return _ENCRYPTED_BOOK
    except BadSheet as exc:
        return Refusal("workbook_corrupt", f"không đọc được sổ tính: {exc}")
    return None if grid is None else _too_large(grid, limits)
