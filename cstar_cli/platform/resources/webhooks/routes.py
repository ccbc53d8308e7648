"""Webhook subscriptions (facts §3.6, D12): CRUD, test, rotate-secret, deliveries, trigger-test."""

from __future__ import annotations

import json
import secrets
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from cstar_cli.platform import ids
from cstar_cli.platform.core import Platform
from cstar_cli.platform.delivery.urls import check_url
from cstar_cli.platform.http import responses
from cstar_cli.platform.http.auth import Principal
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.webhooks.models import (
    TriggerTest,
    WebhookCreate,
    WebhookTest,
    WebhookUpdate,
)
from cstar_cli.platform.store.db import Row, dumps
from cstar_cli.platform.store.updates import Column, FieldMap
from cstar_cli.wire import catalog
from cstar_cli.wire.times import iso

router = APIRouter(tags=["webhooks"])

SORT_FIELDS = common.sortable("created_at", "updated_at", "url")


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(24)


def serialize(row: Row, secret: str | None = None) -> dict[str, Any]:
    hook: dict[str, Any] = {
        "id": ids.WEBHOOK + row["id"],
        "object": "webhook",
        **common.columns(row, "name", "description", "url"),
        "events": json.loads(row["events"]),
        "isActive": bool(row["is_active"]),
        "legacySignature": bool(row["legacy_signature"]),
        **common.columns(row, "created_at", "updated_at"),
    }
    if secret is not None:
        hook["secret"] = hook["signingSecret"] = secret
    return hook


def serialize_delivery(row: Row) -> dict[str, Any]:
    return {
        "id": ids.DELIVERY + row["id"],
        "object": "delivery",
        "eventId": row["event_id"],
        "eventType": row.get("event_type"),
        "webhookId": ids.wire(ids.WEBHOOK, row["webhook_id"]),
        "sessionId": ids.wire(ids.LISTEN_SESSION, row["session_id"]),
        **common.columns(
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
        **common.columns(row, "created_at", "finished_at"),
    }


def check_events(patterns: list[str]) -> list[str]:
    try:
        return catalog.validate_patterns(patterns)
    except ValueError as err:
        raise ApiError.invalid(str(err), param="events") from None


def load_webhook(platform: Platform, principal: Principal, webhook_id: str) -> Row:
    return common.load_scoped(platform, principal, "webhooks", ids.WEBHOOK, "webhookId", webhook_id)


def _admin(request: Request) -> tuple[Platform, Principal]:
    return common.caller(request)


@router.get("/webhooks", summary="List webhook endpoints")
async def list_webhooks(
    request: Request,
    paging: common.PageParams = Depends(common.page_params),
    active: str | None = Query(None, description="true or false."),
) -> Response:
    where = common.Where(common.principal_of(request))
    where.equals("is_active", common.bool_query(active, "active"))
    return common.list_response(request, "webhooks", where, paging, SORT_FIELDS, serialize)


@router.post("/webhooks", status_code=201, summary="Create a webhook endpoint (secret shown once)")
async def create_webhook(request: Request, body: WebhookCreate) -> Response:
    platform, principal = _admin(request)
    secret = new_secret()
    columns: Row = {
        "name": body.name,
        "description": body.description,
        "url": check_url(body.url, principal.livemode),
        "events": dumps(check_events(body.events)),
        "secret": platform.vault.encrypt(secret),
        "is_active": int(body.isActive),
        "legacy_signature": int(body.legacySignature),
    }
    row = common.new_row(principal, platform.now_iso(principal), columns)
    with platform.db.transaction():
        platform.db.insert("webhooks", row)
    return responses.ok(request, serialize(row, secret), status=201)


@router.post("/webhooks/trigger-test", summary="Fire a synthetic event to every subscriber")
async def trigger_test(request: Request, body: TriggerTest) -> Response:
    platform, principal = _admin(request)
    if not catalog.is_known(body.event):
        hint = catalog.suggest(body.event)
        more = f" Did you mean {', '.join(hint)}?" if hint else ""
        raise ApiError.invalid(f"Unknown event type '{body.event}'.{more}", param="event")
    now = platform.now(principal.team_id, principal.livemode)
    slug = platform.team_slug(principal.team_id)
    event_ids: list[str] = []
    with platform.db.transaction():
        # count > 1 (a local-platform extension) makes load tests cheap: one request, N events.
        for _ in range(body.count):
            data = body.data
            if data is None:
                data = catalog.sample_data(
                    body.event,
                    team_id=principal.team_id,
                    team_slug=slug,
                    now=now,
                    api_base=platform.api_base,
                )
            payload = platform.outbox.emit(
                principal,
                body.event,
                data,
                now=now,
                request_id=responses.request_id_of(request),
            )
            event_ids.append(payload["id"])
    hooks = platform.db.all(
        "SELECT events FROM webhooks WHERE team_id = ? AND livemode = ? AND is_active = 1",
        (principal.team_id, int(principal.livemode)),
    )
    webhooks = sum(
        1 for h in hooks if any(catalog.matches(p, body.event) for p in json.loads(h["events"]))
    )
    sessions = platform.listen_subscribers(principal, body.event)
    result = {
        "event": body.event,
        "eventId": event_ids[0],
        "eventIds": event_ids,
        "deliveredTo": webhooks + sessions,
        "webhooks": webhooks,
        "sessions": sessions,
    }
    return responses.ok(request, result)


@router.get("/webhooks/{webhookId}", summary="Get a webhook endpoint")
async def get_webhook(request: Request, webhookId: str) -> Response:
    platform, principal = _admin(request)
    return responses.ok(request, serialize(load_webhook(platform, principal, webhookId)))


@router.patch("/webhooks/{webhookId}", summary="Update a webhook endpoint")
async def update_webhook(request: Request, webhookId: str, body: WebhookUpdate) -> Response:
    patch = common.Patch(request, load_webhook, webhookId)
    fields: FieldMap = {
        "url": Column(convert=lambda url: check_url(url, patch.principal.livemode)),
        "events": Column(kind="json", convert=check_events),
        "name": Column(nullable=True),
        "description": Column(nullable=True),
        "isActive": Column(kind="bool"),
        "legacySignature": Column(kind="bool"),
    }
    return patch.save("webhooks", patch.values(body, fields), serialize)


@router.delete("/webhooks/{webhookId}", summary="Delete a webhook endpoint")
async def delete_webhook(request: Request, webhookId: str) -> Response:
    row = load_webhook(*_admin(request), webhookId)
    cancel = (
        "UPDATE deliveries SET status = 'cancelled' WHERE webhook_id = ? AND status = 'pending'"
    )
    return common.delete_row(request, "webhooks", row, ids.WEBHOOK, unlink=[cancel])


@router.post("/webhooks/{webhookId}/test", summary="Send one sample event to this endpoint now")
async def send_test_event(
    request: Request, webhookId: str, body: WebhookTest | None = None
) -> Response:
    platform, principal = _admin(request)
    row = load_webhook(platform, principal, webhookId)
    event_type = body.event if body is not None else "ticket.created"
    if not catalog.is_known(event_type):
        raise ApiError.invalid(f"Unknown event type '{event_type}'.", param="event")
    now = platform.now(principal.team_id, principal.livemode)
    data = catalog.sample_data(
        event_type,
        team_id=principal.team_id,
        team_slug=platform.team_slug(principal.team_id),
        now=now,
        api_base=platform.api_base,
    )
    with platform.db.transaction():
        payload = platform.outbox.emit(
            principal,
            event_type,
            data,
            now=now,
            request_id=responses.request_id_of(request),
            fan_out=False,
        )
    event_row = platform.db.one("SELECT * FROM events WHERE id = ?", (payload["id"],))
    assert event_row is not None
    delivery_id, result = await platform.dispatcher.send_now(event_row, row)
    return responses.ok(
        request,
        {
            "deliveryId": delivery_id,
            "event": event_type,
            "url": row["url"],
            "success": result.success,
            "status": result.status,
            "responseTimeMs": result.duration_ms,
            "error": result.error,
        },
    )


@router.post("/webhooks/{webhookId}/rotate-secret", summary="Replace the signing secret")
async def rotate_secret(request: Request, webhookId: str) -> Response:
    platform, principal = _admin(request)
    row = load_webhook(platform, principal, webhookId)
    secret = new_secret()
    values = {"secret": platform.vault.encrypt(secret), "updated_at": platform.now_iso(principal)}
    with platform.db.transaction():
        platform.db.update("webhooks", "id", row["id"], values)
    return responses.ok(request, serialize({**row, **values}, secret))


@router.get("/webhooks/{webhookId}/deliveries", summary="Delivery attempts to this endpoint")
async def list_deliveries(
    request: Request,
    webhookId: str,
    paging: common.PageParams = Depends(common.page_params),
    status: str | None = Query(None, description="pending, succeeded, failed or cancelled."),
) -> Response:
    platform, principal = _admin(request)
    row = load_webhook(platform, principal, webhookId)
    where = common.Where(principal, alias="d")
    where.add("d.webhook_id = ?", row["id"])
    if status is not None:
        if status not in ("pending", "succeeded", "failed", "cancelled"):
            raise ApiError.invalid(f"Unknown delivery status '{status}'.", param="status")
        where.add("d.status = ?", status)
    order = common.order_by(paging.sort, {"createdAt": "d.created_at"}, default="-createdAt")
    total_row = platform.db.one(
        f"SELECT COUNT(*) AS n FROM deliveries d WHERE {where.sql}", where.params
    )
    rows = platform.db.all(
        "SELECT d.*, e.type AS event_type FROM deliveries d "
        f"LEFT JOIN events e ON e.id = d.event_id WHERE {where.sql} "
        f"ORDER BY {order.replace('rowid', 'd.rowid')} LIMIT ? OFFSET ?",
        [*where.params, paging.page_size, (paging.page - 1) * paging.page_size],
    )
    total = int(total_row["n"]) if total_row else 0
    return responses.listing(
        request, [serialize_delivery(r) for r in rows], paging.page, paging.page_size, total
    )
