"""The demo: the main job end to end on the bundled sample data."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cchc.criteria.dump import dump_yaml, with_inner_max
from cchc.criteria.export import export_docx, export_xlsx
from cchc.criteria.registry import scan
from cchc.criteria.table_import import import_table
from cchc.fileio import write_text


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
    return [check, export, roundtrip]
