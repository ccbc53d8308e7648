"""Start-up time of ``cstar --version`` and ``cstar --help`` against a bare interpreter.

Usage: python benchmarks/startup.py [--runs 21]

Each command runs ``--runs`` times in fresh processes (after one warm-up run each), interleaved
so that machine noise hits every command alike; the report gives median and min wall time in ms
and the ratio to ``python -c pass`` measured in the same run. Goals: ``--version`` <= 2.5x the
bare interpreter, ``--help`` <= 120 ms.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def cstar_command() -> list[str]:
    script = Path(sys.executable).with_name("cstar")
    if script.exists():
        return [str(script)]
    found = shutil.which("cstar")
    return [found] if found else [sys.executable, "-m", "cstar_cli"]


def measure(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="Runs per command (default 21).")
    args = parser.parse_args()
    cstar = cstar_command()
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "cstar --version": [*cstar, "--version"],
        "cstar --help": [*cstar, "--help"],
    }
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for cmd in commands.values():
        measure(cmd)  # warm the OS file cache and .pyc files
    for _ in range(args.runs):
        for name, cmd in commands.items():
            samples[name].append(measure(cmd))
    bare = statistics.median(samples["python -c pass"])
    print(f"{'command':<18}{'median ms':>10}{'min ms':>9}{'x bare':>8}")
    for name, values in samples.items():
        median = statistics.median(values)
        print(f"{name:<18}{median:>10.1f}{min(values):>9.1f}{median / bare:>8.2f}")
    version_ratio = statistics.median(samples["cstar --version"]) / bare
    help_ms = statistics.median(samples["cstar --help"])
    ok_version = version_ratio <= 2.5
    ok_help = help_ms <= 120
    print(
        f"\n--version goal <= 2.5x bare: {'met' if ok_version else 'MISSED'} ({version_ratio:.2f}x)"
        f"\n--help goal <= 120 ms: {'met' if ok_help else 'MISSED'} ({help_ms:.1f} ms)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
