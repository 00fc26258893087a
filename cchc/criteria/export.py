"""Export a criteria set as a table fit to publish: Excel (.xlsx) or Word (.docx)."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from cchc.core.fileio import atomic_path
from cchc.core.xlsx_print import landscape_table
from cchc.criteria.model import CriteriaSet
from cchc.criteria.table import (
    COLUMNS,
    INFO_SHEET,
    TABLE_SHEET,
    info_rows,
    item_row,
    published_columns,
)

FONT = "Times New Roman"
SAMPLE_NOTE = "BỘ TIÊU CHÍ MẪU – không phải văn bản chính thức"
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _depths(criteria: CriteriaSet) -> list[int]:
    return [len(ancestors) for _, ancestors in criteria.walk()]


def export_xlsx(criteria: CriteriaSet, target: str | Path) -> Path:
    """Write the set as a workbook: the table sheet and a 'Thông tin' sheet."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = TABLE_SHEET
    ws.append([criteria.title])
    ws.append([f"{criteria.issued_by or ''}".strip() or f"Năm {criteria.year}"])
    if criteria.status == "sample":
        ws.append([SAMPLE_NOTE])
    header_row = ws.max_row + 1
    ws.append([title for _, title, _ in COLUMNS])
    wrap = Alignment(wrap_text=True, vertical="top")
    for (item, _), depth in zip(criteria.walk(), _depths(criteria), strict=True):
        cells = item_row(item)
        ws.append([cells[name] for name, _, _ in COLUMNS])
        for cell in ws[ws.max_row]:
            cell.alignment = wrap
            cell.border = _BORDER
            cell.font = Font(name=FONT, size=12, bold=depth < 2, italic=depth >= 3)
            cell.number_format = "@"
    for cell in ws[header_row]:
        cell.font = Font(name=FONT, size=12, bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        cell.border = _BORDER
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for title_row in ws.iter_rows(max_row=header_row - 1):
        for cell in title_row:
            cell.font = Font(name=FONT, size=13, bold=True)
    shown = len(published_columns(criteria))
    for index, (_, _, width) in enumerate(COLUMNS, start=1):
        dimension = ws.column_dimensions[get_column_letter(index)]
        dimension.width = width
        if index > shown:
            dimension.outlineLevel = 1
            dimension.hidden = True
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(COLUMNS))}{ws.max_row}"
    landscape_table(ws, header_row)
    info = wb.create_sheet(INFO_SHEET)
    for label, value in info_rows(criteria):
        info.append([label, value])
        info.cell(row=info.max_row, column=2).number_format = "@"
    info.column_dimensions["A"].width = 24
    info.column_dimensions["B"].width = 90
    _text_only(wb)
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return Path(target)


def _text_only(wb: Workbook) -> None:
    """The table holds no formulas: a title or owner typed as '=…' stays text."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def _repeat_header(row: object) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def export_docx(criteria: CriteriaSet, target: str | Path) -> Path:
    """Write the published columns as a Word table (landscape A4, Times New Roman)."""
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(12)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.add_run(criteria.title.upper()).bold = True
    if criteria.issued_by:
        sub = doc.add_paragraph(f"({criteria.issued_by})")
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
        sub.runs[0].italic = True
    if criteria.status == "sample":
        doc.add_paragraph(SAMPLE_NOTE).alignment = WD_ALIGN_PARAGRAPH.CENTER
    columns = published_columns(criteria)
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, (_, title, _) in zip(table.rows[0].cells, columns, strict=True):
        cell.text = title
        cell.paragraphs[0].runs[0].bold = True
    _repeat_header(table.rows[0])
    for (item, _), depth in zip(criteria.walk(), _depths(criteria), strict=True):
        row = item_row(item)
        cells = table.add_row().cells
        for cell, (name, _, _) in zip(cells, columns, strict=True):
            cell.text = row[name]
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.bold = depth < 2
    for index, (_, _, width) in enumerate(columns):
        for cell in table.columns[index].cells:
            cell.width = Cm(width / 5)
    with atomic_path(target) as tmp:
        doc.save(str(tmp))
    return Path(target)
