"""Benchmark request logging: what it costs an API request, and how fast ``logs --tail`` keeps up.

One command: ``python benchmarks/logs.py`` (``--json`` for machine output).

1. Cost: two ``cstar dev`` processes, one started with the hidden ``--no-request-log``, measured
   alternately in the same run with one keep-alive client: p50/p99 of ticket creates and of a
   list. The goal is at most 5 % added at p50.
2. Tail: ``cstar logs --tail --json`` in its own process while four clients send requests as fast
   as they can; reported are the lines per second the tail printed and whether every request
   arrived exactly once.
"""

from __future__ import annotations

import os
import sys

if sys.path and sys.path[0].rstrip("/").endswith("benchmarks"):
    sys.path.append(os.path.dirname(sys.path.pop(0)))  # see benchmarks/_common.py

import json
import statistics
import subprocess
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from benchmarks._common import CSTAR, options, percentile, start_dev


def latencies(ready: dict[str, Any], count: int) -> dict[str, float]:
    base = f"{ready['apiBase']}/api/v1/teams/{ready['teamId']}"
    headers = {"Authorization": f"Bearer {ready['secretKey']}"}
    creates: list[float] = []
    lists: list[float] = []
    with httpx.Client(headers=headers) as client:
        for i in range(count):
            t0 = time.perf_counter()
            client.post(f"{base}/tickets", json={"title": f"bench {i}"})
            creates.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            client.get(f"{base}/tickets", params={"pageSize": 5})
            lists.append((time.perf_counter() - t0) * 1000)
    return {
        "create_p50": percentile(creates, 0.5),
        "create_p99": percentile(creates, 0.99),
        "list_p50": percentile(lists, 0.5),
        "list_p99": percentile(lists, 0.99),
    }


def cost(tmp: Path, rounds: int, count: int) -> dict[str, Any]:
    on, on_ready = start_dev(tmp / "on.db")
    off, off_ready = start_dev(tmp / "off.db", "--no-request-log")
    runs: dict[str, list[dict[str, float]]] = {"logging": [], "no_logging": []}
    try:
        latencies(on_ready, 200)
        latencies(off_ready, 200)
        for _ in range(rounds):
            runs["logging"].append(latencies(on_ready, count))
            runs["no_logging"].append(latencies(off_ready, count))
    finally:
        for proc in (on, off):
            proc.terminate()
            proc.wait(timeout=10)
    result: dict[str, Any] = {}
    for name, samples in runs.items():
        result[name] = {k: round(statistics.median(s[k] for s in samples), 3) for k in samples[0]}
    for metric in ("create_p50", "list_p50"):
        added = result["logging"][metric] / result["no_logging"][metric] - 1
        result[f"{metric}_added_pct"] = round(added * 100, 1)
    return result


def tail_rate(tmp: Path, seconds: float) -> dict[str, Any]:
    dev, ready = start_dev(tmp / "tail.db")
    command = [*CSTAR, "logs", "--tail", "--json", "--path", "/tickets"]
    tail = subprocess.Popen(
        [*command, "--api-base", ready["apiBase"], "--api-key", ready["secretKey"]],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen: list[tuple[str, float]] = []
    assert tail.stdout is not None and tail.stderr is not None
    tail.stderr.readline()  # "Tailing request logs…": the stream is open
    stdout = tail.stdout

    def read() -> None:
        for line in stdout:
            seen.append((json.loads(line)["id"], time.monotonic()))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    base = f"{ready['apiBase']}/api/v1/teams/{ready['teamId']}"
    headers = {"Authorization": f"Bearer {ready['secretKey']}"}
    sent: list[str] = []
    lock = threading.Lock()
    started = time.monotonic()

    def work(_: int) -> None:
        with httpx.Client(headers=headers) as client:
            while time.monotonic() - started < seconds:
                rid = client.get(f"{base}/tickets", params={"pageSize": 1}).headers[
                    "x-cstar-request-id"
                ]
                with lock:
                    sent.append(rid)

    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(work, range(4)))
        deadline = time.monotonic() + 30
        while len(seen) < len(sent) and time.monotonic() < deadline:
            time.sleep(0.05)
        replay = replay_rate(ready, len(sent))
    finally:
        tail.terminate()
        tail.wait(timeout=10)
        dev.terminate()
        dev.wait(timeout=10)
    counts = Counter(rid for rid, _ in seen)
    span = seen[-1][1] - started if seen else 1.0
    return {
        "replay_lines_per_s": replay,
        "requests": len(sent),
        "lines": len(seen),
        "lines_per_s": round(len(seen) / span, 1),
        "requests_per_s": round(len(sent) / seconds, 1),
        "missing": len(set(sent) - set(counts)),
        "duplicates": sum(n - 1 for n in counts.values()),
    }


def replay_rate(ready: dict[str, Any], count: int) -> float:
    """Flat out: a fresh ``--tail --since 1h`` prints everything stored; lines per second."""
    started = time.monotonic()
    proc = subprocess.Popen(
        [*CSTAR, "logs", "--tail", "--json", "--path", "/tickets", "--since", "1h"]
        + ["--api-base", ready["apiBase"], "--api-key", ready["secretKey"]],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    lines = 0
    first = None
    for _ in proc.stdout:
        first = first or time.monotonic()
        lines += 1
        if lines >= count:
            break
    done = time.monotonic()
    proc.terminate()
    proc.wait(timeout=10)
    proc.stdout.close()
    return round(lines / (done - (first or started)), 1)


def main() -> None:
    args = options(
        __doc__,
        5,
        ("--count", 500, "requests per round and kind"),
        ("--seconds", 5.0, "length of the tail run"),
    )
    with tempfile.TemporaryDirectory() as tmp:
        summary = {
            "cost": cost(Path(tmp), args.rounds, args.count),
            "tail": tail_rate(Path(tmp), args.seconds),
        }
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    c, t = summary["cost"], summary["tail"]
    print(f"request logging, medians of {args.rounds} rounds x {args.count} requests")
    for metric in ("create", "list"):
        on, off = c["logging"], c["no_logging"]
        print(
            f"  {metric:6} p50 {on[f'{metric}_p50']:.3f} ms with logging, "
            f"{off[f'{metric}_p50']:.3f} ms without ({c[f'{metric}_p50_added_pct']:+.1f} %); "
            f"p99 {on[f'{metric}_p99']:.2f} / {off[f'{metric}_p99']:.2f} ms"
        )
    print(
        f"logs --tail --json: {t['lines_per_s']:.0f} lines/s while 4 clients sent "
        f"{t['requests_per_s']:.0f} req/s; missing {t['missing']}, duplicates {t['duplicates']}"
    )
    print(f"logs --tail --json --since 1h, flat out: {t['replay_lines_per_s']:.0f} lines/s")


if __name__ == "__main__":
    main()
