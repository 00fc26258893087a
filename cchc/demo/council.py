"""The demo's appraisal council: three bodies, two rounds, one unit's answer in between."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from cchc.commands.council import (
    council_answers,
    council_books,
    council_feedback,
    council_read,
    council_status,
)
from cchc.commands.explain import explain_item
from cchc.commands.session import Session
from cchc.core.fileio import atomic_path, write_text
from cchc.core.numbers import fmt
from cchc.scoring.discrepancy import discrepancies
from cchc.templates.appraisal import HEADER_ROW, SHEET
from cchc.templates.feedback import SHEET as FEEDBACK_SHEET

YEAR = 2024
JUSTICE = "Phòng Tư pháp"
DIGITAL = "Phòng Văn hóa và Thông tin"
HOME = "Phòng Nội vụ"
ASSIGNMENT = {"2": JUSTICE, "7": DIGITAL}
"""Domains 2 (institutions) and 7 (e-government) to their bodies; home affairs the rest."""
LOWERED = {JUSTICE: "P002", DIGITAL: "X002", HOME: "X003"}
"""The unit each body marks down on its first item the unit scored points on."""
Line = tuple[str, list[str], list[Path]]

Fill = Callable[[dict[str, Any], int, Any], None]
"""Types into one row: (column titles → number, row number, the sheet)."""


def _fill(path: Path, sheet: str, fill: Fill) -> None:
    """Open a workbook cchc wrote, let `fill` type into each row, save it (as Excel would)."""
    wb = load_workbook(path)
    ws = wb[sheet]
    titles = {str(ws.cell(HEADER_ROW, c).value): c for c in range(1, ws.max_column + 1)}
    for r in range(HEADER_ROW + 1, ws.max_row + 1):
        fill(titles, r, ws)
    with atomic_path(path) as tmp:
        wb.save(tmp)


def _round_one(body: str, path: Path) -> str:
    """The body agrees with every self-score but one item of one unit, which it marks down."""
    lowered: list[str] = []

    def fill(titles: dict[str, Any], r: int, ws: Any) -> None:
        own = ws.cell(r, titles["Điểm tự chấm"]).value
        if not isinstance(own, int | float):
            return
        unit = ws.cell(r, titles["Mã đơn vị"]).value
        first = ws.cell(r, titles["Thẩm định lần 1"])
        if first.value is not None:
            return  # already appraised (the single workbook's round): kept
        if not lowered and unit == LOWERED[body] and own > 0:
            code = ws.cell(r, titles["Mã"]).value
            first.value = 0
            ws.cell(r, titles["Nhận xét thẩm định"]).value = "Tài liệu kiểm chứng chưa chứng minh"
            lowered.append(f"{body}: {unit} mục {code} tự chấm {fmt(Decimal(str(own)))} → 0")
            return
        first.value = own

    _fill(path, SHEET, fill)
    return lowered[0] if lowered else f"{body}: đồng ý với điểm tự chấm"


def council_step(demo: Session, out: Path, inbox: Path, results: Path) -> list[Line]:
    """Round 1 by three bodies, the units' feedback, one answer, round 2; (title, lines, files)."""
    folder = out / "hoi-dong-tham-dinh"
    bodies = folder / "phan-cong-tham-dinh.csv"
    rows = ["Mã,Cơ quan thẩm định"]
    rows += [f"{code},{ASSIGNMENT.get(str(code), HOME)}" for code in range(1, 10)]
    write_text(bodies, "\n".join(rows) + "\n")
    first = council_books(demo, YEAR, folder / "lan-1", 1, bodies, inbox)
    lines = [f"{b.who}: {b.rows} dòng (mọi đơn vị)" for b in first.books]
    books = {b.who: b.path for b in first.books}
    lines += [_round_one(body, path) for body, path in books.items()]
    early = council_status(demo, YEAR, [books[JUSTICE], books[HOME]], 1)
    lines += [
        f"Trước hạn: {f.body} đã gửi lĩnh vực {', '.join(f.domains)}" for f in early.files
    ] + [f"[{i.code}] {i.message}" for i in early.issues if i.code == "appraisal_not_returned"]
    read = council_read(demo, YEAR, list(books.values()), 1, results)
    lines.append(f"Đọc {read.files} bảng lần 1: {read.items} mục; {read.describe()}")
    steps: list[Line] = [
        (
            "Hội đồng thẩm định lần 1: mỗi cơ quan một bảng (Tư pháp, Văn hóa – Thông tin, Nội vụ)",
            lines,
            [bodies, *books.values()],
        )
    ]
    steps.append(_answers(demo, folder))
    steps.append(_round_two(demo, folder, results))
    return steps


def _answers(demo: Session, folder: Path) -> Line:
    """Each unit gets its round-1 result; P002 answers the item the justice office marked down."""
    sent = council_feedback(demo, YEAR, folder / "gui-don-vi")
    unit = LOWERED[JUSTICE]
    path = next(b.path for b in sent.books if b.who == unit)
    answered: list[str] = []

    def fill(titles: dict[str, Any], r: int, ws: Any) -> None:
        if answered or ws.cell(r, titles["Chênh lệch"]).value in (None, 0):
            return
        answered.append(str(ws.cell(r, titles["Mã"]).value))
        ws.cell(
            r, titles["Giải trình bổ sung của đơn vị"]
        ).value = "Đơn vị bổ sung văn bản đã ban hành đúng quy trình"
        ws.cell(r, titles["Tài liệu bổ sung"]).value = "Quyết định số 301/QĐ-UBND ngày 20/10/2024"

    _fill(path, FEEDBACK_SHEET, fill)
    got = council_answers(demo, YEAR, [path])
    lines = [f"{len(sent.books)} đơn vị nhận bảng kết quả lần 1 (điểm, nhận xét, cột giải trình)"]
    lines.append(f"{unit} giải trình mục {', '.join(answered)}, kèm tài liệu bổ sung")
    lines.append(f"Đọc giải trình vào kho: {got.describe()}")
    return ("Gửi kết quả lần 1 cho đơn vị, nhận giải trình bổ sung", lines, [path])


def _round_two(demo: Session, folder: Path, results: Path) -> Line:
    """Round 2 holds only the answered item; the justice office accepts the added evidence."""
    second = council_books(demo, YEAR, folder / "lan-2", 2)
    lines = [f"{b.who}: {b.rows} dòng (chỉ mục đơn vị đã giải trình)" for b in second.books]

    def fill(titles: dict[str, Any], r: int, ws: Any) -> None:
        top = ws.cell(r, titles["Điểm tối đa"]).value
        ws.cell(r, titles["Thẩm định lần 2"]).value = top
        ws.cell(r, titles["Nhận xét thẩm định lần 2"]).value = "Tài liệu bổ sung đạt yêu cầu"

    for book in second.books:
        _fill(book.path, SHEET, fill)
    read = council_read(demo, YEAR, [b.path for b in second.books], 2, results)
    lines.append(f"Đọc bảng lần 2: {read.items} mục; {read.describe()}")
    run = demo.stored_run(YEAR)
    found = [d for d in discrepancies(run) if d.second is not None]
    for d in found:
        why = explain_item(demo, d.unit_code, d.code, YEAR)["trace"]
        lines.append(
            f"{d.unit_code} mục {d.code}: tự chấm {fmt(d.self_points or 0)}, lần 1 "
            f"{fmt(d.first or 0)}, lần 2 {fmt(d.second or 0)} – {why['appraisal_2_by']}"
        )
    lines.append(f"Bảng chênh lệch (tự chấm, lần 1, lần 2): {len(discrepancies(run))} mục")
    outputs = [b.path for b in second.books] + [results / f"ket-qua-{YEAR}.xlsx"]
    return ("Hội đồng thẩm định lần 2 và kết quả cuối cùng", lines, outputs)
