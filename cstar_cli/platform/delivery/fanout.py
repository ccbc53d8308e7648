"""The dispatcher's fan-out (D13, issue 25): events past the cursor become pending webhook
attempts and listen routes' queues, in the write's own transaction, and go to live connections
and streams from memory once it commits. :class:`~.dispatcher.Dispatcher` is a :class:`FanOut`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from cstar_cli.platform.store.db import Database, Row
from cstar_cli.wire import catalog

if TYPE_CHECKING:
    from cstar_cli.platform.faults.deliveries import DeliveryFaults

log = logging.getLogger("cstar.platform.dispatch")

FANOUT_BATCH = 500
HandOff = Callable[[], None]
"""What a fan-out hook does once the transaction commits: hand events over from memory."""
FanOutHook = Callable[[list[Row]], HandOff | None]


class FanOut:
    """Fan-out over the dispatcher's database; see the module docstring."""

    db: Database
    _fanout_hooks: list[FanOutHook]
    _behind: bool
    faults: DeliveryFaults | None

    def schedule(self, event: Row, webhook_id: str, url: str, attempt: int, at: float) -> str:
        raise NotImplementedError

    def wake(self) -> None:
        raise NotImplementedError

    def _now(self, row: Row) -> float:
        raise NotImplementedError

    def on_fanout(self, hook: FanOutHook) -> None:
        """Run ``hook(events)`` inside each fan-out transaction (listen sessions use this); what
        it returns runs once that transaction has committed."""
        self._fanout_hooks.append(hook)

    def fan_out_within(self) -> None:
        """Fan out inside the write's own transaction, just before it commits (the outbox calls
        this). A failure rolls back only the fan-out: the write commits, and the loop retries."""
        db = self.db
        db.execute("SAVEPOINT fan_out")
        try:
            self._behind |= self.fan_out()
        except Exception:  # a write must never fail because of its fan-out
            db.execute("ROLLBACK TO fan_out")
            log.exception("fan-out failed")
            self._behind = True
        finally:
            db.execute("RELEASE fan_out")

    def fan_out_now(self) -> None:
        """After each commit that recorded events (the outbox calls this): fan out whatever the
        write's own transaction could not, and wake the sending loop."""
        if self._behind:
            try:
                self._catch_up()
            except Exception:  # the loop retries; a request must never fail because of it
                log.exception("fan-out failed")
                self._behind = True
        self.wake()

    def _catch_up(self) -> None:
        self._behind = False
        while self.fan_out():
            pass

    def fan_out(self) -> bool:
        """Record pending attempts for events past the cursor; True if there may be more."""
        db = self.db
        with db.transaction():
            state = db.one("SELECT last_seq FROM dispatcher_state WHERE name = 'webhooks'")
            cursor = state["last_seq"] if state else 0
            batch = db.all(
                "SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?", (cursor, FANOUT_BATCH)
            )
            if not batch:
                return False
            events = [event for event in batch if event["fan_out"]]
            subscriptions: dict[tuple[str, int], list[Row]] = {}
            for event in events:
                scope = (event["team_id"], event["livemode"])
                if scope not in subscriptions:
                    subscriptions[scope] = db.all(
                        "SELECT id, url, events, previous_secret IS NOT NULL AS rotated "
                        "FROM webhooks WHERE team_id = ? AND livemode = ? AND is_active = 1",
                        scope,
                    )
                for hook in subscriptions[scope]:
                    patterns = json.loads(hook["events"])
                    if not any(catalog.matches(p, event["type"]) for p in patterns):
                        continue
                    now = self._now(event)
                    if self.faults is None or not self.faults.first_attempt(event, hook, now):
                        self.schedule(event, hook["id"], hook["url"], 1, now)  # (D38: no fault)
            hand_offs = [fan_hook(events) for fan_hook in self._fanout_hooks]
            db.execute(
                "INSERT INTO dispatcher_state (name, last_seq) VALUES ('webhooks', ?) "
                "ON CONFLICT(name) DO UPDATE SET last_seq = excluded.last_seq",
                (batch[-1]["seq"],),
            )
            for hand_off in hand_offs:
                if hand_off is not None:
                    db.after_commit(hand_off)
        return len(batch) == FANOUT_BATCH
