"""A set's facts from the heading printed above its table: title, year, issuing document, level.

Annexes open with lines such as `BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA CÁC SỞ NĂM
2025` and `(Kèm theo Quyết định số 123/QĐ-UBND ngày 05/01/2025 của UBND tỉnh …)`.
"""

from __future__ import annotations

import re
from typing import Any

from cchc.core.text import fold

_TITLE_WORDS = (
    "bộ tiêu chí",
    "bộ chỉ số",
    "chỉ số cải cách",
    "chỉ số cchc",
    "chỉ số hài lòng",
    "tiêu chí đánh giá",
)
_YEAR = re.compile(r"\bnăm\s+(20\d{2})\b", re.IGNORECASE)
_ISSUED = re.compile(r"^\(?\s*kèm theo\s+(?P<doc>.+?)\s*\)?$", re.IGNORECASE)
_CITED = re.compile(r"^\((?P<doc>.*\b(?:quyết định|thông tư|công văn|kế hoạch)\b.*)\)$", re.I)
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
    named = [line for line in flat if any(w in fold(line) for w in _TITLE_WORDS)]
    # A title is printed in capitals; a line such as 'Bộ tiêu chí mẫu – …' is a remark.
    title = next((line for line in named if line.isupper()), named[0] if named else None)
    if title is not None:
        facts["title"] = sentence_case(title) if title.isupper() else title
        folded = fold(title)
        level = next((code for word, code in _LEVELS if re.search(rf"\b{word}\b", folded)), None)
        if level is not None:
            facts["level"] = level
    # The year assessed is the title's (or a line in capitals): the decision's own date may be
    # the year before.
    for line in [title or "", *(line for line in flat if line.isupper())]:
        if match := _YEAR.search(line):
            facts["year"] = int(match[1])
            break
    for pattern in (_ISSUED, _CITED):
        match = next((m for line in flat if (m := pattern.match(line))), None)
        if match is not None:
            facts["issued_by"] = match["doc"]
            break
    return facts
