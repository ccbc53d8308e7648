"""Team members (facts §3.7, D22): CRUD on the local platform. Members emit no events."""

from __future__ import annotations

import json
from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.http.responses import Page
from cstar_cli.platform.resources.members.models import MemberCreate, MemberUpdate
from cstar_cli.platform.resources.service import Service, columns
from cstar_cli.platform.store.db import Row, dumps
from cstar_cli.platform.store.query import Paging, sortable
from cstar_cli.platform.store.updates import Column, FieldMap

ROLE_TITLES = {
    "owner": "The Guild Master",
    "admin": "The Architect",
    "manager": "The Strategist",
    "librarian": "The Sage",
    "agent": "The Hero",
    "spectator": "The Watcher",
}
ROLE_PERMISSIONS = {
    "owner": [
        "tickets:write",
        "customers:write",
        "articles:write",
        "team:manage",
        "billing:manage",
    ],
    "admin": ["tickets:write", "customers:write", "articles:write", "team:manage"],
    "manager": ["tickets:write", "customers:write", "articles:write", "reports:read"],
    "librarian": ["articles:write", "tickets:read"],
    "agent": ["tickets:write", "customers:write"],
    "spectator": ["tickets:read"],
}
FIELDS: FieldMap = {
    "name": Column(),
    "email": Column(),
    "role": Column(also=lambda role: {"permissions": dumps(ROLE_PERMISSIONS[role])}),
    "avatarUrl": Column(nullable=True),
}


def serialize(row: Row) -> dict[str, Any]:
    """A stored member on the wire."""
    return {
        "id": ids.MEMBER + row["id"],
        "object": "member",
        "userId": ids.USER + row["user_id"],
        **columns(row, "name", "email", "avatar_url", "role"),
        "roleDisplayName": ROLE_TITLES[row["role"]],
        "permissions": json.loads(row["permissions"]),
        **columns(row, "level", "xp", "joined_at"),
    }


def new_member(
    team_id: str, livemode: bool, name: str, email: str, role: str, stamp: str, avatar: str | None
) -> Row:
    """A new member's row (the seed's members too)."""
    return {
        "id": ids.new_hex(),
        "team_id": team_id,
        "livemode": int(livemode),
        "user_id": ids.new_hex(),
        "name": name,
        "email": email,
        "avatar_url": avatar,
        "role": role,
        "permissions": dumps(ROLE_PERMISSIONS[role]),
        "xp": 0,
        "level": 1,
        "joined_at": stamp,
        "updated_at": stamp,
    }


class Members(Service):
    """The members of the caller's team and environment."""

    table = "members"
    prefix = ids.MEMBER
    param = "memberId"
    noun = "member"
    sort_fields = sortable("joined_at", "name", "xp", "level")

    def list(self, paging: Paging, *, role: str | None = None) -> Page:
        where = self.where()
        where.equals("role", role)
        return self.page(where, paging, serialize, default_sort="joinedAt")

    def get(self, member_id: str) -> dict[str, Any]:
        return serialize(self.load(member_id))

    def create(self, body: MemberCreate) -> dict[str, Any]:
        row = new_member(
            self.principal.team_id,
            self.principal.livemode,
            body.name,
            body.email,
            body.role,
            self.stamp(),
            body.avatarUrl,
        )
        with self.transaction() as db:
            db.insert(self.table, row)
            self.audit("member.created", self.prefix + row["id"], serialize(row))
        return serialize(row)

    def update(self, member_id: str, body: MemberUpdate) -> dict[str, Any]:
        row = self.load(member_id)
        saved = self.save(row, self.patch_values(body, row, FIELDS))
        return serialize(saved.row)

    def delete(self, member_id: str) -> dict[str, Any]:
        unassign = "UPDATE tickets SET assigned_to = NULL WHERE assigned_to = ?"
        return self.remove(self.load(member_id), unlink=[unassign])
