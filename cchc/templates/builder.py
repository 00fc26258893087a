"""Build the self-assessment workbook a unit fills in (DESIGN.md §5)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from cchc.core.fileio import atomic_path
from cchc.core.names import safe_name
from cchc.core.numbers import fmt, number_format
from cchc.core.parallel import fork_map
from cchc.core.progress import Progress, counted
from cchc.core.xlsx_print import fit_rows, landscape_table
from cchc.criteria.check import group_max
from cchc.criteria.model import (
    CriteriaSet,
    Item,
    effective_method,
    effective_type,
)
from cchc.criteria.wording import rule_summary
from cchc.scoring.rules import choice_labels
from cchc.templates.formulas import leaf_formula, step_check
from cchc.templates.layout import (
    COLUMNS,
    GUIDE_SHEET,
    HEADER_ROW,
    LETTER,
    LISTS_SHEET,
    META_SHEET,
    SELF_SHEET,
    TEMPLATE_VERSION,
    TOTAL_LABEL,
    set_hash,
)
from cchc.templates.stamp import Stamp, placeholder_unit
from cchc.units.model import Unit

FONT = "Times New Roman"
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_SURVEY_FILL = PatternFill("solid", fgColor="E7E6E6")
_UNLOCKED = Protection(locked=False)


def workbook_name(unit: Unit, year: int) -> str:
    """'X001 - UBND xã Tân Lập - 2024.xlsx'."""
    return safe_name(f"{unit.code} - {unit.name} - {year}", ".xlsx")


def _top(item: Item, unit: Unit) -> Decimal:
    return group_max(item, unit.group) if unit.group else item.max or Decimal(0)


def _applies(item: Item, unit: Unit) -> bool:
    return item.applies_to is None or unit.group is None or unit.group in item.applies_to


class _Lists:
    """Dropdown lists kept on a hidden sheet (inline lists are capped at 255 characters)."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.rows: dict[tuple[str, ...], str] = {}

    def ref(self, labels: list[str]) -> str:
        key = tuple(labels)
        if key not in self.rows:
            row = len(self.rows) + 1
            for column, label in enumerate(labels, start=1):
                self.ws.cell(row=row, column=column, value=label).data_type = "s"
            end = chr(ord("A") + len(labels) - 1)
            self.rows[key] = f"'{LISTS_SHEET}'!$A${row}:${end}${row}"
        return self.rows[key]


def build_workbook(
    criteria: CriteriaSet,
    unit: Unit,
    year: int,
    deadline: str | None = None,
) -> Workbook:
    """The workbook for one unit: guide, self-assessment sheet, lists and _meta."""
    wb = Workbook()
    guide = wb.active
    assert guide is not None
    guide.title = GUIDE_SHEET
    ws = wb.create_sheet(SELF_SHEET)
    lists = _Lists(wb.create_sheet(LISTS_SHEET))
    lists.ws.sheet_state = "hidden"
    meta = wb.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    _write_guide(guide, criteria, unit, year, deadline)
    _write_self_sheet(ws, criteria, unit, year, lists)
    values = {
        "set_id": criteria.id,
        "set_year": str(criteria.year),
        "set_hash": set_hash(criteria),
        "unit_code": unit.code,
        "unit_name": unit.name,
        "unit_group": unit.group or "",
        "year": str(year),
        "version": TEMPLATE_VERSION,
    }
    for row, (key, value) in enumerate(values.items(), start=1):
        meta.cell(row=row, column=1, value=key)
        meta.cell(row=row, column=2, value=value).data_type = "s"  # a unit's name stays text
    meta.protection.sheet = True
    wb.active = 1
    return wb


def write_workbook(wb: Workbook, target: Path) -> Path:
    """Save whole or not at all."""
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target


def generate(
    criteria: CriteriaSet,
    units: list[Unit],
    year: int,
    out: Path,
    deadline: str | None = None,
    progress: Progress | None = None,
) -> list[Path]:
    """One workbook per unit in `out`; returns the paths written (`progress` hears how many).

    The workbook is built once per unit group and stamped with each unit's code and name.
    """
    stamps: dict[str | None, Stamp] = {}
    for unit in units:
        if unit.group not in stamps:
            built = build_workbook(criteria, placeholder_unit(unit), year, deadline)
            stamps[unit.group] = Stamp.of(built)
    job = _Stamping(stamps, out, year)
    return list(counted(fork_map(job.write, units, None, PARALLEL_FROM), len(units), progress))


PARALLEL_FROM = 200
"""Fewer workbooks are stamped in this process: starting workers costs more."""


@dataclass(frozen=True)
class _Stamping:
    """Each unit's workbook from its group's stamp (a job that pickles)."""

    stamps: dict[str | None, Stamp]
    out: Path
    year: int

    def write(self, unit: Unit) -> Path:
        return self.stamps[unit.group].write(unit, self.out / workbook_name(unit, self.year))


def _write_guide(
    ws: Worksheet, criteria: CriteriaSet, unit: Unit, year: int, deadline: str | None
) -> None:
    lines = [
        f"PHIẾU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year}",
        f"Đơn vị: {unit.name} (mã {unit.code})",
        f"Bộ tiêu chí: {criteria.title} ({criteria.id} {criteria.year})",
        f"Căn cứ: {criteria.issued_by or '—'}",
        f"Hạn nộp: {deadline or 'theo văn bản hướng dẫn của cơ quan Nội vụ'}",
        "",
        "Cách điền trang 'Tự đánh giá':",
        "1. Chỉ điền vào các ô nền vàng; các ô khác đã được khóa.",
        "2. Mục có danh sách: chọn ở cột 'Lựa chọn' (Đạt / Không đạt, hoặc mức tương ứng).",
        "3. Mục tính theo số liệu: nhập 'Số liệu 1' (và 'Số liệu 2' là mẫu số nếu là tỷ lệ).",
        "4. Mục chấm trực tiếp: nhập điểm ở cột 'Điểm tự chấm' theo bước điểm ghi trong cách chấm.",
        "5. Nếu mục không phát sinh hoặc không áp dụng, chọn đúng lựa chọn đó ở cột 'Lựa chọn'.",
        "6. Ghi tài liệu kiểm chứng cho mọi mục có điểm: văn bản ghi số, ký hiệu, ngày (ví dụ "
        "“Số 141/TB-UBND ngày 10/5/2023”); tệp đính kèm ghi đường dẫn trong thư mục tài liệu "
        "của đơn vị (ví dụ “minh-chung/ke-hoach-cchc.pdf”); nhiều tài liệu cách nhau bằng dấu "
        "chấm phẩy. Nếu thiếu tài liệu, ghi giải trình.",
        "Di chuột hoặc chọn một ô nền vàng để xem cần nhập gì, theo đơn vị nào.",
        "7. Mục điều tra xã hội học (nền xám) không tự chấm.",
        "8. Không thêm, xóa hay đổi tên trang tính; điểm được tính lại từ số liệu khi tổng hợp.",
    ]
    if criteria.status == "sample":
        lines.insert(1, "BỘ TIÊU CHÍ MẪU – không phải văn bản chính thức")
    for line in lines:
        ws.append([line])
    ws["A1"].font = Font(name=FONT, size=14, bold=True)
    for number, row in enumerate(ws.iter_rows(), start=1):
        if number > 1:
            row[0].font = Font(name=FONT, size=13)
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 72  # fits portrait A4 unscaled
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = ws.page_setup.fitToHeight = 1
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    fit_rows(ws)


def _write_self_sheet(
    ws: Worksheet, criteria: CriteriaSet, unit: Unit, year: int, lists: _Lists
) -> None:
    ws["A1"] = f"BẢNG TỰ ĐÁNH GIÁ CHỈ SỐ CCHC NĂM {year}"
    ws["A2"] = f"Đơn vị: {unit.name}"
    ws["A3"] = f"Bộ tiêu chí: {criteria.title}"
    for ref in ("A1", "A2", "A3"):
        ws[ref].font = Font(name=FONT, size=13, bold=ref == "A1")
    for column, (_, title, width) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=column, value=title)
        cell.font = Font(name=FONT, size=12, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BORDER
        ws.column_dimensions[chr(ord("A") + column - 1)].width = width
    rows: dict[str, int] = {}
    walked = [(i, a) for i, a in criteria.walk() if _applies(i, unit)]
    for offset, (item, _) in enumerate(walked, start=1):
        rows[item.code] = HEADER_ROW + offset
    validations = _Validations(ws)
    places = criteria.precision.points
    for item, ancestors in walked:
        row = rows[item.code]
        survey = effective_method(item, ancestors) == "survey"
        _write_row(ws, item, ancestors, (row, places), unit, survey, rows, lists, validations)
    total_row = HEADER_ROW + len(walked) + 1
    points = LETTER["points"]
    ws.cell(row=total_row, column=2, value=TOTAL_LABEL).font = Font(name=FONT, bold=True)
    signs = []
    for item in criteria.items:
        if item.code not in rows:
            continue
        sign = "-" if effective_type(item, ()) == "penalty" else "+"
        signs.append(f"{sign}N({points}{rows[item.code]})")
    ws.cell(row=total_row, column=8, value="=" + "".join(signs).lstrip("+")).font = Font(
        name=FONT, bold=True
    )
    top = sum(
        (
            _subtree_top(i, unit)
            for i in criteria.items
            if i.code in rows and effective_type(i, ()) == "score"
        ),
        Decimal(0),
    )
    beside = ws.cell(row=total_row, column=3, value=float(top))  # the maximum beside the total
    beside.font, beside.number_format = Font(name=FONT, bold=True), number_format(places)
    ws.cell(row=total_row, column=4, value="← điểm tối đa · tổng điểm tự chấm →").font = Font(
        name=FONT, italic=True
    )
    for ref in ("A1", "A2", "A3"):
        ws[ref].alignment = Alignment(wrap_text=False, vertical="top")
    landscape_table(ws, HEADER_ROW)
    fit_rows(ws, HEADER_ROW)
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    validations.attach()


class _Validations:
    """Data validations grouped by rule so that a workbook holds few of them."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.by_key: dict[tuple[str, ...], tuple[DataValidation, list[str]]] = {}

    def add(self, cell: str, key: tuple[str, ...], make: DataValidation) -> None:
        # Cells are gathered and set once: DataValidation.add checks every range already held.
        self.by_key.setdefault(key, (make, []))[1].append(cell)

    def attach(self) -> None:
        for validation, cells in self.by_key.values():
            validation.sqref = MultiCellRange(" ".join(cells))
            self.ws.add_data_validation(validation)


def _decimal_validation(low: Decimal, high: Decimal | None, whole: bool = False) -> DataValidation:
    kind: Literal["whole", "decimal"] = "whole" if whole else "decimal"
    if high is None:
        dv = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=format(low, "f"))
        dv.error = f"Nhập một số ≥ {fmt(low)}"
    else:
        dv = DataValidation(
            type=kind, operator="between", formula1=format(low, "f"), formula2=format(high, "f")
        )
        dv.error = f"Nhập một số từ {fmt(low)} đến {fmt(high)}"
    dv.errorTitle = "Số liệu không hợp lệ"
    dv.showErrorMessage = True
    return dv


def _write_row(
    ws: Worksheet,
    item: Item,
    ancestors: tuple[Item, ...],
    at: tuple[int, int],
    unit: Unit,
    survey: bool,
    rows: dict[str, int],
    lists: _Lists,
    validations: _Validations,
) -> None:
    row, places = at  # the sheet row, and the decimals of the set's points
    depth = len(ancestors)
    top = _subtree_top(item, unit)
    values: dict[str, str | float | None] = {
        "code": item.code,
        "title": item.title,
        "max": float(top),
        "rule": rule_summary(item) if item.is_leaf or item.type else "",
    }
    points = LETTER["points"]
    if not item.is_leaf:
        children = [f"N({points}{rows[c.code]})" for c in item.items if c.code in rows]
        total = "+".join(children) or "0"
        values["points"] = f"=MIN({item.cap},{total})" if item.cap is not None else f"={total}"
    elif not survey:
        values["points"] = leaf_formula(item, row, top, places)
    for column, (name, _, _) in enumerate(COLUMNS, start=1):
        value = values.get(name)
        cell = ws.cell(row=row, column=column, value=value)
        if isinstance(value, str) and name != "points":
            cell.data_type = "s"  # only the points column holds formulas; titles stay text
        cell.font = Font(name=FONT, size=12, bold=depth == 0, italic=depth >= 2)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.border = _BORDER
        if survey and item.is_leaf:
            cell.fill = _SURVEY_FILL
    ws.cell(row=row, column=3).number_format = number_format(places)
    ws.cell(row=row, column=8).number_format = number_format(places)
    if item.is_leaf and not survey:
        _inputs(ws, item, row, top, lists, validations)


def _subtree_top(item: Item, unit: Unit) -> Decimal:
    if item.is_leaf:
        return _top(item, unit)
    return sum((_subtree_top(c, unit) for c in item.items if _applies(c, unit)), Decimal(0))


EVIDENCE_PROMPT = (
    "Văn bản: số, ký hiệu, ngày (Số 141/TB-UBND ngày 10/5/2023). Tệp: đường dẫn trong thư mục "
    "tài liệu của đơn vị (minh-chung/ke-hoach.pdf). Nhiều tài liệu: cách nhau bằng “;”."
)
EXPLANATION_PROMPT = "Vì sao chấm điểm này khi thiếu tài liệu hoặc số liệu (không bắt buộc)."


def _prompt(title: str, text: str) -> DataValidation:
    """An input message only: what to type in the cell (Excel and LibreOffice show it)."""
    dv = DataValidation(allow_blank=True)
    dv.promptTitle, dv.prompt, dv.showInputMessage = title[:32], text[:255], True
    return dv


def _with_prompt(dv: DataValidation, title: str, text: str) -> DataValidation:
    dv.promptTitle, dv.prompt, dv.showInputMessage = title[:32], text[:255], True
    return dv


def _figure_prompt(label: str, kind: str) -> str:
    unit = {"percent": "phần trăm từ 0 đến 100: gõ 85 hoặc 85%", "number": "số"}.get(kind, "số")
    return f"{label} ({unit})"


def _inputs(
    ws: Worksheet, item: Item, row: int, top: Decimal, lists: _Lists, validations: _Validations
) -> None:
    inputs = ["evidence", "explanation"]
    validations.add(
        f"{LETTER['evidence']}{row}", ("evidence",), _prompt("Tài liệu kiểm chứng", EVIDENCE_PROMPT)
    )
    validations.add(
        f"{LETTER['explanation']}{row}", ("explanation",), _prompt("Giải trình", EXPLANATION_PROMPT)
    )
    labels = choice_labels(item)
    if labels:
        inputs.append("choice")
        ref = lists.ref(labels)
        dv = DataValidation(type="list", formula1=f"={ref}", allow_blank=True)
        dv.error, dv.errorTitle, dv.showErrorMessage = "Chọn trong danh sách", "Lựa chọn", True
        _with_prompt(dv, "Lựa chọn", "Chọn một mức trong danh sách: " + "; ".join(labels))
        validations.add(f"{LETTER['choice']}{row}", ("list", ref), dv)
    for figure in item.figures:
        column = figure.column
        inputs.append(column)
        if figure.kind == "count":
            dv = _with_prompt(
                _decimal_validation(Decimal(0), None, True),
                "Số liệu 1",
                f"{figure.label} (số nguyên)",
            )
            validations.add(f"{LETTER[column]}{row}", ("count", figure.label), dv)
            continue
        high = Decimal(100) if figure.kind == "percent" else None
        dv = _with_prompt(
            _decimal_validation(Decimal(0), high),
            "Số liệu 1" if column == "figure1" else "Số liệu 2 (mẫu số)",
            _figure_prompt(figure.label, figure.kind),
        )
        validations.add(f"{LETTER[column]}{row}", ("num", str(high), column, figure.label), dv)
    step = item.manual_step
    if step is not None:
        inputs.append("points")
        cell = f"{LETTER['points']}{row}"
        dv = DataValidation(type="custom", formula1=step_check(cell, top, step))
        dv.error = f"Nhập điểm từ 0 đến {fmt(top)}, theo bước {fmt(step)} điểm"
        dv.errorTitle, dv.showErrorMessage = "Điểm không hợp lệ", True
        _with_prompt(dv, "Điểm tự chấm", f"Từ 0 đến {fmt(top)} điểm, bước {fmt(step)}")
        validations.add(cell, ("points", cell), dv)
    for name in inputs:
        cell = ws[f"{LETTER[name]}{row}"]
        cell.protection = _UNLOCKED
        cell.fill = INPUT_FILL
    _figure_labels(ws, item, row)


def _figure_labels(ws: Worksheet, item: Item, row: int) -> None:
    """The item's own figure labels in its row (the 'Cách chấm' cell), not 'Số liệu 1/2'."""
    labels = [f"Số liệu {n}: {f.label}" for n, f in enumerate(item.figures, start=1)]
    if not labels:
        return
    cell = ws.cell(row=row, column=4)
    text = str(cell.value or "")
    if not all(label in text for label in labels):
        cell.value = "\n".join([text, *labels]).strip()
        cell.data_type = "s"
