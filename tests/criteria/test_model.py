"""The model: exact decimals from YAML, codes as written, tier matching, coverage analysis."""

from __future__ import annotations

from decimal import Decimal

from cchc.criteria.coverage import analyse
from cchc.criteria.loader import load_text
from cchc.criteria.model import CriteriaSet, Tier, effective_method, effective_type, subtree_max

D = Decimal


def tiers(*specs: dict[str, object]) -> list[Tier]:
    return [Tier.model_validate(s) for s in specs]


def test_yaml_numbers_are_exact_decimals(mini: CriteriaSet) -> None:
    item = mini.find("1.2.2")
    assert item is not None and item.max == D("1.5")
    assert isinstance(item.max, Decimal)
    assert subtree_max(mini.items[0]) == D(8)


def test_code_digits_kept_as_written() -> None:
    text = """
id: a
year: 2024
title: A
level: xa
status: sample
scale: 1
bands: [{label: Đạt, min: 0}]
items:
  - code: 1
    title: A
    items:
      - {code: 1.10, title: B, max: 1, rule: {kind: yes_no}}
"""
    loaded = load_text(text)
    assert loaded.ok, loaded.issues
    assert loaded.set is not None
    assert [i.code for i, _ in loaded.set.walk()] == ["1", "1.10"]


def test_inherited_type_and_method(mini: CriteriaSet) -> None:
    walked = {item.code: ancestors for item, ancestors in mini.walk()}
    bonus = mini.find("T.2")
    survey = mini.find("3.1")
    assert bonus is not None and survey is not None
    assert effective_type(bonus, walked["T.2"]) == "bonus"
    assert effective_method(survey, walked["3.1"]) == "survey"
    assert effective_method(bonus, walked["T.2"]) == "self"


def test_tier_bounds_inclusive_and_exclusive() -> None:
    tier = Tier.model_validate({"above": 70, "to": 90, "points": 1})
    assert not tier.matches(D(70))
    assert tier.matches(D("70.01"))
    assert tier.matches(D(90))
    assert not tier.matches(D("90.001"))


def test_first_match_tiers_cover_everything() -> None:
    report = analyse(
        tiers({"above": 90, "points": 2}, {"from": 70, "points": 1}, {"else": 0}), D(0), D(100)
    )
    assert report == report.__class__([], [], [], [])


def test_gap_between_declared_ranges() -> None:
    report = analyse(
        tiers({"from": 90, "points": 2}, {"from": 0, "to": 80, "points": 1}), D(0), D(100)
    )
    assert report.gaps and all(D(80) < g < D(90) for g in report.gaps)


def test_shadowed_tier() -> None:
    report = analyse(
        tiers({"from": 70, "points": 2}, {"above": 70, "points": 1}, {"else": 0}), D(0), None
    )
    assert report.shadowed == [1]
