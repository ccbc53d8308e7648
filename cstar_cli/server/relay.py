"""The listen relay's platform side (D14, D15): sessions, their queues and live connections.

A session belongs to a team, an environment and a device name; a new ``cstar listen`` with the
same device name takes it over, backlog and signing secret included. Every event that matches a
session's filter is numbered (``seq``) and stored in ``session_events`` in the dispatcher's
fan-out transaction; it stays there until the CLI acknowledges it *after* forwarding it, so a
dropped connection, a killed CLI or a platform restart loses nothing. On (re)connect the CLI says
up to which ``seq`` it has finished; everything after that is sent again, in order.

The wire format is documented in ``docs/relay-protocol.md``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from cstar_cli import catalog
from cstar_cli.server import ids
from cstar_cli.server.clock import iso
from cstar_cli.server.db import Database, Row

log = logging.getLogger("cstar.platform.relay")

SESSION_TTL = 24 * 3600
WINDOW = 1000  # events sent but not yet acknowledged, per connection
FRAME_BATCH = 100  # events per websocket frame at most
CLOSE_REPLACED = 4409
CLOSE_AUTH = 4401
CLOSE_GONE = 4404

SendText = Callable[[str], Awaitable[None]]


@dataclass
class Connection:
    """One live websocket of a session."""

    session_id: str
    send_text: SendText
    close: Callable[[int, str], Awaitable[None]]
    forward_to: str = ""
    last_sent: int = 0
    unacked: set[int] = field(default_factory=set)
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    closed: bool = False


class RelayHub:
    """Listen sessions of one platform: storage, fan-out and the connected CLIs."""

    def __init__(self, db: Database, clock: Callable[[], float]) -> None:
        self.db = db
        self.clock = clock
        self.connections: dict[str, Connection] = {}

    # -- sessions --------------------------------------------------------------------------
    def open_session(
        self, team_id: str, livemode: bool, device: str, events: list[str], secret: str
    ) -> Row:
        """Create the device's session, or resume it with a new filter (D14)."""
        now = self.clock()
        with self.db.transaction():
            row = self.db.one(
                "SELECT * FROM listen_sessions "
                "WHERE team_id = ? AND livemode = ? AND device_name = ?",
                (team_id, int(livemode), device),
            )
            if row is not None and row["expires_at"] <= now:
                self.db.execute("DELETE FROM listen_sessions WHERE id = ?", (row["id"],))
                row = None
            if row is None:
                row = {
                    "id": ids.new_hex(),
                    "team_id": team_id,
                    "livemode": int(livemode),
                    "device_name": device,
                    "events": json.dumps(events),
                    "secret": secret,
                    "next_seq": 1,
                    "created_at": iso(now),
                    "expires_at": now + SESSION_TTL,
                }
                self.db.insert("listen_sessions", row)
            else:
                values = {"events": json.dumps(events), "expires_at": now + SESSION_TTL}
                self.db.update("listen_sessions", "id", row["id"], values)
                row = {**row, **values}
        return row

    def session(self, session_id: str) -> Row | None:
        return self.db.one("SELECT * FROM listen_sessions WHERE id = ?", (session_id,))

    def pending(self, session_id: str) -> int:
        row = self.db.one(
            "SELECT COUNT(*) AS n FROM session_events WHERE session_id = ?", (session_id,)
        )
        return int(row["n"]) if row else 0

    def _live_sessions(self, team_id: str, livemode: int) -> list[Row]:
        return self.db.all(
            "SELECT id, events, next_seq FROM listen_sessions "
            "WHERE team_id = ? AND livemode = ? AND expires_at > ?",
            (team_id, livemode, self.clock()),
        )

    def subscribers(self, team_id: str, livemode: bool, event_type: str) -> int:
        return sum(
            1
            for s in self._live_sessions(team_id, int(livemode))
            if _matches(s["events"], event_type)
        )

    # -- queueing (called inside the dispatcher's fan-out transaction) ----------------------
    def fan_out(self, events: list[Row]) -> None:
        sessions: dict[tuple[str, int], list[Row]] = {}
        touched: set[str] = set()
        next_seq: dict[str, int] = {}
        for event in events:
            scope = (event["team_id"], event["livemode"])
            if scope not in sessions:
                sessions[scope] = self._live_sessions(*scope)
            for session in sessions[scope]:
                if _matches(session["events"], event["type"]):
                    sid = session["id"]
                    seq: int = next_seq.get(sid) or int(session["next_seq"])
                    self._queue(sid, seq, event["id"])
                    next_seq[sid] = seq + 1
                    touched.add(sid)
        for sid, seq in next_seq.items():
            self.db.execute("UPDATE listen_sessions SET next_seq = ? WHERE id = ?", (seq, sid))
        self.notify(touched)

    def _queue(self, session_id: str, seq: int, event_id: str) -> None:
        self.db.insert(
            "session_events",
            {
                "session_id": session_id,
                "seq": seq,
                "delivery_id": ids.new_hex(),
                "event_id": event_id,
                "created_at": self.clock(),
            },
        )

    def requeue(self, session_id: str, event_id: str) -> None:
        """Queue an event again for a session (``POST /events/{id}/resend``)."""
        row = self.db.one("SELECT next_seq FROM listen_sessions WHERE id = ?", (session_id,))
        assert row is not None
        self._queue(session_id, int(row["next_seq"]), event_id)
        self.db.execute(
            "UPDATE listen_sessions SET next_seq = next_seq + 1 WHERE id = ?", (session_id,)
        )
        self.notify([session_id])

    def matching_sessions(self, team_id: str, livemode: bool, event_type: str) -> list[str]:
        return [
            s["id"]
            for s in self._live_sessions(team_id, int(livemode))
            if _matches(s["events"], event_type)
        ]

    def notify(self, session_ids: Iterable[str]) -> None:
        for sid in session_ids:
            connection = self.connections.get(sid)
            if connection is not None:
                connection.wake.set()

    # -- connections -----------------------------------------------------------------------
    async def attach(self, connection: Connection, after: int) -> int:
        """Make ``connection`` the session's only one; drop what the CLI says it finished."""
        previous = self.connections.get(connection.session_id)
        self.connections[connection.session_id] = connection
        if previous is not None and not previous.closed:
            previous.closed = True
            with contextlib.suppress(Exception):
                await previous.send_text(json.dumps({"type": "replaced"}))
                await previous.close(CLOSE_REPLACED, "replaced by a newer cstar listen")
        with self.db.transaction():
            self.db.execute(
                "DELETE FROM session_events WHERE session_id = ? AND seq <= ?",
                (connection.session_id, after),
            )
            self.db.execute(
                "UPDATE listen_sessions SET expires_at = ? WHERE id = ?",
                (self.clock() + SESSION_TTL, connection.session_id),
            )
        connection.last_sent = after
        return self.pending(connection.session_id)

    async def end_session(self, session_id: str) -> None:
        """Delete a session and its backlog; a connected CLI is told it is gone (4404)."""
        connection = self.connections.pop(session_id, None)
        with self.db.transaction():
            self.db.execute("DELETE FROM session_events WHERE session_id = ?", (session_id,))
            self.db.execute("DELETE FROM listen_sessions WHERE id = ?", (session_id,))
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
        """Send queued events in order, at most ``WINDOW`` unacknowledged at a time."""
        while not connection.closed:
            connection.wake.clear()
            room = WINDOW - len(connection.unacked)
            rows = (
                self.db.all(
                    "SELECT s.seq, s.delivery_id, s.event_id, e.type, e.payload, e.request_id "
                    "FROM session_events s JOIN events e ON e.id = s.event_id "
                    "WHERE s.session_id = ? AND s.seq > ? ORDER BY s.seq LIMIT ?",
                    (connection.session_id, connection.last_sent, room),
                )
                if room > 0
                else []
            )
            for start in range(0, len(rows), FRAME_BATCH):
                chunk = rows[start : start + FRAME_BATCH]
                frame = {"type": "events", "events": [_wire_event(r) for r in chunk]}
                await connection.send_text(json.dumps(frame, separators=(",", ":")))
                connection.unacked.update(r["seq"] for r in chunk)
                connection.last_sent = chunk[-1]["seq"]
            if room <= 0 or len(rows) < room:
                await connection.wake.wait()

    def acknowledge(self, connection: Connection, acks: list[dict[str, Any]]) -> None:
        """Forget acknowledged events and record each local result as a delivery attempt."""
        by_seq = {int(ack["seq"]): ack for ack in acks}
        connection.unacked.difference_update(by_seq)
        stamp = iso(self.clock())
        sid = connection.session_id
        with self.db.transaction():
            session = self.db.one(
                "SELECT team_id, livemode FROM listen_sessions WHERE id = ?", (sid,)
            )
            marks = ",".join("?" * len(by_seq))
            rows = self.db.all(
                f"SELECT * FROM session_events WHERE session_id = ? AND seq IN ({marks})",
                (sid, *by_seq),
            )
            if session is None or not rows:
                return
            self.db.conn.executemany(
                "DELETE FROM session_events WHERE session_id = ? AND seq = ?",
                [(sid, row["seq"]) for row in rows],
            )
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO deliveries (id, event_id, team_id, livemode, webhook_id, "
                "session_id, url, attempt, status, scheduled_at, response_status, duration_ms, "
                "response_body, error, created_at, finished_at) "
                "VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)",
                [_attempt_row(row, by_seq[row["seq"]], session, connection, stamp) for row in rows],
            )
        connection.wake.set()

    async def disconnect_all(self) -> None:
        """Close every live connection (tests use this to simulate network drops)."""
        for connection in list(self.connections.values()):
            connection.closed = True
            connection.wake.set()
            with contextlib.suppress(Exception):
                await connection.close(1012, "platform closing the connection")


def _attempt_row(
    row: Row, ack: dict[str, Any], session: Row, connection: Connection, stamp: str
) -> tuple[Any, ...]:
    status = ack.get("status")
    code = status if isinstance(status, int) else None
    ok = code is not None and 200 <= code < 300
    return (
        row["delivery_id"],
        row["event_id"],
        session["team_id"],
        session["livemode"],
        connection.session_id,
        str(ack.get("forwardTo") or connection.forward_to or "cstar listen"),
        int(ack.get("attempts") or 1),
        "succeeded" if ok else "failed",
        row["created_at"],
        code,
        ack.get("durationMs"),
        ack.get("error"),
        stamp,
        stamp,
    )


def _matches(events_json: str, event_type: str) -> bool:
    return any(catalog.matches(p, event_type) for p in json.loads(events_json))


def _wire_event(row: Row) -> dict[str, Any]:
    return {
        "seq": row["seq"],
        "deliveryId": ids.DELIVERY + row["delivery_id"],
        "eventId": row["event_id"],
        "eventType": row["type"],
        "requestId": row["request_id"],
        "payload": row["payload"],
    }
