"""Plain-data views of criteria sets for listing, showing and checking (what --json prints)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cchc.criteria.loader import Loaded
from cchc.criteria.model import CriteriaSet, effective_method, effective_type, subtree_max
from cchc.criteria.wording import rule_summary


@dataclass(frozen=True)
class OutlineRow:
    """One line of `cchc criteria show`."""

    code: str
    title: str
    depth: int
    max: Decimal
    leaf: bool
    type: str
    method: str
    rule: str

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form (decimals as strings)."""
        return {**self.__dict__, "max": str(self.max)}


def outline(criteria: CriteriaSet) -> list[OutlineRow]:
    """The tree in order, with maxima and a one-line rule summary."""
    return [
        OutlineRow(
            code=item.code,
            title=item.title,
            depth=len(ancestors),
            max=subtree_max(item),
            leaf=item.is_leaf,
            type=effective_type(item, ancestors),
            method=effective_method(item, ancestors),
            rule=rule_summary(item),
        )
        for item, ancestors in criteria.walk()
    ]


def set_info(criteria: CriteriaSet) -> dict[str, Any]:
    """The facts of a set shown by `cchc criteria list`."""
    return {
        "id": criteria.id,
        "year": criteria.year,
        "title": criteria.title,
        "level": criteria.level,
        "status": criteria.status,
        "scale": str(criteria.scale),
        "leaves": len(criteria.leaves()),
    }


def check_report(loaded: Loaded) -> dict[str, Any]:
    """The result of checking one file."""
    return {
        "file": loaded.path,
        "ok": loaded.ok,
        "issues": [issue.model_dump(mode="json") for issue in loaded.issues],
    }
