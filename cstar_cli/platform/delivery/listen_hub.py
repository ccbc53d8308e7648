"""The listen relay's live side (D14, D15): the connected CLIs of the sessions.

A new ``cstar listen`` with a session's device name takes it over (the old connection is told
and closed with 4409). Each connection has a cursor per route: the pump sends a route's queued
events in ``seq`` order, at most ``WINDOW`` unacknowledged per route, so a target that is down
never holds back another route; on (re)connect the CLI says, per route, up to which ``seq`` it
has finished, and everything after that is sent again. Print-mode connections (``cstar listen``
without ``--forward-to``) get events live from the same fan-out and acknowledge nothing.

The fan-out queues events durably in the write's own transaction and, once it commits, hands
the queued rows to the live connections in memory (issue 25): a route's pump sends from memory
while what it holds follows on from what it sent, and reads ``route_events`` otherwise (after
a connect, a resend, a gap, or more than ``WINDOW`` waiting). SQLite stays the record: resume,
replay and acknowledgements work from it exactly as before.

Storage is :class:`~cstar_cli.platform.delivery.listen_store.ListenStore`'s; the wire
format is documented in ``docs/relay-protocol.md``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.delivery.listen_store import ListenStore, RouteSpec
from cstar_cli.platform.encoding import dump_text
from cstar_cli.platform.store.db import Row
from cstar_cli.wire.codes import CLOSE_GONE, CLOSE_REPLACED
from cstar_cli.wire.ids import ROUTE
from cstar_cli.wire.protocol import PROTOCOL_VERSION

log = logging.getLogger("cstar.platform.listen_hub")

WINDOW = 1000  # events sent but not yet acknowledged, per route and connection
FRAME_BATCH = 100  # events per websocket frame at most
ROUTE_PREFIX = ROUTE

SendText = Callable[[str], Awaitable[None]]
_SELECT_QUEUED = (
    "SELECT q.seq, q.delivery_id, q.event_id, q.attempt, q.resend, e.type, e.payload, "
    "e.request_id FROM route_events q JOIN events e ON e.id = q.event_id "
    "WHERE q.session_id = ? AND q.route_id = ? AND q.seq > ? ORDER BY q.seq LIMIT ?"
)

__all__ = ["PROTOCOL_VERSION", "ROUTE_PREFIX", "Connection", "ListenHub", "RouteSpec"]


@dataclass
class RouteCursor:
    """How far one connection got in sending one route's queue."""

    last_sent: int = 0
    unacked: set[int] = field(default_factory=set)
    fresh: list[Row] = field(default_factory=list)
    """Rows queued since, handed over from memory after their commit (``seq`` order)."""
    stored_ahead: bool = True
    """``route_events`` may hold rows after ``last_sent`` that ``fresh`` does not."""

    def take(self, room: int) -> list[Row] | None:
        """Up to ``room`` rows to send next from memory; ``None`` when they must be read from
        the table (``fresh`` does not follow on from ``last_sent``, or the table holds more)."""
        fresh = self.fresh
        skip = 0
        while skip < len(fresh) and fresh[skip]["seq"] <= self.last_sent:
            skip += 1
        if skip:
            del fresh[:skip]
        if fresh and fresh[0]["seq"] == self.last_sent + 1:
            rows = fresh[:room]
            del fresh[:room]
            return rows
        return None if self.stored_ahead or fresh else []

    def hold(self, rows: list[Row]) -> None:
        self.fresh.extend(rows)
        if len(self.fresh) > WINDOW:  # a slow CLI: read from the table when it catches up
            self.fresh.clear()
            self.stored_ahead = True


@dataclass
class Connection:
    """One live websocket of a session."""

    session_id: str
    send_text: SendText
    close: Callable[[int, str], Awaitable[None]]
    mode: str = "forward"  # or "print"
    instance: str = ""  # the CLI process's own id: its reconnects are not takeovers
    routes: dict[str, RouteCursor] = field(default_factory=dict)
    live: list[Row] = field(default_factory=list)  # print mode: events not yet sent
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    closed: bool = False


@dataclass(frozen=True)
class Attached:
    """What a connection learns when it attaches (the ``ready`` frame)."""

    routes: list[dict[str, Any]]
    inactive: list[dict[str, Any]]
    pending: int
    took_over: bool


class ListenHub:
    """The connected CLIs of one platform's listen sessions: the fan-out to them, and each
    connection's routes, window and acknowledgements. What is stored is :attr:`store`'s."""

    def __init__(self, store: ListenStore) -> None:
        self.store = store
        self.connections: dict[str, Connection] = {}

    def fan_out(self, events: list[Row]) -> Callable[[], None] | None:
        """Queue each event for every route that wants it (inside the fan-out's transaction);
        returns the hand-off to run once it commits: the queued rows to the connected routes,
        the matched events to print-mode watchers, and a wake for each."""
        queued = self.store.queue(events)
        if not self.connections or (not queued.touched and not queued.matched):
            return None

        def hand_off() -> None:
            touched = set(queued.touched)
            for sid, shown in queued.matched.items():
                watcher = self.connections.get(sid)
                if watcher is not None and watcher.mode == "print":
                    watcher.live.extend(shown)
                    touched.add(sid)
            for (sid, rid), rows in queued.fresh.items():
                connection = self.connections.get(sid)
                cursor = connection.routes.get(rid) if connection is not None else None
                if cursor is not None:
                    cursor.hold(rows)
            self.notify(touched)

        return hand_off

    def requeue(self, session_id: str, event: Row) -> int:
        """Queue an event again for a session (``POST /events/{id}/resend``); returns routes."""
        count = self.store.requeue(session_id, event)
        connection = self.connections.get(session_id)
        for cursor in connection.routes.values() if connection is not None else ():
            cursor.stored_ahead = True  # queued in the table only
        self.notify([session_id])
        return count

    def notify(self, session_ids: Iterable[str]) -> None:
        for sid in session_ids:
            connection = self.connections.get(sid)
            if connection is not None:
                connection.wake.set()

    # -- connections -----------------------------------------------------------------------
    async def attach(
        self, connection: Connection, specs: list[RouteSpec], acks: list[dict[str, Any]]
    ) -> Attached:
        """Make ``connection`` the session's only one; record the acknowledgements the CLI
        could not send before, then drop what it says it finished."""
        sid = connection.session_id
        previous = self.connections.get(sid)
        self.connections[sid] = connection
        took_over = (
            previous is not None
            and not previous.closed
            and (not previous.instance or previous.instance != connection.instance)
        )
        if previous is not None and not previous.closed:
            previous.closed = True
            previous.wake.set()
            with contextlib.suppress(Exception):
                await previous.send_text(json.dumps({"type": "replaced"}))
                await previous.close(CLOSE_REPLACED, "replaced by a newer cstar listen")
        with self.store.db.transaction():
            self.store.set_routes(sid, specs)
            connection.routes = {spec.id: RouteCursor(last_sent=spec.after) for spec in specs}
            self.acknowledge(connection, acks)
            self.store.forget_finished(sid, specs)
        backlog = self.store.route_backlog(sid)
        active = {spec.id for spec in specs}
        routes = [
            {
                **_route_json(spec.id, spec.target, list(spec.events)),
                "pending": backlog.get(spec.id, 0),
            }
            for spec in specs
        ]
        inactive = [
            {**_route_json(r["route_id"], r["target"], json.loads(r["events"])), "pending": n}
            for r in self.store.routes(sid)
            if r["route_id"] not in active and (n := backlog.get(r["route_id"], 0))
        ]
        pending = sum(backlog.get(rid, 0) for rid in active)
        return Attached(routes, inactive, pending, took_over)

    def replay(self, connection: Connection, after_event: str | None) -> None:
        """Print mode: catch up on events committed since ``after_event`` (a reconnect)."""
        if after_event:
            connection.live[:0] = self.store.replay_rows(connection.session_id, after_event)
            connection.wake.set()

    async def end_session(self, session_id: str) -> None:
        """Delete a session and its backlog; a connected CLI is told it is gone (4404)."""
        connection = self.connections.pop(session_id, None)
        self.store.delete_session(session_id)
        if connection is not None:
            connection.closed = True
            connection.wake.set()
            with contextlib.suppress(Exception):
                await connection.close(CLOSE_GONE, "the listen session was ended")

    def detach(self, connection: Connection) -> None:
        connection.closed = True
        if self.connections.get(connection.session_id) is connection:
            del self.connections[connection.session_id]

    async def pump(self, connection: Connection) -> None:
        """Send queued events in order, at most ``WINDOW`` unacknowledged per route."""
        while not connection.closed:
            connection.wake.clear()
            more = False
            if connection.mode == "print":
                batch, connection.live = connection.live, []
                await self._send_rows(connection, None, None, batch)
            for rid, cursor in connection.routes.items():
                room = WINDOW - len(cursor.unacked)
                if room <= 0:
                    continue
                rows = cursor.take(room)
                if rows is None:
                    rows = self.store.db.all(
                        _SELECT_QUEUED,
                        (connection.session_id, rid, cursor.last_sent, room),
                    )
                    cursor.stored_ahead = len(rows) == room
                await self._send_rows(connection, rid, cursor, rows)
                more = more or len(rows) == room
            if not more and not connection.live:
                await connection.wake.wait()

    async def _send_rows(
        self, connection: Connection, rid: str | None, cursor: RouteCursor | None, rows: list[Row]
    ) -> None:
        for start in range(0, len(rows), FRAME_BATCH):
            chunk = rows[start : start + FRAME_BATCH]
            frame = {"type": "events", "events": [_wire_event(r, rid) for r in chunk]}
            await connection.send_text(dump_text(frame))
            if cursor is not None:
                cursor.unacked.update(r["seq"] for r in chunk)
                cursor.last_sent = chunk[-1]["seq"]

    def acknowledge(self, connection: Connection, acks: list[dict[str, Any]]) -> None:
        """Forget acknowledged events and record each answered attempt as a delivery attempt."""
        sid = connection.session_id
        only = next(iter(connection.routes)) if len(connection.routes) == 1 else None
        keyed: dict[tuple[str, int], dict[str, Any]] = {}
        for ack in acks:
            if not isinstance(ack, dict) or not isinstance(ack.get("seq"), int):
                continue
            rid = _unwire_route(ack.get("route")) or only
            if rid is None or rid not in connection.routes:
                continue
            seq = ack["seq"]
            connection.routes[rid].unacked.discard(seq)
            keyed[(rid, seq)] = ack
        if not keyed:
            return
        self.store.record_acks(sid, keyed)
        connection.wake.set()

    async def disconnect_all(self) -> None:
        """Close every live connection (tests use this to simulate network drops)."""
        for connection in list(self.connections.values()):
            connection.closed = True
            connection.wake.set()
            with contextlib.suppress(Exception):
                await connection.close(1012, "platform closing the connection")


def _route_json(rid: str, target: str, events: list[str]) -> dict[str, Any]:
    return {"id": ROUTE_PREFIX + rid, "target": target, "events": events}


def _unwire_route(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return value.removeprefix(ROUTE_PREFIX)


def _wire_event(row: Row, rid: str | None) -> dict[str, Any]:
    if rid is None:  # print mode: a live event, not a queued delivery
        return {
            "eventId": row["id"],
            "eventType": row["type"],
            "requestId": row["request_id"],
            "payload": row["payload"],
        }
    return {
        "route": ROUTE_PREFIX + rid,
        "seq": row["seq"],
        "deliveryId": ids.DELIVERY + row["delivery_id"],
        "eventId": row["event_id"],
        "eventType": row["type"],
        "requestId": row["request_id"],
        "payload": row["payload"],
        "attempt": row["attempt"],
        "resend": bool(row["resend"]),
    }
