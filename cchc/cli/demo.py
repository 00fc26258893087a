"""`cchc demo`: the whole season on the bundled sample data."""

from __future__ import annotations

from pathlib import Path

import click

from cchc.cli.kit import VnCommand


@click.command("demo", cls=VnCommand)
@click.argument("out", type=click.Path(file_okay=False), default="cchc-demo", metavar="THƯ_MỤC")
def demo(out: str) -> None:
    """Chạy thử toàn bộ quy trình trên dữ liệu mẫu, ghi kết quả vào THƯ_MỤC."""
    from cchc.demo.run import run_demo

    steps = run_demo(Path(out))
    for number, step in enumerate(steps, start=1):
        click.echo(f"{number}. {step.title}: {'xong' if step.ok else 'CÓ LỖI'}")
        for line in step.lines:
            click.echo(f"   {line}")
        for path in step.outputs:
            click.echo(f"   → {path}")
    if not all(step.ok for step in steps):
        raise SystemExit(1)


COMMANDS = [demo]
