"""What the commands share on the command line: common options, the session, printing issues."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from cchc.cli.kit import print_issues

if TYPE_CHECKING:
    from cchc.commands.session import Session

YEAR = click.option("--year", type=int, required=True, help="Năm đánh giá.")


def out_folder(what: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--out DIR` (default: the current folder) for a command writing `what`."""
    return click.option(
        "--out",
        type=click.Path(file_okay=False),
        default=".",
        show_default=True,
        help=f"Thư mục ghi {what}.",
    )


JSON_HELP = "In kết quả dạng JSON."
AS_JSON = click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
UNITS_FILE = click.option(
    "--units", type=click.Path(exists=True, dir_okay=False), help="Danh sách đơn vị."
)
EXTRA_SETS = click.option(
    "--set", "sets", multiple=True, help="Bộ tiêu chí (mã hoặc YAML) ngoài bộ kèm theo."
)
RESULT = click.option(
    "--result",
    type=click.Choice(["official", "cchc"]),
    help=(
        "Kết quả của năm: official (kết quả chính thức đã nhập bằng 'cchc results import') "
        "hoặc cchc (kết quả cchc chấm); mặc định: kết quả chính thức nếu năm đó đã nhập."
    ),
)
JOBS = click.option(
    "--jobs",
    type=click.IntRange(min=1),
    help="Số tiến trình chạy song song (mặc định: bằng số lõi CPU).",
)


def session(units: str | None = None, sets: tuple[str, ...] = ()) -> Session:
    """The session of the current folder, with the --units and --set options given."""
    from cchc.commands.session import Session

    return Session.here(units=units, sets=sets)


def notices(current: Session) -> None:
    """Print (once) what the session found on the way that did not stop the command."""
    print_issues(current.notices)
    current.notices.clear()
