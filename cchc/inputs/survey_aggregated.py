"""The aggregated survey layout: one row per unit × item, a percent or points."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cchc.core.numbers import fmt, round_points
from cchc.inputs.survey_table import (
    Context,
    Header,
    Lookup,
    MaxOf,
    PlacesOf,
    SurveyImport,
    blank,
    cell,
    is_numeric,
    text_of,
    to_decimal,
    unknown_item_message,
    unknown_unit_message,
)
from cchc.scoring.layers import Surveyed
from cchc.scoring.satisfaction import HUNDRED, ZERO
from cchc.units.model import code_key


@dataclass
class _Aggregated:
    """State while reading the aggregated layout."""

    ctx: Context
    header: Header
    lookup: Lookup
    fraction: bool = False
    """Percent cells are Excel percentages (0,855 for 85,5%)."""
    values: dict[str, dict[str, Surveyed]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    """Unit key → the unit code as first written."""
    rows: dict[tuple[str, str], int] = field(default_factory=dict)
    """(unit key, item) → 0-based row it was read from."""
    reported: set[str] = field(default_factory=set)
    """Unit keys already reported unknown."""


def _bare(value: Any) -> bool:
    """A number without a '%' sign: a number cell, or text such as '0,765' or '0.68'."""
    return is_numeric(value) or (isinstance(value, str) and "%" not in value)


def _fraction_column(rows: list[list[Any]], header: Header) -> bool:
    """True if every bare number of the percent column lies in 0–1 and one lies strictly inside.

    Excel stores a cell typed '85,5%' as 0.855, and some systems export rates as fractions
    ('0,765', '0.68'); such a column is read as 85,5. A number written with '%' is a percent.
    """
    numbers = [
        number
        for row in rows[header.row + 1 :]
        if _bare(value := cell(row, header.percent)) and (number := to_decimal(value)) is not None
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
    value = cell(row, column)
    if blank(value):
        return True, None
    number = to_decimal(value)
    if number is None:
        state.ctx.add(
            "survey_not_a_number",
            f"'{text_of(value)}' không phải là số (ví dụ đúng: 85,5)",
            r,
            column,
            item,
        )
        return False, None
    if state.fraction and column == state.header.percent and _bare(value):
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
    state: _Aggregated, row: list[Any], r: int, item: str, top: Decimal, places: int
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
        return Surveyed(round_points(top * percent / HUNDRED, places), percent, where)
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
    unit, item = text_of(cell(row, header.unit)), text_of(cell(row, header.item))
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
                "survey_unknown_item", unknown_item_message(item, unit), r, header.item, item
            )
        elif code_key(unit) not in state.reported:
            state.reported.add(code_key(unit))
            state.ctx.add("survey_unknown_unit", unknown_unit_message(unit), r, header.unit, item)
        return
    result = _aggregated_result(state, row, r, item, top, state.lookup.places(unit))
    if result is None:
        return
    key = (code_key(unit), item)
    if key in state.rows:
        _duplicate(state, key, r, result)
        return
    state.rows[key] = r
    name = state.names.setdefault(key[0], unit)
    state.values.setdefault(name, {})[item] = result


WIDER_THAN_HEADER = (
    "dòng có nhiều ô hơn dòng tiêu đề ({width} cột): số thập phân viết bằng dấu phẩy trong tệp "
    'CSV ngăn cách bằng dấu phẩy (76,5) bị tách làm hai; đặt số trong ngoặc kép ("76,5"), '
    "dùng dấu chấm (76.5) hoặc ngăn cách bằng dấu chấm phẩy"
)


def _width(row: list[Any]) -> int:
    """Columns up to the last non-blank cell."""
    return next((i + 1 for i in range(len(row) - 1, -1, -1) if not blank(row[i])), 0)


def read_aggregated(
    rows: list[list[Any]],
    header: Header,
    ctx: Context,
    max_of: MaxOf,
    places_of: PlacesOf | None = None,
) -> SurveyImport:
    body = [(r, rows[r]) for r in range(header.row + 1, len(rows))]
    units = [text_of(cell(row, header.unit)) for _, row in body]
    items = [text_of(cell(row, header.item)) for _, row in body]
    lookup = Lookup(max_of, filter(None, units), filter(None, items), places_of)
    state = _Aggregated(ctx, header, lookup, _fraction_column(rows, header))
    if state.fraction:
        ctx.add(
            "survey_percent_scale",
            "mọi tỷ lệ trong cột đều từ 0 đến 1 (ô định dạng phần trăm): đọc 0,855 là 85,5%",
            header.row,
            header.percent,
            warn=True,
        )
    width = _width(rows[header.row])
    for r, row in body:
        if ctx.sheet is None and _width(row) > width:
            ctx.add("survey_row_ambiguous", WIDER_THAN_HEADER.format(width=width), r)
        elif not all(
            blank(cell(row, c)) for c in (header.unit, header.item, header.percent, header.points)
        ):
            _aggregated_row(state, row, r)
    return SurveyImport(state.values, ctx.issues, "aggregated", {})
