"""The demo's province annex: a criteria table as a Word document, the way decisions publish it.

Written by the demo (python-docx), then imported like any province's table: a heading that gives
the year and the decision, a two-row header with a row of column numbers, Roman domains, options
on rows of their own, a yes/no pair, percentage tiers, an item with no scoring text, a totals row.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document

from cchc.commands.criteria_import import Imported, import_criteria

HEADING = [
    "ỦY BAN NHÂN DÂN TỈNH BẮC KẠN (GIẢ LẬP)",
    "BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CCHC CỦA UBND CẤP XÃ NĂM 2025",
    "(Kèm theo Quyết định số 999/QĐ-UBND ngày 10/01/2025 của UBND tỉnh Bắc Kạn, giả lập)",
]
HEADER = [
    ["STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm tối đa", "Điểm đánh giá", ""],
    ["", "", "", "Tự đánh giá", "Thẩm định"],
    ["(1)", "(2)", "(3)", "(4)", "(5)"],
]
ROWS = [
    ["I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", "4"],
    ["1", "Kế hoạch CCHC năm", "3"],
    ["1.1", "Ban hành kế hoạch CCHC năm", "1"],
    ["", "Ban hành kịp thời: 1 điểm"],
    ["", "Ban hành không kịp thời: 0,5 điểm"],
    ["", "Không ban hành: 0 điểm"],
    ["1.2", "Mức độ thực hiện kế hoạch", "2"],
    ["", "Thực hiện trên 90% kế hoạch: 2"],
    ["", "Thực hiện từ 70% - 90% kế hoạch: 1"],
    ["", "Dưới 70% kế hoạch: 0"],
    ["2", "Báo cáo CCHC định kỳ", "1"],
    ["", "Đạt yêu cầu: 1"],
    ["", "Không đạt yêu cầu: 0"],
    ["II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "2"],
    ["1", "Công khai thủ tục hành chính", "1"],
    ["", "100%: 1 điểm"],
    ["", "Dưới 100%: 0"],
    ["2", "Tiếp nhận, xử lý phản ánh, kiến nghị", "1"],
    ["", "Tổng cộng", "6"],
]


def write_annex(path: Path) -> Path:
    """The annex as a .docx: heading paragraphs, then the table with its merged header."""
    doc = Document()
    for line in HEADING:
        doc.add_paragraph(line)
    table = doc.add_table(rows=len(HEADER) + len(ROWS), cols=len(HEADER[0]))
    for r, values in enumerate([*HEADER, *ROWS]):
        for c, text in enumerate(values):
            if text:
                table.cell(r, c).text = text
    table.cell(0, 3).merge(table.cell(0, 4))
    for c in range(3):
        table.cell(0, c).merge(table.cell(1, c))
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def import_annex(folder: Path) -> tuple[Path, Imported]:
    """Write the annex into the folder and import it into a draft next to it."""
    annex = write_annex(folder / "phu-luc-bo-tieu-chi-xa.docx")
    return annex, import_criteria(annex, folder / "xa-bk-2025.yaml", {"id": "xa-bk"})
