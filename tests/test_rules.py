"""Rules on a unit group's own maximum."""

from __future__ import annotations

from decimal import Decimal

from cchc.criteria.model import Item
from cchc.scoring.rules import Entry, Status, evaluate


def test_manual_points_are_typed_on_the_group_scale() -> None:
    item = Item.model_validate(
        {
            "code": "1",
            "title": "Sáng kiến",
            "max": 1,
            "applies_to": {"xa": 1, "phuong": 2},
            "rule": {"kind": "manual", "step": 0.25},
        }
    )
    ward = evaluate(item, Entry(points=Decimal("1.75")), Decimal(2))
    assert (ward.points, ward.status) == (Decimal("1.75"), Status.SCORED)
    assert evaluate(item, Entry(points=Decimal(2)), Decimal(1)).problems[0][0] == "out_of_range"


def test_computed_points_are_rescaled_to_the_group_maximum() -> None:
    item = Item.model_validate(
        {"code": "1", "title": "Kế hoạch", "max": 1, "rule": {"kind": "yes_no"}}
    )
    assert evaluate(item, Entry(choice="Đạt"), Decimal("1.5")).points == Decimal("1.5")
    assert evaluate(item, Entry(choice="Không đạt"), Decimal("1.5")).points == Decimal(0)
