"""The demo's official result of 2024: the table the province published, imported as a year of
its own, so that the 2025 comparison and plan are built on it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cchc.commands.results import import_results
from cchc.commands.session import Session
from cchc.core.fileio import atomic_path
from cchc.scoring.run import YearRun

YEAR = 2024


def published_table(run: YearRun, target: Path) -> Path:
    """The province's table of the year: a summary (domain points, total, index, rank by unit
    name) and its annex of every item's points by unit code."""
    import openpyxl

    book = openpyxl.Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "Tổng hợp"
    criteria = run.criteria(run.units[0])
    domains = [d.code for d in criteria.items]
    summary.append([f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {run.year}"])
    summary.append([])
    summary.append(
        ["STT", "Đơn vị", *(f"Lĩnh vực {d}" for d in domains), "Tổng điểm", "Chỉ số", "Xếp hạng"]
    )
    detail = book.create_sheet("Chi tiết")
    detail.append(["Mã đơn vị", "Mã", "Điểm"])
    for n, score in enumerate(run.ranking(), start=1):
        nodes, t = score.totals.nodes, score.totals
        points: list[Any] = [float(nodes[d].points) if d in nodes else None for d in domains]
        index = float(t.index) if t.index is not None else None
        rank = t.rank if t.rank is not None else "không xếp hạng"
        summary.append([n, score.unit.name, *points, float(t.total), index, rank])
        for code, leaf in score.leaves.items():
            detail.append([score.unit.code, code, None if leaf.excluded else float(leaf.final)])
    with atomic_path(target) as tmp:
        book.save(tmp)
    return target


def official_step(out: Path, demo: Session) -> tuple[str, list[str], list[Path]]:
    """Import the published table of 2024; (title, lines, outputs)."""
    table = published_table(demo.stored_run(YEAR, traces=False), out / "cong-bo-2024.xlsx")
    imported = import_results(demo, table, YEAR)
    lines = [
        f"kết quả chính thức năm {YEAR} (lần {imported.rev}): {len(imported.run.units)} đơn vị, "
        f"{imported.points} điểm đã công bố",
        *(line.strip() for line in imported.lines()),
        *(f"[{i.code}] {i}" for i in imported.issues),
        "so sánh và kế hoạch năm 2025 dùng kết quả này cho năm 2024",
    ]
    return f"Nhập kết quả chính thức năm {YEAR} do tỉnh công bố", lines, [table]
