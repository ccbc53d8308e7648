"""Listen sessions, their routes and their queues, in SQLite (D14, D15).

A session belongs to a team, an environment and a device name. A session has *routes* (a target
and event patterns, declared by the CLI): every event that matches the session's filter and a
route's patterns is numbered for that route (``seq``) and stored in ``route_events`` in the
dispatcher's fan-out transaction, until the CLI acknowledges it *after* the route's target
answered. Events queued before a session had routes wait unrouted (route ``''``) and go to the
routes it is first given. The live connections are
:class:`cstar_cli.platform.delivery.listen_hub.RelayHub`'s.

A session lives on real time (24 h after its last use); what it delivers is stamped on its team's
clock like every delivery (D37).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.delivery.listen_acks import attempt_rows
from cstar_cli.platform.store.db import Database, Row
from cstar_cli.platform.store.vault import SecretBox
from cstar_cli.platform.teamclock import TestClock
from cstar_cli.wire import catalog
from cstar_cli.wire.times import iso

SESSION_TTL = 24 * 3600
REPLAY_LIMIT = 1000  # events a print-mode reconnect may catch up on
UNROUTED = ""  # the queue of events waiting for a session's first routes
_INSERT_QUEUED = (
    "INSERT INTO route_events (session_id, route_id, seq, delivery_id, event_id, attempt, "
    "resend, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


@dataclass(frozen=True)
class RouteSpec:
    """A route as the CLI declares it: where it forwards, which events, how far it got."""

    target: str
    events: tuple[str, ...] = ("*",)
    after: int = 0

    @property
    def id(self) -> str:
        return route_id(self.target, self.events)


def route_id(target: str, events: Iterable[str]) -> str:
    """A route's id: the same target and patterns always name the same route."""
    digest = hashlib.sha256(json.dumps([target, sorted(set(events))]).encode()).hexdigest()
    return digest[:32]


class ListenStore:
    """The durable side of the relay: sessions, routes, queues, acknowledgements."""

    def __init__(
        self, db: Database, clock: Callable[[], float], vault: SecretBox, team_clock: TestClock
    ) -> None:
        self.db = db
        self.clock = clock
        """Real time: sessions' lifetime."""
        self.vault = vault
        self.team_clock = team_clock
        """Each team's time: what is queued and delivered is stamped on it (D37)."""

    # -- sessions --------------------------------------------------------------------------
    def open_session(
        self,
        team_id: str,
        livemode: bool,
        device: str,
        events: list[str],
        secret: str,
        routes: list[RouteSpec] | None = None,
    ) -> Row:
        """Create the device's session, or resume it with a new filter (D14).

        The row comes back with its signing secret readable; it is stored sealed (D27).
        """
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
                    "secret": self.vault.encrypt(secret),
                    "next_seq": 1,
                    "created_at": iso(now),
                    "expires_at": now + SESSION_TTL,
                }
                self.db.insert("listen_sessions", row)
            else:
                values = {"events": json.dumps(events), "expires_at": now + SESSION_TTL}
                self.db.update("listen_sessions", "id", row["id"], values)
                row = {**row, **values}
            if routes is not None:
                self.set_routes(row["id"], routes)
        return {**row, "secret": self.vault.decrypt(row["secret"])}

    def session(self, session_id: str) -> Row | None:
        return self.db.one("SELECT * FROM listen_sessions WHERE id = ?", (session_id,))

    def pending(self, session_id: str) -> int:
        row = self.db.one(
            "SELECT COUNT(*) AS n FROM route_events WHERE session_id = ?", (session_id,)
        )
        return int(row["n"]) if row else 0

    def route_backlog(self, session_id: str) -> dict[str, int]:
        """Events waiting per route of a session (``''``: not given to a route yet)."""
        rows = self.db.all(
            "SELECT route_id, COUNT(*) AS n FROM route_events WHERE session_id = ? "
            "GROUP BY route_id",
            (session_id,),
        )
        return {r["route_id"]: int(r["n"]) for r in rows}

    def routes(self, session_id: str, *, active: bool | None = None) -> list[Row]:
        sql = "SELECT * FROM listen_routes WHERE session_id = ?"
        if active is not None:
            sql += f" AND active = {int(active)}"
        return self.db.all(sql + " ORDER BY created_at, route_id", (session_id,))

    def set_routes(self, session_id: str, specs: list[RouteSpec]) -> None:
        """Make ``specs`` the session's active routes; others keep their backlog, inactive.

        Events that waited for the session's first routes go to every new route that matches.
        """
        stamp = iso(self.clock())
        with self.db.transaction():
            for spec in specs:
                self.db.execute(
                    "INSERT INTO listen_routes (session_id, route_id, target, events, active, "
                    "created_at) VALUES (?, ?, ?, ?, 1, ?) "
                    "ON CONFLICT(session_id, route_id) DO UPDATE SET active = 1",
                    (session_id, spec.id, spec.target, json.dumps(list(spec.events)), stamp),
                )
            keep = [spec.id for spec in specs]
            marks = ",".join("?" * len(keep))
            self.db.execute(
                "UPDATE listen_routes SET active = 0 WHERE session_id = ?"
                + (f" AND route_id NOT IN ({marks})" if keep else ""),
                (session_id, *keep),
            )
            self.db.execute("UPDATE listen_sessions SET routed = 1 WHERE id = ?", (session_id,))
            self._distribute_unrouted(session_id, specs)

    def _distribute_unrouted(self, session_id: str, specs: list[RouteSpec]) -> None:
        waiting = self.db.all(
            "SELECT r.*, e.type FROM route_events r JOIN events e ON e.id = r.event_id "
            "WHERE r.session_id = ? AND r.route_id = ? ORDER BY r.seq",
            (session_id, UNROUTED),
        )
        if not waiting or not specs:
            return
        for row in waiting:
            for spec in specs:
                if any(catalog.matches(p, row["type"]) for p in spec.events):
                    self._queue(
                        session_id,
                        spec.id,
                        row["event_id"],
                        row["attempt"],
                        row["resend"],
                        row["created_at"],  # queued when it was: only its route is new
                    )
        self.db.execute(
            "DELETE FROM route_events WHERE session_id = ? AND route_id = ?",
            (session_id, UNROUTED),
        )

    def _live_sessions(self, team_id: str, livemode: int) -> list[Row]:
        return self.db.all(
            "SELECT id, events, routed FROM listen_sessions "
            "WHERE team_id = ? AND livemode = ? AND expires_at > ?",
            (team_id, livemode, self.clock()),
        )

    def _targets(self, session: Row) -> list[tuple[str, list[str], int]]:
        """``(route id, patterns, next seq)`` an event of this session may be queued for."""
        if not session["routed"]:
            return [(UNROUTED, ["*"], self._next_seq(session["id"], UNROUTED))]
        return [
            (r["route_id"], json.loads(r["events"]), int(r["next_seq"]))
            for r in self.db.all(
                "SELECT route_id, events, next_seq FROM listen_routes "
                "WHERE session_id = ? AND active = 1",
                (session["id"],),
            )
        ]

    def _next_seq(self, session_id: str, rid: str) -> int:
        if rid == UNROUTED:  # no route row to count in: number after what is queued
            sql = (
                "SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM route_events "
                "WHERE session_id = ? AND route_id = ?"
            )
        else:
            sql = "SELECT next_seq AS n FROM listen_routes WHERE session_id = ? AND route_id = ?"
        row = self.db.one(sql, (session_id, rid))
        return int(row["n"]) if row else 1

    def subscribers(self, team_id: str, livemode: bool, event_type: str) -> int:
        return len(self.matching_sessions(team_id, livemode, event_type))

    def matching_sessions(self, team_id: str, livemode: bool, event_type: str) -> list[str]:
        return [
            s["id"]
            for s in self._live_sessions(team_id, int(livemode))
            if _matches(s["events"], event_type)
        ]

    # -- queueing (called inside the dispatcher's fan-out transaction) ----------------------
    def queue(self, events: list[Row]) -> Queued:
        """Queue each event for every active route that wants it (in the fan-out's transaction,
        which is the write's own, issue 25). Returns what was queued (:class:`Queued`)."""
        scopes: dict[tuple[str, int], list[tuple[Row, list[tuple[str, list[str], int]]]]] = {}
        next_seq: dict[tuple[str, str], int] = {}
        queued: list[tuple[Any, ...]] = []
        touched: set[str] = set()
        matched: dict[str, list[Row]] = {}
        fresh: dict[tuple[str, str], list[Row]] = {}
        for event in events:
            scope = (event["team_id"], event["livemode"])
            now = self.team_clock.now(event["team_id"], bool(event["livemode"]))
            if scope not in scopes:
                scopes[scope] = [(s, self._targets(s)) for s in self._live_sessions(*scope)]
            for session, targets in scopes[scope]:
                if not _matches(session["events"], event["type"]):
                    continue
                sid = session["id"]
                matched.setdefault(sid, []).append(event)
                for rid, patterns, first in targets:
                    if any(catalog.matches(p, event["type"]) for p in patterns):
                        seq = next_seq.get((sid, rid), first)
                        next_seq[(sid, rid)] = seq + 1
                        delivery = ids.new_hex()
                        queued.append((sid, rid, seq, delivery, event["id"], 1, 0, now))
                        fresh.setdefault((sid, rid), []).append(_queued_row(seq, delivery, event))
                        touched.add(sid)
        if queued:
            self.db.conn.executemany(_INSERT_QUEUED, queued)
            self.db.conn.executemany(
                "UPDATE listen_routes SET next_seq = ? WHERE session_id = ? AND route_id = ?",
                [(seq, sid, rid) for (sid, rid), seq in next_seq.items() if rid != UNROUTED],
            )
        return Queued(touched, matched, fresh)

    def _queue(
        self, session_id: str, rid: str, event_id: str, attempt: int, resend: int, at: float
    ) -> None:
        seq = self._next_seq(session_id, rid)
        row = (session_id, rid, seq, ids.new_hex(), event_id, attempt, resend, at)
        self.db.execute(_INSERT_QUEUED, row)
        self.db.execute(
            "UPDATE listen_routes SET next_seq = ? WHERE session_id = ? AND route_id = ?",
            (seq + 1, session_id, rid),
        )

    def requeue(self, session_id: str, event: Row) -> int:
        """Queue an event again for a session (``POST /events/{id}/resend``); returns routes.

        It goes to every active route whose patterns match (every active route if none does),
        marked as a resend, numbered after the attempts it already had there.
        """
        session = self.session(session_id)
        assert session is not None
        targets = self._targets(session)
        chosen = [
            rid
            for rid, patterns, _ in targets
            if any(catalog.matches(p, event["type"]) for p in patterns)
        ] or [rid for rid, _, _ in targets]
        now = self.team_clock.now(session["team_id"], bool(session["livemode"]))
        for rid in chosen:
            attempt = self._attempts(session_id, rid, event) + 1
            self._queue(session_id, rid, event["id"], attempt, 1, now)
        return len(chosen)

    def _attempts(self, session_id: str, rid: str, event: Row) -> int:
        """Attempts an event has had on a route: answered ones and any still unacknowledged."""
        key = (event["id"], session_id, rid)
        answered = self.db.one(
            "SELECT MAX(attempt) AS n FROM deliveries "
            "WHERE event_id = ? AND session_id = ? AND COALESCE(route_id, '') = ?",
            key,
        )
        pending = self.db.one(
            "SELECT MAX(attempt) AS n FROM route_events "
            "WHERE event_id = ? AND session_id = ? AND route_id = ?",
            key,
        )
        return max((answered or {}).get("n") or 0, (pending or {}).get("n") or 0)

    def queued_for_event(self, event_id: str) -> list[Row]:
        """Deliveries of an event still waiting in listen sessions (``GET /events/{id}``)."""
        return self.db.all(
            "SELECT q.*, r.target FROM route_events q LEFT JOIN listen_routes r "
            "ON r.session_id = q.session_id AND r.route_id = q.route_id "
            "WHERE q.event_id = ? ORDER BY q.created_at",
            (event_id,),
        )

    def record_acks(self, session_id: str, keyed: dict[tuple[str, int], dict[str, Any]]) -> None:
        """Forget acknowledged events and record each answered attempt as a delivery attempt."""
        sid = session_id
        with self.db.transaction():
            session = self.db.one(
                "SELECT team_id, livemode FROM listen_sessions WHERE id = ?", (sid,)
            )
            if session is None:
                return
            stamp = iso(self.team_clock.now(session["team_id"], bool(session["livemode"])))
            rows: list[Row] = []
            for rid in {rid for rid, _ in keyed}:
                seqs = [seq for r, seq in keyed if r == rid]
                rows += self.db.all(
                    "SELECT q.*, r.target FROM route_events q LEFT JOIN listen_routes r "
                    "ON r.session_id = q.session_id AND r.route_id = q.route_id "
                    f"WHERE q.session_id = ? AND q.route_id = ? AND q.seq IN ({_marks(seqs)})",
                    (sid, rid, *seqs),
                )
            self.db.conn.executemany(
                "DELETE FROM route_events WHERE session_id = ? AND route_id = ? AND seq = ?",
                [(sid, row["route_id"], row["seq"]) for row in rows],
            )
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO deliveries (id, event_id, team_id, livemode, webhook_id, "
                "session_id, url, attempt, status, scheduled_at, response_status, duration_ms, "
                "response_body, error, created_at, finished_at, route_id) "
                "VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    attempt
                    for row in rows
                    for attempt in attempt_rows(
                        row, keyed[(row["route_id"], row["seq"])], session, stamp
                    )
                ],
            )

    def forget_finished(self, session_id: str, specs: list[RouteSpec]) -> None:
        """Drop what the CLI says it finished on each route; the session lives on (D14)."""
        for spec in specs:
            self.db.execute(
                "DELETE FROM route_events WHERE session_id = ? AND route_id = ? AND seq <= ?",
                (session_id, spec.id, spec.after),
            )
        self.db.execute(
            "UPDATE listen_sessions SET expires_at = ? WHERE id = ?",
            (self.clock() + SESSION_TTL, session_id),
        )

    def replay_rows(self, session_id: str, after_event: str) -> list[Row]:
        """Events committed after ``after_event`` that the session's filter matches."""
        session = self.session(session_id)
        if session is None:
            return []
        rows = self.db.all(
            "SELECT * FROM events WHERE team_id = ? AND livemode = ? AND fan_out = 1 AND seq > "
            "(SELECT seq FROM events WHERE id = ?) ORDER BY seq LIMIT ?",
            (session["team_id"], session["livemode"], after_event, REPLAY_LIMIT),
        )
        return [r for r in rows if _matches(session["events"], r["type"])]

    def delete_session(self, session_id: str) -> None:
        with self.db.transaction():
            self.db.execute("DELETE FROM listen_sessions WHERE id = ?", (session_id,))


@dataclass(frozen=True)
class Queued:
    """What one fan-out queued: the sessions it queued for, the events each session's filter
    matched (what a print-mode connection shows) and, per session and route, the queued rows
    as the relay sends them (``seq`` order; handed to live connections from memory)."""

    touched: set[str]
    matched: dict[str, list[Row]]
    fresh: dict[tuple[str, str], list[Row]]


def _queued_row(seq: int, delivery_id: str, event: Row) -> Row:
    """A queued event as the pump reads it back from ``route_events`` joined with ``events``."""
    return {
        "seq": seq,
        "delivery_id": delivery_id,
        "event_id": event["id"],
        "attempt": 1,
        "resend": 0,
        "type": event["type"],
        "payload": event["payload"],
        "request_id": event["request_id"],
    }


def _marks(values: list[Any]) -> str:
    return ",".join("?" * len(values))


def _matches(events_json: str, event_type: str) -> bool:
    return any(catalog.matches(p, event_type) for p in json.loads(events_json))
