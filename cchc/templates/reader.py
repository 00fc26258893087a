"""Read a filled unit workbook: never trust cached formulas, never modify the file."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from cchc.core.issues import Severity, cell_ref
from cchc.core.numbers import fmt
from cchc.core.text import fold
from cchc.criteria.model import (
    CriteriaSet,
    Item,
    effective_method,
)
from cchc.readers.cells import cell_number, cell_text
from cchc.readers.guard import WORKBOOK, Refused, parse_book, read_checked, sheet_rows
from cchc.readers.headers import find_header
from cchc.scoring.rules import Entry, Status, evaluate
from cchc.scoring.submission import LeafResult, Submission
from cchc.templates.layout import COLUMNS, META_SHEET, SELF_SHEET

EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")


def open_rows(path: Path, sub: Submission) -> tuple[list[list[Any]], dict[str, str]] | None:
    """The self-assessment rows and the _meta values, or None (with an issue) if unreadable.

    The file passes the guards of cchc.readers.guard (size, format, zip, grid: WORKBOOK) first.
    """
    if path.suffix.lower() not in EXTENSIONS:
        sub.add("not_a_workbook", "tệp không phải sổ tính Excel/ODS (.xlsx, .xlsm, .xls, .ods)")
        return None
    try:
        data = read_checked(path, WORKBOOK)
        sub.sha256 = hashlib.sha256(data).hexdigest()
        book = parse_book(data)
        names = {fold(n): n for n in book.sheet_names}
        self_name = names.get(fold(SELF_SHEET))
        if self_name is None:
            sub.add("sheet_missing", f"không có trang '{SELF_SHEET}'", sheet=SELF_SHEET)
            return None
        rows = sheet_rows(book, self_name, WORKBOOK)
        meta: dict[str, str] = {}
        if META_SHEET in book.sheet_names:
            for row in sheet_rows(book, META_SHEET, WORKBOOK):
                if len(row) >= 2 and row[0]:
                    meta[cell_text(row[0])] = cell_text(row[1])
    except Refused as exc:
        sub.add(exc.refusal.code, exc.refusal.message, sheet=exc.refusal.sheet)
        return None
    except Exception as exc:  # calamine reports corrupt content with several error types
        message = f"sổ tính hỏng hoặc không đúng định dạng (trình đọc báo: {exc})"
        sub.add("workbook_corrupt", message)
        return None
    return rows, meta


_TITLES = {fold(title): name for name, title, _ in COLUMNS}


def _header(rows: list[list[Any]]) -> tuple[int, dict[str, int]] | None:
    """The header row (0-based) and each known column's position, found by folded titles."""
    return find_header(rows, lambda text: _TITLES.get(fold(text)), ("code", "points"))


PercentFormats = Callable[[set[tuple[int, int]]], set[tuple[int, int]] | None]
"""Which of the (row, column) cells are percent-formatted; None when the formats are unknown."""


def read_leaves(
    rows: list[list[Any]],
    criteria: CriteriaSet,
    group: str | None,
    sub: Submission,
    formats: PercentFormats | None = None,
) -> None:
    """Find every leaf's row by its code, parse the inputs, and score them by the rules.

    A percentage figure held as a number from 0 to 1 is 85 % when its cell is percent-formatted
    (Excel and LibreOffice store '85%' typed as 0,85): `formats` tells, asked once per workbook.
    """
    found = _header(rows)
    if found is None:
        sub.add(
            "structure_edited",
            "không tìm thấy dòng tiêu đề (cột Mã, Điểm tự chấm)",
            sheet=SELF_SHEET,
        )
        return
    header, columns = found
    missing_columns = [t for n, t, _ in COLUMNS if n not in columns]
    if missing_columns:
        sub.add(
            "structure_edited",
            f"thiếu cột: {', '.join(missing_columns)}",
            sheet=SELF_SHEET,
            cell=cell_ref(header, 0),
        )
    by_code: dict[str, int] = {}
    for index in range(header + 1, len(rows)):
        code = cell_text(_get(rows[index], columns.get("code")))
        if not code or code.isspace():
            continue
        if code in by_code:
            sub.add(
                "duplicate_row",
                f"mã {code} xuất hiện nhiều lần",
                sheet=SELF_SHEET,
                cell=cell_ref(index, columns["code"]),
                item=code,
            )
            continue
        by_code[code] = index
    known, leaves = _plan(criteria, group)
    for code, index in by_code.items():
        if code not in known:
            sub.add(
                "unknown_row",
                f"dòng có mã '{code}' không thuộc bộ tiêu chí, đã bỏ qua",
                Severity.WARNING,
                sheet=SELF_SHEET,
                cell=cell_ref(index, columns["code"]),
            )
    percent = _percent_cells(rows, leaves, by_code, columns, formats, sub)
    for item in leaves:
        at = by_code.get(item.code)
        if at is None:
            sub.add(
                "row_missing",
                "không tìm thấy dòng của mục này (dòng bị xóa?)",
                sheet=SELF_SHEET,
                item=item.code,
            )
            continue
        _read_leaf(item, rows[at], at, columns, group, sub, percent, criteria.precision.points)


def _percent_cells(
    rows: list[list[Any]],
    leaves: list[Item],
    by_code: dict[str, int],
    columns: dict[str, int],
    formats: PercentFormats | None,
    sub: Submission,
) -> set[tuple[int, int]]:
    """The percentage-figure cells whose number from 0 to 1 is a fraction (0,85 → 85 %)."""
    column = columns.get("figure1")
    if column is None:
        return set()
    unclear: dict[tuple[int, int], str] = {}
    for item in leaves:
        at = by_code.get(item.code)
        if at is None or not any(f.kind == "percent" for f in item.figures):
            continue
        value = _get(rows[at], column)
        if _fraction_like(value):
            unclear[(at, column)] = item.code
    if not unclear:
        return set()
    found = formats(set(unclear)) if formats is not None else None
    if found is not None:
        return found
    for (at, col), code in unclear.items():
        held = Decimal(repr(rows[at][col]))
        sub.add(
            "percent_unclear",
            f"ô ghi {fmt(held)}, được tính là {fmt(held)} %; nếu là {fmt(held * 100)} % "
            f"thì gõ {fmt(held * 100)}",
            Severity.WARNING,
            sheet=SELF_SHEET,
            cell=cell_ref(at, col),
            item=code,
        )
    return set()


def _fraction_like(value: Any) -> bool:
    """A stored number that may be a percentage typed with '%' (0 < value ≤ 1)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= 1


_PLANS: dict[tuple[int, str | None], tuple[CriteriaSet, set[str], list[Item]]] = {}


def _plan(criteria: CriteriaSet, group: str | None) -> tuple[set[str], list[Item]]:
    """All codes, and the self-assessed leaves that apply to the group (cached per set)."""
    key = (id(criteria), group)
    cached = _PLANS.get(key)
    if cached is None or cached[0] is not criteria:
        leaves = [
            item
            for item, ancestors in criteria.walk()
            if item.is_leaf
            and effective_method(item, ancestors) != "survey"
            and (item.applies_to is None or group is None or group in item.applies_to)
        ]
        cached = _PLANS[key] = (criteria, {i.code for i, _ in criteria.walk()}, leaves)
    return cached[1], cached[2]


def _get(row: list[Any], column: int | None) -> Any:
    return row[column] if column is not None and column < len(row) else None


def _read_leaf(
    item: Item,
    row: list[Any],
    index: int,
    columns: dict[str, int],
    group: str | None,
    sub: Submission,
    percent: set[tuple[int, int]],
    places: int,
) -> None:
    values: dict[str, Decimal | None] = {}
    wrong: set[str] = set()
    for name in ("figure1", "figure2", "points"):
        value = cell_number(_get(row, columns.get(name)))
        if isinstance(value, Decimal) and (index, columns.get(name)) in percent:
            value *= 100  # '85%' stored as 0,85 in a percent-formatted cell
        if isinstance(value, str):
            wrong.add(name)
            sub.add(
                "wrong_type",
                f"'{value}' không phải là số",
                sheet=SELF_SHEET,
                cell=cell_ref(index, columns[name]),
                item=item.code,
            )
            value = None
        values[name] = value
    choice = cell_text(_get(row, columns.get("choice"))) or None
    computed = item.rule is not None and item.rule.kind != "manual"
    typed = values["points"]
    entry = Entry(values["figure1"], values["figure2"], choice, None if computed else typed)
    top = item.applies_to.get(group) if item.applies_to and group else None
    outcome = evaluate(item, entry, top, places)
    for code, column, message in outcome.problems:
        if column in wrong:
            continue  # already reported as not a number
        sub.add(
            code,
            message,
            sheet=SELF_SHEET,
            cell=cell_ref(index, columns.get(column, 0)),
            item=item.code,
        )
    scored = outcome.status is not Status.MISSING
    if computed and typed is not None and scored and typed != outcome.points:
        sub.add(
            "points_disagree",
            f"điểm ghi trong sổ ({fmt(typed)}) khác điểm tính theo cách chấm "
            f"({fmt(outcome.points)})",
            Severity.WARNING,
            sheet=SELF_SHEET,
            cell=cell_ref(index, columns["points"]),
            item=item.code,
        )
    sub.sheet = SELF_SHEET
    sub.leaves[item.code] = LeafResult(
        code=item.code,
        row=index + 1,
        entry=entry,
        outcome=outcome,
        evidence=cell_text(_get(row, columns.get("evidence"))),
        explanation=cell_text(_get(row, columns.get("explanation"))),
    )
