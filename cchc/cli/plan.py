"""Year-on-year and the remediation plan: `cchc compare` and `cchc plan`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from cchc.cli.context import AS_JSON, JOBS, RESULT, YEAR, notices, out_folder, session
from cchc.cli.kit import VnCommand, echo_json
from cchc.core.numbers import fmt, pct, signed

if TYPE_CHECKING:
    from cchc.scoring.compare import Standing, UnitChange


def _standing(standing: Standing | None, places: int) -> str:
    if standing is None:
        return "chưa chấm"
    rank = f"hạng {standing.rank}/{standing.rank_of}" if standing.rank else "không xếp hạng"
    return f"{pct(standing.index, places=places)}% – {standing.band or '—'} – {rank}"


def _print_unit(unit: UnitChange, year_from: int, year_to: int, places: int) -> None:
    click.echo(f"{unit.code} {unit.name}")
    click.echo(f"  Năm {year_from}: {_standing(unit.before, places)}")
    click.echo(f"  Năm {year_to}: {_standing(unit.now, places)}")
    change = f"{signed(unit.delta, places)} điểm %, {signed(unit.rank_change)} bậc"
    click.echo(f"  Tăng/giảm: {change}")
    click.echo(f"  {'Lĩnh vực':<48} {year_from:>8} {year_to:>8} {'±':>7}")
    for d in unit.domains:
        click.echo(
            f"  {(d.code + '. ' + d.title)[:48]:<48} {pct(d.index_before, places=places):>8} "
            f"{pct(d.index_now, places=places):>8} {signed(d.delta, places):>7}"
        )
    click.echo(
        f"  {'Mã':<7} {'Mã cũ':<11} {'% tối đa ' + str(year_from):>14} {year_to:>6}  Kết quả"
    )
    for i in unit.items:
        before = pct(i.before.share, places=places) if i.before else "—"
        now = pct(i.now.share, places=places) if i.now else "—"
        note = f" ({i.note})" if i.note else ""
        click.echo(
            f"  {i.code or '—':<7} {', '.join(i.old_codes) or '—':<11} {before:>14} {now:>6}  "
            f"{i.label}{note}"
        )


@click.command("compare", cls=VnCommand)
@click.option("--from", "year_from", type=int, required=True, help="Năm so sánh (năm trước).")
@click.option("--to", "year_to", type=int, required=True, help="Năm được so sánh (năm sau).")
@click.option("--unit", help="Chỉ một đơn vị (mã đơn vị), kèm từng tiêu chí.")
@out_folder("tệp so-sanh-<năm>-<năm>.xlsx")
@RESULT
@AS_JSON
def compare_command(
    year_from: int, year_to: int, unit: str | None, out: str, result: str | None, as_json: bool
) -> None:
    """So sánh hai năm qua bảng đối chiếu tiêu chí; ghi so-sanh-<năm>-<năm>.xlsx."""
    from cchc.commands.compare import compare
    from cchc.scoring.compare import STATUS_LABELS

    compared = compare(session(), year_from, year_to, Path(out), unit, result)
    if as_json:
        echo_json(compared.to_json())
        return
    comparison = compared.comparison
    places = comparison.precision.index
    for line in comparison.result_lines:
        click.echo(line)
    if unit is not None:
        _print_unit(comparison.units[0], year_from, year_to, places)
    else:
        click.echo(
            f"{'Mã':<8} {'Đơn vị':<32} {year_from:>8} {year_to:>8} {'±':>7} {'bậc':>4}  "
            + ", ".join(STATUS_LABELS[s] for s in ("newly_max", "declined", "newly_below"))
        )
        for u in comparison.units:
            counts = u.counts()
            b = u.before.index if u.before else None
            click.echo(
                f"{u.code:<8} {u.name[:32]:<32} {pct(b, places=places):>8} "
                f"{pct(u.now.index, places=places):>8} "
                f"{signed(u.delta, places):>7} {signed(u.rank_change):>4}  "
                f"{counts['newly_max']}, {counts['declined']}, {counts['newly_below']}"
            )
    click.echo(f"→ {compared.workbook}")


@click.command("plan", cls=VnCommand)
@click.option("--unit", "units", multiple=True, help="Mã đơn vị (lặp lại cho nhiều đơn vị).")
@click.option("--all", "every", is_flag=True, help="Mọi đơn vị (mỗi đơn vị một thư mục con).")
@YEAR
@click.option("--owners", type=click.Path(exists=True, dir_okay=False), help="Tệp phân công.")
@click.option("--number", help="Số kế hoạch, vd. '12/KH-UBND'.")
@click.option("--date", "date_text", help="Ngày ban hành, vd. 15/01/2025.")
@click.option(
    "--template-dir",
    type=click.Path(exists=True, file_okay=False),
    help="Thư mục mẫu .docx thay cho mẫu có sẵn (cùng tên tệp).",
)
@click.option(
    "--report-by", "report_by", help="Hạn báo cáo kết quả, vd. 30/11/2025 (mặc định 30/11)."
)
@click.option(
    "--report-to", default="", help="Nơi nhận báo cáo (mặc định UBND tỉnh, qua Sở Nội vụ)."
)
@click.option(
    "--coordinator", default="", help="Cơ quan theo dõi, tổng hợp (mặc định: lĩnh vực 1)."
)
@click.option("--out", type=click.Path(file_okay=False), required=True, help="Thư mục ghi.")
@JOBS
@RESULT
@AS_JSON
def plan_command(
    units: tuple[str, ...],
    every: bool,
    year: int,
    owners: str | None,
    number: str | None,
    date_text: str | None,
    template_dir: str | None,
    report_by: str | None,
    report_to: str,
    coordinator: str,
    out: str,
    jobs: int | None,
    result: str | None,
    as_json: bool,
) -> None:
    """Lập kế hoạch khắc phục, Phụ lục 1 và Phụ lục 2 (.docx, .xlsx) cho đơn vị."""
    from cchc.commands.plan import PlanRequest, plan, plans_json

    request = PlanRequest(
        year,
        Path(out),
        units,
        every,
        Path(owners) if owners else None,
        number,
        date_text,
        Path(template_dir) if template_dir else None,
        jobs,
        report_by,
        report_to,
        coordinator,
        result,
    )
    current = session()
    written = []
    said: set[str] = set()
    for done in plan(current, request):
        notices(current)
        written.append(done)
        if not as_json:
            one = done.plan
            for line in (one.result_line, one.items_line, one.previous_result):
                if line and line not in said:  # each once, before the first plan it is for
                    said.add(line)
                    click.echo(line)
            click.echo(
                f"{one.unit_code} {one.unit_name}: Phụ lục 1 {len(one.keep.rows)} mục, "
                f"Phụ lục 2 {len(one.fix.rows)} mục (mất {fmt(one.fix.lost)} điểm)"
            )
            for f in done.files:
                click.echo(f"   → {f}")
    if as_json:
        echo_json(plans_json(year, written))


COMMANDS = [compare_command, plan_command]
