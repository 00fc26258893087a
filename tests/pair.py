"""Two hand-scored years on the pair of sets in tests/data/sets/pair (see test_compare.py)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from cchc.criteria.loader import load_file
from cchc.criteria.model import CriteriaSet, effective_method
from cchc.scoring.index import LeafScore, band_of, totals
from cchc.scoring.run import UnitScore, YearRun, rank_units
from cchc.units.model import Unit

D = Decimal
PAIR = Path(__file__).parent / "data" / "sets" / "pair"
U1 = Unit(code="U1", name="Xã Tân Lập", group="xa")
U2 = Unit(code="U2", name="Xã Đồng Tâm", group="xa")

# Final points by leaf. U1 2023: 13.5 of 23 → 58.70. U1 2024: 1.3 appraised down from 3 to 1.5.
U1_2023 = {"1.1": "2", "1.2": "1", "1.3": "0", "1.4": "1", "2.1": "3", "2.2": "2", "2.3": "0"}
U1_2023 |= {"2.4": "1", "2.5": "0", "2.6": "0.5", "3.1": "3"}
U1_2024 = {"1.1": "2", "1.2": "2", "1.3": "3", "2.1": "0", "2.2": "5", "2.3": "0", "2.4": "2"}
U1_2024 |= {"2.5": "0", "2.6": "1", "3.1": "2.8", "4.1": "0.5"}


def load(year: int) -> CriteriaSet:
    loaded = load_file(PAIR / f"cw-{year}.yaml")
    assert loaded.set is not None, loaded.issues
    return loaded.set


def unit_score(criteria: CriteriaSet, unit: Unit, points: dict[str, str]) -> UnitScore:
    leaves = {}
    for item, path in criteria.walk():
        if item.is_leaf:
            survey = effective_method(item, path) == "survey"
            value = D(points.get(item.code, "0"))
            leaf = LeafScore(item.code, item.max or D(0), {"survey" if survey else "self": value})
            leaves[item.code] = leaf
    t = totals(criteria, leaves)
    t.band = band_of(criteria, t.index)
    return UnitScore(unit, criteria.id, criteria.year, f"{unit.code}.xlsx", leaves, t)


def pair_runs(u2: Unit = U2) -> tuple[YearRun, YearRun]:
    """2023 and 2024 of U1 and U2 (or another second unit)."""
    old, new = load(2023), load(2024)
    full = {item.code: str(item.max) for item in old.leaves()}
    before = [unit_score(old, U1, U1_2023), unit_score(old, u2, full)]
    now = [unit_score(new, U1, U1_2024), unit_score(new, u2, {})]
    u1 = now[0].leaves
    u1["1.3"].layers["appraisal_1"] = D("1.5")
    u1["1.3"].trace["comment"] = "Chưa có tài liệu kiểm chứng"
    u1["2.1"].trace |= {"inputs": "lựa chọn: Không đạt", "evidence": "Số 1/TB-UBND"}
    now[0].totals = totals(new, u1)
    now[0].totals.band = band_of(new, now[0].totals.index)
    rank_units(before)
    rank_units(now)
    return (
        YearRun(2023, {(old.id, old.year): old}, before),
        YearRun(2024, {(new.id, new.year): new}, now),
    )


UNITS_YAML = """\
- {code: U1, name: Xã Tân Lập, group: xa, set: cw}
- {code: U2, name: Xã Đồng Tâm, group: xa, set: cw}
"""


def pair_workspace(tmp_path: Path, years: tuple[int, ...] = (2023, 2024)) -> Path:
    """A workspace with the pair sets, U1 and U2, and the two hand-scored years stored (or
    those of `years`)."""
    import shutil

    from cchc.store import db as store
    from tests.test_cli import run

    assert run("init", str(tmp_path / "ws"), "--province", "Tỉnh Bắc Kạn")[0] == 0
    root = tmp_path / "ws"
    for path in PAIR.glob("*.yaml"):
        shutil.copy(path, root / "sets")
    (root / "don-vi.yaml").write_text(UNITS_YAML, encoding="utf-8")
    for year_run in (r for r in pair_runs() if r.year in years):
        with store.writing(root / "cchc.db") as db:
            store.save_run(db, year_run)
    return root
