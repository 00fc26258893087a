"""Exact arithmetic and Vietnamese number habits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cchc.core.dates import find_date, parse_day
from cchc.core.numbers import fmt, parse_number, pct, round_points, signed


def test_half_up_where_binary_floats_fail() -> None:
    assert round(2.675, 2) == 2.67  # the float trap this module exists to avoid
    assert round_points(Decimal("2.675")) == Decimal("2.68")
    assert round_points(Decimal("0.125")) == Decimal("0.13")
    assert round_points(Decimal("85.245"), 2) == Decimal("85.25")
    assert round_points(Decimal("1.25"), 1) == Decimal("1.3")


@pytest.mark.parametrize(
    ("value", "text"),
    [("0.5", "0,5"), ("2.50", "2,5"), ("1234.5", "1.234,5"), ("100", "100"), ("0", "0")],
)
def test_fmt(value: str, text: str) -> None:
    assert fmt(Decimal(value)) == text


def test_fmt_fixed_places() -> None:
    assert fmt(Decimal("85.245"), 2) == "85,25"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0,5", "0.5"),
        (" 1.234 ", "1234"),
        ("1.234,5", "1234.5"),
        ("0.5", "0.5"),
        ("95%", "95"),
        ("-0,25", "-0.25"),
        ("1\u00a0234", "1234"),
        ("0.125", "0.125"),  # a leading 0 is never a thousands group
        ("0.802", "0.802"),
        ("12.500", "12500"),
        ("85,0 %", "85.0"),
    ],
)
def test_parse_number(text: str, value: str) -> None:
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "1,2,3"])
def test_parse_number_rejects(text: str) -> None:
    assert parse_number(text) is None


def test_pct_and_signed() -> None:
    assert (pct(Decimal("85.245")), pct(Decimal("7"), "%"), pct(None)) == ("85,25", "7,00%", "—")
    assert signed(Decimal("1.25")) == "+1,25" and signed(Decimal("-0.5")) == "−0,50"
    assert (signed(Decimal(0)), signed(2), signed(-1), signed(None)) == ("0,00", "+2", "−1", "—")


@pytest.mark.parametrize(
    "text",
    [
        "15/01/2025",
        "15/1/2025",
        "15.01.2025",
        "15-01-2025",
        "2025-01-15",
        "ngày 15 tháng 01 năm 2025",
    ],
)
def test_one_date_parser_for_every_option(text: str) -> None:
    assert parse_day(text) == date(2025, 1, 15)


def test_a_two_digit_year_is_never_guessed() -> None:
    with pytest.raises(ValueError, match="năm phải ghi đủ 4 chữ số"):
        parse_day("1/1/99")
    assert find_date("Số 12/QĐ-UBND ngày 1/1/99") == (None, True)  # malformed, not 2099


def test_a_date_that_does_not_exist_is_refused() -> None:
    with pytest.raises(ValueError, match="'31/02/2025' không phải một ngày"):
        parse_day("31/02/2025")
