"""Why this score (`cchc explain`) and what if items reached their maximum (`cchc whatif`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from cchc.criteria.model import CriteriaSet, effective_method, effective_type
from cchc.criteria.wording import rule_summary
from cchc.scoring.index import LAYER_LABELS, LAYERS, LeafScore, Totals, band_of, totals
from cchc.scoring.run import UnitScore, YearRun, rank_units

ZERO = Decimal(0)


class NotScored(Exception):
    """The unit or item is not in the year's run; the message is in Vietnamese."""


def _unit(run: YearRun, unit_code: str) -> UnitScore:
    score = run.unit(unit_code)
    if score is None:
        raise NotScored(f"đơn vị {unit_code} không có trong kết quả năm {run.year}")
    return score


def explain(run: YearRun, unit_code: str, code: str) -> dict[str, Any]:
    """The rule, the figures and where they came from, the points per layer, who set the final."""
    score = _unit(run, unit_code)
    criteria = run.criteria(score)
    found = next(((i, a) for i, a in criteria.walk() if i.code == code), None)
    leaf = score.leaves.get(code)
    if found is None or leaf is None:
        raise NotScored(f"mục {code} không áp dụng cho đơn vị {unit_code} năm {run.year}")
    item, ancestors = found
    survey = effective_method(item, ancestors) == "survey"
    return {
        "unit": unit_code,
        "unit_name": score.unit.name,
        "year": run.year,
        "code": code,
        "title": item.title,
        "rule": "điều tra xã hội học" if survey else rule_summary(item),
        "max": str(leaf.max),
        "layers": {layer: str(leaf.layers[layer]) for layer in LAYERS if layer in leaf.layers},
        "final": str(leaf.final),
        "final_by": leaf.by,
        "final_by_label": LAYER_LABELS[leaf.by],
        "excluded": leaf.excluded,
        "trace": dict(leaf.trace),
        "precision": {"points": criteria.precision.points, "index": criteria.precision.index},
    }


@dataclass(frozen=True)
class Outlook:
    """A unit's index, band and rank, now or under a what-if."""

    index: Decimal | None
    band: str | None
    rank: int | None


@dataclass(frozen=True)
class Gain:
    """What bringing one leaf to its best would give."""

    code: str
    title: str
    points: Decimal
    """Points recovered (or penalty avoided)."""
    index: Decimal
    """Index points gained."""


def _penalties(criteria: CriteriaSet) -> set[str]:
    return {
        item.code
        for item, ancestors in criteria.walk()
        if item.is_leaf and effective_type(item, ancestors) == "penalty"
    }


def _fixed(leaf: LeafScore, penalty: bool) -> LeafScore:
    """The leaf as if it had scored its best: no penalty, or its maximum."""
    return replace(leaf, layers={"self": ZERO if penalty else leaf.max})


def _with_fixes(score: UnitScore, criteria: CriteriaSet, codes: set[str]) -> dict[str, LeafScore]:
    penalties = _penalties(criteria)
    chosen = set()
    for item, ancestors in criteria.walk():
        if item.code in codes or any(a.code in codes for a in ancestors):
            chosen.add(item.code)
    return {
        code: _fixed(leaf, code in penalties) if code in chosen else leaf
        for code, leaf in score.leaves.items()
    }


def whatif(run: YearRun, unit_code: str, codes: list[str]) -> tuple[Outlook, Outlook]:
    """The unit's outlook now and if the items (leaves or whole nodes) reached their best."""
    score = _unit(run, unit_code)
    criteria = run.criteria(score)
    unknown = [c for c in codes if criteria.find(c) is None]
    if unknown:
        raise NotScored(f"không có mục {', '.join(unknown)} trong bộ tiêu chí {criteria.id}")
    now = Outlook(score.totals.index, score.totals.band, score.totals.rank)
    changed = _recomputed(criteria, _with_fixes(score, criteria, set(codes)))
    return now, Outlook(changed.index, changed.band, _rank_as(run, score, changed))


def _recomputed(criteria: CriteriaSet, leaves: dict[str, LeafScore]) -> Totals:
    result = totals(criteria, leaves)
    result.band = band_of(criteria, result.index)
    return result


def _rank_as(run: YearRun, score: UnitScore, changed: Totals) -> int | None:
    """The unit's rank if its totals were `changed` and every other unit stayed as it is."""
    others = [
        replace(u, totals=replace(u.totals))
        for u in run.units
        if u.set_id == score.set_id and u.unit.group == score.unit.group
    ]
    for u in others:
        if u.unit.code == score.unit.code:
            u.totals = replace(changed)
    rank_units(others)
    return next(u.totals.rank for u in others if u.unit.code == score.unit.code)


def gains(run: YearRun, unit_code: str, limit: int = 10) -> list[Gain]:
    """The leaves that would raise the index most if brought to their best, largest first."""
    score = _unit(run, unit_code)
    criteria = run.criteria(score)
    penalties = _penalties(criteria)
    titles = {item.code: item.title for item, _ in criteria.walk()}
    base = score.totals.index or ZERO
    found: list[Gain] = []
    for code, leaf in score.leaves.items():
        if leaf.excluded:
            continue
        lost = leaf.final if code in penalties else leaf.max - leaf.final
        if lost <= 0:
            continue
        index = _recomputed(criteria, _with_fixes(score, criteria, {code})).index or ZERO
        found.append(Gain(code, titles[code], lost, index - base))
    found.sort(key=lambda g: (-g.index, -g.points, g.code))
    return found[:limit]
