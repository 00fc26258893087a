"""`cchc criteria import`: a published criteria table (Word or a workbook) to a YAML draft."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cchc.core.errors import CommandError
from cchc.core.fileio import write_text
from cchc.core.issues import Issue, Severity
from cchc.criteria.table_import import read_draft


@dataclass
class Imported:
    """The draft written, and every problem it still has (each a comment in the draft)."""

    draft: Path
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the draft is a valid set as written (warnings allowed)."""
        return not any(i.severity is Severity.ERROR for i in self.issues)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "draft": str(self.draft),
            "ok": self.ok,
            "issues": [i.model_dump(mode="json") for i in self.issues],
        }


def import_criteria(table: Path, out: Path | None, facts: dict[str, Any]) -> Imported:
    """Read the table and write its draft (default: next to it, as .yaml).

    CommandError, with nothing written, when the table cannot make a set.
    """
    draft = read_draft(table, facts)
    if draft.data is None:
        raise CommandError("không tạo được bộ tiêu chí từ bảng; sửa lỗi dưới đây", draft.issues)
    target = out or table.with_suffix(".yaml")
    if target.resolve() == table.resolve():
        raise CommandError(f"tệp ghi ra trùng với bảng nhập {table}; dùng --out")
    write_text(target, draft.text)
    return Imported(target, draft.issues)
