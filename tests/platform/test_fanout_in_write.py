"""Issue 25: a write's events are queued for webhooks and listen routes in the write's own
transaction, and live connections get them from memory once it commits; SQLite stays the record
(a resend, a reconnect and a failed fan-out still go through the table). Over a real socket."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from websockets.asyncio.client import connect

from cstar_cli.platform.store.db import Database
from cstar_cli.wire.ids import LISTEN_SESSION
from tests.support.platforms import OwnPlatform, Start
from tests.support.waiting import eventually

TARGET = "http://127.0.0.1:9/hooks"
READ_QUEUE = "FROM route_events q JOIN events e"


@contextmanager
def statements(p: OwnPlatform) -> Iterator[list[str]]:
    """Every SQL statement the platform runs inside the block, in order."""
    seen: list[str] = []
    lock = threading.Lock()

    def trace(sql: str) -> None:
        with lock:
            seen.append(" ".join(sql.split()))

    conn = p.server.platform.db.conn

    async def tracing(callback: Callable[[str], None] | None) -> None:
        conn.set_trace_callback(callback)

    # Set on the platform's own thread, between its statements: from this thread it could wait
    # for the connection while a statement there waits for the GIL to call ``trace``.
    p.server.call(tracing(trace))
    try:
        yield seen
    finally:
        p.server.call(tracing(None))


def open_session(p: OwnPlatform, device: str) -> dict[str, Any]:
    with p.client() as api:
        response = api.post(
            p.team("/webhooks/listen"), json={"deviceName": device, "routes": [{"target": TARGET}]}
        )
        assert response.status_code in (200, 201), response.text
        return dict(response.json()["data"])


def fire(p: OwnPlatform) -> str:
    with p.client() as api:
        response = api.post(p.team("/webhooks/trigger-test"), json={"event": "ticket.created"})
        assert response.status_code in (200, 201), response.text
        return str(response.json()["data"]["eventIds"][0])


def test_the_listen_queue_and_webhook_attempts_commit_with_the_write(own_platform: Start) -> None:
    p = own_platform()
    open_session(p, "in-write")
    with p.client() as api:
        hook = api.post(p.team("/webhooks"), json={"url": TARGET, "events": ["*"]})
        assert hook.status_code == 201, hook.text
    with statements(p) as seen:
        fire(p)
    first_event = next(i for i, sql in enumerate(seen) if sql.startswith("INSERT INTO events"))
    commit = next(i for i, sql in enumerate(seen) if i > first_event and sql == "COMMIT")
    between = seen[first_event:commit]
    assert any(sql.startswith("INSERT INTO route_events") for sql in between)
    assert any(sql.startswith("INSERT INTO deliveries") for sql in between)
    assert any("dispatcher_state" in sql for sql in between)  # the cursor moved with it
    assert not any(sql.startswith("BEGIN") for sql in between)
    after = seen[commit + 1 :]
    assert not any(sql.startswith("INSERT INTO route_events") for sql in after)


def test_a_failing_fan_out_never_fails_the_write_and_is_caught_up(
    own_platform: Start, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = own_platform()
    session = open_session(p, "failing")
    store = p.server.platform.listen_store
    real_queue = store.queue
    calls: list[int] = []

    def queue_once_broken(events: list[dict[str, Any]]) -> Any:
        calls.append(len(events))
        if len(calls) == 1:
            raise RuntimeError("fan-out broke")
        return real_queue(events)

    monkeypatch.setattr(store, "queue", queue_once_broken)
    event_id = fire(p)  # answered: the write committed without its fan-out
    with p.client() as api:
        assert api.get(p.team(f"/events/{event_id}")).status_code == 200
    sid = session["id"].removeprefix(LISTEN_SESSION)
    assert eventually(lambda: store.pending(sid), lambda n: n == 1) == 1
    assert len(calls) >= 2


async def _relay(p: OwnPlatform, session: dict[str, Any]) -> tuple[list[Any], list[str]]:
    """Connect, take the backlog, then fire two events live and resend the first: the frames'
    events, and the statements run while the live ones were sent."""
    headers = {"Authorization": f"Bearer {p.server.keys.secret_key}"}
    hello = {"type": "hello", "version": 2, "routes": [{"target": TARGET, "after": 0}]}
    got: list[Any] = []
    async with connect(session["websocketUrl"], additional_headers=headers) as ws:
        await ws.send(json.dumps(hello))
        assert json.loads(await ws.recv())["type"] == "ready"
        got += json.loads(await ws.recv())["events"]  # the backlog, read from the table
        with statements(p) as seen:
            for _ in range(2):
                await asyncio.to_thread(fire, p)
                got += json.loads(await ws.recv())["events"]
            live = list(seen)
        with p.client() as api:
            resend = api.post(
                p.team(f"/events/{got[1]['eventId']}/resend"), json={"sessionId": session["id"]}
            )
            assert resend.status_code in (200, 201), resend.text
        got += json.loads(await ws.recv())["events"]  # a resend is queued in the table only
        await asyncio.to_thread(fire, p)
        got += json.loads(await ws.recv())["events"]
    return got, live


def test_live_events_go_out_from_memory_in_order(own_platform: Start) -> None:
    p = own_platform()
    session = open_session(p, "memory")
    backlog = fire(p)  # queued before the connection: sent from the table
    got, live = asyncio.run(_relay(p, session))
    assert [e["seq"] for e in got] == [1, 2, 3, 4, 5]
    assert got[0]["eventId"] == backlog
    assert [e["resend"] for e in got] == [False, False, False, True, False]
    assert got[3]["eventId"] == got[1]["eventId"] and got[3]["attempt"] == 2
    assert not any(READ_QUEUE in sql for sql in live)  # sent from memory
    with p.client() as api:
        stored = api.get(p.team(f"/events/{got[2]['eventId']}")).json()["data"]
    assert json.loads(got[2]["payload"])["id"] == stored["id"]
    assert len({e["deliveryId"] for e in got}) == 5


def test_before_commit_runs_once_inside_the_transaction_and_never_after_a_rollback() -> None:
    db = Database(":memory:")
    calls: list[str] = []

    def fan_out() -> None:
        calls.append(f"before (depth {db._depth})")
        db.after_commit(lambda: calls.append("after"))

    def failing_write() -> None:
        with db.transaction():
            db.before_commit(fan_out)
            raise RuntimeError("the write failed")

    with pytest.raises(RuntimeError):
        failing_write()
    assert calls == []
    with db.transaction():
        db.before_commit(fan_out)
        with db.transaction():
            db.before_commit(fan_out)  # asked twice: runs once, at the outer commit
        assert calls == []
    assert calls == ["before (depth 1)", "after"]
