"""Customers (facts §3.4): unique email per team and environment."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from cstar_cli.platform import ids
from cstar_cli.platform.core import Platform
from cstar_cli.platform.http import responses
from cstar_cli.platform.http.auth import Principal
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.resources import common, payloads
from cstar_cli.platform.resources.customers.models import CustomerCreate, CustomerUpdate
from cstar_cli.platform.store.db import Row, dumps
from cstar_cli.platform.store.updates import Column, FieldMap
from cstar_cli.wire.enums import CustomerStatus, Sentiment

router = APIRouter(tags=["customers"])

SORT_FIELDS = common.sortable("created_at", "updated_at", "name", "email")
WATCHED = ["name", "email", "status", "sentiment", "tags", "notes", "customFields", "metadata"]


def serialize(row: Row, ticket_count: int) -> dict[str, Any]:
    return {
        "id": ids.CUSTOMER + row["id"],
        "object": "customer",
        **common.columns(row, "name", "email", "status", "sentiment"),
        "tags": json.loads(row["tags"]),
        "notes": row["notes"],
        "customFields": json.loads(row["custom_fields"]),
        "metadata": json.loads(row["metadata"]),
        "ticketCount": ticket_count,
        **common.columns(row, "created_at", "updated_at"),
    }


def _ticket_count(platform: Platform, hex_id: str) -> int:
    row = platform.db.one("SELECT COUNT(*) AS n FROM tickets WHERE customer_id = ?", (hex_id,))
    return int(row["n"]) if row else 0


def _shown(platform: Platform, row: Row) -> dict[str, Any]:
    """A stored customer with its ticket count."""
    return serialize(row, _ticket_count(platform, row["id"]))


def _load(platform: Platform, principal: Principal, customer_id: str) -> Row:
    return common.load_scoped(
        platform, principal, "customers", ids.CUSTOMER, "customerId", customer_id
    )


def _email_taken(email: str) -> ApiError:
    return ApiError.conflict(
        f"A customer with email '{email}' already exists in this team and environment.",
        param="email",
    )


@router.get("/customers", summary="List customers")
async def list_customers(
    request: Request,
    paging: common.PageParams = Depends(common.page_params),
    status: CustomerStatus | None = Query(None),
    sentiment: Sentiment | None = Query(None),
    search: str | None = common.search_query("Text in the name or email."),
    tag: str | None = Query(None),
) -> Response:
    platform, principal = common.caller(request)
    where = common.Where(principal)
    where.equals("status", status)
    where.equals("sentiment", sentiment)
    where.search(["name", "email"], search)
    where.tag("tags", tag)
    return common.list_response(
        request, "customers", where, paging, SORT_FIELDS, lambda row: _shown(platform, row)
    )


def insert_customer(
    platform: Platform, principal: Principal, request_id: str | None, **fields: Any
) -> Row:
    """Store a new customer and its ``customer.created`` event.

    ``fields`` are those of a ``POST /customers`` body (:class:`CustomerCreate`); ``name`` and
    ``email`` are required, the others have the body's defaults. Raises
    ``sqlite3.IntegrityError`` when the email is taken in this team and environment.
    """
    db = platform.db
    columns: Row = {
        "name": fields["name"],
        "email": fields["email"],
        "email_key": fields["email"].lower(),
        "status": fields.get("status", "active"),
        "sentiment": fields.get("sentiment"),
        "tags": dumps(fields.get("tags", [])),
        "notes": fields.get("notes"),
        "custom_fields": dumps(fields.get("customFields", {})),
        "metadata": dumps(fields.get("metadata", {})),
    }
    row = common.new_row(principal, platform.now_iso(principal), columns)
    with db.transaction():
        db.insert("customers", row)
        platform.outbox.emit(
            principal,
            "customer.created",
            {"customer": payloads.customer_data(row)},
            now=platform.now(principal.team_id, principal.livemode),
            request_id=request_id,
        )
    return row


@router.post("/customers", status_code=201, summary="Create a customer")
async def create_customer(request: Request, body: CustomerCreate) -> Response:
    platform, principal = common.caller(request)
    try:
        row = insert_customer(
            platform, principal, responses.request_id_of(request), **body.model_dump()
        )
    except sqlite3.IntegrityError:
        raise _email_taken(body.email) from None
    return responses.ok(request, serialize(row, 0), status=201)


@router.get("/customers/{customerId}", summary="Get a customer")
async def get_customer(request: Request, customerId: str) -> Response:
    platform, principal = common.caller(request)
    return responses.ok(request, _shown(platform, _load(platform, principal, customerId)))


FIELDS: FieldMap = {
    "name": Column(),
    "email": Column(also=lambda email: {"email_key": email.lower()}),
    "status": Column(),
    "sentiment": Column(nullable=True),
    "tags": Column(kind="json"),
    "notes": Column(nullable=True),
    "customFields": Column(kind="merge"),
    "metadata": Column(kind="merge"),
}


@router.patch("/customers/{customerId}", summary="Update a customer")
async def update_customer(request: Request, customerId: str, body: CustomerUpdate) -> Response:
    patch = common.Patch(request, _load, customerId)
    row = patch.row
    count = _ticket_count(patch.platform, row["id"])

    def rename_on_tickets(updated: Row) -> None:
        if updated["name"] != row["name"]:
            patch.platform.db.execute(
                "UPDATE tickets SET customer_name = ? WHERE customer_id = ?",
                (updated["name"], row["id"]),
            )

    def announce(updated: Row, changes: dict[str, Any]) -> None:
        data = {"customer": payloads.customer_data(updated), "changes": changes}
        common.emit_event(request, "customer.updated", data)

    try:
        return patch.save(
            "customers",
            patch.values(body, FIELDS),
            lambda updated: serialize(updated, count),
            watched=WATCHED,
            side_effects=rename_on_tickets,
            emit=announce,
        )
    except sqlite3.IntegrityError:
        raise _email_taken(str(body.email)) from None


@router.delete("/customers/{customerId}", summary="Delete a customer")
async def delete_customer(request: Request, customerId: str) -> Response:
    def announce(gone: Row) -> None:
        common.emit_event(request, "customer.deleted", {"customer": payloads.customer_data(gone)})

    row = _load(*common.caller(request), customerId)
    # Tickets keep the customer's name; only the link goes.
    unlink = "UPDATE tickets SET customer_id = NULL WHERE customer_id = ?"
    return common.delete_row(
        request, "customers", row, ids.CUSTOMER, unlink=[unlink], announce=announce
    )
