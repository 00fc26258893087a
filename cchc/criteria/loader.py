"""Load a criteria set from YAML: parse, validate the schema, run every check."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from cchc.core.issues import Issue, Severity, has_errors
from cchc.criteria.check import check_set
from cchc.criteria.model import RULE_KINDS, CriteriaSet
from cchc.readers.yamlio import LineDict, LineList, YamlProblem, item_code_at, line_of, load_yaml

MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass
class Loaded:
    """The outcome of loading one file: the set (None on errors) and every issue found."""

    path: str
    set: CriteriaSet | None
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True if the set loaded without errors (warnings allowed)."""
        return self.set is not None and not has_errors(self.issues)


def load_file(path: str | Path) -> Loaded:
    """Load and check a criteria YAML file; never raises for bad content."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        return _failed(name, "file_unreadable", f"không đọc được tệp: {exc.strerror}", None)
    return load_bytes(raw, name)


def load_bytes(raw: bytes, name: str) -> Loaded:
    """Load and check a criteria set given as the bytes of its file."""
    if len(raw) > MAX_FILE_BYTES:
        return _failed(name, "file_too_large", f"tệp lớn hơn {MAX_FILE_BYTES // 2**20} MiB", None)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return _failed(name, "encoding", f"tệp không phải UTF-8 (byte {exc.start})", None)
    return load_text(text, name)


def load_text(text: str, name: str = "<text>") -> Loaded:
    """Load and check a criteria set given as YAML text."""
    try:
        data = load_yaml(text)
    except YamlProblem as exc:
        return _failed(name, exc.code, exc.message, exc.line)
    if not isinstance(data, dict):
        return _failed(name, "not_a_set", "tệp không chứa một bộ tiêu chí (cần một ánh xạ YAML)", 1)
    issues = _normalise_text(data, name)
    return validate_data(data, name, issues)


def validate_data(data: Any, name: str, issues: list[Issue] | None = None) -> Loaded:
    """Validate already-parsed data (with line info where available) into a checked set."""
    found = list(issues or [])
    try:
        criteria = CriteriaSet.model_validate(data)
    except ValidationError as exc:
        schema = [_schema_issue(err, data, name) for err in exc.errors()]
        return Loaded(name, None, found + sorted(schema, key=lambda i: i.line or 0))
    found += [issue.model_copy(update={"file": name}) for issue in check_set(criteria)]
    return Loaded(name, None if has_errors(found) else criteria, found)


def _failed(name: str, code: str, message: str, line: int | None) -> Loaded:
    issue = Issue(code=code, severity=Severity.ERROR, message=message, file=name, line=line)
    return Loaded(name, None, [issue])


_SCHEMA_CODES = {
    "extra_forbidden": "unknown_key",
    "missing": "missing_field",
    "union_tag_invalid": "unknown_rule_kind",
    "union_tag_not_found": "missing_field",
}


def _schema_issue(err: ErrorDetails, data: Any, name: str) -> Issue:
    loc = tuple(err["loc"])
    code = _SCHEMA_CODES.get(err["type"], "invalid_value")
    field_name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    if code == "unknown_key":
        message = f"khóa không được hỗ trợ: '{loc[-1]}'"
    elif code == "unknown_rule_kind":
        kinds = ", ".join(RULE_KINDS)
        message = f"cách chấm (kind) không được hỗ trợ; dùng một trong: {kinds}"
    elif code == "missing_field":
        message = f"thiếu trường bắt buộc '{field_name}'"
    else:
        message = f"giá trị không hợp lệ ở '{field_name}': {_explain(err)}"
    return Issue(
        code=code,
        severity=Severity.ERROR,
        message=message,
        file=name,
        line=line_of(data, loc),
        item=item_code_at(data, loc),
    )


_EXPLAIN = {
    "decimal_parsing": "cần một số",
    "decimal_type": "cần một số",
    "int_parsing": "cần một số nguyên",
    "int_type": "cần một số nguyên",
    "string_type": "cần văn bản",
    "bool_parsing": "cần true hoặc false",
    "bool_type": "cần true hoặc false",
    "list_type": "cần một danh sách",
    "dict_type": "cần một ánh xạ (khóa: giá trị)",
    "model_type": "cần một ánh xạ (khóa: giá trị)",
    "too_short": "danh sách quá ngắn",
    "string_pattern_mismatch": "không đúng dạng (chữ thường, số, dấu gạch ngang)",
}


_BOUNDS = {
    "greater_than_equal": ("≥", "ge"),
    "greater_than": (">", "gt"),
    "less_than_equal": ("≤", "le"),
    "less_than": ("<", "lt"),
}


def _explain(err: ErrorDetails) -> str:
    ctx = err.get("ctx", {})
    if err["type"] == "literal_error":
        return f"cần một trong: {ctx.get('expected', '')}"
    if err["type"] in _BOUNDS:
        word, key = _BOUNDS[err["type"]]
        return f"phải {word} {ctx.get(key, '')}"
    if err["type"] == "value_error":
        return str(ctx.get("error", err["msg"]))
    return _EXPLAIN.get(err["type"], err["msg"])


def _normalise_text(data: Any, name: str) -> list[Issue]:
    """Bring every string to NFC in place; warn where the file used another form."""
    issues: list[Issue] = []

    def fix(value: Any, line: int) -> Any:
        if isinstance(value, str):
            nfc = unicodedata.normalize("NFC", value)
            if nfc != value:
                issues.append(
                    Issue(
                        code="text_normalisation",
                        severity=Severity.WARNING,
                        message=f"văn bản không ở dạng Unicode dựng sẵn (NFC), đã chuẩn hóa: {nfc}",
                        file=name,
                        line=line,
                    )
                )
            return nfc
        visit(value)
        return value

    def visit(node: Any) -> None:
        if isinstance(node, LineDict):
            for key in list(node):
                node[key] = fix(node[key], node.key_lines.get(key, node.line))
        elif isinstance(node, LineList):
            for i, value in enumerate(node):
                node[i] = fix(value, node.item_lines[i])

    visit(data)
    return issues
