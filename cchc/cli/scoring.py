"""Scoring commands: score, appraise, survey import, results import, explain, whatif."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from cchc.cli.context import (
    AS_JSON,
    EXTRA_SETS,
    JOBS,
    UNITS_FILE,
    YEAR,
    out_folder,
    print_issues,
    set_finder,
    stored_run,
    units_of,
    workspace_or_fail,
)
from cchc.cli.kit import VnCommand, VnGroup, echo_json, fail
from cchc.commands.score import Lookup, ScoreJob, import_survey, score, survey_summary
from cchc.core.numbers import fmt, pct
from cchc.criteria.model import CriteriaSet
from cchc.criteria.registry import SetNotFound
from cchc.inputs.official import read_official
from cchc.inputs.survey import parse_answer_map
from cchc.scoring.index import LAYER_LABELS
from cchc.scoring.run import SetFinder, YearRun
from cchc.scoring.whatif import NotScored, Outlook, explain, gains, whatif
from cchc.store import db as store
from cchc.store.workspace import Workspace
from cchc.templates.appraisal import write_appraisal
from cchc.templates.appraisal_rows import appraisal_rows

MAX_ROWS = 40


def _default_set(workspace: Workspace) -> str | None:
    return workspace.default_sets[0] if workspace.default_sets else None


def _answers(text: str | None) -> dict[str, Decimal] | None:
    if text is None:
        return None
    try:
        return parse_answer_map(text)
    except ValueError as exc:
        fail(str(exc))


@click.command("score", cls=VnCommand)
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@YEAR
@click.option("--appraisal", type=click.Path(exists=True, dir_okay=False), help="Bảng thẩm định.")
@click.option("--survey", type=click.Path(exists=True, dir_okay=False), help="Kết quả điều tra.")
@click.option("--answers", help="Quy đổi phương án trả lời, vd. 'A=100,B=60,C=20,D=0'.")
@UNITS_FILE
@EXTRA_SETS
@out_folder("tệp ket-qua-<năm>.xlsx")
@JOBS
@AS_JSON
def score_command(
    folder: str,
    year: int,
    appraisal: str | None,
    survey: str | None,
    answers: str | None,
    units: str | None,
    sets: tuple[str, ...],
    out: str,
    jobs: int | None,
    as_json: bool,
) -> None:
    """Chấm điểm mọi sổ trong FOLDER, xếp hạng, lưu vào kho dữ liệu và ghi ket-qua-<năm>.xlsx."""
    workspace = workspace_or_fail()
    registry = units_of(units)
    if not registry:
        fail(f"danh sách đơn vị {workspace.units_path} trống")
    job = ScoreJob(
        folder=Path(folder),
        year=year,
        units=registry,
        find=set_finder(sets),
        db=workspace.db_path,
        out=Path(out),
        default_set=_default_set(workspace),
        appraisal=Path(appraisal) if appraisal else None,
        survey=Path(survey) if survey else None,
        answers=_answers(answers),
        workers=jobs,
    )
    try:
        result = score(job)
    except store.StoreError as exc:
        fail(str(exc))
    run = result.run
    if as_json:
        echo_json(run_json(run) | {"results": str(result.results)})
        return
    errors = sum(i.severity == "error" for i in run.issues)
    click.echo(
        f"Năm {year}: đã chấm {len(run.units)} đơn vị; {errors} lỗi, "
        f"{len(run.issues) - errors} cảnh báo (xem trang 'Vấn đề')."
    )
    click.echo(f"{'Hạng':>5}  {'Mã':<8} {'Đơn vị':<36} {'Chỉ số':>7}  Xếp loại")
    for unit in run.ranking()[:MAX_ROWS]:
        t = unit.totals
        rank = str(t.rank) if t.rank is not None else "—"
        click.echo(
            f"{rank:>5}  {unit.unit.code:<8} {unit.unit.name[:36]:<36} "
            f"{pct(t.index):>7}  {t.band or ''}"
        )
    if len(run.units) > MAX_ROWS:
        click.echo(f"  … và {len(run.units) - MAX_ROWS} đơn vị khác")
    print_issues(run.issues[:MAX_ROWS])
    if len(run.issues) > MAX_ROWS:
        click.echo(f"  … xem đầy đủ ở trang 'Vấn đề' của {result.results}")
    click.echo(f"Kết quả: {result.results}")


def run_json(run: YearRun) -> dict[str, Any]:
    return {
        "year": run.year,
        "units": [
            {
                "code": u.unit.code,
                "name": u.unit.name,
                "group": u.unit.group,
                "set": u.set_id,
                "points": str(u.totals.points),
                "max": str(u.totals.max),
                "bonus": str(u.totals.bonus),
                "penalty": str(u.totals.penalty),
                "index": None if u.totals.index is None else str(u.totals.index),
                "band": u.totals.band,
                "rank": u.totals.rank,
                "domains": {
                    d.code: str(n.index)
                    for d in run.criteria(u).items
                    if (n := u.totals.nodes.get(d.code)) is not None and n.index is not None
                },
            }
            for u in run.ranking()
        ],
        "issues": [i.model_dump(mode="json") for i in run.issues],
    }


@click.command("appraise", cls=VnCommand)
@YEAR
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="Tệp bảng thẩm định.")
def appraise_command(year: int, out: str) -> None:
    """Tạo bảng thẩm định (Excel) từ kết quả tự chấm đã lưu của năm."""
    run = stored_run(workspace_or_fail(), year)
    rows = appraisal_rows(run)
    target = write_appraisal(rows, year, Path(out))
    click.echo(f"Đã ghi bảng thẩm định {target}: {len(run.units)} đơn vị, {len(rows)} dòng")


@click.group("survey", cls=VnGroup)
def survey_group() -> None:
    """Kết quả điều tra xã hội học, SIPAS."""


@survey_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@YEAR
@click.option("--set", "set_ref", help="Chấm theo bộ này cho mọi đơn vị (vd. sipas).")
@click.option("--answers", help="Quy đổi phương án, vd. 'A=100,B=60,C=20,D=0' (mặc định).")
@click.option(
    "--satisfied-only",
    is_flag=True,
    help="Tỷ lệ = số phiếu chọn hai phương án tốt nhất / số phiếu hợp lệ.",
)
@AS_JSON
def survey_import(
    file: str,
    year: int,
    set_ref: str | None,
    answers: str | None,
    satisfied_only: bool,
    as_json: bool,
) -> None:
    """Nhập kết quả điều tra (tổng hợp hoặc từng phiếu) vào kho dữ liệu của năm."""
    workspace = workspace_or_fail()
    find = set_finder(())
    on = require_set(find, set_ref, year)
    lookup = Lookup(units_of(None), find, _default_set(workspace), year)
    try:
        with store.writing(workspace.db_path) as db:
            imported = import_survey(
                db, Path(file), year, lookup, on, _answers(answers), satisfied_only
            )
    except store.StoreError as exc:
        fail(str(exc))
    summary = survey_summary(imported.values, on)
    if as_json:
        echo_json(
            {
                "year": year,
                "kind": imported.kind,
                "units": summary,
                "issues": [i.model_dump(mode="json") for i in imported.issues],
            }
        )
        return
    print_issues(imported.issues)
    click.echo(f"Đã nhập kết quả điều tra ({imported.kind}) của {len(summary)} đơn vị năm {year}")
    for row in summary[:MAX_ROWS]:
        extra = f"  chỉ số {row['index']}%" if row.get("index") is not None else ""
        click.echo(f"  {row['unit']}: {row['items']} mục{extra}")


def require_set(find: SetFinder, ref: str | None, year: int) -> CriteriaSet | None:
    """The set named by --set, or None."""
    if ref is None:
        return None
    try:
        return find(ref, year)
    except SetNotFound as exc:
        fail(str(exc))


@click.group("results", cls=VnGroup)
def results_group() -> None:
    """Kết quả chính thức do cấp trên công bố."""


@results_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@YEAR
def results_import(file: str, year: int) -> None:
    """Nhập kết quả chính thức (bảng Mã đơn vị | Mã | Điểm, hoặc tệp ket-qua) vào kho dữ liệu."""
    workspace = workspace_or_fail()
    lookup = Lookup(units_of(None), set_finder(()), _default_set(workspace), year)

    values, issues = read_official(Path(file), lookup.leaf_max)
    print_issues(issues)
    try:
        with store.writing(workspace.db_path) as db:
            count = store.save_official(db, year, values, Path(file).name)
    except store.StoreError as exc:
        fail(str(exc))
    click.echo(f"Đã nhập {count} điểm chính thức của {len(values)} đơn vị năm {year}")


@click.command("explain", cls=VnCommand)
@click.argument("unit")
@click.argument("item")
@YEAR
@AS_JSON
def explain_command(unit: str, item: str, year: int, as_json: bool) -> None:
    """Vì sao đơn vị UNIT được số điểm này ở mục ITEM."""
    run = stored_run(workspace_or_fail(), year)
    try:
        data = explain(run, unit, item)
    except NotScored as exc:
        fail(str(exc))
    if as_json:
        echo_json(data)
        return
    click.echo(f"{data['unit']} – {data['unit_name']}, năm {year}")
    click.echo(f"Mục {data['code']}: {data['title']} (tối đa {fmt(Decimal(data['max']))})")
    trace = data["trace"]
    click.echo(f"Cách chấm: {data['rule']}")
    for key, label in (
        ("inputs", "Số liệu"),
        ("self", "Nguồn"),
        ("evidence", "Tài liệu"),
        ("explanation", "Giải trình"),
        ("appraisal", "Thẩm định"),
        ("comment", "Nhận xét"),
        ("response", "Giải trình bổ sung"),
        ("survey", "Điều tra"),
    ):
        if trace.get(key):
            click.echo(f"{label}: {trace[key]}")
    for layer, points in data["layers"].items():
        click.echo(f"  {LAYER_LABELS[layer]}: {fmt(Decimal(points))}")
    if data["excluded"]:
        click.echo("Điểm cuối cùng: không tính (không áp dụng, ra khỏi điểm tối đa)")
    else:
        click.echo(
            f"Điểm cuối cùng: {fmt(Decimal(data['final']))} (theo {data['final_by_label'].lower()})"
        )


@click.command("whatif", cls=VnCommand)
@click.argument("unit")
@YEAR
@click.option("--fix", "fixes", multiple=True, help="Mã mục giả định đạt tối đa (lặp lại).")
@AS_JSON
def whatif_command(unit: str, year: int, fixes: tuple[str, ...], as_json: bool) -> None:
    """Chỉ số, xếp loại, hạng của UNIT nếu các mục --fix đạt tối đa (không --fix: nên sửa gì)."""
    run = stored_run(workspace_or_fail(), year)
    try:
        if fixes:
            now, then = whatif(run, unit, list(fixes))
        else:
            found = gains(run, unit)
    except NotScored as exc:
        fail(str(exc))
    if fixes:
        data = {
            "unit": unit,
            "year": year,
            "fix": list(fixes),
            "now": _outlook(now),
            "then": _outlook(then),
        }
        if as_json:
            echo_json(data)
            return
        click.echo(f"{unit}, năm {year}, nếu {', '.join(fixes)} đạt tối đa:")
        click.echo(f"  Chỉ số {pct(now.index)} → {pct(then.index)}")
        click.echo(f"  Xếp loại {now.band or '—'} → {then.band or '—'}")
        click.echo(f"  Hạng {now.rank or '—'} → {then.rank or '—'}")
        return
    rows = [
        {"code": g.code, "title": g.title, "points": str(g.points), "index": str(g.index)}
        for g in found
    ]
    if as_json:
        echo_json({"unit": unit, "year": year, "gains": rows})
        return
    click.echo(f"{unit}, năm {year}: các mục gỡ được nhiều điểm nhất")
    for g in found:
        click.echo(f"  {g.code:<8} +{fmt(g.points)} điểm, +{fmt(g.index, 2)} chỉ số  {g.title}")


def _outlook(outlook: Outlook) -> dict[str, Any]:
    index = outlook.index
    return {
        "index": None if index is None else str(index),
        "band": outlook.band,
        "rank": outlook.rank,
    }


COMMANDS = [
    score_command,
    appraise_command,
    survey_group,
    results_group,
    explain_command,
    whatif_command,
]
