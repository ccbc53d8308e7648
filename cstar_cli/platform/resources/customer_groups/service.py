"""Customer groups (D41, facts §3.11): a team's companies or accounts, each holding customers.

A group has a ``cgr_`` id, a name and a slug (made from the name when omitted; unique per team
and environment, 409 on a clash). A customer may be in several groups; customers show theirs as
``groupIds`` and ``GET /customers?groupId=`` lists a group's. Every write emits its event inside
its transaction (D10): ``customer_group.created|updated|deleted``, and a membership change is a
``customer_group.updated`` whose ``changes.customer_ids`` holds the member ids before and after.
"""

from __future__ import annotations

import builtins
import json
from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.http.responses import Page
from cstar_cli.platform.resources.articles.slugs import slugify
from cstar_cli.platform.resources.customer_groups.models import (
    CustomerGroupCreate,
    CustomerGroupUpdate,
    GroupMembers,
)
from cstar_cli.platform.resources.service import Service, columns, stored
from cstar_cli.platform.store.db import Row, dumps
from cstar_cli.platform.store.query import Paging, sortable
from cstar_cli.platform.store.updates import Column, FieldMap

WATCHED = ["name", "slug", "description", "externalId", "customFields"]
FIELDS: FieldMap = {
    "name": Column(convert=str.strip),
    "slug": Column(),
    "description": Column(nullable=True),
    "externalId": Column(nullable=True),
    "customFields": Column(kind="merge"),
}


def serialize(row: Row, customer_count: int) -> dict[str, Any]:
    """A stored group on the wire (facts §3.11)."""
    return {
        "id": ids.CUSTOMER_GROUP + row["id"],
        "object": "customer_group",
        **columns(row, "name", "slug", "description", "external_id"),
        "customFields": json.loads(row["custom_fields"]),
        "customerCount": customer_count,
        **columns(row, "created_at", "updated_at"),
    }


def group_data(row: Row, customer_count: int) -> dict[str, Any]:
    """The ``data.customer_group`` object of its events (snake_case, as the sample shows it)."""
    return {
        "id": ids.CUSTOMER_GROUP + row["id"],
        **stored(row, "name", "slug", "description", "external_id"),
        "customer_count": customer_count,
        **stored(row, "created_at", "updated_at"),
    }


class CustomerGroups(Service):
    """The customer groups of the caller's team and environment."""

    table = "customer_groups"
    prefix = ids.CUSTOMER_GROUP
    param = "groupId"
    noun = "customer group"
    sort_fields = sortable("created_at", "updated_at", "name", "slug")

    # -- reading -------------------------------------------------------------------------------
    def list(self, paging: Paging, *, search: str | None = None) -> Page:
        where = self.where()
        where.search(["name"], search)
        return self.page(where, paging, self.shown)

    def get(self, group_id: str) -> dict[str, Any]:
        return self.shown(self.load(group_id))

    def shown(self, row: Row) -> dict[str, Any]:
        return serialize(row, len(self.member_ids(row["id"])))

    def member_ids(self, hex_id: str) -> builtins.list[str]:
        """The group's customers, as ``cus_`` ids in the order they joined."""
        rows = self.db.all(
            "SELECT customer_id FROM customer_group_members WHERE group_id = ? ORDER BY rowid",
            (hex_id,),
        )
        return [ids.CUSTOMER + row["customer_id"] for row in rows]

    # -- writing -------------------------------------------------------------------------------
    def create(self, body: CustomerGroupCreate) -> dict[str, Any]:
        name = body.name.strip()
        row = self.new_row(
            {
                "name": name,
                "slug": body.slug or slugify(name, fallback="group"),
                "description": body.description,
                "external_id": body.externalId,
                "custom_fields": dumps(body.customFields),
            }
        )
        with self.transaction() as db:
            self._check_slug(row)
            db.insert(self.table, row)
            self.emit("customer_group.created", {"customer_group": group_data(row, 0)})
        return serialize(row, 0)

    def update(self, group_id: str, body: CustomerGroupUpdate) -> dict[str, Any]:
        row = self.load(group_id)
        values = self.patch_values(body, row, FIELDS)
        count = len(self.member_ids(row["id"]))

        def show(updated: Row) -> dict[str, Any]:
            return serialize(updated, count)

        def announce(updated: Row, changes: dict[str, Any]) -> None:
            data = {"customer_group": group_data(updated, count), "changes": changes}
            self.emit("customer_group.updated", data)

        with self.transaction():
            self._check_slug({**row, **values})
            saved = self.save(row, values, show=show, watched=WATCHED, announce=announce)
        return show(saved.row)

    def delete(self, group_id: str) -> dict[str, Any]:
        row = self.load(group_id)
        count = len(self.member_ids(row["id"]))

        def announce(gone: Row) -> None:
            self.emit("customer_group.deleted", {"customer_group": group_data(gone, count)})

        unlink = "DELETE FROM customer_group_members WHERE group_id = ?"
        return self.remove(row, unlink=[unlink], announce=announce)

    def add_customers(self, group_id: str, body: GroupMembers) -> dict[str, Any]:
        """``POST /customer-groups/{id}/customers``: add customers (400 naming ``customerIds``
        for one that is not the team's); one ``customer_group.updated`` when any joined."""
        row = self.load(group_id)
        wanted: builtins.list[str] = []
        for value in body.customerIds:
            customer = self.referenced(
                "customers", ids.CUSTOMER, "customerIds", value, noun="customer"
            )
            if customer["id"] not in wanted:
                wanted.append(customer["id"])
        with self.transaction() as db:
            before = self.member_ids(row["id"])
            for hex_id in wanted:
                db.execute(
                    "INSERT OR IGNORE INTO customer_group_members (group_id, customer_id, "
                    "added_at) VALUES (?, ?, ?)",
                    (row["id"], hex_id, self.stamp()),
                )
            return self._membership_changed(row, before)

    def remove_customer(self, group_id: str, customer_id: str) -> dict[str, Any]:
        """``DELETE /customer-groups/{id}/customers/{customerId}``: 404 when the customer is
        not in the group."""
        row = self.load(group_id)
        hex_id = ids.parse(customer_id, ids.CUSTOMER, "customerId")
        with self.transaction() as db:
            before = self.member_ids(row["id"])
            if ids.CUSTOMER + hex_id not in before:
                raise ApiError.not_found("customer in this group", customer_id)
            db.execute(
                "DELETE FROM customer_group_members WHERE group_id = ? AND customer_id = ?",
                (row["id"], hex_id),
            )
            return self._membership_changed(row, before)

    def customer_left(self, group_hex: str, before: builtins.list[str]) -> None:
        """A member of the group was deleted (its membership went with it): the group's
        ``customer_group.updated`` with ``changes.customer_ids``."""
        row = self.row(self.table, group_hex)
        if row is not None:
            self._membership_changed(row, before)

    # -- helpers -------------------------------------------------------------------------------
    def _membership_changed(self, row: Row, before: builtins.list[str]) -> dict[str, Any]:
        after = self.member_ids(row["id"])
        if after == before:
            return serialize(row, len(after))
        updated = {**row, "updated_at": self.stamp()}
        self.db.execute(
            "UPDATE customer_groups SET updated_at = ? WHERE id = ?",
            (updated["updated_at"], row["id"]),
        )
        changes = {"customer_ids": {"from": before, "to": after}}
        data = {"customer_group": group_data(updated, len(after)), "changes": changes}
        self.emit("customer_group.updated", data)
        return serialize(updated, len(after))

    def _check_slug(self, row: Row) -> None:
        if self.taken(row, "slug"):
            raise ApiError.conflict(
                f"A customer group with slug '{row['slug']}' already exists in this team and "
                "environment; give another slug.",
                param="slug",
            )
