"""The demo's charts and HTML report: 2025 drawn and reported beside 2024."""

from __future__ import annotations

from pathlib import Path

from cchc.commands.chart import chart
from cchc.commands.report import report
from cchc.commands.session import Session
from cchc.core.numbers import fmt, pct
from cchc.reports import chart_data

YEAR = 2025
BEFORE = 2024
UNIT = "X001"
"""The unit whose own charts are drawn (appraised in 2024)."""
GROUP = "xa"
Step = tuple[str, list[str], list[Path]]
FORMATS = (".png", ".svg")
Drawn = tuple[chart_data.Chart, list[Path]]
"""A chart, and the files it was drawn to."""
Lines = tuple[list[str], list[Path]]
"""What the charts show, and the files drawn."""


def _draw(demo: Session, folder: Path, stem: str, kind: str, year: int, **which: str) -> Drawn:
    """A chart of the kind in both formats; (the chart, the files)."""
    drawn = [chart(demo, kind, year, folder / f"{stem}{suffix}", **which) for suffix in FORMATS]
    return drawn[0].chart, [d.file for d in drawn]


def _unit_charts(demo: Session, folder: Path) -> Lines:
    """The demo unit's domains beside last year, and its index over the stored years."""
    bars, files = _draw(demo, folder, f"linh-vuc-{UNIT}-{YEAR}", "domains", YEAR, unit=UNIT)
    assert isinstance(bars, chart_data.DomainsChart)
    both = [b for b in bars.domains if b.share is not None and b.share_before is not None]
    worst = min(both, key=lambda b: (b.share or 0) - (b.share_before or 0))
    history, more = _draw(demo, folder, f"chi-so-qua-cac-nam-{UNIT}", "history", YEAR, unit=UNIT)
    assert isinstance(history, chart_data.HistoryChart)
    lines = [
        f"Lĩnh vực của {bars.name}, {YEAR} so với {BEFORE}: giảm nhiều nhất lĩnh vực "
        f"{worst.code} ({pct(worst.share_before, '%', bars.places)} → "
        f"{pct(worst.share, '%', bars.places)})",
        f"Chỉ số của {bars.name} qua các năm: "
        + "; ".join(f"{p.year}: {pct(p.index, '%', history.places)}" for p in history.years),
    ]
    return lines, files + more


def _group_charts(demo: Session, folder: Path) -> Lines:
    """Ranking, heatmap and lost points of the group this year; self against appraisal last year."""
    ranking, files = _draw(demo, folder, f"xep-hang-{GROUP}-{YEAR}", "ranking", YEAR, group=GROUP)
    assert isinstance(ranking, chart_data.RankingChart)
    counts = ", ".join(f"{label} {n}" for label, n in ranking.band_counts())
    heat, more = _draw(demo, folder, f"ban-do-nhiet-{GROUP}-{YEAR}", "heatmap", YEAR, group=GROUP)
    assert isinstance(heat, chart_data.HeatmapChart)
    files += more
    low = min(
        (share, row.name, head.code)
        for row in heat.units
        for head, share in zip(heat.domains, row.shares, strict=True)
        if share is not None
    )
    lost, more = _draw(demo, folder, f"diem-bi-mat-{GROUP}-{YEAR}", "pareto", YEAR, group=GROUP)
    assert isinstance(lost, chart_data.ParetoChart)
    files += more
    head = lost.items[:5]
    stem = f"tu-cham-tham-dinh-{GROUP}-{BEFORE}"
    appraised, more = _draw(demo, folder, stem, "appraisal", BEFORE, group=GROUP)
    assert isinstance(appraised, chart_data.AppraisalChart)
    files += more
    moved = "; ".join(
        f"{u.name} {fmt(u.self_points)} → {fmt(u.final_points)} điểm ({u.changed} mục)"
        for u in appraised.units
        if u.changed
    )
    label = ranking.group.label
    places = ranking.places
    lines = [
        f"Xếp hạng nhóm {label} {YEAR} với các ngưỡng xếp loại ({counts}); "
        f"đứng đầu {ranking.units[0].name} {pct(ranking.units[0].index, '%', places)}",
        f"Đơn vị × lĩnh vực nhóm {label}: ô thấp nhất là {low[1]} ở lĩnh vực {low[2]} "
        f"({pct(low[0], '%', places)})",
        f"Điểm bị mất nhóm {label}: {fmt(lost.total)} điểm ở {len(lost.items)} mục; "
        f"{len(head)} mục đầu ({', '.join(i.code for i in head)}) chiếm "
        f"{pct(head[-1].cumulative, '%', places)}",
        f"Tự chấm – thẩm định năm {BEFORE} (năm có thẩm định), nhóm {label}: {moved}",
    ]
    return lines, files


def report_steps(out: Path, demo: Session) -> list[Step]:
    """Every chart kind as PNG and SVG, then the 2025 report against 2024; (title, lines, files)."""
    folder = out / "bieu-do"
    unit_lines, unit_files = _unit_charts(demo, folder)
    group_lines, group_files = _group_charts(demo, folder)
    lines, files = unit_lines + group_lines, unit_files + group_files
    summary = report(demo, YEAR, out / "bao-cao", compare_year=BEFORE)
    target = summary.file
    report_lines = [
        f"{summary.units} đơn vị, {summary.charts} biểu đồ SVG nhúng sẵn trong một tệp: "
        "mở bằng trình duyệt, không tải gì từ mạng, không cần JavaScript",
        "Xếp hạng và xếp loại từng nhóm, lĩnh vực từng đơn vị so với năm trước, mục giảm điểm, "
        "mục gỡ được nhiều điểm nhất, vấn đề khi đọc sổ",
        "In ra khổ A4: mỗi phần lớn sang trang mới, bảng không cắt ngang dòng, lặp dòng tiêu đề",
    ]
    return [
        (f"Vẽ biểu đồ (PNG và SVG) năm {YEAR}", lines, files),
        (f"Báo cáo HTML năm {YEAR} so với năm {BEFORE}", report_lines, [target]),
    ]
