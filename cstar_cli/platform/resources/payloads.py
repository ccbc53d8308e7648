"""What events carry (D11): the snake_case objects of a ticket, customer, article or message.
Services build their events' ``data`` from these."""

from __future__ import annotations

import json
from typing import Any

from cstar_cli.platform import ids
from cstar_cli.wire.links import TeamLinks


def columns(row: dict[str, Any], *names: str) -> dict[str, Any]:
    """Columns of ``row`` as stored, under their own (snake_case) names: what an event's data
    copies as is."""
    return {name: row[name] for name in names}


def ticket_data(row: dict[str, Any], links: TeamLinks) -> dict[str, Any]:
    """The ``data.ticket`` object of ticket events (snake_case, with ``dashboard_url``: the
    local platform's own ``{apiBase}/tickets/{id}`` page, D31)."""
    ticket_id = ids.TICKET + row["id"]
    return {
        "id": ticket_id,
        "prefixed_id": f"CST-{row['number']}",
        **columns(row, "title", "status", "priority", "channel"),
        "customer_id": ids.wire(ids.CUSTOMER, row["customer_id"]),
        "customer_name": row["customer_name"],
        "assigned_to": ids.wire(ids.MEMBER, row["assigned_to"]),
        "tags": json.loads(row["tags"]),
        **columns(row, "created_at", "updated_at"),
        "dashboard_url": links.ticket(ticket_id),
    }


def customer_data(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": ids.CUSTOMER + row["id"],
        **columns(row, "name", "email", "status", "sentiment"),
        "tags": json.loads(row["tags"]),
        **columns(row, "created_at", "updated_at"),
    }


def article_data(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": ids.ARTICLE + row["id"],
        **columns(row, "title", "slug", "status"),
        "is_public": bool(row["is_public"]),
        "category_id": ids.wire(ids.CATEGORY, row["category_id"]),
        **columns(row, "category", "published_at", "created_at", "updated_at"),
    }


def message_data(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": ids.MESSAGE + row["id"],
        "ticket_id": ids.TICKET + row["ticket_id"],
        **columns(row, "content", "sender", "sender_name"),
        "is_internal": bool(row["is_internal"]),
        "created_at": row["created_at"],
    }
