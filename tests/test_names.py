"""File names made from unit names and codes are valid on Windows (cchc.core.names)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.core.names import MAX_NAME, safe_name
from cchc.reports.plan_files import PlanJob
from cchc.templates.builder import workbook_name
from cchc.units.model import Unit
from tests.pair import pair_runs

DEVICES = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(1, 10)}


def valid_on_windows(name: str) -> bool:
    """What Windows accepts as one path component, as its documentation states it."""
    return (
        0 < len(name) <= 255
        and not re.search(r'[<>:"/\\|?*\x00-\x1f]', name)
        and not name.endswith((".", " "))
        and name.split(".")[0].rstrip(" ").upper() not in DEVICES
    )


@pytest.mark.parametrize(
    ("text", "suffix", "expected"),
    [
        ("CON", "", "_CON"),
        ("aux", ".xlsx", "_aux.xlsx"),
        ("COM1 ", ".docx", "_COM1.docx"),
        ("Lpt9.2024", ".xlsx", "_Lpt9.2024.xlsx"),
        ("CONSOLE", "", "CONSOLE"),
        ('X01 - UBND xã A/B: "Tân" <Lập>?|*\\', ".xlsx", "X01 - UBND xã A_B_ _Tân_ _Lập_____.xlsx"),
        ("X01. ", "", "X01"),
        ("  . ", ".xlsx", "don-vi.xlsx"),
        ("a\tb\nc", "", "a b c"),
    ],
)
def test_names_windows_refuses_are_made_valid(text: str, suffix: str, expected: str) -> None:
    assert safe_name(text, suffix) == expected
    assert valid_on_windows(expected)


def test_a_long_name_is_cut_and_keeps_its_suffix() -> None:
    name = safe_name("X01 - " + "Ủy ban nhân dân xã " * 20, ".xlsx")
    assert len(name) == MAX_NAME and name.startswith("X01 - Ủy ban nhân dân xã Ủy")
    assert name.endswith(".xlsx") and valid_on_windows(name)


def test_vietnamese_is_kept_composed() -> None:
    decomposed = unicodedata.normalize("NFD", "UBND xã Tân Lập")
    assert safe_name(decomposed) == unicodedata.normalize("NFC", "UBND xã Tân Lập")


@given(st.text(max_size=300), st.sampled_from(["", ".xlsx", ".docx", ".html"]))
def test_every_name_is_valid_on_windows(text: str, suffix: str) -> None:
    name = safe_name(text, suffix)
    assert valid_on_windows(name) and name.endswith(suffix) and len(name) <= MAX_NAME


def test_the_unit_workbook_is_named_validly() -> None:
    unit = Unit(code="CON", name='UBND xã "Mới": A/B.', group="xa")
    assert workbook_name(unit, 2024) == "CON - UBND xã _Mới__ A_B. - 2024.xlsx"


def test_plans_of_a_unit_coded_as_a_device_go_to_a_valid_folder(tmp_path: Path) -> None:
    _, run = pair_runs()
    first = run.units[0]
    run.units[0] = replace(first, unit=first.unit.model_copy(update={"code": "AUX"}))
    _, files = PlanJob(run, None, {}, tmp_path, per_unit=True).write("AUX")
    assert files and {f.parent for f in files} == {tmp_path / "_AUX"}
