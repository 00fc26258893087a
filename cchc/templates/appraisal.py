"""The appraisal workbook (thẩm định): one row per unit and leaf, the appraiser fills four columns.

Rounds (DOMAIN.md, "Evidence and explanation"): the unit's self-score with its evidence and
explanation, appraisal 1 with comments, the unit's supplementary explanation, appraisal 2.
`write_appraisal` lays out what the units sent; `read_appraisal` reads back what the appraisers
typed, as `Appraised` layers per unit and item (DESIGN.md §6).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from copy import copy
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from cchc.core.fileio import atomic_path
from cchc.core.issues import Issue, Severity, cell_ref
from cchc.core.numbers import fmt
from cchc.core.text import fold
from cchc.core.xlsx_print import fit_rows, landscape_table, row_height
from cchc.readers.cells import cell_number, cell_text
from cchc.readers.guard import Refused
from cchc.readers.headers import find_header
from cchc.readers.table import Sheets, Unreadable, read_table
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

HEADINGS: dict[str, tuple[str, int]] = {
    "unit_code": ("Mã đơn vị", 11),
    "unit_name": ("Tên đơn vị", 24),
    "code": ("Mã", 8),
    "title": ("Nội dung", 42),
    "max": ("Điểm tối đa", 9),
    "inputs": ("Số liệu đơn vị nhập", 22),
    "self": ("Điểm tự chấm", 11),
    "evidence": ("Tài liệu kiểm chứng", 30),
    "findings": ("Kết quả kiểm tra tài liệu", 30),
    "explanation": ("Giải trình của đơn vị", 30),
    "first": ("Thẩm định lần 1", 11),
    "comment": ("Nhận xét thẩm định", 30),
    "response": ("Giải trình bổ sung", 30),
    "added": ("Tài liệu bổ sung", 30),
    "second": ("Thẩm định lần 2", 11),
    "second_comment": ("Nhận xét thẩm định lần 2", 30),
}
"""Every column an appraisal workbook may have: its heading (how it is found) and width."""
TITLES = {name: title for name, (title, _) in HEADINGS.items()}
POINT_INPUTS = ("first", "second")
NUMBERS = ("max", "self")


@dataclass(frozen=True)
class Form:
    """One kind of appraisal workbook: the columns it shows and those the appraiser fills."""

    columns: tuple[str, ...]
    inputs: tuple[str, ...]
    hint: str

    @property
    def letters(self) -> dict[str, str]:
        """Each column's letter."""
        return {name: get_column_letter(i) for i, name in enumerate(self.columns, start=1)}


_KEYS = ("unit_code", "unit_name", "code", "title", "max")
SINGLE = Form(
    columns=(*_KEYS, "self", "evidence", "explanation", "first", "comment", "response", "second"),
    inputs=("first", "comment", "response", "second"),
    hint="Chỉ nhập vào các ô nền vàng: điểm thẩm định từ 0 đến điểm tối đa của dòng, nhận xét và "
    "giải trình bổ sung. Không thêm, xóa hay đổi tên cột; dòng được nhận theo Mã đơn vị và Mã.",
)
"""The one workbook of every unit and item, both rounds (`cchc appraise`)."""
ROUND_1 = Form(
    columns=(*_KEYS, "inputs", "self", "evidence", "findings", "explanation", "first", "comment"),
    inputs=("first", "comment"),
    hint="Chỉ nhập vào các ô nền vàng: điểm thẩm định lần 1 từ 0 đến điểm tối đa của dòng và nhận "
    "xét. Không thêm, xóa hay đổi tên cột; dòng được nhận theo Mã đơn vị và Mã.",
)
"""One appraising body's round 1: its items for every unit, with what each unit sent."""
ROUND_2 = Form(
    columns=(
        *_KEYS,
        "self",
        "evidence",
        "explanation",
        "first",
        "comment",
        "response",
        "added",
        "second",
        "second_comment",
    ),
    inputs=("second", "second_comment"),
    hint="Chỉ nhập vào các ô nền vàng: điểm thẩm định lần 2 từ 0 đến điểm tối đa của dòng và nhận "
    "xét, sau khi xem giải trình bổ sung và tài liệu bổ sung của đơn vị. Dòng được nhận theo Mã "
    "đơn vị và Mã.",
)
"""One appraising body's round 2: only the items the units answered after round 1."""
FORMS = {None: SINGLE, 1: ROUND_1, 2: ROUND_2}
COLUMNS = [(name, *HEADINGS[name]) for name in SINGLE.columns]
LETTER = SINGLE.letters
REQUIRED = ("unit_code", "code")

EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")
_MAX_CELL_TEXT = 32_767

Table = Sheets | Refused | Unreadable
"""A file as `cchc.readers.table.read_tables` read it: its sheets, or why not."""

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
    inputs: str = ""
    """The figures and choices the unit typed ('số liệu 1 = 12; lựa chọn: Có')."""
    findings: str = ""
    """What `cchc evidence` found about the references cited for the item."""
    added: str = ""
    """Evidence the unit added with its answer after round 1."""
    second_comment: str = ""


@dataclass(frozen=True)
class Council:
    """Who appraises what: each body's domains, as written into every body's workbook."""

    bodies: dict[str, tuple[str, ...]]
    """Body → the codes of the domains it appraises (all or some of their items)."""

    def text(self) -> str:
        """One _meta cell: 'Sở Tư pháp: 2 | Sở Nội vụ: 1, 3, 4'."""
        return " | ".join(f"{body}: {', '.join(codes)}" for body, codes in self.bodies.items())

    @classmethod
    def parse(cls, text: str) -> Council:
        """Read back `text()`; parts that do not parse are skipped."""
        bodies: dict[str, tuple[str, ...]] = {}
        for part in text.split(" | "):
            body, _, codes = part.rpartition(":")
            if body.strip():
                bodies[body.strip()] = tuple(c.strip() for c in codes.split(",") if c.strip())
        return cls(bodies)


@dataclass(frozen=True)
class Sheet:
    """What one appraisal workbook is: its year, form, and (for a council) body and round."""

    year: int
    round: int | None = None
    """1 or 2 for a body's workbook; None for the one workbook of both rounds."""
    body: str = ""
    council: Council | None = None
    number_format: str = "0.00"
    """How points are shown (the set's decimals: '0.0000' for 4)."""

    @property
    def form(self) -> Form:
        """The columns this workbook has."""
        return FORMS[self.round]


# --- writing -------------------------------------------------------------------------------


def styles(wb: Workbook, number_format: str = "0.00") -> dict[str, str]:
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


def put(ws: Worksheet, row: int, column: int, value: str | Decimal | None, style: str) -> None:
    """A styled cell: text is always text (never a formula), numbers are numbers."""
    cell: Cell | MergedCell
    if isinstance(value, Decimal):
        cell = ws.cell(row=row, column=column, value=float(value))
    elif value:
        cell = put_text(ws, row, column, _clean(value))
    else:
        cell = ws.cell(row=row, column=column)
    cell.style = style


class Rows:
    """Writes the data rows of a table: each cell styled (the named style looked up once per
    style, then its formatting copied: openpyxl's lookup by name is slow), each row as tall as
    its wrapped text needs (what `fit_rows` would find, without reading the cells back)."""

    def __init__(self, ws: Worksheet, styles: list[str], widths: list[float], wrap: list[bool]):
        self.ws = ws
        self.columns = list(zip(styles, widths, wrap, strict=True))
        self.arrays: dict[str, Any] = {}

    def write(self, number: int, values: Iterable[str | Decimal | None]) -> None:
        """Row `number`, one value per column."""
        ws = self.ws
        texts = []
        for column, (value, (style, width, wrap)) in enumerate(
            zip(values, self.columns, strict=True), start=1
        ):
            cell: Cell | MergedCell
            if isinstance(value, Decimal):
                cell = ws.cell(row=number, column=column, value=float(value))
            elif value:
                text = _clean(value)
                cell = put_text(ws, number, column, text)
                if wrap and not text.startswith("="):
                    texts.append((text, width, 12.0))
            else:
                cell = ws.cell(row=number, column=column)
            # The style array is what openpyxl's own sheet copy carries over (WorksheetCopy).
            array = self.arrays.get(style)
            if array is None:
                cell.style = style
                self.arrays[style] = copy(cell._style)  # type: ignore[union-attr]
            else:
                cell._style = copy(array)  # type: ignore[union-attr]
        height = row_height(texts)
        if height is not None:
            ws.row_dimensions[number].height = height


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


def _points_validation(column: str, top: str, first: int, last: int) -> DataValidation:
    """One rule for the whole column: a decimal from 0 to the row's own maximum."""
    dv = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2=f"${top}{first}",
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


def _heading(sheet: Sheet) -> str:
    if sheet.round is None:
        return f"Bảng thẩm định Chỉ số CCHC năm {sheet.year}"
    return f"Bảng thẩm định lần {sheet.round} Chỉ số CCHC năm {sheet.year} – {sheet.body}"


def _values(row: AppraisalRow) -> dict[str, str | Decimal | None]:
    return {
        "unit_code": row.unit_code,
        "unit_name": row.unit_name,
        "code": row.code,
        "title": _title(row),
        "max": row.max,
        "inputs": row.inputs,
        "self": _self_cell(row),
        "evidence": row.evidence,
        "findings": row.findings,
        "explanation": row.explanation,
        "first": row.first,
        "comment": row.comment,
        "response": row.response,
        "added": row.added,
        "second": row.second,
        "second_comment": row.second_comment,
    }


def _kind(name: str, form: Form) -> str:
    """The style of a column: inputs are yellow and unlocked, points are numbers."""
    number = name in NUMBERS or name in POINT_INPUTS
    if name in form.inputs:
        return "input_number" if number else "input_text"
    return "number" if number else "text"


def build_appraisal(rows: list[AppraisalRow], sheet: Sheet | int) -> Workbook:
    """The appraisal workbook: the 'Thẩm định' sheet and a hidden _meta."""
    if isinstance(sheet, int):
        sheet = Sheet(sheet)
    form = sheet.form
    letters = form.letters
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    style = styles(wb, sheet.number_format)
    title = ws.cell(row=TITLE_ROW, column=1, value=_heading(sheet))
    title.font = Font(name=FONT, size=14, bold=True)
    hint = put_text(ws, HINT_ROW, 1, form.hint)
    hint.font = Font(name=FONT, size=12, italic=True)
    for column, name in enumerate(form.columns, start=1):
        heading, width = HEADINGS[name]
        put(ws, HEADER_ROW, column, heading, style["header"])
        ws.column_dimensions[letters[name]].width = width
    kinds = [_kind(name, form) for name in form.columns]
    table = Rows(
        ws,
        [style[kind] for kind in kinds],
        [float(HEADINGS[name][1]) for name in form.columns],
        [kind.endswith("text") for kind in kinds],
    )
    for number, row in enumerate(rows, start=FIRST_ROW):
        values = _values(row)
        table.write(number, (values[name] for name in form.columns))
    last = HEADER_ROW + len(rows)
    if rows:
        for name in POINT_INPUTS:
            if name in form.inputs:
                dv = _points_validation(letters[name], letters["max"], FIRST_ROW, last)
                ws.add_data_validation(dv)
    finish(wb, ws, letters[form.columns[-1]], len(rows), _meta(sheet, len(rows)))
    return wb


def finish(
    wb: Workbook, ws: Worksheet, last: str, rows: int, meta: Iterable[tuple[str, str]]
) -> None:
    """The table's filter, print set-up, the header's height and protection (only the yellow cells
    open; columns, rows and the filter still usable), and the hidden, protected _meta."""
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{max(HEADER_ROW + rows, FIRST_ROW)}"
    landscape_table(ws, HEADER_ROW)
    fit_rows(ws, HEADER_ROW, HEADER_ROW)  # the data rows were fitted as they were written
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False  # filtering by unit stays possible on the protected sheet
    sheet = wb.create_sheet(META_SHEET)
    sheet.sheet_state = "hidden"
    for key, value in meta:
        sheet.append([key, value])
    sheet.protection.sheet = True
    wb.active = 0


def _meta(sheet: Sheet, rows: int) -> list[tuple[str, str]]:
    found = [("kind", KIND), ("year", str(sheet.year)), ("version", VERSION)]
    if sheet.round is not None:
        found += [("round", str(sheet.round)), ("body", sheet.body)]
    if sheet.council is not None:
        found.append(("council", sheet.council.text()))
    return [*found, ("rows", str(rows))]


def write_appraisal(rows: list[AppraisalRow], sheet: Sheet | int, target: Path) -> Path:
    """Write the appraisal workbook for `rows` (units in the order given), whole or not at all."""
    wb = build_appraisal(rows, sheet)
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target


# --- reading -------------------------------------------------------------------------------


class Report:
    """The issues of one appraisal workbook."""

    def __init__(self, path: Path, prefix: str = "appraisal") -> None:
        self.file = str(path)
        self.prefix = prefix
        self.issues: list[Issue] = []

    def add(
        self, code: str, message: str, severity: Severity = Severity.ERROR, **where: Any
    ) -> None:
        self.issues.append(
            Issue(code=code, severity=severity, message=message, file=self.file, **where)
        )

    def unreadable(self, message: str, **where: Any) -> None:
        self.add(f"{self.prefix}_unreadable", message, **where)


def readable(path: Path) -> bool:
    """True for a workbook file that exists (what `open_sheet` reads, rather than refuses)."""
    return path.suffix.lower() in EXTENSIONS and path.is_file()


def open_sheet(
    path: Path, report: Report, wanted: str = SHEET, table: Table | None = None
) -> tuple[list[list[Any]], dict[str, str]] | None:
    """The `wanted` sheet's rows (row 0 is the sheet's row 1) and the _meta values.

    The file is read by cchc.readers.table: guarded (cchc.readers.guard, TABLE limits) and
    contained; `table` is what `read_tables` already read of it, if it did.
    """
    if path.suffix.lower() not in EXTENSIONS:
        report.unreadable("tệp không phải sổ tính Excel/ODS (.xlsx, .xlsm, .xls, .ods)")
        return None
    if not path.is_file():
        report.unreadable("không tìm thấy tệp")
        return None
    try:
        if isinstance(table, Exception):
            raise table
        sheets = table if table is not None else read_table(path)
    except Refused as exc:
        report.unreadable(exc.refusal.message, sheet=exc.refusal.sheet)
        return None
    except Unreadable as exc:
        report.unreadable(f"không đọc được sổ tính: {exc}")
        return None
    names = {fold(n): n for n in sheets}
    name = names.get(fold(wanted))
    if name is None:
        report.unreadable(f"không có trang '{wanted}'", sheet=wanted)
        return None
    meta: dict[str, str] = {}
    for row in sheets.get(names.get(fold(META_SHEET), ""), []):
        if len(row) >= 2 and row[0]:
            meta[cell_text(row[0])] = cell_text(row[1])
    return sheets[name], meta


def _header(rows: list[list[Any]]) -> tuple[int, dict[str, int]] | None:
    """The header row (0-based) and each known column's position, found by folded titles."""
    titles = {fold(title): name for name, title in TITLES.items()}
    return find_header(rows, lambda text: titles.get(fold(text)), REQUIRED)


def _get(row: list[Any], column: int) -> Any:
    return row[column] if column < len(row) else None


def _blank(value: Any) -> bool:
    return value is None or cell_text(value) == ""


@dataclass
class AppraisalFile:
    """What one appraisal workbook holds once read."""

    path: Path
    sheet: Sheet | None = None
    """Its year, round, body and council; None when the file could not be read at all."""
    values: dict[str, dict[str, Appraised]] = field(default_factory=dict)
    """{unit code: {item code: Appraised}}: the rows with something typed in them."""
    rows: dict[tuple[str, str], int] = field(default_factory=dict)
    """Every (unit, item) row the file has, typed in or not, in sheet order: its 0-based row."""
    unscored: list[str] = field(default_factory=list)
    """The points cells left blank (a body's workbook only), as 'Thẩm định!K12'."""
    issues: list[Issue] = field(default_factory=list)

    def scored(self) -> int:
        """Rows with points or a comment typed in."""
        return sum(len(items) for items in self.values.values())


def _sheet(meta: dict[str, str], year: int, report: Report) -> Sheet | None:
    """The workbook's kind from its _meta (a workbook without one: the single form)."""
    kind = meta.get("kind")
    if kind and kind != KIND:
        report.unreadable(f"tệp không phải bảng thẩm định (_meta: kind = '{kind}')")
        return None
    number = meta.get("round", "")
    if number not in ("", "1", "2"):
        report.unreadable(f"_meta ghi lần thẩm định '{number}', chỉ có lần 1 và lần 2")
        return None
    council = Council.parse(meta["council"]) if meta.get("council") else None
    written = meta.get("year", "")
    return Sheet(
        int(written) if written.isdigit() else year,
        int(number) if number else None,
        meta.get("body", ""),
        council,
    )


def read_appraisal(
    path: Path, year: int | None, maxima: Maxima
) -> tuple[dict[str, dict[str, Appraised]], list[Issue]]:
    """What the appraisers typed: {unit code: {item code: Appraised}} and the problems found."""
    found = read_appraisal_file(path, year, maxima)
    return found.values, found.issues


def read_appraisal_file(
    path: Path,
    year: int | None,
    maxima: Maxima,
    round_: int | None = None,
    table: Table | None = None,
) -> AppraisalFile:
    """Read one appraisal workbook (the single form or one body's round).

    Rows are found by (Mã đơn vị, Mã) under a header found by its titles, so columns may be
    reordered and rows sorted or filtered. Only the columns the workbook's form asks the
    appraiser to fill are read; rows with something typed in them are returned, invalid points
    are reported and dropped, the rest of the row is kept. `maxima(unit, item)` gives the item's
    maximum for the unit and its step (None if any step goes), or None if the unit or item is
    unknown. Given `round_`, a workbook of another round (or the single form) is refused. Never
    raises for a bad file, never modifies it. `table`: the file as `read_tables` read it.
    """
    report = Report(path)
    result = AppraisalFile(path, issues=report.issues)
    opened = open_sheet(path, report, table=table)
    if opened is None:
        return result
    rows, meta = opened
    sheet = _sheet(meta, year or 0, report)
    if sheet is None:
        return result
    if year is not None and meta.get("year") and sheet.year != year:
        report.add(
            "appraisal_wrong_year",
            f"bảng thẩm định của năm {meta['year']}, không phải năm {year}",
            sheet=META_SHEET,
        )
        return result
    if round_ is not None and sheet.round != round_:
        written = "bảng một tệp (cả hai lần)" if sheet.round is None else f"lần {sheet.round}"
        report.add(
            "appraisal_wrong_round",
            f"bảng thẩm định {written}, không phải lần {round_}; tệp bị bỏ qua",
            sheet=META_SHEET,
        )
        return result
    found = _header(rows)
    if found is None:
        report.unreadable(
            f"không tìm thấy dòng tiêu đề (cột {TITLES['unit_code']}, {TITLES['code']})",
            sheet=SHEET,
        )
        return result
    header, columns = found
    inputs = sheet.form.inputs
    missing = [TITLES[name] for name in (*REQUIRED, *inputs) if name not in columns]
    if missing:
        report.unreadable(f"thiếu cột: {', '.join(missing)}", sheet=SHEET, cell=cell_ref(header, 0))
        return result
    result.sheet = sheet
    reader = _RowReader(path, sheet, columns, maxima, report)
    for index in range(header + 1, len(rows)):
        row = rows[index]
        key = (cell_text(_get(row, columns["unit_code"])), cell_text(_get(row, columns["code"])))
        if all(key):
            result.rows.setdefault(key, index)
        raw = {name: _get(row, columns[name]) for name in inputs}
        if all(_blank(value) for value in raw.values()):
            if all(key) and sheet.round is not None:
                result.unscored.append(f"{SHEET}!{cell_ref(index, columns[inputs[0]])}")
            continue
        appraised = reader.row(row, index, raw)
        if appraised is not None:
            unit, code, value = appraised
            result.values.setdefault(unit, {})[code] = value
    return result


class _RowReader:
    """Reads the typed rows of one workbook."""

    def __init__(
        self,
        path: Path,
        sheet: Sheet,
        columns: dict[str, int],
        maxima: Maxima,
        report: Report,
    ) -> None:
        self.path = path
        self.sheet = sheet
        self.columns = columns
        self.maxima = maxima
        self.report = report
        self.seen: dict[tuple[str, str], int] = {}
        self.where = f"{sheet.body} · {path.name}" if sheet.body else path.name

    def row(
        self, row: list[Any], index: int, raw: dict[str, Any]
    ) -> tuple[str, str, Appraised] | None:
        """One row with something typed in it; None if nothing usable remains."""
        columns, report = self.columns, self.report
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
        if key in self.seen:
            report.add(
                "appraisal_duplicate",
                f"đơn vị {unit}, mục {code} đã có ở dòng {self.seen[key] + 1}; dòng này bị bỏ qua",
                cell=cell_ref(index, columns["code"]),
                **where,
            )
            return None
        self.seen[key] = index
        limits = self.maxima(unit, code)
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
        cells: dict[str, str] = {}
        for name in POINT_INPUTS:
            if name not in raw:
                points[name] = None
                continue
            cell = cell_ref(index, columns[name])
            label = f"đơn vị {unit}, {TITLES[name]}"
            points[name] = _points(raw[name], top, step, label, report, cell=cell, **where)
            if points[name] is not None:
                cells[name] = f"{self.where}, ô {SHEET}!{cell}"
        if points["second"] is not None and "first" in raw and _blank(raw["first"]):
            report.add(
                "appraisal_second_without_first",
                f"đơn vị {unit}: có {TITLES['second']} nhưng chưa có {TITLES['first']}",
                Severity.WARNING,
                cell=cell_ref(index, columns["second"]),
                **where,
            )
        texts = {name: cell_text(raw[name]) for name in TEXT_INPUTS if name in raw}
        if all(p is None for p in points.values()) and not any(texts.values()):
            return None
        appraised = Appraised(
            first=points["first"],
            comment=texts.get("comment", ""),
            response=texts.get("response", ""),
            second=points["second"],
            second_comment=texts.get("second_comment", ""),
            where=f"{self.where} · dòng {index + 1}",
            body=self.sheet.body,
            cells=cells,
        )
        return unit, code, appraised


TEXT_INPUTS = ("comment", "response", "second_comment")


def _points(
    value: Any, top: Decimal, step: Decimal | None, label: str, report: Report, **where: Any
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
