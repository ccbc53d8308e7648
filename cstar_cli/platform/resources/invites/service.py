"""Invites (D47, facts §3.7 names the path): ``inv_`` ids, an email and the role the person gets.

A pending invite expires after 7 days of team time; revoking one (``DELETE``) keeps it, revoked.
One pending invite per email, and none for someone already a member (409). Accepting is out of
scope. No events (the catalogue has none); the audit log records each write (D42).
"""

from __future__ import annotations

from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.http.responses import Page
from cstar_cli.platform.resources.invites.models import InviteCreate
from cstar_cli.platform.resources.service import Service, columns, deleted
from cstar_cli.platform.store.db import Row
from cstar_cli.platform.store.query import Paging, sortable
from cstar_cli.wire.times import iso, parse_iso

LIFETIME = 7 * 24 * 3600


class Invites(Service):
    """The invites of the caller's team and environment."""

    table = "invites"
    prefix = ids.INVITE
    param = "inviteId"
    noun = "invite"
    sort_fields = sortable("created_at", "updated_at", "email")

    def serialize(self, row: Row) -> dict[str, Any]:
        status = row["status"]
        if status == "pending" and parse_iso(row["expires_at"]) <= self.now():
            status = "expired"
        return {
            "id": ids.INVITE + row["id"],
            "object": "invite",
            **columns(row, "email", "role"),
            "status": status,
            **columns(row, "expires_at", "revoked_at", "created_at", "updated_at"),
        }

    def list(self, paging: Paging, *, status: str | None = None) -> Page:
        where = self.where()
        now = iso(self.now())
        if status == "pending":
            where.add("status = 'pending' AND julianday(expires_at) > julianday(?)", now)
        elif status == "expired":
            where.add("status = 'pending' AND julianday(expires_at) <= julianday(?)", now)
        elif status is not None:
            where.equals("status", status)
        return self.page(where, paging, self.serialize)

    def get(self, invite_id: str) -> dict[str, Any]:
        return self.serialize(self.load(invite_id))

    def create(self, body: InviteCreate) -> dict[str, Any]:
        email_key = body.email.lower()
        scope = (self.principal.team_id, int(self.principal.livemode), email_key)
        member = self.db.one(
            "SELECT id FROM members WHERE team_id = ? AND livemode = ? AND lower(email) = ?", scope
        )
        if member is not None:
            raise ApiError.conflict(
                f"{body.email} is already a member of this team.", param="email"
            )
        pending = self.db.one(
            "SELECT id FROM invites WHERE team_id = ? AND livemode = ? AND email_key = ? "
            "AND status = 'pending' AND julianday(expires_at) > julianday(?)",
            (*scope, self.stamp()),
        )
        if pending is not None:
            raise ApiError.conflict(
                f"{body.email} already has a pending invite ({ids.INVITE}{pending['id']}); "
                "revoke it first to send another.",
                param="email",
            )
        row = self.new_row(
            {
                "email": body.email,
                "email_key": email_key,
                "role": body.role,
                "status": "pending",
                "expires_at": iso(self.now() + LIFETIME),
                "revoked_at": None,
            }
        )
        with self.transaction() as db:
            db.insert(self.table, row)
            self.audit(
                "invite.created", ids.INVITE + row["id"], {"email": body.email, "role": body.role}
            )
        return self.serialize(row)

    def revoke(self, invite_id: str) -> dict[str, Any]:
        """Revoke an invite (again is a no-op); it stays listed as revoked."""
        row = self.load(invite_id)
        if row["status"] != "revoked":
            values = {"status": "revoked", "revoked_at": self.stamp(), "updated_at": self.stamp()}
            with self.transaction() as db:
                db.update(self.table, "id", row["id"], values)
                self.audit("invite.revoked", ids.INVITE + row["id"])
        return deleted(ids.INVITE + row["id"])
