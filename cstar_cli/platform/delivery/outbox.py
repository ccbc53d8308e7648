"""The events outbox (D10, D11): every write records its event in the same transaction.

Events are stored exactly as they will be delivered (snake_case payload, D11). Delivery to
webhooks and listen sessions reads from this table, so no change is ever without its event.
"""

from __future__ import annotations

import json
from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.http.auth import Principal
from cstar_cli.platform.store.db import Database
from cstar_cli.wire import catalog
from cstar_cli.wire.links import TeamLinks
from cstar_cli.wire.times import iso


def emit(
    db: Database,
    principal: Principal,
    event_type: str,
    data: dict[str, Any],
    *,
    now: float,
    request_id: str | None,
    fan_out: bool = True,
) -> dict[str, Any]:
    """Record one event; call inside the transaction that makes the change.

    ``fan_out=False`` records an event that goes to one chosen subscriber only (a webhook test).
    """
    payload = {
        "id": catalog.event_id(event_type, int(now * 1000)),
        "type": event_type,
        "created_at": iso(now),
        "team_id": principal.team_id,
        "livemode": principal.livemode,
        "data": data,
    }
    db.outbox_dirty = True
    db.insert(
        "events",
        {
            "id": payload["id"],
            "team_id": principal.team_id,
            "livemode": int(principal.livemode),
            "type": event_type,
            "payload": json.dumps(payload, separators=(",", ":"), ensure_ascii=False),
            "request_id": request_id,
            "created_at": payload["created_at"],
            "fan_out": int(fan_out),
        },
    )
    return payload


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


def changes(before: dict[str, Any], after: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """``{snake_name: {from, to}}`` for each watched wire field that changed (``data.changes``)."""
    return {
        snake(name): {"from": before.get(name), "to": after.get(name)}
        for name in fields
        if before.get(name) != after.get(name)
    }


def snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)
