"""Charts and the HTML report: `cchc chart` and `cchc report`."""

from __future__ import annotations

from pathlib import Path

import click

from cchc.cli.context import AS_JSON, RESULT, YEAR, session
from cchc.cli.kit import VnCommand, echo_json

KINDS = ("domains", "ranking", "heatmap", "pareto", "appraisal", "history")
"""The chart kinds (cchc.reports.chart_data.KINDS; a test keeps the two equal)."""


@click.command("chart", cls=VnCommand)
@click.argument("kind", type=click.Choice(KINDS), metavar="LOẠI")
@YEAR
@click.option("--unit", help="Mã đơn vị (bắt buộc với domains, history; pareto: chỉ đơn vị này).")
@click.option(
    "--group", help="Nhóm đơn vị, vd. xa (mặc định: nhóm của --unit, hoặc nhóm duy nhất)."
)
@click.option(
    "--out", type=click.Path(dir_okay=False), required=True, help="Tệp ghi ra: .png hoặc .svg."
)
@RESULT
@AS_JSON
def chart_command(
    kind: str,
    year: int,
    unit: str | None,
    group: str | None,
    out: str,
    result: str | None,
    as_json: bool,
) -> None:
    """Vẽ biểu đồ (PNG hoặc SVG) từ kết quả đã lưu.

    LOẠI: domains (lĩnh vực so với năm trước), ranking (xếp hạng), heatmap (đơn vị × lĩnh vực),
    pareto (điểm bị mất theo mục), appraisal (tự chấm – thẩm định), history (chỉ số qua các năm).
    """
    from cchc.commands.chart import chart

    drawn = chart(session(), kind, year, Path(out), unit, group, result)
    if as_json:
        echo_json(drawn.to_json())
        return
    click.echo(f"Đã vẽ biểu đồ {kind} năm {year}")
    click.echo(drawn.result_line)
    click.echo(f"→ {drawn.file}")


@click.command("report", cls=VnCommand)
@YEAR
@click.option("--compare", "compare_year", type=int, help="Năm so sánh (năm trước).")
@click.option("--unit", help="Báo cáo riêng cho một đơn vị (mã đơn vị).")
@click.option(
    "--template-dir",
    type=click.Path(exists=True, file_okay=False),
    help="Thư mục có report.html / report.css thay cho mẫu có sẵn.",
)
@click.option("--out", type=click.Path(file_okay=False), required=True, help="Thư mục ghi.")
@RESULT
@AS_JSON
def report_command(
    year: int,
    compare_year: int | None,
    unit: str | None,
    template_dir: str | None,
    out: str,
    result: str | None,
    as_json: bool,
) -> None:
    """Lập báo cáo HTML của năm (bao-cao-<năm>.html), in được khổ A4.

    Xếp hạng, xếp loại, lĩnh vực, so sánh với năm trước, mục gỡ được điểm, biểu đồ.
    """
    from cchc.commands.report import report
    from cchc.reports.html_report import MAX_DETAILED

    templates = Path(template_dir) if template_dir else None
    summary = report(session(), year, Path(out), compare_year, unit, templates, result)
    if as_json:
        echo_json(summary.to_json())
        return
    compared = f" so với năm {compare_year}" if compare_year is not None else ""
    click.echo(
        f"Báo cáo năm {year}{compared}: {summary.units} đơn vị, {summary.charts} biểu đồ, "
        f"phần chi tiết cho {summary.detailed} đơn vị"
    )
    if summary.detailed < summary.units:
        click.echo(f"  (chi tiết tối đa {MAX_DETAILED} đơn vị đầu bảng; --unit cho từng đơn vị)")
    for line in summary.results:
        click.echo(line)
    click.echo(f"→ {summary.file}")


COMMANDS = [chart_command, report_command]
