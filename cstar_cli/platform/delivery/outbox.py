"""The events outbox (D10, D11): every write records its events in its own transaction.

Events are stored exactly as they will be delivered (snake_case payload, D11). Delivery to
webhooks, listen sessions and realtime streams reads from this table, so no change is ever
without its event. Just before a transaction that recorded events commits, the store calls the
outbox's fan-out (:meth:`Outbox.on_fan_out`: webhook attempts and listen routes are queued in
the write's own transaction, issue 25); once it has committed, :meth:`Outbox.committed` tells
the dispatcher (:meth:`Outbox.on_commit`), which hands the events to connected listeners and
streams from memory. That is the one signal from the store to delivery.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, NotRequired, TypedDict, Unpack

from cstar_cli.platform.http.auth import Principal
from cstar_cli.platform.store.db import Database
from cstar_cli.wire import catalog
from cstar_cli.wire.enums import EventOrigin
from cstar_cli.wire.times import iso


class Recorded(TypedDict):
    """When and how an event is recorded: the keyword arguments of every ``emit``."""

    now: float
    request_id: str | None
    fan_out: NotRequired[bool]
    """``False``: the event goes to one chosen subscriber only (a webhook test); default True."""
    origin: NotRequired[EventOrigin]
    """Where it came from (D39): ``action`` (the default), ``synthetic`` or ``replay``."""
    replay_of: NotRequired[str | None]
    """The original event's id, for a replay."""


class Outbox:
    """The events table of one platform, and who is told when events are committed."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._listeners: list[Callable[[], None]] = []
        self._fan_outs: list[Callable[[], None]] = []

    def on_fan_out(self, hook: Callable[[], None]) -> None:
        """Call ``hook`` inside every transaction that recorded events, just before it commits
        (the dispatcher's fan-out; it must never raise)."""
        self._fan_outs.append(hook)

    def _before_commit(self) -> None:
        for hook in self._fan_outs:
            hook()
        self.db.after_commit(self.committed)

    def on_commit(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after every commit that recorded events (the dispatcher's fan-out)."""
        self._listeners.append(listener)

    def committed(self) -> None:
        for listener in self._listeners:
            listener()

    def emit(
        self, principal: Principal, event_type: str, data: dict[str, Any], **how: Unpack[Recorded]
    ) -> dict[str, Any]:
        """Record one event; call inside the transaction that makes the change (D10).

        Returns the payload as it will be delivered.
        """
        now = how["now"]
        payload = {
            "id": catalog.event_id(event_type, int(now * 1000)),
            "type": event_type,
            "created_at": iso(now),
            "team_id": principal.team_id,
            "livemode": principal.livemode,
            "data": data,
        }
        self.db.insert(
            "events",
            {
                "id": payload["id"],
                "team_id": principal.team_id,
                "livemode": int(principal.livemode),
                "type": event_type,
                "payload": json.dumps(payload, separators=(",", ":"), ensure_ascii=False),
                "request_id": how["request_id"],
                "created_at": payload["created_at"],
                "fan_out": int(how.get("fan_out", True)),
                "origin": how.get("origin", "action"),
                "replay_of": how.get("replay_of"),
            },
        )
        self.db.before_commit(self._before_commit)
        return payload
