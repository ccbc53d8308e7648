"""The unit of work: one write's transaction and the events it records.

The gateway opens one per API request (``request.state.work``); a resource's service writes
through it, so the rows it changes and the events they cause commit together or not at all
(D10). The platform's background work (the game timer) opens its own. When a transaction that
recorded events commits, the store tells the outbox, and the outbox the dispatcher: no flag to
poll.

A write sent with an ``Idempotency-Key`` is *held* (D49): its transactions join one that stays
open after the service returns, until the gateway has the answer, stores it in that same
transaction and commits (:meth:`Work.finish`) — so a crash leaves the write and its stored
answer both or neither, and a retry replays or redoes, never duplicates. Nothing may wait on
the network while a unit is held (another task's writes would join it): a service that must
(a webhook test delivering, say) calls :meth:`Work.settle` first.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any, Unpack

from cstar_cli.platform.audit import trail
from cstar_cli.platform.delivery.outbox import Outbox, Recorded
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
        self._holding = False
        self._held: ExitStack | None = None
        self._failed = False
        self.actor: trail.Actor = trail.SYSTEM
        """Who writes through this unit (D42): the gateway sets it from the request."""
        self._audited: set[tuple[str, str]] = set()

    def hold(self) -> None:
        """From now on, this unit's writes commit only with its answer (:meth:`finish`)."""
        self._holding = True

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One transaction (nested calls join it); the events recorded in it go out on commit.
        While held, it stays open after the block, until :meth:`finish`."""
        if self._holding and self._held is None:
            held = ExitStack()
            held.enter_context(self.db.transaction())
            self._held = held
            self.db.holder = _current_task()
        try:
            with self.db.transaction():
                yield self.db
        except BaseException:
            self._failed |= self._held is not None  # a held write that failed never commits
            raise

    def settle(self) -> None:
        """Commit what is held now and hold no more (before waiting on the network)."""
        self._holding = False
        self._end(commit=True)

    def finish(self, store: Callable[[Database], None]) -> None:
        """End a held unit: ``store`` writes the answer, and it commits with the unit's writes
        — or, when a write failed, on its own after they are rolled back."""
        self._holding = False
        if self._held is not None and not self._failed:
            store(self.db)
            self._end(commit=True)
            return
        self._end(commit=False)
        with self.db.transaction():
            store(self.db)

    def release(self) -> None:
        """The request ended without :meth:`finish` (it crashed): roll back what is held."""
        self._holding = False
        self._end(commit=False)

    def _end(self, *, commit: bool) -> None:
        held, self._held = self._held, None
        if held is None:
            return
        self.db.holder = None
        if commit:
            held.close()
        else:
            held.__exit__(Rollback, Rollback(), None)

    def emit(
        self, principal: Principal, event_type: str, data: dict[str, Any], **how: Unpack[Recorded]
    ) -> dict[str, Any]:
        """Record one event in the open transaction; returns the payload as delivered."""
        payload = self.outbox.emit(principal, event_type, data, **how)
        self.emitted += 1
        return payload

    def audit(
        self,
        principal: Principal,
        action: str,
        resource_id: str | None,
        details: dict[str, Any],
        now: float,
        *,
        resource_type: str | None = None,
    ) -> None:
        """Append the audit entry of a write (D42) in the open transaction, by this unit's
        actor; a resource already audited by this unit is not audited again."""
        kind = resource_type or action.split(".")[0]
        if resource_id is not None:
            if (kind, resource_id) in self._audited:
                return
            self._audited.add((kind, resource_id))
        with self.transaction() as db:
            trail.insert(db, principal, self.actor, (action, kind, resource_id, details), now)


class Rollback(Exception):
    """Thrown into a held transaction to roll it back."""


def _current_task() -> asyncio.Task[Any] | None:
    try:
        return asyncio.current_task()
    except RuntimeError:
        return None
