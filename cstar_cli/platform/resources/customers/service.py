"""Customers (facts §3.4): unique email per team and environment; every write with its event
(D10). The first verified identity of an email creates its customer (D18)."""

from __future__ import annotations

import builtins
import json
import sqlite3
from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.http.responses import Page
from cstar_cli.platform.resources import payloads
from cstar_cli.platform.resources.customer_groups.service import CustomerGroups
from cstar_cli.platform.resources.customers.models import CustomerCreate, CustomerUpdate
from cstar_cli.platform.resources.filters import TAG, Filter, equals, search
from cstar_cli.platform.resources.service import Service, columns
from cstar_cli.platform.store.db import Row, dumps
from cstar_cli.platform.store.query import Paging, Where, sortable
from cstar_cli.platform.store.updates import Column, FieldMap

WATCHED = ["name", "email", "status", "sentiment", "tags", "notes", "customFields", "metadata"]
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


def serialize(row: Row, ticket_count: int, group_ids: list[str] | None = None) -> dict[str, Any]:
    """A stored customer on the wire, with its ticket count and its groups (D41)."""
    return {
        "id": ids.CUSTOMER + row["id"],
        "object": "customer",
        **columns(row, "name", "email", "status", "sentiment"),
        "tags": json.loads(row["tags"]),
        "notes": row["notes"],
        "customFields": json.loads(row["custom_fields"]),
        "metadata": json.loads(row["metadata"]),
        "ticketCount": ticket_count,
        "groupIds": group_ids or [],
        **columns(row, "created_at", "updated_at"),
    }


def customer_columns(body: CustomerCreate) -> Row:
    """What a new customer stores (created through the API or loaded from a data file)."""
    return {
        "name": body.name,
        "email": body.email,
        "email_key": body.email.lower(),
        "status": body.status,
        "sentiment": body.sentiment,
        "tags": dumps(body.tags),
        "notes": body.notes,
        "custom_fields": dumps(body.customFields),
        "metadata": dumps(body.metadata),
    }


def email_taken(email: str) -> ApiError:
    return ApiError.conflict(
        f"A customer with email '{email}' already exists in this team and environment.",
        param="email",
    )


def in_group(_customers: Customers, where: Where, group_id: str) -> None:
    """D41: the customers of one group."""
    where.add(
        "id IN (SELECT customer_id FROM customer_group_members WHERE group_id = ?)",
        ids.parse(group_id, ids.CUSTOMER_GROUP, "groupId"),
    )


class Customers(Service):
    """The customers of the caller's team and environment."""

    table = "customers"
    prefix = ids.CUSTOMER
    param = "customerId"
    noun = "customer"
    sort_fields = sortable("created_at", "updated_at", "name", "email")
    filters = (
        equals("status"),
        equals("sentiment"),
        search("name", "email"),
        TAG,
        Filter("group_id", in_group),
    )

    # -- reading -------------------------------------------------------------------------------
    def list(self, paging: Paging, **given: Any) -> Page:
        return self.page(self.filtered(given), paging, self.shown)

    def get(self, customer_id: str) -> dict[str, Any]:
        return self.shown(self.load(customer_id))

    def shown(self, row: Row) -> dict[str, Any]:
        """A stored customer with its ticket count and groups."""
        return serialize(row, self._ticket_count(row["id"]), self._group_ids(row["id"]))

    # -- writing -------------------------------------------------------------------------------
    def create(self, body: CustomerCreate) -> dict[str, Any]:
        try:
            row = self.insert(body)
        except sqlite3.IntegrityError:
            raise email_taken(body.email) from None
        return serialize(row, 0)

    def insert(self, body: CustomerCreate) -> Row:
        """Store a new customer and its ``customer.created`` event. Raises
        ``sqlite3.IntegrityError`` when the email is taken in this team and environment."""
        row = self.new_row(customer_columns(body))
        with self.transaction() as db:
            db.insert(self.table, row)
            self.emit("customer.created", {"customer": payloads.customer_data(row)})
        return row

    def of_identity(self, email: str, name: str) -> Row:
        """The customer a verified identity names (``id``, ``email``, ``name``), created with
        ``name`` on first sight; a concurrent request creating it meanwhile is tolerated."""
        row = self._by_email(email)
        if row is None:
            try:
                verified = CustomerCreate.model_construct(name=name, email=email)  # D18: as given
                row = self.insert(verified)
            except sqlite3.IntegrityError:  # created meanwhile by a concurrent request
                row = self._by_email(email)
        assert row is not None
        return row

    def update(self, customer_id: str, body: CustomerUpdate) -> dict[str, Any]:
        row = self.load(customer_id)
        count = self._ticket_count(row["id"])
        groups = self._group_ids(row["id"])

        def show(updated: Row) -> dict[str, Any]:
            return serialize(updated, count, groups)

        def rename_on_tickets(updated: Row) -> None:
            if updated["name"] != row["name"]:
                self.db.execute(
                    "UPDATE tickets SET customer_name = ? WHERE customer_id = ?",
                    (updated["name"], row["id"]),
                )

        def announce(updated: Row, changes: dict[str, Any]) -> None:
            data = {"customer": payloads.customer_data(updated), "changes": changes}
            self.emit("customer.updated", data)

        try:
            saved = self.save(
                row,
                self.patch_values(body, row, FIELDS),
                show=show,
                watched=WATCHED,
                side_effects=rename_on_tickets,
                announce=announce,
            )
        except sqlite3.IntegrityError:
            raise email_taken(str(body.email)) from None
        return show(saved.row)

    def delete(self, customer_id: str) -> dict[str, Any]:
        row = self.load(customer_id)
        groups = CustomerGroups(self.caller)
        held = self.db.all(
            "SELECT group_id FROM customer_group_members WHERE customer_id = ?", (row["id"],)
        )
        before = {r["group_id"]: groups.member_ids(r["group_id"]) for r in held}

        def announce(gone: Row) -> None:
            self.emit("customer.deleted", {"customer": payloads.customer_data(gone)})
            for group_hex, members in before.items():  # its groups lost a member (D41)
                groups.customer_left(group_hex, members)

        # Tickets keep the customer's name; only the link goes.
        unlink = "UPDATE tickets SET customer_id = NULL WHERE customer_id = ?"
        return self.remove(row, unlink=[unlink], announce=announce)

    # -- helpers -------------------------------------------------------------------------------
    def _ticket_count(self, hex_id: str) -> int:
        row = self.db.one("SELECT COUNT(*) AS n FROM tickets WHERE customer_id = ?", (hex_id,))
        return int(row["n"]) if row else 0

    def _group_ids(self, hex_id: str) -> builtins.list[str]:
        rows = self.db.all(
            "SELECT group_id FROM customer_group_members WHERE customer_id = ? ORDER BY rowid",
            (hex_id,),
        )
        return [ids.CUSTOMER_GROUP + row["group_id"] for row in rows]

    def _by_email(self, email: str) -> Row | None:
        return self.db.one(
            "SELECT id, email, name FROM customers WHERE team_id = ? AND livemode = ? "
            "AND email_key = ?",
            (self.principal.team_id, int(self.principal.livemode), email.lower()),
        )
