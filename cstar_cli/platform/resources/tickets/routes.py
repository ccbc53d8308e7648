"""Tickets (facts §3.2); their messages are in :mod:`.messages`."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from cstar_cli.platform import game, ids
from cstar_cli.platform.core import Platform
from cstar_cli.platform.delivery import outbox as events
from cstar_cli.platform.http import responses
from cstar_cli.platform.http.access import PORTAL
from cstar_cli.platform.http.auth import Principal
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.http.identity import Identity
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.models import TicketCreate, TicketUpdate
from cstar_cli.platform.resources.tickets.portal import acting_for, check_ticket_create, ticket_view
from cstar_cli.platform.store.db import Row, dumps
from cstar_cli.platform.store.updates import Column, FieldMap
from cstar_cli.wire.enums import Priority, TicketStatus
from cstar_cli.wire.times import parse_iso

router = APIRouter(tags=["tickets"])

SORT_FIELDS = {
    **common.sortable("created_at", "updated_at", "status", "title"),
    "priority": "CASE priority WHEN 'low' THEN 0 WHEN 'normal' THEN 1 "
    "WHEN 'high' THEN 2 ELSE 3 END",
}
WATCHED = ["title", "status", "priority", "assignedTo", "tags", "notes", "customerId", "metadata"]
CLOSED_STATUSES = ("resolved", "closed")
EXPANDABLE = {"customer"}


def serialize(row: Row, customer: Row | None = None) -> dict[str, Any]:
    ticket: dict[str, Any] = {
        "id": ids.TICKET + row["id"],
        "object": "ticket",
        **common.columns(row, "title", "status", "priority", "channel"),
        "customerId": ids.wire(ids.CUSTOMER, row["customer_id"]),
        "customerName": row["customer_name"],
        "assignedTo": ids.wire(ids.MEMBER, row["assigned_to"]),
        "tags": json.loads(row["tags"]),
        "notes": row["notes"],
        "metadata": json.loads(row["metadata"]),
        **common.columns(
            row,
            "message_count",
            "response_deadline",
            "resolution_deadline",
            "first_response_at",
            "response_tier",
            "resolution_tier",
        ),
        "slaPaused": bool(row["sla_paused"]),
        **common.columns(row, "created_at", "updated_at", "resolved_at", "closed_at"),
    }
    if customer is not None:
        ticket["customer"] = {
            "id": ids.CUSTOMER + customer["id"],
            "name": customer["name"],
            "email": customer["email"],
        }
    return ticket


def serialize_message(row: Row) -> dict[str, Any]:
    return {
        "id": ids.MESSAGE + row["id"],
        "object": "message",
        "ticketId": ids.TICKET + row["ticket_id"],
        **common.columns(row, "content", "sender", "sender_name"),
        "isInternal": bool(row["is_internal"]),
        "createdAt": row["created_at"],
    }


def _expand(value: str | None) -> set[str]:
    if not value:
        return set()
    wanted = {part.strip() for part in value.split(",") if part.strip()}
    unknown = wanted - EXPANDABLE
    if unknown:
        raise ApiError.invalid(
            f"Cannot expand {', '.join(sorted(unknown))}. Expandable: customer.", param="expand"
        )
    return wanted


def load_ticket(platform: Platform, principal: Principal, ticket_id: str) -> Row:
    return common.load_scoped(platform, principal, "tickets", ids.TICKET, "ticketId", ticket_id)


def load_for(request: Request, ticket_id: str) -> Row:
    """A ticket the caller may see: through an identity, only that customer's own (else 404)."""
    platform, principal = common.caller(request)
    row = load_ticket(platform, principal, ticket_id)
    portal = acting_for(request)
    if portal is not None and row["customer_id"] != portal.customer_id:
        raise ApiError.not_found("ticket", ticket_id)
    return row


def messages_of(platform: Platform, ticket_hex: str, portal: Identity | None) -> list[Row]:
    hidden = "" if portal is None else " AND is_internal = 0"
    return platform.db.all(
        f"SELECT * FROM messages WHERE ticket_id = ?{hidden} ORDER BY created_at, rowid",
        (ticket_hex,),
    )


def _shown(
    platform: Platform, portal: Identity | None, ticket: dict[str, Any], row: Row
) -> dict[str, Any]:
    """The ticket as this caller sees it (a portal gets the D23 allow-list)."""
    if portal is None:
        return ticket
    visible = len(messages_of(platform, row["id"], portal))
    member = None
    if row["assigned_to"] is not None:
        member = platform.db.one("SELECT name FROM members WHERE id = ?", (row["assigned_to"],))
    return ticket_view(ticket, messages=visible, assignee=member["name"] if member else None)


def message_row(principal: Principal, ticket_hex: str, stamp: str, **fields: Any) -> Row:
    return {
        "id": ids.new_hex(),
        "ticket_id": ticket_hex,
        "team_id": principal.team_id,
        "livemode": int(principal.livemode),
        "content": fields["content"],
        "sender": fields["sender"],
        "sender_name": fields.get("sender_name"),
        "is_internal": int(fields.get("is_internal", False)),
        "created_at": stamp,
    }


def _customer(platform: Platform, principal: Principal, hex_id: str | None) -> Row | None:
    if hex_id is None:
        return None
    return common.scoped_row(platform, principal, "customers", hex_id)


def _resolve_customer(platform: Platform, principal: Principal, value: str) -> Row:
    return common.referenced(platform, principal, "customers", ids.CUSTOMER, "customerId", value)


def _resolve_member(platform: Platform, principal: Principal, value: str) -> str:
    member = common.referenced(
        platform, principal, "members", ids.MEMBER, "assignedTo", value, noun="team member"
    )
    return str(member["id"])


@router.get("/tickets", summary="List tickets", openapi_extra=PORTAL)
async def list_tickets(
    request: Request,
    paging: common.PageParams = Depends(common.page_params),
    status: TicketStatus | None = Query(None),
    priority: Priority | None = Query(None),
    assignedTo: str | None = Query(None, description="Member id (mem_...)."),
    customerId: str | None = Query(None, description="Customer id (cus_...) or UUID."),
    search: str | None = common.search_query("Text in the title, customer name or messages."),
    tag: str | None = Query(None),
    createdAfter: str | None = Query(None, description="ISO-8601 lower bound on createdAt."),
    createdBefore: str | None = Query(None, description="ISO-8601 upper bound on createdAt."),
    expand: str | None = Query(None, description="Comma list; 'customer' inlines the customer."),
) -> Response:
    platform, principal = common.caller(request)
    portal = acting_for(request)
    expansions = _expand(expand)
    where = common.Where(principal)
    if portal is not None:
        where.add("customer_id = ?", portal.customer_id)
    where.equals("status", status)
    where.equals("priority", priority)
    if assignedTo is not None:
        where.add("assigned_to = ?", ids.parse(assignedTo, ids.MEMBER, "assignedTo"))
    if customerId is not None:
        where.add("customer_id = ?", ids.parse(customerId, ids.CUSTOMER, "customerId"))
    where.tag("tags", tag)
    where.created_between(createdAfter, createdBefore, ("createdAfter", "createdBefore"))
    where.search(
        [
            "title",
            "customer_name",
            "(SELECT group_concat(m.content, ' ') FROM messages m WHERE m.ticket_id = tickets.id"
            + ("" if portal is None else " AND m.is_internal = 0")
            + ")",
        ],
        search,
    )

    def show(row: Row) -> dict[str, Any]:
        customer = _customer(platform, principal, row["customer_id"]) if expansions else None
        return _shown(platform, portal, serialize(row, customer), row)

    return common.list_response(request, "tickets", where, paging, SORT_FIELDS, show)


@router.post("/tickets", status_code=201, summary="Create a ticket", openapi_extra=PORTAL)
async def create_ticket(request: Request, body: TicketCreate) -> Response:
    platform, principal = common.caller(request)
    portal = acting_for(request)
    db = platform.db
    now = platform.now(principal.team_id, principal.livemode)
    stamp = platform.now_iso(principal)
    if portal is not None:  # the identity's customer, whatever customerId says (D23)
        check_ticket_create(body)
        customer = _customer(platform, principal, portal.customer_id)
    else:
        customer = (
            _resolve_customer(platform, principal, body.customerId) if body.customerId else None
        )
    assigned = _resolve_member(platform, principal, body.assignedTo) if body.assignedTo else None
    response_deadline, resolution_deadline = game.deadlines(
        db, principal, body.priority, now, now=now
    )
    with db.transaction():
        number_row = db.one(
            "SELECT COALESCE(MAX(number), 1000) + 1 AS n FROM tickets "
            "WHERE team_id = ? AND livemode = ?",
            (principal.team_id, int(principal.livemode)),
        )
        columns: Row = {
            "number": number_row["n"] if number_row else 1001,
            "title": body.title,
            "status": body.status,
            "priority": body.priority,
            "channel": body.channel,
            "customer_id": customer["id"] if customer else None,
            "customer_name": customer["name"] if customer else body.customerName,
            "assigned_to": assigned,
            "tags": dumps(body.tags),
            "notes": body.notes,
            "metadata": dumps(body.metadata),
            "message_count": int(body.message is not None),
            "response_deadline": response_deadline,
            "resolution_deadline": resolution_deadline,
            "first_response_at": None,
            "response_tier": None,
            "resolution_tier": None,
            "sla_paused": int(body.status == "pending"),
            "resolved_at": stamp if body.status == "resolved" else None,
            "closed_at": stamp if body.status == "closed" else None,
            "sla_paused_at": None,
            "sla_paused_seconds": 0.0,
        }
        row = common.new_row(principal, stamp, columns)
        row.update(game.sla_fields(None, row, now))
        db.insert("tickets", row)
        data: dict[str, Any] = {
            "ticket": events.ticket_data(row, platform.links(principal.team_id))
        }
        if customer is not None:
            data["customer"] = events.customer_data(customer)
        rid = responses.request_id_of(request)
        events.emit(db, principal, "ticket.created", data, now=now, request_id=rid)
        if body.message is not None:
            first = message_row(
                principal,
                row["id"],
                stamp,
                content=body.message.content,
                sender="customer",
                sender_name=row["customer_name"],
            )
            db.insert("messages", first)
            added = {"ticket": data["ticket"], "message": events.message_data(first)}
            events.emit(db, principal, "ticket.message_added", added, now=now, request_id=rid)
        if assigned is not None:
            events.emit(db, principal, "ticket.assigned", data, now=now, request_id=rid)
        game.on_ticket_written(platform, principal, None, row, now=now, request_id=rid)
    return responses.ok(request, _shown(platform, portal, serialize(row), row), status=201)


@router.get("/tickets/{ticketId}", summary="Get a ticket with its messages", openapi_extra=PORTAL)
async def get_ticket(
    request: Request,
    ticketId: str,
    expand: str | None = Query(None, description="Comma list; 'customer' inlines the customer."),
) -> Response:
    platform, principal = common.caller(request)
    portal = acting_for(request)
    expansions = _expand(expand)
    row = load_for(request, ticketId)
    customer = _customer(platform, principal, row["customer_id"]) if expansions else None
    ticket = serialize(row, customer)
    ticket["messages"] = [serialize_message(m) for m in messages_of(platform, row["id"], portal)]
    return responses.ok(request, _shown(platform, portal, ticket, row))


FIELDS: FieldMap = {
    "title": Column(),
    "tags": Column(kind="json"),
    "notes": Column(nullable=True),
    "metadata": Column(kind="merge"),
}


@router.patch("/tickets/{ticketId}", summary="Update a ticket")
async def update_ticket(request: Request, ticketId: str, body: TicketUpdate) -> Response:
    patch = common.Patch(request, load_ticket, ticketId)
    platform, principal, row = patch.platform, patch.principal, patch.row
    now = platform.now(principal.team_id, principal.livemode)
    values = patch.values(body, FIELDS) | _workflow_values(
        platform, principal, row, body, patch.stamp
    )
    values.update(game.sla_fields(row, {**row, **values}, now))
    rid = responses.request_id_of(request)

    def announce(updated: Row, changes: dict[str, Any]) -> None:
        links = platform.links(principal.team_id)
        data = {"ticket": events.ticket_data(updated, links), "changes": changes}
        common.emit_event(request, "ticket.updated", data)
        if "assigned_to" in changes and updated["assigned_to"] is not None:
            common.emit_event(request, "ticket.assigned", data)
        closing = updated["status"] in CLOSED_STATUSES and row["status"] not in CLOSED_STATUSES
        if "status" in changes and closing:
            common.emit_event(request, "ticket.closed", data)
        game.on_ticket_written(platform, principal, row, updated, now=now, request_id=rid)

    return patch.save("tickets", values, serialize, watched=WATCHED, emit=announce)


def _workflow_values(
    platform: Platform, principal: Principal, row: Row, body: TicketUpdate, stamp: str
) -> Row:
    """What status, priority, customer and assignee changes mean beyond their own column:
    SLA deadlines for a new priority, resolution times, the customer's name, a member's id."""
    fields = body.model_fields_set
    for required in ("status", "priority"):
        if required in fields and getattr(body, required) is None:
            raise ApiError.invalid(f"{required} cannot be null.", param=required)
    values: Row = {}
    if body.priority is not None and body.priority != row["priority"]:
        values["priority"] = body.priority
        values["response_deadline"], values["resolution_deadline"] = game.deadlines(
            platform.db,
            principal,
            body.priority,
            parse_iso(row["created_at"]),
            now=platform.now(principal.team_id, principal.livemode),
            paused_seconds=row["sla_paused_seconds"],
        )
    if body.status is not None and body.status != row["status"]:
        values["status"] = body.status
        values["sla_paused"] = int(body.status == "pending")
        values["resolved_at"] = stamp if body.status == "resolved" else None
        values["closed_at"] = stamp if body.status == "closed" else None
        if body.status == "closed" and row["resolved_at"] is not None:
            values["resolved_at"] = row["resolved_at"]
    if "customerId" in fields:
        values["customer_id"] = None
        if body.customerId is not None:
            customer = _resolve_customer(platform, principal, body.customerId)
            values["customer_id"] = customer["id"]
            values["customer_name"] = customer["name"]
    if "assignedTo" in fields:
        values["assigned_to"] = (
            _resolve_member(platform, principal, body.assignedTo) if body.assignedTo else None
        )
    return values


@router.delete("/tickets/{ticketId}", summary="Delete a ticket")
async def delete_ticket(request: Request, ticketId: str) -> Response:
    platform, principal = common.caller(request)
    row = load_ticket(platform, principal, ticketId)
    now = platform.now(principal.team_id, principal.livemode)
    rid = responses.request_id_of(request)

    def announce(gone: Row) -> None:
        data = {"ticket": events.ticket_data(gone, platform.links(principal.team_id))}
        events.emit(platform.db, principal, "ticket.deleted", data, now=now, request_id=rid)
        game.on_ticket_deleted(platform, principal, gone, now=now, request_id=rid)

    return common.delete_row(request, "tickets", row, ids.TICKET, announce=announce)
