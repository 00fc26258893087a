"""What reading each workbook of a folder found, kept per user between runs.

An officer runs `cchc check` on the returned workbooks, then `cchc score` on the same folder:
without this, score reads and checks every workbook again (10 s of a 3,321-commune score, two
thirds of it). Each workbook's reading (its Submission as the reader made it, before any
evidence check) is kept in the user's cache folder, one file per folder and year, under the
SHA-256 of the file's bytes, the set it was read against (its set_hash) and its path; the file
as a whole is kept under the cchc version and code that read it, the year and the registry's
unit codes and groups (a default set counts through each reading's set: `check` has none,
`score` the workspace's, and a workbook naming its set is read once for both). A
reading is used again only when all of them are the same: any change to the workbook, its set,
the registry or cchc reads it again.

The cache is only a shortcut, like the sets' (`criteria.catalog`): one that is missing, damaged,
stale or cannot be written is ignored and every workbook is read. It is written with pickle,
in the user's own cache folder (`core.user_cache.cache_dir`; $CCHC_CACHE_DIR empty: none), never
beside the workbooks: only cchc, run by that user, writes it.
"""

from __future__ import annotations

import contextlib
import pickle
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cchc.core.errors import CommandError
from cchc.core.fileio import write_bytes
from cchc.core.user_cache import cache_dir, code_stamp, digest
from cchc.criteria.model import CriteriaSet
from cchc.criteria.registry import SetNotFound
from cchc.scoring.submission import Submission
from cchc.templates.layout import set_hash
from cchc.units.model import Unit

SetFinder = Callable[[str, int | None], CriteriaSet]
FORMAT = 1
FOLDER = "readings"
READER = ("core", "readers", "criteria", "units", "scoring", "templates")
"""The packages whose code decides a reading: a change to any of them reads every file again."""
LARGEST = 1 << 30
"""A cache file past this is not read (a folder of 3,321 communes keeps about 31 MB)."""


def set_ref(meta: Mapping[str, str], default: tuple[str, int] | None) -> tuple[str, int | None]:
    """The set a workbook is read against: its _meta's, else the default (id '' when none)."""
    set_id = meta.get("set_id") or (default[0] if default else None) or ""
    year = meta.get("set_year") or (str(default[1]) if default else None)
    return set_id, int(year) if year and year.isdigit() else None


@dataclass(frozen=True)
class _Reading:
    sha256: str
    set_hash: str | None
    blob: bytes


@dataclass
class Kept:
    """The kept readings of one folder and year, and those of this run, to be kept next."""

    path: Path | None
    context: str
    find: SetFinder
    default_set: tuple[str, int] | None
    known: dict[str, _Reading] = field(default_factory=dict)
    fresh: dict[str, _Reading] = field(default_factory=dict)
    _hashes: dict[tuple[str, int | None], str | None] = field(default_factory=dict)

    def take(self, path: Path) -> Submission | None:
        """The workbook's kept reading, if the file, its set and cchc are as they were."""
        reading = self.known.get(str(path))
        if reading is None:
            return None
        try:
            same = digest(path.read_bytes()) == reading.sha256
        except OSError:
            return None
        if not same:
            return None
        try:
            sub = pickle.loads(reading.blob)
        except Exception:  # a damaged entry: read the file
            return None
        if not isinstance(sub, Submission) or self._set_hash(sub) != reading.set_hash:
            return None
        self.fresh[str(path)] = reading
        return sub

    def keep(self, sub: Submission, blob: bytes) -> None:
        """Keep a reading made in this run (`blob`: the Submission pickled as read)."""
        if sub.sha256 is not None:
            self.fresh[sub.file] = _Reading(sub.sha256, self._set_hash(sub), blob)

    def save(self) -> None:
        """Write this run's readings in place of the kept ones, when they differ; a cache that
        cannot be written is left as it was."""
        if self.path is None or self.fresh == self.known:
            return
        entries = {name: (r.sha256, r.set_hash, r.blob) for name, r in self.fresh.items()}
        data = pickle.dumps(
            {"format": FORMAT, "context": self.context, "entries": entries},
            protocol=pickle.HIGHEST_PROTOCOL,
        )
        with contextlib.suppress(OSError, CommandError):  # read-only, full, held open: no cache
            write_bytes(self.path, data, tries=1)

    def _set_hash(self, sub: Submission) -> str | None:
        """The set_hash of the set the workbook is read against; None when there is none."""
        ref = set_ref(sub.meta, self.default_set)
        if ref not in self._hashes:
            try:
                self._hashes[ref] = set_hash(self.find(*ref)) if ref[0] else None
            except SetNotFound:
                self._hashes[ref] = None
        return self._hashes[ref]


def kept(
    folder: Path,
    year: int | None,
    registry: Mapping[str, Unit],
    find: SetFinder,
    default_set: tuple[str, int] | None,
) -> Kept:
    """The readings kept for the folder and year (none when the cache is off or stale)."""
    units = sorted((u.code, u.group or "") for u in registry.values())
    context = digest(repr((code_stamp(READER), year, units)).encode())
    cache = cache_dir()
    if cache is None:
        return Kept(None, context, find, default_set)
    path = cache / FOLDER / f"{digest(str(folder.resolve()).encode())[:20]}-{year or 'all'}.pickle"
    return Kept(path, context, find, default_set, _load(path, context))


def _load(path: Path, context: str) -> dict[str, _Reading]:
    try:
        if path.stat().st_size > LARGEST:
            return {}
        data = pickle.loads(path.read_bytes())
    except Exception:  # missing, unreadable, damaged, or from another cchc
        return {}
    fresh = (
        isinstance(data, dict)
        and data.get("format") == FORMAT
        and data.get("context") == context
        and isinstance(data.get("entries"), dict)
    )
    if not fresh:
        return {}
    found = {}
    for name, entry in data["entries"].items():
        if isinstance(name, str) and isinstance(entry, tuple) and len(entry) == 3:
            sha256, hashed, blob = entry
            if isinstance(sha256, str) and isinstance(blob, bytes):
                found[name] = _Reading(sha256, hashed if isinstance(hashed, str) else None, blob)
    return found
