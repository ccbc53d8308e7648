"""Benchmark the listen relay end to end against a direct keep-alive POST, in the same run.

One command: ``python benchmarks/relay.py`` (``--json`` for machine output).

Path measured: trigger (HTTP) → platform (``cstar dev``, own process) → websocket → ``cstar listen``
(own process) → receiver (own process, uvicorn). Baseline: the same ~1 KB event bodies POSTed
directly to the same receiver over one keep-alive connection from this process. Latency is from
just before the trigger (or direct POST) is sent to the receiver's arrival time, both on the
system-wide monotonic clock. Reported: events/s flat out, p50/p99 at a paced 200 events/s, the
listen process's peak RSS, and whether every body arrived byte for byte.
"""

from __future__ import annotations

import os
import sys

if sys.path and sys.path[0].rstrip("/").endswith("benchmarks"):
    sys.path.append(os.path.dirname(sys.path.pop(0)))  # see benchmarks/_common.py

import argparse
import hashlib
import json
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from benchmarks._common import CSTAR, percentile, start_dev

HERE = Path(__file__).resolve().parent
FILLER = "x" * 700  # makes each event about 1 KB on the wire


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Rig:
    """The processes of one run: receiver, platform, and (per measurement) a listener."""

    def __init__(self, tmp: Path) -> None:
        self.port = free_port()
        self.receiver = subprocess.Popen(
            [sys.executable, str(HERE / "_receiver.py"), str(self.port)],
            stderr=subprocess.DEVNULL,
        )
        self.platform, self.ready = start_dev(tmp / "b.db")
        self.url = f"http://127.0.0.1:{self.port}/hooks"
        self.auth = {"Authorization": f"Bearer {self.ready['secretKey']}"}
        self.base = f"{self.ready['apiBase']}/api/v1/teams/{self.ready['teamId']}"
        deadline = time.monotonic() + 10
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{self.port}/results")
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def results(self) -> list[tuple[str, float, str]]:
        return [tuple(r) for r in httpx.get(f"http://127.0.0.1:{self.port}/results").json()]  # type: ignore[misc]

    def end_session(self, session_id: str) -> None:
        """Drop the run's session so later runs don't queue events for it."""
        httpx.delete(f"{self.base}/webhooks/listen/{session_id}", headers=self.auth)

    def listen(self, max_in_flight: int, device: str) -> tuple[subprocess.Popen[str], str]:
        proc = subprocess.Popen(
            [
                *CSTAR,
                "listen",
                "--json",
                "--forward-to",
                self.url,
                "--api-base",
                self.ready["apiBase"],
                "--api-key",
                self.ready["secretKey"],
                "--device-name",
                device,
                "--max-in-flight",
                str(max_in_flight),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert proc.stdout is not None
        ready = json.loads(proc.stdout.readline())  # the ready line: the socket is open
        stdout = proc.stdout
        threading.Thread(target=lambda: [None for _ in stdout], daemon=True).start()
        return proc, ready["sessionId"]

    def close(self) -> None:
        for proc in (self.platform, self.receiver):
            proc.terminate()
            proc.wait(timeout=10)


def trigger_body(n: int, count: int = 1) -> dict[str, Any]:
    return {
        "event": "ticket.created",
        "count": count,
        "data": {"ticket": {"id": f"tkt_{n:032x}", "title": "Benchmark", "note": FILLER}},
    }


def fire(
    rig: Rig, count: int, rate: float | None, workers: int = 1, batch: int = 1
) -> dict[str, float]:
    """Send triggers (``batch`` events per request); returns event id -> send time."""
    sent: dict[str, float] = {}
    lock = threading.Lock()

    def run(share: int, offset: int) -> None:
        with httpx.Client(headers=rig.auth, timeout=30) as client:
            start = time.monotonic()
            for i in range(0, share, batch):
                if rate:
                    due = start + i / rate
                    while (now := time.monotonic()) < due:
                        time.sleep(min(0.001, due - now))
                t0 = time.monotonic()
                body = trigger_body(offset + i, min(batch, share - i))
                response = client.post(f"{rig.base}/webhooks/trigger-test", json=body)
                with lock:
                    for event_id in response.json()["data"]["eventIds"]:
                        sent[event_id] = t0

    shares = [count // workers + (1 if i < count % workers else 0) for i in range(workers)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(run, shares, [sum(shares[:i]) * 1000 for i in range(workers)]))
    return sent


def collect(rig: Rig, expected: int, timeout: float = 120) -> list[tuple[str, float, str]]:
    got: list[tuple[str, float, str]] = []
    deadline = time.monotonic() + timeout
    while len(got) < expected and time.monotonic() < deadline:
        time.sleep(0.1)
        got += rig.results()
    return got


def relay_run(
    rig: Rig, count: int, rate: float | None, in_flight: int, workers: int, batch: int = 1
) -> dict[str, Any]:
    listener, session_id = rig.listen(in_flight, f"bench-{in_flight}-{rate}-{time.time_ns()}")
    try:
        rig.results()
        sent = fire(rig, count, rate, workers, batch)
        got = collect(rig, len(sent))
        rss_kb = _peak_rss_kb(listener.pid)
        if not got:
            raise SystemExit(f"nothing arrived (sent {len(sent)}); is cstar listen working?")
    finally:
        listener.terminate()
        listener.wait(timeout=15)
        rig.end_session(session_id)
    arrivals = {event_id: at for event_id, at, _ in got}
    latencies = [(arrivals[e] - t) * 1000 for e, t in sent.items() if e in arrivals]
    if not latencies:
        raise SystemExit(f"no match: sent {list(sent)[:3]} got {got[:3]} n={len(got)}")
    span = max(arrivals.values()) - min(sent.values())
    return {
        "events": len(sent),
        "delivered": len(arrivals),
        "duplicates": len(got) - len(arrivals),
        "events_per_s": round(len(arrivals) / span, 1),
        "p50_ms": round(percentile(latencies, 0.5), 2),
        "p99_ms": round(percentile(latencies, 0.99), 2),
        "listen_peak_rss_mb": round(rss_kb / 1024, 1),
        "hashes": {event_id: digest for event_id, _, digest in got},
    }


def direct_run(rig: Rig, bodies: list[bytes], rate: float | None) -> dict[str, Any]:
    rig.results()
    sent: dict[str, float] = {}
    with httpx.Client(timeout=30) as client:
        start = time.monotonic()
        for i, body in enumerate(bodies):
            if rate:
                due = start + i / rate
                while (now := time.monotonic()) < due:
                    time.sleep(min(0.001, due - now))
            event_id = f"direct-{i}"
            sent[event_id] = time.monotonic()
            client.post(rig.url, content=body, headers={"X-Event-ID": event_id})
    got = collect(rig, len(sent))
    arrivals = {event_id: at for event_id, at, _ in got}
    latencies = [(arrivals[e] - t) * 1000 for e, t in sent.items() if e in arrivals]
    span = max(arrivals.values()) - min(sent.values())
    return {
        "events": len(sent),
        "events_per_s": round(len(arrivals) / span, 1),
        "p50_ms": round(percentile(latencies, 0.5), 2),
        "p99_ms": round(percentile(latencies, 0.99), 2),
    }


def _peak_rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def bodies_exact(rig: Rig, hashes: dict[str, str], sample: int = 50) -> bool:
    """Compare received bytes with the stored events, re-serialised as the platform stores them."""
    with httpx.Client(headers=rig.auth) as client:
        for event_id in list(hashes)[:sample]:
            event = client.get(f"{rig.base}/events/{event_id}").json()["data"]
            event.pop("deliveries")
            stored = json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode()
            if hashlib.sha256(stored).hexdigest() != hashes[event_id]:
                return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flat", type=int, default=3000, help="events per flat-out run")
    parser.add_argument("--paced", type=int, default=1000, help="events per paced run")
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--workers", type=int, default=2, help="trigger senders when flat out")
    parser.add_argument(
        "--batch", type=int, default=100, help="events per trigger request when flat out"
    )
    parser.add_argument("--in-flight", default="1", help="--max-in-flight values, e.g. 1,4,16")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    run_with_rig(parser.parse_args(), measure, report)


def run_with_rig(
    args: argparse.Namespace,
    measure: Callable[[Rig, argparse.Namespace], dict[str, Any]],
    report: Callable[[dict[str, Any]], None],
) -> None:
    """Start a rig in a temporary directory, measure, stop it, print (``--json``) or report."""
    with tempfile.TemporaryDirectory() as tmp:
        rig = Rig(Path(tmp))
        try:
            summary = measure(rig, args)
        finally:
            rig.close()
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        report(summary)


def measure(rig: Rig, args: argparse.Namespace) -> dict[str, Any]:
    warm = relay_run(rig, 200, None, 8, args.workers)  # warm up caches and connections
    sample_id = next(iter(warm["hashes"]))
    with httpx.Client(headers=rig.auth) as client:
        event = client.get(f"{rig.base}/events/{sample_id}").json()["data"]
    event.pop("deliveries")
    body = json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode()
    summary: dict[str, Any] = {"event_bytes": len(body), "rounds": args.rounds, "relay": {}}
    direct_flat, direct_paced = [], []
    relay: dict[int, dict[str, list[dict[str, Any]]]] = {}
    exact = True
    for _ in range(args.rounds):
        direct_flat.append(direct_run(rig, [body] * args.flat, None))
        direct_paced.append(direct_run(rig, [body] * args.paced, args.rate))
        for n in [int(v) for v in args.in_flight.split(",")]:
            runs = relay.setdefault(n, {"flat": [], "paced": []})
            flat = relay_run(rig, args.flat, None, n, args.workers, args.batch)
            paced = relay_run(rig, args.paced, args.rate, n, 1)
            exact = (
                exact and bodies_exact(rig, flat["hashes"]) and bodies_exact(rig, paced["hashes"])
            )
            runs["flat"].append(flat)
            runs["paced"].append(paced)
    summary["direct"] = {"flat": _median(direct_flat), "paced": _median(direct_paced)}
    for n, runs in relay.items():
        summary["relay"][n] = {"flat": _median(runs["flat"]), "paced": _median(runs["paced"])}
    summary["bodies_exact"] = exact
    return summary


def _median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    keys = [k for k, v in runs[0].items() if isinstance(v, int | float)]
    return {k: round(statistics.median(r[k] for r in runs), 2) for k in keys}


def report(summary: dict[str, Any]) -> None:
    direct = summary["direct"]
    print(f"~{summary['event_bytes']} B events, medians of {summary['rounds']} rounds")
    print(
        f"direct keep-alive POST: {direct['flat']['events_per_s']:.0f} ev/s flat out; "
        f"at pace p50 {direct['paced']['p50_ms']} ms, p99 {direct['paced']['p99_ms']} ms"
    )
    header = ("in-flight", "ev/s", "x direct", "p50 ms", "p99 ms", "+p50", "RSS MB", "lost", "dup")
    print("".join(f"{h:>10}" for h in header))
    base = direct["flat"]["events_per_s"]
    for n, runs in summary["relay"].items():
        flat, paced = runs["flat"], runs["paced"]
        rss = max(flat["listen_peak_rss_mb"], paced["listen_peak_rss_mb"])
        row = (
            n,
            f"{flat['events_per_s']:.0f}",
            f"{flat['events_per_s'] / base:.2f}",
            f"{paced['p50_ms']:.2f}",
            f"{paced['p99_ms']:.2f}",
            f"{paced['p50_ms'] - direct['paced']['p50_ms']:.2f}",
            f"{rss:.1f}",
            f"{flat['events'] - flat['delivered']:.0f}",
            f"{flat['duplicates']:.0f}",
        )
        print("".join(f"{v:>10}" for v in row))
    print(f"bodies byte for byte: {'yes' if summary['bodies_exact'] else 'NO'}")


if __name__ == "__main__":
    main()
