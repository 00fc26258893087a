"""Import a criteria table as provinces publish it (Word or a workbook) into a YAML draft.

Every table of a document is read, a table without a header continuing the one before; in a
workbook, the first sheet with a header (the 'Bộ tiêu chí' sheet of an exported table, whose
'Thông tin' sheet gives the set's facts). The draft is made whatever problems remain, except when
the table itself cannot make a set (no header, no code column, codes that do not nest, no id or
year): then one error says where, and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from cchc.core.issues import Issue, Severity, has_errors
from cchc.core.numbers import fmt
from cchc.criteria.draft import render_draft
from cchc.criteria.loader import Loaded, validate_data
from cchc.criteria.table import INFO_SHEET, TABLE_SHEET, info_data
from cchc.criteria.table_facts import heading_facts
from cchc.criteria.table_header import Header, find_header
from cchc.criteria.table_source import (
    DOCUMENT_SUFFIXES,
    WORKBOOK_SUFFIXES,
    SourceTable,
    UnsupportedFormat,
    read_sources,
)
from cchc.criteria.table_tree import TableError, TreeReader
from cchc.readers.guard import Refused
from cchc.readers.table import Unreadable

OPTION_NAMES = {"id": "--id", "year": "--year", "title": "--title"}
"""The options of `cchc criteria import` that give the set's facts, named in errors."""


@dataclass
class Draft:
    """An imported table: the set as data, every problem, and the draft's text.

    `data` is None when the table could not make a set; `issues` then say why.
    """

    path: str
    data: dict[str, Any] | None
    issues: list[Issue] = field(default_factory=list)
    loaded: Loaded | None = None
    text: str = ""

    @property
    def ok(self) -> bool:
        """True if the draft is a valid set as it stands."""
        return self.loaded is not None and self.loaded.ok


def _error(
    code: str, message: str, file: str, sheet: str | None = None, cell: str | None = None
) -> Issue:
    return Issue(
        code=code, severity=Severity.ERROR, message=message, file=file, sheet=sheet, cell=cell
    )


def _sources(path: Path, name: str) -> list[SourceTable]:
    try:
        tables, _ = read_sources(path)
    except Refused as exc:
        message = f"không đọc được bảng: {exc}"
        raise TableError(_error("file_unreadable", message, name, exc.refusal.sheet)) from exc
    except (Unreadable, OSError) as exc:
        raise TableError(_error("file_unreadable", f"không đọc được bảng: {exc}", name)) from exc
    except UnsupportedFormat as exc:
        kinds = ", ".join((*DOCUMENT_SUFFIXES, *WORKBOOK_SUFFIXES))
        message = f"không nhập được tệp {exc}: cần một trong {kinds}"
        raise TableError(_error("file_unreadable", message, name)) from exc
    return tables


def _headed(tables: list[SourceTable], name: str) -> list[tuple[SourceTable, Header, int]]:
    """The tables to read, each with its header and first row; raises TableError."""
    if not tables:
        message = "văn bản không có bảng nào (bảng tiêu chí cần là một bảng của Word)"
        raise TableError(_error("table_header_missing", message, name))
    if not tables[0].in_document:
        sheets = [t for t in tables if t.name == TABLE_SHEET] or tables
        tables = [next((t for t in sheets if find_header(t.rows)), sheets[0])]
    chosen: list[tuple[SourceTable, Header, int]] = []
    uncoded: list[Issue] = []
    for table in tables:
        header = find_header(table.rows)
        if header is None:
            width = max((len(r) for r in table.rows), default=0)
            last = chosen[-1] if chosen else None
            if last is not None and width == max(len(r) for r in last[0].rows):
                chosen.append((table, last[1], 0))  # a table continued after a page break
            continue
        if "code" not in header.columns:
            # A summary without codes may sit beside the real table; alone, it makes no set.
            sheet, cell = table.where(header.row, 0)
            message = "bảng có dòng tiêu đề nhưng không có cột mã (STT / Mã / TT) để xếp các mục"
            uncoded.append(_error("table_code_column_missing", message, name, sheet, cell))
            continue
        chosen.append((table, header, header.body))
    if not chosen and uncoded:
        raise TableError(uncoded[0])
    if not chosen:
        where = ", ".join(t.name for t in tables)
        message = (
            "không tìm thấy dòng tiêu đề có các cột STT/Mã, Nội dung (Tiêu chí), Điểm tối đa "
            f"(đã xem: {where})"
        )
        raise TableError(_error("table_header_missing", message, name, tables[0].name))
    return chosen


def _heading(first: SourceTable, header: Header) -> list[str]:
    if first.in_document:
        return first.heading
    return [" ".join(c for c in row if c) for row in first.rows[: header.row]]


def _facts(
    tables: list[SourceTable],
    headed: list[tuple[SourceTable, Header, int]],
    overrides: dict[str, Any],
    name: str,
) -> dict[str, Any]:
    data: dict[str, Any] = {"title": Path(name).stem, "level": "", "status": "sample"}
    first, header, _ = headed[0]
    data |= heading_facts(_heading(first, header))
    info = next((t for t in tables if t.name == INFO_SHEET and not t.in_document), None)
    if info is not None:
        data |= info_data({r[0]: r[1] for r in info.rows if len(r) >= 2})
    data |= overrides
    missing = [key for key in ("id", "year") if key not in data]
    if missing:
        issues = [
            _error(
                f"set_{key}_missing",
                f"bảng không cho biết {'mã bộ tiêu chí' if key == 'id' else 'năm'}: "
                f"ghi bằng tùy chọn {OPTION_NAMES[key]}"
                + (" (ví dụ --id so-2025)" if key == "id" else " (ví dụ --year 2025)"),
                name,
            )
            for key in missing
        ]
        raise _Missing(issues)
    return data


class _Missing(Exception):
    def __init__(self, issues: list[Issue]) -> None:
        super().__init__(issues[0].message)
        self.issues = issues


def _sum_max(items: list[dict[str, Any]]) -> Decimal:
    total = Decimal(0)
    for item in items:
        if item.get("type") is not None:
            continue
        total += item["max"] if "max" in item else _sum_max(item.get("items", []))
    return total


def read_draft(path: str | Path, overrides: dict[str, Any] | None = None) -> Draft:
    """Read a published table into a draft set; never raises for bad content."""
    name = str(path)
    try:
        tables = _sources(Path(path), name)
        headed = _headed(tables, name)
        reader = TreeReader(name)
        for table, header, start in headed:
            reader.read(table, header, start)
        if not reader.top:
            table, header, _ = headed[0]
            sheet, cell = table.where(header.body, 0)
            message = "bảng có dòng tiêu đề nhưng không có mục nào có mã dưới đó"
            raise TableError(_error("table_empty", message, name, sheet, cell))
        data = _facts(tables, headed, dict(overrides or {}), name)
    except TableError as exc:
        return Draft(name, None, [exc.issue])
    except _Missing as exc:
        return Draft(name, None, exc.issues)
    data["items"] = reader.items()
    scale = _sum_max(data["items"])
    data.setdefault("scale", scale or Decimal(100))
    for total, sheet, cell in reader.totals:
        if total != scale:
            message = f"dòng tổng cộng ghi {fmt(total)} điểm, các lĩnh vực cộng lại {fmt(scale)}"
            reader.issues.append(reader.issue("table_total_differs", message, (sheet, cell)))
    data = {
        k: data[k] for k in ("id", "year", "title", "level", "issued_by", "status") if k in data
    } | data
    loaded = validate_data(data, name, reader.issues)
    issues = [_locate(issue, reader, name) for issue in loaded.issues]
    loaded = Loaded(name, loaded.set if not has_errors(issues) else None, issues)
    text = render_draft(data, issues, reader.notes, Path(name).name)
    return Draft(name, data, issues, loaded, text)


def _locate(issue: Issue, reader: TreeReader, name: str) -> Issue:
    """A check's issue (about the YAML) placed at the table row of its item."""
    if issue.sheet is not None or issue.item is None:
        return issue.model_copy(update={"file": name, "line": None})
    where = reader.location(issue.item)
    if where is None:
        return issue.model_copy(update={"file": name, "line": None})
    return issue.model_copy(
        update={"file": name, "line": None, "sheet": where[0], "cell": where[1]}
    )


def import_table(path: str | Path, overrides: dict[str, Any] | None = None) -> Loaded:
    """Read a criteria table into a checked set (None with the issues when it is not valid)."""
    draft = read_draft(path, overrides)
    return draft.loaded if draft.loaded is not None else Loaded(draft.path, None, draft.issues)
