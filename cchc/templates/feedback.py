"""The round-1 feedback workbook: one per unit, its appraised items, and a column for its answer.

After round 1 the council sends each unit its result: the points of each item, the round-1
points, who appraised it and what they noted. The unit answers (giải trình bổ sung) where it
disagrees and names the evidence it adds; the file comes back and is read by unit (from its
_meta) and item code (from its rows), never by position.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from cchc.core.fileio import atomic_path
from cchc.core.issues import Issue, Severity, cell_ref
from cchc.core.text import fold
from cchc.readers.cells import cell_text
from cchc.readers.headers import find_header
from cchc.templates.appraisal import (
    HEADER_ROW,
    HINT_ROW,
    META_SHEET,
    TITLE_ROW,
    Report,
    Rows,
    finish,
    open_sheet,
    put,
    put_text,
    styles,
)
from cchc.templates.builder import FONT

SHEET = "Kết quả thẩm định"
KIND = "appraisal_feedback"
VERSION = "1"
FIRST_ROW = HEADER_ROW + 1

COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("code", "Mã", 8),
    ("title", "Nội dung", 44),
    ("max", "Điểm tối đa", 9),
    ("self", "Điểm tự chấm", 10),
    ("first", "Thẩm định lần 1", 11),
    ("difference", "Chênh lệch", 10),
    ("body", "Cơ quan thẩm định", 20),
    ("comment", "Nhận xét thẩm định", 32),
    ("response", "Giải trình bổ sung của đơn vị", 36),
    ("added", "Tài liệu bổ sung", 32),
)
TITLES = {name: title for name, title, _ in COLUMNS}
INPUTS = ("response", "added")
_NUMBERS = ("max", "self", "first", "difference")
HINT = (
    "Đơn vị xem điểm thẩm định lần 1 và nhận xét của từng mục. Mục nào chưa đồng ý, ghi giải "
    "trình bổ sung và tài liệu bổ sung (số, ký hiệu, ngày văn bản hoặc đường dẫn) vào các ô nền "
    "vàng, rồi gửi lại tệp này. Không thêm, xóa hay đổi tên cột."
)


@dataclass(frozen=True)
class FeedbackRow:
    """One appraised item of the unit."""

    code: str
    title: str
    max: Decimal
    self_points: Decimal | None
    first: Decimal | None
    body: str
    comment: str
    response: str = ""
    added: str = ""

    @property
    def difference(self) -> Decimal | None:
        """Round 1 minus self (negative when the appraisal took points away)."""
        if self.first is None:
            return None
        return self.first - (self.self_points or Decimal(0))


@dataclass(frozen=True)
class Addressee:
    """The unit the workbook is for."""

    code: str
    name: str
    year: int
    number_format: str = "0.00"
    """How points are shown (its set's decimals)."""


def build_feedback(unit: Addressee, rows: list[FeedbackRow]) -> Workbook:
    """The unit's feedback workbook: the 'Kết quả thẩm định' sheet and a hidden _meta."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    style = styles(wb, unit.number_format)
    heading = f"Kết quả thẩm định lần 1 Chỉ số CCHC năm {unit.year} – {unit.code} {unit.name}"
    ws.cell(row=TITLE_ROW, column=1, value=heading).font = Font(name=FONT, size=14, bold=True)
    put_text(ws, HINT_ROW, 1, HINT).font = Font(name=FONT, size=12, italic=True)
    kinds = []
    for column, (name, title, width) in enumerate(COLUMNS, start=1):
        put(ws, HEADER_ROW, column, title, style["header"])
        ws.column_dimensions[chr(ord("A") + column - 1)].width = width
        kind = "number" if name in _NUMBERS else "text"
        kinds.append(f"input_{kind}" if name in INPUTS else kind)
    table = Rows(
        ws,
        [style[kind] for kind in kinds],
        [float(width) for _, _, width in COLUMNS],
        [kind.endswith("text") for kind in kinds],
    )
    for number, row in enumerate(rows, start=FIRST_ROW):
        table.write(
            number,
            (
                row.code,
                row.title,
                row.max,
                row.self_points,
                row.first,
                row.difference,
                row.body,
                row.comment,
                row.response,
                row.added,
            ),
        )
    meta = {"kind": KIND, "year": str(unit.year), "version": VERSION, "round": "1"}
    meta |= {"unit": unit.code, "rows": str(len(rows))}
    finish(wb, ws, chr(ord("A") + len(COLUMNS) - 1), len(rows), meta.items())
    return wb


def write_feedback(unit: Addressee, rows: list[FeedbackRow], target: Path) -> Path:
    """Write the unit's feedback workbook, whole or not at all."""
    wb = build_feedback(unit, rows)
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target


@dataclass(frozen=True)
class Answer:
    """What a unit answered for one item after round 1."""

    response: str
    added: str
    where: str
    """File and cell the answer was read from."""


@dataclass
class Answers:
    """The answers read: {unit code: {item code: Answer}} and every problem found."""

    by_unit: dict[str, dict[str, Answer]] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    files: int = 0

    def count(self) -> int:
        """Items answered."""
        return sum(len(items) for items in self.by_unit.values())


Known = Callable[[str, str], bool]
"""(unit code, item code) → whether the unit has that item appraised in round 1."""


def read_feedback(paths: Iterable[Path], year: int, known: Known) -> Answers:
    """Read the units' feedback workbooks; a unit's answers may come in several files."""
    answers = Answers()
    for path in paths:
        report = Report(path, "feedback")
        found = _read_one(path, year, known, report)
        if found is None:
            answers.issues += report.issues
            continue
        answers.files += 1
        unit, items = found
        mine = answers.by_unit.setdefault(unit, {})
        for code, answer in items.items():
            if code in mine and mine[code] != answer:
                report.add(
                    "feedback_twice",
                    f"đơn vị {unit}, mục {code} đã có giải trình ở {mine[code].where}; giữ cả hai",
                    Severity.WARNING,
                    item=code,
                )
                answer = Answer(
                    f"{mine[code].response}; {answer.response}".strip("; "),
                    f"{mine[code].added}; {answer.added}".strip("; "),
                    f"{mine[code].where}; {answer.where}",
                )
            mine[code] = answer
        answers.issues += report.issues
    return answers


def _read_one(
    path: Path, year: int, known: Known, report: Report
) -> tuple[str, dict[str, Answer]] | None:
    opened = open_sheet(path, report, SHEET)
    if opened is None:
        return None
    rows, meta = opened
    if meta.get("kind") != KIND:
        report.unreadable(
            f"tệp không phải bảng kết quả thẩm định gửi đơn vị (_meta: kind = "
            f"'{meta.get('kind', '')}')",
            sheet=META_SHEET,
        )
        return None
    if meta.get("year") != str(year):
        report.add(
            "feedback_wrong_year",
            f"bảng kết quả thẩm định của năm {meta.get('year')}, không phải năm {year}",
            sheet=META_SHEET,
        )
        return None
    unit = meta.get("unit", "")
    if not unit:
        report.unreadable("_meta không ghi mã đơn vị (unit)", sheet=META_SHEET)
        return None
    titles = {fold(title): name for name, title, _ in COLUMNS}
    found = find_header(rows, lambda text: titles.get(fold(text)), ("code", *INPUTS))
    if found is None:
        report.unreadable(
            f"không tìm thấy dòng tiêu đề (cột {TITLES['code']}, {TITLES['response']}, "
            f"{TITLES['added']})",
            sheet=SHEET,
        )
        return None
    header, columns = found
    items: dict[str, Answer] = {}
    for index in range(header + 1, len(rows)):
        row = rows[index]
        code = _text(row, columns["code"])
        response, added = (_text(row, columns[name]) for name in INPUTS)
        if not response and not added:
            continue
        where: dict[str, Any] = {"sheet": SHEET, "item": code or None}
        cell = cell_ref(index, columns["response" if response else "added"])
        if not code or not known(unit, code):
            report.add(
                "feedback_unknown",
                f"đơn vị {unit}: mục '{code}' không có điểm thẩm định lần 1; giải trình bị bỏ qua",
                cell=cell,
                **where,
            )
            continue
        if code in items:
            report.add(
                "feedback_duplicate",
                f"mục {code} có hai dòng giải trình; dòng này bị bỏ qua",
                cell=cell,
                **where,
            )
            continue
        items[code] = Answer(response, added, f"{path.name}, ô {SHEET}!{cell}")
    return unit, items


def _text(row: list[Any], column: int) -> str:
    return cell_text(row[column]) if column < len(row) else ""
