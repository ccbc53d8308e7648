"""The customer groups of a data file (D34, D41): each with its members' ids.

Written after the customers they hold (``customerIds``: ``cus_`` ids, or emails in a
hand-written seed); a slug is made from the name when the file gives none.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from cstar_cli.platform import ids
from cstar_cli.platform.resources.articles.slugs import slugify
from cstar_cli.platform.resources.customer_groups.models import CustomerGroupCreate
from cstar_cli.platform.resources.service import columns
from cstar_cli.platform.store.db import Database, Row, dumps
from cstar_cli.platform.testhelpers.datafile.problems import (
    DataFileError,
    Path,
    a_list,
    validated,
)
from cstar_cli.platform.testhelpers.guard import TEST_SCOPE

if TYPE_CHECKING:
    from cstar_cli.platform.testhelpers.datafile.load import Loader

LIST = "customerGroups"


def export_groups(db: Database, team_id: str) -> list[dict[str, Any]]:
    """The environment's groups in the order they were made, members in the order they joined."""
    members: dict[str, list[str]] = {}
    for row in db.all(
        "SELECT m.group_id, m.customer_id FROM customer_group_members m JOIN customer_groups g "
        f"ON g.id = m.group_id WHERE g.{TEST_SCOPE.replace(' AND ', ' AND g.')} "
        "ORDER BY m.rowid",
        (team_id,),
    ):
        members.setdefault(row["group_id"], []).append(ids.CUSTOMER + row["customer_id"])
    rows = db.all(f"SELECT * FROM customer_groups WHERE {TEST_SCOPE} ORDER BY rowid", (team_id,))
    return [group(row, members.get(row["id"], [])) for row in rows]


def group(row: Row, customer_ids: list[str]) -> dict[str, Any]:
    return {
        "id": ids.CUSTOMER_GROUP + row["id"],
        **columns(row, "name", "slug", "description", "external_id"),
        "customFields": json.loads(row["custom_fields"]),
        "customerIds": customer_ids,
        **columns(row, "created_at", "updated_at"),
    }


def load_groups(loader: Loader, items: Any) -> None:
    for index, item in enumerate(a_list(items, (LIST,))):
        load_group(loader, index, item)


def load_group(loader: Loader, index: int, item: Any) -> None:
    path: Path = (LIST, index)
    body, own = loader.fields(
        item,
        path,
        "customer group",
        own=("id", "createdAt", "updatedAt", "customerIds"),
        derived=("customerCount",),
    )
    valid = validated(CustomerGroupCreate, body, path, "customer group")
    hex_id = loader.take_id(own, path, ids.CUSTOMER_GROUP, "customer_groups")
    name = valid.name.strip()
    slug = valid.slug or slugify(name, fallback="group")
    loader.unique("customer_groups", "slug", slug, (*path, "slug"), "customer group")
    values = {
        "name": name,
        "slug": slug,
        "description": valid.description,
        "external_id": valid.externalId,
        "custom_fields": dumps(valid.customFields),
    }
    created, updated = loader.times(own, path)
    loader.insert("customer_groups", loader.new_row(hex_id, values, created, updated), path)
    members = a_list(own.get("customerIds", []), (*path, "customerIds"))
    for position, reference in enumerate(members):
        customer = _customer(loader, reference, (*path, "customerIds", position))
        loader.db.execute(
            "INSERT OR IGNORE INTO customer_group_members (group_id, customer_id, added_at) "
            "VALUES (?, ?, ?)",
            (hex_id, customer, created),
        )
    loader.count(LIST)


def _customer(loader: Loader, reference: Any, where: Path) -> str:
    """A member of a group, by ``cus_`` id (or UUID) or email: its stored id."""
    if not isinstance(reference, str):
        raise DataFileError(where, "must be a customer id (cus_…) or email.")
    column, value = loader.lookup(reference, ids.CUSTOMER, where, "email_key")
    row = loader.db.one(
        f"SELECT id FROM customers WHERE {TEST_SCOPE} AND {column} = ?", (loader.team_id, value)
    )
    if row is None:
        raise DataFileError(where, f"no customer with id or email '{reference}' in the file.")
    return str(row["id"])
