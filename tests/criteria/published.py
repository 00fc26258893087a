"""Criteria tables laid out as provinces publish them, written as .docx and .xlsx for the tests.

One table, two files: a Word annex (a two-row merged header and a row of column numbers, Roman
domains, option rows under items whose code and max cells are merged down, the table broken over
two tables with the header repeated, a totals row and a note) and the same as a workbook (merged
header cells, the header repeated mid-sheet after a page break).
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from openpyxl import Workbook

HEADING = [
    "ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH",
    "BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA CÁC SỞ NĂM 2025",
    "(Kèm theo Quyết định số 123/QĐ-UBND ngày 05/01/2025 của UBND tỉnh Hòa Bình)",
]
TOP = ["STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm tối đa", "Điểm đánh giá", "", ""]
TOP += ["Chỉ số", "Ghi chú"]
SUB = ["", "", "", "Điều tra XHH", "Tự đánh giá", "Sở Nội vụ thẩm định", "", ""]
NUMBERS = [f"({n})" for n in range(1, 9)]

PART_1 = [
    ["I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", "5"],
    ["1", "Kế hoạch CCHC năm", "4"],
    ["1.1", "Ban hành kế hoạch CCHC năm", "1"],
    ["", "Ban hành kịp thời: 1"],
    ["", "Ban hành không kịp thời: 0,5 điểm"],
    ["", "Không ban hành: 0"],
    ["1.2", "Mức độ thực hiện kế hoạch CCHC", "2"],
    ["", "Thực hiện trên 90% kế hoạch: 2"],
    ["", "Thực hiện từ 70% - 90% kế hoạch: 1"],
    ["", "Dưới 70% kế hoạch: 0"],
    ["1.3", "Xác định rõ kết quả cần đạt", "1"],
    ["", "Đạt yêu cầu: 1"],
    ["", "Không đạt yêu cầu: 0"],
    ["2", "Báo cáo CCHC", "1"],
    ["a)", "Báo cáo đúng hạn", "0,5"],
    ["", "Đầy đủ, đúng hạn", "0,5"],
    ["", "Không đúng hạn", "0"],
    ["b)", "Chất lượng báo cáo", "0,5"],
]
PART_2 = [
    ["II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "3"],
    ["1", "Tỷ lệ hồ sơ giải quyết đúng hạn", "2"],
    ["", "Từ 100%: 2 điểm"],
    ["", "Từ 90% đến dưới 100%: 1 điểm"],
    ["", "Dưới 90%: 0 điểm"],
    ["2", "Công khai thủ tục hành chính", "1"],
    ["", "100%: 1 điểm"],
    ["", "Dưới 100%: 0"],
    ["", "Tổng cộng", "8"],
    ["Ghi chú: cột (4) do Sở Nội vụ tổng hợp từ kết quả điều tra xã hội học."],
]
MERGED_DOWN = (2, 3)
"""Rows of PART_1 (0-based) where the code and max cells are merged down over the options:
'1.1' over its three options."""


def _row(values: list[str]) -> list[str]:
    return values + [""] * (len(TOP) - len(values))


def write_docx(path: Path) -> Path:
    """The annex as a Word document."""
    doc = Document()
    for line in HEADING:
        doc.add_paragraph(line)
    for number, part in enumerate((PART_1, PART_2)):
        if number:
            doc.add_paragraph("")  # a page break in the real annex: Word splits the table
        table = doc.add_table(rows=3 + len(part), cols=len(TOP))
        for r, values in enumerate([TOP, SUB, NUMBERS]):
            for c, text in enumerate(values):
                if text:
                    table.cell(r, c).text = text
        table.cell(0, 3).merge(table.cell(0, 5))
        for c in (0, 1, 2, 6, 7):
            table.cell(0, c).merge(table.cell(1, c))
        for r, values in enumerate(part, start=3):
            for c, text in enumerate(_row(values)):
                if text:
                    table.cell(r, c).text = text
        if number == 0:
            first = 3 + MERGED_DOWN[0]
            for c in (0, 2):
                table.cell(first, c).merge(table.cell(first + MERGED_DOWN[1], c))
        else:
            note = 3 + len(part) - 1
            table.cell(note, 0).merge(table.cell(note, len(TOP) - 1))
    doc.save(str(path))
    return path


def write_xlsx(path: Path) -> Path:
    """The same table as a workbook: merged header, the header repeated after a page break."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Phụ lục"
    for line in HEADING:
        sheet.append([line])
    sheet.append([])
    sheet.append(TOP)
    header = sheet.max_row
    sheet.append(SUB)
    sheet.append(NUMBERS)
    sheet.merge_cells(start_row=header, start_column=4, end_row=header, end_column=6)
    for column in (1, 2, 3, 7, 8):
        sheet.merge_cells(
            start_row=header, start_column=column, end_row=header + 1, end_column=column
        )
    for values in PART_1:
        sheet.append(_row(values))
    sheet.append(TOP)  # repeated at the top of the printed page
    for values in PART_2:
        sheet.append(_row(values))
    book.save(path)
    return path
