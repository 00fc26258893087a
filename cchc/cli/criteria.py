"""`cchc criteria`: list, show, check, import and export criteria sets."""

from __future__ import annotations

from pathlib import Path

import click

from cchc.cli.context import AS_JSON
from cchc.cli.kit import VnGroup, echo_json, print_issues


@click.group("criteria", cls=VnGroup)
def criteria() -> None:
    """Bộ tiêu chí: liệt kê, xem, kiểm tra, nhập, xuất."""


@criteria.command("list")
@AS_JSON
def criteria_list(as_json: bool) -> None:
    """Liệt kê các bộ tiêu chí: của không gian làm việc trước, rồi các bộ kèm theo."""
    from cchc.commands.criteria_list import list_sets

    listed = list_sets()
    if as_json:
        echo_json(listed.to_json())
        return
    for row in listed.rows:
        if row["id"] is None:
            click.echo(f"{'?':<10} ----  {'':>3}      {row['path']}  (CÓ LỖI)")
            continue
        mark = "" if row["ok"] else "  (CÓ LỖI)"
        where = "  [không gian làm việc]" if row["workspace"] else ""
        line = f"{row['id']:<10} {row['year']}  {row['leaves']:>3} mục  {row['title']}"
        click.echo(line + where + mark)
    print_issues(listed.notices)


@criteria.command("show")
@click.argument("ref", metavar="BỘ")
@click.option("--year", type=int, help="Năm của bộ tiêu chí (mặc định: năm mới nhất).")
@AS_JSON
def criteria_show(ref: str, year: int | None, as_json: bool) -> None:
    """Xem cây tiêu chí BỘ (mã bộ hoặc đường dẫn YAML) với điểm tối đa và cách chấm."""
    from cchc.cli.context import notices, session
    from cchc.commands.session import load_set
    from cchc.core.numbers import fmt
    from cchc.criteria.summary import outline, set_info

    current = session()
    chosen = load_set(ref, year, current)
    rows = outline(chosen)
    if as_json:
        echo_json({"set": set_info(chosen), "items": [r.to_json() for r in rows]})
        return
    notices(current)
    click.echo(f"{chosen.title} ({chosen.id} {chosen.year}, thang {fmt(chosen.scale)} điểm)")
    shown = chosen.precision
    if (shown.points, shown.index) != (2, 2):
        click.echo(f"Điểm {shown.points} chữ số thập phân, chỉ số {shown.index} chữ số thập phân")
    if chosen.status == "sample":
        click.echo("BỘ TIÊU CHÍ MẪU – không phải văn bản chính thức")
    for row in rows:
        indent = "  " * row.depth
        rule = f"  — {row.rule}" if row.rule else ""
        click.echo(f"{indent}{row.code} {row.title} [{fmt(row.max)}]{rule}")


@criteria.command("add")
@click.argument("file", type=click.Path(exists=True, dir_okay=False), metavar="TỆP")
@click.option(
    "--replace", is_flag=True, help="Thay bộ cùng mã và năm đã có trong không gian làm việc."
)
@AS_JSON
def criteria_add(file: str, replace: bool, as_json: bool) -> None:
    """Thêm một bộ tiêu chí YAML (đã kiểm tra) vào không gian làm việc hiện tại.

    Các lệnh nhận bộ tiêu chí (template, check, score, plan …) thấy bộ này trước các bộ kèm theo.
    """
    from cchc.cli.context import session
    from cchc.commands.criteria_sets import add_set

    added = add_set(session(), Path(file), replace)
    if as_json:
        echo_json(added.to_json())
        return
    verb = "Đã thay" if added.replaced else "Đã thêm"
    click.echo(f"{verb} bộ tiêu chí {added.set_id} {added.year} → {added.target}")


@criteria.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False), metavar="TỆP")
@AS_JSON
def criteria_check(files: tuple[str, ...], as_json: bool) -> None:
    """Kiểm tra các tệp YAML bộ tiêu chí; thoát với mã 1 nếu có lỗi."""
    from cchc.criteria.loader import load_file
    from cchc.criteria.summary import check_report

    results = [load_file(f) for f in files]
    if as_json:
        echo_json([check_report(loaded) for loaded in results])
    else:
        for loaded in results:
            click.echo(f"{loaded.path}: {'hợp lệ' if loaded.ok else 'có lỗi'}")
            print_issues(loaded.issues)
    if not all(loaded.ok for loaded in results):
        raise SystemExit(1)


@criteria.command("import")
@click.argument("table", type=click.Path(exists=True, dir_okay=False), metavar="BẢNG")
@click.option(
    "--out", type=click.Path(dir_okay=False), help="Tệp YAML ghi ra (mặc định: cạnh bảng)."
)
@click.option("--id", "set_id", help="Mã bộ tiêu chí, vd. so-2025 (bảng công bố không ghi mã).")
@click.option("--year", type=int, help="Năm đánh giá (nếu tiêu đề văn bản không ghi 'năm …').")
@click.option("--title", help="Tên bộ tiêu chí (mặc định: tiêu đề văn bản).")
@click.option("--level", help="Cấp đơn vị được chấm: so, xa, tinh … (mặc định: theo tiêu đề).")
@AS_JSON
def criteria_import(
    table: str,
    out: str | None,
    set_id: str | None,
    year: int | None,
    title: str | None,
    level: str | None,
    as_json: bool,
) -> None:
    """Nhập bảng tiêu chí đã công bố (Word .docx, Excel .xlsx/.xls, .ods) thành bản nháp YAML.

    Bản nháp luôn được ghi, kể cả khi còn vấn đề: mỗi vấn đề là một dòng ghi chú ngay trên mục
    liên quan. Sửa xong, chạy 'cchc criteria check' rồi 'cchc criteria add' để đưa vào không
    gian làm việc.
    """
    from cchc.commands.criteria_import import import_criteria

    given = {"id": set_id, "year": year, "title": title, "level": level}
    facts = {k: v for k, v in given.items() if v is not None}
    result = import_criteria(Path(table), Path(out) if out else None, facts)
    if as_json:
        echo_json(result.to_json())
    else:
        print_issues(result.issues)
        click.echo(f"Đã ghi bản nháp {result.draft}")
        if not result.ok:
            errors = sum(1 for i in result.issues if i.severity == "error")
            click.echo(
                f"Bản nháp còn {errors} lỗi (ghi chú '# LỖI' trong tệp): sửa rồi chạy "
                f"'cchc criteria check {result.draft}'"
            )
    if not result.ok:
        raise SystemExit(1)


@criteria.command("export")
@click.argument("ref", metavar="BỘ")
@click.option("--year", type=int, help="Năm của bộ tiêu chí.")
@click.option(
    "--format",
    "fmt_",
    type=click.Choice(["xlsx", "docx"]),
    default="xlsx",
    show_default=True,
    help="Định dạng tệp.",
)
@click.option("--out", type=click.Path(dir_okay=False), help="Tệp ghi ra.")
def criteria_export(ref: str, year: int | None, fmt_: str, out: str | None) -> None:
    """Xuất bộ tiêu chí BỘ thành bảng để công bố (Excel hoặc Word)."""
    from cchc.cli.context import notices, session
    from cchc.commands.session import load_set
    from cchc.criteria.export import export_docx, export_xlsx

    current = session()
    chosen = load_set(ref, year, current)
    notices(current)
    target = Path(out or f"{chosen.id}-{chosen.year}.{fmt_}")
    (export_xlsx if fmt_ == "xlsx" else export_docx)(chosen, target)
    click.echo(f"Đã ghi {target}")
