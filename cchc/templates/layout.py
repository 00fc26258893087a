"""The unit workbook contract (DESIGN.md §5): sheet names, columns, _meta keys."""

from __future__ import annotations

import hashlib
import json

from cchc.criteria.model import CriteriaSet

TEMPLATE_VERSION = "1"
GUIDE_SHEET = "Hướng dẫn"
SELF_SHEET = "Tự đánh giá"
META_SHEET = "_meta"
LISTS_SHEET = "_ds"

COLUMNS = [
    ("code", "Mã", 9),
    ("title", "Nội dung", 46),
    ("max", "Điểm tối đa", 9),
    ("rule", "Cách chấm", 40),
    ("figure1", "Số liệu 1", 12),
    ("figure2", "Số liệu 2", 12),
    ("choice", "Lựa chọn", 22),
    ("points", "Điểm tự chấm", 10),
    ("evidence", "Tài liệu kiểm chứng", 32),
    ("explanation", "Giải trình", 32),
]
LETTER = {name: chr(ord("A") + i) for i, (name, _, _) in enumerate(COLUMNS)}
HEADER_ROW = 5
TOTAL_LABEL = "TỔNG ĐIỂM TỰ CHẤM"
EVIDENCE_DIR = "tai-lieu"
"""The folder beside the returned workbooks where each unit keeps the documents it cites."""

META_KEYS = (
    "set_id",
    "set_year",
    "set_hash",
    "unit_code",
    "unit_name",
    "unit_group",
    "year",
    "version",
)


def set_hash(criteria: CriteriaSet) -> str:
    """A short fingerprint of the set's content (what the workbook was made against)."""
    data = criteria.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
