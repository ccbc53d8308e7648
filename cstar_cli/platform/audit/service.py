"""``GET /audit-log`` (D42): the entries of the caller's team and environment, newest first.

Entries are written by :mod:`.trail` with every write; this only reads them, after letting go of
those older than 90 days of the team's time.
"""

from __future__ import annotations

import json
from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.audit.trail import RETENTION_SECONDS
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.http.responses import Page
from cstar_cli.platform.resources.service import Service, columns
from cstar_cli.platform.store.db import Row
from cstar_cli.platform.store.query import Paging, sortable
from cstar_cli.wire.times import parse_iso


def serialize(row: Row) -> dict[str, Any]:
    return {
        "id": ids.AUDIT_ENTRY + row["id"],
        "object": "audit_entry",
        **columns(
            row, "action", "resource_type", "resource_id", "actor_type", "actor_id", "actor_name"
        ),
        "source": row["source"],
        "details": json.loads(row["details"]),
        "createdAt": row["created_at"],
    }


def moment(value: str | None, param: str) -> float | None:
    """An ISO-8601 filter as unix seconds (400 naming ``param`` otherwise)."""
    if value is None:
        return None
    try:
        return parse_iso(value)
    except ValueError:
        raise ApiError.invalid(f"{param} must be an ISO-8601 time.", param=param) from None


class AuditLog(Service):
    """The audit log of the caller's team and environment: read-only."""

    table = "audit_log"
    prefix = ids.AUDIT_ENTRY
    param = "entryId"
    noun = "audit entry"
    sort_fields = sortable("created_at")

    def list(self, paging: Paging, filters: dict[str, str | None]) -> Page:
        """Newest first; ``filters``: action, resourceType, resourceId, actorId, actorType,
        source, since (or startDate), until (or endDate)."""
        self._forget_old()
        where = self.where()
        where.equals("action", filters.get("action"))
        where.equals("resource_type", filters.get("resourceType"))
        where.equals("resource_id", filters.get("resourceId"))
        where.equals("actor_id", filters.get("actorId"))
        where.equals("actor_type", filters.get("actorType"))
        where.equals("source", filters.get("source"))
        since = moment(filters.get("since"), "since")
        until = moment(filters.get("until"), "until")
        if since is not None:
            where.add("created_ts >= ?", since)
        if until is not None:
            where.add("created_ts < ?", until)
        return self.page(where, paging, serialize)

    def _forget_old(self) -> None:
        """Entries past 90 days of the team's time go (D42)."""
        with self.transaction() as db:
            db.execute(
                "DELETE FROM audit_log WHERE team_id = ? AND livemode = ? AND created_ts < ?",
                (
                    self.principal.team_id,
                    int(self.principal.livemode),
                    self.now() - RETENTION_SECONDS,
                ),
            )
