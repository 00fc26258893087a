"""Read official results published by a higher level: what each unit's row says.

Three shapes are found by their column titles, on any sheet (.xlsx, .xlsm, .xls, .ods) or in a
.csv file:
- a long table, one row per unit and item: `Mã đơn vị | Mã | Điểm` (a sheet without a unit
  column is the unit whose code is the sheet's name: the unit sheets of cchc's results workbook);
- a wide table, one row per unit: `Mã đơn vị` (or `Đơn vị`, the unit's name) then a column per
  item (titled by its code, `Lĩnh vực 1`, `LV1`, `1. Tên lĩnh vực` or the item's title), and the
  published `Tổng điểm`, `Chỉ số`, `Xếp loại`, `Xếp hạng` where given: the table a province
  publishes, and the ranking sheet of cchc's results workbook;
- both in one file: rows of the same unit are put together.

A header may be over two rows with merged cells, as provinces publish it: `STT | Đơn vị | Điểm
đạt được theo lĩnh vực | Tổng điểm | Chỉ số (%) | Xếp hạng`, the third title merged across the
domain columns and named in the second row (`Lĩnh vực 1 | Lĩnh vực 2 …`), the others merged down;
a row of column numbers `(1) (2) (3)…` under the header is skipped. Two columns of one title
(self-assessed and appraised points both over `LV1 LV2 …`) are refused: which is the result
cannot be told.

Nothing here knows the criteria: item titles are resolved, numbers checked against maxima and
the index computed in `cchc.scoring.official`. The file is never modified.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from cchc.core.issues import Issue, Severity, cell_ref
from cchc.core.text import fold
from cchc.readers.cells import cell_number, cell_text
from cchc.readers.csv_table import csv_rows
from cchc.readers.guard import Refused
from cchc.readers.headers import is_numbering, is_sub_header, merged_labels
from cchc.readers.table import Unreadable, read_table
from cchc.scoring.official import UnitRow, Value

UNIT_CODE_TITLES = {"mã đơn vị", "mã đv", "mã cơ quan, đơn vị"}
UNIT_NAME_TITLES = {"đơn vị", "tên đơn vị", "cơ quan, đơn vị", "tên cơ quan, đơn vị", "địa phương"}
CODE_TITLES = {"mã", "mã tiêu chí", "mã mục"}
POINT_TITLES = {"điểm đạt", "điểm đạt được", "điểm chính thức", "điểm"}
TOTAL_TITLES = {"tổng điểm", "tổng", "tổng điểm đạt được", "tổng điểm đạt"}
INDEX_TITLES = {"chỉ số", "chỉ số (%)", "chỉ số cchc", "chỉ số cchc (%)", "chỉ số par index"}
BAND_TITLES = {"xếp loại", "phân loại"}
RANK_TITLES = {"xếp hạng", "hạng", "thứ hạng"}
IGNORED_TITLES = {
    "stt",
    "tt",
    "nhóm",
    "ghi chú",
    "nội dung",
    "điểm tối đa",
    "tăng/giảm",
    "tạm tính",
    "điểm do",
    "tự chấm",
    "thẩm định lần 1",
    "thẩm định lần 2",
    "điều tra xhh",
}
"""Columns a results table carries that are not a unit's points (cchc's workbook has them)."""

_NAMED = {
    title: name
    for name, titles in (
        ("unit", UNIT_CODE_TITLES),
        ("unit_name", UNIT_NAME_TITLES),
        ("code", CODE_TITLES),
        ("points", POINT_TITLES),
        ("total", TOTAL_TITLES),
        ("index", INDEX_TITLES),
        ("band", BAND_TITLES),
        ("rank", RANK_TITLES),
    )
    for title in titles
}
PUBLISHED = ("total", "index", "band", "rank")
"""What a province publishes of a unit besides its points."""
SUMMARY_ROWS = {"tổng", "tổng cộng", "cộng", "trung bình", "bình quân", "bình quân chung"}
"""A table's own summary rows, under the units: not a unit's."""
NOT_SCORED = "không áp dụng"
"""What a long table's item row with an empty points cell stands for."""
UNIT_COLUMNS = ("unit", "unit_name", "code")
"""What names the unit in a header's first row (cchc's ranking titles the unit code 'Mã')."""
_STT = {"stt", "tt"}
HEADER_ROWS = 30
"""Rows searched for the header: a title block may come first."""


def _name(text: str) -> str | None:
    folded = fold(text)
    if folded in IGNORED_TITLES or (folded.endswith("(%)") and folded not in INDEX_TITLES):
        return "ignored"
    return _NAMED.get(folded)


@dataclass
class _Sheet:
    name: str
    rows: list[list[Any]]
    header: int
    """0-based row of the header (its first row, over two)."""
    columns: dict[str, int]
    long: bool
    labels: list[str] = field(default_factory=list)
    """Each column's title: over two rows, the second row's where it has one."""
    two_rows: bool = False
    """The header is over two rows (merged cells)."""
    body: int = 0
    """0-based row where the units start (after a second header row and a numbering row)."""


def _columns(labels: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for column, text in enumerate(labels):
        found = _name(text)
        if found is not None:
            columns.setdefault(found, column)
    columns.pop("ignored", None)
    return columns


def _table(name: str, rows: list[list[Any]], index: int, labels: list[str]) -> _Sheet | None:
    """The sheet's table if `labels` head one: a long table (item code and points), or a wide
    one (a unit column with item, total, index or rank columns; in cchc's ranking the unit code
    is titled 'Mã')."""
    columns = _columns(labels)
    long = "code" in columns and "points" in columns
    if long and ("unit" in columns or "unit_name" not in columns):
        return _Sheet(name, rows, index, columns, True, labels)
    published = any(k in columns for k in ("total", "index", "rank"))
    if published and "unit" not in columns and "code" in columns:
        columns["unit"] = columns.pop("code")
    if "code" not in columns and ("unit" in columns or (published and "unit_name" in columns)):
        return _Sheet(name, rows, index, columns, False, labels)
    return None


def _sub_header(top: list[str], row: list[str]) -> bool:
    """`row` is the second row of a header whose first row names the unit column (merged down
    over both rows), as 'STT | Đơn vị | Điểm theo lĩnh vực (merged across) | Tổng điểm' over
    '| | Lĩnh vực 1 | Lĩnh vực 2 | |'."""
    keys = [c for c, text in enumerate(top) if _name(text) in UNIT_COLUMNS or fold(text) in _STT]
    return any(_name(top[c]) in UNIT_COLUMNS for c in keys) and is_sub_header(top, row, keys)


def _increasing(row: list[str]) -> bool:
    """A numbering row's numbers go up: '(1) (2) (3)', not a unit's points '1 | 6 | 5 | 4'."""
    numbers = [int(digits) for cell in row if (digits := cell.strip("()")).isdigit()]
    return all(a < b for a, b in pairwise(numbers))


def _header(name: str, rows: list[list[Any]]) -> _Sheet | None:
    """The sheet's header, over one row or two (merged cells), and where its units start."""
    texts = [[cell_text(v) for v in row] for row in rows[: HEADER_ROWS + 2]]
    for index, top in enumerate(texts[:HEADER_ROWS]):
        below = texts[index + 1] if index + 1 < len(texts) else []
        sheet = None
        if _sub_header(top, below):
            sheet = _table(name, rows, index, merged_labels(top, below))
        if sheet is not None:
            sheet.two_rows, sheet.body = True, index + 2
        else:
            sheet = _table(name, rows, index, top)
            if sheet is None:
                continue
            sheet.body = index + 1
        body = texts[sheet.body] if sheet.body < len(texts) else []
        if is_numbering(body) and _increasing(body):
            sheet.body += 1
        return sheet
    return None


def read_official(path: Path) -> tuple[list[UnitRow], list[Issue]]:
    """Every unit row of every table the file holds, and the problems of reading it."""
    try:
        if path.suffix.lower() == ".csv":
            found = csv_rows(path, lambda rows: _header(path.name, rows) is not None)
            sheets = [(path.name, found)]
        else:
            sheets = list(read_table(path).items())
    except (Refused, Unreadable, UnicodeDecodeError, csv.Error) as exc:
        if isinstance(exc, UnicodeDecodeError):
            reason = f"tệp CSV không phải UTF-8 (byte {exc.start})"
        elif isinstance(exc, Refused):
            reason = exc.refusal.message
        else:
            reason = str(exc) or type(exc).__name__
        message = f"không đọc được bảng kết quả: {reason}"
        return [], [
            Issue(
                code="official_unreadable", severity=Severity.ERROR, message=message, file=str(path)
            )
        ]
    units: list[UnitRow] = []
    issues: list[Issue] = []
    for name, rows in sheets:
        sheet = _header(name, rows)
        if sheet is None:
            continue
        read = _long if sheet.long else _wide
        units += read(sheet, str(path), issues)
    if not units and not issues:
        message = (
            "không tìm thấy bảng kết quả: cần cột Mã đơn vị (hoặc Đơn vị) với các cột điểm, "
            "Tổng điểm, Chỉ số, Xếp hạng; hoặc các cột Mã đơn vị, Mã, Điểm đạt"
        )
        return [], [
            Issue(code="official_empty", severity=Severity.ERROR, file=str(path), message=message)
        ]
    return units, issues


def _at(row: list[Any], column: int | None) -> Any:
    return row[column] if column is not None and column < len(row) else None


def _unit_of(sheet: _Sheet, row: list[Any], index: int) -> tuple[str, bool, str] | None:
    """(unit as written, written by name, its cell), or None for a row with no unit."""
    for key, by_name in (("unit", False), ("unit_name", True)):
        column = sheet.columns.get(key)
        text = cell_text(_at(row, column))
        if column is not None and text:
            return text, by_name, cell_ref(index, column)
    return None


def _summary(sheet: _Sheet, row: list[Any]) -> bool:
    """A row of the table's own totals or averages ('Tổng cộng', 'Bình quân')."""
    names = (cell_text(_at(row, sheet.columns.get(k))) for k in ("unit", "unit_name"))
    return any(fold(name).rstrip(":") in SUMMARY_ROWS for name in names if name)


def _long(sheet: _Sheet, file: str, issues: list[Issue]) -> list[UnitRow]:
    units: dict[tuple[str, bool], UnitRow] = {}
    columns = sheet.columns
    own = "unit" not in columns and "unit_name" not in columns
    for index in range(sheet.body, len(sheet.rows)):
        row = sheet.rows[index]
        code = cell_text(_at(row, columns["code"]))
        raw = cell_number(_at(row, columns["points"]))
        if not code or (not own and _summary(sheet, row)):
            continue
        if raw is None:
            raw = NOT_SCORED  # a row of the item with no points: not scored, out of the maximum
        unit = (sheet.name, False, "") if own else _unit_of(sheet, row, index)
        if unit is None:
            column = sheet.columns.get("unit", sheet.columns.get("unit_name", 0))
            issues.append(
                Issue(
                    code="official_unit_missing",
                    severity=Severity.ERROR,
                    message=f"dòng có điểm của mục {code} nhưng không có đơn vị",
                    file=file,
                    sheet=sheet.name,
                    cell=cell_ref(index, column),
                    item=code,
                )
            )
            continue
        text, by_name, where = unit
        entry = units.setdefault((text, by_name), UnitRow(text, by_name, sheet.name, where))
        value = Value(raw, sheet.name, cell_ref(index, columns["points"]))
        entry.points.setdefault(code, []).append(value)
    return list(units.values())


def _items(sheet: _Sheet, file: str, issues: list[Issue]) -> dict[int, str] | None:
    """Column → title of every other titled column (it may be an item; the scorer says which
    are not); None when two say the same (a header over two rows may give 'Lĩnh vực 1' under
    both 'Tự chấm' and 'Thẩm định'): which one the result is cannot be told."""
    known = set(sheet.columns.values())
    items = {
        column: title
        for column, title in enumerate(sheet.labels)
        if title and column not in known and _name(title) != "ignored"
    }
    seen: dict[str, int] = {}
    for column, title in items.items():
        first = seen.setdefault(fold(title), column)
        if first != column:
            where = ", ".join(_label_cell(sheet, c) for c in (first, column))
            message = (
                f"bảng có hai cột '{title}' ({where}): không biết cột nào là kết quả chính thức; "
                "xóa cột thừa hoặc đổi tên cột"
            )
            issues.append(
                Issue(
                    code="official_column_duplicate",
                    severity=Severity.ERROR,
                    message=message,
                    file=file,
                    sheet=sheet.name,
                    cell=_label_cell(sheet, column),
                )
            )
    return None if len(seen) < len(items) else items


def _label_cell(sheet: _Sheet, column: int) -> str:
    """Where a column's title is: in the header's second row where it has one there."""
    second = sheet.header + 1
    if sheet.two_rows and cell_text(_at(sheet.rows[second], column)):
        return cell_ref(second, column)
    return cell_ref(sheet.header, column)


def _wide(sheet: _Sheet, file: str, issues: list[Issue]) -> list[UnitRow]:
    items = _items(sheet, file, issues)
    if items is None:
        return []
    if "points" in sheet.columns and "total" not in sheet.columns:
        sheet.columns["total"] = sheet.columns.pop("points")  # the ranking's 'Điểm đạt'
    found: list[UnitRow] = []
    for index in range(sheet.body, len(sheet.rows)):
        row = sheet.rows[index]
        unit = _unit_of(sheet, row, index)
        if unit is None or _summary(sheet, row):
            continue
        text, by_name, where = unit
        entry = UnitRow(text, by_name, sheet.name, where, wide=True)
        for column, title in items.items():
            raw = cell_number(_at(row, column))
            if raw is not None:
                entry.points[title] = [Value(raw, sheet.name, cell_ref(index, column))]
        for key in PUBLISHED:
            at = sheet.columns.get(key)
            raw = cell_number(_at(row, at)) if at is not None else None
            if at is not None and raw is not None:
                entry.published[key] = Value(raw, sheet.name, cell_ref(index, at))
        if entry.points or entry.published:
            found.append(entry)
    return found
