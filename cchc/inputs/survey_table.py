"""A survey results file read as a table: its rows, its header, its units and items."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from cchc.core.issues import Issue, Severity, cell_ref
from cchc.core.text import fold
from cchc.readers.cells import cell_number, cell_text
from cchc.readers.csv_table import csv_rows
from cchc.readers.guard import Refused
from cchc.readers.table import Unreadable, read_table
from cchc.scoring.layers import Surveyed
from cchc.units.model import clean_text
from cchc.units.read import EXCEL_SUFFIXES

MaxOf = Callable[[str, str], Decimal | None]
PlacesOf = Callable[[str], int]
"""A unit's decimals for points (its set's precision.points)."""
"""The maximum of a survey leaf for a unit, or None if the unit or the item is unknown to it."""

HEADER_SEARCH_ROWS = 30
CSV_SUFFIXES = (".csv",)


@dataclass
class SurveyImport:
    """What a survey file gave: points per unit and item, and the problems found."""

    values: dict[str, dict[str, Surveyed]]
    """Unit code (as first written in the file) → item code → result."""
    issues: list[Issue]
    kind: Literal["aggregated", "raw"]
    respondents: dict[str, int] = field(default_factory=dict)
    """Raw layout: rows of each unit with at least one valid answer; empty when aggregated."""


# --- Cells ----------------------------------------------------------------------------------------


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text_of(value: Any) -> str:
    """A cell as clean text (NFC, spaces collapsed); '' when blank."""
    return clean_text(cell_text(value))


def is_numeric(value: Any) -> bool:
    """True for a number cell (not a text that looks like one, not a boolean)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def to_decimal(value: Any) -> Decimal | None:
    """A number cell or a number typed as text ('85,5', '85.5', '85,5%'); None otherwise."""
    number = cell_number(value)
    return number if isinstance(number, Decimal) and number.is_finite() else None


def cell(row: list[Any], column: int | None) -> Any:
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
class Header:
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


def _header_at(row: list[Any], index: int) -> Header | None:
    keys = [_header_key(v) for v in row]
    unit = _first(keys, _UNIT_TITLES)
    if unit is None:
        return None
    codes: dict[str, int] = {}
    repeated: list[tuple[str, int]] = []
    for column, value in enumerate(row):
        code = text_of(value)
        if column != unit and _ITEM_CODE.match(code):
            if code in codes:
                repeated.append((code, column))
            else:
                codes[code] = column
    return Header(
        row=index,
        unit=unit,
        item=_first(keys, _ITEM_TITLES),
        percent=_first(keys, _PERCENT_TITLES),
        points=_first(keys, _POINTS_TITLES),
        codes=codes,
        repeated=repeated,
    )


def find_survey_header(rows: list[list[Any]]) -> Header | None:
    """The first row, among the first 30, with a `Mã đơn vị` column."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        header = _header_at(row, index)
        if header is not None:
            return header
    return None


# --- Reading the file -----------------------------------------------------------------------------


@dataclass
class Context:
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


def _excel_rows(path: Path) -> tuple[str, list[list[Any]]]:
    """The first sheet's name and cells, from A1."""
    return next(iter(read_table(path).items()))


def read_rows(path: Path, ctx: Context) -> list[list[Any]] | None:
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
                return csv_rows(path, lambda rows: find_survey_header(rows) is not None)
            ctx.sheet, rows = _excel_rows(path)
            return rows
        except Refused as exc:
            problem = exc.refusal.message
        except UnicodeDecodeError as exc:
            problem = f"tệp CSV không phải UTF-8 (byte {exc.start})"
        except (Unreadable, csv.Error) as exc:
            problem = str(exc) or type(exc).__name__
    ctx.add("survey_unreadable", f"không đọc được tệp kết quả khảo sát: {problem}")
    return None


# --- Units and items ------------------------------------------------------------------------------


class Lookup:
    """`max_of`, remembered, and which of unit or item to blame when it gives None."""

    def __init__(
        self,
        max_of: MaxOf,
        units: Iterable[str],
        items: Iterable[str],
        places_of: PlacesOf | None = None,
    ) -> None:
        self._max_of = max_of
        self._places_of = places_of
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

    def places(self, unit: str) -> int:
        """Decimals the unit's survey points are rounded to (default 2)."""
        return self._places_of(unit) if self._places_of is not None else 2

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


def unknown_unit_message(unit: str) -> str:
    return f"mã đơn vị '{unit}' không có trong danh sách đơn vị; bỏ qua các dòng của đơn vị này"


def unknown_item_message(item: str, unit: str | None = None) -> str:
    whose = f" của đơn vị {unit}" if unit else ""
    return f"mục '{item}' không phải tiêu chí điều tra xã hội học{whose} trong bộ tiêu chí; bỏ qua"
