"""Exact decimals: half-up rounding, Vietnamese formatting and parsing (decimal comma)."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

TWO_PLACES = Decimal("0.01")


def round_points(value: Decimal, places: int = 2) -> Decimal:
    """Round half-up to the given number of decimals (2.675 → 2.68)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def places_of(value: Decimal) -> int:
    """Decimals a value needs when written without trailing zeros (0,2500 → 2; 3 → 0)."""
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def fmt(value: Decimal | int, places: int | None = None) -> str:
    """Format for Vietnamese readers: decimal comma, no trailing zeros ('0,5', '1.234,25')."""
    number = Decimal(value)
    if places is not None:
        number = round_points(number, places)
        text = f"{number:,.{places}f}"
    else:
        text = f"{number.normalize():,f}" if number != 0 else "0"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


# Thousands groups after a first group that is not 0: '1.234' is 1234, '0.125' is 0,125.
_NUMBER = re.compile(r"^[+-]?([1-9]\d{0,2}(\.\d{3})+|\d+)(,\d+)?$")
_DOT_DECIMAL = re.compile(r"^[+-]?\d+\.\d+$")


def parse_number(text: str) -> Decimal | None:
    """Parse '0,5', '1.234', '1.234,5', '0.5', '0.125', '12%' (→ 12); None if not a number."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").rstrip("%")
    if not cleaned:
        return None
    if _NUMBER.match(cleaned):
        candidate = cleaned.replace(".", "").replace(",", ".")
    elif _DOT_DECIMAL.match(cleaned):
        candidate = cleaned
    else:
        return None
    try:
        return Decimal(candidate)
    except InvalidOperation:
        return None


def number_format(places: int = 2) -> str:
    """The spreadsheet number format showing `places` decimals: '0', '0.0', '0.00', '0.0000'."""
    return "0." + "0" * places if places > 0 else "0"


def pct(value: Decimal | None, sign: str = "", places: int = 2) -> str:
    """An index or share with `places` decimals ('85,25', with sign='%': '85,25%'); '—'."""
    return "—" if value is None else f"{fmt(value, places)}{sign}"


def signed(value: Decimal | int | None, places: int = 2) -> str:
    """A change with its sign: '+1,25', '−0,50', '0,00'; integers as they are ('+2'); '—'."""
    if value is None:
        return "—"
    text = fmt(value, places) if isinstance(value, Decimal) else str(value)
    if value == 0:
        return text
    return text.replace("-", "−") if value < 0 else f"+{text}"
