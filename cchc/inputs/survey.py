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

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from cchc.inputs.survey_aggregated import read_aggregated
from cchc.inputs.survey_raw import read_raw
from cchc.inputs.survey_table import (
    HEADER_SEARCH_ROWS,
    Context,
    Header,
    MaxOf,
    PlacesOf,
    SurveyImport,
    find_survey_header,
    read_rows,
)
from cchc.scoring.satisfaction import DEFAULT_ANSWERS


def read_survey(
    path: Path,
    max_of: MaxOf,
    answers: Mapping[str, Decimal] | None = None,
    satisfied_only: bool = False,
    places_of: PlacesOf | None = None,
) -> SurveyImport:
    """Read a survey results file (aggregated or raw layout) into points per unit and item.

    `max_of(unit, item)` gives a survey leaf's maximum for a unit, None when the unit or the item
    is unknown. `answers` maps raw answers to a percent (default A=100, B=60, C=20, D=0); with
    `satisfied_only` an item's percent is the share of answers worth at least the second-best
    value of the map instead of their mean. `places_of(unit)` gives the decimals a unit's points
    are rounded to (default 2). Raises ValueError only for an empty `answers`.
    """
    answers = DEFAULT_ANSWERS if answers is None else answers
    if not answers:
        raise ValueError("bảng quy đổi câu trả lời trống")
    ctx = Context(Path(path))
    rows = read_rows(ctx.path, ctx)
    if rows is None:
        return SurveyImport({}, ctx.issues, "aggregated", {})
    header = find_survey_header(rows)
    if header is not None and header.item is not None:
        if header.percent is not None or header.points is not None:
            return read_aggregated(rows, header, ctx, max_of, places_of)
    elif header is not None and header.codes:
        return read_raw(rows, header, ctx, max_of, answers, satisfied_only, places_of)
    ctx.add("survey_layout", _layout_problem(header), header.row if header else None)
    return SurveyImport({}, ctx.issues, "aggregated", {})


def _layout_problem(header: Header | None) -> str:
    if header is None:
        return f"không tìm thấy dòng tiêu đề có cột 'Mã đơn vị' trong {HEADER_SEARCH_ROWS} dòng đầu"
    if header.item is not None:
        return "bảng tổng hợp cần cột 'Tỷ lệ hài lòng (%)' hoặc cột 'Điểm'"
    return (
        "không nhận ra bố cục: cần cột 'Mã' (mã tiêu chí) cùng 'Tỷ lệ hài lòng (%)' hoặc 'Điểm' "
        "(bảng tổng hợp), hoặc mỗi tiêu chí một cột có tiêu đề là mã tiêu chí, ví dụ 3.1 "
        "(phiếu khảo sát)"
    )
