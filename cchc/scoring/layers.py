"""Put a unit's layers together: self from its workbook, appraisal rounds, survey results."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from cchc.core.numbers import fmt
from cchc.criteria.model import CriteriaSet, Item
from cchc.scoring.index import LeafScore, applicable_max
from cchc.scoring.rules import Entry, Status
from cchc.scoring.submission import LeafResult


@dataclass(frozen=True)
class Appraised:
    """One item of one unit in the appraisal workbook."""

    first: Decimal | None = None
    comment: str = ""
    response: str = ""
    """The unit's giải trình after the first round."""
    second: Decimal | None = None
    where: str = ""
    """File and row the appraisal was read from."""
    second_comment: str = ""
    body: str = ""
    """The council member body that appraised the item ('' for the single workbook)."""
    cells: Mapping[str, str] = field(default_factory=dict)
    """'first' / 'second' → who gave the points, from which file and cell
    ('Sở Tư pháp · tham-dinh.xlsx, ô Thẩm định!K12')."""
    added: str = ""
    """Evidence the unit added with its answer after round 1."""


@dataclass(frozen=True)
class Surveyed:
    """A survey item's result for one unit: the share satisfied, the points it gives."""

    points: Decimal
    percent: Decimal | None = None
    where: str = ""


def _inputs(entry: Entry) -> str:
    parts = []
    if entry.figure1 is not None:
        parts.append(f"số liệu 1 = {fmt(entry.figure1)}")
    if entry.figure2 is not None:
        parts.append(f"số liệu 2 = {fmt(entry.figure2)}")
    if entry.choice is not None:
        parts.append(f"lựa chọn: {entry.choice}")
    if entry.points is not None:
        parts.append(f"điểm tự nhập = {fmt(entry.points)}")
    return "; ".join(parts)


def _self(leaf: LeafScore, result: LeafResult | None, where: str | None) -> None:
    if result is None:
        leaf.trace["self"] = "không có dòng tự đánh giá" if where else "đơn vị chưa nộp sổ"
        return
    leaf.layers["self"] = result.outcome.points
    leaf.excluded = result.outcome.status is Status.NA_EXCLUDE
    leaf.trace["inputs"] = _inputs(result.entry)
    leaf.trace["status"] = result.outcome.status.value
    leaf.trace["self"] = f"{where} · dòng {result.row}"
    if result.evidence:
        leaf.trace["evidence"] = result.evidence
    if result.explanation:
        leaf.trace["explanation"] = result.explanation


ROUNDS = (("appraisal_1", "first"), ("appraisal_2", "second"))
"""Each appraisal layer and the Appraised field that gives it."""
TEXTS = (
    ("comment", "comment"),
    ("response", "response"),
    ("second_comment", "second_comment"),
    ("added_evidence", "added"),
)
"""Trace keys and the Appraised fields they are copied from."""


def apply_appraisal(leaf: LeafScore, appraised: Appraised | None) -> None:
    """Layer one item's appraisal onto its leaf: the points of each round given, who gave them
    from which file and cell, the comments and the unit's answer. What is not given is kept."""
    if appraised is None:
        return
    for layer, name in ROUNDS:
        points = getattr(appraised, name)
        if points is None:
            continue
        leaf.layers[layer] = points
        leaf.excluded = False  # an appraiser who scores an item brings it back in
        leaf.trace[f"{layer}_by"] = appraised.cells.get(name) or appraised.where
    if appraised.where:
        leaf.trace["appraisal"] = appraised.where
    if appraised.body:
        leaf.trace["appraised_by"] = appraised.body
    for key, name in TEXTS:
        text = getattr(appraised, name)
        if text:
            leaf.trace[key] = text


def unit_leaves(
    criteria: CriteriaSet,
    group: str | None,
    self_results: Mapping[str, LeafResult] | None,
    where: str | None = None,
    appraisal: Mapping[str, Appraised] | None = None,
    survey: Mapping[str, Surveyed] | None = None,
) -> dict[str, LeafScore]:
    """Every leaf that applies to the group, with each layer given for it.

    `self_results` is None when the unit sent no workbook: its self-assessed items score 0;
    `where` names the workbook and sheet they were read from.
    Survey items without a survey result leave the denominator (the index is rescaled).
    """
    leaves: dict[str, LeafScore] = {}
    for item, method in _leaves(criteria.items, "self"):
        top = applicable_max(item, group)
        if top is None:
            continue
        leaf = leaves[item.code] = LeafScore(item.code, top)
        if method == "survey":
            _surveyed(leaf, (survey or {}).get(item.code))
        else:
            _self(leaf, (self_results or {}).get(item.code), where)
        apply_appraisal(leaf, (appraisal or {}).get(item.code))
    return leaves


def _leaves(items: list[Item], inherited: str) -> Iterator[tuple[Item, str]]:
    """Leaves in tree order with their method (as effective_method, in one pass)."""
    for item in items:
        method = item.method or inherited
        if item.is_leaf:
            yield item, method
        else:
            yield from _leaves(item.items, method)


def _surveyed(leaf: LeafScore, surveyed: Surveyed | None) -> None:
    if surveyed is None:
        leaf.excluded = True
        leaf.trace["survey"] = "chưa có kết quả điều tra: không tính vào điểm tối đa"
        return
    leaf.layers["survey"] = surveyed.points
    share = f"tỷ lệ hài lòng {fmt(surveyed.percent)}%; " if surveyed.percent is not None else ""
    leaf.trace["survey"] = share + surveyed.where


def apply_answer(leaf: LeafScore, response: str, added: str, where: str) -> None:
    """Keep the unit's answer to round 1 on its leaf (the points do not change)."""
    if response:
        leaf.trace["response"] = response
    if added:
        leaf.trace["added_evidence"] = added
    leaf.trace["response_by"] = where


def answered(leaf: LeafScore) -> bool:
    """True when the unit answered the item after round 1 (it goes to round 2)."""
    return bool(leaf.trace.get("response") or leaf.trace.get("added_evidence"))
