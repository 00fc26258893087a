"""The demo: the main job end to end on the bundled sample data."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cchc.commands.check import check as check_workbooks
from cchc.commands.evidence import check_evidence_folder
from cchc.commands.session import Session
from cchc.commands.template import make_templates
from cchc.core.dates import parse_date
from cchc.core.fileio import write_text
from cchc.criteria.dump import dump_yaml, with_inner_max
from cchc.criteria.export import export_docx, export_xlsx
from cchc.criteria.model import CriteriaSet
from cchc.criteria.registry import find_set, require, scan
from cchc.criteria.table_import import import_table
from cchc.demo.annex import import_annex
from cchc.demo.hostile import FOLDER, hostile_lines
from cchc.demo.plan import plan_steps
from cchc.demo.report import report_steps
from cchc.demo.sample_data import (
    EVIDENCE_MISTAKES,
    MISTAKES,
    SAMPLE_UNITS,
    fill_sample,
    units_yaml,
    write_evidence_files,
)
from cchc.demo.scoring import season, session
from cchc.reports.evidence_xlsx import book_name
from cchc.store.workspace import Workspace, init_workspace
from cchc.templates.layout import EVIDENCE_DIR

YEAR = 2024
DEADLINE = "15/12/2024"


@dataclass
class Step:
    """One thing the demo did, and the files it wrote."""

    title: str
    lines: list[str] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    ok: bool = True


def run_demo(out: Path) -> list[Step]:
    """Run every shipped capability on the bundled sets, writing under `out`."""
    entries = scan()
    check = Step("Kiểm tra các bộ tiêu chí kèm theo")
    for entry in entries:
        loaded = entry.loaded
        label = f"{loaded.set.id} {loaded.set.year}" if loaded.set else entry.path.name
        leaves = len(loaded.set.leaves()) if loaded.set else 0
        check.lines.append(f"{label}: {'hợp lệ' if loaded.ok else 'CÓ LỖI'}, {leaves} mục lá")
        check.ok &= loaded.ok
    export = Step("Xuất bảng tiêu chí để công bố (Excel, Word)")
    roundtrip = Step("Nhập lại bảng Excel thành YAML và so sánh")
    folder = out / "bo-tieu-chi"
    for entry in entries:
        criteria = entry.loaded.set
        if criteria is None:
            continue
        stem = f"{criteria.id}-{criteria.year}"
        xlsx = export_xlsx(criteria, folder / f"{stem}.xlsx")
        export.outputs += [xlsx, export_docx(criteria, folder / f"{stem}.docx")]
        back = import_table(xlsx)
        same = back.set is not None and back.set == with_inner_max(criteria)
        roundtrip.ok &= same
        roundtrip.lines.append(f"{stem}: {'giống hệt bản gốc' if same else 'KHÁC bản gốc'}")
        if back.set is not None:
            roundtrip.outputs.append(
                write_text(folder / f"{stem}.nhap-lai.yaml", dump_yaml(back.set))
            )
    made, workspace = _workspace(out)
    demo = session(workspace)
    steps = [check, export, roundtrip, _annex(folder), made, *_workbooks(out, demo)]
    scored = season(out, workspace, out / "so-da-nop")
    later = plan_steps(out, demo) + report_steps(out, demo)
    for title, lines, outputs in scored + later:
        steps.append(Step(title, lines, outputs))
    return steps


def _annex(folder: Path) -> Step:
    """A province's table published in Word, imported into a YAML draft to finish by hand."""
    annex, imported = import_annex(folder)
    step = Step("Nhập bảng tiêu chí của tỉnh từ phụ lục Word (cchc criteria import)")
    warnings = [i for i in imported.issues if i.severity == "warning"]
    step.lines.append(
        f"bản nháp {'hợp lệ' if imported.ok else 'còn lỗi'}, {len(warnings)} chỗ cần xem "
        "(ghi chú ngay trong bản nháp):"
    )
    step.lines += [f"[{i.code}] {i}" for i in imported.issues]
    step.outputs += [annex, imported.draft]
    step.ok = imported.ok
    return step


def _workspace(out: Path) -> tuple[Step, Workspace]:
    """A fresh workspace, as `cchc init` makes it."""
    folder = out / "khong-gian-lam-viec"
    if folder.exists():
        shutil.rmtree(folder)
    workspace = init_workspace(folder, "Tỉnh Bắc Kạn (giả lập)", ["cchc-xa"])
    step = Step("Tạo không gian làm việc (cchc init)")
    step.lines.append(f"{len(workspace.sets())} bộ tiêu chí, danh sách đơn vị mẫu, kho SQLite")
    step.outputs += [workspace.config_path, workspace.units_path, workspace.db_path]
    return step, workspace


def _workbooks(out: Path, demo: Session) -> list[Step]:
    """Templates for fictional communes, filled (with mistakes), then checked."""
    criteria = require(find_set("cchc-xa", YEAR))
    units_file = write_text(out / "don-vi.yaml", units_yaml(SAMPLE_UNITS))
    make = Step("Tạo sổ tự đánh giá cho các đơn vị", outputs=[units_file])
    inbox = out / "so-da-nop"
    templates = make_templates(demo, "cchc-xa", out / "so-tu-danh-gia", YEAR, DEADLINE)
    make.lines.append(f"{len(templates)} sổ, bộ tiêu chí {criteria.id} {criteria.year}")
    make.outputs.append(out / "so-tu-danh-gia")
    fill = Step("Đơn vị điền và nộp sổ (giả lập, có lỗi cố ý)")
    if inbox.exists():
        shutil.rmtree(inbox)
    inbox.mkdir(parents=True)
    for seed, (unit, template) in enumerate(zip(SAMPLE_UNITS, templates, strict=True)):
        if unit.code == "P003":
            fill.lines.append(f"{unit.code} {unit.name}: chưa nộp")
            continue
        target = inbox / template.name
        shutil.copy(template, target)
        fill_sample(criteria, unit, target, seed)
        line = f"{unit.code} {unit.name}: {MISTAKES.get(unit.code, ('', 'điền đủ'))[1]}"
        if unit.code in EVIDENCE_MISTAKES:
            line += f"; tài liệu kiểm chứng: {EVIDENCE_MISTAKES[unit.code][1]}"
        fill.lines.append(line)
    write_evidence_files(inbox)
    (inbox / "tai-lieu.docx").write_bytes(b"PK\x03\x04")
    fill.outputs.append(inbox)
    check = Step("Kiểm tra các sổ đã nộp (sổ và tài liệu kiểm chứng, như cchc check)")
    checked = check_workbooks(demo, inbox, YEAR, out)
    summary = checked.to_json()
    check.lines.append(
        f"{len(summary['submitted'])} đơn vị đã nộp, nộp sổ trống: "
        f"{', '.join(summary['blank']) or 'không'}, chưa nộp: {', '.join(summary['missing'])}; "
        f"{summary['errors']} lỗi, {summary['warnings']} cảnh báo"
    )
    issues = checked.report.all_issues()
    check.lines += [f"[{i.code}] {i}" for i in issues if i.code != "not_a_workbook"]
    check.outputs.append(checked.workbook)
    return [make, fill, check, _evidence(demo, inbox, out), _hostile(out, inbox, criteria)]


def _hostile(out: Path, inbox: Path, criteria: CriteriaSet) -> Step:
    """A good workbook among broken and crafted files: each refused, the good one still read."""
    step = Step("Tệp hỏng, tệp độc hại, liên kết ra ngoài: từ chối từng tệp, không dừng")
    good = next(inbox.glob("X001 *.xlsx"))
    folder = out / FOLDER
    step.lines += hostile_lines(folder, good, out / "don-vi.yaml", SAMPLE_UNITS, criteria, YEAR)
    step.outputs.append(folder)
    return step


def _evidence(demo: Session, inbox: Path, out: Path) -> Step:
    """The references the units cited, checked against the year, the deadline and their files."""
    step = Step("Kiểm tra tài liệu kiểm chứng")
    found = check_evidence_folder(
        demo, inbox, YEAR, deadline=parse_date(DEADLINE), out=out / book_name(YEAR)
    )
    summary: dict[str, Any] = found.to_json()
    step.lines.append(
        f"{sum(summary['references'].values())} tài liệu được dẫn, thư mục tài liệu "
        f"{EVIDENCE_DIR}/<mã đơn vị>; {summary['errors']} lỗi, {summary['warnings']} cảnh báo"
    )
    step.lines += [f"[{i.code}] {i}" for i in found.report.all_issues()]
    step.outputs.append(found.workbook)
    return step
