"""Request logs (D17): recorded for every request, filtered on the server, streamed live."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from cstar_cli.platform.runner import PlatformThread
from cstar_cli.platform.settings import PlatformSettings
from tests.support.processes import login_options, run_cstar
from tests.support.streams import CliStream
from tests.support.waiting import eventually


@pytest.fixture
def server() -> Iterator[PlatformThread]:
    settings = PlatformSettings(db_path=":memory:", enforce_rate_limits=False)
    with PlatformThread(settings) as running:
        yield running


def client(
    server: PlatformThread, key: str | None = None, agent: str = "test-suite/1"
) -> httpx.Client:
    return httpx.Client(
        base_url=f"{server.api_base}/api/v1/teams/{server.keys.team_id}",
        headers={"Authorization": f"Bearer {key or server.keys.secret_key}", "User-Agent": agent},
        timeout=10,
    )


def logs(server: PlatformThread, **params: Any) -> list[dict[str, Any]]:
    with client(server) as c:
        body = c.get("/logs", params={"pageSize": 100, **params}).json()
    assert body["success"], body
    return body["data"]  # type: ignore[no-any-return]


def shown_before_a_marker(server: PlatformThread, stream: CliStream) -> list[dict[str, Any]]:
    """The lines ``stream`` shows before a GET made now: the stream is in log order, so once
    that request's line is in, every line of the earlier requests (a repeat too) is in."""
    with client(server) as c:
        marker = c.get("/members").headers["x-cstar-request-id"]
    eventually(lambda: [line["id"] for line in stream.lines], lambda ids: marker in ids)
    ids = [line["id"] for line in stream.lines]
    return stream.lines[: ids.index(marker)]


@pytest.fixture
def tail(server: PlatformThread) -> Iterator[Any]:
    started: list[CliStream] = []

    def start(*args: str) -> CliStream:
        stream = CliStream.start(
            ["logs", "--tail", "--json", *login_options(server), *args], ready="Tailing"
        )
        started.append(stream)
        return stream

    yield start
    for stream in started:
        stream.stop()


def test_200_requests_from_4_clients_appear_exactly_once(server: PlatformThread, tail: Any) -> None:
    stream = tail()

    def work(worker: int) -> list[str]:
        ids = []
        with client(server) as c:
            for i in range(50):
                response = (
                    c.get("/tickets") if i % 2 else c.post("/tickets", json={"title": f"w{worker}"})
                )
                ids.append(response.headers["x-cstar-request-id"])
        return ids

    with ThreadPoolExecutor(max_workers=4) as pool:
        request_ids = [rid for chunk in pool.map(work, range(4)) for rid in chunk]
    stream.wait_for(200)
    seen = Counter(line["id"] for line in shown_before_a_marker(server, stream))
    assert set(seen) == set(request_ids)
    assert set(seen.values()) == {1}
    # Only /tickets: the GET /logs calls below would otherwise shift the pages as they go.
    stored = Counter(
        entry["id"] for page in (1, 2) for entry in logs(server, page=page, path="/tickets")
    )
    assert set(request_ids) <= set(stored)
    assert set(stored.values()) == {1}


def test_entries_describe_the_request_but_never_bodies_or_keys(server: PlatformThread) -> None:
    secret_title = "a body that must never be logged"
    with client(server, agent="cstar-cli/9.9") as c:
        c.post("/tickets", json={"title": secret_title}, headers={"Idempotency-Key": "idem-1"})
        c.post("/tickets", json={})
    entries = logs(server)
    created, failed = entries[1], entries[0]
    assert (created["method"], created["status"], created["source"]) == ("POST", 201, "cli")
    assert created["idempotencyKey"] == "idem-1"
    assert created["error"] is None
    assert created["key"] == f"sk_test_…{server.keys.secret_key[-4:]}"
    assert failed["error"] == {
        "type": "invalid_request_error",
        "code": "parameter_missing",
        "message": "The 'title' field is required.",
    }
    dump = json.dumps(entries)
    assert secret_title not in dump
    assert server.keys.secret_key not in dump


def test_refused_keys_are_logged_for_their_own_team(server: PlatformThread) -> None:
    with client(server) as admin:
        made = admin.post("/keys", json={"name": "short-lived"}).json()["data"]
        admin.delete(f"/keys/{made['id']}")
    with client(server, made["secret"]) as revoked:
        assert revoked.get("/tickets").status_code == 401
    with client(server, server.keys.publishable_key) as public:
        assert public.post("/tickets", json={"title": "x"}).status_code == 403
    refusals = logs(server, statusClass="4xx")
    codes = {entry["error"]["code"] for entry in refusals}
    assert {"invalid_api_key", "publishable_key_write"} <= codes
    with client(server, server.keys.live_secret_key) as live:
        assert all(not e["livemode"] for e in logs(server))
        live_logs = live.get("/logs").json()["data"]
    assert all(e["livemode"] for e in live_logs)


@pytest.mark.parametrize(
    ("params", "check"),
    [
        ({"method": "POST"}, lambda e: e["method"] == "POST"),
        ({"path": "/customers"}, lambda e: "/customers" in e["path"]),
        ({"path": "/tickets/*"}, lambda e: "/tickets/" in e["path"]),
        ({"status": "404"}, lambda e: e["status"] == 404),
        ({"statusClass": "4xx"}, lambda e: 400 <= e["status"] < 500),
        ({"source": "mcp"}, lambda e: e["source"] == "mcp"),
    ],
)
def test_the_stream_applies_each_filter_on_the_server(
    server: PlatformThread, params: dict[str, str], check: Any
) -> None:
    url = f"{server.api_base}/api/v1/teams/{server.keys.team_id}/logs/stream".replace(
        "http", "ws", 1
    )

    async def run() -> list[dict[str, Any]]:
        from websockets.asyncio.client import connect

        headers = {"Authorization": f"Bearer {server.keys.secret_key}"}
        query = "&".join(f"{k}={v}" for k, v in params.items())
        async with connect(f"{url}?{query}", additional_headers=headers) as ws:
            await ws.send(json.dumps({"type": "hello", "after": None}))
            assert json.loads(await ws.recv())["type"] == "ready"
            await asyncio.to_thread(make_mixed_requests, server)
            received: list[dict[str, Any]] = []
            try:
                while True:
                    frame = json.loads(await asyncio.wait_for(ws.recv(), 0.5))
                    received += frame["entries"]
            except TimeoutError:
                return received

    received = asyncio.run(run())
    assert received, "the filter should match something in the mix"
    assert all(check(entry) for entry in received)
    assert all(check(entry) for entry in logs(server, **params))


def make_mixed_requests(server: PlatformThread) -> None:
    with client(server) as cli_client, client(server, agent="cstar-mcp/1.0") as mcp:
        cli_client.get("/tickets")
        cli_client.post("/tickets", json={"title": "mixed"})
        cli_client.post("/customers", json={"name": "M", "email": f"m{time.time_ns()}@e.com"})
        cli_client.get("/customers")
        cli_client.get("/tickets/tkt_0123456789abcdef0123456789abcdef")
        mcp.get("/articles")
        mcp.post("/tickets", json={})


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--method", "FETCH"], "--method"),
        (["--status", "abc"], "--status"),
        (["--status-class", "6xx"], "--status-class"),
        (["--source", "robot"], "--source"),
        (["--since", "last tuesday"], "--since"),
        (["--path", "tickets"], "--path"),
    ],
)
def test_bad_filter_values_exit_2(server: PlatformThread, args: list[str], needle: str) -> None:
    result = run_cstar("logs", "--tail", *args, *login_options(server))
    assert result.returncode == 2, result.stderr
    assert needle in result.stderr
    assert "Traceback" not in result.stderr


def test_an_interrupted_stream_resumes_without_repeating_lines(
    server: PlatformThread, tail: Any
) -> None:
    stream = tail("--method", "GET")
    with client(server) as c:
        for _ in range(10):
            c.get("/members")
        stream.wait_for(10)
        server.call(server.platform.request_log.disconnect_all())
        for _ in range(10):
            c.get("/members")
    stream.wait_for(20)
    seen = Counter(line["id"] for line in shown_before_a_marker(server, stream))
    assert len(seen) == 20
    assert set(seen.values()) == {1}
    assert any("Reconnected" in line for line in stream.stderr)


def test_ctrl_c_exits_130(server: PlatformThread, tail: Any) -> None:
    stream = tail()
    os.kill(stream.proc.pid, signal.SIGINT)
    assert stream.proc.wait(timeout=10) == 130
    assert "Traceback" not in "".join(stream.stderr)


def test_recent_logs_show_newest_last_in_human_form(server: PlatformThread) -> None:
    with client(server) as c:
        c.get("/tickets")
        c.post("/tickets", json={})
    result = run_cstar("logs", "--limit", "2", "--path", "/tickets", *login_options(server))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "[200]" in lines[0] and "GET" in lines[0] and "/tickets" in lines[0]
    assert "[400]" in lines[1] and "POST" in lines[1]
    assert "parameter_missing" in lines[2]
