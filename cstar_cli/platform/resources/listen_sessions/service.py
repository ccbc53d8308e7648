"""Listen sessions (D14, D15, D31): opened or resumed per device, listed with their routes and
backlog, ended with their backlog; events queued again for them. The relay itself (queues,
connections, acknowledgements) is :mod:`cstar_cli.platform.delivery`'s."""

from __future__ import annotations

import json
import socket
from typing import Any
from urllib.parse import urlsplit

from cstar_cli.platform import ids
from cstar_cli.platform.delivery.listen_hub import ROUTE_PREFIX, RouteSpec
from cstar_cli.platform.http import bounds
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.http.responses import Page
from cstar_cli.platform.resources.listen_sessions.models import ListenCreate
from cstar_cli.platform.resources.service import Service, deleted
from cstar_cli.platform.resources.webhooks.service import check_events, new_secret
from cstar_cli.platform.store.db import Row
from cstar_cli.platform.store.query import Paging
from cstar_cli.wire.times import iso


def route_specs(routes: list[Any]) -> list[RouteSpec]:
    """Declared routes, checked: an http(s) target with a host, known event patterns."""
    specs: list[RouteSpec] = []
    for index, route in enumerate(routes):
        if not isinstance(route, dict) or not isinstance(route.get("target"), str):
            raise ApiError.invalid("Each route needs a 'target' URL.", param=f"routes.{index}")
        target = route["target"]
        parts = urlsplit(target)
        try:
            valid = (
                parts.scheme in ("http", "https")
                and bool(parts.hostname)
                and (parts.port is None or 0 < parts.port < 65536)
            )
        except ValueError:
            valid = False
        if not valid or len(target) > 2048:
            raise ApiError.invalid(
                f"'{target}' is not an http(s) URL to forward to.", param=f"routes.{index}.target"
            )
        events = check_events(list(route.get("events") or ["*"]))
        after = bounds.position(route.get("after") or 0, f"routes.{index}.after")
        specs.append(RouteSpec(target, tuple(["*"] if "*" in events else events), after))
    if len({spec.id for spec in specs}) != len(specs):
        raise ApiError.invalid("Two routes have the same target and events.", param="routes")
    return specs


def socket_url(socket_base: str, row: Row) -> str:
    """The session's relay websocket under ``socket_base`` (``ws://host:port``)."""
    team = row["team_id"]
    return f"{socket_base}/api/v1/teams/{team}/webhooks/listen/{ids.LISTEN_SESSION}{row['id']}/ws"


class ListenSessions(Service):
    """The listen sessions of the caller's team and environment (secret keys only)."""

    table = "listen_sessions"
    prefix = ids.LISTEN_SESSION
    param = "sessionId"
    noun = "listen session"
    sort_fields = {"createdAt": "created_at"}

    def find(self, session_id: str) -> str:
        """The hex id of the session ``session_id`` (``cls_…`` or a UUID) names; another team's
        or environment's session is as missing as one that never existed (404)."""
        hex_id = ids.parse(session_id, self.prefix, self.param)
        session = self.platform.listen_store.session(hex_id)
        if (
            session is None
            or session["team_id"] != self.principal.team_id
            or bool(session["livemode"]) != self.principal.livemode
        ):
            raise ApiError.not_found(self.noun, session_id)
        return hex_id

    def open(self, body: ListenCreate | None, socket_base: str) -> dict[str, Any]:
        """Open the device's session, or resume it with a new filter and routes."""
        self._require_secret()
        body = body or ListenCreate()
        events = check_events(body.events or ["*"])
        device = body.deviceName or socket.gethostname() or "default"
        specs = None
        if body.routes is not None:
            specs = route_specs([r.model_dump(exclude_none=True) for r in body.routes])
        row = self.platform.listen_store.open_session(
            self.principal.team_id, self.principal.livemode, device, events, new_secret(), specs
        )
        with self.transaction():
            details = {"deviceName": device, "events": events}
            self.audit("listen_session.opened", ids.LISTEN_SESSION + row["id"], details)
        return self.serialize(row, socket_base)

    def list(self, paging: Paging, socket_base: str) -> Page:
        """The live sessions, newest first, without their signing secrets."""
        self._require_secret()
        where = self.where()
        where.add("expires_at > ?", self.platform.now())
        connected = self.platform.listen_hub.connections

        def show(row: Row) -> dict[str, Any]:
            shown = self.serialize(row, socket_base)
            return {
                **{k: v for k, v in shown.items() if k != "signingSecret"},
                "connected": row["id"] in connected,
            }

        return self.page(where, paging, show)

    async def end(self, session_id: str) -> dict[str, Any]:
        """End a session and drop its backlog (a connected CLI is told it is gone)."""
        self._require_secret()
        hex_id = self.find(session_id)
        await self.platform.listen_hub.end_session(hex_id)
        with self.transaction():
            self.audit("listen_session.ended", ids.LISTEN_SESSION + hex_id)
        return deleted(ids.LISTEN_SESSION + hex_id)

    def requeue(self, event: Row, session_id: str | None = None) -> int:
        """Queue an event again for one session (``session_id``), or for every live session
        whose filter matches it; returns how many routes it went to."""
        hub = self.platform.listen_hub
        if session_id is not None:
            return hub.requeue(self.find(session_id), event)
        sessions = self.platform.listen_store.matching_sessions(
            self.principal.team_id, self.principal.livemode, event["type"]
        )
        return sum(hub.requeue(sid, event) for sid in sessions)

    def serialize(self, row: Row, socket_base: str) -> dict[str, Any]:
        """A session on the wire, with its routes and their backlog."""
        store = self.platform.listen_store
        backlog = store.route_backlog(row["id"])
        return {
            "id": ids.LISTEN_SESSION + row["id"],
            "object": "listen_session",
            "deviceName": row["device_name"],
            "events": json.loads(row["events"]),
            "signingSecret": row["secret"],
            "websocketUrl": socket_url(socket_base, row),
            "pending": sum(backlog.values()),
            "routes": [
                {
                    "id": ROUTE_PREFIX + r["route_id"],
                    "target": r["target"],
                    "events": json.loads(r["events"]),
                    "active": bool(r["active"]),
                    "pending": backlog.get(r["route_id"], 0),
                }
                for r in store.routes(row["id"])
            ],
            "createdAt": row["created_at"],
            "expiresAt": iso(row["expires_at"]),
        }

    def _require_secret(self) -> None:
        if not self.principal.is_secret:
            raise ApiError.forbidden(
                "insufficient_permissions", "Secret key required for this endpoint."
            )
