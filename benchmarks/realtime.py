"""Benchmark the realtime stream (SSE) against the listen relay, in the same run.

One command: ``python benchmarks/realtime.py`` (``--json`` for machine output).

Latency: ~1 KB events triggered at a paced rate (one per request), each timed from just before
its trigger is sent to the moment its line reaches this process from a consumer's stdout (the
system-wide monotonic clock). Consumers, one at a time, in alternating rounds: ``cstar listen
--json --forward-to`` (the relay as used, to a receiver), ``cstar listen --json`` in print mode,
and ``cstar events --tail --json`` (the SSE stream). They share the platform's fan-out, so the
goal is SSE p50 ≤ 2× the relay's. Resume: a ``CstarClient.realtime()`` reader that drops its
connection every few hundred events and resumes with ``Last-Event-ID`` while events keep coming
flat out; every event must arrive exactly once, in order. Memory: the platform's RSS before and
after opening 100 idle streams (goal: < 20 MB more).
"""

from __future__ import annotations

import os
import sys

if sys.path and sys.path[0].rstrip("/").endswith("benchmarks"):
    sys.path.append(os.path.dirname(sys.path.pop(0)))  # see benchmarks/_common.py

import argparse
import importlib.util
import json
import socket
import subprocess
import threading
import time
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import httpx

from benchmarks._common import CSTAR, percentile

HERE = Path(__file__).resolve().parent


def _relay_bench() -> ModuleType:
    """``benchmarks/relay.py``: its rig (platform + receiver) and helpers are reused here."""
    spec = importlib.util.spec_from_file_location("relay_bench", HERE / "relay.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


relay = _relay_bench()


class Consumer:
    """A ``cstar`` process whose stdout lines are events; arrival times kept by event id."""

    def __init__(self, args: list[str], ready: str, id_of: Any) -> None:
        self.proc = subprocess.Popen(
            [*CSTAR, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        self.arrivals: dict[str, float] = {}
        self.repeats = 0
        self._id_of = id_of
        self._ready = threading.Event()
        threading.Thread(target=self._out, args=(ready,), daemon=True).start()
        threading.Thread(target=self._err, args=(ready,), daemon=True).start()
        if not self._ready.wait(20):
            self.stop()
            raise SystemExit(f"{args[0]} never became ready")

    def _out(self, ready: str) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            at = time.monotonic()
            record = json.loads(line)
            if record.get("type") == ready:
                self._ready.set()
            event_id = self._id_of(record)
            if event_id is None:
                continue
            if event_id in self.arrivals:
                self.repeats += 1
            else:
                self.arrivals[event_id] = at

    def _err(self, ready: str) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            if ready in line:
                self._ready.set()

    def wait_for(self, ids: list[str], timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while any(i not in self.arrivals for i in ids) and time.monotonic() < deadline:
            time.sleep(0.05)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=15)


def start_consumer(rig: Any, kind: str, device: str) -> Consumer:
    login = ["--api-base", rig.ready["apiBase"], "--api-key", rig.ready["secretKey"]]
    if kind == "sse":
        return Consumer(["events", "--tail", "--json", *login], "Tailing", lambda r: r.get("id"))
    forward = ["--forward-to", rig.url] if kind == "listen" else []
    return Consumer(
        ["listen", "--json", "--device-name", device, *forward, *login],
        "ready",
        lambda r: r.get("eventId") if r.get("type") == "event" else None,
    )


def latency_run(rig: Any, kind: str, count: int, rate: float) -> dict[str, Any]:
    consumer = start_consumer(rig, kind, f"bench-rt-{kind}-{time.time_ns()}")
    try:
        rig.results()
        sent = relay.fire(rig, count, rate)
        consumer.wait_for(list(sent))
    finally:
        consumer.stop()
    arrivals = consumer.arrivals
    latencies = [(arrivals[e] - t) * 1000 for e, t in sent.items() if e in arrivals]
    return {
        "events": len(sent),
        "received": len(consumer.arrivals),
        "repeated": consumer.repeats,
        "p50_ms": round(percentile(latencies, 0.5), 2),
        "p99_ms": round(percentile(latencies, 0.99), 2),
    }


def resume_run(rig: Any, count: int, drop_every: int) -> dict[str, Any]:
    """Events flat out while a reader drops and resumes with Last-Event-ID; loss and repeats."""
    from cstar_cli.client import CstarClient

    got: list[str] = []
    connected = threading.Event()
    done = threading.Event()
    resumes = 0

    def read() -> None:
        nonlocal resumes
        with CstarClient(rig.ready["secretKey"], api_base=rig.ready["apiBase"]) as cstar:
            last: str | None = None
            while not done.is_set():
                stream = cstar.realtime(
                    ["ticket.created"], last_event_id=last, on_connect=lambda n: connected.set()
                )
                for event in stream:
                    got.append(event.id)
                    if len(got) % drop_every == 0 or done.is_set():
                        break  # drop the connection; resume after the last event seen
                last = stream.last_event_id
                resumes += 1
                if len(got) >= count:
                    return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    connected.wait(20)
    sent = relay.fire(rig, count, None, workers=2, batch=50)
    deadline = time.monotonic() + 60
    while len(got) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    done.set()
    reader.join(10)
    fired = set(sent)
    return {
        "events": count,
        "received": len(set(got) & fired),
        "lost": len(fired - set(got)),
        "repeated": len(got) - len(set(got)),
        "in_order": got == sorted(got, key=_event_order(rig, got)),
        "resumes": resumes - 1,
    }


def _event_order(rig: Any, ids: list[str]) -> Any:
    """The events table's order (newest first from the API), as a sort key."""
    order: dict[str, int] = {}
    with httpx.Client(headers=rig.auth, timeout=30) as client:
        page = 1
        while len(order) < len(ids):
            params = {"type": "ticket.created", "pageSize": 100, "page": page}
            body = client.get(f"{rig.base}/events", params=params).json()
            for item in body["data"]:
                order.setdefault(item["id"], -len(order))
            if not body["pagination"]["hasMore"]:
                break
            page += 1
    return lambda event_id: order.get(event_id, 0)


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def open_raw_stream(rig: Any) -> socket.socket:
    """A bare SSE connection (no client library), read up to its first comment."""
    parts = urlsplit(rig.ready["apiBase"])
    sock = socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 80))
    path = urlsplit(rig.base).path + "/realtime"
    sock.sendall(
        f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: text/event-stream\r\n"
        f"Authorization: Bearer {rig.ready['secretKey']}\r\n\r\n".encode()
    )
    if b": connected" not in read_until(sock, b": connected"):
        raise SystemExit("a stream closed before it opened")
    return sock


def read_until(sock: socket.socket, marker: bytes) -> bytes:
    """Read from ``sock`` until ``marker`` has come or the other side closes; all that was read."""
    data = b""
    while marker not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def memory_run(rig: Any, streams: int) -> dict[str, Any]:
    pid = rig.platform.pid
    open_raw_stream(rig).close()  # warm the code paths once
    time.sleep(1.0)
    before = rss_kb(pid)
    sockets = [open_raw_stream(rig) for _ in range(streams)]
    time.sleep(1.0)
    after = rss_kb(pid)
    with httpx.Client(headers=rig.auth) as client:  # every idle stream still gets an event
        client.post(f"{rig.base}/tickets", json={"title": "wake up"})
    woke = 0
    for sock in sockets:
        sock.settimeout(10)
        woke += b"ticket.created" in read_until(sock, b"ticket.created")
        sock.close()
    return {
        "streams": streams,
        "rss_before_mb": round(before / 1024, 1),
        "rss_after_mb": round(after / 1024, 1),
        "added_mb": round((after - before) / 1024, 2),
        "per_stream_kb": round((after - before) / streams, 1),
        "all_woke": woke == streams,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=500, help="paced events per latency run")
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--resume-events", type=int, default=3000)
    parser.add_argument("--drop-every", type=int, default=400)
    parser.add_argument("--streams", type=int, default=100)
    parser.add_argument("--json", action="store_true")
    relay.run_with_rig(parser.parse_args(), measure, report)


KINDS = ("listen", "print", "sse")


def measure(rig: Any, args: argparse.Namespace) -> dict[str, Any]:
    latency_run(rig, "sse", 100, args.rate)  # warm up
    runs: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KINDS}
    for _ in range(args.rounds):
        for kind in KINDS:
            runs[kind].append(latency_run(rig, kind, args.events, args.rate))
    summary: dict[str, Any] = {
        "rounds": args.rounds,
        "rate": args.rate,
        "latency": {kind: relay._median(r) for kind, r in runs.items()},
        "resume": resume_run(rig, args.resume_events, args.drop_every),
        "memory": memory_run(rig, args.streams),
    }
    sse, listen = summary["latency"]["sse"], summary["latency"]["listen"]
    summary["sse_over_listen_p50"] = round(sse["p50_ms"] / listen["p50_ms"], 2)
    return summary


def report(summary: dict[str, Any]) -> None:
    print(f"medians of {summary['rounds']} rounds, events paced at {summary['rate']:.0f}/s")
    labels = {
        "listen": "cstar listen --forward-to",
        "print": "cstar listen (print mode)",
        "sse": "cstar events --tail (SSE)",
    }
    print(f"{'consumer':<28}{'p50 ms':>9}{'p99 ms':>9}{'lost':>7}{'repeated':>10}")
    for kind, row in summary["latency"].items():
        lost = row["events"] - row["received"]
        print(
            f"{labels[kind]:<28}{row['p50_ms']:>9.2f}{row['p99_ms']:>9.2f}"
            f"{lost:>7.0f}{row['repeated']:>10.0f}"
        )
    print(f"SSE p50 / relay p50: {summary['sse_over_listen_p50']:.2f} (goal <= 2)")
    resume = summary["resume"]
    print(
        f"resume: {resume['events']} events flat out, {resume['resumes']} drops and resumes: "
        f"{resume['lost']} lost, {resume['repeated']} repeated, in order: {resume['in_order']}"
    )
    memory = summary["memory"]
    print(
        f"memory: {memory['streams']} idle streams add {memory['added_mb']} MB to the platform "
        f"({memory['rss_before_mb']} -> {memory['rss_after_mb']} MB, "
        f"{memory['per_stream_kb']} KB each; all woke: {memory['all_woke']}) (goal < 20 MB)"
    )


if __name__ == "__main__":
    main()
