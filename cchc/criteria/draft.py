"""A criteria set's YAML draft with its open problems as comments, at the lines they concern.

An imported table is rarely complete: the draft is written anyway, each problem a comment above
the item it concerns (`# LỖI: …` or `# CẦN XEM: …`), set-wide ones at the top, so an officer
finishes it by hand and runs `cchc criteria check`.
"""

from __future__ import annotations

import re
from typing import Any

from cchc.core.issues import Issue, Severity
from cchc.criteria.dump import dump_data

ERROR_MARK = "# LỖI: "
WARNING_MARK = "# CẦN XEM: "
NOTE_MARK = "# "
HEAD = (
    "# Bản nháp nhập từ {source}. Sửa các dòng có ghi chú LỖI / CẦN XEM, xóa ghi chú khi xong,\n"
    "# rồi kiểm tra: cchc criteria check TỆP.yaml\n"
)
_CODE_LINE = re.compile(r"^(?P<indent>\s*)- code: (?P<code>.+)$")


def _mark(issue: Issue) -> str:
    mark = ERROR_MARK if issue.severity is Severity.ERROR else WARNING_MARK
    where = ", ".join(p for p in (issue.sheet, issue.cell) if p)
    return _one_line(f"{mark}{issue.message}" + (f" ({where})" if where else ""))


def _one_line(text: str) -> str:
    return " / ".join(part.strip() for part in text.splitlines() if part.strip())


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1].replace("''", "'")
    return text


def render_draft(
    data: dict[str, Any], issues: list[Issue], notes: dict[str, list[str]], source: str
) -> str:
    """The YAML text of `data`, each issue (and note) as a comment above its item's line."""
    by_item: dict[str, list[str]] = {}
    top: list[str] = []
    for issue in issues:
        (by_item.setdefault(issue.item, []) if issue.item else top).append(_mark(issue))
    for code, lines in notes.items():
        by_item.setdefault(code, []).extend(_one_line(NOTE_MARK + line) for line in lines)
    out = [HEAD.format(source=source)] + [line + "\n" for line in top]
    for line in dump_data(data).splitlines(keepends=True):
        match = _CODE_LINE.match(line)
        if match is not None:
            for comment in by_item.pop(_unquote(match["code"]), []):
                out.append(f"{match['indent']}{comment}\n")
        out.append(line)
    # Problems of items the data does not hold (never expected) still reach the officer.
    out += [f"{comment}\n" for comments in by_item.values() for comment in comments]
    return "".join(out)
