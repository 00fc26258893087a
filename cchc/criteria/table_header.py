"""The header of a published criteria table: which column is which, over one or two rows.

Real tables head their columns `STT | Lĩnh vực/Tiêu chí/Tiêu chí thành phần | Điểm tối đa | Điểm
đánh giá (Tự đánh giá · Thẩm định) | Chỉ số | Ghi chú`, in many wordings, often over two rows
with merged cells, and print a row of column numbers `(1) (2) (3)` under it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cchc.core.text import fold
from cchc.criteria.table import column_for
from cchc.readers.headers import is_numbering, is_sub_header

SEARCH_ROWS = 40
"""Rows searched for the header: a title block may come first in a sheet."""

_CODE = ("stt", "tt", "số tt", "số thứ tự", "mã", "mã số", "mã tiêu chí", "ký hiệu")
_MAX = ("điểm tối đa", "điểm chuẩn", "thang điểm", "điểm tối đa của tiêu chí")
_RULE = (
    "cách chấm",
    "phương pháp chấm",
    "hướng dẫn chấm",
    "cách tính điểm",
    "phương pháp tính",
    "phương pháp đánh giá",
    "cách thức chấm",
    "cách đánh giá",
)
_EVIDENCE = ("tài liệu kiểm chứng", "tài liệu minh chứng", "tài liệu chứng minh")
_DEADLINE = ("thời hạn", "thời gian hoàn thành", "thời gian thực hiện", "hạn hoàn thành")
_TITLE = ("lĩnh vực", "tên lĩnh vực", "nội dung", "tiêu chí", "tên tiêu chí", "các tiêu chí")
_BRACKETS = re.compile(r"\s*\([^)]*\)\s*$")


def header_name(text: str) -> str | None:
    """The field a header cell names ('code', 'title', 'max', 'rule', 'evidence', 'deadline' …)
    or None."""
    known = column_for(text)
    if known is not None:
        return known
    folded = fold(text).rstrip(" :")
    for candidate in (folded, _BRACKETS.sub("", folded)):
        if candidate in _CODE:
            return "code"
        if candidate in ("điểm", "số điểm") or candidate.startswith(_MAX):
            return "max"
        if candidate.startswith(_RULE):
            return "rule"
        if candidate.startswith(_EVIDENCE):
            return "evidence"
        if candidate.startswith(_DEADLINE):
            return "deadline"
        if candidate.startswith(_TITLE):
            return "title"
    return None


@dataclass(frozen=True)
class Header:
    """Where a table's header is and what its columns hold."""

    row: int
    """0-based row of the header's first row."""
    body: int
    """0-based row where the items start (after a second header row and a numbering row)."""
    columns: dict[str, int]
    """Field → column, the first column naming it."""
    labels: dict[int, str]
    """Column → the header's text, to recognise the header where a page break repeats it."""

    def has(self, name: str) -> bool:
        """True if the table has that column."""
        return name in self.columns


def _names(top: list[str], sub: list[str] | None) -> dict[str, int]:
    columns: dict[str, int] = {}
    for column, text in enumerate(top):
        below = sub[column] if sub is not None and column < len(sub) else ""
        if below and below != text:
            # Under a merged "Điểm" the second row decides: "Tối đa" is the max, "Đạt được" not.
            name = header_name(f"{text} {below}") or header_name(below)
        else:
            name = header_name(text)
        if name is not None:
            columns.setdefault(name, column)
    return columns


def _is_sub_header(top: list[str], row: list[str]) -> bool:
    """A second header row: nothing new under the code and title columns, labels elsewhere."""
    named = _names(top, None)
    return is_sub_header(top, row, (named.get("code", 0), named.get("title", 1)))


def find_header(rows: list[list[str]], search: int = SEARCH_ROWS) -> Header | None:
    """The first row (with the one under it) naming a title and a max column, or None."""
    for index, row in enumerate(rows[:search]):
        nxt = rows[index + 1] if index + 1 < len(rows) else []
        sub = nxt if _is_sub_header(row, nxt) else None
        columns = _names(row, sub)
        if "title" in columns and "max" in columns:
            body = index + 1 + (sub is not None)
            if body < len(rows) and is_numbering(rows[body]):
                body += 1
            labels = {c: fold(t) for c, t in enumerate(row) if t}
            return Header(index, body, columns, labels)
    return None


def repeats_header(header: Header, row: list[str]) -> bool:
    """True for a header row repeated after a page break (or its second row)."""
    same = sum(
        1 for c, label in header.labels.items() if c < len(row) and row[c] and fold(row[c]) == label
    )
    return same >= 2 or is_numbering(row)
