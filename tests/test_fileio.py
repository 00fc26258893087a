"""Locks and the final rename of an output, on Linux and as on Windows (tests/test_windows.py)."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from cchc.core import fileio
from cchc.core.fileio import OutputInUse, write_text
from cchc.core.locks import holding, try_lock

HOLDER = """
import os, sys, time
from cchc.core.locks import try_lock
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
print(try_lock(fd), flush=True)
time.sleep(60)
"""


def test_a_lock_is_refused_while_its_process_lives_and_freed_when_it_dies(tmp_path: Path) -> None:
    path = tmp_path / "khoa"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline() == "True\n"
    fd = os.open(path, os.O_RDWR)
    try:
        assert try_lock(fd) is False
        holder.kill()
        holder.wait()
        with holding(fd) as locked:
            assert locked is True
            other = os.open(path, os.O_RDWR)  # another open file, as another writer's
            assert try_lock(other) is False
            os.close(other)
    finally:
        os.close(fd)


def test_a_target_held_open_elsewhere_is_replaced_once_it_is_free(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refusals = [PermissionError(13, "The process cannot access the file")] * 2
    replace = os.replace

    def held_twice(src: str, dst: Path) -> None:  # what Windows does while Excel has it open
        if refusals:
            raise refusals.pop()
        replace(src, dst)

    monkeypatch.setattr(fileio, "REPLACE_PAUSE", 0)
    monkeypatch.setattr(os, "replace", held_twice)
    target = write_text(tmp_path / "ket-qua.txt", "mới")
    assert target.read_text(encoding="utf-8") == "mới" and refusals == []
    assert [p.name for p in tmp_path.iterdir()] == ["ket-qua.txt"]


def test_a_target_held_open_for_good_stops_the_command_with_its_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def held(src: str, dst: Path) -> None:
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(fileio, "REPLACE_PAUSE", 0)
    monkeypatch.setattr(os, "replace", held)
    (tmp_path / "ket-qua.xlsx").write_text("cũ", encoding="utf-8")
    with pytest.raises(OutputInUse) as raised:
        write_text(tmp_path / "ket-qua.xlsx", "mới")
    assert [i.code for i in raised.value.issues] == ["output_in_use"]
    assert str(tmp_path / "ket-qua.xlsx") in raised.value.message
    assert "đang mở trong chương trình khác" in raised.value.message
    assert pickle.loads(pickle.dumps(raised.value)).message == raised.value.message  # from workers
    assert (tmp_path / "ket-qua.xlsx").read_text(encoding="utf-8") == "cũ"
    assert [p.name for p in tmp_path.iterdir()] == ["ket-qua.xlsx"]  # no temporary file left


def test_bytes_written_through_the_temporary_file_replace_the_target_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """write_bytes writes through the temporary file's own descriptor: the target gets every
    byte (os.write may take them in pieces) with the permissions of any output, and a failure
    midway leaves the old target and no temporary file."""
    target = tmp_path / "ke-hoach.docx"
    target.write_bytes(b"old")
    real = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real(fd, bytes(data[:1000])))
    data = bytes(range(256)) * 40  # 10,240 bytes: eleven writes
    assert fileio.write_bytes(target, data) == target
    assert target.read_bytes() == data
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_umask())

    def broken(fd: int, data: bytes) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", broken)
    with pytest.raises(OSError):
        fileio.write_bytes(target, b"new")
    assert target.read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ke-hoach.docx"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
