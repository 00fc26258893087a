"""Dates as officers type them: 15/01/2024, 10/5/2023, 15.01.2024, 15-01-2024, 2024-01-15,
'ngày 10 tháng 5 năm 2023'; and the half-typed ones ('ngày .../.../2024', 31/02/2024).

One parser for every input and every option. A two-digit year ('1/1/99') is never guessed: in a
text it is a malformed date, as an option it is refused with a message that says so.
"""

from __future__ import annotations

import re
from datetime import date

FIRST_YEAR = 1945
LAST_YEAR = 2100

_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})(?![\d/])")
_ISO = re.compile(r"(?<![\d/.-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d/-])")
# 'ngày', 'tháng', 'năm' with or without their marks (NFC text: one character each).
_WORDS = re.compile(
    r"\bng[aà]y\s*(\d{1,2})\s*th[aá]ng\s*(\d{1,2})\s*,?\s*n[aă]m\s*(\d{4})(?!\d)", re.IGNORECASE
)
_HALF = re.compile(
    r"\bng[aà]y\s*(?:[.…_]|\d{1,2}\s*[/.-]\s*\d{1,2}(?!\s*[/.-]?\s*\d)|\d{1,2}\s*th[aá]ng)",
    re.IGNORECASE,
)


def _make(day: str, month: str, year: str) -> date | None:
    full = int(year)
    if len(year) != 4 or not FIRST_YEAR <= full <= LAST_YEAR:
        return None
    try:
        return date(full, int(month), int(day))
    except ValueError:
        return None


def spans(text: str, start: int, stop: int) -> list[tuple[int, int, date | None]]:
    """Date-shaped spans in text[start:stop]: (start, end, the date or None if impossible)."""
    found = [
        (m.start(), m.end(), _make(m[1], m[3], m[4])) for m in _NUMERIC.finditer(text, start, stop)
    ]
    found += [
        (m.start(), m.end(), _make(m[3], m[2], m[1])) for m in _ISO.finditer(text, start, stop)
    ]
    found += [
        (m.start(), m.end(), _make(m[1], m[2], m[3])) for m in _WORDS.finditer(text, start, stop)
    ]
    return sorted(found, key=lambda span: span[0])


def find_date(text: str, start: int = 0, end: int | None = None) -> tuple[date | None, bool]:
    """The first date in text[start:end], and whether a date there is malformed.

    `text` is NFC; 'ngày', 'tháng', 'năm' are matched with or without their marks.
    """
    stop = len(text) if end is None else end
    found = spans(text, start, stop)
    if found:
        return found[0][2], found[0][2] is None
    return None, _HALF.search(text, start, stop) is not None


def parse_date(text: str) -> date | None:
    """A date typed on its own ('15/12/2024', 'ngày 15 tháng 12 năm 2024'), else None."""
    text = text.strip()
    found = spans(text, 0, len(text))
    return found[0][2] if len(found) == 1 and found[0][:2] == (0, len(text)) else None


def parse_day(text: str) -> date:
    """A date given as an option ('15/01/2025', '15.01.2025', '2025-01-15', 'ngày 15 tháng 01 năm
    2025'); ValueError with a Vietnamese message otherwise."""
    parsed = parse_date(text)
    if parsed is not None:
        return parsed
    cleaned = text.strip()
    found = spans(cleaned, 0, len(cleaned))
    if len(found) == 1 and re.search(r"[/.-]\s*\d{2}$", cleaned):
        raise ValueError(f"ngày '{cleaned}': năm phải ghi đủ 4 chữ số (vd. 15/01/2025)")
    raise ValueError(f"'{cleaned}' không phải một ngày (ghi dạng ngày/tháng/năm, vd. 15/01/2025)")
