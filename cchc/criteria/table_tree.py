"""The rows of published criteria tables, read into the tree of items with their rules.

Rows with a code are items; rows under an item with an empty code cell are its scoring options
(or wording that explains it); totals, notes and headers repeated after a page break are passed
over. An item's rule comes from its 'Cách chấm' cell if the table has one, else from its options.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cchc.core.issues import Issue, Severity
from cchc.core.numbers import fmt
from cchc.core.text import fold
from cchc.criteria.parse_wording import parse_rule_text
from cchc.criteria.table import row_fields
from cchc.criteria.table_codes import Nesting, NotNested, parse_code, split_leading_code
from cchc.criteria.table_header import Header, repeats_header
from cchc.criteria.table_options import Option, option_line, points_cell, rule_from_options
from cchc.criteria.table_source import SourceTable

_TOTALS = ("tổng cộng", "tổng điểm", "tổng số điểm")
"""How a totals row starts ('Tổng số nhiệm vụ …: 2' is an option, not a total)."""
_TOTAL_WORDS = ("tổng", "cộng", "tổng số")
_NOTES = ("ghi chú", "lưu ý", "chú thích", "(*)", "*")
_SURVEY = ("điều tra xã hội học", "điều tra xhh")
_KEY_ORDER = ("code", "title", "key", "max", "type", "cap", "method", "rule", "na", "evidence")


class TableError(ValueError):
    """A table that cannot make a set: the issue says where."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.message)
        self.issue = issue


@dataclass
class _Node:
    """An item being read: its fields, the lines printed under it, where it was."""

    data: dict[str, Any]
    sheet: str
    cell: str | None
    rule_cell: tuple[str, str | None]
    options: list[Option] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    """Wording under the item that is not an option."""
    children: list[_Node] = field(default_factory=list)


@dataclass
class TreeReader:
    """Reads table after table into one tree; problems go to `issues`, notes to `notes`."""

    file: str
    issues: list[Issue] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)
    top: list[_Node] = field(default_factory=list)
    by_code: dict[str, _Node] = field(default_factory=dict)
    nesting: Nesting = field(default_factory=Nesting)
    totals: list[tuple[Decimal, str, str | None]] = field(default_factory=list)
    current: _Node | None = None

    def issue(
        self, code: str, message: str, where: tuple[str, str | None], item: str | None = None
    ) -> Issue:
        """An issue located in the table (a warning unless raised as a TableError)."""
        return Issue(
            code=code,
            severity=Severity.WARNING,
            message=message,
            file=self.file,
            sheet=where[0],
            cell=where[1],
            item=item,
        )

    def read(self, table: SourceTable, header: Header, start: int) -> None:
        """Every row of one table (or of its continuation) from `start`."""
        columns = header.columns
        for r in range(start, len(table.rows)):
            row = table.rows[r]
            cells = {n: row[c] if c < len(row) else "" for n, c in columns.items()}
            code_text, title = cells.get("code", ""), cells.get("title", "")
            first = fold(code_text or title).rstrip(" :.")
            if not any(row) or repeats_header(header, row):
                continue
            total = first.startswith(_TOTALS) or first in _TOTAL_WORDS
            if total and not parse_code(code_text):
                self._total(cells, table.where(r, columns["code"]))
                continue
            if first.startswith(_NOTES) and not parse_code(code_text):
                self.current = None  # what follows a note is not an item's options
                continue
            if code_text:
                self._item(table, header, r, cells)
            elif self.current is not None:
                self._under(cells)

    def _total(self, cells: dict[str, str], where: tuple[str, str | None]) -> None:
        value = points_cell(cells.get("max", ""))
        if value is not None:
            self.totals.append((value, *where))
        self.current = None

    def _item(self, table: SourceTable, header: Header, r: int, cells: dict[str, str]) -> None:
        where = table.where(r, header.columns["code"])
        code = parse_code(cells["code"])
        split = split_leading_code(cells["code"]) if code is None else None
        if split is not None and cells.get("title", "") in ("", cells["code"]):
            # One cell across the code and title columns: 'I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH'.
            code, cells = split[0], {**cells, "title": split[1]}
        if code is None:
            message = f"mã '{cells['code']}' không phải mã mục (1, 1.1, I, a) …); bỏ qua dòng này"
            self.issues.append(self.issue("code_not_understood", message, where))
            self.current = None
            return
        try:
            own, parent = self.nesting.place(code)
        except NotNested as exc:
            issue = self.issue("code_not_nested", str(exc), where)
            raise TableError(issue.model_copy(update={"severity": Severity.ERROR})) from exc
        title_lines = [line for line in cells.get("title", "").split("\n") if line.strip()]
        title = " ".join((title_lines or [""])[0].split())
        known = self.by_code.get(own)
        if known is not None and fold(known.data["title"]) == fold(title):
            self.current = known  # the same item in a later table (a domain summary, a repeat)
            return
        fields = row_fields({**cells, "code": own, "title": title})
        if "max" not in fields and (value := points_cell(cells.get("max", ""))) is not None:
            fields["max"] = value
        rule_where = table.where(r, header.columns.get("rule", header.columns["title"]))
        node = _Node(fields, *where, rule_where)
        if own != code.text.rstrip(".") and code.style != "letter":
            self.notes.setdefault(own, []).append(f"mã trong bảng: {code.text}")
        for line in title_lines[1:]:
            self._line(node, line)
        self._rule_cell(node, cells.get("rule", ""))
        (self.by_code[parent].children if parent is not None else self.top).append(node)
        self.by_code[own] = node
        self.current = node

    def _rule_cell(self, node: _Node, text: str) -> None:
        if not text.strip():
            return
        parsed = parse_rule_text(text)
        node.data.update(parsed.fields)
        if not parsed.guessed:
            if parsed.rule is not None:
                node.data["rule"] = parsed.rule
            return
        for line in re.split(r"[\n;]", text):
            if line.strip():
                self._line(node, line)

    def _line(self, node: _Node, line: str) -> None:
        option = option_line(line)
        if option is not None:
            node.options.append(option)
        else:
            node.lines.append(" ".join(line.split()))

    def _under(self, cells: dict[str, str]) -> None:
        """A row with no code under the current item: options, or wording about it."""
        assert self.current is not None
        title, rule = cells.get("title", "").strip(), cells.get("rule", "").strip()
        if not title and not rule:
            return
        points = points_cell(cells.get("max", ""))
        if points is None and rule:
            points = points_cell(rule)
        if title and option_line(title) is None and points is not None:
            self.current.options.append(Option(" ".join(title.split()), points))
            return
        for line in title.split("\n"):
            if line.strip():
                self._line(self.current, line)
        if rule:
            self._rule_cell(self.current, rule)

    # --- the tree, finished ------------------------------------------------------------------

    def items(self) -> list[dict[str, Any]]:
        """The items as set data, each leaf with a rule (or a warning saying why not)."""
        return [self._finish(node, "") for node in self.top]

    def _finish(self, node: _Node, survey: str) -> dict[str, Any]:
        """`survey`: 'method' under an item declaring it, 'title' under one titled so, or ''."""
        data = node.data
        if data.get("method") == "survey":
            survey = "method"
        elif not survey and any(word in fold(data["title"]) for word in _SURVEY):
            survey = "title"
        code = data["code"]
        if node.children:
            data.pop("rule", None)
            if node.options:
                message = "các lựa chọn chấm điểm nằm dưới một mục có mục con; đã bỏ qua"
                self.issues.append(self.issue("options_on_group", message, node.rule_cell, code))
            data["items"] = [self._finish(child, survey) for child in node.children]
        elif "rule" in data or survey == "method":
            pass
        elif survey and not node.options and not node.lines:
            data["method"] = "survey"  # under a survey heading, with nothing to score by
        else:
            self._leaf_rule(node)
        return {k: data[k] for k in (*_KEY_ORDER, *data) if k in data}

    def _leaf_rule(self, node: _Node) -> None:
        data, code = node.data, node.data["code"]
        top = data.get("max")
        rule = rule_from_options(node.options, top, data["title"])
        if rule is not None:
            data["rule"] = rule
            best = max(o.points for o in node.options)
            if top is None:
                data["max"] = best
                message = (
                    "bảng không ghi điểm tối đa; đã lấy điểm cao nhất của các lựa chọn "
                    f"({fmt(best)})"
                )
                self.issues.append(
                    self.issue("max_from_options", message, (node.sheet, node.cell), code)
                )
            if rule["kind"] == "yes_no":
                printed = " / ".join(f"{o.label}: {fmt(o.points)}" for o in node.options)
                self.notes.setdefault(code, []).append(f"trong bảng: {printed}")
            if node.lines:
                message = "bỏ qua lời không phải lựa chọn chấm điểm: " + " / ".join(node.lines)
                self.issues.append(self.issue("rule_text_ignored", message, node.rule_cell, code))
            return
        wording = [*node.lines, *(f"{o.label}: {fmt(o.points)} điểm" for o in node.options)]
        data["rule"] = {"kind": "manual"} | ({"guide": "\n".join(wording)} if wording else {})
        if wording:
            message = (
                "không hiểu cách chấm; đã chuyển thành chấm trực tiếp (manual), "
                "cần hoàn thiện trong YAML"
            )
            self.issues.append(self.issue("rule_not_understood", message, node.rule_cell, code))
        else:
            message = "mục không có cách chấm; đã để chấm trực tiếp (manual), cần bổ sung"
            self.issues.append(self.issue("rule_missing", message, (node.sheet, node.cell), code))

    def location(self, code: str) -> tuple[str, str | None] | None:
        """Where an item was read (the table and row)."""
        node = self.by_code.get(code)
        return (node.sheet, node.cell) if node is not None else None
