"""A ticket's messages (facts §3.3): list, add (a customer portal adds as the customer)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from cstar_cli.platform import game
from cstar_cli.platform.delivery import outbox as events
from cstar_cli.platform.http import responses
from cstar_cli.platform.http.access import PORTAL
from cstar_cli.platform.resources.common import platform_of, principal_of
from cstar_cli.platform.resources.models import MessageCreate
from cstar_cli.platform.resources.tickets.portal import acting_for, check_message_create
from cstar_cli.platform.resources.tickets.routes import (
    load_for,
    message_row,
    messages_of,
    serialize_message,
)
from cstar_cli.platform.store.db import Row

router = APIRouter(tags=["tickets"])


@router.get(
    "/tickets/{ticketId}/messages", summary="List a ticket's messages", openapi_extra=PORTAL
)
async def listmessages_of(request: Request, ticketId: str) -> Response:
    platform = platform_of(request)
    row = load_for(request, ticketId)
    messages = messages_of(platform, row["id"], acting_for(request))
    return responses.plain_list(request, [serialize_message(m) for m in messages])


@router.post(
    "/tickets/{ticketId}/messages",
    status_code=201,
    summary="Add a message",
    openapi_extra=PORTAL,
)
async def create_message(request: Request, ticketId: str, body: MessageCreate) -> Response:
    platform, principal = platform_of(request), principal_of(request)
    portal = acting_for(request)
    db = platform.db
    row = load_for(request, ticketId)
    now = platform.now(principal.team_id, principal.livemode)
    stamp = platform.now_iso(principal)
    sender, sender_name = body.sender, body.senderName
    if portal is not None:
        check_message_create(body)
        sender, sender_name = "customer", portal.name
    message = message_row(
        principal,
        row["id"],
        stamp,
        content=body.content,
        sender=sender,
        sender_name=sender_name,
        is_internal=body.isInternal,
    )
    values: Row = {"message_count": row["message_count"] + 1, "updated_at": stamp}
    if sender == "agent" and not body.isInternal and row["first_response_at"] is None:
        values["first_response_at"] = stamp
    values.update(game.sla_fields(row, {**row, **values}, now))
    with db.transaction():
        db.insert("messages", message)
        db.update("tickets", "id", row["id"], values)
        updated = {**row, **values}
        data = {
            "ticket": events.ticket_data(updated, platform.links(principal.team_id)),
            "message": events.message_data(message),
        }
        rid = responses.request_id_of(request)
        events.emit(db, principal, "ticket.message_added", data, now=now, request_id=rid)
        game.on_ticket_written(platform, principal, row, updated, now=now, request_id=rid)
    return responses.ok(request, serialize_message(message), status=201)
