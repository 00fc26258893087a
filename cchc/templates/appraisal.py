"""The appraisal workbook (thẩm định): one row per unit and leaf, the appraiser fills four columns.

Rounds (DOMAIN.md, "Evidence and explanation"): the unit's self-score with its evidence and
explanation, appraisal 1 with comments, the unit's supplementary explanation, appraisal 2.
`write_appraisal` lays out what the units sent; `read_appraisal` reads back what the appraisers
typed, as `Appraised` layers per unit and item (DESIGN.md §6).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from cchc.core.fileio import atomic_path
from cchc.core.issues import Issue, Severity, cell_ref
from cchc.core.numbers import fmt
from cchc.core.text import fold
from cchc.core.xlsx_print import fit_rows, landscape_table
from cchc.readers.cells import cell_number, cell_text
from cchc.readers.guard import Refused
from cchc.readers.headers import find_header
from cchc.readers.table import Unreadable, read_table
from cchc.scoring.layers import Appraised
from cchc.templates.builder import FONT, INPUT_FILL

SHEET = "Thẩm định"
META_SHEET = "_meta"
KIND = "appraisal"
VERSION = "1"
TITLE_ROW = 1
HINT_ROW = 2
HEADER_ROW = 3
FIRST_ROW = HEADER_ROW + 1

COLUMNS = [
    ("unit_code", "Mã đơn vị", 11),
    ("unit_name", "Tên đơn vị", 24),
    ("code", "Mã", 8),
    ("title", "Nội dung", 42),
    ("max", "Điểm tối đa", 9),
    ("self", "Điểm tự chấm", 11),
    ("evidence", "Tài liệu kiểm chứng", 30),
    ("explanation", "Giải trình của đơn vị", 30),
    ("first", "Thẩm định lần 1", 11),
    ("comment", "Nhận xét thẩm định", 30),
    ("response", "Giải trình bổ sung", 30),
    ("second", "Thẩm định lần 2", 11),
]
LETTER = {name: chr(ord("A") + i) for i, (name, _, _) in enumerate(COLUMNS)}
TITLES = {name: title for name, title, _ in COLUMNS}
POINT_INPUTS = ("first", "second")
INPUTS = ("first", "comment", "response", "second")
REQUIRED = ("unit_code", "code", *INPUTS)

EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")
_MAX_CELL_TEXT = 32_767

Maxima = Callable[[str, str], tuple[Decimal, Decimal | None] | None]
"""(unit code, item code) → (the item's maximum for the unit, its step or None); None if unknown."""


def put_text(ws: Worksheet, row: int, column: int, value: str) -> Cell:
    """Write text that is never taken as a formula ('=HYPERLINK(…)' stays text)."""
    cell = ws.cell(row=row, column=column, value=value)
    cell.data_type = "s"
    return cell


@dataclass(frozen=True)
class AppraisalRow:
    """One item of one unit, as written into the workbook."""

    unit_code: str
    unit_name: str
    code: str
    """The item code."""
    title: str
    max: Decimal
    """The item's maximum for this unit."""
    self_points: Decimal | None
    status: str
    """'' or a short Vietnamese note such as 'Không áp dụng', 'Không phát sinh', 'Chưa nhập'."""
    evidence: str
    explanation: str
    step: Decimal | None
    """Manual rules: the allowed granularity of the points; None otherwise."""
    first: Decimal | None = None
    comment: str = ""
    response: str = ""
    second: Decimal | None = None


# --- writing -------------------------------------------------------------------------------


def _styles(wb: Workbook, number_format: str = "0.00") -> dict[str, str]:
    """Named styles (one lookup per cell instead of five), registered in this workbook; points
    are shown with `number_format` (the set's decimals)."""
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    top_wrap = Alignment(wrap_text=True, vertical="top")
    locked = Protection(locked=True)
    unlocked = Protection(locked=False)
    styles = {
        "header": NamedStyle(
            "Thẩm định – tiêu đề cột",
            font=Font(name=FONT, size=12, bold=True),
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
            border=border,
            protection=locked,
        ),
        "text": NamedStyle(
            "Thẩm định – chữ",
            font=Font(name=FONT, size=12),
            alignment=top_wrap,
            border=border,
            protection=locked,
        ),
        "number": NamedStyle(
            "Thẩm định – số",
            font=Font(name=FONT, size=12),
            alignment=Alignment(vertical="top"),
            border=border,
            number_format=number_format,
            protection=locked,
        ),
        "input_text": NamedStyle(
            "Thẩm định – ô nhập chữ",
            font=Font(name=FONT, size=12),
            alignment=top_wrap,
            border=border,
            fill=INPUT_FILL,
            protection=unlocked,
        ),
        "input_number": NamedStyle(
            "Thẩm định – ô nhập điểm",
            font=Font(name=FONT, size=12),
            alignment=Alignment(vertical="top"),
            border=border,
            fill=INPUT_FILL,
            protection=unlocked,
        ),
    }
    for style in styles.values():
        wb.add_named_style(style)
    return {key: style.name for key, style in styles.items()}


def _clean(text: str) -> str:
    """Text openpyxl accepts: no control characters, within Excel's cell limit."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:_MAX_CELL_TEXT]


def _put(ws: Worksheet, row: int, column: int, value: str | Decimal | None, style: str) -> None:
    """A styled cell: text is always text (never a formula), numbers are numbers."""
    cell: Cell | MergedCell
    if isinstance(value, Decimal):
        cell = ws.cell(row=row, column=column, value=float(value))
    elif value:
        cell = put_text(ws, row, column, _clean(value))
    else:
        cell = ws.cell(row=row, column=column)
    cell.style = style


def _self_cell(row: AppraisalRow) -> str | Decimal | None:
    """The self-score as a number, or the status, or both as text ('1 (Không phát sinh)')."""
    if not row.status:
        return row.self_points
    if row.self_points is None:
        return row.status
    return f"{fmt(row.self_points)} ({row.status})"


def _title(row: AppraisalRow) -> str:
    if row.step is None:
        return row.title
    return f"{row.title} (chấm theo bước {fmt(row.step)} điểm)"


def _points_validation(column: str, first: int, last: int) -> DataValidation:
    """One rule for the whole column: a decimal from 0 to the row's own maximum."""
    dv = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2=f"${LETTER['max']}{first}",
        allow_blank=True,
    )
    dv.errorTitle = "Điểm không hợp lệ"
    dv.error = "Nhập một số từ 0 đến điểm tối đa của dòng (cột 'Điểm tối đa')."
    dv.showErrorMessage = True
    dv.promptTitle = "Điểm thẩm định"
    dv.prompt = "Từ 0 đến điểm tối đa của dòng; dùng dấu phẩy thập phân nếu máy đặt tiếng Việt."
    dv.showInputMessage = True
    dv.add(f"{column}{first}:{column}{last}")
    return dv


def build_appraisal(rows: list[AppraisalRow], year: int, number_format: str = "0.00") -> Workbook:
    """The appraisal workbook: the 'Thẩm định' sheet and a hidden _meta."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    style = _styles(wb, number_format)
    title = ws.cell(row=TITLE_ROW, column=1, value=f"Bảng thẩm định Chỉ số CCHC năm {year}")
    title.font = Font(name=FONT, size=14, bold=True)
    hint = put_text(
        ws,
        HINT_ROW,
        1,
        "Chỉ nhập vào các ô nền vàng: điểm thẩm định từ 0 đến điểm tối đa của dòng, nhận xét và "
        "giải trình bổ sung. Không thêm, xóa hay đổi tên cột; dòng được nhận theo Mã đơn vị và Mã.",
    )
    hint.font = Font(name=FONT, size=12, italic=True)
    for column, (_, heading, width) in enumerate(COLUMNS, start=1):
        _put(ws, HEADER_ROW, column, heading, style["header"])
        ws.column_dimensions[chr(ord("A") + column - 1)].width = width
    kinds = {
        "max": "number",
        "self": "number",
        "first": "input_number",
        "second": "input_number",
        "comment": "input_text",
        "response": "input_text",
    }
    names = [kinds.get(name, "text") for name, _, _ in COLUMNS]
    order = [name for name, _, _ in COLUMNS]
    for number, row in enumerate(rows, start=FIRST_ROW):
        values: dict[str, str | Decimal | None] = {
            "unit_code": row.unit_code,
            "unit_name": row.unit_name,
            "code": row.code,
            "title": _title(row),
            "max": row.max,
            "self": _self_cell(row),
            "evidence": row.evidence,
            "explanation": row.explanation,
            "first": row.first,
            "comment": row.comment,
            "response": row.response,
            "second": row.second,
        }
        for column, (name, kind) in enumerate(zip(order, names, strict=True), start=1):
            _put(ws, number, column, values[name], style[kind])
    last = HEADER_ROW + len(rows)
    if rows:
        for name in POINT_INPUTS:
            ws.add_data_validation(_points_validation(LETTER[name], FIRST_ROW, last))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{LETTER[order[-1]]}{max(last, FIRST_ROW)}"
    landscape_table(ws, HEADER_ROW)
    fit_rows(ws, HEADER_ROW)
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False  # filtering by unit stays possible on the protected sheet
    meta = wb.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    for key, value in (("kind", KIND), ("year", str(year)), ("version", VERSION)):
        meta.append([key, value])
    meta.append(["rows", str(len(rows))])
    meta.protection.sheet = True
    wb.active = 0
    return wb


def write_appraisal(
    rows: list[AppraisalRow], year: int, target: Path, number_format: str = "0.00"
) -> Path:
    """Write the appraisal workbook for `rows` (units in the order given), whole or not at all."""
    wb = build_appraisal(rows, year, number_format)
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target


# --- reading -------------------------------------------------------------------------------


class _Report:
    """The issues of one appraisal workbook."""

    def __init__(self, path: Path) -> None:
        self.file = str(path)
        self.issues: list[Issue] = []

    def add(
        self, code: str, message: str, severity: Severity = Severity.ERROR, **where: Any
    ) -> None:
        self.issues.append(
            Issue(code=code, severity=severity, message=message, file=self.file, **where)
        )

    def unreadable(self, message: str, **where: Any) -> None:
        self.add("appraisal_unreadable", message, **where)


def _open(path: Path, report: _Report) -> tuple[list[list[Any]], dict[str, str]] | None:
    """The appraisal sheet's rows (row 0 is the sheet's row 1) and the _meta values.

    The file is read by cchc.readers.table: guarded (cchc.readers.guard, TABLE limits) and
    contained.
    """
    if path.suffix.lower() not in EXTENSIONS:
        report.unreadable("tệp không phải sổ tính Excel/ODS (.xlsx, .xlsm, .xls, .ods)")
        return None
    if not path.is_file():
        report.unreadable("không tìm thấy tệp")
        return None
    try:
        sheets = read_table(path)
    except Refused as exc:
        report.unreadable(exc.refusal.message, sheet=exc.refusal.sheet)
        return None
    except Unreadable as exc:
        report.unreadable(f"không đọc được sổ tính: {exc}")
        return None
    names = {fold(n): n for n in sheets}
    name = names.get(fold(SHEET))
    if name is None:
        report.unreadable(f"không có trang '{SHEET}'", sheet=SHEET)
        return None
    meta: dict[str, str] = {}
    for row in sheets.get(names.get(fold(META_SHEET), ""), []):
        if len(row) >= 2 and row[0]:
            meta[cell_text(row[0])] = cell_text(row[1])
    return sheets[name], meta


def _header(rows: list[list[Any]]) -> tuple[int, dict[str, int]] | None:
    """The header row (0-based) and each known column's position, found by folded titles."""
    titles = {fold(title): name for name, title, _ in COLUMNS}
    return find_header(rows, lambda text: titles.get(fold(text)), ("unit_code", "code"))


def _get(row: list[Any], column: int) -> Any:
    return row[column] if column < len(row) else None


def _blank(value: Any) -> bool:
    return value is None or cell_text(value) == ""


def read_appraisal(
    path: Path, year: int | None, maxima: Maxima
) -> tuple[dict[str, dict[str, Appraised]], list[Issue]]:
    """What the appraisers typed: {unit code: {item code: Appraised}} and the problems found.

    Rows are found by (Mã đơn vị, Mã) under a header found by its titles, so columns may be
    reordered and rows sorted or filtered. Only rows with something typed in the four appraisal
    columns are returned; invalid points are reported and dropped, the rest of the row is kept.
    `maxima(unit, item)` gives the item's maximum for the unit and its step (None if any step
    goes), or None if the unit or item is unknown. Never raises for a bad file, never modifies it.
    """
    report = _Report(path)
    result: dict[str, dict[str, Appraised]] = {}
    opened = _open(path, report)
    if opened is None:
        return result, report.issues
    rows, meta = opened
    kind = meta.get("kind")
    if kind and kind != KIND:
        report.unreadable(f"tệp không phải bảng thẩm định (_meta: kind = '{kind}')")
        return result, report.issues
    written_year = meta.get("year")
    if year is not None and written_year and written_year != str(year):
        report.add(
            "appraisal_wrong_year",
            f"bảng thẩm định của năm {written_year}, không phải năm {year}",
            sheet=META_SHEET,
        )
        return result, report.issues
    found = _header(rows)
    if found is None:
        report.unreadable(
            f"không tìm thấy dòng tiêu đề (cột {TITLES['unit_code']}, {TITLES['code']})",
            sheet=SHEET,
        )
        return result, report.issues
    header, columns = found
    missing = [TITLES[name] for name in REQUIRED if name not in columns]
    if missing:
        report.unreadable(f"thiếu cột: {', '.join(missing)}", sheet=SHEET, cell=cell_ref(header, 0))
        return result, report.issues
    seen: dict[tuple[str, str], int] = {}
    for index in range(header + 1, len(rows)):
        row = rows[index]
        raw = {name: _get(row, columns[name]) for name in INPUTS}
        if all(_blank(value) for value in raw.values()):
            continue
        appraised = _read_row(path, row, index, raw, columns, maxima, seen, report)
        if appraised is not None:
            unit, code, value = appraised
            result.setdefault(unit, {})[code] = value
    return result, report.issues


def _read_row(
    path: Path,
    row: list[Any],
    index: int,
    raw: dict[str, Any],
    columns: dict[str, int],
    maxima: Maxima,
    seen: dict[tuple[str, str], int],
    report: _Report,
) -> tuple[str, str, Appraised] | None:
    """One row with something typed in it; None if nothing usable remains."""
    unit = cell_text(_get(row, columns["unit_code"]))
    code = cell_text(_get(row, columns["code"]))
    where: dict[str, Any] = {"sheet": SHEET, "item": code or None}
    if not unit or not code:
        report.add(
            "appraisal_unknown",
            "dòng có dữ liệu thẩm định nhưng thiếu mã đơn vị hoặc mã mục, đã bỏ qua",
            cell=cell_ref(index, columns["unit_code" if not unit else "code"]),
            **where,
        )
        return None
    key = (unit, code)
    if key in seen:
        report.add(
            "appraisal_duplicate",
            f"đơn vị {unit}, mục {code} đã có ở dòng {seen[key] + 1}; dòng này bị bỏ qua",
            cell=cell_ref(index, columns["code"]),
            **where,
        )
        return None
    seen[key] = index
    limits = maxima(unit, code)
    if limits is None:
        report.add(
            "appraisal_unknown",
            f"không có đơn vị {unit} hoặc mục {code} của đơn vị này trong bộ tiêu chí; "
            "dòng bị bỏ qua",
            cell=cell_ref(index, columns["code"]),
            **where,
        )
        return None
    top, step = limits
    points: dict[str, Decimal | None] = {}
    for name in POINT_INPUTS:
        cell = cell_ref(index, columns[name])
        points[name] = _points(
            raw[name], top, step, f"đơn vị {unit}, {TITLES[name]}", report, cell=cell, **where
        )
    if points["second"] is not None and _blank(raw["first"]):
        report.add(
            "appraisal_second_without_first",
            f"đơn vị {unit}: có {TITLES['second']} nhưng chưa có {TITLES['first']}",
            Severity.WARNING,
            cell=cell_ref(index, columns["second"]),
            **where,
        )
    comment = cell_text(raw["comment"])
    response = cell_text(raw["response"])
    if points["first"] is None and points["second"] is None and not comment and not response:
        return None
    appraised = Appraised(
        first=points["first"],
        comment=comment,
        response=response,
        second=points["second"],
        where=f"{path.name} · dòng {index + 1}",
    )
    return unit, code, appraised


def _points(
    value: Any, top: Decimal, step: Decimal | None, label: str, report: _Report, **where: Any
) -> Decimal | None:
    """Parsed points within 0..top and on the step; otherwise an issue and None."""
    number = cell_number(value)
    if number is None:
        return None
    if isinstance(number, str) or not number.is_finite():
        report.add("appraisal_not_a_number", f"{label}: '{number}' không phải là số", **where)
        return None
    if number < 0 or number > top:
        report.add(
            "appraisal_out_of_range",
            f"{label}: {fmt(number)} ngoài khoảng 0 – {fmt(top)} điểm, đã bỏ",
            **where,
        )
        return None
    if step is not None and number % step != 0:
        report.add(
            "appraisal_step",
            f"{label}: {fmt(number)} không theo bước {fmt(step)} điểm, đã bỏ",
            **where,
        )
        return None
    return number
