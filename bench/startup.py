"""Benchmark: how fast the command line starts, against a bare Python in the same run.

Times (median of --repeat runs, each a fresh process):

* the floor: ``python -c pass``;
* ``cchc --help``, ``cchc score --help`` and ``cchc criteria list``.

Prints each with its ratio to the floor and fails (exit 1) past --limit (default 5×) for the
help commands. Run from the repository root::

    python -m bench.startup [--repeat K] [--limit X]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "cchc --help": [sys.executable, "-m", "cchc.cli", "--help"],
    "cchc score --help": [sys.executable, "-m", "cchc.cli", "score", "--help"],
    "cchc criteria list": [sys.executable, "-m", "cchc.cli", "criteria", "list"],
}
HELD = ("cchc --help", "cchc score --help")
"""The commands held to the limit (criteria list reads and checks every bundled set)."""


def _median(argv: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    """Print the table; non-zero when a held command misses the limit."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--limit", type=float, default=5.0)
    args = parser.parse_args()
    seconds = {name: _median(argv, args.repeat) for name, argv in COMMANDS.items()}
    floor = seconds["python -c pass"]
    missed = []
    print(f"{'command':<22} {'median ms':>10} {'× floor':>8}")
    for name, value in seconds.items():
        ratio = value / floor
        print(f"{name:<22} {value * 1000:>10.1f} {ratio:>8.2f}")
        if name in HELD and ratio > args.limit:
            missed.append(name)
    if missed:
        print(f"MISSED the {args.limit}× limit: {', '.join(missed)}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
