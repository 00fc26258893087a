"""A fixture factory for unit workbooks: generate a template and fill it as a unit would."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from cchc.criteria.model import CriteriaSet
from cchc.templates.builder import build_workbook, write_workbook
from cchc.templates.layout import HEADER_ROW, LETTER, SELF_SHEET
from cchc.units.model import Unit

Cells = dict[str, dict[str, object]]
"""Per item code, per column name (figure1, figure2, choice, points, evidence, explanation)."""

XA = Unit(code="X01", name="UBND xã Tân Lập", group="xa")
PHUONG = Unit(code="P02", name="UBND phường Đông Hà", group="phuong")


def filled(
    criteria: CriteriaSet, unit: Unit, values: Cells, target: Path, year: int = 2024
) -> Path:
    """Write the unit's template to `target`, then type the values into it."""
    write_workbook(build_workbook(criteria, unit, year), target)
    wb = load_workbook(target)
    ws = wb[SELF_SHEET]
    rows = {ws.cell(r, 1).value: r for r in range(HEADER_ROW + 1, ws.max_row + 1)}
    for code, cells in values.items():
        for column, value in cells.items():
            ws[f"{LETTER[column]}{rows[code]}"] = value  # type: ignore[assignment]
    wb.save(target)
    return target


# A complete, hand-scored entry for the mini set, unit X01 (group xa).
MINI_X01: Cells = {
    "1.1.1": {"choice": "Ban hành không kịp thời", "evidence": "Kế hoạch số 12/KH-UBND"},  # 0.5
    "1.1.2": {"choice": "Đạt"},  # 1
    "1.1.4": {"figure1": 18, "figure2": 20},  # 90% is not above 90 → 1
    "1.2.1": {"figure1": 7},  # from 5 below 10 → 0.5
    "1.2.2": {"figure1": 80},  # from 80 → 1.5
    "1.2.3": {"points": 1.25},  # manual, step 0.25 → 1.25
    "2.1": {"figure1": 89, "figure2": 100},  # 3 × 89% = 2.67
    "2.2": {"figure1": 2},  # 1 − 2 × 0.25 = 0.5
    "2.3": {"choice": "Không đạt"},  # 0
    "2.4": {"figure1": 66.6},  # 2 × 66.6% = 1.332 → 1 decimal → 1.3
    "T.1": {"choice": "Đạt"},  # bonus 1
    "T.2": {"figure1": 3},  # 0.75 clamped to max 0.5; group capped at 1
    "P.1": {"figure1": 1},  # penalty 0.5
}
MINI_X01_POINTS = {
    "1.1.1": "0.5",
    "1.1.2": "1",
    "1.1.4": "1",
    "1.2.1": "0.5",
    "1.2.2": "1.5",
    "1.2.3": "1.25",
    "2.1": "2.67",
    "2.2": "0.5",
    "2.3": "0",
    "2.4": "1.3",
    "T.1": "1",
    "T.2": "0.5",
    "P.1": "0.5",
}
# Workbook total: domains 1 (5.75) + 2 (4.47) + 3 (survey, 0) + bonus min(1, 1.5) − penalty 0.5
MINI_X01_TOTAL = "10.72"
