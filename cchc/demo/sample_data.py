"""Fictional units and their filled workbooks for the demo: deterministic, with planted mistakes."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from cchc.core.fileio import atomic_path
from cchc.criteria.model import (
    YES,
    CriteriaSet,
    Item,
    TiersRule,
    effective_method,
)
from cchc.evidence.doctypes import NAMES
from cchc.evidence.files import evidence_root
from cchc.scoring.rules import choice_labels
from cchc.templates.layout import HEADER_ROW, LETTER, SELF_SHEET
from cchc.units.model import Unit

SAMPLE_UNITS = [
    Unit(code="X001", name="UBND xã Tân Lập", group="xa", set="cchc-xa"),
    Unit(code="X002", name="UBND xã Đồng Tâm", group="xa", set="cchc-xa"),
    Unit(code="X003", name="UBND xã An Bình", group="xa", set="cchc-xa"),
    Unit(code="P001", name="UBND phường Hòa Bình", group="phuong", set="cchc-xa"),
    Unit(code="P002", name="UBND phường Đông Hà", group="phuong", set="cchc-xa"),
    Unit(code="P003", name="UBND phường Minh Khai", group="phuong", set="cchc-xa"),
]
MISTAKES = {
    "X002": ("text_in_number", "gõ chữ vào ô số liệu"),
    "X003": ("blank_item", "bỏ trống một mục"),
    "P002": ("na_not_allowed", "chọn 'Không áp dụng' cho mục không cho phép"),
}
EVIDENCE_MISTAKES = {
    "X001": ("last_year", "dẫn một báo cáo của năm trước"),
    "X002": ("wrong_type", "dẫn báo cáo cho mục cần kế hoạch"),
    "X003": ("missing_file", "dẫn một tệp không gửi kèm"),
    "P001": ("no_evidence", "mục có điểm nhưng bỏ trống tài liệu và giải trình"),
}
PLAN_FILE = "minh-chung/ke-hoach-cchc.pdf"
SHARED_FILE = "minh-chung/bao-cao-tuyen-truyen.pdf"
"""P001 and P002 send the very same file."""


def units_yaml(units: list[Unit]) -> str:
    """The units registry as YAML text."""
    lines = ["# Danh sách đơn vị (dữ liệu giả lập cho chạy thử)"]
    for u in units:
        lines.append(f"- {{code: {u.code}, name: {u.name}, group: {u.group}, set: {u.set}}}")
    return "\n".join(lines) + "\n"


def _leaf_values(item: Item, rng: random.Random) -> dict[str, object]:
    labels = choice_labels(item)
    kinds = [f.kind for f in item.figures]
    if kinds == ["numerator", "denominator"]:
        total = rng.randint(10, 400)
        return {"figure1": round(total * rng.uniform(0.6, 1.0)), "figure2": total}
    if kinds == ["percent"]:
        return {"figure1": rng.randint(55, 100)}
    if kinds == ["number"]:
        return {"figure1": rng.randint(0, 15)}
    if kinds == ["count"]:
        return {"figure1": rng.choice([0, 0, 0, 1, 2])}
    step = item.manual_step
    if step is not None:
        steps = int((item.max or Decimal(0)) / step)
        return {"points": float(step * rng.randint(steps // 2, steps))}
    real = [label for label in labels if label not in ("Không phát sinh", "Không áp dụng")]
    weights = [4 if i == 0 else 1 for i in range(len(real))]
    return {"choice": rng.choices(real, weights)[0]}


def fill_sample(criteria: CriteriaSet, unit: Unit, template: Path, seed: int) -> Path:
    """Fill a unit's template with plausible figures and the unit's planted mistake, if any."""
    rng = random.Random(seed)
    wb = load_workbook(template)
    ws = wb[SELF_SHEET]
    rows = {ws.cell(r, 1).value: r for r in range(HEADER_ROW + 1, ws.max_row + 1)}
    mistake = MISTAKES.get(unit.code, ("", ""))[0]
    for item, ancestors in criteria.walk():
        row = rows.get(item.code)
        if row is None or not item.is_leaf or effective_method(item, ancestors) == "survey":
            continue
        values = _leaf_values(item, rng)
        values["evidence"] = _citation(item, rng.randint(1, 300), criteria.year)
        for column, value in values.items():
            ws[f"{LETTER[column]}{row}"] = value  # type: ignore[assignment]
    first_ratio = next(
        i.code
        for i in criteria.leaves()
        if isinstance(i.rule, TiersRule) and i.rule.measure.kind == "ratio" and i.code in rows
    )
    first_yes_no = next(i.code for i in criteria.leaves() if i.rule and i.rule.kind == "yes_no")
    if mistake == "text_in_number":
        ws[f"{LETTER['figure1']}{rows[first_ratio]}"] = "khoảng 20"
    elif mistake == "blank_item":
        ws[f"{LETTER['choice']}{rows[first_yes_no]}"] = None
    elif mistake == "na_not_allowed":
        ws[f"{LETTER['choice']}{rows[first_yes_no]}"] = "Không áp dụng"
    _plant_evidence(criteria, unit, ws, rows)
    with atomic_path(template) as tmp:
        wb.save(tmp)
    return template


def _wants(item: Item) -> str:
    """The first document type the item accepts (a report if it does not say)."""
    return item.evidence.doc_types[0] if item.evidence and item.evidence.doc_types else "BC"


def _citation(item: Item, number: int, year: int, wants: str | None = None) -> str:
    """A citation of the type the item wants, dated in the year (a plan: the December before)."""
    doc_type = wants or _wants(item)
    when = (
        f"20/12/{year - 1}" if doc_type == "KH" else f"{1 + number % 28}/{1 + number % 11}/{year}"
    )
    return f"{NAMES[doc_type].capitalize()} số {number}/{doc_type}-UBND ngày {when}"


def _plant_evidence(criteria: CriteriaSet, unit: Unit, ws: Worksheet, rows: dict[Any, int]) -> None:
    """The unit's evidence mistake, and the files some units cite."""
    leaves = [
        item
        for item, ancestors in criteria.walk()
        if item.is_leaf and item.code in rows and effective_method(item, ancestors) == "self"
    ]
    plan = next(i for i in leaves if _wants(i) == "KH")
    report = next(i for i in leaves if _wants(i) == "BC")

    def cell(item: Item) -> str:
        return f"{LETTER['evidence']}{rows[item.code]}"

    mistake = EVIDENCE_MISTAKES.get(unit.code, ("", ""))[0]
    if unit.code == "X001":
        ws[cell(plan)] = f"{ws[cell(plan)].value}; {PLAN_FILE}"
    if unit.code in ("P001", "P002"):
        ws[cell(report)] = f"{ws[cell(report)].value}\n{SHARED_FILE}"
    if mistake == "last_year":
        ws[cell(report)] = _citation(report, 7, criteria.year - 1)
    elif mistake == "wrong_type":
        ws[cell(plan)] = _citation(plan, 21, criteria.year, wants="BC")
    elif mistake == "missing_file":
        ws[cell(report)] = f"{ws[cell(report)].value}; minh-chung/bien-ban-kiem-tra.pdf"
    elif mistake == "no_evidence":
        claimed = next(
            i
            for i in leaves
            if i not in (plan, report)
            and i.rule is not None
            and i.rule.kind == "yes_no"
            and ws[f"{LETTER['choice']}{rows[i.code]}"].value == YES
            and (i.evidence is None or i.evidence.required)
        )
        ws[cell(claimed)] = None


def write_evidence_files(inbox: Path) -> list[Path]:
    """The evidence files units send with their workbooks, in tai-lieu/<unit code>/."""
    root = evidence_root(inbox)
    files = {
        root / "X001" / PLAN_FILE: b"%PDF-1.4 Ke hoach CCHC nam - UBND xa Tan Lap",
        root / "P001" / SHARED_FILE: b"%PDF-1.4 Bao cao tuyen truyen CCHC",
        root / "P002" / SHARED_FILE: b"%PDF-1.4 Bao cao tuyen truyen CCHC",
    }
    for path, content in files.items():
        with atomic_path(path) as tmp:
            tmp.write_bytes(content)
    return list(files)
