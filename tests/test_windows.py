"""The containment, lock and interruption tests once more, in an interpreter that lacks what
Windows lacks: no fcntl, no os.fork, no SIGALRM, multiprocessing with `spawn` only.

tests/windows/sitecustomize.py takes these away at start-up, before cchc is imported, in every
process of the run (the spawned workers and the `cchc` commands the tests start included).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
SHIM = Path(__file__).parent / "windows"
SIMULATED = [
    "tests/test_fileio.py",
    "tests/test_parallel.py",
    "tests/test_hostile.py",
    "tests/test_hostile_xls.py",
    "tests/test_interrupt.py",
]


def simulated() -> dict[str, str]:
    """The environment of a process that simulates Windows (and of its children)."""
    path = os.pathsep.join(p for p in (str(SHIM), os.environ.get("PYTHONPATH")) if p)
    return os.environ | {"CCHC_SIMULATE_WINDOWS": "1", "PYTHONPATH": path}


PROBE = """
import json, multiprocessing, os, signal
try:
    import fcntl
    has_fcntl = True
except ImportError:
    has_fcntl = False
from cchc.core import locks, parallel
import cchc.cli.main
print(json.dumps({
    "fcntl": has_fcntl, "fork": hasattr(os, "fork"), "alarm": hasattr(signal, "SIGALRM"),
    "methods": multiprocessing.get_all_start_methods(), "start": parallel.start_method(),
    "flock": locks.HAVE_FLOCK,
}))
"""


def test_the_simulation_takes_away_what_windows_lacks() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=simulated(), capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout) == {
        "fcntl": False,
        "fork": False,
        "alarm": False,
        "methods": ["spawn"],
        "start": "spawn",
        "flock": False,
    }


@pytest.mark.simulated_windows
@pytest.mark.skipif(os.environ.get("CCHC_SIMULATE_WINDOWS") == "1", reason="already simulated")
def test_containment_and_interruption_hold_without_fork_fcntl_or_sigalrm(tmp_path: Path) -> None:
    inner = ["-q", "-p", "no:cacheprovider", f"--basetemp={tmp_path / 'run'}", *SIMULATED]
    command = [sys.executable, "-m", "pytest", *inner]
    done = subprocess.run(command, cwd=ROOT, env=simulated(), capture_output=True, text=True)
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]


@pytest.mark.parametrize(
    "locale",
    [
        {"LANG": "C", "LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"},  # ASCII
        {"PYTHONIOENCODING": "cp1252"},  # a Windows pipe: the ANSI code page
    ],
)
def test_vietnamese_reaches_a_pipe_whatever_the_locale(locale: dict[str, str]) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONIOENCODING"} | locale
    for args in (["criteria", "list"], ["criteria", "show", "không-có"]):
        done = subprocess.run(
            [sys.executable, "-m", "cchc.cli", *args], env=env, capture_output=True, check=False
        )
        assert done.returncode == (0 if args[1] == "list" else 2), done.stderr.decode()
        text = (done.stdout + done.stderr).decode("utf-8")
        assert "Bộ tiêu chí" in text or "Lỗi: không tìm thấy bộ tiêu chí 'không-có'" in text
