"""Crosswalk, year-on-year comparison and the plan rows, on a pair of sets worked out by hand.

tests/data/sets/pair: from 2023 to 2024 item 1.2 merges the old 1.2 and 1.3, the old 1.4 becomes
1.3 with its maximum raised from 2 to 3, 2.1 and 2.2 swap codes (the old 2.1 goes from 4 to 5
points), 2.3 is new and the old 2.3 is dropped, 2.4 changes meaning (comparable: false), and a
penalty domain 4 appears.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from cchc.criteria.crosswalk import crosswalk
from cchc.inputs.owners import read_owners
from cchc.reports.plan import UNASSIGNED, PlanOptions, build_plan
from cchc.scoring.compare import compare_years, comparison_data
from cchc.scoring.run import YearRun
from tests.pair import load, pair_runs

D = Decimal


@pytest.fixture
def runs() -> tuple[YearRun, YearRun]:
    return pair_runs()


def test_crosswalk_links() -> None:
    walk = crosswalk(load(2023), load(2024))
    got = {(link.new, link.old, link.kind, link.comparable) for link in walk.links}
    assert got == {
        ("1.1", ("1.1",), "same", True),
        ("1.2", ("1.2", "1.3"), "merged", True),
        ("1.3", ("1.4",), "renumbered", True),
        ("2.1", ("2.2",), "renumbered", True),
        ("2.2", ("2.1",), "renumbered", True),
        ("2.3", (), "new", False),
        ("2.4", ("2.4",), "same", False),
        ("2.5", ("2.5",), "same", True),
        ("2.6", ("2.6",), "same", True),
        ("3.1", ("3.1",), "same", True),
        ("4.1", (), "new", False),
        (None, ("2.3",), "removed", False),
    }
    assert walk.of("1.3") is not None and "đổi điểm tối đa 2 → 3" in walk.of("1.3").note  # type: ignore[union-attr]
    assert walk.domains == {"1": "1", "2": "2", "3": "3", "4": None}


def test_split_and_code_reuse_by_another_key() -> None:
    old, new = load(2023), load(2024)
    # A code freed by a renumbering (2.1) is not matched by code when the keys differ, and two
    # new items naming the same old one split it.
    split = new.model_copy(deep=True)
    split.items[1].items[2].was = ["dung-han"]
    walk = crosswalk(old, split)
    kinds = {link.new: link.kind for link in walk.links}
    assert kinds["2.2"] == "split" and kinds["2.3"] == "split"


def test_compare_statuses_by_hand(runs: tuple[YearRun, YearRun]) -> None:
    before, now = runs
    comparison = compare_years(before, now)
    u1 = next(u for u in comparison.units if u.code == "U1")
    statuses = {(i.code, i.old_codes): i.status for i in u1.items}
    assert statuses == {
        ("1.1", ("1.1",)): "held_max",  # 2/2 → 2/2
        ("1.2", ("1.2", "1.3")): "newly_max",  # (1 + 0)/(1 + 1) = 50% → 2/2
        ("1.3", ("1.4",)): "unchanged",  # 1/2 = 50% → 1.5/3 = 50%
        ("2.1", ("2.2",)): "newly_below",  # 2/2 → 0/2
        ("2.2", ("2.1",)): "newly_max",  # 3/4 → 5/5
        ("2.3", ()): "new",
        ("2.4", ("2.4",)): "not_comparable",
        ("2.5", ("2.5",)): "still_zero",
        ("2.6", ("2.6",)): "improved",  # 0.5/2 → 1/2
        ("3.1", ("3.1",)): "declined",  # 3/4 = 75% → 2.8/4 = 70%
        ("4.1", ()): "new",
        (None, ("2.3",)): "removed",
    }
    merged = next(i for i in u1.items if i.code == "1.2")
    assert merged.before is not None and (merged.before.points, merged.before.max) == (D(1), D(2))
    assert merged.before.share == D("50.00")
    # 2023: 13.5 / 23 = 58.695… → 58.70. 2024: (13.5 + 2.8 − 0.5) / 24 = 65.833… → 65.83.
    assert u1.before is not None and u1.before.index == D("58.70")
    assert u1.now.index == D("65.83") and u1.now.band == "Khá"
    assert u1.delta == D("7.13")
    assert (u1.before.rank, u1.now.rank, u1.rank_change) == (2, 1, 1)
    domain1 = u1.domains[0]
    # Domain 1: 2023 (2 + 1 + 0 + 1) / 6 = 66.67; 2024 (2 + 2 + 1.5) / 7 = 78.57.
    assert (domain1.index_before, domain1.index_now, domain1.delta) == (
        D("66.67"),
        D("78.57"),
        D("11.90"),
    )
    assert u1.domains[3].old_code is None and u1.domains[3].index_now is None  # penalty
    data = comparison_data(comparison)
    assert data["from"] == 2023 and len(data["units"]) == 2  # type: ignore[arg-type]


def test_plan_rows_by_hand(runs: tuple[YearRun, YearRun], tmp_path: Path) -> None:
    before, now = runs
    change = compare_years(before, now, "U1").units[0]
    owners_file = tmp_path / "phan-cong.csv"
    owners_file.write_text(
        "Mã;Cơ quan chủ trì;Cơ quan phối hợp;Thời hạn\n"
        "2;Công chức Tư pháp;Bộ phận một cửa;\n"
        "1.3;Công chức Văn hóa;;30/6/2025\n"
        "9.9;Không ai;;\n",
        encoding="utf-8",
    )
    owners = read_owners(owners_file, now.sets[("cw", 2024)])
    assert [(i.code, i.item) for i in owners.issues] == [("owners_unknown_item", "9.9")]
    plan = build_plan(now, "U1", change, PlanOptions("12/KH-UBND", None, owners, "Tỉnh Bắc Kạn"))
    assert (plan.issuer, plan.place, plan.superior, plan.header) == (
        "UBND xã Tân Lập",
        "Tân Lập",
        "",  # Nghị định 30/2020: a UBND's header has no superior line
        ["ỦY BAN NHÂN DÂN", "XÃ TÂN LẬP"],
    )
    assert (plan.report_to, plan.report_by) == ("UBND tỉnh Bắc Kạn", date(2025, 11, 30))
    assert (plan.index, plan.rank, plan.rank_of, plan.group_name) == (D("65.83"), 1, 2, "xã")
    assert (plan.previous_index, plan.previous_rank, plan.previous_rank_of) == (D("58.70"), 2, 2)

    keep = [(s.title, [r.code for r in s.rows]) for s in plan.keep.sections]
    assert keep == [("Chỉ đạo, điều hành", ["1.1", "1.2"]), ("Thủ tục hành chính", ["2.2", "2.4"])]
    assert (plan.keep.max, plan.keep.points) == (D(11), D(11))

    fix = [[(r.code, r.max, r.points, r.lost) for r in s.rows] for s in plan.fix.sections]
    assert fix == [
        # Scoring nothing: by points lost, then set order.
        [("2.1", D(2), D(0), D(2)), ("2.3", D(1), D(0), D(1)), ("2.5", D(1), D(0), D(1))],
        [("1.3", D(3), D("1.5"), D("1.5")), ("2.6", D(2), D(1), D(1))],
        [("4.1", D(0), D("-0.5"), D("0.5"))],  # the deduction
    ]
    # Points lost on the scored, self-assessed items: 20 − 13.5 = 6.5, plus the 0.5 deduction.
    scored = plan.fix.sections[0].lost + plan.fix.sections[1].lost
    assert scored == D("6.5") and plan.fix.lost == D(7)

    rows = {r.code: r for r in plan.keep.rows + plan.fix.rows}
    assert rows["1.1"].owner == "Văn phòng"
    assert rows["1.1"].deadline == "Thường xuyên, đến ngày 30/11/2025"
    assert (rows["1.3"].owner, rows["1.3"].deadline) == ("Công chức Văn hóa", "30/6/2025")
    assert (rows["2.1"].owner, rows["2.1"].support) == ("Công chức Tư pháp", "Bộ phận một cửa")
    assert rows["2.1"].deadline == "Quý II/2025"  # a yes/no task: an act to do, by mid-year
    assert rows["4.1"].owner == UNASSIGNED
    assert rows["1.3"].task == "Xây dựng chuyên mục tuyên truyền CCHC hằng tháng"
    assert rows["2.1"].task == "Thực hiện đầy đủ, đúng yêu cầu: công khai TTHC"
    assert rows["2.6"].task == "Phấn đấu tỷ lệ hồ sơ được số hóa ở mức từ 90% để đạt 2 điểm"
    assert rows["2.2"].task == "Duy trì tỷ lệ số hồ sơ đúng hạn trên tổng số hồ sơ đạt 100%"
    assert rows["4.1"].task == "Không để phát sinh: số vụ vi phạm"
    assert rows["1.3"].cause == "Tự chấm 3 điểm, thẩm định 1,5 điểm: Chưa có tài liệu kiểm chứng"
    # 2.1 was 2.2 in 2023 (key cong-khai): 2/2 then, 0/2 now.
    assert rows["2.1"].cause == (
        "Đơn vị tự đánh giá “Không đạt”; giảm so với năm 2023 (2/2 xuống 0/2 điểm)"
    )
    assert rows["2.5"].cause == "Chưa có tài liệu kiểm chứng"

    assert [(d.code, d.previous_code) for d in plan.declined] == [("2.1", "2.2"), ("3.1", "3.1")]
    departments = {a.department: (a.keep, a.fix) for a in plan.assignments}
    assert departments == {
        "Văn phòng": (2, 0),
        "Công chức Tư pháp": (2, 4),
        "Công chức Văn hóa": (0, 1),
        UNASSIGNED: (0, 1),
    }


def test_owners_csv_with_quoted_fields(tmp_path: Path) -> None:
    owners_file = tmp_path / "phan-cong.csv"
    owners_file.write_text(
        'Mã,Cơ quan chủ trì,Cơ quan phối hợp\n2,"Phòng A, B","=HYPERLINK(""http://x"",""y"")"\n',
        encoding="utf-8",
    )
    owners = read_owners(owners_file, load(2024))
    assert owners.issues == []
    assert (owners.by_code["2"].owner, owners.by_code["2"].support) == (
        "Phòng A, B",
        '=HYPERLINK("http://x","y")',
    )
