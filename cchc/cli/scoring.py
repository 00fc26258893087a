"""Scoring commands: score, appraise, survey import, results import, explain, whatif."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import click

from cchc.cli.context import (
    AS_JSON,
    EXTRA_SETS,
    JOBS,
    UNITS_FILE,
    YEAR,
    notices,
    out_folder,
    session,
)
from cchc.cli.kit import (
    VnCommand,
    VnGroup,
    echo_json,
    exit_on_errors,
    print_issues,
    progress_bar,
)

MAX_ROWS = 40


@click.command("score", cls=VnCommand)
@click.argument("folder", type=click.Path(exists=True, file_okay=False), metavar="THƯ_MỤC")
@YEAR
@click.option(
    "--appraisal",
    type=click.Path(exists=True),
    multiple=True,
    help="Bảng thẩm định (tệp hoặc thư mục; lặp lại cho bảng của từng cơ quan).",
)
@click.option("--survey", type=click.Path(exists=True, dir_okay=False), help="Kết quả điều tra.")
@click.option("--answers", help="Quy đổi phương án trả lời, vd. 'A=100,B=60,C=20,D=0'.")
@UNITS_FILE
@EXTRA_SETS
@out_folder("tệp ket-qua-<năm>.xlsx")
@JOBS
@click.option(
    "--replace",
    is_flag=True,
    help="Chấm lại năm đã chấm: thay kết quả hiện có (vẫn giữ, khôi phục bằng 'cchc restore').",
)
@AS_JSON
def score_command(
    folder: str,
    year: int,
    appraisal: tuple[str, ...],
    survey: str | None,
    answers: str | None,
    units: str | None,
    sets: tuple[str, ...],
    out: str,
    jobs: int | None,
    replace: bool,
    as_json: bool,
) -> None:
    """Chấm điểm mọi sổ trong THƯ_MỤC, xếp hạng, lưu vào kho dữ liệu và ghi ket-qua-<năm>.xlsx.

    Thoát mã 1 nếu có lỗi trong các sổ, mã 2 nếu không chấm được (không lưu gì).
    """
    from cchc.commands.history import describe
    from cchc.commands.score import score_folder
    from cchc.core.numbers import fmt, pct
    from cchc.scoring.provisional import PROVISIONAL, provisional, survey_codes

    current = session(units, sets)
    with progress_bar("Đọc sổ") as progress:
        result = score_folder(
            current,
            Path(folder),
            year,
            Path(out),
            [Path(a) for a in appraisal],
            Path(survey) if survey else None,
            answers,
            jobs,
            replace,
            progress,
        )
    notices(current)
    run = result.run
    if as_json:
        echo_json(result.to_json())
        exit_on_errors(run.issues)
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
        places = run.criteria(unit).precision.index
        click.echo(
            f"{rank:>5}  {unit.unit.code:<8} {unit.unit.name[:36]:<36} "
            f"{pct(t.index, places=places):>7}  {t.band or ''}"
        )
    if len(run.units) > MAX_ROWS:
        click.echo(f"  … và {len(run.units) - MAX_ROWS} đơn vị khác")
    for layer, why in PROVISIONAL.items():
        lacking = [u for u in run.units if layer in provisional(run, u)]
        if lacking:
            first = lacking[0]
            surveyed = survey_codes(run.criteria(first))
            full = first.totals.max + sum(
                leaf.max
                for code, leaf in first.leaves.items()
                if code in surveyed and leaf.excluded
            )
            example = (
                f"; vd. {first.unit.code}: trên {fmt(first.totals.max)} thay vì {fmt(full)} điểm"
                if layer == "survey"
                else ""
            )
            click.echo(f"Kết quả tạm tính: {len(lacking)} đơn vị {why}{example}")
    print_issues(run.issues[:MAX_ROWS])
    if len(run.issues) > MAX_ROWS:
        click.echo(f"  … xem đầy đủ ở trang 'Vấn đề' của {result.results}")
    click.echo(f"Kết quả: {result.results}")
    if result.replaced is not None:
        click.echo(
            f"Đã lưu lần chấm {result.revision}, thay {describe(result.replaced)}; "
            f"khôi phục: cchc restore {year} {result.replaced.rev}"
        )
    exit_on_errors(run.issues)


@click.command("appraise", cls=VnCommand)
@YEAR
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="Tệp bảng thẩm định.")
def appraise_command(year: int, out: str) -> None:
    """Tạo bảng thẩm định (Excel) từ kết quả tự chấm đã lưu của năm."""
    from cchc.commands.appraise import appraise

    book = appraise(session(), year, Path(out))
    click.echo(f"Đã ghi bảng thẩm định {book.workbook}: {book.units} đơn vị, {book.rows} dòng")


@click.group("survey", cls=VnGroup)
def survey_group() -> None:
    """Kết quả điều tra xã hội học, SIPAS."""


@survey_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False), metavar="TỆP")
@YEAR
@click.option("--set", "set_ref", help="Chấm theo bộ này cho mọi đơn vị (vd. sipas).")
@click.option("--answers", help="Quy đổi phương án, vd. 'A=100,B=60,C=20,D=0' (mặc định).")
@click.option(
    "--satisfied-only",
    is_flag=True,
    help="Tỷ lệ = số phiếu chọn hai phương án tốt nhất / số phiếu hợp lệ.",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Thay kết quả điều tra năm này đã nhập cho các đơn vị trong tệp.",
)
@AS_JSON
def survey_import(
    file: str,
    year: int,
    set_ref: str | None,
    answers: str | None,
    satisfied_only: bool,
    replace: bool,
    as_json: bool,
) -> None:
    """Nhập kết quả điều tra (tổng hợp hoặc từng phiếu) vào kho dữ liệu của năm; mã 1 nếu có lỗi."""
    from cchc.commands.survey import import_survey_file

    current = session()
    result = import_survey_file(
        current, Path(file), year, set_ref, answers, satisfied_only, replace
    )
    notices(current)
    if as_json:
        echo_json(result.to_json())
        exit_on_errors(result.issues)
        return
    print_issues(result.issues)
    units = result.units
    click.echo(f"Đã nhập kết quả điều tra ({result.kind}) của {len(units)} đơn vị năm {year}")
    for row in units[:MAX_ROWS]:
        extra = f"  chỉ số {row['index']}%" if row.get("index") is not None else ""
        click.echo(f"  {row['unit']}: {row['items']} mục{extra}")
    exit_on_errors(result.issues)


@click.group("results", cls=VnGroup)
def results_group() -> None:
    """Kết quả chính thức do cấp trên công bố."""


@results_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False), metavar="TỆP")
@YEAR
@click.option(
    "--replace",
    is_flag=True,
    help="Thay kết quả chính thức đã nhập của năm (kết quả cũ vẫn giữ trong 'cchc history').",
)
@AS_JSON
def results_import(file: str, year: int, replace: bool, as_json: bool) -> None:
    """Nhập kết quả chính thức do cấp trên công bố thành kết quả riêng của năm.

    TỆP: bảng Mã đơn vị | Mã | Điểm; bảng mỗi đơn vị một dòng (điểm các lĩnh vực, Tổng điểm,
    Chỉ số, Xếp hạng); hoặc tệp ket-qua cchc ghi. Chỉ số, xếp loại, hạng tính từ điểm; chỉ số,
    hạng đã công bố được giữ, chỗ khác được cảnh báo. Có lỗi thì không lưu gì, thoát mã 1.
    """
    from cchc.commands.results import import_results

    current = session()
    result = import_results(current, Path(file), year, replace)
    notices(current)
    if as_json:
        echo_json(result.to_json())
        exit_on_errors(result.issues)
        return
    print_issues(result.issues)
    if not result.stored:
        click.echo(f"Chưa lưu kết quả chính thức năm {year}: sửa các lỗi trên rồi nhập lại")
        exit_on_errors(result.issues)
        return
    click.echo(
        f"Đã lưu kết quả chính thức năm {year} (lần {result.rev}): {len(result.run.units)} "
        f"đơn vị, {result.points} điểm đã công bố"
    )
    if result.replaced is not None:
        click.echo(
            f"  thay kết quả chính thức lần {result.replaced} (vẫn giữ trong 'cchc history')"
        )
    click.echo(f"{'Hạng':>5}  {'Mã':<8} {'Đơn vị':<36} {'Chỉ số':>7}  Xếp loại")
    for line in result.lines()[:MAX_ROWS]:
        click.echo(line)
    click.echo(
        "Các lệnh compare, plan, chart, report dùng kết quả này cho năm "
        f"{year} (--result cchc để dùng kết quả cchc chấm)"
    )
    exit_on_errors(result.issues)


EXPLAINED = (
    ("inputs", "Số liệu"),
    ("self", "Nguồn"),
    ("evidence", "Tài liệu"),
    ("explanation", "Giải trình"),
    ("appraisal", "Thẩm định"),
    ("appraisal_1_by", "Thẩm định lần 1"),
    ("comment", "Nhận xét"),
    ("response", "Giải trình bổ sung"),
    ("added_evidence", "Tài liệu bổ sung"),
    ("response_by", "Giải trình gửi trong"),
    ("appraisal_2_by", "Thẩm định lần 2"),
    ("second_comment", "Nhận xét lần 2"),
    ("survey", "Điều tra"),
)
"""What `cchc explain` shows of an item's trace, in this order ('appraisal', the row, only for
runs stored before each round kept its own cell)."""


@click.command("explain", cls=VnCommand)
@click.argument("unit", metavar="ĐƠN_VỊ")
@click.argument("item", metavar="MỤC")
@YEAR
@AS_JSON
def explain_command(unit: str, item: str, year: int, as_json: bool) -> None:
    """Vì sao đơn vị ĐƠN_VỊ được số điểm này ở mục MỤC."""
    from cchc.commands.explain import explain_item
    from cchc.core.numbers import fmt
    from cchc.scoring.index import LAYER_LABELS

    data = explain_item(session(), unit, item, year)
    if as_json:
        echo_json(data)
        return
    click.echo(f"{data['unit']} – {data['unit_name']}, năm {year}")
    click.echo(f"Mục {data['code']}: {data['title']} (tối đa {fmt(Decimal(data['max']))})")
    trace = data["trace"]
    click.echo(f"Cách chấm: {data['rule']}")
    per_round = "appraisal_1_by" in trace or "appraisal_2_by" in trace
    for key, label in EXPLAINED:
        if trace.get(key) and not (key == "appraisal" and per_round):
            click.echo(f"{label}: {trace[key]}")
    places = data["precision"]["points"]  # the set's decimals for points
    for layer, points in data["layers"].items():
        click.echo(f"  {LAYER_LABELS[layer]}: {fmt(Decimal(points), places)}")
    if data["excluded"]:
        click.echo("Điểm cuối cùng: không tính (không áp dụng, ra khỏi điểm tối đa)")
    else:
        click.echo(
            f"Điểm cuối cùng: {fmt(Decimal(data['final']), places)} "
            f"(theo {data['final_by_label'].lower()})"
        )


@click.command("whatif", cls=VnCommand)
@click.argument("unit", metavar="ĐƠN_VỊ")
@YEAR
@click.option("--fix", "fixes", multiple=True, help="Mã mục giả định đạt tối đa (lặp lại).")
@AS_JSON
def whatif_command(unit: str, year: int, fixes: tuple[str, ...], as_json: bool) -> None:
    """Chỉ số, xếp loại, hạng của ĐƠN_VỊ nếu các mục --fix đạt tối đa (không --fix: nên sửa gì)."""
    from cchc.commands.explain import what_if
    from cchc.core.numbers import fmt, pct

    result = what_if(session(), unit, year, list(fixes))
    if as_json:
        echo_json(result.to_json())
        return
    if result.now is not None and result.then is not None:
        now, then = result.now, result.then
        click.echo(f"{unit}, năm {year}, nếu {', '.join(fixes)} đạt tối đa:")
        places = result.places
        click.echo(f"  Chỉ số {pct(now.index, places=places)} → {pct(then.index, places=places)}")
        click.echo(f"  Xếp loại {now.band or '—'} → {then.band or '—'}")
        click.echo(f"  Hạng {now.rank or '—'} → {then.rank or '—'}")
        return
    click.echo(f"{unit}, năm {year}: các mục gỡ được nhiều điểm nhất")
    for g in result.gains or []:
        gained = fmt(g.index, result.places)
        click.echo(f"  {g.code:<8} +{fmt(g.points)} điểm, +{gained} chỉ số  {g.title}")


COMMANDS = [
    score_command,
    appraise_command,
    survey_group,
    results_group,
    explain_command,
    whatif_command,
]
