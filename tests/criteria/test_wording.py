"""The 'Cách chấm' wording and its parser are inverses, and the parser reads real tables."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import TypeAdapter

from cchc.criteria.model import CriteriaSet, Rule
from cchc.criteria.parse_wording import parse_condition, parse_rule_text
from cchc.criteria.wording import rule_summary, rule_text

RULE: TypeAdapter[Rule] = TypeAdapter(Rule)


def test_every_rule_of_the_mini_set_reads_back(mini: CriteriaSet) -> None:
    for item, _ in mini.walk():
        parsed = parse_rule_text(rule_text(item))
        assert not parsed.guessed, item.code
        if item.rule is None:
            assert parsed.rule is None, item.code
        else:
            assert RULE.validate_python(parsed.rule) == item.rule, item.code


def test_summary_is_one_line(mini: CriteriaSet) -> None:
    item = mini.find("1.1.4")
    assert item is not None
    assert rule_summary(item) == (
        "Tỷ lệ: Số nhiệm vụ hoàn thành / Tổng số nhiệm vụ trong kế hoạch; Trên 90%: 2 điểm; "
        "Từ 70%: 1 điểm; Còn lại: 0 điểm; Không phát sinh: đạt điểm tối đa"
    )


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        ("Trên 90%", {"above": Decimal(90)}),
        ("Từ 70% đến dưới 90%", {"from": Decimal(70), "below": Decimal(90)}),
        ("từ 70 % đến 90 %", {"from": Decimal(70), "to": Decimal(90)}),
        ("Dưới 50%", {"below": Decimal(50)}),
        ("Không quá 2", {"to": Decimal(2)}),
        ("≥ 95,5%", {"from": Decimal("95.5")}),
        ("> 90%", {"above": Decimal(90)}),
        ("< 70%", {"below": Decimal(70)}),
        ("Còn lại", {}),
        ("Khá tốt", None),
    ],
)
def test_tier_conditions(text: str, bounds: dict[str, Decimal] | None) -> None:
    assert parse_condition(text) == bounds


def test_published_one_line_choice() -> None:
    parsed = parse_rule_text(
        "Ban hành kịp thời: 1 điểm; Ban hành không kịp thời: 0,5 điểm; Không ban hành: 0 điểm"
    )
    assert parsed.rule == {
        "kind": "choice",
        "options": [
            {"label": "Ban hành kịp thời", "points": Decimal(1)},
            {"label": "Ban hành không kịp thời", "points": Decimal("0.5")},
            {"label": "Không ban hành", "points": Decimal(0)},
        ],
    }


def test_published_tiers_with_symbols() -> None:
    parsed = parse_rule_text(
        "Tỷ lệ: Số nhiệm vụ hoàn thành / Tổng số nhiệm vụ\n- ≥ 90%: 2 điểm\n- Từ 70% đến dưới 90%: "
        "1 điểm\n- Dưới 70%: 0 điểm"
    )
    assert parsed.rule is not None
    assert parsed.rule["tiers"] == [
        {"from": Decimal(90), "points": Decimal(2)},
        {"from": Decimal(70), "below": Decimal(90), "points": Decimal(1)},
        {"below": Decimal(70), "points": Decimal(0)},
    ]


def test_unreadable_text_becomes_manual_with_the_text_as_guide() -> None:
    text = "Căn cứ mức độ hoàn thành, Hội đồng chấm điểm phù hợp"
    parsed = parse_rule_text(text)
    assert parsed.guessed
    assert parsed.rule == {"kind": "manual", "guide": text}


def test_item_level_lines() -> None:
    parsed = parse_rule_text("Điểm thưởng\nTối đa 2 điểm")
    assert parsed.fields == {"type": "bonus", "cap": Decimal(2)}
    assert parsed.rule is None
    parsed = parse_rule_text(
        "Đạt: 1 điểm; không đạt: 0 điểm\nKhông áp dụng: không tính vào điểm tối đa"
    )
    assert parsed.fields == {"na": "exclude"}
    assert parsed.rule == {"kind": "yes_no"}
