"""Webhook subscriptions (facts §3.6, D12): their rows and secrets, their delivery attempts, a
test sent to one endpoint now and synthetic events fired to every subscriber. The dispatcher
(:mod:`cstar_cli.platform.delivery.dispatcher`) does the sending."""

from __future__ import annotations

import json
import secrets
from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.delivery.urls import check_url
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.http.responses import Page
from cstar_cli.platform.resources.service import Service, columns
from cstar_cli.platform.resources.webhooks.models import (
    TriggerTest,
    WebhookCreate,
    WebhookTest,
    WebhookUpdate,
)
from cstar_cli.platform.resources.webhooks.sources import Sources
from cstar_cli.platform.store.db import Row, dumps
from cstar_cli.platform.store.query import CREATION_ORDER, Paging, order_by, sortable
from cstar_cli.platform.store.updates import Column, FieldMap
from cstar_cli.wire import catalog
from cstar_cli.wire.times import iso

DELIVERY_STATUSES = ("pending", "succeeded", "failed", "cancelled")
CANCEL_PENDING = (
    "UPDATE deliveries SET status = 'cancelled' WHERE webhook_id = ? AND status = 'pending'"
)
"""What a deleted webhook's pending deliveries become."""
Rows = list[Row]


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(24)


def serialize(row: Row, secret: str | None = None) -> dict[str, Any]:
    """A stored webhook on the wire (with its secret, the one time it is shown)."""
    hook: dict[str, Any] = {
        "id": ids.WEBHOOK + row["id"],
        "object": "webhook",
        **columns(row, "name", "description", "url"),
        "events": json.loads(row["events"]),
        "isActive": bool(row["is_active"]),
        "legacySignature": bool(row["legacy_signature"]),
        **columns(row, "created_at", "updated_at"),
    }
    if secret is not None:
        hook["secret"] = hook["signingSecret"] = secret
    return hook


def serialize_delivery(row: Row) -> dict[str, Any]:
    """A delivery attempt (to a webhook or a listen session) on the wire."""
    return {
        "id": ids.DELIVERY + row["id"],
        "object": "delivery",
        "eventId": row["event_id"],
        "eventType": row.get("event_type"),
        "webhookId": ids.wire(ids.WEBHOOK, row["webhook_id"]),
        "sessionId": ids.wire(ids.LISTEN_SESSION, row["session_id"]),
        **columns(
            row,
            "url",
            "attempt",
            "status",
            "response_status",
            "duration_ms",
            "response_body",
            "error",
        ),
        "scheduledAt": iso(row["scheduled_at"]) if row["scheduled_at"] != float("inf") else iso(0),
        "startedAt": row.get("started_at"),
        **columns(row, "created_at", "finished_at"),
        "fault": row.get("fault"),
    }


def check_events(patterns: list[str]) -> list[str]:
    """Event patterns a subscription may name (a 400 naming ``events`` otherwise)."""
    try:
        return catalog.validate_patterns(patterns)
    except ValueError as err:
        raise ApiError.invalid(str(err), param="events") from None


class Webhooks(Service):
    """The webhook endpoints of the caller's team and environment."""

    table = "webhooks"
    prefix = ids.WEBHOOK
    param = "webhookId"
    noun = "webhook"
    sort_fields = sortable("created_at", "updated_at", "url")

    # -- endpoints -----------------------------------------------------------------------------
    def list(self, paging: Paging, *, active: bool | None = None) -> Page:
        where = self.where()
        where.equals("is_active", active)
        return self.page(where, paging, serialize)

    def create(self, body: WebhookCreate) -> dict[str, Any]:
        """A new endpoint; the answer shows its signing secret, once."""
        secret = new_secret()
        row = self.new_row(
            {
                "name": body.name,
                "description": body.description,
                "url": check_url(body.url, self.principal.livemode),
                "events": dumps(check_events(body.events)),
                "secret": self.platform.vault.encrypt(secret),
                "is_active": int(body.isActive),
                "legacy_signature": int(body.legacySignature),
            }
        )
        with self.transaction() as db:
            db.insert("webhooks", row)
            self.audit("webhook.created", self.prefix + row["id"], serialize(row))
        return serialize(row, secret)

    def get(self, webhook_id: str) -> dict[str, Any]:
        return serialize(self.load(webhook_id))

    def update(self, webhook_id: str, body: WebhookUpdate) -> dict[str, Any]:
        row = self.load(webhook_id)
        fields: FieldMap = {
            "url": Column(convert=lambda url: check_url(url, self.principal.livemode)),
            "events": Column(kind="json", convert=check_events),
            "name": Column(nullable=True),
            "description": Column(nullable=True),
            "isActive": Column(kind="bool"),
            "legacySignature": Column(kind="bool"),
        }
        saved = self.save(row, self.patch_values(body, row, fields), show=serialize)
        return serialize(saved.row)

    def delete(self, webhook_id: str) -> dict[str, Any]:
        """Delete an endpoint; its pending deliveries are cancelled."""
        return self.remove(self.load(webhook_id), unlink=[CANCEL_PENDING])

    def rotate_secret(self, webhook_id: str) -> dict[str, Any]:
        """A new signing secret replaces the old one at once; the answer shows it, once. The
        old one is kept sealed, for a delivery fault that signs with it (D38)."""
        row = self.load(webhook_id)
        secret = new_secret()
        values = {
            "secret": self.platform.vault.encrypt(secret),
            "previous_secret": row["secret"],
            "updated_at": self.stamp(),
        }
        with self.transaction() as db:
            db.update("webhooks", "id", row["id"], values)
            self.audit("webhook.secret_rotated", self.prefix + row["id"])
        return serialize({**row, **values}, secret)

    # -- deliveries ----------------------------------------------------------------------------
    def deliveries(self, webhook_id: str, paging: Paging, *, status: str | None = None) -> Page:
        """The delivery attempts to one endpoint, each with its event's type."""
        row = self.load(webhook_id)
        where = self.where("d")
        where.add("d.webhook_id = ?", row["id"])
        if status is not None:
            if status not in DELIVERY_STATUSES:
                raise ApiError.invalid(f"Unknown delivery status '{status}'.", param="status")
            where.add("d.status = ?", status)
        order = order_by(paging.sort, {"createdAt": CREATION_ORDER}, default="-createdAt")
        total_row = self.db.one(
            f"SELECT COUNT(*) AS n FROM deliveries d WHERE {where.sql}", where.params
        )
        rows = self.db.all(
            "SELECT d.*, e.type AS event_type FROM deliveries d "
            f"LEFT JOIN events e ON e.id = d.event_id WHERE {where.sql} "
            f"ORDER BY {order.replace('rowid', 'd.rowid')} LIMIT ? OFFSET ?",
            [*where.params, paging.page_size, (paging.page - 1) * paging.page_size],
        )
        total = int(total_row["n"]) if total_row else 0
        data = [serialize_delivery(r) for r in rows]
        return Page(data, paging.page, paging.page_size, total)

    # -- tests ---------------------------------------------------------------------------------
    async def send_test(self, webhook_id: str, body: WebhookTest | None) -> dict[str, Any]:
        """Record a sample event for this endpoint only and deliver it now."""
        row = self.load(webhook_id)
        event_type = body.event if body is not None else "ticket.created"
        if not catalog.is_known(event_type):
            raise ApiError.invalid(f"Unknown event type '{event_type}'.", param="event")
        with self.transaction():
            payload = self.emit(
                event_type, self._sample(event_type), fan_out=False, origin="synthetic"
            )
            self.audit("webhook.tested", self.prefix + row["id"], {"event": event_type})
        event_row = self.db.one("SELECT * FROM events WHERE id = ?", (payload["id"],))
        assert event_row is not None
        self.caller.work.settle()  # the delivery waits on the network: commit first (D49)
        delivery_id, result = await self.platform.dispatcher.send_now(event_row, row)
        return {
            "deliveryId": delivery_id,
            "event": event_type,
            "url": row["url"],
            "success": result.success,
            "status": result.status,
            "responseTimeMs": result.duration_ms,
            "error": result.error,
        }

    def trigger_test(self, body: TriggerTest) -> dict[str, Any]:
        """Fire ``count`` events of a type (synthetic data unless given, or built from the
        object ``for`` names, D39) to every subscriber."""
        if not catalog.is_known(body.event):
            hint = catalog.suggest(body.event)
            more = f" Did you mean {', '.join(hint)}?" if hint else ""
            raise ApiError.invalid(f"Unknown event type '{body.event}'.{more}", param="event")
        # Counted first: nothing else runs until this returns, and once the write commits
        # its events go out to the connected listeners before the answer does.
        webhooks = len(self.subscribed(body.event))
        sessions = self.platform.listen_store.subscribers(
            self.principal.team_id, self.principal.livemode, body.event
        )
        event_ids: list[str] = []
        with self.transaction():
            # count > 1 (a local-platform extension) makes load tests cheap: one request, N events.
            for _ in range(body.count):
                if body.source is not None:
                    data = Sources(self.caller).data_for(body.event, body.source, body.data)
                else:
                    data = body.data if body.data is not None else self._sample(body.event)
                event_ids.append(self.emit(body.event, data, origin="synthetic")["id"])
            self.audit("webhook.test_triggered", None, {"event": body.event, "count": body.count})
        return {
            "event": body.event,
            "eventId": event_ids[0],
            "eventIds": event_ids,
            "deliveredTo": webhooks + sessions,
            "webhooks": webhooks,
            "sessions": sessions,
        }

    def subscribed(self, event_type: str) -> Rows:
        """The active endpoints whose patterns match ``event_type``."""
        hooks = self.db.all(
            "SELECT * FROM webhooks WHERE team_id = ? AND livemode = ? AND is_active = 1",
            (self.principal.team_id, int(self.principal.livemode)),
        )
        return [
            h for h in hooks if any(catalog.matches(p, event_type) for p in json.loads(h["events"]))
        ]

    def _sample(self, event_type: str) -> dict[str, Any]:
        return catalog.sample_data(
            event_type,
            team_id=self.principal.team_id,
            team_slug=self.platform.team_slug(self.principal.team_id),
            now=self.now(),
            api_base=self.platform.api_base,
        )
