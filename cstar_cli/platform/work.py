"""The unit of work: one write's transaction and the events it records.

The gateway opens one per API request (``request.state.work``); a resource's service writes
through it, so the rows it changes and the events they cause commit together or not at all
(D10). The platform's background work (the game timer) opens its own. When a transaction that
recorded events commits, the store tells the outbox, and the outbox the dispatcher: no flag to
poll. (D49 — the stored idempotent answer joining the same transaction — builds on this.)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from cstar_cli.platform.delivery.outbox import Outbox
from cstar_cli.platform.http.auth import Principal
from cstar_cli.platform.store.db import Database


class Work:
    """One unit of work over the platform's database and outbox."""

    def __init__(self, db: Database, outbox: Outbox) -> None:
        self.db = db
        self.outbox = outbox
        self.emitted = 0
        """Events recorded through this unit of work (the gateway lets their consumers send
        before the answer goes out)."""

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One transaction (nested calls join it); the events recorded in it go out on commit."""
        with self.db.transaction():
            yield self.db

    def emit(
        self,
        principal: Principal,
        event_type: str,
        data: dict[str, Any],
        *,
        now: float,
        request_id: str | None,
        fan_out: bool = True,
    ) -> dict[str, Any]:
        """Record one event in the open transaction; returns the payload as delivered."""
        payload = self.outbox.emit(
            principal, event_type, data, now=now, request_id=request_id, fan_out=fan_out
        )
        self.emitted += 1
        return payload
