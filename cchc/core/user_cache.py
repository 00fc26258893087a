"""The user's cache folder for cchc, and the stamp of the code a cached result came from."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from cchc import __version__

CACHE_ENV = "CCHC_CACHE_DIR"
"""Where the cache goes instead of the user's cache folder; empty: no cache at all."""


def cache_dir(environ: Mapping[str, str] | None = None, platform: str | None = None) -> Path | None:
    """The user's cache folder for cchc: $CCHC_CACHE_DIR if set (empty: none); on Windows
    %LOCALAPPDATA%\\cchc\\Cache, on macOS ~/Library/Caches/cchc, elsewhere $XDG_CACHE_HOME/cchc
    or ~/.cache/cchc. None when there is no such folder (no home)."""
    env = os.environ if environ is None else environ
    system = sys.platform if platform is None else platform
    if CACHE_ENV in env:
        return Path(env[CACHE_ENV]) if env[CACHE_ENV] else None
    try:
        if system == "win32":
            base = env.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
            return Path(base) / "cchc" / "Cache"
        if system == "darwin":
            return Path.home() / "Library" / "Caches" / "cchc"
        xdg = env.get("XDG_CACHE_HOME", "")
        return (Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache") / "cchc"
    except RuntimeError:  # no home folder to be found
        return None


def code_stamp(rooms: tuple[str, ...]) -> str:
    """The cchc version and the size and time of every module of the rooms (packages of cchc):
    what a cached result must have been made by to be used."""
    package = Path(__file__).resolve().parent.parent
    facts = [__version__]
    for room in rooms:
        with contextlib.suppress(OSError), os.scandir(package / room) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.name.endswith(".py"):
                    stat = entry.stat()
                    facts.append(f"{room}/{entry.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return digest("\n".join(facts).encode())


def digest(data: bytes) -> str:
    """SHA-256 of the bytes, in hexadecimal."""
    return hashlib.sha256(data).hexdigest()
