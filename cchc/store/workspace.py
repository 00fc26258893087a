"""A workspace folder: cchc.toml, the criteria sets in use, the units registry and cchc.db."""

from __future__ import annotations

import sqlite3
import unicodedata
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cchc import __version__
from cchc.criteria.catalog import bundled_dir

if TYPE_CHECKING:  # opening a workspace is part of every command, `criteria list` too: no
    # pydantic, YAML or SQLite store code until a workspace's sets, units or store are read
    from cchc.core.issues import Issue
    from cchc.criteria.model import CriteriaSet
    from cchc.criteria.registry import SetEntry
    from cchc.units.model import UnitRegistry

CONFIG_NAME = "cchc.toml"
DB_NAME = "cchc.db"
SETS_DIR = "sets"
UNITS_NAME = "don-vi.yaml"
CONFIG_VERSION = 1


class WorkspaceError(Exception):
    """A workspace that cannot be created or opened; the message is in Vietnamese."""


@dataclass(frozen=True)
class Workspace:
    """An opened workspace folder and its settings."""

    root: Path
    province: str
    default_sets: tuple[str, ...]
    units_path: Path

    @property
    def config_path(self) -> Path:
        """The cchc.toml file."""
        return self.root / CONFIG_NAME

    @property
    def sets_dir(self) -> Path:
        """The folder of the criteria YAML files in use."""
        return self.root / SETS_DIR

    @property
    def db_path(self) -> Path:
        """The SQLite store."""
        return self.root / DB_NAME

    def sets(self) -> list[SetEntry]:
        """The criteria sets in the workspace's sets folder, loaded and checked."""
        from cchc.criteria.registry import scan

        return scan([self.sets_dir]) if self.sets_dir.is_dir() else []

    def load_units(self) -> tuple[UnitRegistry | None, list[Issue]]:
        """Load the units registry, checking groups and set ids against the workspace's sets."""
        from cchc.units.read import load_units

        sets = [e.loaded.set for e in self.sets() if e.loaded.set is not None]
        groups = {code for s in sets for code in s.groups}
        return load_units(self.units_path, groups or None, {s.id for s in sets} or None)


# --- cchc.toml ----------------------------------------------------------------------------------


def _quote(text: str) -> str:
    """A double-quoted string, valid in both TOML and YAML."""
    escaped = []
    for char in text:
        if char in '"\\':
            escaped.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\u{ord(char):04X}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def _config_text(province: str, sets: list[str], units: str) -> str:
    set_list = ", ".join(_quote(s) for s in sets)
    return (
        "# Không gian làm việc cchc: tỉnh, bộ tiêu chí mặc định, danh sách đơn vị.\n"
        f"version = {CONFIG_VERSION}\n"
        f"province = {_quote(province)}\n"
        f"default_sets = [{set_list}]\n"
        f"units = {_quote(units)}\n"
    )


CONFIG_MAX_BYTES = 64 * 1024
"""cchc.toml holds a few lines; a larger one is not parsed."""


def _read_config(path: Path) -> dict[str, Any]:
    import tomllib  # here: `criteria list` outside a workspace has no TOML to read

    try:
        with path.open("rb") as handle:
            data = handle.read(CONFIG_MAX_BYTES + 1)
        if len(data) > CONFIG_MAX_BYTES:
            raise WorkspaceError(f"{path} lớn hơn {CONFIG_MAX_BYTES // 1024} KB, không đọc")
        return tomllib.loads(data.decode("utf-8"))
    except OSError as exc:
        raise WorkspaceError(f"không đọc được {path}: {exc.strerror}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise WorkspaceError(f"{path} không đúng cú pháp TOML: {exc}") from exc
    except RecursionError as exc:  # tomllib recurses once per level of nesting
        raise WorkspaceError(f"{path} lồng nhau quá sâu, không đọc") from exc


def _text_value(config: dict[str, Any], key: str, path: Path) -> str:
    value = config.get(key)
    if not isinstance(value, str) or not value.strip():
        raise WorkspaceError(f"{path}: thiếu '{key}' hoặc '{key}' không phải văn bản")
    return unicodedata.normalize("NFC", value.strip())


def _sets_value(config: dict[str, Any], path: Path) -> tuple[str, ...]:
    value = config.get("default_sets", [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise WorkspaceError(f"{path}: 'default_sets' cần là danh sách mã bộ tiêu chí")
    return tuple(unicodedata.normalize("NFC", v.strip()) for v in value)


def open_workspace(folder: str | Path) -> Workspace:
    """Open the workspace whose cchc.toml is in the folder."""
    root = Path(folder).resolve()
    path = root / CONFIG_NAME
    if not path.is_file():
        raise WorkspaceError(
            f"thư mục {root} không phải không gian làm việc cchc (thiếu {CONFIG_NAME})"
        )
    config = _read_config(path)
    version = config.get("version", CONFIG_VERSION)
    if not isinstance(version, int) or version > CONFIG_VERSION:
        raise WorkspaceError(f"{path}: phiên bản {version} mới hơn phiên bản cchc này hỗ trợ")
    units = Path(_text_value(config, "units", path))
    return Workspace(
        root=root,
        province=_text_value(config, "province", path),
        default_sets=_sets_value(config, path),
        units_path=units if units.is_absolute() else root / units,
    )


def find_workspace(start: str | Path) -> Path | None:
    """The nearest folder holding cchc.toml, from start upwards; None if there is none."""
    here = Path(start).resolve()
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


def workspace_at(start: str | Path) -> Workspace | None:
    """The workspace of a folder or of one of its parents, opened; None outside any."""
    root = find_workspace(start)
    return open_workspace(root) if root is not None else None


def set_folders(workspace: Workspace | None) -> list[Path]:
    """Where sets are looked for: the workspace's sets folder first, then the bundled sets."""
    return [workspace.sets_dir, bundled_dir()] if workspace is not None else [bundled_dir()]


# --- init ---------------------------------------------------------------------------------------


def _resolve_sets(refs: list[str]) -> dict[str, list[SetEntry]]:
    """The bundled set files of each id asked for (every year), or the YAML file named, by id."""
    from cchc.criteria.loader import load_file
    from cchc.criteria.registry import SetEntry, scan

    bundled = [e for e in scan() if e.loaded.ok and e.loaded.set is not None]
    found: dict[str, list[SetEntry]] = {}
    for ref in refs:
        if ref.endswith((".yaml", ".yml")) or Path(ref).is_file():
            own = load_file(ref)
            if not own.ok or own.set is None:
                problems = "; ".join(str(i) for i in own.issues if i.severity == "error")
                raise WorkspaceError(f"bộ tiêu chí {ref} có lỗi, không thêm được: {problems}")
            found.setdefault(own.set.id, []).append(SetEntry(Path(ref), own))
            continue
        wanted = unicodedata.normalize("NFC", ref.strip())
        entries = [e for e in bundled if e.loaded.set is not None and e.loaded.set.id == wanted]
        if not entries:
            known = (
                ", ".join(sorted({e.loaded.set.id for e in bundled if e.loaded.set})) or "không có"
            )
            raise WorkspaceError(f"không có bộ tiêu chí '{ref}' trong các bộ kèm theo ({known})")
        found.setdefault(wanted, entries)
    return found


_SAMPLE_PLACES = ("Tân Lập", "Bình An", "Hòa Bình")


def _sample_units(criteria: CriteriaSet) -> str:
    """A sample units file for the first set: a few units of its groups."""
    groups = list(criteria.groups.items()) or [(criteria.level, "Đơn vị")]
    lines = [
        "# Danh sách đơn vị được chấm điểm (MẪU): sửa lại theo các đơn vị của tỉnh.",
        "# code: mã đơn vị (duy nhất, nên đặt trong dấu nháy); name: tên đơn vị;",
        f"# group: nhóm xếp hạng ({', '.join(code for code, _ in groups)});",
        "# set: mã bộ tiêu chí dùng để chấm; ranked: false nếu không đưa vào xếp hạng.",
        "units:",
    ]
    for index, place in enumerate(_SAMPLE_PLACES):
        code, label = groups[index % len(groups)]
        lines += [
            f"  - code: {_quote(f'{code.upper()}-{index + 1:02d}')}",
            f"    name: {_quote(f'{label} {place}')}",
            f"    group: {_quote(code)}",
            f"    set: {_quote(criteria.id)}",
        ]
    return "\n".join(lines) + "\n"


def _create_db(target: Path) -> None:
    """An empty store (every table, no rows), written atomically."""
    from cchc.core.fileio import atomic_path
    from cchc.store import db as store
    from cchc.store.health import sweep_orphans

    created = datetime.now(UTC).isoformat(timespec="seconds")
    with atomic_path(target) as tmp:
        store.create(tmp, {"created_at": created, "created_by": f"cchc {__version__}"})
    sweep_orphans(target.parent)


def _refuse_existing(root: Path, copies: dict[Path, Path], units_text: str) -> None:
    """Refuse a workspace, or files init would overwrite, except what an interrupted init left.

    init writes cchc.toml last: without it, set copies equal to their source, the sample units
    file and a store holding nothing are an earlier init's, killed before the end.
    """
    if (root / CONFIG_NAME).exists():
        raise WorkspaceError(f"thư mục {root} đã là không gian làm việc cchc (đã có {CONFIG_NAME})")
    targets = [*copies, root / UNITS_NAME, root / DB_NAME]
    existing = [
        str(target.relative_to(root))
        for target in targets
        if target.exists() and not _left_by_init(target, copies, units_text)
    ]
    if existing:
        raise WorkspaceError(f"thư mục {root} đã có {', '.join(existing)}; không ghi đè")


def _left_by_init(target: Path, copies: dict[Path, Path], units_text: str) -> bool:
    """The file is what init writes there: a set's copy, the sample units, an empty store."""
    if not target.is_file():
        return False
    if target in copies:
        return target.read_bytes() == copies[target].read_bytes()
    if target.name == UNITS_NAME:
        return target.read_text(encoding="utf-8") == units_text
    return _holds_nothing(target)


def _holds_nothing(path: Path) -> bool:
    """A store with no run, survey, official result or source: nothing to lose."""
    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
            tables = ("runs", "survey", "official", "sources")
            return not any(db.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() for t in tables)
    except sqlite3.Error:
        return False


def init_workspace(folder: str | Path, province: str, sets: list[str]) -> Workspace:
    """Create a workspace: cchc.toml, the sets copied in, a sample units file and an empty store."""
    import shutil

    from cchc.core.fileio import atomic_path, write_text
    from cchc.criteria.registry import require

    root = Path(folder).resolve()
    province = unicodedata.normalize("NFC", province.strip())
    if not province:
        raise WorkspaceError("cần tên tỉnh (province)")
    if not sets:
        raise WorkspaceError("cần ít nhất một bộ tiêu chí")
    chosen = _resolve_sets(sets)
    copies = {root / SETS_DIR / e.path.name: e.path for es in chosen.values() for e in es}
    latest = max(next(iter(chosen.values())), key=lambda e: require(e.loaded).year)
    units_text = _sample_units(require(latest.loaded))
    _refuse_existing(root, copies, units_text)
    for target, source in copies.items():
        with atomic_path(target) as tmp:
            shutil.copyfile(source, tmp)
    write_text(root / UNITS_NAME, units_text)
    _create_db(root / DB_NAME)
    write_text(root / CONFIG_NAME, _config_text(province, list(chosen), UNITS_NAME))
    return open_workspace(root)
