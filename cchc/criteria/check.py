"""Semantic checks of a criteria set: codes, maxima, rules, bands. All problems, at once."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from typing import assert_never

from cchc.core.issues import Issue, Severity
from cchc.core.numbers import fmt, places_of
from cchc.criteria.coverage import analyse
from cchc.criteria.model import (
    ChoiceRule,
    CriteriaSet,
    Item,
    Located,
    ManualRule,
    PerItemRule,
    ProportionalRule,
    TiersRule,
    YesNoRule,
    effective_method,
    effective_type,
    subtree_max,
)
from cchc.readers.guard import WORKBOOK

CODE_PATTERN = re.compile(r"^[0-9A-Za-z]+(\.[0-9A-Za-z]+)*$")
ZERO = Decimal(0)


def _issue(
    code: str, message: str, where: Located | None, item: Item | None = None, key: str = ""
) -> Issue:
    line = where.line_of(key) if where is not None else None
    return Issue(
        code=code,
        severity=Severity.ERROR,
        message=message,
        line=line,
        item=item.code if item is not None else None,
    )


def _warning(code: str, message: str, where: Located | None, item: Item | None = None) -> Issue:
    return _issue(code, message, where, item).model_copy(update={"severity": Severity.WARNING})


MAX_ITEMS = WORKBOOK.rows - 20
"""Items of a set at most: its unit workbook has a row per item and fewer than 20 others (title,
header, totals), and must stay within the rows the workbook reader accepts."""


def check_set(criteria: CriteriaSet) -> list[Issue]:
    """Every semantic problem of a schema-valid set, in file order."""
    issues = [*_check_codes(criteria), *_check_tree(criteria), *_check_totals(criteria)]
    issues += _check_precision(criteria)
    count = sum(1 for _ in criteria.walk())
    if count > MAX_ITEMS:
        message = (
            f"bộ tiêu chí có {fmt(count)} mục, vượt {fmt(MAX_ITEMS)} mục mà sổ tự đánh giá "
            "có thể chứa"
        )
        issues.append(Issue(code="set_too_large", severity=Severity.ERROR, message=message))
    issues += _check_bands(criteria)
    if criteria.previous is not None and criteria.previous.year >= criteria.year:
        issues.append(
            _issue("previous_year", "bộ tiêu chí năm trước phải có năm nhỏ hơn", criteria.previous)
        )
    return sorted(issues, key=lambda i: i.line or 0)


def _check_codes(criteria: CriteriaSet) -> Iterator[Issue]:
    seen_codes: dict[str, Item] = {}
    seen_keys: dict[str, Item] = {}
    for item, ancestors in criteria.walk():
        if not CODE_PATTERN.match(item.code):
            yield _issue("malformed_code", f"mã '{item.code}' không đúng dạng (vd. 1.2.3)", item)
        elif ancestors and not _extends(item.code, ancestors[-1].code):
            parent = ancestors[-1].code
            yield _issue(
                "child_code_outside_parent",
                f"mã '{item.code}' không nằm dưới mã của mục cha '{parent}' (cần {parent}.x)",
                item,
                item,
            )
        elif not ancestors and "." in item.code:
            yield _issue(
                "child_code_outside_parent",
                f"mã lĩnh vực '{item.code}' phải là mã một cấp (vd. 1, 2, …)",
                item,
                item,
            )
        if item.code in seen_codes:
            first = seen_codes[item.code].line
            yield _issue("duplicate_code", f"mã bị lặp (đã dùng ở dòng {first})", item, item)
        seen_codes.setdefault(item.code, item)
        if item.key is not None:
            if item.key in seen_keys:
                other = seen_keys[item.key].code
                yield _issue(
                    "duplicate_key", f"khóa '{item.key}' đã dùng cho mục {other}", item, item
                )
            seen_keys.setdefault(item.key, item)


def _extends(code: str, parent: str) -> bool:
    return code.startswith(parent + ".") and "." not in code[len(parent) + 1 :]


def _check_tree(criteria: CriteriaSet) -> Iterator[Issue]:
    for item, ancestors in criteria.walk():
        kind = effective_type(item, ancestors)
        parent_kind = effective_type(ancestors[-1], ancestors[:-1]) if ancestors else "score"
        if ancestors and item.type is not None and item.type != parent_kind:
            yield _issue("type_conflict", f"loại '{item.type}' khác loại của mục cha", item, item)
        if item.cap is not None and kind == "score":
            yield _issue(
                "cap_not_allowed", "'cap' chỉ dùng cho nhóm điểm thưởng hoặc điểm trừ", item, item
            )
        if item.applies_to is not None:
            yield from _check_groups(criteria, item)
        if item.is_leaf:
            yield from _check_leaf(item, effective_method(item, ancestors) == "survey")
            continue
        if item.rule is not None or item.na is not None:
            yield _issue("rule_on_group", "chỉ mục lá mới có 'rule' hoặc 'na'", item, item)
        total = subtree_max(item)
        if item.max is not None and item.max != total:
            yield _issue(
                "inner_max_mismatch",
                f"điểm tối đa {fmt(item.max)} khác tổng các mục con {fmt(total)}",
                item,
                item,
                key="max",
            )


def _check_groups(criteria: CriteriaSet, item: Item) -> Iterator[Issue]:
    assert item.applies_to is not None
    if not item.is_leaf:
        yield _issue("applies_to_on_group", "'applies_to' chỉ dùng cho mục lá", item, item)
    for group in item.applies_to:
        if group not in criteria.groups:
            known = ", ".join(criteria.groups) or "chưa khai báo 'groups'"
            message = f"nhóm '{group}' không có trong groups ({known})"
            yield _issue("unknown_group", message, item, item, key="applies_to")


def _check_leaf(item: Item, survey: bool) -> Iterator[Issue]:
    if item.max is None:
        yield _issue("leaf_max_missing", "mục lá phải có 'max'", item, item)
        return
    if survey:
        if item.rule is not None:
            yield _issue(
                "survey_with_rule",
                "mục điều tra xã hội học không có 'rule' (điểm do khảo sát)",
                item,
                item,
            )
        return
    if item.rule is None:
        yield _issue("rule_missing", "mục lá cần 'rule' (hoặc method: survey)", item, item)
        return
    match item.rule:
        case YesNoRule():
            pass
        case ChoiceRule() as rule:
            yield from _check_choice(item, rule, item.max)
        case TiersRule() as rule:
            yield from _check_tiers(item, rule, item.max)
        case ProportionalRule() as rule:
            yield from _check_proportional(item, rule, item.max)
        case PerItemRule() as rule:
            yield from _check_per_item(item, rule, item.max)
        case ManualRule() as rule:
            if rule.step > item.max or item.max % rule.step != 0:
                message = f"bước chấm {fmt(rule.step)} không chia hết điểm tối đa"
                yield _issue("step_invalid", message, rule, item)
        case _:
            assert_never(item.rule)


def _points_range(item: Item, where: Located, points: Decimal, top: Decimal) -> Iterator[Issue]:
    if not ZERO <= points <= top:
        yield _issue(
            "points_out_of_range",
            f"điểm {fmt(points)} nằm ngoài khoảng 0 – {fmt(top)}",
            where,
            item,
        )


def _unreachable(item: Item, where: Located, best: Decimal, top: Decimal) -> Iterator[Issue]:
    if best < top:
        yield _warning(
            "max_unreachable",
            f"mức điểm cao nhất {fmt(best)} thấp hơn điểm tối đa {fmt(top)}",
            where,
            item,
        )


def _check_choice(item: Item, rule: ChoiceRule, top: Decimal) -> Iterator[Issue]:
    labels: dict[str, int] = {}
    for option in rule.options:
        yield from _points_range(item, option, option.points, top)
        folded = unicodedata.normalize("NFC", option.label).strip().casefold()
        if folded in labels:
            yield _issue("duplicate_option", f"lựa chọn '{option.label}' bị lặp", option, item)
        labels[folded] = 1
    yield from _unreachable(item, rule, max(o.points for o in rule.options), top)


def _check_tiers(item: Item, rule: TiersRule, top: Decimal) -> Iterator[Issue]:
    upper = rule.measure.upper
    for tier in rule.tiers:
        yield from _points_range(item, tier, tier.value, top)
        for bound in (tier.above, tier.from_, tier.below, tier.to):
            if bound is not None and (bound < 0 or (upper is not None and bound > upper)):
                yield _issue(
                    "tier_bound_out_of_range",
                    f"ngưỡng {fmt(bound)} nằm ngoài khoảng 0 – {fmt(upper or bound)}",
                    tier,
                    item,
                )
    report = analyse(rule.tiers, ZERO, upper)
    if report.gaps:
        sample = fmt(report.gaps[0])
        yield _issue(
            "tier_gap",
            f"các mức chưa bao hết giá trị (vd. {sample} không thuộc mức nào); thêm mức 'else'",
            rule,
            item,
        )
    for i, j in report.overlaps:
        yield _issue("tier_overlap", f"mức {j + 1} chồng lấn với mức {i + 1}", rule.tiers[j], item)
    for i in report.unordered:
        yield _issue(
            "tier_order",
            f"mức {i + 1} có ngưỡng cao hơn mức trước; xếp các mức từ cao xuống thấp",
            rule.tiers[i],
            item,
        )
    for i in report.shadowed:
        yield _issue(
            "tier_order",
            f"mức {i + 1} không bao giờ được áp dụng (bị mức trước che)",
            rule.tiers[i],
            item,
        )
    yield from _unreachable(item, rule, max(t.value for t in rule.tiers), top)


def _check_proportional(item: Item, rule: ProportionalRule, top: Decimal) -> Iterator[Issue]:
    if rule.measure.kind == "number":
        yield _issue(
            "measure_invalid", "cách chấm tỷ lệ cần số đo dạng 'percent' hoặc 'ratio'", rule, item
        )
    if rule.cap is not None:
        yield from _points_range(item, rule, rule.cap, top)


def _check_per_item(item: Item, rule: PerItemRule, top: Decimal) -> Iterator[Issue]:
    low = rule.min if rule.min is not None else ZERO
    high = rule.max if rule.max is not None else top
    yield from _points_range(item, rule, low, top)
    yield from _points_range(item, rule, high, top)
    yield from _points_range(item, rule, rule.base, top)
    if rule.points == 0:
        yield _issue("invalid_value", "điểm cho mỗi trường hợp phải khác 0", rule, item)


def _check_totals(criteria: CriteriaSet) -> Iterator[Issue]:
    scored = [item for item in criteria.items if effective_type(item, ()) == "score"]
    total = sum((subtree_max(item) for item in scored), ZERO)
    # With unit groups declared, each group's maxima must add up; `max` is only the default.
    if not criteria.groups and total != criteria.scale:
        yield _issue(
            "scale_mismatch",
            f"tổng điểm tối đa các lĩnh vực là {fmt(total)}, khác thang điểm {fmt(criteria.scale)}",
            criteria,
            key="scale",
        )
    for group, name in criteria.groups.items():
        group_total = sum((group_max(leaf, group) for leaf in _leaves(scored)), ZERO)
        if group_total != criteria.scale:
            yield _issue(
                "group_scale_mismatch",
                f"tổng điểm tối đa cho nhóm '{name}' là {fmt(group_total)}, "
                f"khác thang điểm {fmt(criteria.scale)}",
                criteria,
                key="groups",
            )
    for item in criteria.items:
        if effective_type(item, ()) != "score" and item.cap is None:
            yield _warning("cap_missing", "nhóm điểm thưởng/điểm trừ nên có 'cap'", item, item)


def _leaves(items: list[Item]) -> Iterator[Item]:
    for item in items:
        if item.is_leaf:
            yield item
        else:
            yield from _leaves(item.items)


def group_max(leaf: Item, group: str) -> Decimal:
    """A leaf's maximum for a unit group (0 if the leaf does not apply to that group)."""
    if leaf.applies_to is None:
        return leaf.max or ZERO
    return leaf.applies_to.get(group, ZERO)


def _check_bands(criteria: CriteriaSet) -> Iterator[Issue]:
    if not criteria.bands:
        yield _warning("bands_missing", "bộ tiêu chí chưa có xếp loại (bands)", criteria)
        return
    previous: Decimal | None = None
    for band in criteria.bands:
        if band.min < 0 or band.min > 100:
            yield _issue("bands_range", f"ngưỡng xếp loại {fmt(band.min)} ngoài 0 – 100", band)
        if previous is not None and band.min >= previous:
            yield _issue("bands_order", "các xếp loại phải theo thứ tự ngưỡng giảm dần", band)
        previous = band.min
    if min(b.min for b in criteria.bands) > 0:
        lowest = fmt(min(b.min for b in criteria.bands))
        yield _issue(
            "bands_gap",
            f"chỉ số dưới {lowest} không thuộc xếp loại nào; cần một xếp loại có min: 0",
            criteria.bands[-1],
        )


def _check_precision(criteria: CriteriaSet) -> Iterator[Issue]:
    """A rule never rounds or steps finer than the decimals the set declares for its points."""
    places = criteria.precision.points
    for item in criteria.leaves():
        rule = item.rule
        if isinstance(rule, ProportionalRule) and (rule.decimals or 0) > places:
            yield _issue(
                "decimals_over_precision",
                f"làm tròn {rule.decimals} chữ số thập phân, nhiều hơn {places} chữ số của điểm "
                "trong bộ tiêu chí (precision.points)",
                rule,
                item,
                key="decimals",
            )
        if isinstance(rule, ManualRule) and places_of(rule.step) > places:
            yield _issue(
                "step_over_precision",
                f"bước chấm {fmt(rule.step)} có {places_of(rule.step)} chữ số thập phân, nhiều hơn "
                f"{places} chữ số của điểm trong bộ tiêu chí (precision.points)",
                rule,
                item,
                key="step",
            )
