"""The summaries of the criteria sets in some folders, cached per user, for `cchc criteria list`.

Reading and checking a set (YAML with line numbers, then pydantic) takes a tenth of a second
each; when no file has changed, the listing comes from a JSON file instead, and neither YAML
nor pydantic is imported. One cache file per folder of sets holds, for each of its YAML files,
the summary and whether the set passed its check, under the file's size, modification time and
SHA-256, and the cchc version and code that checked it: any change to the file or to cchc reads
the file again. The cache is only a shortcut: one that is missing, damaged, unreadable or cannot
be written is ignored and the sets are read in full; a set that fails its check is kept as such.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from cchc.core.user_cache import code_stamp
from cchc.core.user_cache import digest as _digest

CACHE_FORMAT = 1
LARGEST_CACHED = 5 * 1024 * 1024
"""Files past this (the loader refuses them) are read every time, as before."""
CHECKER = ("criteria", "readers", "core")
"""The packages whose code decides a set's summary and check: a change to them reads again."""
INFO_TYPES = {
    "id": str,
    "year": int,
    "title": str,
    "level": str,
    "status": str,
    "scale": str,
    "leaves": int,
}
"""The facts `summary.set_info` gives, in its order: what a cached summary must hold."""


def bundled_dir() -> Path:
    """The folder of the sets shipped with cchc (beside this module, in the package)."""
    return Path(__file__).parent / "sets"


def summaries(folders: list[Path], cache: Path | None) -> list[dict[str, Any]]:
    """Every YAML set of the folders in name order (as `registry.scan` finds them): the facts
    `summary.set_info` gives (only `id`, None, for a set that does not load), its path and
    whether it passed its check (`ok`)."""
    stamp = _checker_stamp() if cache is not None else ""
    rows: list[dict[str, Any]] = []
    for folder in folders:
        rows += _folder_rows(folder, cache, stamp)
    return rows


def _folder_rows(folder: Path, cache: Path | None, stamp: str) -> list[dict[str, Any]]:
    store = cache / f"sets-{_digest(str(folder.resolve()).encode())[:20]}.json" if cache else None
    known = _read_cache(store, stamp) if store is not None else {}
    kept: dict[str, Any] = {}
    rows = []
    for path in sorted(folder.glob("*.yaml")):
        raw, key = _contents(path)
        entry = known.get(path.name)
        if key is None or not isinstance(entry, dict) or entry.get("key") != key:
            entry = _read_set(path, raw)
        if key is not None:
            kept[path.name] = {**entry, "key": key}
        rows.append({**entry["info"], "path": str(path), "ok": entry["ok"]})
    if store is not None and kept != known:
        _write_cache(store, stamp, kept)
    return rows


def _contents(path: Path) -> tuple[bytes | None, dict[str, Any] | None]:
    """The file's bytes and the key it is cached under; (None, None) when it is not read here
    (too large, unreadable: the loader says why)."""
    try:
        stat = path.stat()
        if stat.st_size > LARGEST_CACHED:
            return None, None
        raw = path.read_bytes()
    except OSError:
        return None, None
    key = {"size": len(raw), "mtime_ns": stat.st_mtime_ns, "sha256": _digest(raw)}
    return raw, key


def _read_set(path: Path, raw: bytes | None) -> dict[str, Any]:
    """Read and check the set in full: its summary and whether it passed."""
    from cchc.criteria.loader import load_bytes, load_file
    from cchc.criteria.summary import set_info

    loaded = load_file(path) if raw is None else load_bytes(raw, str(path))
    info = set_info(loaded.set) if loaded.set is not None else {"id": None}
    return {"info": info, "ok": loaded.ok}


def _read_cache(store: Path, stamp: str) -> dict[str, Any]:
    """The folder's cached entries by file name; empty when missing, damaged or stale."""
    try:
        data = json.loads(store.read_bytes())
    except (OSError, ValueError, RecursionError):
        return {}
    fresh = (
        isinstance(data, dict)
        and data.get("format") == CACHE_FORMAT
        and data.get("checker") == stamp
        and isinstance(data.get("sets"), dict)
    )
    if not fresh:
        return {}
    return {
        name: entry
        for name, entry in data["sets"].items()
        if isinstance(entry, dict) and _well_formed(entry)
    }


def _well_formed(entry: dict[str, Any]) -> bool:
    """A cached entry as `_folder_rows` writes it: a key, a summary of the right facts and types
    (in their order), whether the set passed."""
    info = entry.get("info")
    if not isinstance(entry.get("key"), dict) or type(entry.get("ok")) is not bool:
        return False
    if info == {"id": None}:
        return entry["ok"] is False
    return (
        isinstance(info, dict)
        and list(info) == list(INFO_TYPES)
        and all(type(info[name]) is kind for name, kind in INFO_TYPES.items())
    )


def _write_cache(store: Path, stamp: str, entries: dict[str, Any]) -> None:
    """Replace the folder's cache file whole; any failure leaves the cache as it was."""
    from cchc.core.errors import CommandError
    from cchc.core.fileio import write_text

    data = {"format": CACHE_FORMAT, "checker": stamp, "sets": entries}
    with contextlib.suppress(OSError, CommandError):  # read-only, full, held open: no cache
        write_text(store, json.dumps(data, ensure_ascii=False), tries=1)


def _checker_stamp() -> str:
    """The stamp of the code that reads and checks a set (`core.user_cache.code_stamp`)."""
    return code_stamp(CHECKER)
