"""A set's facts from the heading printed above its table: title, year, issuing document, level.

Annexes open with lines such as `BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA CÁC SỞ NĂM
2025` and `(Kèm theo Quyết định số 123/QĐ-UBND ngày 05/01/2025 của UBND tỉnh …)`.
"""

from __future__ import annotations

import re
from typing import Any

from cchc.core.text import fold

_TITLE_WORDS = ("bộ tiêu chí", "chỉ số cải cách", "chỉ số cchc", "tiêu chí đánh giá")
_YEAR = re.compile(r"\bnăm\s+(20\d{2})\b", re.IGNORECASE)
_ISSUED = re.compile(r"^\(?\s*kèm theo\s+(?P<doc>.+?)\s*\)?$", re.IGNORECASE)
_LEVELS = (
    ("xã", "xa"),
    ("phường", "xa"),
    ("sở", "so"),
    ("huyện", "huyen"),
    ("tỉnh", "tinh"),
)


ACRONYMS = frozenset(
    ("CCHC", "UBND", "HĐND", "TTHC", "CNTT", "XHH", "SIPAS", "PAR", "INDEX", "KT-XH", "QĐ", "BNV")
)
"""Words a heading in capitals keeps in capitals when it becomes a title."""


def sentence_case(text: str) -> str:
    """'BỘ TIÊU CHÍ CCHC CỦA UBND CẤP XÃ' → 'Bộ tiêu chí CCHC của UBND cấp xã'."""
    words = [w if w.strip(",.;:()") in ACRONYMS else w.lower() for w in text.split(" ")]
    joined = " ".join(words)
    return joined[:1].upper() + joined[1:]


def heading_facts(lines: list[str]) -> dict[str, Any]:
    """What the heading lines say of the set: title, year, issued_by, level (each if found)."""
    facts: dict[str, Any] = {}
    flat = [" ".join(line.split()) for line in lines if line.strip()]
    title = next((line for line in flat if any(w in fold(line) for w in _TITLE_WORDS)), None)
    if title is not None:
        facts["title"] = sentence_case(title) if title.isupper() else title
        folded = fold(title)
        level = next((code for word, code in _LEVELS if re.search(rf"\b{word}\b", folded)), None)
        if level is not None:
            facts["level"] = level
    for line in [title, *flat] if title else flat:
        if line and (match := _YEAR.search(line)):
            facts["year"] = int(match[1])
            break
    for line in flat:
        if match := _ISSUED.match(line):
            facts["issued_by"] = match["doc"]
            break
    return facts
