"""LibreOffice as a real client in the tests: open a file headless and save it as another format."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

SOFFICE = shutil.which("soffice")


def convert(source: Path, target_format: str, out: Path) -> Path:
    """Let LibreOffice open (and recalculate) `source`, save it as `target_format` into `out`."""
    assert SOFFICE is not None
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            SOFFICE,
            # The profile stays beside `out`, so `out` holds only the converted file.
            f"-env:UserInstallation=file://{out.parent / (out.name + '-profile')}",
            "--headless",
            "--norestore",
            "--convert-to",
            target_format,
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    saved = out / f"{source.stem}.{target_format.split(':')[0]}"
    assert saved.is_file()
    return saved
