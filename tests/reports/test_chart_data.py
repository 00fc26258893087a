"""Chart data worked out by hand on the pair of sets in tests/data/sets/pair, and the chart files.

2024 set (24 points): domain 1 = 1.1 (2) + 1.2 (2) + 1.3 (3); domain 2 = 2.1 (2) + 2.2 (5) + 2.3 (1)
+ 2.4 (2) + 2.5 (1) + 2.6 (2); domain 3 = survey 3.1 (4); domain 4 = penalty 4.1 (cap 1).
U1 2024 scores itself 3 on 1.3, appraised down to 1.5; U2 scores nothing. U1 2023 has 13.5 of 23,
U2 2023 has every maximum.
"""

from __future__ import annotations

import warnings
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from cchc.reports import chart_data
from cchc.reports.chart_data import KINDS, Chart, Group, to_json
from cchc.reports.charts import render, write_chart
from cchc.scoring.compare import compare_years
from cchc.scoring.run import YearRun
from cchc.store import db as store
from cchc.units.model import Unit
from tests.pair import pair_runs

D = Decimal
HOSTILE = '<script>alert(1)</script> & "x"'
XA_2024 = Group("cw", 2024, "xa", "Xã")


@pytest.fixture
def runs() -> tuple[YearRun, YearRun]:
    return pair_runs()


def test_groups(runs: tuple[YearRun, YearRun]) -> None:
    before, now = runs
    assert chart_data.groups(now) == [XA_2024]
    # The 2023 set names no groups: the group's code is its label.
    assert chart_data.group_of(before, "U1") == Group("cw", 2023, "xa", "xa")


def test_domains_beside_last_year(runs: tuple[YearRun, YearRun]) -> None:
    before, now = runs
    chart = chart_data.domains(now, "U1", compare_years(before, now))
    assert (chart.year, chart.year_before, chart.name) == (2024, 2023, "Xã Tân Lập")
    # 2024: (2 + 2 + 1.5) / 7 = 78.571…; (0 + 5 + 0 + 2 + 0 + 1) / 13 = 61.538…; 2.8 / 4.
    # 2023: (2 + 1 + 0 + 1) / 6 = 66.666…; (3 + 2 + 0 + 1 + 0 + 0.5) / 13 = 50; 3 / 4.
    # Domain 4 is a penalty: it has no share and is not drawn.
    got = [(b.code, b.share, b.share_before) for b in chart.domains]
    assert got == [
        ("1", D("78.57"), D("66.67")),
        ("2", D("61.54"), D("50.00")),
        ("3", D("70.00"), D("75.00")),
    ]
    alone = chart_data.domains(now, "U1")
    assert alone.year_before is None and all(b.share_before is None for b in alone.domains)


def test_ranking_with_bands(runs: tuple[YearRun, YearRun]) -> None:
    chart = chart_data.ranking(runs[1], XA_2024)
    # U1: (5.5 + 8 + 2.8 − 0.5) / 24 = 65.833… → Khá; U2: 0 → Yếu.
    got = [(u.code, u.index, u.band, u.rank) for u in chart.units]
    assert got == [("U1", D("65.83"), "Khá", 1), ("U2", D("0.00"), "Yếu", 2)]
    assert [(b.label, b.min) for b in chart.bands] == [
        ("Tốt", D(80)),
        ("Khá", D(65)),
        ("Yếu", D(0)),
    ]
    assert chart.band_counts() == [("Tốt", 0), ("Khá", 1), ("Yếu", 1)]


def test_heatmap(runs: tuple[YearRun, YearRun]) -> None:
    chart = chart_data.heatmap(runs[1], XA_2024)
    assert [d.code for d in chart.domains] == ["1", "2", "3"]
    assert [(r.code, r.shares) for r in chart.units] == [
        ("U1", (D("78.57"), D("61.54"), D("70.00"))),
        ("U2", (D("0.00"), D("0.00"), D("0.00"))),
    ]


def test_pareto_of_the_group(runs: tuple[YearRun, YearRun]) -> None:
    chart = chart_data.pareto(runs[1], XA_2024)
    # Lost, U1 + U2: 1.1 0 + 2, 1.2 0 + 2, 1.3 1.5 + 3, 2.1 2 + 2, 2.2 0 + 5, 2.3 1 + 1,
    # 2.4 0 + 2, 2.5 1 + 1, 2.6 1 + 2, penalty 4.1 0.5 + 0; survey 3.1 left out. Total 27.
    assert chart.total == D(27)
    got = [(i.code, i.lost, i.units, i.cumulative) for i in chart.items]
    assert got == [
        ("2.2", D(5), 1, D("18.52")),  # 5 / 27
        ("1.3", D("4.5"), 2, D("35.19")),  # 9.5 / 27
        ("2.1", D(4), 2, D("50.00")),
        ("2.6", D(3), 2, D("61.11")),  # 16.5 / 27
        ("1.1", D(2), 1, D("68.52")),  # ties of 2 in tree order
        ("1.2", D(2), 1, D("75.93")),
        ("2.3", D(2), 2, D("83.33")),
        ("2.4", D(2), 1, D("90.74")),
        ("2.5", D(2), 2, D("98.15")),
        ("4.1", D("0.5"), 1, D("100.00")),
    ]


def test_pareto_of_one_unit(runs: tuple[YearRun, YearRun]) -> None:
    chart = chart_data.pareto(runs[1], XA_2024, "U1")
    assert (chart.unit, chart.name, chart.total) == ("U1", "Xã Tân Lập", D(7))
    got = [(i.code, i.lost, i.cumulative) for i in chart.items]
    assert got == [
        ("2.1", D(2), D("28.57")),  # 2 / 7
        ("1.3", D("1.5"), D("50.00")),
        ("2.3", D(1), D("64.29")),
        ("2.5", D(1), D("78.57")),
        ("2.6", D(1), D("92.86")),
        ("4.1", D("0.5"), D("100.00")),
    ]


def test_appraisal(runs: tuple[YearRun, YearRun]) -> None:
    chart = chart_data.appraisal(runs[1], XA_2024)
    # Scored self-assessed items 1.1 … 2.6 (max 7 + 13): U1 gave itself 15, 1.3 lost 1.5.
    got = [(u.code, u.self_points, u.final_points, u.max, u.changed) for u in chart.units]
    assert got == [("U1", D(15), D("13.5"), D(20), 1), ("U2", D(0), D(0), D(20), 0)]
    assert chart.units[0].difference == D("-1.5")
    assert to_json(chart)["units"][0]["difference"] == "-1.5"


def test_history_skips_years_without_the_unit() -> None:
    indices: dict[int, dict[str, Decimal | None]] = {
        2025: {"U1": D("70.10")},
        2023: {"U2": D(50)},
        2024: {"U1": None},
    }
    chart = chart_data.history(indices, "U1", "Xã Tân Lập")
    assert [(p.year, p.index) for p in chart.years] == [(2024, None), (2025, D("70.10"))]


def all_charts(before: YearRun, now: YearRun, db: Path) -> dict[str, Chart]:
    comparison = compare_years(before, now)
    group = chart_data.group_of(now, "U1")
    return {
        "domains": chart_data.domains(now, "U1", comparison),
        "ranking": chart_data.ranking(now, group),
        "heatmap": chart_data.heatmap(now, group),
        "pareto": chart_data.pareto(now, group),
        "appraisal": chart_data.appraisal(now, group),
        "history": chart_data.history(chart_data.stored_indices(db), "U1", "Xã Tân Lập"),
    }


def saved(tmp_path: Path, runs: tuple[YearRun, ...]) -> Path:
    db = tmp_path / "cchc.db"
    store.create(db)
    for run in runs:
        with store.writing(db) as connection:
            store.save_run(connection, run)
    return db


def test_json_equals_the_stored_scores(runs: tuple[YearRun, YearRun], tmp_path: Path) -> None:
    db = saved(tmp_path, runs)
    before, now = store.load_run(db, 2023), store.load_run(db, 2024)
    assert before is not None and now is not None
    reloaded = all_charts(before, now, db)
    assert sorted(reloaded) == sorted(KINDS)
    assert {k: to_json(c) for k, c in reloaded.items()} == {
        k: to_json(c) for k, c in all_charts(*runs, db).items()
    }
    ranking = to_json(reloaded["ranking"])
    stored = store.indices(db, 2024)
    assert {u["code"]: u["index"] for u in ranking["units"]} == {
        code: str(index) for code, index in stored.items()
    }
    assert ranking["kind"] == "ranking" and ranking["units"][0]["index"] == "65.83"
    assert ranking["band_counts"] == [
        {"band": "Tốt", "units": 0},
        {"band": "Khá", "units": 1},
        {"band": "Yếu", "units": 1},
    ]
    assert to_json(reloaded["history"])["years"] == [
        {"year": 2023, "index": "58.70"},
        {"year": 2024, "index": "65.83"},
    ]


def svg_text(data: bytes) -> str:
    """Every text of an SVG (which must parse)."""
    root = ET.fromstring(data)
    return " ".join(t for element in root.iter() for t in (element.text, element.tail) if t)


def test_chart_files(runs: tuple[YearRun, YearRun], tmp_path: Path) -> None:
    db = saved(tmp_path, runs)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for kind, chart in all_charts(*runs, db).items():
            png = write_chart(chart, tmp_path / f"{kind}.png")
            assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
            text = svg_text(write_chart(chart, tmp_path / f"{kind}.svg").read_bytes())
            if kind in ("domains", "heatmap"):
                assert "Lĩnh vực" in text
    assert not [w for w in caught if "missing from" in str(w.message)]
    domains = svg_text((tmp_path / "domains.svg").read_bytes())
    assert "78,57" in domains and "66,67" in domains  # decimal comma on the bar labels
    assert "Năm 2024" in domains and "Năm 2023" in domains
    ranking = svg_text((tmp_path / "ranking.svg").read_bytes())
    assert "Khá" in ranking and "≥ 65" in ranking  # a band threshold, labelled
    assert not list(tmp_path.glob(".*.tmp"))  # written atomically


def test_unit_text_is_drawn_literally(tmp_path: Path) -> None:
    odd = Unit(code="U2", name=HOSTILE + " 5$ và 6$", group="xa")
    now = pair_runs(odd)[1]
    data = render(chart_data.ranking(now, XA_2024), "svg")
    text = svg_text(data)  # the name is wrapped on two lines
    assert HOSTILE + " 5$" in text and "và 6$" in text  # escaped in XML, not read as mathtext
    assert render(chart_data.ranking(now, XA_2024), "svg") == data  # same chart, same file


def test_wrong_suffix_is_refused(runs: tuple[YearRun, YearRun], tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"\.png hoặc \.svg"):
        write_chart(chart_data.ranking(runs[1], XA_2024), tmp_path / "x.pdf")
