"""Vietnamese text without its diacritics, one character for one, so positions still match."""

from __future__ import annotations

import unicodedata


def _table() -> dict[int, str]:
    table = {ord("đ"): "d", ord("Đ"): "D"}
    for block in (range(0xC0, 0x250), range(0x1E00, 0x1F00)):
        for code in block:
            base = unicodedata.normalize("NFD", chr(code))[0]
            if base != chr(code) and base.isascii():
                table[code] = base
    return table


_TABLE = _table()


def strip_marks(text: str) -> str:
    """'Kế hoạch ngày' → 'Ke hoach ngay'; the result has the length of the NFC input."""
    return text.translate(_TABLE)
