"""Read official results published by a higher level: points per unit and item.

Two layouts are accepted, found by their column titles: a long table (Mã đơn vị | Mã | Điểm)
on any sheet, or cchc's own results workbook, whose unit sheets are named by unit code and
carry a 'Điểm đạt' column.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from cchc.core.issues import Issue, Severity, cell_ref
from cchc.core.text import fold
from cchc.readers.cells import cell_number, cell_text
from cchc.readers.guard import Refused
from cchc.readers.headers import find_header
from cchc.readers.table import Unreadable, read_table

LeafOf = Callable[[str, str], Decimal | None]
"""(unit code, item code) → the leaf's maximum for that unit, None if unknown."""
UNIT_TITLES = {"mã đơn vị", "mã đv"}
CODE_TITLES = {"mã", "mã tiêu chí"}
POINT_TITLES = {"điểm đạt", "điểm đạt được", "điểm chính thức", "điểm"}


_COLUMNS = {
    title: name
    for name, titles in (("unit", UNIT_TITLES), ("code", CODE_TITLES), ("points", POINT_TITLES))
    for title in titles
}


def _header(rows: list[list[Any]]) -> tuple[int, dict[str, int]] | None:
    return find_header(rows, lambda text: _COLUMNS.get(fold(text)), ("code", "points"))


def read_official(
    path: Path, leaf_max: LeafOf
) -> tuple[dict[str, dict[str, Decimal]], list[Issue]]:
    """unit → item → official points, and every problem found (the file is never modified)."""
    values: dict[str, dict[str, Decimal]] = {}
    issues: list[Issue] = []
    try:
        sheets = list(read_table(path).items())
    except (Refused, Unreadable) as exc:
        reason = exc.refusal.message if isinstance(exc, Refused) else str(exc) or type(exc).__name__
        message = f"không đọc được bảng kết quả: {reason}"
        return values, [
            Issue(
                code="official_unreadable", severity=Severity.ERROR, message=message, file=str(path)
            )
        ]
    for name, rows in sheets:
        found = _header(rows)
        if found is None:
            continue
        header, columns = found
        for index in range(header + 1, len(rows)):
            _row(path, name, rows[index], index, columns, leaf_max, values, issues)
    if not values and not issues:
        issues.append(
            Issue(
                code="official_empty",
                severity=Severity.ERROR,
                file=str(path),
                message="không tìm thấy bảng có cột Mã và Điểm đạt",
            )
        )
    return values, issues


def _row(
    path: Path,
    sheet: str,
    row: list[Any],
    index: int,
    columns: dict[str, int],
    leaf_max: LeafOf,
    values: dict[str, dict[str, Decimal]],
    issues: list[Issue],
) -> None:
    def cell(name: str) -> Any:
        column = columns.get(name)
        return row[column] if column is not None and column < len(row) else None

    unit = cell_text(cell("unit")) if "unit" in columns else sheet
    code = cell_text(cell("code"))
    raw = cell("points")
    if not unit or not code or raw is None or raw == "":
        return
    top = leaf_max(unit, code)
    if top is None:
        return  # an inner node, a total row, or a sheet that is not a unit
    where = {"file": str(path), "sheet": sheet, "item": code}
    points = cell_number(raw)
    if not isinstance(points, Decimal) or not 0 <= points <= top:
        issues.append(
            Issue(
                code="official_invalid",
                severity=Severity.ERROR,
                cell=cell_ref(index, columns["points"]),
                **where,
                message=f"điểm '{cell_text(raw)}' của đơn vị {unit} không hợp lệ (0 – {top})",
            )
        )
        return
    values.setdefault(unit, {})[code] = points
