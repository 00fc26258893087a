"""Refresh requirements.lock: resolve the newest versions pyproject.toml allows, show what changed.

Run `python tools/refresh_lock.py`, then the README's test command; commit the lock only if it
passes.
"""

from __future__ import annotations

import difflib
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
HEADER = (
    "# Exact versions the test suite was run with (pip constraints).\n"
    "# Install: pip install -c requirements.lock -e '.[dev]'\n"
    "# Refresh: python tools/refresh_lock.py\n"
)


def resolve() -> list[str]:
    """Install the project with its dev extras into a fresh venv; return `pip freeze` lines."""
    with tempfile.TemporaryDirectory() as folder:
        venv.create(folder, with_pip=True)
        bindir = "Scripts" if sys.platform == "win32" else "bin"
        pip = [str(Path(folder) / bindir / "python"), "-m", "pip"]
        subprocess.run([*pip, "install", "-q", f"{ROOT}[dev]"], check=True)
        frozen = subprocess.run(
            [*pip, "freeze", "--exclude", "cchc"], check=True, capture_output=True, text=True
        ).stdout
    return sorted(
        (line for line in frozen.splitlines() if line and line[0] not in "#-"), key=str.casefold
    )


def main() -> int:
    """Write the new lock and print a diff against the old one."""
    old = LOCK.read_text(encoding="utf-8").splitlines() if LOCK.exists() else []
    new = HEADER.splitlines() + resolve()
    sys.stdout.writelines(line + "\n" for line in difflib.unified_diff(old, new, lineterm=""))
    LOCK.write_text("\n".join(new) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
