"""Tickets (facts §3.2): what a caller may see of them and every write, with its events (D10),
its SLA fields and the game's hooks (D19, D20). A portal acting for a customer (D18, D23) sees
and creates only that customer's tickets, through the allow-lists of :mod:`.portal`."""

from __future__ import annotations

import json
from typing import Any

from cstar_cli.platform import game, ids
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.http.responses import Page
from cstar_cli.platform.preferences import default_priority
from cstar_cli.platform.resources import payloads
from cstar_cli.platform.resources.filters import TAG, Filter, created, equals, id_of
from cstar_cli.platform.resources.service import Service, columns
from cstar_cli.platform.resources.tickets.models import FirstMessage, TicketCreate, TicketUpdate
from cstar_cli.platform.resources.tickets.portal import check_ticket_create, ticket_view
from cstar_cli.platform.store.db import Row, dumps
from cstar_cli.platform.store.query import Paging, Where, sortable
from cstar_cli.platform.store.updates import Column, FieldMap
from cstar_cli.wire.times import parse_iso

WATCHED = ["title", "status", "priority", "assignedTo", "tags", "notes", "customerId", "metadata"]
CLOSED_STATUSES = ("resolved", "closed")
EXPANDABLE = {"customer"}
FIELDS: FieldMap = {
    "title": Column(),
    "tags": Column(kind="json"),
    "notes": Column(nullable=True),
    "metadata": Column(kind="merge"),
}
"""Fields a PATCH sets as they are; status, priority, customer and assignee mean more
(:meth:`Tickets._workflow_values`)."""


def serialize(row: Row, customer: Row | None = None) -> dict[str, Any]:
    """A stored ticket on the wire (with its customer inlined when expanded)."""
    ticket: dict[str, Any] = {
        "id": ids.TICKET + row["id"],
        "object": "ticket",
        **columns(row, "title", "status", "priority", "channel"),
        "customerId": ids.wire(ids.CUSTOMER, row["customer_id"]),
        "customerName": row["customer_name"],
        "assignedTo": ids.wire(ids.MEMBER, row["assigned_to"]),
        "tags": json.loads(row["tags"]),
        "notes": row["notes"],
        "metadata": json.loads(row["metadata"]),
        **columns(
            row,
            "message_count",
            "response_deadline",
            "resolution_deadline",
            "first_response_at",
            "response_tier",
            "resolution_tier",
        ),
        "slaPaused": bool(row["sla_paused"]),
        **columns(row, "created_at", "updated_at", "resolved_at", "closed_at"),
    }
    if customer is not None:
        ticket["customer"] = {
            "id": ids.CUSTOMER + customer["id"],
            "name": customer["name"],
            "email": customer["email"],
        }
    return ticket


def serialize_message(row: Row) -> dict[str, Any]:
    """A stored message on the wire."""
    return {
        "id": ids.MESSAGE + row["id"],
        "object": "message",
        "ticketId": ids.TICKET + row["ticket_id"],
        **columns(row, "content", "sender", "sender_name"),
        "isInternal": bool(row["is_internal"]),
        "createdAt": row["created_at"],
    }


def expansions(value: str | None) -> set[str]:
    """The ``expand`` parameter: ``customer`` or nothing (anything else is a 400)."""
    if not value:
        return set()
    wanted = {part.strip() for part in value.split(",") if part.strip()}
    unknown = wanted - EXPANDABLE
    if unknown:
        raise ApiError.invalid(
            f"Cannot expand {', '.join(sorted(unknown))}. Expandable: customer.", param="expand"
        )
    return wanted


def searched(tickets: Tickets, where: Where, term: str) -> None:
    """``search``: the title, the customer's name, or the messages the caller may read."""
    hidden = "" if tickets.caller.identity is None else " AND m.is_internal = 0"
    texts = (
        "(SELECT group_concat(m.content, ' ') FROM messages m "
        f"WHERE m.ticket_id = tickets.id{hidden})"
    )
    where.search(["title", "customer_name", texts], term)


class Tickets(Service):
    """The tickets of the caller's team and environment."""

    table = "tickets"
    prefix = ids.TICKET
    param = "ticketId"
    noun = "ticket"
    sort_fields = {
        **sortable("created_at", "updated_at", "status", "title"),
        "priority": "CASE priority WHEN 'low' THEN 0 WHEN 'normal' THEN 1 "
        "WHEN 'high' THEN 2 ELSE 3 END",
    }
    filters = (
        equals("status"),
        equals("priority"),
        id_of("assigned_to", ids.MEMBER, "assignedTo"),
        id_of("customer_id", ids.CUSTOMER, "customerId"),
        TAG,
        created("created_after", ">=", "createdAfter"),
        created("created_before", "<", "createdBefore"),
        Filter("search", searched),
    )

    # -- reading -------------------------------------------------------------------------------
    def visible(self, ticket_id: str) -> Row:
        """A ticket the caller may see: through an identity, only that customer's own (404)."""
        row = self.load(ticket_id)
        portal = self.caller.identity
        if portal is not None and row["customer_id"] != portal.customer_id:
            raise ApiError.not_found("ticket", ticket_id)
        return row

    def messages_of(self, ticket_hex: str) -> list[Row]:
        """A ticket's messages, oldest first; a portal never sees internal notes."""
        hidden = "" if self.caller.identity is None else " AND is_internal = 0"
        return self.db.all(
            f"SELECT * FROM messages WHERE ticket_id = ?{hidden} ORDER BY created_at, rowid",
            (ticket_hex,),
        )

    def shown(self, row: Row, ticket: dict[str, Any] | None = None) -> dict[str, Any]:
        """The ticket as this caller sees it (a portal gets the D23 allow-list)."""
        ticket = serialize(row) if ticket is None else ticket
        if self.caller.identity is None:
            return ticket
        member = None
        if row["assigned_to"] is not None:
            member = self.db.one("SELECT name FROM members WHERE id = ?", (row["assigned_to"],))
        return ticket_view(
            ticket,
            messages=len(self.messages_of(row["id"])),
            assignee=member["name"] if member else None,
        )

    def list(self, paging: Paging, *, expand: str | None = None, **given: Any) -> Page:
        expanded = bool(expansions(expand))
        where = self.filtered(given)
        portal = self.caller.identity
        if portal is not None:
            where.add("customer_id = ?", portal.customer_id)

        def show(row: Row) -> dict[str, Any]:
            customer = self._customer(row["customer_id"]) if expanded else None
            return self.shown(row, serialize(row, customer))

        return self.page(where, paging, show)

    def get(self, ticket_id: str, *, expand: str | None = None) -> dict[str, Any]:
        """A ticket with its messages."""
        expanded = bool(expansions(expand))
        row = self.visible(ticket_id)
        customer = self._customer(row["customer_id"]) if expanded else None
        ticket = serialize(row, customer)
        ticket["messages"] = [serialize_message(m) for m in self.messages_of(row["id"])]
        return self.shown(row, ticket)

    # -- writing -------------------------------------------------------------------------------
    def create(self, body: TicketCreate) -> dict[str, Any]:
        portal = self.caller.identity
        now, stamp = self.now(), self.stamp()
        if portal is not None:  # the identity's customer, whatever customerId says (D23)
            check_ticket_create(body)
            customer = self._customer(portal.customer_id)
        else:
            customer = self._resolve_customer(body.customerId) if body.customerId else None
        assigned = self._resolve_member(body.assignedTo) if body.assignedTo else None
        priority: str = body.priority
        if "priority" not in body.model_fields_set:  # the team's defaultPriority (D46)
            priority = default_priority(self.db, self.principal.team_id, self.principal.livemode)
        response_deadline, resolution_deadline = game.deadlines(
            self.db, self.principal, priority, now, now=now
        )
        with self.transaction() as db:
            number_row = db.one(
                "SELECT COALESCE(MAX(number), 1000) + 1 AS n FROM tickets "
                "WHERE team_id = ? AND livemode = ?",
                (self.principal.team_id, int(self.principal.livemode)),
            )
            row = self.new_row(
                {
                    "number": number_row["n"] if number_row else 1001,
                    "title": body.title,
                    "status": body.status,
                    "priority": priority,
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
                },
                stamp,
            )
            row.update(game.sla_fields(None, row, now))
            db.insert("tickets", row)
            data: dict[str, Any] = {"ticket": self._payload(row)}
            if customer is not None:
                data["customer"] = payloads.customer_data(customer)
            self.emit("ticket.created", data)
            if body.message is not None:
                self._first_message(row, body.message, data["ticket"], stamp)
            if assigned is not None:
                self.emit("ticket.assigned", data)
            self.game_hook(None, row)
        return self.shown(row)

    def update(self, ticket_id: str, body: TicketUpdate) -> dict[str, Any]:
        row = self.load(ticket_id)
        values = self.patch_values(body, row, FIELDS) | self._workflow_values(row, body)
        values.update(game.sla_fields(row, {**row, **values}, self.now()))

        def announce(updated: Row, changes: dict[str, Any]) -> None:
            data = {"ticket": self._payload(updated), "changes": changes}
            self.emit("ticket.updated", data)
            if "assigned_to" in changes and updated["assigned_to"] is not None:
                self.emit("ticket.assigned", data)
            closing = updated["status"] in CLOSED_STATUSES and row["status"] not in CLOSED_STATUSES
            if "status" in changes and closing:
                self.emit("ticket.closed", data)
            self.game_hook(row, updated)

        saved = self.save(row, values, show=serialize, watched=WATCHED, announce=announce)
        return serialize(saved.row)

    def delete(self, ticket_id: str) -> dict[str, Any]:
        def announce(gone: Row) -> None:
            self.emit("ticket.deleted", {"ticket": self._payload(gone)})
            game.on_ticket_deleted(
                self.caller.work,
                self.principal,
                gone,
                now=self.now(),
                request_id=self.caller.request_id,
            )

        return self.remove(self.load(ticket_id), announce=announce)

    def game_hook(self, before: Row | None, after: Row) -> None:
        """Tell the game a ticket was written (inside the write's transaction)."""
        game.on_ticket_written(
            self.caller.work,
            self.principal,
            before,
            after,
            now=self.now(),
            request_id=self.caller.request_id,
        )

    # -- helpers -------------------------------------------------------------------------------
    def _payload(self, row: Row) -> dict[str, Any]:
        return payloads.ticket_data(row, self.platform.links(self.principal.team_id))

    def _first_message(
        self, ticket: Row, message: FirstMessage, ticket_data: dict[str, Any], stamp: str
    ) -> None:
        first = message_row(
            self,
            ticket["id"],
            stamp,
            content=message.content,
            sender="customer",
            sender_name=ticket["customer_name"],
        )
        self.db.insert("messages", first)
        added = {"ticket": ticket_data, "message": payloads.message_data(first)}
        self.emit("ticket.message_added", added)

    def _customer(self, hex_id: str | None) -> Row | None:
        return None if hex_id is None else self.row("customers", hex_id)

    def _resolve_customer(self, value: str) -> Row:
        return self.referenced("customers", ids.CUSTOMER, "customerId", value, noun="customer")

    def _resolve_member(self, value: str) -> str:
        member = self.referenced("members", ids.MEMBER, "assignedTo", value, noun="team member")
        return str(member["id"])

    def _workflow_values(self, row: Row, body: TicketUpdate) -> Row:
        """What status, priority, customer and assignee changes mean beyond their own column:
        SLA deadlines for a new priority, resolution times, the customer's name, a member's id."""
        fields = body.model_fields_set
        for required in ("status", "priority"):
            if required in fields and getattr(body, required) is None:
                raise ApiError.invalid(f"{required} cannot be null.", param=required)
        stamp = self.stamp()
        values: Row = {}
        if body.priority is not None and body.priority != row["priority"]:
            values["priority"] = body.priority
            values["response_deadline"], values["resolution_deadline"] = game.deadlines(
                self.db,
                self.principal,
                body.priority,
                parse_iso(row["created_at"]),
                now=self.now(),
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
                customer = self._resolve_customer(body.customerId)
                values["customer_id"] = customer["id"]
                values["customer_name"] = customer["name"]
        if "assignedTo" in fields:
            values["assigned_to"] = (
                self._resolve_member(body.assignedTo) if body.assignedTo else None
            )
        return values


def message_row(service: Service, ticket_hex: str, stamp: str, **fields: Any) -> Row:
    """A new message of a ticket in the caller's team and environment."""
    return {
        "id": ids.new_hex(),
        "ticket_id": ticket_hex,
        "team_id": service.principal.team_id,
        "livemode": int(service.principal.livemode),
        "content": fields["content"],
        "sender": fields["sender"],
        "sender_name": fields.get("sender_name"),
        "is_internal": int(fields.get("is_internal", False)),
        "created_at": stamp,
    }
