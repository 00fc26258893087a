"""Properties of the index over any points the mini set allows (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.criteria.loader import load_file
from cchc.criteria.model import CriteriaSet, Item, effective_type
from cchc.scoring.index import LeafScore, totals
from cchc.scoring.layers import unit_leaves
from tests.conftest import DATA

_LOADED = load_file(DATA / "sets" / "mini-2024.yaml").set
assert _LOADED is not None
MINI: CriteriaSet = _LOADED
GROUPS = ["xa", "phuong"]
KINDS = {item.code: effective_type(item, ancestors) for item, ancestors in MINI.walk()}


@st.composite
def unit_scores(draw: st.DrawFn) -> dict[str, LeafScore]:
    """Any points from 0 to each leaf's maximum in steps of 0.01; some leaves N/A."""
    leaves = unit_leaves(MINI, draw(st.sampled_from(GROUPS)), None)
    for leaf in leaves.values():
        hundredths = draw(st.integers(0, int(leaf.max * 100)))
        leaf.layers = {"self": Decimal(hundredths) / 100}
        leaf.excluded = draw(st.booleans()) and draw(st.booleans())  # about one in four
    return leaves


@settings(max_examples=300, deadline=None)
@given(unit_scores())
def test_index_between_0_and_100(leaves: dict[str, LeafScore]) -> None:
    index = totals(MINI, leaves).index
    assert index is None or Decimal(0) <= index <= Decimal(100)


@settings(max_examples=300, deadline=None)
@given(unit_scores(), st.data())
def test_raising_a_leaf_never_lowers_the_index(
    leaves: dict[str, LeafScore], data: st.DataObject
) -> None:
    """Raising a scored or bonus leaf never lowers the index (a penalty lowers it by design)."""
    raisable = sorted(c for c in leaves if KINDS[c] != "penalty")
    code = data.draw(st.sampled_from(raisable))
    leaf = leaves[code]
    before = totals(MINI, leaves).index
    headroom = int((leaf.max - leaf.final) * 100)
    step = data.draw(st.integers(0, headroom))
    leaf.layers = {"self": leaf.final + Decimal(step) / 100}
    after = totals(MINI, leaves).index
    if before is not None and after is not None:
        assert after >= before


def _without(criteria: CriteriaSet, code: str) -> CriteriaSet:
    """The set with one leaf removed from the tree (and its ancestors' declared maxima lowered)."""
    copy = criteria.model_copy(deep=True)

    def prune(items: list[Item]) -> list[Item]:
        kept = []
        for item in items:
            if item.code == code:
                continue
            item.items = prune(item.items)
            if item.is_leaf and item.max is None:
                continue  # an inner node left empty
            kept.append(item)
        return kept

    copy.items = prune(copy.items)
    return copy


@settings(max_examples=200, deadline=None)
@given(unit_scores(), st.data())
def test_excluding_an_item_equals_removing_it(
    leaves: dict[str, LeafScore], data: st.DataObject
) -> None:
    """N/A 'không áp dụng' gives the index of the same set without that item (rescaling)."""
    code = data.draw(st.sampled_from(sorted(c for c in leaves if KINDS[c] == "score")))
    leaves[code].excluded = True
    rest = {c: leaf for c, leaf in leaves.items() if c != code}
    assert totals(MINI, leaves).index == totals(_without(MINI, code), rest).index
