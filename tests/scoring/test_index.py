"""Index, sub-indices, bonus and penalty caps, bands and ranks, worked out by hand.

The mini set (tests/data/sets/mini-2024.yaml): domain 1 (max 8: 1.1.1 1, 1.1.2 1, 1.1.4 2,
1.2.1 1, 1.2.2 1.5, 1.2.3 1.5), domain 2 (max 7: 2.1 3, 2.2 1, 2.3 1 for xa only, 2.4 2 for xa
and 3 for phường), domain 3 survey (3.1 3, 3.2 2), bonus T (cap 1: T.1 1, T.2 0.5), penalty P
(cap 2: P.1 2).
"""

from __future__ import annotations

from decimal import Decimal

from cchc.criteria.model import CriteriaSet
from cchc.scoring.index import LeafScore, band_of, competition_ranks, totals
from cchc.scoring.layers import Appraised, Surveyed, unit_leaves
from cchc.scoring.run import UnitScore, rank_units
from cchc.units.model import Unit
from tests.workbooks import MINI_X01_POINTS

D = Decimal


def leaves_for(
    mini: CriteriaSet, points: dict[str, str], group: str = "xa", excluded: tuple[str, ...] = ()
) -> dict[str, LeafScore]:
    """Self layer from `points`; every other applicable leaf present with no points."""
    leaves = unit_leaves(mini, group, None)
    for code, value in points.items():
        leaves[code].layers["self" if not code.startswith("3.") else "survey"] = D(value)
        leaves[code].excluded = False
    for code in excluded:
        leaves[code].excluded = True
    return leaves


def test_x01_without_survey_is_rescaled(mini: CriteriaSet) -> None:
    result = totals(mini, leaves_for(mini, MINI_X01_POINTS))
    # Domain 1: 0.5 + 1 + 1 + 0.5 + 1.5 + 1.25 = 5.75 of 8; domain 2: 2.67 + 0.5 + 0 + 1.3 = 4.47
    # of 7; no survey, so domain 3 leaves the denominator: max 15.
    assert (result.points, result.max) == (D("10.22"), D(15))
    # Bonus 1 + 0.5 = 1.5 capped at 1; penalty 0.5.
    assert (result.bonus, result.penalty) == (D(1), D("0.5"))
    # (10.22 + 1 − 0.5) / 15 × 100 = 71.4666… → 71.47
    assert result.index == D("71.47")
    nodes = result.nodes
    assert nodes["1"].index == D("71.88")  # 5.75 / 8 = 71.875, half-up
    assert nodes["1.1"].index == D("62.50")  # 2.5 / 4
    assert nodes["1.2"].index == D("81.25")  # 3.25 / 4
    assert nodes["2"].index == D("63.86")  # 4.47 / 7 = 63.857…
    assert "3" not in nodes or nodes["3"].max == 0
    assert nodes["T"].points == D(1) and nodes["T"].index is None
    assert band_of(mini, result.index) == "Khá"  # 65 ≤ 71.47 < 80


def test_x01_with_survey(mini: CriteriaSet) -> None:
    points = {**MINI_X01_POINTS, "3.1": "2.4", "3.2": "1.5"}
    result = totals(mini, leaves_for(mini, points))
    # 10.22 + 3.9 + 1 − 0.5 = 14.62 of 20 → 73.10
    assert (result.total, result.max, result.index) == (D("14.62"), D(20), D("73.10"))
    assert result.nodes["3"].index == D("78.00")  # 3.9 / 5


def test_na_exclude_leaves_the_denominator(mini: CriteriaSet) -> None:
    points = {c: v for c, v in MINI_X01_POINTS.items() if c != "1.2.3"}
    result = totals(mini, leaves_for(mini, points, excluded=("1.2.3",)))
    # Domain 1 without 1.2.3: 4.5 of 6.5; total max 15 − 1.5 = 13.5
    assert (result.nodes["1"].points, result.nodes["1"].max) == (D("4.5"), D("6.5"))
    # (8.97 + 1 − 0.5) / 13.5 × 100 = 70.148… → 70.15
    assert result.index == D("70.15")


def test_excluding_equals_rescaling(mini: CriteriaSet) -> None:
    """An excluded item changes the index exactly as removing its maximum would."""
    points = {c: v for c, v in MINI_X01_POINTS.items() if c not in ("T.1", "T.2", "P.1")}
    excluded = totals(mini, leaves_for(mini, points, excluded=("2.1",)))
    rest = D("10.22") - D("2.67")
    assert excluded.index == (rest / D(12) * 100).quantize(D("0.01"))  # 62.916… → 62.92
    assert excluded.index == D("62.92")


def test_half_up_sub_index(mini: CriteriaSet) -> None:
    # Domain 1 = 5.21 of 8 → 65.125: half-up gives 65.13 (half-even would give 65.12).
    points = {"1.1.1": "1", "1.1.2": "1", "1.1.4": "1", "1.2.1": "1", "1.2.2": "0.75"}
    points["1.2.3"] = "0.46"
    result = totals(mini, leaves_for(mini, points))
    assert result.nodes["1"].points == D("5.21")
    assert result.nodes["1"].index == D("65.13")


def test_clamped_to_0_and_100(mini: CriteriaSet) -> None:
    nothing = totals(mini, leaves_for(mini, {"P.1": "2"}))
    assert (nothing.total, nothing.index) == (D(-2), D("0.00"))
    full = {c: str(leaf.max) for c, leaf in leaves_for(mini, {}).items()}
    best = totals(mini, leaves_for(mini, {**full, "P.1": "0"}))
    # 20 + bonus 1 (1.5 capped) over 20 → 105 % → 100
    assert (best.total, best.index) == (D(21), D("100.00"))
    assert band_of(mini, best.index) == "Tốt"


def test_phuong_maxima(mini: CriteriaSet) -> None:
    leaves = leaves_for(mini, {"2.4": "3"}, group="phuong")
    assert "2.3" not in leaves and leaves["2.4"].max == D(3)
    result = totals(mini, leaves)
    # Domain 2 for a phường: 3 + 1 + 3 = 7, same total as a xã.
    assert result.nodes["2"].max == D(7) and result.max == D(15)
    assert result.index == D(20)  # 3 / 15


def test_final_is_the_last_appraisal(mini: CriteriaSet) -> None:
    appraisal = {
        "2.1": Appraised(first=D("2.5"), second=D("2.6")),
        "1.1.1": Appraised(first=D(0), comment="Kế hoạch ban hành sau hạn"),
        "1.2.3": Appraised(first=D("1.5")),
    }
    survey = {"3.1": Surveyed(D("2.1"), D(70))}
    leaves = unit_leaves(mini, "xa", None, None, appraisal, survey)
    for code, value in MINI_X01_POINTS.items():
        leaves[code].layers["self"] = D(value)
    assert (leaves["2.1"].final, leaves["2.1"].by) == (D("2.6"), "appraisal_2")
    assert (leaves["1.1.1"].final, leaves["1.1.1"].by) == (D(0), "appraisal_1")
    assert (leaves["1.1.2"].final, leaves["1.1.2"].by) == (D(1), "self")
    assert (leaves["3.1"].final, leaves["3.1"].by) == (D("2.1"), "survey")
    result = totals(mini, leaves)
    # Domain 1: 5.75 − 0.5 + 0.25 = 5.5; domain 2: 4.47 − 2.67 + 2.6 = 4.4; survey 3.1 = 2.1 of 3
    # (3.2 has no result and leaves the denominator): 12 + 1 − 0.5 = 12.5 of 18 → 69.444… → 69.44
    assert (result.points, result.max, result.index) == (D(12), D(18), D("69.44"))


def test_ties_share_a_rank() -> None:
    ranks = competition_ranks([("a", D(90)), ("b", D(80)), ("c", D("80.00")), ("d", D(70))])
    assert ranks == {"a": 1, "b": 2, "c": 2, "d": 4}


def _scored(code: str, group: str, index: str, ranked: bool = True) -> UnitScore:
    from cchc.scoring.index import Totals

    unit = Unit(code=code, name=code, group=group, ranked=ranked)
    return UnitScore(unit, "mini", 2024, "X.xlsx", {}, Totals(D(0), D(1), D(0), D(0), D(index), {}))


def test_ranks_within_each_group_and_skips_unranked() -> None:
    scores = [
        _scored("X1", "xa", "80"),
        _scored("X2", "xa", "90"),
        _scored("X3", "xa", "80"),
        _scored("X4", "xa", "95", ranked=False),
        _scored("P1", "phuong", "70"),
        _scored("X5", "xa", "60"),
    ]
    rank_units(scores)
    assert {s.unit.code: s.totals.rank for s in scores} == {
        "X1": 2,
        "X2": 1,
        "X3": 2,
        "X4": None,
        "P1": 1,
        "X5": 4,
    }
