"""The owners file: which department leads (chủ trì) and supports (phối hợp) each domain or item.

Real plans assign the domains to departments, sometimes single items. The file is a table (.xlsx,
.xls, .ods or .csv, first sheet) with the columns `Mã | Cơ quan chủ trì | Cơ quan phối hợp` and,
optionally, `Thời hạn`. A row for a domain or criterion covers every item below it; a row for an
item wins over its ancestors; the set's own `owner` / `support` apply where the file says nothing.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cchc.core.issues import Issue, Severity, cell_ref
from cchc.core.text import fold
from cchc.criteria.model import CriteriaSet, Item
from cchc.readers.cells import cell_text
from cchc.readers.csv_table import csv_rows
from cchc.readers.guard import Refused
from cchc.readers.headers import find_header
from cchc.readers.table import Unreadable, read_table
from cchc.units.read import EXCEL_SUFFIXES

HEADERS = {
    "code": ("mã", "mã tiêu chí", "mã lĩnh vực", "mã số"),
    "owner": (
        "cơ quan chủ trì",
        "chủ trì",
        "đơn vị chủ trì",
        "công chức chủ trì",
        "cơ quan thẩm định",
    ),
    "support": ("cơ quan phối hợp", "phối hợp", "đơn vị phối hợp"),
    "deadline": ("thời hạn", "thời gian thực hiện", "thời gian hoàn thành"),
}


@dataclass(frozen=True)
class Assigned:
    """What one row of the owners file says about a code."""

    owner: str
    support: str
    deadline: str


@dataclass(frozen=True)
class Owners:
    """Assignments by item code, with the issues found reading the file."""

    by_code: dict[str, Assigned]
    issues: list[Issue]

    def resolve(self, item: Item, ancestors: tuple[Item, ...]) -> tuple[str, str, str]:
        """(owner, support, deadline) for an item: the file's most specific row, else the set."""
        chain = (item, *reversed(ancestors))
        for node in chain:
            found = self.by_code.get(node.code)
            if found is not None:
                return found.owner, found.support, found.deadline
        owner = next((n.owner for n in chain if n.owner), "")
        support = next((n.support for n in chain if n.support), "")
        return owner, support, ""


NO_OWNERS = Owners({}, [])


def _rows(path: Path) -> tuple[str | None, list[list[Any]]]:
    if path.suffix.lower() == ".csv":
        return None, csv_rows(path, lambda rows: _header(rows) is not None)
    return next(iter(read_table(path).items()))


def _header(rows: list[list[Any]]) -> tuple[int, dict[str, int]] | None:
    wanted = {fold(title): name for name, titles in HEADERS.items() for title in titles}
    return find_header(rows, lambda text: wanted.get(fold(text)), ("code", "owner"))


def read_owners(path: Path, criteria: CriteriaSet) -> Owners:
    """Read an owners file against the set; problems come back as `owners_*` issues."""
    name = str(path)

    def issue(code: str, message: str, sheet: str | None = None, **where: Any) -> Issue:
        return Issue(
            code=code, severity=Severity.ERROR, message=message, file=name, sheet=sheet, **where
        )

    if path.suffix.lower() not in (*EXCEL_SUFFIXES, ".csv"):
        return Owners({}, [issue("owners_format", "định dạng không hỗ trợ (dùng .xlsx hoặc .csv)")])
    try:
        sheet, rows = _rows(path)
    except (Refused, Unreadable, UnicodeDecodeError, csv.Error) as exc:
        return Owners({}, [issue("owners_unreadable", f"không đọc được tệp phân công: {exc}")])
    found = _header(rows)
    if found is None:
        message = (
            "không tìm thấy dòng tiêu đề có cột 'Mã' và 'Cơ quan chủ trì' (hay 'Cơ quan thẩm định')"
        )
        return Owners({}, [issue("owners_header", message, sheet)])
    start, columns = found
    codes = {item.code for item, _ in criteria.walk()}
    by_code: dict[str, Assigned] = {}
    issues: list[Issue] = []

    def get(row: list[Any], field: str) -> str:
        column = columns.get(field)
        return cell_text(row[column]) if column is not None and column < len(row) else ""

    for number, row in enumerate(rows[start + 1 :], start=start + 1):
        code = get(row, "code").rstrip(".")
        if not code:
            continue
        where = {"cell": cell_ref(number, columns["code"]), "item": code}
        if code not in codes:
            message = f"mã {code} không có trong bộ tiêu chí {criteria.id} năm {criteria.year}"
            issues.append(issue("owners_unknown_item", message, sheet, **where))
        elif code in by_code:
            issues.append(
                issue("owners_duplicate", f"mã {code} được phân công hai lần", sheet, **where)
            )
        elif not get(row, "owner"):
            issues.append(issue("owners_no_owner", "thiếu cơ quan chủ trì", sheet, **where))
        else:
            by_code[code] = Assigned(get(row, "owner"), get(row, "support"), get(row, "deadline"))
    return Owners(by_code, issues)
