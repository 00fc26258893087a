"""Long commands show a progress bar on a terminal, and nothing of it in a pipe or a file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cchc.core.progress import counted
from tests.test_cli import run

CCHC = [sys.executable, "-m", "cchc.cli"]


def test_counted_reports_each_item_taken() -> None:
    heard: list[tuple[int, int]] = []
    assert list(counted(iter("abc"), 3, lambda done, total: heard.append((done, total)))) == [
        "a",
        "b",
        "c",
    ]
    assert heard == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert list(counted("xy", 2, None)) == ["x", "y"]


def _on_a_terminal(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """Run cchc with stderr on a pseudo-terminal and stdout on a pipe: (code, stdout, tty)."""
    pty = pytest.importorskip("pty")  # POSIX; Windows consoles are not pseudo-terminals
    master, slave = pty.openpty()
    env = {**os.environ, "COLUMNS": "100"}
    proc = subprocess.Popen([*CCHC, *args], cwd=cwd, stdout=subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    out, _ = proc.communicate(timeout=300)
    os.close(master)
    return proc.returncode, out.decode(), seen.decode(errors="replace")


def test_template_and_check_show_progress_on_a_terminal_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("init", str(tmp_path / "ws"), "--province", "Tỉnh Thử")[0] == 0
    ws = tmp_path / "ws"
    code, out, tty = _on_a_terminal(["template", "--set", "cchc-xa", "--out", "nop"], ws)
    assert code == 0 and out.startswith("Đã tạo ") and "sổ tự đánh giá trong nop" in out
    assert "Tạo sổ" in tty and "100%" in tty
    assert "Tạo sổ" not in out  # the bar goes to the terminal, not into what is piped
    code, out, tty = _on_a_terminal(["check", "nop", "--year", "2024", "--out", "ra"], ws)
    assert code == 1 and out.startswith("Đã đọc ")
    assert "Đọc sổ" in tty and "100%" in tty
    piped = subprocess.run(
        [*CCHC, "check", "nop", "--year", "2024", "--out", "ra"],
        cwd=ws,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert piped.returncode == 1 and "Đọc sổ" not in piped.stderr + piped.stdout
