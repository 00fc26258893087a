"""Crosswalk: which items of last year's set each item of this year's set continues.

Criteria change every year: items are renumbered, re-weighted, merged, split, added and dropped.
A leaf of the new set is linked to leaves of the old set, in this order:

1. its `was` list (explicit mapping: codes or keys of the old set; several for a merge, and several
   new items may name the same old one for a split);
2. its `key`, when an old leaf has the same key;
3. its code, when an old leaf has the same code and the two are not told apart by different keys.

A leaf marked `comparable: false` (itself or an ancestor) is linked but not compared. Old leaves
that no new leaf continues are removed; new leaves linked to nothing are new. Domains (the top
level) are matched the same way, by `was`, key, then code.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from cchc.core.numbers import fmt
from cchc.criteria.model import CriteriaSet, Item

ZERO = Decimal(0)

LinkKind = Literal["same", "renumbered", "merged", "split", "new", "removed"]

KIND_LABELS: dict[LinkKind, str] = {
    "same": "giữ nguyên",
    "renumbered": "đổi mã",
    "merged": "gộp",
    "split": "tách",
    "new": "mục mới",
    "removed": "bỏ",
}


@dataclass(frozen=True)
class Link:
    """A new leaf and the old leaves it continues (or an old leaf no new one continues)."""

    new: str | None
    """Code in the new set; None for a removed item."""
    old: tuple[str, ...]
    """Codes in the old set; empty for a new item."""
    kind: LinkKind
    comparable: bool
    note: str
    """Why, in Vietnamese: 'đổi mã 7.1.3 → 7.1.2', 'đổi điểm tối đa 1 → 1,5', …"""


@dataclass(frozen=True)
class Crosswalk:
    """Links of every leaf of two sets, and their domains."""

    old_set: CriteriaSet
    new_set: CriteriaSet
    links: list[Link]
    """New leaves in tree order, then removed old leaves in tree order."""
    domains: dict[str, str | None]
    """New domain code → the old domain code it continues (None: a new domain)."""

    def of(self, code: str) -> Link | None:
        """The link of a new leaf."""
        return next((link for link in self.links if link.new == code), None)


def _index(items: list[Item]) -> tuple[dict[str, Item], dict[str, Item]]:
    by_code = {item.code: item for item in items}
    by_key = {item.key: item for item in items if item.key}
    return by_code, by_key


def _match(
    item: Item, by_code: dict[str, Item], by_key: dict[str, Item], taken: set[str]
) -> list[Item]:
    """The old items a new item continues (`was`, then key, then code)."""
    if item.was:
        found = [by_key.get(ref) or by_code.get(ref) for ref in item.was]
        return [old for old in found if old is not None]
    if item.key and item.key in by_key:
        return [by_key[item.key]]
    old = by_code.get(item.code)
    if old is None or old.code in taken or (old.key and item.key and old.key != item.key):
        return []
    return [old]


def _not_comparable(criteria: CriteriaSet) -> set[str]:
    """Codes of leaves marked `comparable: false`, themselves or through an ancestor."""
    return {
        item.code
        for item, path in criteria.walk()
        if item.is_leaf and not all(node.comparable for node in (*path, item))
    }


def _max_note(item: Item, olds: list[Item]) -> str:
    before = sum((o.max or ZERO for o in olds), ZERO)
    after = item.max or ZERO
    return "" if before == after else f"đổi điểm tối đa {fmt(before)} → {fmt(after)}"


def crosswalk(old_set: CriteriaSet, new_set: CriteriaSet) -> Crosswalk:
    """Link the leaves (and domains) of two sets; see the module docstring for the order."""
    old_leaves = old_set.leaves()
    by_code, by_key = _index(old_leaves)
    new_leaves = new_set.leaves()
    # Keys and explicit mappings first, so a code freed by a renumbering is not taken by a
    # different item that happens to reuse it.
    claimed: set[str] = {
        old.code
        for item in new_leaves
        if item.was or (item.key and item.key in by_key)
        for old in _match(item, by_code, by_key, set())
    }
    matches = {item.code: _match(item, by_code, by_key, claimed) for item in new_leaves}
    heirs: dict[str, int] = defaultdict(int)
    for olds in matches.values():
        for old in olds:
            heirs[old.code] += 1
    blocked = _not_comparable(new_set)
    links: list[Link] = []
    for item in new_leaves:
        olds = matches[item.code]
        codes = tuple(o.code for o in olds)
        if not olds:
            links.append(Link(item.code, (), "new", False, "mục mới"))
            continue
        kind: LinkKind
        if len(olds) > 1:
            kind, note = "merged", "gộp " + " + ".join(codes)
        elif heirs[olds[0].code] > 1:
            kind, note = "split", f"tách từ {codes[0]}"
        elif olds[0].code != item.code:
            kind, note = "renumbered", f"đổi mã {codes[0]} → {item.code}"
        else:
            kind, note = "same", ""
        comparable = item.code not in blocked
        notes = [n for n in (note, _max_note(item, olds)) if n]
        if not comparable:
            notes.append("không so sánh được (đổi nội dung đánh giá)")
        links.append(Link(item.code, codes, kind, comparable, "; ".join(notes)))
    links.extend(
        Link(None, (old.code,), "removed", False, "không còn trong bộ tiêu chí mới")
        for old in old_leaves
        if old.code not in heirs
    )
    domain_code, domain_key = _index(old_set.items)
    domains = {}
    for domain in new_set.items:
        olds = _match(domain, domain_code, domain_key, set())
        domains[domain.code] = olds[0].code if olds else None
    return Crosswalk(old_set, new_set, links, domains)
