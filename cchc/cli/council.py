"""The appraisal council: `cchc council books|status|read|feedback|answers`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from cchc.cli.context import AS_JSON, YEAR, out_folder, session
from cchc.cli.kit import VnGroup, echo_json, exit_on_errors, print_issues

if TYPE_CHECKING:
    from cchc.commands.council import Layered

MAX_ISSUES = 40
ROUND = click.option(
    "--round",
    "round_",
    type=click.IntRange(1, 2),
    default=1,
    show_default=True,
    help="Lần thẩm định (1 hoặc 2).",
)
PATHS = click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True), metavar="TỆP_HOẶC_THƯ_MỤC..."
)


@click.group("council", cls=VnGroup)
def council() -> None:
    """Hội đồng thẩm định: bảng của từng cơ quan, hai lần thẩm định, giải trình của đơn vị."""


@council.command("books")
@YEAR
@ROUND
@click.option("--out", type=click.Path(file_okay=False), required=True, help="Thư mục ghi bảng.")
@click.option(
    "--bodies",
    type=click.Path(exists=True, dir_okay=False),
    help="Tệp phân công (Mã | Cơ quan thẩm định): lĩnh vực hoặc mục của từng cơ quan.",
)
@click.option(
    "--evidence",
    type=click.Path(exists=True, file_okay=False),
    help="Thư mục sổ đã nộp: ghi kết quả kiểm tra tài liệu kiểm chứng bên cạnh từng dòng.",
)
@AS_JSON
def books_command(
    year: int,
    round_: int,
    out: str,
    bodies: str | None,
    evidence: str | None,
    as_json: bool,
) -> None:
    """Ghi bảng thẩm định của từng cơ quan.

    Lần 1: các lĩnh vực của cơ quan, mọi đơn vị; lần 2: chỉ các mục đơn vị đã giải trình.
    """
    from cchc.commands.council import council_books

    result = council_books(
        session(),
        year,
        Path(out),
        round_,
        Path(bodies) if bodies else None,
        Path(evidence) if evidence else None,
    )
    if as_json:
        echo_json(result.to_json())
        return
    click.echo(f"Năm {year}, thẩm định lần {round_}: {len(result.books)} bảng")
    for book in result.books:
        click.echo(f"  {book.who}: {book.rows} dòng – {book.path}")
    print_issues(result.issues)


@council.command("status")
@PATHS
@YEAR
@ROUND
@AS_JSON
def status_command(paths: tuple[str, ...], year: int, round_: int, as_json: bool) -> None:
    """Cơ quan nào đã gửi bảng, những lĩnh vực nào.

    Chỉ đọc, không lưu gì; mã thoát 1 nếu các bảng có lỗi.
    """
    from cchc.commands.council import council_status

    result = council_status(session(), year, [Path(p) for p in paths], round_)
    if as_json:
        echo_json(result.to_json())
    else:
        click.echo(f"Năm {year}, thẩm định lần {round_}: đã nhận {len(result.files)} bảng")
        for f in result.files:
            click.echo(
                f"  {f.body or '(không ghi cơ quan)'}: lĩnh vực {', '.join(f.domains)} – "
                f"{f.scored}/{f.rows} dòng đã chấm – {f.file}"
            )
        print_issues(result.issues[:MAX_ISSUES])
    exit_on_errors(result.issues)


@council.command("read")
@PATHS
@YEAR
@ROUND
@out_folder("tệp ket-qua-<năm>.xlsx")
@AS_JSON
def read_command(paths: tuple[str, ...], year: int, round_: int, out: str, as_json: bool) -> None:
    """Đọc bảng thẩm định của các cơ quan vào kho.

    Thành một lần chấm mới; lần cũ vẫn giữ. Mã thoát 1 nếu có lỗi (điểm trùng khác nhau,
    ngoài khoảng, sai bước, sai năm hay sai lần).
    """
    from cchc.commands.council import council_read

    result = council_read(session(), year, [Path(p) for p in paths], round_, Path(out))
    lead = f"Năm {year}: thẩm định lần {round_} – {result.items} mục từ {result.files} bảng"
    _stored(result, lead, as_json)


@council.command("feedback")
@YEAR
@click.option("--out", type=click.Path(file_okay=False), required=True, help="Thư mục ghi bảng.")
@AS_JSON
def feedback_command(year: int, out: str, as_json: bool) -> None:
    """Ghi bảng kết quả lần 1 gửi từng đơn vị.

    Mỗi đơn vị một tệp: điểm thẩm định lần 1, nhận xét, cột giải trình bổ sung và tài liệu bổ
    sung để đơn vị điền rồi gửi lại.
    """
    from cchc.commands.council import council_feedback

    result = council_feedback(session(), year, Path(out))
    if as_json:
        echo_json(result.to_json())
        return
    click.echo(f"Năm {year}: {len(result.books)} bảng kết quả thẩm định lần 1 gửi đơn vị")
    for book in result.books:
        click.echo(f"  {book.who}: {book.rows} mục – {book.path}")


@council.command("answers")
@PATHS
@YEAR
@AS_JSON
def answers_command(paths: tuple[str, ...], year: int, as_json: bool) -> None:
    """Đọc giải trình bổ sung của đơn vị vào kho.

    Điểm không đổi; các mục có giải trình vào bảng thẩm định lần 2.
    """
    from cchc.commands.council import council_answers

    result = council_answers(session(), year, [Path(p) for p in paths])
    _stored(result, f"Năm {year}: {result.items} mục có giải trình từ {result.files} bảng", as_json)


def _stored(result: Layered, lead: str, as_json: bool) -> None:
    """What a read into the store made, its problems; exit 1 when one is an error."""
    if as_json:
        echo_json(result.to_json())
    else:
        click.echo(f"{lead}; đã lưu {result.describe()}, từ lần {result.source}")
        print_issues(result.issues[:MAX_ISSUES])
        if result.results is not None:
            click.echo(f"Kết quả: {result.results}")
    exit_on_errors(result.issues)


COMMANDS = [council]
