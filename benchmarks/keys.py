"""Benchmark what the number of keys costs an identity-verified portal request: 2 keys against 100.

One command: ``python benchmarks/keys.py`` (``--json`` for machine output). Two ``cstar dev``
processes, each with its own fresh SQLite file: one keeps its two seed test keys (a secret and
a publishable one), the other gets 98 more test secret keys through the API — 100, the most an
environment may hold (D5). A verified identity's hash is checked against every working secret
key of the environment (D18: the same work whichever one matches), so that is where more keys
cost. Then, in alternating rounds over one keep-alive connection each, the same portal request
— ``GET /tickets`` with the publishable key and Ada's identity, signed with the seed secret
key — and, as the baseline, the same request with the secret key and no identity (no HMAC at
all; both lists are empty).

Medians. Before D5 bounded keys, 2,000 keys made this request take 29 ms instead of 2.7 ms; the
goal is that 100 keys (the bound) add no more than 1 ms to the 2-key median.
"""

from __future__ import annotations

import os
import sys

if sys.path and sys.path[0].rstrip("/").endswith("benchmarks"):
    sys.path.append(os.path.dirname(sys.path.pop(0)))  # see benchmarks/_common.py

import base64
import json
import statistics
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx

from benchmarks._common import dev, options
from cstar_cli.client.identity import sign_identity

GOAL_ADDED_MS = 1.0


def team(ready: dict[str, Any], key: str, **headers: str) -> httpx.Client:
    return httpx.Client(
        base_url=f"{ready['apiBase']}/api/v1/teams/{ready['teamId']}",
        headers={"Authorization": f"Bearer {key}", **headers},
        timeout=30,
    )


def add_keys(ready: dict[str, Any], count: int) -> int:
    """``count`` more test secret keys; returns how many keys the environment holds."""
    with team(ready, ready["secretKey"]) as api:
        for number in range(count):
            made = api.post("/keys", json={"name": f"bench {number}", "environment": "test"})
            assert made.status_code == 201, made.text
        listed = api.get("/keys", params={"pageSize": 1}).json()
    total: int = listed["pagination"]["total"]
    return total


def portal(ready: dict[str, Any], *, verified: bool) -> httpx.Client:
    """The portal's client: the publishable key with Ada's signed identity (``verified``), or
    the baseline: the secret key, no identity (the same route and an equally empty list)."""
    if not verified:
        return team(ready, ready["secretKey"])
    payload, digest = sign_identity(ready["secretKey"], email="ada@example.com")
    encoded = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
    return team(
        ready,
        ready["publishableKey"],
        **{"X-Cstar-Identity": encoded, "X-Cstar-Identity-Hash": digest},
    )


def timed(client: httpx.Client) -> float:
    started = time.perf_counter()
    answer = client.get("/tickets")
    elapsed = (time.perf_counter() - started) * 1000
    assert answer.status_code == 200, answer.text
    return elapsed


def main() -> None:
    args = options(__doc__, 15, ("--requests", 200, "per round and case"))
    sizes = {"few": 0, "bound": 98}
    cases = [(size, verified) for size in sizes for verified in (True, False)]
    samples: dict[tuple[str, bool], list[float]] = {case: [] for case in cases}
    held: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        readies = {n: stack.enter_context(dev(Path(tmp) / f"{n}.db")) for n in sizes}
        for name, extra in sizes.items():
            held[name] = add_keys(readies[name], extra)
        clients = {(n, v): stack.enter_context(portal(readies[n], verified=v)) for n, v in cases}
        for client in clients.values():  # warm up: connections, caches, the customer row
            for _ in range(50):
                timed(client)
        for round_number in range(args.rounds):
            order = cases if round_number % 2 == 0 else list(reversed(cases))
            for case in order:
                samples[case] += [timed(clients[case]) for _ in range(args.requests)]
    report(held, samples, as_json=args.json)


def report(
    held: dict[str, int], samples: dict[tuple[str, bool], list[float]], *, as_json: bool
) -> None:
    medians = {case: statistics.median(values) for case, values in samples.items()}
    added = medians[("bound", True)] - medians[("few", True)]
    if as_json:
        out = {
            name: {
                "keys": held[name],
                "verifiedMedianMs": medians[(name, True)],
                "withoutIdentityMedianMs": medians[(name, False)],
            }
            for name in held
        }
        print(json.dumps({**out, "addedMs": added, "goalAddedMs": GOAL_ADDED_MS}))
        return
    print(f"{'keys':>5} {'verified p50 ms':>16} {'no identity p50 ms':>19} {'identity costs':>15}")
    for name, count in held.items():
        verified, plain = medians[(name, True)], medians[(name, False)]
        print(f"{count:>5} {verified:>16.3f} {plain:>19.3f} {verified - plain:>+14.3f}")
    print(f"100 keys add {added:+.3f} ms to a verified request (goal ≤ {GOAL_ADDED_MS} ms)")
    print("goal met" if added <= GOAL_ADDED_MS else "goal NOT met")


if __name__ == "__main__":
    main()
