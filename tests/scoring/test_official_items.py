"""An official result without every item's points: the plan's items from the scored run.

The mini set (tests/data/sets/mini-2024.yaml, see test_official.py): domain 1 max 8 (1.1.1 = 1,
1.1.2 = 1, 1.1.4 = 2, 1.2.1 = 1, 1.2.2 = 1.5, 1.2.3 = 1.5), domain 2 max 7 (xã: 2.1 = 3,
2.2 = 1, 2.3 = 1, 2.4 = 2; phường: 2.1 = 3, 2.2 = 1, 2.4 = 3), domain 3 (survey) max 5.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from cchc.criteria.model import CriteriaSet
from cchc.reports.plan import PlanOptions, build_plan
from cchc.scoring.compare import group_sizes
from cchc.scoring.official_items import lacks_items, missing_items, with_scored_items
from cchc.scoring.run import YearRun, rank_units
from tests.pair import unit_score
from tests.scoring.test_official import UNITS, book, build

D = Decimal
# Domain 1 by leaf (1.2.3 not applicable), domain 2 as a whole, domain 3 by leaf: the existing
# plan listed domain 1's items only, domain 2's silently left out.
LONG: list[list[Any]] = [["Mã đơn vị", "Mã", "Điểm đạt"]]
LONG += [["X01", c, p] for c, p in (("1.1.1", 1), ("1.1.2", 1), ("1.1.4", 2))]
LONG += [["X01", "1.2.1", 0.5], ["X01", "1.2.2", "0,75"], ["X01", "1.2.3", "không áp dụng"]]
LONG += [["X01", "2", 6.5], ["X01", "3.1", 2.4], ["X01", "3.2", 1.5]]
LONG += [["P02", "1", 8], ["P02", "2", 7], ["P02", "3", 5]]
# What cchc scored of X01 from its workbook: 1.1.2 and 2.2 nothing, 1.2.2 0.75 of 1.5, 2.4 1 of
# 2, every other item its maximum (1.2.3 too: the workbook's unit did it).
SCORED = {"1.1.1": "1", "1.1.2": "0", "1.1.4": "2", "1.2.1": "1", "1.2.2": "0.75"}
SCORED |= {"1.2.3": "1.5", "2.1": "3", "2.2": "0", "2.3": "1", "2.4": "1", "3.1": "2", "3.2": "1"}


def official(mini: CriteriaSet, tmp_path: Path) -> YearRun:
    return build(book(tmp_path / "dai.xlsx", {"Điểm": LONG}), mini, [UNITS[0], UNITS[2]]).run


def scored(mini: CriteriaSet) -> YearRun:
    units = [unit_score(mini, UNITS[0], SCORED)]
    rank_units(units)
    return YearRun(2024, {("mini", 2024): mini}, units)


def test_the_items_a_plan_lists_without_points_of_their_own(
    mini: CriteriaSet, tmp_path: Path
) -> None:
    run = official(mini, tmp_path)
    x01, p02 = run.unit("X01"), run.unit("P02")
    assert x01 is not None and p02 is not None
    # domain 2 given whole: its xã items; no survey, bonus or penalty item is asked for
    assert missing_items(mini, x01) == ["2.1", "2.2", "2.3", "2.4"]
    # domain points only; 2.3 is not a phường's
    domain_1 = ["1.1.1", "1.1.2", "1.1.4", "1.2.1", "1.2.2", "1.2.3"]
    assert missing_items(mini, p02) == [*domain_1, "2.1", "2.2", "2.4"]
    assert lacks_items(run, x01) and lacks_items(run, p02)
    own = scored(mini)
    mine = own.unit("X01")
    assert mine is not None and missing_items(mini, mine) == [] and not lacks_items(own, mine)


def test_the_plan_takes_the_items_of_the_scored_run_and_the_official_index(
    mini: CriteriaSet, tmp_path: Path
) -> None:
    run = official(mini, tmp_path)
    both = with_scored_items(run, scored(mini), ["X01"])
    assert both.scored_items == {"X01"} and run.scored_items == frozenset()
    x01 = both.unit("X01")
    assert x01 is not None and x01.leaves["2.2"].final == D(0)
    before = run.unit("X01")
    assert before is not None and "2.2" not in before.leaves  # the official run is untouched
    plan = build_plan(both, "X01", None, PlanOptions(), group_sizes(both))
    # the official result: 5.25 of 6.5 (1.2.3 not applicable) + 6.5 of 7 + 3.9 of 5 = 15.65 of
    # 18.5 → 84.5945… → 84.59, Tốt, first (and only) of the xã
    assert (plan.index, plan.band, plan.rank, plan.rank_of) == (D("84.59"), "Tốt", 1, 1)
    assert plan.domains[:2] == [
        ("1. Công tác chỉ đạo, điều hành CCHC", D("5.25"), D("6.5"), D("80.77")),
        ("2. Cải cách thủ tục hành chính", D("6.5"), D(7), D("92.86")),
    ]
    # the items: cchc's points; at their maximum in Phụ lục 1, the others in Phụ lục 2 (those
    # scoring nothing first, then by points lost: 2.4 loses 1, 1.2.2 0.75)
    assert [r.code for r in plan.keep.rows] == ["1.1.1", "1.1.4", "1.2.1", "1.2.3", "2.1", "2.3"]
    assert [(r.code, r.points, r.lost) for r in plan.fix.rows] == [
        ("1.1.2", D(0), D(1)),
        ("2.2", D(0), D(1)),
        ("2.4", D(1), D(1)),
        ("1.2.2", D("0.75"), D("0.75")),
    ]
    assert plan.fix.lost == D("3.75")
    assert plan.result == "official" and plan.scored_items
    assert plan.items_line == (
        "Điểm từng mục (Phụ lục 1, 2) theo kết quả cchc chấm năm 2024; chỉ số, xếp loại, xếp "
        "hạng theo kết quả chính thức (kết quả chính thức chỉ có điểm lĩnh vực)"
    )
    # the official index is final; the items, self-assessed only, are not appraised yet
    assert plan.provisional == "Kết quả tạm tính: chưa thẩm định (điểm là điểm tự chấm)"
    alone = build_plan(run, "X01", None, PlanOptions(), group_sizes(run))
    assert (alone.scored_items, alone.items_line, alone.provisional) == (False, "", "")
