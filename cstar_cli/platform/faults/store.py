"""The ``faults`` table (D38): add, list, remove, and take — match a request or a first delivery
attempt against a scope's faults, oldest first, and count it against the one that matched.

A fault's ``spec`` is kept as added (its wire form, less id and counts); ``count`` is how many
matches it was given (``NULL``: until removed), ``remaining`` how many are left, ``hits`` how many
it had. A used-up fault stays listed (``remaining: 0``) until removed or reset (D33)."""

from __future__ import annotations

import fnmatch
import json
from typing import Any

from cstar_cli.platform import ids
from cstar_cli.platform.store.db import Database, Row
from cstar_cli.wire import catalog
from cstar_cli.wire.times import iso

Scope = tuple[str, int]


def serialize(row: Row) -> dict[str, Any]:
    """A stored fault on the wire."""
    return {
        "id": ids.FAULT + row["id"],
        "object": "fault",
        "on": row["target"],
        **json.loads(row["spec"]),
        "count": row["count"],
        "remaining": row["remaining"],
        "hits": row["hits"],
        "createdAt": row["created_at"],
    }


def path_matches(pattern: str, path: str) -> bool:
    """A glob on the team-relative path (``/tickets``, ``/tickets/*/messages``); ``[`` and ``?``
    are literal, as in the request log's path filter."""
    return fnmatch.fnmatchcase(path, pattern.replace("[", "[[]").replace("?", "[?]"))


class FaultStore:
    """The faults of every team and environment of one platform."""

    def __init__(self, db: Database) -> None:
        self.db = db
        rows = db.all("SELECT DISTINCT team_id, livemode FROM faults")
        self._scopes: set[Scope] = {(row["team_id"], row["livemode"]) for row in rows}
        """Scopes that may have faults: the rest never query (a reset leaves a scope here, which
        costs one empty query per request until the platform restarts)."""

    def add(
        self, scope: Scope, target: str, spec: dict[str, Any], count: int | None, now: float
    ) -> Row:
        row: Row = {
            "id": ids.new_hex(),
            "team_id": scope[0],
            "livemode": scope[1],
            "target": target,
            "spec": json.dumps(spec),
            "count": count,
            "remaining": count,
            "hits": 0,
            "created_at": iso(now),
        }
        with self.db.transaction():
            self.db.insert("faults", row)
        self._scopes.add(scope)
        return row

    def all(self, scope: Scope) -> list[Row]:
        return self.db.all(
            "SELECT * FROM faults WHERE team_id = ? AND livemode = ? ORDER BY rowid", scope
        )

    def get(self, scope: Scope, hex_id: str) -> Row | None:
        return self.db.one(
            "SELECT * FROM faults WHERE team_id = ? AND livemode = ? AND id = ?", (*scope, hex_id)
        )

    def remove(self, scope: Scope, hex_id: str | None = None) -> int:
        """Delete one fault (``hex_id``) or all of the scope's; how many went."""
        sql = "DELETE FROM faults WHERE team_id = ? AND livemode = ?"
        params: tuple[Any, ...] = scope
        if hex_id is not None:
            sql += " AND id = ?"
            params = (*scope, hex_id)
        with self.db.transaction():
            return int(self.db.execute(sql, params).rowcount)

    def _live(self, scope: Scope, target: str) -> list[Row]:
        if scope not in self._scopes:
            return []
        return self.db.all(
            "SELECT * FROM faults WHERE team_id = ? AND livemode = ? AND target = ? "
            "AND (remaining IS NULL OR remaining > 0) ORDER BY rowid",
            (*scope, target),
        )

    def _use(self, row: Row) -> None:
        self.db.execute(
            "UPDATE faults SET hits = hits + 1, remaining = remaining - 1 WHERE id = ?",
            (row["id"],),
        )

    def take_api(self, scope: Scope, method: str, path: str) -> Row | None:
        """The oldest live API fault matching ``method`` and the team-relative ``path``, counted
        against (its ``spec`` parsed), or ``None``."""
        if scope not in self._scopes:
            return None  # no transaction for a scope that never had a fault
        with self.db.transaction():
            for row in self._live(scope, "api"):
                spec = json.loads(row["spec"])
                match = spec.get("match") or {}
                if match.get("method") and match["method"].upper() != method.upper():
                    continue
                if match.get("path") and not path_matches(match["path"], path):
                    continue
                self._use(row)
                return {**row, "spec": spec}
        return None

    def take_delivery(self, scope: Scope, event_type: str, webhook: Row) -> Row | None:
        """The oldest live delivery fault matching a first attempt of ``event_type`` to
        ``webhook`` (``id``; ``rotated``: it has a previous secret), counted against; call inside
        the fan-out's transaction."""
        for row in self._live(scope, "deliveries"):
            spec = json.loads(row["spec"])
            match = spec.get("match") or {}
            patterns = match.get("eventTypes")
            if patterns and not any(catalog.matches(p, event_type) for p in patterns):
                continue
            if match.get("webhookId") and match["webhookId"] != ids.WEBHOOK + webhook["id"]:
                continue
            if spec.get("signWith") == "old-secret" and not webhook["rotated"]:
                continue
            self._use(row)
            return {**row, "spec": spec}
        return None

    def webhooks_rotated(self, scope: Scope, hex_id: str | None = None) -> int | None:
        """How many of the scope's webhooks (or the one ``hex_id``: 0 or 1) have a previous
        secret; ``None`` when ``hex_id`` names none of them."""
        if hex_id is None:
            row = self.db.one(
                "SELECT COUNT(*) AS n FROM webhooks WHERE team_id = ? AND livemode = ? "
                "AND previous_secret IS NOT NULL",
                scope,
            )
            return int(row["n"]) if row else 0
        row = self.db.one(
            "SELECT previous_secret IS NOT NULL AS rotated FROM webhooks "
            "WHERE team_id = ? AND livemode = ? AND id = ?",
            (*scope, hex_id),
        )
        return None if row is None else int(row["rotated"])
