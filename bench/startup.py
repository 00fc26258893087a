"""Benchmark: how fast the command line starts, against a bare Python in the same run.

Times (median of --repeat rounds, each command once a round, each run a fresh process):

* the floor: ``python -c pass``;
* ``cchc --help``, ``cchc score --help``;
* ``cchc criteria list`` cold (an empty cache: every bundled set read and checked, the cache
  written) and warm (the cache of set summaries from the run before, nothing changed).

Prints each with its ratio to the floor and fails (exit 1) past --limit (default 5×) for the
help commands and the warm listing. The cache goes to a temporary folder (CCHC_CACHE_DIR), never
the user's. Run from the repository root::

    python -m bench.startup [--repeat K] [--limit X]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLI = [sys.executable, "-m", "cchc.cli"]
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "cchc --help": [*CLI, "--help"],
    "cchc score --help": [*CLI, "score", "--help"],
    "cchc criteria list cold": [*CLI, "criteria", "list"],
    "cchc criteria list warm": [*CLI, "criteria", "list"],
}
HELD = ("cchc --help", "cchc score --help", "cchc criteria list warm")
"""The commands held to the limit (a cold listing reads and checks every bundled set)."""


def _timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def main() -> int:
    """Print the table; non-zero when a held command misses the limit."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--limit", type=float, default=5.0)
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as tmp:
        cache = Path(tmp) / "cache"
        env = {**os.environ, "CCHC_CACHE_DIR": str(cache)}

        def empty_cache() -> None:
            shutil.rmtree(cache, ignore_errors=True)

        def primed_cache() -> None:
            if not cache.is_dir():
                subprocess.run(
                    COMMANDS["cchc criteria list warm"], check=True, env=env, capture_output=True
                )

        before = {"cchc criteria list cold": empty_cache, "cchc criteria list warm": primed_cache}
        # Round by round, every command once: a machine busy for a while slows all alike.
        for _ in range(args.repeat):
            for name, argv in COMMANDS.items():
                before.get(name, lambda: None)()
                times[name].append(_timed(argv, env))
    floor = statistics.median(times["python -c pass"])
    missed = []
    print(f"{'command':<24} {'median ms':>10} {'min ms':>8} {'× floor':>8}")
    for name, values in times.items():
        ratio = statistics.median(values) / floor
        print(
            f"{name:<24} {statistics.median(values) * 1000:>10.1f} {min(values) * 1000:>8.1f} "
            f"{ratio:>8.2f}"
        )
        if name in HELD and ratio > args.limit:
            missed.append(name)
    if missed:
        print(f"MISSED the {args.limit}× limit: {', '.join(missed)}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
