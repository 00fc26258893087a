"""The bundled provincial sample par-tinh 2024 against Quyết định 892/QĐ-BNV of 05/12/2024.

Expected numbers come from the decision as the issue quotes it, not from the file: 68 appraised
points + 32 survey points; appraised maxima per domain 9,5 / 6 / 13 / 6,5 / 6 / 8 for domains
1 – 6 (sum 49), domains 7 and 8 sharing the remaining 68 − 49 = 19 (the sample splits them
11,5 / 7,5). Every domain keeps its survey points of the previous sample: 2,5 / 3 / 4 / 3 / 4 /
2,5 / 3 / 10 (sum 32), so the domain maxima are 12 / 9 / 17 / 9,5 / 10 / 10,5 / 14,5 / 17,5
(sum 100).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from cchc.criteria.model import CriteriaSet, Item, effective_method, subtree_max
from cchc.criteria.registry import find_set
from cchc.scoring.index import band_of

D = Decimal

APPRAISED = ["9.5", "6", "13", "6.5", "6", "8", "11.5", "7.5"]
SURVEY = ["2.5", "3", "4", "3", "4", "2.5", "3", "10"]
DOMAIN_MAX = ["12", "9", "17", "9.5", "10", "10.5", "14.5", "17.5"]


@pytest.fixture(scope="module")
def par() -> CriteriaSet:
    loaded = find_set("par-tinh", 2024)
    assert loaded.ok and loaded.set is not None, loaded.issues
    return loaded.set


def _by_method(criteria: CriteriaSet, domain: Item, method: str) -> Decimal:
    leaves = [(leaf, path) for leaf, path in criteria.walk() if leaf.is_leaf and path]
    mine = [
        leaf
        for leaf, path in leaves
        if path[0] is domain and effective_method(leaf, path) == method
    ]
    return sum((leaf.max or D(0) for leaf in mine), D(0))


def test_cites_decision_892_and_stays_a_sample(par: CriteriaSet) -> None:
    assert par.status == "sample"
    assert par.issued_by is not None and "892/QĐ-BNV ngày 05/12/2024" in par.issued_by
    assert "876" not in par.issued_by


def test_appraised_and_survey_maxima_per_domain(par: CriteriaSet) -> None:
    assert [_by_method(par, d, "self") for d in par.items] == [D(x) for x in APPRAISED]
    assert [_by_method(par, d, "survey") for d in par.items] == [D(x) for x in SURVEY]
    assert [subtree_max(d) for d in par.items] == [D(x) for x in DOMAIN_MAX]
    assert [d.max for d in par.items] == [D(x) for x in DOMAIN_MAX]


def test_totals_68_appraised_32_survey(par: CriteriaSet) -> None:
    assert sum((_by_method(par, d, "self") for d in par.items), D(0)) == D(68)
    assert sum((_by_method(par, d, "survey") for d in par.items), D(0)) == D(32)
    assert par.scale == D(100) and len(par.items) == 8


def test_groups_a_b_c_and_no_group_d(par: CriteriaSet) -> None:
    assert [(b.label, b.min) for b in par.bands] == [
        ("Nhóm A", D(90)),
        ("Nhóm B", D(80)),
        ("Nhóm C", D(70)),
        ("Dưới 70%", D(0)),
    ]
    assert band_of(par, D("90")) == "Nhóm A"
    assert band_of(par, D("89.99")) == "Nhóm B"
    assert band_of(par, D("80")) == "Nhóm B"
    assert band_of(par, D("79.99")) == "Nhóm C"
    assert band_of(par, D("69.99")) == "Dưới 70%"
