"""Click in Vietnamese: headings, placeholders, errors; expected failures without tracebacks."""

from __future__ import annotations

import codecs
import contextlib
import io
import json
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NoReturn

import click

from cchc.cli import vietnamese
from cchc.core.errors import CommandError, os_error_message
from cchc.store.health import StoreError

if TYPE_CHECKING:
    from cchc.core.issues import Issue
    from cchc.core.progress import Progress

vietnamese.install()


class VnCommand(click.Command):
    """A command whose help reads in Vietnamese."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[TÙY CHỌN]")
        super().__init__(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; an expected failure of the library shows its issues and message."""
        try:
            return super().invoke(ctx)
        except CommandError as exc:
            print_issues(exc.issues)
            raise CchcError(exc.message) from exc
        except StoreError as exc:  # a store found damaged, locked or newer on any path
            raise CchcError(str(exc)) from exc
        except OSError as exc:  # a full disk, a read-only folder: one line, never a traceback
            raise CchcError(os_error_message(exc)) from exc

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = vietnamese.metavars(" ".join(self.collect_usage_pieces(ctx)))
        formatter.write_usage(ctx.command_path, pieces, prefix="Cách dùng: ")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        records = [
            (vietnamese.metavars(r[0]), r[1])
            for p in self.get_params(ctx)
            if not isinstance(p, click.Argument) and (r := p.get_help_record(ctx)) is not None
        ]
        if records:
            with formatter.section("Tùy chọn"):
                formatter.write_dl(records)


class VnGroup(VnCommand, click.Group):
    """A group whose help reads in Vietnamese, and whose subcommands do too."""

    command_class = VnCommand

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "LỆNH [THAM SỐ]...")
        super().__init__(*args, **kwargs)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run the command line, Vietnamese written whatever the locale (see utf8_streams)."""
        utf8_streams()
        return super().main(*args, **kwargs)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        VnCommand.format_options(self, ctx, formatter)
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=70)))
        if rows:
            with formatter.section("Lệnh"):
                formatter.write_dl(rows)


VnGroup.group_class = VnGroup


def utf8_streams() -> None:
    """Output to a pipe or a file becomes UTF-8 when the locale's encoding cannot write
    Vietnamese (a Windows pipe is in the ANSI code page, cp1252 in many offices); a terminal
    keeps its own encoding, with what it cannot show replaced rather than raising."""
    for stream in (sys.stdout, sys.stderr):
        if not isinstance(stream, io.TextIOWrapper):
            continue  # captured by a test runner, or already wrapped
        if codecs.lookup(stream.encoding).name == "utf-8":
            continue
        try:
            terminal = stream.isatty()
        except ValueError:
            continue  # closed
        if terminal:
            stream.reconfigure(errors="replace")
        else:
            # surrogateescape: an argument the ASCII locale could not decode goes out as the
            # bytes it came in as
            stream.reconfigure(encoding="utf-8", errors="surrogateescape")


class CchcError(click.ClickException):
    """An expected failure: shown as 'Lỗi: …', no traceback, exit code 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"Lỗi: {self.format_message()}", err=True)


def fail(message: str) -> NoReturn:
    """Stop the command with a Vietnamese error message."""
    raise CchcError(message)


@contextlib.contextmanager
def progress_bar(label: str) -> Iterator[Progress | None]:
    """A progress bar on the terminal (stderr) for a long job; None, and nothing shown, when
    the output is not a terminal (a pipe, a file, a scheduled task)."""
    try:
        terminal = sys.stderr.isatty()
    except ValueError:  # closed
        terminal = False
    if not terminal:
        yield None
        return
    with contextlib.ExitStack() as stack:
        bars: list[Any] = []

        def update(done: int, total: int) -> None:
            if not bars:
                bar = click.progressbar(length=total, label=label, file=sys.stderr, width=30)
                bars.append(stack.enter_context(bar))
            bars[0].update(done - bars[0].pos)

        yield update


def print_issues(issues: list[Issue]) -> None:
    """One line per issue: its severity, code and located message."""
    for issue in issues:
        tag = "LỖI" if issue.severity == "error" else "CẢNH BÁO"
        click.echo(f"  [{tag} {issue.code}] {issue}")


def print_some(issues: list[Issue], limit: int, workbook: object) -> None:
    """The first `limit` issues, errors before warnings, and where the rest are."""
    ordered = sorted(issues, key=lambda i: i.severity != "error")  # stable: errors first
    print_issues(ordered[:limit])
    if len(issues) > limit:
        click.echo(f"  … xem đầy đủ trong {workbook}")


def exit_on_errors(issues: list[Issue]) -> None:
    """Exit with code 1 when an error was reported (the command's output is complete)."""
    if any(i.severity == "error" for i in issues):
        raise SystemExit(1)


def echo_json(data: Any) -> None:
    """Print a result as JSON (UTF-8, not escaped)."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))
