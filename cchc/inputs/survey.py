"""Survey results (điều tra xã hội học, SIPAS): read a results file into points per unit and item.

Two layouts are read from the first sheet of an Excel/ODS workbook or from a UTF-8 CSV file:

- aggregated: one row per unit × item, with columns `Mã đơn vị`, `Mã` (item code) and
  `Tỷ lệ hài lòng (%)` and/or `Điểm`;
- raw: one row per respondent, with a `Mã đơn vị` column and one column per item whose header is
  the item code; cells hold answers (A/B/C/D …) or a percent 0–100.

Points are `max × percent / 100`, rounded half-up to 2 decimals. Problems become issues, never
exceptions; the input file is only read.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from cchc.core.issues import Issue, Severity, cell_ref
from cchc.core.numbers import fmt, round_points
from cchc.core.text import fold
from cchc.readers.cells import cell_number, cell_text
from cchc.readers.guard import TABLE, Refused, read_text_bytes
from cchc.readers.table import read_table
from cchc.scoring.layers import Surveyed
from cchc.units.model import clean_text, code_key
from cchc.units.read import EXCEL_SUFFIXES

MaxOf = Callable[[str, str], Decimal | None]
"""The maximum of a survey leaf for a unit, or None if the unit or the item is unknown to it."""

ZERO = Decimal(0)
HUNDRED = Decimal(100)
HEADER_SEARCH_ROWS = 30
CSV_SUFFIXES = (".csv",)
CSV_DELIMITERS = (",", ";", "\t")

DEFAULT_ANSWERS: dict[str, Decimal] = {
    "A": Decimal(100),
    "B": Decimal(60),
    "C": Decimal(20),
    "D": Decimal(0),
}
"""Leader-survey answers as a percent of the question (one provincial system, DOMAIN.md)."""


@dataclass
class SurveyImport:
    """What a survey file gave: points per unit and item, and the problems found."""

    values: dict[str, dict[str, Surveyed]]
    """Unit code (as first written in the file) → item code → result."""
    issues: list[Issue]
    kind: Literal["aggregated", "raw"]
    respondents: dict[str, int] = field(default_factory=dict)
    """Raw layout: rows of each unit with at least one valid answer; empty when aggregated."""


# --- Answer map -----------------------------------------------------------------------------------

_NUMBER = r"[+-]?\d+(?:[.,]\d+)?"
_PAIR = rf"\s*([^=,;]+?)\s*=\s*({_NUMBER})\s*"
_MAP = re.compile(rf"^{_PAIR}(?:[,;]{_PAIR})*$")
_PAIRS = re.compile(rf"(?:^|[,;]){_PAIR}")
MAP_EXAMPLE = "A=100,B=60,C=20,D=0"


def answer_key(text: str) -> str:
    """An answer as compared: NFC, no spaces, case ignored ('  a ' and 'A' are the same)."""
    return "".join(unicodedata.normalize("NFC", text).split()).casefold()


def parse_answer_map(text: str) -> dict[str, Decimal]:
    """Read 'A=100,B=60,C=20,D=0' (or with ';', decimal comma allowed) into answer → percent.

    Raises ValueError, with a Vietnamese message, on text that is not such a list, on a percent
    outside 0–100 and on an answer given twice.
    """
    if not _MAP.match(text):
        raise ValueError(
            f"bảng quy đổi câu trả lời không hợp lệ: '{text}' (ví dụ đúng: {MAP_EXAMPLE})"
        )
    answers: dict[str, Decimal] = {}
    seen: set[str] = set()
    for label, number in _PAIRS.findall(text):
        value = Decimal(number.replace(",", "."))
        if not ZERO <= value <= HUNDRED:
            raise ValueError(f"câu trả lời '{label}' quy đổi thành {fmt(value)}%: cần từ 0 đến 100")
        if answer_key(label) in seen:
            raise ValueError(f"câu trả lời '{label}' được khai báo hai lần trong bảng quy đổi")
        seen.add(answer_key(label))
        answers[label] = value
    return answers


def satisfied_from(answers: Mapping[str, Decimal]) -> Decimal:
    """The lowest value that counts as satisfied: the second best of the map.

    The two best answers are 'rất hài lòng' and 'hài lòng'. A map with fewer than three levels
    (e.g. Đạt/Không đạt) counts only its best answer.
    """
    levels = sorted(set(answers.values()), reverse=True)
    return levels[1] if len(levels) >= 3 else levels[0]


# --- Cells ----------------------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    """A cell as clean text (NFC, spaces collapsed); '' when blank."""
    return clean_text(cell_text(value))


def _is_numeric(value: Any) -> bool:
    """True for a number cell (not a text that looks like one, not a boolean)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _to_decimal(value: Any) -> Decimal | None:
    """A number cell or a number typed as text ('85,5', '85.5', '85,5%'); None otherwise."""
    number = cell_number(value)
    return number if isinstance(number, Decimal) and number.is_finite() else None


def _cell(row: list[Any], column: int | None) -> Any:
    if column is None or column >= len(row):
        return None
    return row[column]


# --- Header ---------------------------------------------------------------------------------------


def _header_key(value: Any) -> str:
    """A column title as compared: `fold`, then without accents, đ → d and spaces."""
    folded = fold(cell_text(value)).replace("đ", "d")
    plain = unicodedata.normalize("NFD", folded)
    return "".join(c for c in plain if not unicodedata.combining(c) and not c.isspace())


def _keys(*titles: str) -> frozenset[str]:
    return frozenset(_header_key(t) for t in titles)


_UNIT_TITLES = _keys("Mã đơn vị", "Mã ĐV")
_ITEM_TITLES = _keys("Mã", "Mã tiêu chí", "Mã TC", "Mã mục")
_PERCENT_TITLES = _keys(
    *[
        f"{ty} lệ{what}{unit}"
        for ty in ("Tỷ", "Tỉ")
        for what in ("", " hài lòng")
        for unit in ("", " (%)", " %")
    ]
)
_POINTS_TITLES = _keys("Điểm", "Điểm đạt", "Điểm đạt được")
_ITEM_CODE = re.compile(r"^(?:[A-Za-z]{1,3}\.?)?\d+(?:\.\d+)*$")


@dataclass(frozen=True)
class _Header:
    """The header row and the columns found in it (0-based)."""

    row: int
    unit: int
    item: int | None = None
    percent: int | None = None
    points: int | None = None
    codes: dict[str, int] = field(default_factory=dict)
    """Raw layout: item code → column (the first column of a code)."""
    repeated: list[tuple[str, int]] = field(default_factory=list)
    """Raw layout: item columns whose code an earlier column already has."""


def _first(keys: list[str], titles: frozenset[str]) -> int | None:
    return next((c for c, key in enumerate(keys) if key in titles), None)


def _header_at(row: list[Any], index: int) -> _Header | None:
    keys = [_header_key(v) for v in row]
    unit = _first(keys, _UNIT_TITLES)
    if unit is None:
        return None
    codes: dict[str, int] = {}
    repeated: list[tuple[str, int]] = []
    for column, value in enumerate(row):
        code = _text(value)
        if column != unit and _ITEM_CODE.match(code):
            if code in codes:
                repeated.append((code, column))
            else:
                codes[code] = column
    return _Header(
        row=index,
        unit=unit,
        item=_first(keys, _ITEM_TITLES),
        percent=_first(keys, _PERCENT_TITLES),
        points=_first(keys, _POINTS_TITLES),
        codes=codes,
        repeated=repeated,
    )


def _find_header(rows: list[list[Any]]) -> _Header | None:
    """The first row, among the first 30, with a `Mã đơn vị` column."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        header = _header_at(row, index)
        if header is not None:
            return header
    return None


# --- Reading the file -----------------------------------------------------------------------------


@dataclass
class _Context:
    """One file being read: where its issues go and how its cells are named in them."""

    path: Path
    sheet: str | None = None
    """The sheet read; None for CSV (rows are then given as lines)."""
    issues: list[Issue] = field(default_factory=list)

    def add(
        self,
        code: str,
        message: str,
        row: int | None = None,
        column: int | None = None,
        item: str | None = None,
        warn: bool = False,
    ) -> None:
        """Record an issue at a 0-based row and column."""
        self.issues.append(
            Issue(
                code=code,
                severity=Severity.WARNING if warn else Severity.ERROR,
                message=message,
                file=str(self.path),
                line=row + 1 if row is not None and self.sheet is None else None,
                sheet=self.sheet,
                cell=cell_ref(row, column) if row is not None and column is not None else None,
                item=item,
            )
        )


def _parse_csv(text: str, delimiter: str) -> list[list[Any]]:
    return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _csv_rows(path: Path) -> list[list[Any]]:
    """The rows of a UTF-8 CSV file, split by the first delimiter that shows a header."""
    text = read_text_bytes(path, TABLE).decode("utf-8-sig")
    for delimiter in CSV_DELIMITERS:
        rows = _parse_csv(text, delimiter)
        if _find_header(rows) is not None:
            return rows
    return _parse_csv(text, CSV_DELIMITERS[0])


def _excel_rows(path: Path) -> tuple[str, list[list[Any]]]:
    """The first sheet's name and cells, from A1."""
    return next(iter(read_table(path).items()))


def _read_rows(path: Path, ctx: _Context) -> list[list[Any]] | None:
    """The cells of the file, or None (with a `survey_unreadable` issue) if it cannot be read."""
    suffix = path.suffix.lower()
    problem: str | None = None
    if not path.is_file():
        problem = "thư mục, không phải tệp" if path.is_dir() else "tệp không tồn tại"
    elif suffix not in EXCEL_SUFFIXES + CSV_SUFFIXES:
        kinds = ", ".join(EXCEL_SUFFIXES + CSV_SUFFIXES)
        problem = f"định dạng không hỗ trợ (dùng {kinds})"
    if problem is None:
        try:
            if suffix in CSV_SUFFIXES:
                return _csv_rows(path)
            ctx.sheet, rows = _excel_rows(path)
            return rows
        except Refused as exc:
            problem = exc.refusal.message
        except UnicodeDecodeError as exc:
            problem = f"tệp CSV không phải UTF-8 (byte {exc.start})"
        except Exception as exc:  # calamine raises several error types for unreadable files
            problem = str(exc) or type(exc).__name__
    ctx.add("survey_unreadable", f"không đọc được tệp kết quả khảo sát: {problem}")
    return None


# --- Units and items ------------------------------------------------------------------------------


class _Lookup:
    """`max_of`, remembered, and which of unit or item to blame when it gives None."""

    def __init__(self, max_of: MaxOf, units: Iterable[str], items: Iterable[str]) -> None:
        self._max_of = max_of
        self._units = sorted(set(units))
        self._items = sorted(set(items))
        self._memo: dict[tuple[str, str], Decimal | None] = {}
        self._units_known: dict[str, bool] = {}
        self._items_known: dict[str, bool] = {}

    def max(self, unit: str, item: str) -> Decimal | None:
        """The item's maximum for the unit, or None."""
        if (unit, item) not in self._memo:
            self._memo[unit, item] = self._max_of(unit, item)
        return self._memo[unit, item]

    def unit_known(self, unit: str) -> bool:
        """True if some item of the file is a survey item of the unit."""
        if unit not in self._units_known:
            self._units_known[unit] = any(self.max(unit, i) is not None for i in self._items)
        return self._units_known[unit]

    def item_known(self, item: str) -> bool:
        """True if the item is a survey item of some unit of the file."""
        if item not in self._items_known:
            self._items_known[item] = any(self.max(u, item) is not None for u in self._units)
        return self._items_known[item]

    def any_item_known(self) -> bool:
        """True if some item of the file is a survey item of some unit of the file."""
        return any(self.item_known(item) for item in self._items)

    def blame_unit(self, unit: str, item: str) -> bool:
        """True when a None for (unit, item) is the unit's fault rather than the item's."""
        return not self.unit_known(unit) and self.item_known(item)


def _unknown_unit_message(unit: str) -> str:
    return f"mã đơn vị '{unit}' không có trong danh sách đơn vị; bỏ qua các dòng của đơn vị này"


def _unknown_item_message(item: str, unit: str | None = None) -> str:
    whose = f" của đơn vị {unit}" if unit else ""
    return f"mục '{item}' không phải tiêu chí điều tra xã hội học{whose} trong bộ tiêu chí; bỏ qua"


# --- Aggregated layout ----------------------------------------------------------------------------


@dataclass
class _Aggregated:
    """State while reading the aggregated layout."""

    ctx: _Context
    header: _Header
    lookup: _Lookup
    fraction: bool = False
    """Percent cells are Excel percentages (0,855 for 85,5%)."""
    values: dict[str, dict[str, Surveyed]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    """Unit key → the unit code as first written."""
    rows: dict[tuple[str, str], int] = field(default_factory=dict)
    """(unit key, item) → 0-based row it was read from."""
    reported: set[str] = field(default_factory=set)
    """Unit keys already reported unknown."""


def _fraction_column(rows: list[list[Any]], header: _Header) -> bool:
    """True if every number cell of the percent column lies in 0–1 and one lies strictly inside.

    Excel stores a cell typed '85,5%' as 0.855; such a column is read as 85,5.
    """
    numbers = [
        number
        for row in rows[header.row + 1 :]
        if _is_numeric(value := _cell(row, header.percent))
        and (number := _to_decimal(value)) is not None
    ]
    return (
        bool(numbers)
        and all(ZERO <= n <= 1 for n in numbers)
        and any(ZERO < n < 1 for n in numbers)
    )


def _number(
    state: _Aggregated, row: list[Any], r: int, column: int | None, item: str
) -> tuple[bool, Decimal | None]:
    """Whether the cell is usable, and its number (None when blank); an issue if not a number."""
    value = _cell(row, column)
    if _blank(value):
        return True, None
    number = _to_decimal(value)
    if number is None:
        state.ctx.add(
            "survey_not_a_number",
            f"'{_text(value)}' không phải là số (ví dụ đúng: 85,5)",
            r,
            column,
            item,
        )
        return False, None
    if state.fraction and column == state.header.percent and _is_numeric(value):
        number *= HUNDRED
    return True, number


def _in_range(
    state: _Aggregated, value: Decimal, top: Decimal, what: str, where: tuple[int, int | None, str]
) -> bool:
    """True if 0 ≤ value ≤ top; else an issue."""
    if ZERO <= value <= top:
        return True
    state.ctx.add(
        "survey_out_of_range",
        f"{what} {fmt(value)} nằm ngoài khoảng 0 – {fmt(top)}",
        *where,
    )
    return False


def _aggregated_result(
    state: _Aggregated, row: list[Any], r: int, item: str, top: Decimal
) -> Surveyed | None:
    """The row's result from its percent and/or points; None (with issues) when unusable."""
    header = state.header
    percent_ok, percent = _number(state, row, r, header.percent, item)
    points_ok, points = _number(state, row, r, header.points, item)
    if not (percent_ok and points_ok):
        return None
    ok = percent is None or _in_range(
        state, percent, HUNDRED, "tỷ lệ hài lòng", (r, header.percent, item)
    )
    ok = (points is None or _in_range(state, points, top, "điểm", (r, header.points, item))) and ok
    if not ok:
        return None
    where = f"{state.ctx.path.name} · dòng {r + 1}"
    if points is not None:
        return Surveyed(points=points, percent=percent, where=where)
    if percent is not None:
        return Surveyed(round_points(top * percent / HUNDRED), percent, where)
    state.ctx.add(
        "survey_missing_value",
        "dòng chưa có tỷ lệ hài lòng hoặc điểm; mục không tính vào điểm tối đa",
        r,
        header.percent if header.percent is not None else header.points,
        item,
        warn=True,
    )
    return None


def _duplicate(state: _Aggregated, key: tuple[str, str], r: int, result: Surveyed) -> None:
    first = state.rows[key]
    kept = state.values[state.names[key[0]]][key[1]]
    same = (kept.points, kept.percent) == (result.points, result.percent)
    how = "trùng lặp" if same else f"khác kết quả (điểm {fmt(result.points)})"
    state.ctx.add(
        "survey_duplicate",
        f"đơn vị {state.names[key[0]]}, mục {key[1]} đã có ở dòng {first + 1} "
        f"(điểm {fmt(kept.points)}); dòng này {how}, giữ dòng đầu",
        r,
        state.header.unit,
        key[1],
        warn=same,
    )


def _aggregated_row(state: _Aggregated, row: list[Any], r: int) -> None:
    header = state.header
    unit, item = _text(_cell(row, header.unit)), _text(_cell(row, header.item))
    if not unit:
        state.ctx.add("survey_unknown_unit", "dòng thiếu mã đơn vị", r, header.unit, item or None)
        return
    if not item:
        state.ctx.add("survey_unknown_item", "dòng thiếu mã tiêu chí", r, header.item)
        return
    top = state.lookup.max(unit, item)
    if top is None:
        if not state.lookup.blame_unit(unit, item):
            state.ctx.add(
                "survey_unknown_item", _unknown_item_message(item, unit), r, header.item, item
            )
        elif code_key(unit) not in state.reported:
            state.reported.add(code_key(unit))
            state.ctx.add("survey_unknown_unit", _unknown_unit_message(unit), r, header.unit, item)
        return
    result = _aggregated_result(state, row, r, item, top)
    if result is None:
        return
    key = (code_key(unit), item)
    if key in state.rows:
        _duplicate(state, key, r, result)
        return
    state.rows[key] = r
    name = state.names.setdefault(key[0], unit)
    state.values.setdefault(name, {})[item] = result


def _read_aggregated(
    rows: list[list[Any]], header: _Header, ctx: _Context, max_of: MaxOf
) -> SurveyImport:
    body = [(r, rows[r]) for r in range(header.row + 1, len(rows))]
    units = [_text(_cell(row, header.unit)) for _, row in body]
    items = [_text(_cell(row, header.item)) for _, row in body]
    lookup = _Lookup(max_of, filter(None, units), filter(None, items))
    state = _Aggregated(ctx, header, lookup, _fraction_column(rows, header))
    if state.fraction:
        ctx.add(
            "survey_percent_scale",
            "mọi tỷ lệ trong cột đều từ 0 đến 1 (ô định dạng phần trăm): đọc 0,855 là 85,5%",
            header.row,
            header.percent,
            warn=True,
        )
    for r, row in body:
        if not all(
            _blank(_cell(row, c)) for c in (header.unit, header.item, header.percent, header.points)
        ):
            _aggregated_row(state, row, r)
    return SurveyImport(state.values, ctx.issues, "aggregated", {})


# --- Raw layout -----------------------------------------------------------------------------------


@dataclass
class _Raw:
    """State while reading the raw layout."""

    ctx: _Context
    header: _Header
    lookup: _Lookup
    answers: dict[str, Decimal]
    """Answer key → percent."""
    labels: str
    """The answers of the map, for messages."""
    names: dict[str, str] = field(default_factory=dict)
    """Unit key → the unit code as first written."""
    tallies: dict[tuple[str, str], list[Decimal]] = field(default_factory=dict)
    respondents: dict[str, int] = field(default_factory=dict)
    reported: set[tuple[str, str]] = field(default_factory=set)
    """(unit key, item or '') already reported unknown."""


def _answer(state: _Raw, value: Any) -> Decimal | None:
    """The percent an answer is worth: from the map first, else a number 0–100; None if neither."""
    mapped = state.answers.get(answer_key(_text(value)))
    if mapped is not None:
        return mapped
    number = _to_decimal(value)
    if number is not None and ZERO <= number <= HUNDRED:
        return number
    return None


def _unit_known(state: _Raw, unit: str, r: int) -> bool:
    """True if the unit is known; else report it once."""
    if state.lookup.unit_known(unit) or not state.lookup.any_item_known():
        return True
    if (code_key(unit), "") not in state.reported:
        state.reported.add((code_key(unit), ""))
        state.ctx.add("survey_unknown_unit", _unknown_unit_message(unit), r, state.header.unit)
    return False


def _item_applies(state: _Raw, unit: str, item: str, r: int, column: int) -> bool:
    """True if the item is a survey item of the unit; else report it once per unit."""
    if state.lookup.max(unit, item) is not None:
        return True
    if state.lookup.item_known(item) and (code_key(unit), item) not in state.reported:
        state.reported.add((code_key(unit), item))
        state.ctx.add("survey_unknown_item", _unknown_item_message(item, unit), r, column, item)
    return False


def _raw_row(state: _Raw, row: list[Any], r: int) -> None:
    header = state.header
    cells = {item: _cell(row, column) for item, column in header.codes.items()}
    unit = _text(_cell(row, header.unit))
    if not unit:
        if not all(_blank(v) for v in cells.values()):
            state.ctx.add("survey_unknown_unit", "phiếu thiếu mã đơn vị", r, header.unit)
        return
    if not _unit_known(state, unit, r):
        return
    key = code_key(unit)
    state.names.setdefault(key, unit)
    valid = 0
    for item, value in cells.items():
        column = header.codes[item]
        if _blank(value) or not _item_applies(state, unit, item, r, column):
            continue
        percent = _answer(state, value)
        if percent is None:
            state.ctx.add(
                "survey_bad_answer",
                f"câu trả lời '{_text(value)}' không có trong bảng quy đổi ({state.labels}) "
                "và không phải tỷ lệ 0 – 100; bỏ qua",
                r,
                column,
                item,
                warn=True,
            )
            continue
        state.tallies.setdefault((key, item), []).append(percent)
        valid += 1
    if valid:
        state.respondents[key] = state.respondents.get(key, 0) + 1


def _percent(answers: list[Decimal], satisfied: Decimal | None) -> Decimal:
    """Mean of the answers, or the share at least `satisfied`; in %, half-up to 2 decimals."""
    if satisfied is None:
        return round_points(sum(answers, ZERO) / len(answers))
    return round_points(Decimal(sum(a >= satisfied for a in answers)) * HUNDRED / len(answers))


def _raw_results(state: _Raw, satisfied: Decimal | None) -> dict[str, dict[str, Surveyed]]:
    """Points per unit and item; a warning for each item of a unit that nobody answered."""
    values: dict[str, dict[str, Surveyed]] = {}
    for key, unit in state.names.items():
        if key not in state.respondents:
            continue
        for item, column in state.header.codes.items():
            top = state.lookup.max(unit, item)
            if top is None:
                continue
            answers = state.tallies.get((key, item))
            if not answers:
                state.ctx.add(
                    "survey_no_answers",
                    f"đơn vị {unit} không có câu trả lời hợp lệ cho mục {item}; "
                    "mục không tính vào điểm tối đa",
                    state.header.row,
                    column,
                    item,
                    warn=True,
                )
                continue
            percent = _percent(answers, satisfied)
            where = f"{state.ctx.path.name} · {len(answers)} phiếu"
            points = round_points(top * percent / HUNDRED)
            values.setdefault(unit, {})[item] = Surveyed(points, percent, where)
    return values


def _read_raw(
    rows: list[list[Any]],
    header: _Header,
    ctx: _Context,
    max_of: MaxOf,
    answers: Mapping[str, Decimal],
    satisfied_only: bool,
) -> SurveyImport:
    for code, column in header.repeated:
        ctx.add(
            "survey_duplicate",
            f"cột mục {code} lặp lại; chỉ đọc cột đầu tiên",
            header.row,
            column,
            code,
        )
    body = [(r, rows[r]) for r in range(header.row + 1, len(rows))]
    units = [_text(_cell(row, header.unit)) for _, row in body]
    lookup = _Lookup(max_of, filter(None, units), header.codes)
    for item, column in header.codes.items():
        if not lookup.item_known(item):
            ctx.add("survey_unknown_item", _unknown_item_message(item), header.row, column, item)
    state = _Raw(
        ctx,
        header,
        lookup,
        {answer_key(k): v for k, v in answers.items()},
        ", ".join(answers),
    )
    for r, row in body:
        _raw_row(state, row, r)
    satisfied = satisfied_from(answers) if satisfied_only else None
    values = _raw_results(state, satisfied)
    respondents = {state.names[k]: n for k, n in state.respondents.items()}
    return SurveyImport(values, ctx.issues, "raw", respondents)


# --- Entry point ----------------------------------------------------------------------------------


def read_survey(
    path: Path,
    max_of: MaxOf,
    answers: Mapping[str, Decimal] | None = None,
    satisfied_only: bool = False,
) -> SurveyImport:
    """Read a survey results file (aggregated or raw layout) into points per unit and item.

    `max_of(unit, item)` gives a survey leaf's maximum for a unit, None when the unit or the item
    is unknown. `answers` maps raw answers to a percent (default A=100, B=60, C=20, D=0); with
    `satisfied_only` an item's percent is the share of answers worth at least the second-best
    value of the map instead of their mean. Raises ValueError only for an empty `answers`.
    """
    answers = DEFAULT_ANSWERS if answers is None else answers
    if not answers:
        raise ValueError("bảng quy đổi câu trả lời trống")
    ctx = _Context(Path(path))
    rows = _read_rows(ctx.path, ctx)
    if rows is None:
        return SurveyImport({}, ctx.issues, "aggregated", {})
    header = _find_header(rows)
    if header is not None and header.item is not None:
        if header.percent is not None or header.points is not None:
            return _read_aggregated(rows, header, ctx, max_of)
    elif header is not None and header.codes:
        return _read_raw(rows, header, ctx, max_of, answers, satisfied_only)
    ctx.add("survey_layout", _layout_problem(header), header.row if header else None)
    return SurveyImport({}, ctx.issues, "aggregated", {})


def _layout_problem(header: _Header | None) -> str:
    if header is None:
        return f"không tìm thấy dòng tiêu đề có cột 'Mã đơn vị' trong {HEADER_SEARCH_ROWS} dòng đầu"
    if header.item is not None:
        return "bảng tổng hợp cần cột 'Tỷ lệ hài lòng (%)' hoặc cột 'Điểm'"
    return (
        "không nhận ra bố cục: cần cột 'Mã' (mã tiêu chí) cùng 'Tỷ lệ hài lòng (%)' hoặc 'Điểm' "
        "(bảng tổng hợp), hoặc mỗi tiêu chí một cột có tiêu đề là mã tiêu chí, ví dụ 3.1 "
        "(phiếu khảo sát)"
    )
