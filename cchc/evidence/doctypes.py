"""Document type codes (Nghị định 30/2020/NĐ-CP, Phụ lục III) and the words that name them."""

from __future__ import annotations

import re

from cchc.evidence.marks import strip_marks

NAMES = {
    "KH": "kế hoạch",
    "BC": "báo cáo",
    "QĐ": "quyết định",
    "TB": "thông báo",
    "CV": "công văn",
    "NQ": "nghị quyết",
    "CT": "chỉ thị",
    "TTr": "tờ trình",
    "BB": "biên bản",
    "HD": "hướng dẫn",
    "KL": "kết luận",
    "CTr": "chương trình",
    "ĐA": "đề án",
    "PA": "phương án",
    "QC": "quy chế",
    "QyĐ": "quy định",
    "GM": "giấy mời",
    "CĐ": "công điện",
    "NĐ": "nghị định",
    "TT": "thông tư",
    "TTLT": "thông tư liên tịch",
    "HĐ": "hợp đồng",
}
"""Canonical code → Vietnamese name. CV is not printed in a công văn's number (số 12/UBND-VP)."""

_EXACT = {code.upper(): code for code in NAMES}
# Typed without diacritics: QD is QĐ; HD stays hướng dẫn (HĐ, hợp đồng, needs its Đ).
_UNMARKED = {strip_marks(code).upper(): code for code in NAMES if code != "HĐ"}
_WORDS = {strip_marks(name): code for code, name in NAMES.items()} | {"van ban": "CV"}
_WORD = re.compile(
    r"(?<!\w)(?:"
    + "|".join(sorted((w.replace(" ", r"\s+") for w in _WORDS), key=len, reverse=True))
    + r"|(?-i:(?P<code>[A-Z]{2,4}|CTr|TTr|QyD)))(?!\w)",
    re.IGNORECASE,
)


def canonical(code: str) -> str | None:
    """The canonical type code ('qd' → 'QĐ', 'TTR' → 'TTr'), or None if not a type code."""
    upper = code.upper()
    return _EXACT.get(upper) or _UNMARKED.get(strip_marks(upper))


def named_type(text: str) -> str | None:
    """The type the first type word or abbreviation in the text names ('Kế hoạch số' → 'KH')."""
    unmarked = strip_marks(text)
    for match in _WORD.finditer(unmarked):
        code = match.group("code")
        if code is None:
            return _WORDS[" ".join(match.group().lower().split())]
        if code.upper() in ("CV", "VB"):
            return "CV"
        found = canonical(text[match.start() : match.end()])
        if found is not None:
            return found
    return None


def label(code: str) -> str:
    """'kế hoạch (KH)', or the code alone if it is not one we know."""
    name = NAMES.get(code)
    return f"{name} ({code})" if name else code
