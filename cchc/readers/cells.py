"""Cell values as read by python-calamine: clean text, and exact decimals (decimal comma too)."""

from __future__ import annotations

import math
import unicodedata
from decimal import Decimal
from typing import Any

from cchc.core.numbers import parse_number


def cell_text(value: Any) -> str:
    """A cell from any reader as NFC text without surrounding spaces: 1.0 → '1', None → ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float):
        number = Decimal(repr(value))
        return format(number.normalize(), "f") if number == number.to_integral() else repr(value)
    return unicodedata.normalize("NFC", str(value)).strip()


def cell_number(value: Any) -> Decimal | str | None:
    """A cell as a decimal; '' → None; text that is not a number is returned as is, and so is a
    number that is not finite (inf, nan: an overflowing '1e400'), as its text."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return cell_text(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else repr(value)
    text = cell_text(value)
    if not text:
        return None
    parsed = parse_number(text)
    return parsed if parsed is not None else text
