"""Stamped workbooks (built once per group) equal the ones built for each unit."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from cchc.criteria.model import CriteriaSet
from cchc.templates.builder import build_workbook, generate, workbook_name, write_workbook
from cchc.templates.collect import check_folder
from cchc.units.model import Unit
from tests.workbooks import PHUONG, XA

ODD = Unit(code="X<&>", name='=HYPERLINK("http://x";"y") & <b>Bình</b>', group="xa")


def cells(path: Path) -> dict[str, list[tuple[object, str]]]:
    book = load_workbook(path)
    return {
        ws.title: [(c.value, c.data_type) for row in ws.iter_rows() for c in row]
        for ws in book.worksheets
    }


def test_stamped_equals_built(mini: CriteriaSet, tmp_path: Path) -> None:
    units = [XA, PHUONG, ODD]
    stamped = generate(mini, units, 2024, tmp_path / "stamped", "15/12/2024")
    for unit, path in zip(units[:2], stamped, strict=False):
        built = build_workbook(mini, unit, 2024, "15/12/2024")
        direct = write_workbook(built, tmp_path / "built" / workbook_name(unit, 2024))
        assert cells(path) == cells(direct), unit.code
    # The odd name is text, never a formula, and each workbook is recognised as its unit's.
    odd = [cell for sheet in cells(stamped[2]).values() for cell in sheet]
    assert (ODD.name, "s") in odd and not any(
        kind == "f" and "HYPERLINK" in str(v) for v, kind in odd
    )
    meta = {
        row[0]: row[1] for row in load_workbook(stamped[2])["_meta"].iter_rows(values_only=True)
    }
    assert (meta["unit_code"], meta["unit_name"]) == (ODD.code, ODD.name)
    report = check_folder(tmp_path / "stamped", 2024, units, lambda ref, year: mini)
    assert sorted(s.unit_code or "" for s in report.submissions) == sorted(u.code for u in units)
