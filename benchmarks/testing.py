"""Benchmark ``cstar_cli.testing``: start-up, reset, and a user's test suite against ``cstar dev``.

One command: ``python benchmarks/testing.py`` (``--rounds N``, ``--json``). Run it with the
package installed (its pytest plugin is an entry point) and pytest-xdist for the ``-n 2`` rows
(``pip install -e '.[test]'``). Medians; every figure has its baseline measured in the same run:

- *start*: in a fresh process each round, ``from cstar_cli.testing import LocalPlatform`` (the
  import, FastAPI included), then ``LocalPlatform().start()`` until it answers (goal ≤ 0.5 s),
  then the first request. Baseline: ``cstar dev --port 0 --db :memory: --json`` as a process,
  from spawning it to its ready line, then its first request.
- *reset*: ``reset()`` of a LocalPlatform holding 0, 1,000 and 10,000 tickets (created through
  the API, so with their events, request-log entries and idempotency records; goal ≤ 20 ms with
  1,000), after the platform's first reset (reported on its own: it works out which tables to
  clear). Baseline: one ``whoami`` round trip on the same client (the floor of any call).
- *suite*: a user's project of 20 tests, each one: a clean platform, a webhook to a receiver,
  5 tickets, wait for the 5 signed deliveries. ``pytest`` runs it as a user would, serially and
  with ``-n 2``, timed from start to exit. Against: the same tests with a ``cstar dev`` process of
  their own per test (the baseline), and 20 empty tests (pytest's own floor).
"""

from __future__ import annotations

import sys

if sys.path and sys.path[0].rstrip("/").endswith("benchmarks"):
    sys.path.pop(0)  # keep benchmarks/platform.py from shadowing the standard library

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

CSTAR = [sys.executable, "-m", "cstar_cli"]
START_GOAL = 0.5
RESET_GOAL_MS = 20.0

START_CHILD = """
import json, time
started = time.perf_counter()
from cstar_cli.testing import LocalPlatform
imported = time.perf_counter()
platform = LocalPlatform().start()
ready = time.perf_counter()
platform.client().whoami()
answered = time.perf_counter()
platform.stop()
print(json.dumps({"import": imported - started, "start": ready - imported,
                  "first": answered - ready}))
"""

PYTEST_INI = "[pytest]\naddopts = -p no:cacheprovider\nfilterwarnings = error\n"

LOCAL_SUITE = """
import pytest


@pytest.mark.parametrize("n", range(20))
def test_tickets_reach_the_receiver(cstar_dev, n):
    inbox = cstar_dev.receiver()
    client = cstar_dev.client()
    client.webhooks.create({"url": inbox.url, "events": ["ticket.created"]})
    for number in range(5):
        client.tickets.create({"title": f"Ticket {number}"})
    assert all(d.verified for d in inbox.wait_for("ticket.created", count=5))
"""

PROCESS_SUITE = """
import json
import subprocess
import sys

import pytest

from cstar_cli.client import CstarClient
from cstar_cli.testing import Receiver

DEV = [sys.executable, "-m", "cstar_cli", "dev", "--port", "0", "--json", "--db", ":memory:",
       "--no-rate-limit"]


@pytest.fixture
def dev_process():
    proc = subprocess.Popen(DEV, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    ready = json.loads(proc.stdout.readline())
    client = CstarClient(ready["secretKey"], api_base=ready["apiBase"], team_id=ready["teamId"])
    yield client
    client.close()
    proc.terminate()
    proc.wait(10)
    proc.stdout.close()


@pytest.mark.parametrize("n", range(20))
def test_tickets_reach_the_receiver(dev_process, n):
    client = dev_process
    with Receiver() as inbox:
        hook = client.webhooks.create({"url": inbox.url, "events": ["ticket.created"]})
        inbox.secret = hook["secret"]
        for number in range(5):
            client.tickets.create({"title": f"Ticket {number}"})
        assert all(d.verified for d in inbox.wait_for("ticket.created", count=5))
"""

EMPTY_SUITE = """
import pytest


@pytest.mark.parametrize("n", range(20))
def test_nothing(n):
    pass
"""

SUITES = {"floor": EMPTY_SUITE, "LocalPlatform": LOCAL_SUITE, "process": PROCESS_SUITE}


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


# -- start ---------------------------------------------------------------------------------------
def start_in_process() -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", START_CHILD], capture_output=True, text=True, check=True
    )
    timings: dict[str, float] = json.loads(out.stdout)
    return timings


def start_as_process() -> dict[str, float]:
    import httpx

    started = time.perf_counter()
    proc = subprocess.Popen(
        [*CSTAR, "dev", "--port", "0", "--json", "--db", ":memory:", "--no-rate-limit"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        ready = json.loads(proc.stdout.readline())
        spawned = time.perf_counter()
        headers = {"Authorization": f"Bearer {ready['secretKey']}"}
        with httpx.Client(base_url=ready["apiBase"], headers=headers) as http:
            http.get("/api/v1/auth/whoami").raise_for_status()
        answered = time.perf_counter()
    finally:
        proc.terminate()
        proc.wait(10)
        if proc.stdout is not None:
            proc.stdout.close()
    return {"ready": spawned - started, "first": answered - spawned}


def bench_start(rounds: int) -> dict[str, Any]:
    local: list[dict[str, float]] = []
    process: list[dict[str, float]] = []
    start_in_process()  # warm the file cache and .pyc files
    for _ in range(rounds):
        local.append(start_in_process())
        process.append(start_as_process())
    result = {
        "import_ms": median_ms([r["import"] for r in local]),
        "start_ms": median_ms([r["start"] for r in local]),
        "first_request_ms": median_ms([r["first"] for r in local]),
        "process_ready_ms": median_ms([r["ready"] for r in process]),
        "process_first_request_ms": median_ms([r["first"] for r in process]),
    }
    verdict = "met" if result["start_ms"] <= START_GOAL * 1000 else "MISSED"
    print(
        f"start (median of {rounds}):\n"
        f"  import cstar_cli.testing.LocalPlatform  {result['import_ms']:8.1f} ms\n"
        f"  LocalPlatform().start() to ready        {result['start_ms']:8.1f} ms"
        f"  (goal ≤ {START_GOAL * 1000:.0f}: {verdict})\n"
        f"  then the first request                  {result['first_request_ms']:8.1f} ms\n"
        f"  baseline: cstar dev process to ready    {result['process_ready_ms']:8.1f} ms\n"
        f"  then its first request                  {result['process_first_request_ms']:8.1f} ms",
        file=sys.stderr,
    )
    return result


# -- reset ---------------------------------------------------------------------------------------
def bench_reset(sizes: list[int], rounds: int) -> dict[str, Any]:
    from cstar_cli.testing import LocalPlatform

    result: dict[str, Any] = {}
    with LocalPlatform() as platform:
        client = platform.client()
        client.whoami()
        began = time.perf_counter()
        platform.reset()  # a platform's first reset works out its plan (the tables to clear)
        result["first_reset_ms"] = (time.perf_counter() - began) * 1000
        print(
            f"  the platform's first reset(): {result['first_reset_ms']:7.2f} ms", file=sys.stderr
        )
        floor: list[float] = []
        for _ in range(50):
            began = time.perf_counter()
            client.whoami()
            floor.append(time.perf_counter() - began)
        result["whoami_ms"] = median_ms(floor)
        for size in sizes:
            samples: list[float] = []
            for _ in range(rounds if size <= 1000 else max(1, rounds // 2)):
                for number in range(size):
                    client.tickets.create({"title": f"Ticket {number}"})
                began = time.perf_counter()
                answer = platform.reset()
                samples.append(time.perf_counter() - began)
                assert answer["deleted"]["tickets"] == size, answer
            result[f"reset_{size}_ms"] = median_ms(samples)
            print(
                f"  reset() with {size:>6,} tickets: {result[f'reset_{size}_ms']:7.2f} ms "
                f"(median of {len(samples)})",
                file=sys.stderr,
            )
    print(f"  baseline: whoami round trip {result['whoami_ms']:.2f} ms", file=sys.stderr)
    if "reset_1000_ms" in result:
        met = "met" if result["reset_1000_ms"] <= RESET_GOAL_MS else "MISSED"
        print(f"  goal ≤ {RESET_GOAL_MS:.0f} ms with 1,000 tickets: {met}", file=sys.stderr)
    return result


# -- a user's suite ------------------------------------------------------------------------------
def run_suite(folder: Path, workers: list[str]) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    began = time.perf_counter()
    ran = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", *workers],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - began
    if ran.returncode != 0 or "20 passed" not in ran.stdout:
        raise SystemExit(f"the suite in {folder} failed:\n{ran.stdout}\n{ran.stderr}")
    return elapsed


def bench_suite(rounds: int) -> dict[str, Any]:
    modes = {"serial": []} | ({"-n 2": ["-n", "2"]} if importlib.util.find_spec("xdist") else {})
    if "-n 2" not in modes:
        print("  (pytest-xdist is not installed: no -n 2 rows)", file=sys.stderr)
    samples: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="cstar-bench-") as tmp:
        folders: dict[str, Path] = {}
        for name, source in SUITES.items():
            folder = Path(tmp) / name.lower()
            folder.mkdir()
            (folder / "pytest.ini").write_text(PYTEST_INI)
            (folder / "test_suite.py").write_text(source)
            folders[name] = folder
        for _ in range(rounds):
            for mode, workers in modes.items():
                for name, folder in folders.items():
                    samples.setdefault((name, mode), []).append(run_suite(folder, workers))
    result: dict[str, Any] = {}
    print(f"suite of 20 tests (wall time of pytest, median of {rounds}):", file=sys.stderr)
    for mode in modes:
        floor = statistics.median(samples[("floor", mode)])
        local = statistics.median(samples[("LocalPlatform", mode)])
        process = statistics.median(samples[("process", mode)])
        result[mode] = {"floor_s": floor, "local_s": local, "process_s": process}
        print(
            f"  {mode:<7} empty tests {floor:6.2f} s | cstar_dev {local:6.2f} s "
            f"(+{local - floor:5.2f}) | a cstar dev process per test {process:6.2f} s "
            f"(+{process - floor:5.2f}): {(process - floor) / max(local - floor, 1e-9):4.1f}× "
            "the added time",
            file=sys.stderr,
        )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="Rounds per figure (default 5).")
    parser.add_argument("--sizes", default="0,1000,10000", help="Tickets stored before reset.")
    parser.add_argument("--only", choices=["start", "reset", "suite"], help="One part only.")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    args = parser.parse_args()
    figures: dict[str, Any] = {}
    if args.only in (None, "start"):
        figures["start"] = bench_start(args.rounds * 2)
    if args.only in (None, "reset"):
        print("reset:", file=sys.stderr)
        sizes = [int(size) for size in args.sizes.split(",")]
        figures["reset"] = bench_reset(sizes, args.rounds)
    if args.only in (None, "suite"):
        figures["suite"] = bench_suite(max(1, args.rounds // 2 + 1))
    if args.json:
        print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
