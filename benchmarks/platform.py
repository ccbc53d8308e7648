"""Benchmark the local platform: ticket create and list throughput and latency.

One command: ``python benchmarks/platform.py`` (``--json`` for machine output).

It starts ``cstar dev`` in its own process on a free port with a fresh database, then drives it
from this process with one keep-alive client, sequentially. Each round measures, in this order:
a baseline (``GET /healthz``, the same server and connection doing no API work), ticket creates,
and ticket lists (page of 20). Figures are medians over rounds; ratios are against the baseline
measured in the same run, since these machines are noisy.
"""

from __future__ import annotations

import os
import sys

# Run as a script, this file's folder comes first on sys.path and its name would shadow the
# standard library's ``platform`` module for everything imported below.
if sys.path and sys.path[0].rstrip("/").endswith("benchmarks"):
    sys.path.append(os.path.dirname(sys.path.pop(0)))  # see benchmarks/_common.py

import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from benchmarks._common import options, percentile, start_dev

GOAL_CREATES_PER_S = 500
GOAL_CREATE_P99_MS = 25.0


def measure(call: Callable[[int], httpx.Response], count: int, expect: int) -> dict[str, float]:
    latencies: list[float] = []
    started = time.perf_counter()
    for i in range(count):
        t0 = time.perf_counter()
        response = call(i)
        latencies.append((time.perf_counter() - t0) * 1000)
        if response.status_code != expect:
            raise SystemExit(f"unexpected {response.status_code}: {response.text[:300]}")
    elapsed = time.perf_counter() - started
    return {
        "per_s": count / elapsed,
        "p50_ms": percentile(latencies, 0.50),
        "p99_ms": percentile(latencies, 0.99),
    }


def run(rounds: int, count: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        proc, ready = start_dev(Path(tmp) / "bench.db")
        try:
            base = f"{ready['apiBase']}/api/v1/teams/{ready['teamId']}"
            headers = {"Authorization": f"Bearer {ready['secretKey']}"}
            results: dict[str, list[dict[str, float]]] = {"baseline": [], "create": [], "list": []}
            with httpx.Client(headers=headers, timeout=10) as client:
                health = f"{ready['apiBase']}/healthz"
                for _ in range(200):  # warm up the connection and the code paths
                    client.get(health)
                    client.post(f"{base}/tickets", json={"title": "warm-up"})
                for _ in range(rounds):
                    results["baseline"].append(measure(lambda _: client.get(health), count, 200))
                    results["create"].append(
                        measure(
                            lambda i: client.post(
                                f"{base}/tickets",
                                json={"title": f"Benchmark ticket {i}", "priority": "high"},
                            ),
                            count,
                            201,
                        )
                    )
                    results["list"].append(
                        measure(
                            lambda _: client.get(f"{base}/tickets", params={"pageSize": 20}),
                            count // 2,
                            200,
                        )
                    )
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    summary: dict[str, Any] = {"rounds": rounds, "requests_per_round": count}
    for name, samples in results.items():
        summary[name] = {
            key: round(statistics.median(s[key] for s in samples), 2) for key in samples[0]
        }
    baseline = summary["baseline"]["p50_ms"]
    for name in ("create", "list"):
        summary[name]["p50_vs_baseline"] = round(summary[name]["p50_ms"] / baseline, 2)
    create = summary["create"]
    summary["goals_met"] = (
        create["per_s"] >= GOAL_CREATES_PER_S and create["p99_ms"] <= GOAL_CREATE_P99_MS
    )
    return summary


def main() -> None:
    args = options(__doc__, 5, ("--count", 1000, "requests per round"))
    summary = run(args.rounds, args.count)
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    print(f"cstar dev, one keep-alive client, {args.rounds} rounds x {args.count} requests")
    print(f"{'':10}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'p50 / baseline':>16}")
    for name in ("baseline", "create", "list"):
        row = summary[name]
        ratio = row.get("p50_vs_baseline", 1.0)
        print(
            f"{name:10}{row['per_s']:>10.0f}{row['p50_ms']:>10.2f}{row['p99_ms']:>10.2f}{ratio:>16.2f}"
        )
    verdict = "met" if summary["goals_met"] else "NOT met"
    print(f"goal (>= {GOAL_CREATES_PER_S} creates/s, p99 <= {GOAL_CREATE_P99_MS} ms): {verdict}")


if __name__ == "__main__":
    main()
