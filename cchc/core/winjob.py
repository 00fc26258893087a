"""A memory cap for a contained worker on Windows, where there is no RLIMIT_AS: a job object.

The worker puts itself into a new job object whose per-process memory limit is what it has
committed now plus the budget; an allocation past it fails inside the worker (the native reader
aborts, the worker dies, the parent reports the file), as RLIMIT_AS does on Linux. Nested jobs
exist since Windows 8, so a worker already in a job (a terminal, a service) can still be capped.

Written against the Win32 documentation (CreateJobObjectW, SetInformationJobObject with
JobObjectExtendedLimitInformation, AssignProcessToJobObject, GetProcessMemoryInfo); tested here
with stand-ins for kernel32 and psapi, not yet on a Windows machine.
"""

from __future__ import annotations

import ctypes
from ctypes import Structure, c_int64, c_size_t, c_uint32, c_uint64
from typing import Any

JOB_OBJECT_LIMIT_PROCESS_MEMORY = 0x00000100
JOB_OBJECT_EXTENDED_LIMIT_INFORMATION = 9
"""The JOBOBJECTINFOCLASS value of JobObjectExtendedLimitInformation."""


class IoCounters(Structure):
    """IO_COUNTERS."""

    _fields_ = [
        (name, c_uint64)
        for name in (
            "ReadOperationCount",
            "WriteOperationCount",
            "OtherOperationCount",
            "ReadTransferCount",
            "WriteTransferCount",
            "OtherTransferCount",
        )
    ]


class BasicLimits(Structure):
    """JOBOBJECT_BASIC_LIMIT_INFORMATION."""

    _fields_ = [
        ("PerProcessUserTimeLimit", c_int64),
        ("PerJobUserTimeLimit", c_int64),
        ("LimitFlags", c_uint32),
        ("MinimumWorkingSetSize", c_size_t),
        ("MaximumWorkingSetSize", c_size_t),
        ("ActiveProcessLimit", c_uint32),
        ("Affinity", c_size_t),
        ("PriorityClass", c_uint32),
        ("SchedulingClass", c_uint32),
    ]


class ExtendedLimits(Structure):
    """JOBOBJECT_EXTENDED_LIMIT_INFORMATION."""

    _fields_ = [
        ("BasicLimitInformation", BasicLimits),
        ("IoInfo", IoCounters),
        ("ProcessMemoryLimit", c_size_t),
        ("JobMemoryLimit", c_size_t),
        ("PeakProcessMemoryUsed", c_size_t),
        ("PeakJobMemoryUsed", c_size_t),
    ]


class MemoryCounters(Structure):
    """PROCESS_MEMORY_COUNTERS."""

    _fields_ = [
        ("cb", c_uint32),
        ("PageFaultCount", c_uint32),
        ("PeakWorkingSetSize", c_size_t),
        ("WorkingSetSize", c_size_t),
        ("QuotaPeakPagedPoolUsage", c_size_t),
        ("QuotaPagedPoolUsage", c_size_t),
        ("QuotaPeakNonPagedPoolUsage", c_size_t),
        ("QuotaNonPagedPoolUsage", c_size_t),
        ("PagefileUsage", c_size_t),
        ("PeakPagefileUsage", c_size_t),
    ]


def committed(kernel32: Any, psapi: Any) -> int:
    """Bytes the current process has committed (0 if the system does not say)."""
    counters = MemoryCounters()
    counters.cb = ctypes.sizeof(MemoryCounters)
    process = kernel32.GetCurrentProcess()
    if not psapi.GetProcessMemoryInfo(process, ctypes.byref(counters), counters.cb):
        return 0
    return int(counters.PagefileUsage)


def cap_memory(budget: int, kernel32: Any, psapi: Any) -> bool:
    """Limit the current process to what it has committed plus `budget` bytes; True if done.

    `kernel32` and `psapi` are the DLLs (ctypes.windll.kernel32, ctypes.windll.psapi); a call
    the system refuses leaves the process uncapped, as where RLIMIT_AS is not enforced.
    """
    job = kernel32.CreateJobObjectW(None, None)
    if not job:
        return False
    limits = ExtendedLimits()
    limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_PROCESS_MEMORY
    limits.ProcessMemoryLimit = committed(kernel32, psapi) + budget
    if not kernel32.SetInformationJobObject(
        job, JOB_OBJECT_EXTENDED_LIMIT_INFORMATION, ctypes.byref(limits), ctypes.sizeof(limits)
    ):
        return False
    return bool(kernel32.AssignProcessToJobObject(job, kernel32.GetCurrentProcess()))


def cap_this_process(budget: int) -> bool:
    """`cap_memory` with the system's own DLLs; False where they do not exist (not Windows)."""
    windll = getattr(ctypes, "windll", None)
    if windll is None:
        return False
    return cap_memory(budget, windll.kernel32, windll.psapi)
