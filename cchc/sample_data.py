"""Fictional units and their filled workbooks for the demo: deterministic, with planted mistakes."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from cchc.criteria.model import (
    CriteriaSet,
    Item,
    ManualRule,
    PerItemRule,
    ProportionalRule,
    TiersRule,
    effective_method,
)
from cchc.scoring.rules import choice_labels
from cchc.templates.layout import HEADER_ROW, LETTER, SELF_SHEET
from cchc.units import Unit

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


def units_yaml(units: list[Unit]) -> str:
    """The units registry as YAML text."""
    lines = ["# Danh sách đơn vị (dữ liệu giả lập cho chạy thử)"]
    for u in units:
        lines.append(f"- {{code: {u.code}, name: {u.name}, group: {u.group}, set: {u.set}}}")
    return "\n".join(lines) + "\n"


def _leaf_values(item: Item, rng: random.Random) -> dict[str, object]:
    rule = item.rule
    labels = choice_labels(item)
    if isinstance(rule, TiersRule | ProportionalRule):
        if rule.measure.kind == "ratio":
            total = rng.randint(10, 400)
            return {"figure1": round(total * rng.uniform(0.6, 1.0)), "figure2": total}
        if rule.measure.kind == "percent":
            return {"figure1": rng.randint(55, 100)}
        return {"figure1": rng.randint(0, 15)}
    if isinstance(rule, PerItemRule):
        return {"figure1": rng.choice([0, 0, 0, 1, 2])}
    if isinstance(rule, ManualRule):
        steps = int((item.max or Decimal(0)) / rule.step)
        return {"points": float(rule.step * rng.randint(steps // 2, steps))}
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
        values["evidence"] = f"Báo cáo số {rng.randint(1, 300)}/BC-UBND ngày 15/12/{2024}"
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
    wb.save(template)
    return template
