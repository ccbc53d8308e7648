"""The tickets of a data file, each with its messages (D34).

A ticket's customer is named by id or email, its assignee by member id or email. Its number,
message count, first response, SLA deadlines and tiers are worked out as the API would have;
``resolvedAt`` and ``closedAt`` are facts the file may give (a resolved or closed ticket without
them was resolved or closed when it was last updated).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cstar_cli.platform import ids
from cstar_cli.platform.game.engine import system_principal
from cstar_cli.platform.game.sla import CLOSED, loaded_fields
from cstar_cli.platform.resources.tickets.models import MessageCreate, TicketCreate
from cstar_cli.platform.store.db import Row, dumps
from cstar_cli.platform.testhelpers.datafile.problems import (
    DataFileError,
    Path,
    a_list,
    validated,
)
from cstar_cli.platform.testhelpers.guard import TEST_SCOPE

if TYPE_CHECKING:
    from cstar_cli.platform.testhelpers.datafile.load import Loader

TICKET_OWN = ("id", "createdAt", "updatedAt", "resolvedAt", "closedAt", "messages", "message")
TICKET_DERIVED = (
    "number",
    "messageCount",
    "responseDeadline",
    "resolutionDeadline",
    "firstResponseAt",
    "responseTier",
    "resolutionTier",
    "slaPaused",
    "customer",
    "assignedToName",
)


def load_tickets(loader: Loader, items: list[Any]) -> None:
    """Store the file's tickets in order, numbered after the environment's last one."""
    last = loader.db.one(
        f"SELECT COALESCE(MAX(number), 1000) AS n FROM tickets WHERE {TEST_SCOPE}",
        (loader.team_id,),
    )
    number = int(last["n"]) if last else 1000
    for index, item in enumerate(items):
        number += 1
        load_ticket(loader, index, item, number)


def load_ticket(loader: Loader, index: int, item: Any, number: int) -> None:
    path: Path = ("tickets", index)
    body, own = loader.fields(item, path, "ticket", own=TICKET_OWN, derived=TICKET_DERIVED)
    if "message" in own:
        raise DataFileError(
            (*path, "message"), 'a data file lists a ticket\'s messages in "messages": [...].'
        )
    valid = validated(TicketCreate, body, path, "ticket")
    hex_id = loader.take_id(own, path, ids.TICKET, "tickets")
    customer_id, customer_name = None, valid.customerName
    if valid.customerId is not None:
        customer = customer_of(loader, valid.customerId, (*path, "customerId"))
        customer_id, customer_name = customer["id"], customer["name"]
    assignee = None
    if valid.assignedTo is not None:
        assignee = member_of(loader, valid.assignedTo, (*path, "assignedTo"))
    created = loader.time(own, "createdAt", path) or loader.stamp
    messages = message_rows(loader, hex_id, own.get("messages", []), path, created)
    latest = max([created, *(m["created_at"] for m in messages)])
    updated = loader.time(own, "updatedAt", path) or latest
    resolved, closed = closing_times(loader, valid.status, own, path, updated)
    public_answers = [
        m["created_at"] for m in messages if m["sender"] == "agent" and not m["is_internal"]
    ]
    values: Row = {
        "number": number,
        "title": valid.title,
        "status": valid.status,
        "priority": valid.priority,
        "channel": valid.channel,
        "customer_id": customer_id,
        "customer_name": customer_name,
        "assigned_to": assignee,
        "tags": dumps(valid.tags),
        "notes": valid.notes,
        "metadata": dumps(valid.metadata),
        "message_count": len(messages),
        "first_response_at": min(public_answers) if public_answers else None,
        "resolved_at": resolved,
        "closed_at": closed,
    }
    row = loader.new_row(hex_id, values, created, updated)
    principal = system_principal(loader.team_id, False)
    row.update(loaded_fields(loader.db, principal, row, loader.now))
    loader.insert("tickets", row, path)
    for position, message in enumerate(messages):
        loader.insert("messages", message, (*path, "messages", position))
    loader.count("tickets")
    loader.count("messages", len(messages))


def closing_times(
    loader: Loader, status: str, own: dict[str, Any], path: Path, updated: str
) -> tuple[str | None, str | None]:
    """``(resolvedAt, closedAt)`` as the API keeps them: closedAt only on a closed ticket,
    resolvedAt only on a resolved or closed one; a missing one is ``updated``."""
    resolved = loader.time(own, "resolvedAt", path)
    closed = loader.time(own, "closedAt", path)
    if closed is not None and status != "closed":
        raise DataFileError((*path, "closedAt"), f"is set, but the ticket is {status}, not closed.")
    if resolved is not None and status not in CLOSED:
        raise DataFileError(
            (*path, "resolvedAt"), f"is set, but the ticket is {status}, not resolved or closed."
        )
    if status == "resolved" and resolved is None:
        resolved = updated
    if status == "closed" and closed is None:
        closed = updated
    return resolved, closed


def message_rows(
    loader: Loader, ticket_hex: str, items: Any, path: Path, created: str
) -> list[Row]:
    """The ticket's messages as rows; one without ``createdAt`` follows the one before it (the
    first, the ticket's creation)."""
    rows: list[Row] = []
    previous = created
    for position, item in enumerate(a_list(items, (*path, "messages"))):
        where: Path = (*path, "messages", position)
        own_fields = ("id", "createdAt")
        valid, own = loader.body(
            item, where, MessageCreate, "message", own=own_fields, derived=("ticketId",)
        )
        previous = loader.time(own, "createdAt", where) or previous
        rows.append(
            {
                "id": loader.take_id(own, where, ids.MESSAGE, "messages"),
                "ticket_id": ticket_hex,
                "team_id": loader.team_id,
                "livemode": 0,
                "content": valid.content,
                "sender": valid.sender,
                "sender_name": valid.senderName,
                "is_internal": int(valid.isInternal),
                "created_at": previous,
            }
        )
    return rows


def customer_of(loader: Loader, reference: str, where: Path) -> Row:
    """The customer a ticket names by id (``cus_…``, a UUID) or email."""
    column, value = loader.lookup(reference, ids.CUSTOMER, where, "email_key")
    row = loader.db.one(
        f"SELECT id, name FROM customers WHERE {TEST_SCOPE} AND {column} = ?",
        (loader.team_id, value),
    )
    if row is None:
        raise DataFileError(
            where, f"no customer with {column.split('_')[0]} '{reference}' in the file."
        )
    return row


def member_of(loader: Loader, reference: str, where: Path) -> str:
    """The member a ticket is assigned to, by id (``mem_…``, a UUID) or email: the seed
    members (ada@, grace@, alan@example.com) and the file's."""
    column, value = loader.lookup(reference, ids.MEMBER, where, "lower(email)")
    row = loader.db.one(
        f"SELECT id FROM members WHERE {TEST_SCOPE} AND {column} = ? ORDER BY rowid LIMIT 1",
        (loader.team_id, value),
    )
    if row is None:
        noun = "email" if "@" in reference else "id"
        raise DataFileError(
            where,
            f"no team member with {noun} '{reference}': assign a seed member "
            "(ada@, grace@ or alan@example.com) or one the file's members list.",
        )
    return str(row["id"])
