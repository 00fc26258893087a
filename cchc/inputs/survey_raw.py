"""The raw survey layout: one row per respondent, one column per item holding an answer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cchc.core.numbers import round_points
from cchc.inputs.survey_table import (
    Context,
    Header,
    Lookup,
    MaxOf,
    PlacesOf,
    SurveyImport,
    blank,
    cell,
    text_of,
    to_decimal,
    unknown_item_message,
    unknown_unit_message,
)
from cchc.scoring.layers import Surveyed
from cchc.scoring.satisfaction import HUNDRED, ZERO, answer_key, percent_of, satisfied_from
from cchc.units.model import code_key


@dataclass
class _Raw:
    """State while reading the raw layout."""

    ctx: Context
    header: Header
    lookup: Lookup
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
    mapped = state.answers.get(answer_key(text_of(value)))
    if mapped is not None:
        return mapped
    number = to_decimal(value)
    if number is not None and ZERO <= number <= HUNDRED:
        return number
    return None


def _unit_known(state: _Raw, unit: str, r: int) -> bool:
    """True if the unit is known; else report it once."""
    if state.lookup.unit_known(unit) or not state.lookup.any_item_known():
        return True
    if (code_key(unit), "") not in state.reported:
        state.reported.add((code_key(unit), ""))
        state.ctx.add("survey_unknown_unit", unknown_unit_message(unit), r, state.header.unit)
    return False


def _item_applies(state: _Raw, unit: str, item: str, r: int, column: int) -> bool:
    """True if the item is a survey item of the unit; else report it once per unit."""
    if state.lookup.max(unit, item) is not None:
        return True
    if state.lookup.item_known(item) and (code_key(unit), item) not in state.reported:
        state.reported.add((code_key(unit), item))
        state.ctx.add("survey_unknown_item", unknown_item_message(item, unit), r, column, item)
    return False


def _raw_row(state: _Raw, row: list[Any], r: int) -> None:
    header = state.header
    cells = {item: cell(row, column) for item, column in header.codes.items()}
    unit = text_of(cell(row, header.unit))
    if not unit:
        if not all(blank(v) for v in cells.values()):
            state.ctx.add("survey_unknown_unit", "phiếu thiếu mã đơn vị", r, header.unit)
        return
    if not _unit_known(state, unit, r):
        return
    key = code_key(unit)
    state.names.setdefault(key, unit)
    valid = 0
    for item, value in cells.items():
        column = header.codes[item]
        if blank(value) or not _item_applies(state, unit, item, r, column):
            continue
        percent = _answer(state, value)
        if percent is None:
            state.ctx.add(
                "survey_bad_answer",
                f"câu trả lời '{text_of(value)}' không có trong bảng quy đổi ({state.labels}) "
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
            percent = percent_of(answers, satisfied)
            where = f"{state.ctx.path.name} · {len(answers)} phiếu"
            points = round_points(top * percent / HUNDRED, state.lookup.places(unit))
            values.setdefault(unit, {})[item] = Surveyed(points, percent, where)
    return values


def read_raw(
    rows: list[list[Any]],
    header: Header,
    ctx: Context,
    max_of: MaxOf,
    answers: Mapping[str, Decimal],
    satisfied_only: bool,
    places_of: PlacesOf | None = None,
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
    units = [text_of(cell(row, header.unit)) for _, row in body]
    lookup = Lookup(max_of, filter(None, units), header.codes, places_of)
    for item, column in header.codes.items():
        if not lookup.item_known(item):
            ctx.add("survey_unknown_item", unknown_item_message(item), header.row, column, item)
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
