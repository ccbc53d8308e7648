"""The events API (D10): every event as delivered, its delivery attempts, and resend."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from cstar_cli.platform import ids
from cstar_cli.platform.core import Platform
from cstar_cli.platform.http import responses
from cstar_cli.platform.http.auth import Principal
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.webhooks.models import EventResend
from cstar_cli.platform.resources.webhooks.service import serialize_delivery
from cstar_cli.platform.store.db import Row
from cstar_cli.wire import catalog
from cstar_cli.wire.times import iso

router = APIRouter(tags=["events"])

SORT_FIELDS = {"createdAt": "seq"}


def load_event(platform: Platform, principal: Principal, event_id: str) -> Row:
    """An event of the caller's team and environment by its id (event ids have no UUID form)."""
    row = common.scoped_row(platform, principal, "events", event_id)
    if row is None:
        raise ApiError.not_found("event", event_id)
    return row


def _payload(row: Row) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads(row["payload"])
    return payload


@router.get("/events", summary="List events, newest first")
async def list_events(
    request: Request,
    paging: common.PageParams = Depends(common.page_params),
    type: str | None = Query(None, description="An event type or pattern (ticket.*)."),
    since: str | None = Query(None, description="ISO-8601: events at or after this time."),
    until: str | None = Query(None, description="ISO-8601: events before this time."),
) -> Response:
    where = common.Where(common.principal_of(request))
    if type is not None:
        try:
            patterns = catalog.validate_patterns(type.split(","))
        except ValueError as err:
            raise ApiError.invalid(str(err), param="type") from None
        if "*" not in patterns:
            clauses = ["type LIKE ?" if p.endswith(".*") else "type = ?" for p in patterns]
            values = [p[:-1] + "%" if p.endswith(".*") else p for p in patterns]
            where.add(f"({' OR '.join(clauses)})", *values)
    where.created_between(since, until, ("since", "until"))
    return common.list_response(request, "events", where, paging, SORT_FIELDS, _payload)


@router.get("/events/{eventId}", summary="Get an event with its delivery attempts")
async def get_event(request: Request, eventId: str) -> Response:
    platform, principal = common.caller(request)
    row = load_event(platform, principal, eventId)
    attempts = platform.db.all(
        "SELECT d.*, ? AS event_type FROM deliveries d WHERE event_id = ? "
        "ORDER BY created_at, rowid",
        (row["type"], row["id"]),
    )
    queued = [
        _queued_delivery(q, row["type"]) for q in platform.listen_store.queued_for_event(row["id"])
    ]
    return responses.ok(
        request,
        {**_payload(row), "deliveries": [serialize_delivery(a) for a in attempts] + queued},
    )


def _queued_delivery(queued: Row, event_type: str) -> dict[str, Any]:
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
            "finished_at": None,
        }
    )


@router.post("/events/{eventId}/resend", summary="Deliver an event again")
async def resend_event(request: Request, eventId: str, body: EventResend | None = None) -> Response:
    platform, principal = common.caller(request)
    row = load_event(platform, principal, eventId)
    body = body or EventResend()
    now = platform.now()
    delivery_ids: list[str] = []
    resent = 0
    with platform.db.transaction():
        if body.sessionId is not None:
            resent += platform.resend_to_session(principal, row, body.sessionId)
        if body.webhookId is not None:
            hooks = [
                common.load_scoped(
                    platform, principal, "webhooks", ids.WEBHOOK, "webhookId", body.webhookId
                )
            ]
        elif body.sessionId is None:
            hooks = [
                h
                for h in platform.db.all(
                    "SELECT * FROM webhooks WHERE team_id = ? AND livemode = ? AND is_active = 1",
                    (principal.team_id, int(principal.livemode)),
                )
                if any(catalog.matches(p, row["type"]) for p in json.loads(h["events"]))
            ]
            resent += platform.resend_to_sessions(principal, row)
        else:
            hooks = []
        for hook in hooks:
            last = platform.db.one(
                "SELECT MAX(attempt) AS n FROM deliveries WHERE event_id = ? AND webhook_id = ?",
                (row["id"], hook["id"]),
            )
            attempt = ((last or {}).get("n") or 0) + 1
            delivery = platform.dispatcher.schedule(row, hook["id"], hook["url"], attempt, now)
            delivery_ids.append(ids.DELIVERY + delivery)
            resent += 1
    return responses.ok(
        request, {"eventId": row["id"], "resentTo": resent, "deliveryIds": delivery_ids}
    )
