"""A criteria set as a published table: the columns, one row per item, and the set's facts."""

from __future__ import annotations

import functools
from typing import Any

from cchc.core.numbers import fmt, parse_number
from cchc.core.text import fold
from cchc.criteria.model import CriteriaSet, Item, subtree_max
from cchc.criteria.wording import rule_text

COLUMNS: list[tuple[str, str, int]] = [
    ("code", "Mã", 9),
    ("title", "Nội dung", 48),
    ("max", "Điểm tối đa", 10),
    ("rule", "Cách chấm", 48),
    ("evidence", "Tài liệu kiểm chứng", 32),
    ("owner", "Cơ quan chủ trì", 20),
    ("support", "Cơ quan phối hợp", 20),
    ("deadline", "Thời hạn", 14),
    ("doc_types", "Loại văn bản", 12),
    ("maintain", "Nhiệm vụ duy trì", 30),
    ("remedy", "Nhiệm vụ khắc phục", 30),
    ("key", "Khóa", 18),
    ("applies_to", "Áp dụng theo nhóm", 18),
    ("was", "Kế thừa mục năm trước", 18),
    ("comparable", "So sánh được", 10),
]
PUBLISHED = 7
"""The first columns are the table as published; the rest keep what cchc needs to round-trip.
The deadline column comes next, published too when an item of the set has a deadline."""

ALIASES = {
    "stt": "code",
    "mã số": "code",
    "lĩnh vực/tiêu chí/tiêu chí thành phần": "title",
    "lĩnh vực / tiêu chí / tiêu chí thành phần": "title",
    "tiêu chí": "title",
    "điểm chuẩn": "max",
    "điểm": "max",
    "cách chấm điểm": "rule",
    "hướng dẫn chấm điểm": "rule",
    "tài liệu kiểm chứng (tlkc)": "evidence",
    "chủ trì": "owner",
    "phối hợp": "support",
    "thời hạn hoàn thành": "deadline",
    "thời gian hoàn thành": "deadline",
    "thời gian thực hiện": "deadline",
}
OPTIONAL_EVIDENCE = " (không bắt buộc)"
INFO_SHEET = "Thông tin"
TABLE_SHEET = "Bộ tiêu chí"


@functools.lru_cache(maxsize=65536)
def column_for(header: str) -> str | None:
    """The field a header names, or None."""
    folded = fold(header)
    for name, title, _ in COLUMNS:
        if fold(title) == folded:
            return name
    return ALIASES.get(folded)


def item_row(item: Item) -> dict[str, str]:
    """The table cells of one item, as text."""
    evidence = item.evidence
    applies = item.applies_to or {}
    return {
        "code": item.code,
        "title": item.title,
        "max": fmt(subtree_max(item)),
        "rule": rule_text(item),
        "evidence": (evidence.text + ("" if evidence.required else OPTIONAL_EVIDENCE))
        if evidence
        else "",
        "owner": item.owner or "",
        "support": item.support or "",
        "deadline": item.deadline or "",
        "doc_types": ", ".join(evidence.doc_types) if evidence else "",
        "maintain": item.maintain or "",
        "remedy": item.remedy or "",
        "key": item.key or "",
        "applies_to": "; ".join(f"{g}: {fmt(v)}" for g, v in applies.items()),
        "was": ", ".join(item.was),
        "comparable": "" if item.comparable else "Không",
    }


def info_rows(criteria: CriteriaSet) -> list[tuple[str, str]]:
    """The set's facts as label/value pairs (the 'Thông tin' sheet)."""
    previous = criteria.previous
    shown = criteria.precision
    return [
        ("Mã bộ tiêu chí", criteria.id),
        ("Năm", str(criteria.year)),
        ("Tên bộ tiêu chí", criteria.title),
        ("Cấp", criteria.level),
        ("Văn bản ban hành", criteria.issued_by or ""),
        ("Trạng thái", "Chính thức" if criteria.status == "official" else "Mẫu"),
        ("Thang điểm", fmt(criteria.scale)),
        ("Số chữ số thập phân", f"điểm: {shown.points}; chỉ số: {shown.index}"),
        ("Xếp loại", "; ".join(f"{b.label}: {fmt(b.min)}" for b in criteria.bands)),
        ("Bộ tiêu chí năm trước", f"{previous.id} {previous.year}" if previous else ""),
        ("Nhóm đơn vị", "; ".join(f"{k}: {v}" for k, v in criteria.groups.items())),
    ]


def _pairs(text: str) -> list[tuple[str, str]]:
    pairs = []
    for piece in text.split(";"):
        if ":" in piece:
            left, right = piece.rsplit(":", 1)
            pairs.append((left.strip(), right.strip()))
    return pairs


def info_data(values: dict[str, str]) -> dict[str, Any]:
    """The set-level fields from 'Thông tin' label/value pairs."""
    folded = {fold(k): v.strip() for k, v in values.items()}
    data: dict[str, Any] = {}
    simple = {"mã bộ tiêu chí": "id", "tên bộ tiêu chí": "title", "cấp": "level"}
    simple["văn bản ban hành"] = "issued_by"
    for label, name in simple.items():
        if folded.get(label):
            data[name] = folded[label]
    if folded.get("năm"):
        data["year"] = folded["năm"]
    if folded.get("trạng thái"):
        data["status"] = "official" if fold(folded["trạng thái"]) == "chính thức" else "sample"
    if folded.get("thang điểm"):
        data["scale"] = parse_number(folded["thang điểm"]) or folded["thang điểm"]
    if folded.get("số chữ số thập phân"):
        names = {"điểm": "points", "chỉ số": "index"}
        pairs = _pairs(folded["số chữ số thập phân"])
        data["precision"] = {names.get(fold(k), k): v for k, v in pairs}
    if folded.get("xếp loại"):
        bands = _pairs(folded["xếp loại"])
        data["bands"] = [{"label": k, "min": parse_number(v) or v} for k, v in bands]
    if folded.get("bộ tiêu chí năm trước"):
        set_id, _, year = folded["bộ tiêu chí năm trước"].rpartition(" ")
        data["previous"] = {"id": set_id, "year": year}
    if folded.get("nhóm đơn vị"):
        data["groups"] = dict(_pairs(folded["nhóm đơn vị"]))
    return data


def row_fields(row: dict[str, str]) -> dict[str, Any]:
    """Item fields (not the rule) from a table row's text cells."""
    data: dict[str, Any] = {"code": row.get("code", ""), "title": row.get("title", "")}
    number = parse_number(row.get("max", ""))
    if number is not None:
        data["max"] = number
    evidence = row.get("evidence", "")
    if evidence:
        required = not evidence.endswith(OPTIONAL_EVIDENCE)
        data["evidence"] = {"text": evidence.removesuffix(OPTIONAL_EVIDENCE), "required": required}
        types = [t.strip() for t in row.get("doc_types", "").split(",") if t.strip()]
        if types:
            data["evidence"]["doc_types"] = types
    for name in ("owner", "support", "deadline", "maintain", "remedy", "key"):
        if row.get(name):
            data[name] = row[name]
    if row.get("applies_to"):
        data["applies_to"] = {g: parse_number(v) or v for g, v in _pairs(row["applies_to"])}
    if row.get("was"):
        data["was"] = [c.strip() for c in row["was"].split(",") if c.strip()]
    if fold(row.get("comparable", "")) == "không":
        data["comparable"] = False
    return data


def published_columns(criteria: CriteriaSet) -> list[tuple[str, str, int]]:
    """The columns a published table shows: the deadline's too when an item has one."""
    deadlined = any(item.deadline for item, _ in criteria.walk())
    return COLUMNS[: PUBLISHED + 1] if deadlined else COLUMNS[:PUBLISHED]
