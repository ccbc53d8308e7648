"""An environment's data as a data file (D34): every list in a stable order (the order the rows
were made, which a load keeps), ids as the API shows them, members by email.

Nothing platform-specific is written (no team id, no member or user ids, no keys, no webhook
secrets), nor anything a load recomputes (counts, SLA deadlines and tiers, XP, read time,
feedback counts). The seed members are on every platform and are not written either.
"""

from __future__ import annotations

import json
from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.game.sla import RULE_PREFIX, ensure_default_rules
from cstar_cli.platform.resources.service import columns
from cstar_cli.platform.store.db import Database, Row
from cstar_cli.platform.testhelpers.datafile.community import export_community, export_csat
from cstar_cli.platform.testhelpers.datafile.groups import export_groups
from cstar_cli.platform.testhelpers.datafile.preferences import export_extras
from cstar_cli.platform.testhelpers.guard import TEST_SCOPE
from cstar_cli.wire.datafile import FORMAT, VERSION


def export_rows(db: Database, team_id: str, now: float) -> dict[str, Any]:
    """The team's test environment as a data file document."""
    ensure_default_rules(db, team_id, False, now)  # as GET /sla/rules would show them
    scope = (team_id,)

    def rows(table: str, extra: str = "") -> list[Row]:
        return db.all(f"SELECT * FROM {table} WHERE {TEST_SCOPE}{extra} ORDER BY rowid", scope)

    emails = {row["id"]: row["email"] for row in rows("members")}
    messages: dict[str, list[dict[str, Any]]] = {}
    for row in db.all(
        f"SELECT * FROM messages WHERE {TEST_SCOPE} ORDER BY created_at, rowid", scope
    ):
        messages.setdefault(row["ticket_id"], []).append(message(row))
    document = {
        FORMAT: VERSION,
        "members": [member(row) for row in rows("members", " AND seed = 0")],
        "customers": [customer(row) for row in rows("customers")],
        "categories": [category(row) for row in rows("categories")],
        "articles": [article(row) for row in rows("articles")],
        "tickets": [ticket(row, emails, messages.get(row["id"], [])) for row in rows("tickets")],
        "webhooks": [webhook(row) for row in rows("webhooks")],
        "slaRules": [sla_rule(row) for row in rows("sla_rules")],
        "customerGroups": export_groups(db, team_id),
        **export_extras(db, team_id, emails),
    }
    community = export_community(db, team_id, emails)
    if community is not None:
        document["community"] = community
    csat = export_csat(db, team_id)
    if csat is not None:
        document["csat"] = csat
    return document


def member(row: Row) -> dict[str, Any]:
    return columns(row, "name", "email", "role", "avatar_url", "joined_at")


def customer(row: Row) -> dict[str, Any]:
    return {
        "id": ids.CUSTOMER + row["id"],
        **columns(row, "name", "email", "status", "sentiment"),
        "tags": json.loads(row["tags"]),
        "notes": row["notes"],
        "customFields": json.loads(row["custom_fields"]),
        "metadata": json.loads(row["metadata"]),
        **columns(row, "created_at", "updated_at"),
    }


def category(row: Row) -> dict[str, Any]:
    return {
        "id": ids.CATEGORY + row["id"],
        **columns(row, "name", "slug", "description", "position", "created_at", "updated_at"),
    }


def article(row: Row) -> dict[str, Any]:
    return {
        "id": ids.ARTICLE + row["id"],
        **columns(row, "title", "slug", "excerpt", "content"),
        "categoryId": ids.wire(ids.CATEGORY, row["category_id"]),
        **columns(row, "category", "status"),
        "isPublic": bool(row["is_public"]),
        "tags": json.loads(row["tags"]),
        **columns(row, "notes", "meta_description"),
        "metadata": json.loads(row["metadata"]),
        **columns(row, "view_count", "use_count", "published_at", "created_at", "updated_at"),
    }


def ticket(row: Row, emails: dict[str, str], messages: list[dict[str, Any]]) -> dict[str, Any]:
    assignee = row["assigned_to"]
    return {
        "id": ids.TICKET + row["id"],
        **columns(row, "title", "status", "priority", "channel"),
        "customerId": ids.wire(ids.CUSTOMER, row["customer_id"]),
        "customerName": row["customer_name"],
        "assignedTo": None if assignee is None else emails.get(assignee),
        "tags": json.loads(row["tags"]),
        "notes": row["notes"],
        "metadata": json.loads(row["metadata"]),
        **columns(row, "created_at", "updated_at", "resolved_at", "closed_at"),
        "messages": messages,
    }


def message(row: Row) -> dict[str, Any]:
    return {
        "id": ids.MESSAGE + row["id"],
        **columns(row, "content", "sender", "sender_name"),
        "isInternal": bool(row["is_internal"]),
        "createdAt": row["created_at"],
    }


def webhook(row: Row) -> dict[str, Any]:
    return {
        "id": ids.WEBHOOK + row["id"],
        **columns(row, "name", "description", "url"),
        "events": json.loads(row["events"]),
        "isActive": bool(row["is_active"]),
        "legacySignature": bool(row["legacy_signature"]),
        **columns(row, "created_at", "updated_at"),
    }


def sla_rule(row: Row) -> dict[str, Any]:
    return {
        "id": RULE_PREFIX + row["id"],
        **columns(row, "name", "priority", "response_target", "resolution_target"),
        "businessHoursOnly": bool(row["business_hours_only"]),
        "enabled": bool(row["enabled"]),
        **columns(row, "created_at", "updated_at"),
    }
