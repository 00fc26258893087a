"""Year-on-year and the remediation plan: `cchc compare` and `cchc plan`."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from cchc.cli.context import (
    AS_JSON,
    JOBS,
    YEAR,
    out_folder,
    print_issues,
    stored_run,
    workspace_or_fail,
)
from cchc.cli.kit import VnCommand, echo_json, fail
from cchc.core.numbers import fmt, pct, signed
from cchc.criteria.model import CriteriaSet
from cchc.inputs.owners import NO_OWNERS, Owners, read_owners
from cchc.reports.compare_xlsx import write_comparison
from cchc.reports.plan import PlanOptions
from cchc.reports.plan_files import PlanJob, write_plans
from cchc.scoring.compare import STATUS_LABELS, Standing, UnitChange, compare_years, comparison_data
from cchc.scoring.run import YearRun
from cchc.store import db as store
from cchc.store.workspace import Workspace


def _standing(standing: Standing | None) -> str:
    if standing is None:
        return "chưa chấm"
    rank = f"hạng {standing.rank}/{standing.rank_of}" if standing.rank else "không xếp hạng"
    return f"{pct(standing.index)}% – {standing.band or '—'} – {rank}"


def _print_unit(unit: UnitChange, year_from: int, year_to: int) -> None:
    click.echo(f"{unit.code} {unit.name}")
    click.echo(f"  Năm {year_from}: {_standing(unit.before)}")
    click.echo(f"  Năm {year_to}: {_standing(unit.now)}")
    click.echo(f"  Tăng/giảm: {signed(unit.delta)} điểm %, {signed(unit.rank_change)} bậc")
    click.echo(f"  {'Lĩnh vực':<48} {year_from:>8} {year_to:>8} {'±':>7}")
    for d in unit.domains:
        click.echo(
            f"  {(d.code + '. ' + d.title)[:48]:<48} {pct(d.index_before):>8} "
            f"{pct(d.index_now):>8} {signed(d.delta):>7}"
        )
    click.echo(
        f"  {'Mã':<7} {'Mã cũ':<11} {'% tối đa ' + str(year_from):>14} {year_to:>6}  Kết quả"
    )
    for i in unit.items:
        before = pct(i.before.share) if i.before else "—"
        now = pct(i.now.share) if i.now else "—"
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
@AS_JSON
def compare_command(
    year_from: int, year_to: int, unit: str | None, out: str, as_json: bool
) -> None:
    """So sánh hai năm qua bảng đối chiếu tiêu chí; ghi so-sanh-<năm>-<năm>.xlsx."""
    if year_from >= year_to:
        fail("--from phải là năm trước --to")
    workspace = workspace_or_fail()
    before = stored_run(workspace, year_from, traces=False)
    now = stored_run(workspace, year_to, traces=False)
    if unit is not None and now.unit(unit) is None:
        fail(f"đơn vị {unit} không có trong kết quả năm {year_to}")
    comparison = compare_years(before, now, unit)
    target = write_comparison(comparison, Path(out) / f"so-sanh-{year_from}-{year_to}.xlsx")
    if as_json:
        echo_json(comparison_data(comparison) | {"workbook": str(target)})
        return
    if unit is not None:
        _print_unit(comparison.units[0], year_from, year_to)
    else:
        click.echo(
            f"{'Mã':<8} {'Đơn vị':<32} {year_from:>8} {year_to:>8} {'±':>7} {'bậc':>4}  "
            + ", ".join(STATUS_LABELS[s] for s in ("newly_max", "declined", "newly_below"))
        )
        for u in comparison.units:
            counts = u.counts()
            b = u.before.index if u.before else None
            click.echo(
                f"{u.code:<8} {u.name[:32]:<32} {pct(b):>8} {pct(u.now.index):>8} "
                f"{signed(u.delta):>7} {signed(u.rank_change):>4}  "
                f"{counts['newly_max']}, {counts['declined']}, {counts['newly_below']}"
            )
    click.echo(f"→ {target}")


def _date(text: str | None) -> date | None:
    if text is None:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    fail(f"ngày '{text}' không hợp lệ (dùng ngày/tháng/năm, vd. 15/01/2025)")


def _owners(path: str | None, criteria: CriteriaSet) -> Owners:
    if path is None:
        return NO_OWNERS
    owners = read_owners(Path(path), criteria)
    if owners.issues:
        print_issues(owners.issues)
        if not owners.by_code:
            fail("tệp phân công không dùng được")
    return owners


def _previous(workspace: Workspace, year: int) -> YearRun | None:
    try:
        return store.load_run(workspace.db_path, year - 1, traces=False)
    except store.StoreError:
        return None


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
@click.option("--out", type=click.Path(file_okay=False), required=True, help="Thư mục ghi.")
@JOBS
@AS_JSON
def plan_command(
    units: tuple[str, ...],
    every: bool,
    year: int,
    owners: str | None,
    number: str | None,
    date_text: str | None,
    template_dir: str | None,
    out: str,
    jobs: int | None,
    as_json: bool,
) -> None:
    """Lập kế hoạch khắc phục, Phụ lục 1 và Phụ lục 2 (.docx, .xlsx) cho đơn vị."""
    if not units and not every:
        fail("cần --unit MÃ (hoặc --all)")
    workspace = workspace_or_fail()
    run = stored_run(workspace, year)
    previous = _previous(workspace, year)
    codes = [u.unit.code for u in run.ranking()] if every else list(units)
    single = codes[0] if len(codes) == 1 else None
    day = _date(date_text)
    options: dict[tuple[str, int], PlanOptions] = {}
    for code in codes:
        score = run.unit(code)
        if score is None:
            fail(f"đơn vị {code} không có trong kết quả năm {year}")
        key = (score.set_id, score.set_year)
        if key not in options:
            found = _owners(owners, run.criteria(score))
            options[key] = PlanOptions(number, day, found, workspace.province)
    job = PlanJob(
        run,
        previous,
        options,
        Path(out),
        Path(template_dir) if template_dir else None,
        per_unit=single is None,
    )
    written: dict[str, list[str]] = {}
    for plan, files in write_plans(job, codes, jobs):
        written[plan.unit_code] = [str(f) for f in files]
        if not as_json:
            click.echo(
                f"{plan.unit_code} {plan.unit_name}: Phụ lục 1 {len(plan.keep.rows)} mục, "
                f"Phụ lục 2 {len(plan.fix.rows)} mục (mất {fmt(plan.fix.lost)} điểm)"
            )
            for f in files:
                click.echo(f"   → {f}")
    if as_json:
        echo_json({"year": year, "files": written})


COMMANDS = [compare_command, plan_command]
