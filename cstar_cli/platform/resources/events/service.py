"""Events (D10, D11): every event of the caller's team and environment exactly as delivered,
with its delivery attempts (and what still waits in a listen session's queue), and resend to
webhooks or listen sessions."""

from __future__ import annotations

import json
from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.http.responses import Page
from cstar_cli.platform.resources.events.models import MAX_REPLAY_DATA, EventResend
from cstar_cli.platform.resources.filters import Filter, created
from cstar_cli.platform.resources.listen_sessions.service import ListenSessions
from cstar_cli.platform.resources.service import Service
from cstar_cli.platform.resources.webhooks.service import Webhooks, serialize_delivery
from cstar_cli.platform.store.db import Row
from cstar_cli.platform.store.query import Paging, Where
from cstar_cli.wire import catalog
from cstar_cli.wire.enums import EVENT_ORIGINS
from cstar_cli.wire.times import iso

Rows = list[Row]


def payload(row: Row) -> dict[str, Any]:
    """A stored event as it was delivered (snake_case, D11)."""
    delivered: dict[str, Any] = json.loads(row["payload"])
    return delivered


def shown(row: Row) -> dict[str, Any]:
    """An event in the events API: the payload as delivered, then where it came from (D39) —
    which the delivered payload never carries."""
    return {**payload(row), "origin": row["origin"], "replayOf": row["replay_of"]}


def queued_delivery(queued: Row, event_type: str) -> dict[str, Any]:
    """An event still waiting in a listen session's route, shown as a pending attempt."""
    return serialize_delivery(
        {
            "id": queued["delivery_id"],
            "event_id": queued["event_id"],
            "event_type": event_type,
            "webhook_id": None,
            "session_id": queued["session_id"],
            "url": queued["target"] or "cstar listen",
            "attempt": queued["attempt"],
            "status": "pending",
            "response_status": None,
            "duration_ms": None,
            "response_body": None,
            "error": None,
            "scheduled_at": queued["created_at"],
            "created_at": iso(queued["created_at"]),
            "started_at": None,
            "finished_at": None,
        }
    )


def of_origin(_events: Events, where: Where, origin: str) -> None:
    if origin not in EVENT_ORIGINS:
        raise ApiError.invalid(
            f"Unknown origin '{origin}': use one of {', '.join(EVENT_ORIGINS)}.",
            param="origin",
        )
    where.add("origin = ?", origin)


def of_types(_events: Events, where: Where, types: str) -> None:
    """``type``: comma-separated event types or patterns (``ticket.*``; ``*`` is every type)."""
    try:
        patterns = catalog.validate_patterns(types.split(","))
    except ValueError as err:
        raise ApiError.invalid(str(err), param="type") from None
    if "*" not in patterns:
        clauses = ["type LIKE ?" if p.endswith(".*") else "type = ?" for p in patterns]
        values = [p[:-1] + "%" if p.endswith(".*") else p for p in patterns]
        where.add(f"({' OR '.join(clauses)})", *values)


class Events(Service):
    """The events of the caller's team and environment, newest first."""

    table = "events"
    prefix = ""
    param = "eventId"
    noun = "event"
    sort_fields = {"createdAt": "seq"}
    filters = (
        Filter("origin", of_origin),
        Filter("type", of_types),
        created("since", ">=", "since"),
        created("until", "<", "until"),
    )

    def load(self, value: str) -> Row:
        """An event by its id (event ids have no UUID form); another team's is missing (404)."""
        row = self.row(self.table, value)
        if row is None:
            raise ApiError.not_found(self.noun, value)
        return row

    def list(self, paging: Paging, **given: Any) -> Page:
        return self.page(self.filtered(given), paging, shown)

    def get(self, event_id: str) -> dict[str, Any]:
        """An event with its delivery attempts, then what waits in listen sessions' queues."""
        row = self.load(event_id)
        attempts = self.db.all(
            "SELECT d.*, ? AS event_type FROM deliveries d WHERE event_id = ? ORDER BY rowid",
            (row["type"], row["id"]),
        )
        queued = [
            queued_delivery(q, row["type"])
            for q in self.platform.listen_store.queued_for_event(row["id"])
        ]
        return {**shown(row), "deliveries": [serialize_delivery(a) for a in attempts] + queued}

    def resend(self, event_id: str, body: EventResend | None) -> dict[str, Any]:
        """Deliver an event again: to one webhook, one listen session, or (neither named) every
        active webhook and live session that subscribes to it."""
        row = self.load(event_id)
        body = body or EventResend()
        if body.data is not None:
            return self.replay(row, body, body.data)
        now = self.now()
        sessions = ListenSessions(self.caller)
        webhooks = Webhooks(self.caller)
        delivery_ids: list[str] = []
        resent = 0
        with self.transaction() as db:
            if body.sessionId is not None:
                resent += sessions.requeue(row, body.sessionId)
            if body.webhookId is not None:
                hooks = [webhooks.load(body.webhookId)]
            elif body.sessionId is None:
                hooks = webhooks.subscribed(row["type"])
                resent += sessions.requeue(row)
            else:
                hooks = []
            for hook in hooks:
                last = db.one(
                    "SELECT MAX(attempt) AS n FROM deliveries "
                    "WHERE event_id = ? AND webhook_id = ?",
                    (row["id"], hook["id"]),
                )
                attempt = ((last or {}).get("n") or 0) + 1
                delivery = self.platform.dispatcher.schedule(
                    row, hook["id"], hook["url"], attempt, now
                )
                delivery_ids.append(ids.DELIVERY + delivery)
                resent += 1
            self.audit("event.resent", row["id"], {"resentTo": resent})
        return {"eventId": row["id"], "resentTo": resent, "deliveryIds": delivery_ids}

    def replay(self, original: Row, body: EventResend, data: dict[str, Any]) -> dict[str, Any]:
        """A replay with edits (D39): a new event of the original's type carrying ``data``, sent
        to the chosen webhook or session, or (neither named) to the webhooks that received the
        original — never fanned out to other subscribers or realtime streams."""
        size = len(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode())
        if size > MAX_REPLAY_DATA:
            raise ApiError.invalid(
                f"data is {size} bytes; a replay's data may take at most {MAX_REPLAY_DATA}.",
                param="data",
            )
        sessions = ListenSessions(self.caller)
        webhooks = Webhooks(self.caller)
        session = None if body.sessionId is None else sessions.find(body.sessionId)
        if body.webhookId is not None:
            hooks = [webhooks.load(body.webhookId)]
        elif session is None:
            hooks = self._received(original["id"])
        else:
            hooks = []
        targets: list[str] = []
        delivery_ids: list[str] = []
        resent = 0
        with self.transaction() as db:
            sent = self.emit(
                original["type"], data, fan_out=False, origin="replay", replay_of=original["id"]
            )
            event = db.one("SELECT * FROM events WHERE id = ?", (sent["id"],))
            assert event is not None
            if session is not None:
                resent += sessions.requeue(event, session)
                targets.append(ids.LISTEN_SESSION + session)
            for hook in hooks:
                delivery = self.platform.dispatcher.schedule(
                    event, hook["id"], hook["url"], 1, self.now()
                )
                delivery_ids.append(ids.DELIVERY + delivery)
                targets.append(ids.WEBHOOK + hook["id"])
                resent += 1
        return {
            "eventId": sent["id"],
            "resentTo": resent,
            "deliveryIds": delivery_ids,
            "replayOf": original["id"],
            "targets": targets,
        }

    def _received(self, event_id: str) -> Rows:
        """The webhooks (still there) that an event was sent to, in the order it first went."""
        return self.db.all(
            "SELECT w.* FROM webhooks w JOIN (SELECT webhook_id, MIN(rowid) AS first "
            "FROM deliveries WHERE event_id = ? AND webhook_id IS NOT NULL GROUP BY webhook_id) d "
            "ON d.webhook_id = w.id WHERE w.team_id = ? AND w.livemode = ? ORDER BY d.first",
            (event_id, self.principal.team_id, int(self.principal.livemode)),
        )
