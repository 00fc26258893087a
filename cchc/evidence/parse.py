"""Split a 'Tài liệu kiểm chứng' cell into references: citations, web addresses, files, free text.

A cell holds several references, one per line or separated by ';'. Commas also separate
references ('Kế hoạch số 12/KH-UBND, Báo cáo số 45/BC-UBND') but occur inside a citation too
('Quyết định số 52/2019/QĐ-UBND, ngày 10/10/2019'), so a line is cut between two document numbers
only, at the last separator (',', 'và', '+', ' - ') after the first one's date.

A document number is `number[/year]/TYPE-ISSUER` (Nghị định 30/2020/NĐ-CP, Phụ lục III): 12/KH-UBND,
52/2019/QĐ-UBND. A công văn carries no type code (1234/UBND-NC): its type is the word before it
('Kế hoạch', 'CV', 'Văn bản'), else CV. A file is a path relative to the unit's evidence folder
(see `cchc.evidence.files`); a web address starts with http(s):// or www.
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Literal

from cchc.core.dates import FIRST_YEAR, LAST_YEAR, find_date, spans
from cchc.evidence.doctypes import canonical, named_type
from cchc.evidence.marks import strip_marks
from cchc.evidence.urls import web_address

Kind = Literal["citation", "url", "file", "text"]
KIND_LABELS: dict[Kind, str] = {
    "citation": "Văn bản",
    "url": "Trang web",
    "file": "Tệp",
    "text": "Mô tả",
}


@dataclass(frozen=True, slots=True)
class Reference:
    """One reference found in an evidence cell."""

    kind: Kind
    raw: str
    """The reference as typed (spaces collapsed)."""
    number: str | None = None
    """The document number, digits only ('1.234' → '1234'); None if missing or malformed."""
    year: int | None = None
    """The year printed inside the number (52/2019/QĐ-UBND → 2019)."""
    doc_type: str | None = None
    """Canonical type code: KH, BC, QĐ, TB, CV …"""
    issuer: str | None = None
    """The issuer's code, with its department if any: UBND, VP, UBND-NC."""
    date: datetime.date | None = None
    target: str | None = None
    """The address to open, or the path with '/' separators."""
    bad_number: bool = False
    bad_date: bool = False
    bad_url: bool = False

    def to_json(self) -> dict[str, Any]:
        """JSON-ready fields, the date as YYYY-MM-DD."""
        return {
            "kind": self.kind,
            "raw": self.raw,
            "number": self.number,
            "year": self.year,
            "doc_type": self.doc_type,
            "issuer": self.issuer,
            "date": self.date.isoformat() if self.date else None,
            "target": self.target,
            "bad_number": self.bad_number,
            "bad_date": self.bad_date,
            "bad_url": self.bad_url,
        }


_PIECES = re.compile(r"[;\n\r\u2028\u2029]+")
_BULLET = re.compile(r"^(?:[-+•*–]|\d{1,2}[.)]|[a-zđ]\))\s+")
_URL = re.compile(
    r"(?<![\w.@/])(?:h{1,2}t{1,2}ps?:?/+|www\.|[a-z][a-z0-9+.-]*://)[^\s;\"'<>]*", re.IGNORECASE
)
_EXT = (
    r"\.(?:pdf|docx?|xlsx?|xlsm|ods|odt|odp|pptx?|jpe?g|png|gif|tiff?|bmp|heic|"
    r"zip|rar|7z|txt|rtf|csv|mp3|mp4)"
)
_FILE_TOKEN = re.compile(r"[^\s;,()\[\]\"'<>|]+" + _EXT + r"(?!\w)", re.IGNORECASE)
_FILE_END = re.compile(_EXT + r"$", re.IGNORECASE)
_PATH_START = re.compile(r"^(?:[A-Za-z]:[\\/]|[\\/]|\.{1,2}[\\/]|~[\\/])")
_LABEL = re.compile(r"^[^:/\\\d]{2,30}:\s*")
_CORE = re.compile(
    r"(?:(?<![\w./…-])|(?<=[sS][ốoỐO]))"
    r"(?P<number>\d{1,3}(?:\.\d{3})+(?!\d)|\d+[A-Za-z]?|[.…_]+|[xX]{1,4}|)"
    r"\s*/\s*(?:(?P<year>\d+)\s*/\s*)?"
    r"(?P<code>[A-Za-zĐđ]{1,8}(?:-[A-Za-zĐđ0-9]+|\s*[-–]\s*[A-ZĐ][A-ZĐ0-9]*)*)(?!\w)"
)
_SEGMENT = re.compile(r"\s*[-–]\s*")
_SEPARATOR = re.compile(r",|\+|&|\s[-–]\s|(?<!\w)v[aà](?!\w)", re.IGNORECASE)
_EMPTY_BRACKETS = re.compile(r"\(\s*\)")
_TRIM = " ,:+&–-"
_NOTHING = {"khong", "khong co", "chua co", "x", "k", "kc", "n/a", "na"}


def _clean(text: str) -> str:
    """Spaces collapsed, separators and empty brackets trimmed from both ends."""
    text = " ".join(text.split())
    if "(" in text:
        text = _EMPTY_BRACKETS.sub("", text)  # what is left of '(minh-chung/kh.pdf)'
    while True:
        trimmed = text.strip(_TRIM)
        if trimmed[:3].lower() in ("và ", "va "):
            trimmed = trimmed[3:]
        if trimmed[-3:].lower() in (" và", " va"):
            trimmed = trimmed[:-3]
        if trimmed == text:
            return text
        text = trimmed


def _blank(text: str, start: int, end: int) -> str:
    """Hide a span already taken by another reference, keeping positions."""
    return text[:start] + " " * (end - start) + text[end:]


def _plausible(core: re.Match[str]) -> bool:
    """A number, or a code that looks like one (upper case, or lower case with a hyphen)."""
    code = core["code"]
    if core["number"][:1].isdigit():
        return code[0].isupper() or "-" in code
    return code[0].isupper()


def _number(core: re.Match[str]) -> tuple[str | None, int | None, bool]:
    """(number, year in the number, whether either is malformed)."""
    digits = core["number"].replace(".", "")
    number = digits if digits.isdigit() and int(digits) > 0 else None
    year_text = core["year"]
    year = int(year_text) if year_text and len(year_text) == 4 else None
    bad_year = year_text is not None and (year is None or not FIRST_YEAR <= year <= LAST_YEAR)
    return number, None if bad_year else year, number is None or bad_year


def _citation(work: str, start: int, end: int, core: re.Match[str]) -> Reference:
    number, year, bad_number = _number(core)
    segments = [s.upper() for s in _SEGMENT.split(core["code"])]
    doc_type = canonical(segments[0])
    if doc_type is not None:
        issuer = "-".join(segments[1:]) or None
    else:
        doc_type = named_type(work[start : core.start()]) or "CV"
        issuer = "-".join(segments)
    when, bad_date = find_date(work, core.end(), end)
    if when is None and not bad_date:
        when, bad_date = find_date(work, start, core.start())
    return Reference(
        kind="citation",
        raw=_clean(work[start:end]),
        number=number,
        year=year,
        doc_type=doc_type,
        issuer=issuer,
        date=when,
        bad_number=bad_number,
        bad_date=bad_date,
    )


def _cut(work: str, after: int, before: int) -> int:
    """Where the reference ending after `after` stops and the one starting at `before` begins."""
    dates = spans(work, after, before)
    search_from = after
    if dates and len(work[after : dates[0][0]].split()) <= 3:
        search_from = dates[0][1]  # the first citation's own date ('…, ngày 15/01/2024, …')
    separators = list(_SEPARATOR.finditer(work, search_from, before))
    if separators:
        return separators[-1].start()
    return dates[0][1] if dates else before


def _citations(work: str) -> list[tuple[int, Reference]]:
    cores = [core for core in _CORE.finditer(work) if _plausible(core)]
    found = []
    start = 0
    for index, core in enumerate(cores):
        last = index + 1 == len(cores)
        end = len(work) if last else _cut(work, core.end(), cores[index + 1].start())
        found.append((core.start(), _citation(work, start, end, core)))
        start = end
    return found


def _file(raw: str) -> Reference:
    path = _LABEL.sub("", raw) if not _PATH_START.match(raw) else raw
    return Reference(kind="file", raw=raw, target=path.strip("\"'“”").replace("\\", "/"))


def _url(raw: str) -> Reference:
    address = web_address(raw)
    return Reference(kind="url", raw=raw, target=address or raw, bad_url=address is None)


def _is_path(piece: str) -> bool:
    """A whole piece that names a file: 'minh-chung/kh.pdf', 'tai lieu\\bao cao.docx', '../x'."""
    if not (_PATH_START.match(piece) or _FILE_END.search(piece)):
        return False
    return not (_URL.search(piece) or any(_plausible(core) for core in _CORE.finditer(piece)))


def _piece(piece: str) -> list[Reference]:
    if _is_path(piece):
        return [_file(piece)]
    found: list[tuple[int, Reference]] = []
    work = piece
    for match in _URL.finditer(piece):
        raw = match.group().rstrip(".,)]}")
        found.append((match.start(), _url(raw)))
        work = _blank(work, match.start(), match.start() + len(raw))
    for match in _FILE_TOKEN.finditer(work):
        found.append((match.start(), _file(match.group())))
        work = _blank(work, match.start(), match.end())
    found += _citations(work)
    if found:
        return [ref for _, ref in sorted(found, key=lambda pair: pair[0])]
    words = " ".join(strip_marks(piece).lower().split()).strip(" .")
    if words in _NOTHING or not any(c.isalnum() for c in piece):
        return []
    return [Reference(kind="text", raw=_clean(piece))]


@functools.lru_cache(maxsize=65536)
def parse_cell(text: str) -> tuple[Reference, ...]:
    """Every reference in an evidence cell, in the order typed (cached: cells repeat)."""
    references: list[Reference] = []
    for line in _PIECES.split(unicodedata.normalize("NFC", text)):
        piece = _BULLET.sub("", " ".join(line.split()))
        if piece:
            references += _piece(piece)
    return tuple(references)
