"""Import a criteria table as provinces publish them: Mã, Nội dung, Điểm tối đa, Cách chấm."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from cchc.core.issues import Issue, Severity, cell_ref
from cchc.criteria.loader import Loaded, validate_data
from cchc.criteria.parse_wording import parse_rule_text
from cchc.criteria.table import (
    INFO_SHEET,
    TABLE_SHEET,
    column_for,
    info_data,
    row_fields,
)
from cchc.readers.cells import cell_text
from cchc.readers.guard import Refused
from cchc.readers.table import read_table

HEADER_SEARCH_ROWS = 30


def _issue(code: str, message: str, file: str, sheet: str | None = None, **kw: Any) -> Issue:
    severity = kw.pop("severity", Severity.ERROR)
    return Issue(code=code, severity=severity, message=message, file=file, sheet=sheet, **kw)


def _find_header(rows: list[list[Any]]) -> tuple[int, dict[int, str]] | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = {i: column_for(cell_text(v)) for i, v in enumerate(row)}
        found = {i: name for i, name in columns.items() if name is not None}
        if {"code", "title", "max"} <= set(found.values()):
            return index, found
    return None


def import_table(path: str | Path, overrides: dict[str, Any] | None = None) -> Loaded:
    """Read a criteria table into a checked set; unreadable rules become manual, with warnings."""
    name = str(path)
    try:
        sheets = read_table(Path(path))
        sheet = TABLE_SHEET if TABLE_SHEET in sheets else next(iter(sheets))
        rows = sheets[sheet]
        info = sheets.get(INFO_SHEET, [])
    except Refused as exc:
        message = f"không đọc được bảng: {exc}"
        return Loaded(name, None, [_issue("file_unreadable", message, name, exc.refusal.sheet)])
    except Exception as exc:  # calamine raises several error types for unreadable files
        return Loaded(name, None, [_issue("file_unreadable", f"không đọc được bảng: {exc}", name)])
    found = _find_header(rows)
    if found is None:
        message = "không tìm thấy dòng tiêu đề có các cột Mã/STT, Nội dung, Điểm tối đa"
        return Loaded(name, None, [_issue("table_header_missing", message, name, sheet)])
    header, columns = found
    data: dict[str, Any] = {"status": "sample", "level": "", "title": Path(path).stem}
    if info:
        data |= info_data({cell_text(r[0]): cell_text(r[1]) for r in info if len(r) >= 2})
    data |= overrides or {}
    issues: list[Issue] = []
    data["items"] = _tree(rows, header, columns, name, sheet, issues)
    if "scale" not in data:
        # No facts sheet: the scale is what the domains add up to (bonus and penalty aside).
        scored = [i for i in data["items"] if i.get("type") is None and "max" in i]
        data["scale"] = sum((i["max"] for i in scored), Decimal(0)) or Decimal(100)
    return validate_data(data, name, issues)


def _tree(
    rows: list[list[Any]],
    header: int,
    columns: dict[int, str],
    file: str,
    sheet: str,
    issues: list[Issue],
) -> list[dict[str, Any]]:
    top: list[dict[str, Any]] = []
    by_code: dict[str, dict[str, Any]] = {}
    guessed: dict[str, Issue] = {}
    rule_column = next((i for i, n in columns.items() if n == "rule"), 0)
    for r, row in enumerate(rows[header + 1 :], start=header + 1):
        cells = {n: cell_text(row[i]) if i < len(row) else "" for i, n in columns.items()}
        if not cells.get("code"):
            continue
        item = row_fields(cells)
        parsed = parse_rule_text(cells.get("rule", ""))
        item |= parsed.fields
        item["items"] = []
        if parsed.rule is not None:
            item["rule"] = parsed.rule
        if parsed.guessed:
            guessed[item["code"]] = _issue(
                "rule_not_understood",
                "không hiểu cách chấm; đã chuyển thành chấm trực tiếp (manual), "
                "cần hoàn thiện trong YAML",
                file,
                sheet,
                cell=cell_ref(r, rule_column),
                item=item["code"],
                severity=Severity.WARNING,
            )
        parent = by_code.get(item["code"].rpartition(".")[0])
        (parent["items"] if parent is not None else top).append(item)
        by_code[item["code"]] = item
    for code, item in by_code.items():
        if item["items"] and parsed_rule_is_text(item):
            # Inner rows of published tables often describe the group in this column.
            item.pop("rule")
            guessed.pop(code, None)
    issues += guessed.values()
    return top


def parsed_rule_is_text(item: dict[str, Any]) -> bool:
    """True if an inner row carries a rule read from free text."""
    rule = item.get("rule")
    return isinstance(rule, dict) and rule.get("kind") == "manual" and "step" not in rule
