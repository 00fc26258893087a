"""Read the units file (YAML or a table): every row checked, every problem located."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from cchc.core.issues import Issue, Severity, cell_ref, has_errors
from cchc.core.text import tones_last, vn_sort_key
from cchc.readers.cells import cell_text
from cchc.readers.guard import Refused
from cchc.readers.headers import find_header
from cchc.readers.table import Unreadable, read_table
from cchc.readers.yamlio import LineDict, LineList, YamlProblem, load_yaml
from cchc.units.model import Unit, UnitRegistry, clean_text, code_key

MAX_FILE_BYTES = 5 * 1024 * 1024
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
YAML_SUFFIXES = (".yaml", ".yml")


# --- Similar names ------------------------------------------------------------------------------

_PREFIXES = (
    "ủy ban nhân dân",
    "ubnd",
    "thị trấn",
    "thị xã",
    "thành phố",
    "tp",
    "đặc khu",
    "xã",
    "phường",
    "quận",
    "huyện",
    "sở",
)


def _folded_words(text: str) -> list[str]:
    plain = re.sub(r"[^\w\s]", " ", unicodedata.normalize("NFC", text).casefold())
    return [tones_last(w) for w in plain.split()]


_PREFIX_WORDS = sorted((_folded_words(p) for p in _PREFIXES), key=len, reverse=True)


def name_key(name: str) -> str:
    """A unit name as compared for near-duplicates: no administrative prefix, case or form."""
    words = _folded_words(name)
    stripped = True
    while stripped:
        stripped = False
        for prefix in _PREFIX_WORDS:
            if len(words) > len(prefix) and words[: len(prefix)] == prefix:
                words = words[len(prefix) :]
                stripped = True
                break
    return " ".join(words)


# --- Rows as read ---------------------------------------------------------------------------------

Place = dict[str, Any]
"""Issue location fields: {'line': n} or {'sheet': s, 'cell': c}."""


@dataclass
class _Row:
    """One unit as read, before checks: raw values and where each came from."""

    place: Place
    values: dict[str, Any] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)

    def at(self, name: str) -> Place:
        """Where a field was read (the row itself when the field is absent)."""
        return self.places.get(name, self.place)


_FIELD_NAMES = {
    "code": ("code", "mã", "mãđơnvị", "mãđv"),
    "name": ("name", "tên", "tênđơnvị", "đơnvị"),
    "group": ("group", "nhóm", "nhómđơnvị"),
    "set": ("set", "bộtiêuchí", "mãbộtiêuchí"),
    "ranked": ("ranked", "xếphạng", "cóxếphạng"),
}
_FIELD_BY_HEADER = {alias: name for name, aliases in _FIELD_NAMES.items() for alias in aliases}


def field_for(header: str) -> str | None:
    """The unit field a column header or YAML key names, ignoring case, spaces, Unicode form."""
    text = re.sub(r"\(.*?\)", "", unicodedata.normalize("NFC", header).casefold())
    return _FIELD_BY_HEADER.get(re.sub(r"[\s*:]", "", text))


def _issue(code: str, message: str, file: str, place: Place, warn: bool = False) -> Issue:
    severity = Severity.WARNING if warn else Severity.ERROR
    return Issue(code=code, severity=severity, message=message, file=file, **place)


def _describe(place: Place) -> str:
    if "line" in place:
        return f"dòng {place['line']}"
    return f"ô {place.get('sheet')}!{place.get('cell')}"


# --- YAML -----------------------------------------------------------------------------------------


def _yaml_entries(data: Any, file: str) -> tuple[list[Any], list[int], list[Issue]]:
    if data is None:
        return [], [], []
    if isinstance(data, LineDict) and "units" in data:
        data = data["units"]
    if isinstance(data, LineList):
        return list(data), list(data.item_lines), []
    line = getattr(data, "line", 1)
    message = "tệp đơn vị cần một danh sách các đơn vị (hoặc khóa 'units' chứa danh sách)"
    return [], [], [_issue("units_not_a_list", message, file, {"line": line})]


def _yaml_row(entry: Any, line: int, file: str, issues: list[Issue]) -> _Row | None:
    if not isinstance(entry, LineDict):
        message = "mỗi đơn vị cần là một ánh xạ (code, name, group, set, ranked)"
        issues.append(_issue("unit_not_a_mapping", message, file, {"line": line}))
        return None
    row = _Row({"line": entry.line})
    for key, value in entry.items():
        key_line = {"line": entry.key_lines.get(key, entry.line)}
        name = field_for(str(key))
        if name is None:
            message = f"khóa không được hỗ trợ: '{key}' (dùng code, name, group, set, ranked)"
            issues.append(_issue("unit_unknown_key", message, file, key_line, warn=True))
            continue
        if name == "code" and isinstance(value, int | Decimal) and not isinstance(value, bool):
            message = f"mã đơn vị {value} được ghi dạng số; nên đặt trong dấu nháy để giữ nguyên"
            issues.append(_issue("unit_code_number", message, file, key_line, warn=True))
        row.values[name] = value
        row.places[name] = key_line
    return row


def _read_yaml(path: Path, file: str) -> tuple[list[_Row], list[Issue]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return [], [_issue("file_unreadable", f"không đọc được tệp: {exc.strerror}", file, {})]
    if len(raw) > MAX_FILE_BYTES:
        message = f"không đọc được tệp: lớn hơn {MAX_FILE_BYTES // 2**20} MiB"
        return [], [_issue("file_unreadable", message, file, {})]
    try:
        data = load_yaml(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        message = f"không đọc được tệp: không phải UTF-8 (byte {exc.start})"
        return [], [_issue("file_unreadable", message, file, {})]
    except YamlProblem as exc:
        return [], [_issue(exc.code, exc.message, file, {"line": exc.line})]
    entries, lines, issues = _yaml_entries(data, file)
    rows = [_yaml_row(e, line, file, issues) for e, line in zip(entries, lines, strict=True)]
    return [r for r in rows if r is not None], issues


# --- Excel ----------------------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _excel_rows(
    rows: list[list[Any]], header: int, columns: dict[str, int], sheet: str
) -> list[_Row]:
    found: list[_Row] = []
    for r in range(header + 1, len(rows)):
        cells = {n: rows[r][c] if c < len(rows[r]) else None for n, c in columns.items()}
        if all(_blank(v) for v in cells.values()):
            continue
        places = {n: {"sheet": sheet, "cell": cell_ref(r, c)} for n, c in columns.items()}
        values = {n: v for n, v in cells.items() if not _blank(v)}
        found.append(_Row(places["code"], values, places))
    return found


def _read_excel(path: Path, file: str) -> tuple[list[_Row], list[Issue]]:
    try:
        for sheet, rows in read_table(path).items():
            found = find_header(rows, field_for, ("code", "name"))
            if found is not None:
                return _excel_rows(rows, *found, sheet), []
    except Refused as exc:
        place = {"sheet": exc.refusal.sheet} if exc.refusal.sheet else {}
        return [], [_issue("file_unreadable", f"không đọc được bảng: {exc}", file, place)]
    except Unreadable as exc:
        return [], [_issue("file_unreadable", f"không đọc được bảng: {exc}", file, {})]
    message = "không tìm thấy dòng tiêu đề có các cột Mã đơn vị, Tên đơn vị"
    return [], [_issue("units_header_missing", message, file, {})]


# --- Checks ---------------------------------------------------------------------------------------

_YES = {"có", "c", "x", "yes", "y", "true", "1"}
_NO = {"không", "k", "no", "n", "false", "0"}


@dataclass
class _Context:
    """What a row is checked against, and where its issues go."""

    file: str
    groups: Collection[str] | None
    sets: Collection[str] | None
    issues: list[Issue] = field(default_factory=list)

    def error(self, code: str, message: str, place: Place) -> None:
        """Record an error."""
        self.issues.append(_issue(code, message, self.file, place))


def _text(value: Any) -> str | None:
    """A field value as clean text; None when blank or not a scalar."""
    if value is None or isinstance(value, dict | list):
        return None
    text = clean_text(value if isinstance(value, str) else cell_text(value))
    return text or None


def _ranked(row: _Row, ctx: _Context) -> bool:
    value = row.values.get("ranked")
    if value is None or isinstance(value, bool):
        return value is not False
    text = (_text(value) or "").casefold()
    if text in _YES or text in _NO:
        return text in _YES
    ctx.error(
        "unit_invalid_value",
        f"cột Xếp hạng cần 'Có' hoặc 'Không', không phải '{value}'",
        row.at("ranked"),
    )
    return True


def _match(value: str, known: Collection[str]) -> str | None:
    """The known spelling of a value, matched ignoring case and Unicode form."""
    names = known.items() if isinstance(known, Mapping) else ((k, k) for k in known)
    for key, label in names:
        if code_key(value) in (code_key(str(key)), code_key(str(label))):
            return str(key)
    return None


def _group(row: _Row, ctx: _Context) -> str | None:
    group = _text(row.values.get("group"))
    if ctx.groups is None:
        return group
    matched = _match(group, ctx.groups) if group else None
    if matched is None:
        known = ", ".join(sorted(ctx.groups, key=vn_sort_key))
        said = f"nhóm '{group}' không có" if group else "chưa ghi nhóm đơn vị;"
        ctx.error(
            "unit_unknown_group", f"{said} trong các nhóm đã khai báo: {known}", row.at("group")
        )
    return matched


def _set(row: _Row, ctx: _Context) -> str | None:
    set_id = _text(row.values.get("set"))
    if set_id is None or ctx.sets is None:
        return set_id
    matched = _match(set_id, ctx.sets)
    if matched is None:
        known = ", ".join(sorted(ctx.sets))
        ctx.error(
            "unit_unknown_set",
            f"không có bộ tiêu chí '{set_id}'; các bộ hiện có: {known}",
            row.at("set"),
        )
    return matched


_CODE = re.compile(r"^[^\W_][\w.\-]*$")
"""A unit code names folders and files (plans, templates): letters, digits, '.', '-', '_',
starting with a letter or digit; so no path separator, no '..', no ':' or other character
Windows refuses in a name."""
MAX_CODE = 40


def _code_problem(code: str) -> str | None:
    """Why a unit code cannot be used, or None."""
    if len(code) > MAX_CODE:
        return f"mã đơn vị '{code[:MAX_CODE]}…' dài quá {MAX_CODE} ký tự"
    if not _CODE.match(code) or ".." in code:
        return (
            f"mã đơn vị '{code}' không hợp lệ: chỉ dùng chữ, số và các dấu '.', '-', '_' "
            "(bắt đầu bằng chữ hoặc số; không có '/', '\\', '..', ':' hay dấu cách)"
        )
    return None


def _unit(row: _Row, ctx: _Context) -> Unit | None:
    before = len(ctx.issues)
    code, name = _text(row.values.get("code")), _text(row.values.get("name"))
    for label, value, key in (("mã đơn vị", code, "code"), ("tên đơn vị", name, "name")):
        if value is None:
            ctx.error("unit_missing_field", f"thiếu {label}", row.at(key))
    problem = _code_problem(code) if code is not None else None
    if problem is not None:
        ctx.error("unit_code_invalid", problem, row.at("code"))
    ranked, group, set_id = _ranked(row, ctx), _group(row, ctx), _set(row, ctx)
    if code is None or name is None or has_errors(ctx.issues[before:]):
        return None
    return Unit(code=code, name=name, group=group, set=set_id, ranked=ranked)


def _duplicates(read: list[tuple[Unit, _Row]], ctx: _Context) -> None:
    first: dict[str, tuple[Unit, _Row]] = {}
    for unit, row in read:
        seen = first.setdefault(code_key(unit.code), (unit, row))
        if seen[1] is not row:
            where = _describe(seen[1].place)
            message = f"mã đơn vị '{unit.code}' bị trùng với đơn vị '{seen[0].name}' ở {where}"
            ctx.error("unit_duplicate_code", message, row.at("code"))


def _similar(read: list[tuple[Unit, _Row]], ctx: _Context) -> None:
    first: dict[str, tuple[Unit, _Row]] = {}
    for unit, row in read:
        seen_unit, seen_row = first.setdefault(name_key(unit.name), (unit, row))
        if seen_row is row or code_key(seen_unit.code) == code_key(unit.code):
            continue
        same = unit.name.casefold() == seen_unit.name.casefold()
        how = "trùng tên" if same else "gần trùng tên (chỉ khác tiền tố hành chính hoặc cách gõ)"
        message = (
            f"đơn vị '{unit.name}' (mã {unit.code}) {how} với '{seen_unit.name}' "
            f"(mã {seen_unit.code}, {_describe(seen_row.place)}); kiểm tra có phải một đơn vị"
        )
        ctx.issues.append(
            _issue("unit_similar_names", message, ctx.file, row.at("name"), warn=True)
        )


def _read(path: Path, file: str) -> tuple[list[_Row], list[Issue]]:
    if not path.is_file():
        problem = "là một thư mục" if path.is_dir() else "không tồn tại"
        return [], [_issue("file_unreadable", f"không đọc được tệp: tệp {problem}", file, {})]
    suffix = path.suffix.lower()
    if suffix in YAML_SUFFIXES:
        return _read_yaml(path, file)
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(path, file)
    kinds = ", ".join(YAML_SUFFIXES + EXCEL_SUFFIXES)
    message = f"không đọc được tệp: định dạng không hỗ trợ (dùng {kinds})"
    return [], [_issue("file_unreadable", message, file, {})]


def load_units(
    path: str | Path,
    groups: Collection[str] | None = None,
    sets: Collection[str] | None = None,
) -> tuple[UnitRegistry | None, list[Issue]]:
    """Read and check a units file (YAML or Excel); the registry is None if any error was found."""
    file = str(path)
    rows, issues = _read(Path(path), file)
    ctx = _Context(file, groups, sets, issues)
    read = [(u, r) for r in rows if (u := _unit(r, ctx)) is not None]
    _duplicates(read, ctx)
    _similar(read, ctx)
    if not rows and not has_errors(ctx.issues):
        ctx.issues.append(_issue("units_empty", "tệp không có đơn vị nào", file, {}, warn=True))
    if has_errors(ctx.issues):
        return None, ctx.issues
    return UnitRegistry(units=[u for u, _ in read]), ctx.issues
