"""What the benchmarks share: ``cstar dev`` in its own process, percentiles, the command line.

A benchmark run as a script (``python benchmarks/x.py``) imports this as ``benchmarks._common``
once its header has swapped its own folder on ``sys.path`` for the repository's::

    if sys.path and sys.path[0].rstrip("/").endswith("benchmarks"):
        sys.path.append(os.path.dirname(sys.path.pop(0)))  # see benchmarks/_common.py

(its folder first on ``sys.path`` would let ``benchmarks/platform.py`` shadow the standard
library's ``platform`` module).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CSTAR = [sys.executable, "-m", "cstar_cli"]
Option = tuple[str, float, str]
"""A benchmark's size option: its flag, its default (which gives its type) and its help."""


def start_dev(db: Path, *extra: str) -> tuple[subprocess.Popen[str], dict[str, Any]]:
    """``cstar dev`` on a free port, rate limits off, data in ``db``: the process and its JSON
    ready line (``apiBase``, ``teamId``, ``secretKey``…)."""
    proc = subprocess.Popen(
        [*CSTAR, "dev", "--port", "0", "--json", "--no-rate-limit", "--db", str(db), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        raise SystemExit("cstar dev did not start; run it by hand to see why")
    return proc, json.loads(line)


@contextmanager
def dev(db: Path, *extra: str) -> Iterator[dict[str, Any]]:
    """:func:`start_dev` for the block: its ready line; stopped after."""
    proc, ready = start_dev(db, *extra)
    try:
        yield ready
    finally:
        proc.terminate()
        proc.wait(10)


def percentile(samples: list[float], q: float) -> float:
    """The sample at quantile ``q`` (0 to 1) of ``samples``, nearest rank."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def options(doc: str | None, rounds: int, *sizes: Option) -> argparse.Namespace:
    """The command line of a benchmark described by ``doc``'s first line: ``--rounds`` (default
    ``rounds``), each of ``sizes``, then ``--json``."""
    parser = argparse.ArgumentParser(description=str(doc).splitlines()[0])
    parser.add_argument("--rounds", type=int, default=rounds)
    for flag, default, help in sizes:
        parser.add_argument(flag, type=type(default), default=default, help=help)
    parser.add_argument("--json", action="store_true")
    return parser.parse_args()
