"""The Windows memory cap of a contained worker, against stand-ins for kernel32 and psapi: the
calls made, in order, and the limit they carry (the real DLLs exist only on Windows)."""

from __future__ import annotations

import ctypes
from typing import Any

import pytest

from cchc.core import parallel, winjob

MIB = 1 << 20


class Fake:
    """kernel32 and psapi in one: records every call, answers as told."""

    def __init__(self, committed: int = 300 * MIB, refuse: str = "") -> None:
        self.calls: list[tuple[str, Any]] = []
        self.committed = committed
        self.refuse = refuse

    def _answer(self, name: str) -> int:
        return 0 if name == self.refuse else 1

    def GetCurrentProcess(self) -> int:
        return -1  # the pseudo-handle of the current process

    def CreateJobObjectW(self, attributes: object, name: object) -> int:
        self.calls.append(("CreateJobObjectW", (attributes, name)))
        return 0 if self.refuse == "CreateJobObjectW" else 77

    def SetInformationJobObject(self, job: int, kind: int, info: Any, size: int) -> int:
        limits = ctypes.cast(info, ctypes.POINTER(winjob.ExtendedLimits)).contents
        flags = limits.BasicLimitInformation.LimitFlags
        self.calls.append(
            ("SetInformationJobObject", (job, kind, flags, limits.ProcessMemoryLimit, size))
        )
        return self._answer("SetInformationJobObject")

    def AssignProcessToJobObject(self, job: int, process: int) -> int:
        self.calls.append(("AssignProcessToJobObject", (job, process)))
        return self._answer("AssignProcessToJobObject")

    def GetProcessMemoryInfo(self, process: int, counters: Any, size: int) -> int:
        got = ctypes.cast(counters, ctypes.POINTER(winjob.MemoryCounters)).contents
        assert got.cb == size == ctypes.sizeof(winjob.MemoryCounters)
        got.PagefileUsage = self.committed
        return self._answer("GetProcessMemoryInfo")


def test_the_worker_is_capped_at_what_it_committed_plus_the_budget() -> None:
    fake = Fake(committed=300 * MIB)
    assert winjob.cap_memory(4 << 30, fake, fake)
    size = ctypes.sizeof(winjob.ExtendedLimits)
    assert fake.calls == [
        ("CreateJobObjectW", (None, None)),
        ("SetInformationJobObject", (77, 9, 0x100, 300 * MIB + (4 << 30), size)),
        ("AssignProcessToJobObject", (77, -1)),
    ]
    # The documented 64-bit layout: 144 bytes (BASIC 64 + IO_COUNTERS 48 + four sizes).
    if ctypes.sizeof(ctypes.c_void_p) == 8:
        assert size == 144 and ctypes.sizeof(winjob.MemoryCounters) == 72


@pytest.mark.parametrize(
    ("refused", "made"),
    [
        ("CreateJobObjectW", ["CreateJobObjectW"]),
        ("SetInformationJobObject", ["CreateJobObjectW", "SetInformationJobObject"]),
        (
            "AssignProcessToJobObject",
            ["CreateJobObjectW", "SetInformationJobObject", "AssignProcessToJobObject"],
        ),
    ],
)
def test_a_refusal_leaves_the_worker_uncapped(refused: str, made: list[str]) -> None:
    fake = Fake(refuse=refused)
    assert winjob.cap_memory(1 << 30, fake, fake) is False
    assert [name for name, _ in fake.calls] == made  # nothing more is tried after a refusal


def test_unknown_commit_caps_at_the_budget_alone() -> None:
    fake = Fake(refuse="GetProcessMemoryInfo")
    assert winjob.cap_memory(1 << 30, fake, fake)
    assert fake.calls[1][1][3] == 1 << 30


def test_a_worker_without_resource_goes_to_the_job_object(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where `resource` cannot be imported (Windows), the worker asks for the job object."""
    import builtins

    asked: list[int] = []
    real_import = builtins.__import__

    def no_resource(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "resource":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_resource)
    monkeypatch.setattr(winjob, "cap_this_process", asked.append)
    parallel._limit_memory()
    assert asked == [parallel.MEMORY_BUDGET]


def test_without_the_windows_dlls_nothing_is_done() -> None:
    if hasattr(ctypes, "windll"):
        pytest.skip("a real Windows")
    assert winjob.cap_this_process(1 << 30) is False
