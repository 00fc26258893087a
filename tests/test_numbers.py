"""Exact arithmetic and Vietnamese number habits."""

from __future__ import annotations

from decimal import Decimal

import pytest

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
