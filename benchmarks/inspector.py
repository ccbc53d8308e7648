"""Benchmark the inspector's events view: 10,000 stored events against 10, in the same run.

One command: ``python benchmarks/inspector.py`` (``--json`` for machine output; ``--events N``
for the big store). Two ``cstar dev`` processes, each with its own fresh SQLite file: one with
10 events, one with 10,000 (tickets created through the API, so each is a real
``ticket.created`` with its delivery rows, as a developer's store would hold). Each is opened
through a one-time link, then, in alternating rounds:

- server: ``GET /inspector/view/`` (the events view's HTML, first page) with the session token
  (D48) over one keep-alive connection — the platform's own cost;
- browser: a full load of the page in Chromium (the shell, style, script, the view fetched, the
  live stream open and the rows on screen) — what a developer waits for.

Medians; the goal is ≤ 1.5× for the big store (the view paginates: 30 rows a page, one delivery
query for those rows, so the cost must not grow with the store). ``CSTAR_CHROMIUM`` points at
another Chromium binary.
"""

from __future__ import annotations

import os
import sys

if sys.path and sys.path[0].rstrip("/").endswith("benchmarks"):
    sys.path.append(os.path.dirname(sys.path.pop(0)))  # see benchmarks/_common.py

import argparse
import json
import statistics
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx

from benchmarks._common import dev

CHROMIUM = os.environ.get("CSTAR_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"]
GOAL = 1.5


def fill(ready: dict[str, Any], count: int) -> None:
    """``count`` tickets (so ``count`` ticket.created events) through the API."""
    with httpx.Client(
        base_url=f"{ready['apiBase']}/api/v1/teams/{ready['teamId']}",
        headers={"Authorization": f"Bearer {ready['secretKey']}"},
        timeout=30,
    ) as api:
        for number in range(count):
            response = api.post("/tickets", json={"title": f"Ticket {number}"})
            assert response.status_code == 201, response.text
        total = api.get("/events", params={"pageSize": 1}).json()["pagination"]["total"]
        print(f"  {ready['apiBase']}: {total:,} events", file=sys.stderr)


def signed_in(ready: dict[str, Any]) -> httpx.Client:
    """What the page does with its link: trade it for a session token, send that (D48)."""
    client = httpx.Client(base_url=ready["apiBase"], timeout=30)
    link = ready["inspectorUrl"].split("token=", 1)[1]
    traded = client.post("/inspector/session", json={"link": link})
    assert traded.status_code == 201, traded.text
    client.headers["X-Inspector-Token"] = traded.json()["data"]["token"]
    return client


def time_server(client: httpx.Client) -> float:
    started = time.perf_counter()
    page = client.get("/inspector/view/")
    elapsed = (time.perf_counter() - started) * 1000
    assert page.status_code == 200
    return elapsed


def time_browser(page: Any, url: str) -> float:
    started = time.perf_counter()
    page.goto(url, wait_until="load")
    page.wait_for_selector("#events tbody tr[data-id]")
    page.wait_for_selector("#live[data-state=on]")
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    sizes = {"small": 10, "big": args.events}
    results: dict[str, dict[str, list[float]]] = {n: {"server": [], "browser": []} for n in sizes}
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        readies = {n: stack.enter_context(dev(Path(tmp) / f"{n}.db")) for n in sizes}
        for name, count in sizes.items():
            fill(readies[name], count)
        clients = {n: signed_in(r) for n, r in readies.items()}
        for client in clients.values():
            stack.callback(client.close)
        for ready in readies.values():  # a fresh link per platform for the browser
            with httpx.Client(timeout=10) as raw:
                minted = raw.post(
                    f"{ready['apiBase']}/api/v1/teams/{ready['teamId']}/inspector/links",
                    headers={"Authorization": f"Bearer {ready['secretKey']}"},
                )
                ready["browserLink"] = minted.json()["data"]["url"]
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        pages = {}
        for name, ready in readies.items():
            pages[name] = browser.new_context().new_page()
            pages[name].goto(ready["browserLink"])
        for _ in range(5):  # warm up both
            for name in sizes:
                time_server(clients[name])
                time_browser(pages[name], readies[name]["apiBase"] + "/")
        for round_number in range(args.rounds):
            order = list(sizes) if round_number % 2 == 0 else list(reversed(sizes))
            for name in order:
                results[name]["server"].append(time_server(clients[name]))
                results[name]["browser"].append(
                    time_browser(pages[name], readies[name]["apiBase"] + "/")
                )
        browser.close()
    report(sizes, results, as_json=args.json)


def report(
    sizes: dict[str, int], results: dict[str, dict[str, list[float]]], *, as_json: bool
) -> None:
    medians = {n: {k: statistics.median(v) for k, v in r.items()} for n, r in results.items()}
    ratios = {k: medians["big"][k] / medians["small"][k] for k in ("server", "browser")}
    if as_json:
        print(json.dumps({"events": sizes, "medianMs": medians, "ratio": ratios, "goal": GOAL}))
        return
    print(f"{'store':>14} {'server GET / ms':>16} {'browser load ms':>16}")
    for name, count in sizes.items():
        print(
            f"{count:>7,} events {medians[name]['server']:>16.2f} {medians[name]['browser']:>16.1f}"
        )
    print(f"{'ratio':>14} {ratios['server']:>15.2f}× {ratios['browser']:>15.2f}×  (goal ≤ {GOAL}×)")
    met = all(ratio <= GOAL for ratio in ratios.values())
    print("goal met" if met else "goal NOT met")


if __name__ == "__main__":
    main()
