"""Webhook delivery (D13): fan events out to subscriptions, sign, send, record, retry.

Two steps, both driven from the outbox so a platform restart loses nothing:

1. *Fan-out* reads events past a stored cursor and, in one transaction, records a pending
   attempt for every active webhook whose filter matches (and advances the cursor). It runs
   inside the write's own transaction, just before it commits (:meth:`Dispatcher.fan_out_within`,
   issue 25); its hooks' in-memory hand-offs (listen connections, realtime streams) run once it
   has committed. Should it fail there, the write commits anyway and the loop catches up.
2. *Sending* picks due pending attempts and sends each in its own task, so one slow receiver never
   delays another. A failed attempt schedules the next one on the documented schedule (30 s,
   2 min, 10 min, 1 h, 6 h, 24 h; shrunk by ``--retry-scale``). Attempts that were pending or in
   flight when the platform stopped are sent again after a restart (at least once).

Attempts are scheduled and stamped on their team's clock (D37): a test-mode team that advances
its clock (:meth:`Dispatcher.advance`) has every attempt that became due fired before the advance
answers, in due order, each stamped with its due time. Signatures carry real time.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Callable, Iterable
from dataclasses import KW_ONLY, dataclass, field
from typing import TYPE_CHECKING

from cstar_cli.client.delivery import delivery_headers
from cstar_cli.platform import ids
from cstar_cli.platform.background import cancel
from cstar_cli.platform.delivery.fanout import FanOut, FanOutHook
from cstar_cli.platform.delivery.post import DELIVERY_TIMEOUT, AttemptResult, post_event
from cstar_cli.platform.delivery.urls import Destination, destination
from cstar_cli.platform.store.db import Database, Row
from cstar_cli.platform.store.vault import SecretBox
from cstar_cli.platform.teamclock import TestClock
from cstar_cli.wire.times import iso

if TYPE_CHECKING:
    import httpx

    from cstar_cli.platform.faults.deliveries import DeliveryFaults

log = logging.getLogger("cstar.platform.dispatch")

RETRY_SCHEDULE = (30, 120, 600, 3600, 6 * 3600, 24 * 3600)
MAX_IN_FLIGHT = 64
Scope = tuple[str, int]
"""A team and environment (``livemode`` as stored, 0 or 1)."""
DUE = (
    "SELECT {what} FROM deliveries WHERE team_id = ? AND livemode = ? AND status = 'pending' "
    "AND webhook_id IS NOT NULL AND scheduled_at <= ?"
)
"""A scope's webhook attempts that are due at a moment of its time."""


@dataclass(eq=False)
class Dispatcher(FanOut):
    """Fan-out and sending for one platform; runs as tasks on the platform's event loop."""

    db: Database
    clock: Callable[[], float]
    """Real time: what signatures carry (D13, D37)."""
    retry_scale: float
    vault: SecretBox
    _: KW_ONLY
    team_clock: TestClock
    """Each team+environment's time: what attempts are scheduled and stamped on (D37)."""
    loopback_only: bool = False
    budget: float = DELIVERY_TIMEOUT
    _wake: asyncio.Event = field(init=False, default_factory=asyncio.Event)
    _task: asyncio.Task[None] | None = field(init=False, default=None)
    _in_flight: dict[str, asyncio.Task[None]] = field(init=False, default_factory=dict)
    _flight_scopes: dict[str, Scope] = field(init=False, default_factory=dict)
    _held: set[Scope] = field(init=False, default_factory=set)
    """Scopes whose clock is being advanced: that advance fires their attempts, in order."""
    _advances: set[asyncio.Task[None]] = field(init=False, default_factory=set)
    _locks: dict[Scope, asyncio.Lock] = field(init=False, default_factory=dict)
    _client: httpx.AsyncClient | None = field(init=False, default=None)
    _fanout_hooks: list[FanOutHook] = field(init=False, default_factory=list)
    _behind: bool = field(init=False, default=True)
    """Events may wait past the cursor (at start, or after a fan-out failed or was cut short)."""
    faults: DeliveryFaults | None = field(init=False, default=None)
    """Delivery faults (D38), set by the platform once its fault store exists."""

    # -- lifecycle -------------------------------------------------------------------------
    async def start(self) -> None:
        import httpx

        self._wake = asyncio.Event()
        self._client = httpx.AsyncClient(
            limits=httpx.Limits(max_connections=MAX_IN_FLIGHT, max_keepalive_connections=32),
            follow_redirects=False,
        )
        self._task = asyncio.create_task(self._run(), name="cstar-dispatcher")

    async def stop(self) -> None:
        await cancel(self._task)
        for advance in list(self._advances):
            await cancel(advance)
        for task in list(self._in_flight.values()):
            task.cancel()
        if self._in_flight:
            await asyncio.gather(*self._in_flight.values(), return_exceptions=True)
        if self._client is not None:
            await self._client.aclose()

    def wake(self) -> None:
        """Something was written: look at the outbox and the due attempts now."""
        self._wake.set()

    def cancel(self, delivery_ids: Iterable[str]) -> int:
        """Stop the attempts in flight of deliveries that no longer exist (a reset, D33), so
        none records an outcome or schedules a retry for them; returns how many were stopped."""
        stopped = 0
        for delivery_id in delivery_ids:
            task = self._in_flight.get(delivery_id)
            if task is not None:
                task.cancel()
                stopped += 1
        return stopped

    # -- loop ------------------------------------------------------------------------------
    async def _run(self) -> None:
        while True:
            try:
                if self._behind:
                    self._catch_up()
                    await asyncio.sleep(0)  # let listen sessions send what was just queued
                delay = self._send_due()
            except Exception:  # the loop must survive anything a single event causes
                log.exception("dispatcher iteration failed")
                self._behind = True
                delay = 1.0
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)

    def _now(self, row: Row) -> float:
        """The time of the row's team and environment (D37)."""
        return self.team_clock.now(row["team_id"], bool(row["livemode"]))

    def schedule(
        self,
        event: Row,
        webhook_id: str,
        url: str,
        attempt: int,
        at: float,
        *,
        created: float | None = None,
        fault: str | None = None,
        fault_spec: str | None = None,
    ) -> str:
        """Record a pending attempt due at ``at`` (team time), created now or at ``created``;
        ``fault`` marks one a fault shapes, as ``fault_spec`` says (D38)."""
        delivery_id = ids.new_hex()
        self.db.insert(
            "deliveries",
            {
                "id": delivery_id,
                "event_id": event["id"],
                "team_id": event["team_id"],
                "livemode": event["livemode"],
                "webhook_id": webhook_id,
                "session_id": None,
                "url": url,
                "attempt": attempt,
                "status": "pending",
                "scheduled_at": at,
                "created_at": iso(self._now(event) if created is None else created),
                "fault": fault,
                "fault_spec": fault_spec,
            },
        )
        self.db.after_commit(self.wake)
        return delivery_id

    def _send_due(self) -> float:
        """Start every due attempt that is not already in flight; return seconds to sleep.
        An attempt is due when its scheduled moment (team time) is past on its team's clock; the
        scopes of an advance in progress are left to it."""
        now = self.clock()
        real_at = f"d.scheduled_at - {TestClock.offset_sql('d')}"
        held = "".join(" AND NOT (d.team_id = ? AND d.livemode = ?)" for _ in self._held)
        waiting = f"d.status = 'pending' AND d.webhook_id IS NOT NULL{held}"
        params = [value for scope in self._held for value in scope]
        capacity = MAX_IN_FLIGHT - len(self._in_flight)
        due = self.db.all(
            f"SELECT d.id, d.team_id, d.livemode FROM deliveries d WHERE {waiting} "
            f"AND {real_at} <= ? ORDER BY {real_at} LIMIT ?",
            (*params, now, MAX_IN_FLIGHT * 2),
        )
        for row in due:
            if capacity <= 0:
                break
            if row["id"] in self._in_flight:
                continue
            capacity -= 1
            self._start(row["id"], (row["team_id"], row["livemode"]))
        upcoming = self.db.one(
            f"SELECT MIN({real_at}) AS at FROM deliveries d WHERE {waiting}", params
        )
        if upcoming is None or upcoming["at"] is None:
            return 1.0
        return max(0.005, min(1.0, float(upcoming["at"]) - now))

    def _start(self, key: str, scope: Scope, at: float | None = None) -> asyncio.Task[None]:
        task = asyncio.create_task(self._deliver(key, at))
        self._in_flight[key] = task
        self._flight_scopes[key] = scope
        task.add_done_callback(functools.partial(self._finished, key))
        return task

    def _finished(self, key: str, _task: object = None) -> None:
        self._in_flight.pop(key, None)
        self._flight_scopes.pop(key, None)
        self._wake.set()

    async def _deliver(self, delivery_id: str, at: float | None = None) -> None:
        """Send one pending attempt and record it (stamped ``at``, team time, when given)."""
        db = self.db
        row = db.one(
            "SELECT d.*, e.type AS event_type, e.payload, e.request_id, w.secret, "
            "w.previous_secret, w.legacy_signature, w.is_active "
            "FROM deliveries d JOIN events e ON e.id = d.event_id "
            "JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = ?",
            (delivery_id,),
        )
        if row is None or row["status"] != "pending":
            return
        if not row["is_active"]:
            with db.transaction():
                db.update("deliveries", "id", delivery_id, {"status": "cancelled"})
            return
        started = self._now(row) if at is None else at
        try:
            result = await self.attempt(row, ids.WEBHOOK + row["webhook_id"])
        except Exception as err:  # e.g. a secret that cannot be unsealed: still an attempt
            log.warning("delivery %s could not start: %s", delivery_id, err)
            result = AttemptResult(False, None, 0.0, None, f"cannot deliver: {err}")
        self.record(row, result, started=started, at=at)

    async def attempt(self, row: Row, subscription_id: str) -> AttemptResult:
        assert self._client is not None, "dispatcher not started"
        payload = row["payload"].encode()
        faults = self.faults
        secret = self.vault.decrypt(row["secret"]) if faults is None else faults.secret(row)
        headers = delivery_headers(
            payload,
            secret,
            event_type=row["event_type"],
            event_id=row["event_id"],
            subscription_id=subscription_id,
            attempt=row["attempt"],
            request_id=row["request_id"],
            legacy=bool(row["legacy_signature"]),
            now=self.clock(),
        )
        url, livemode = row["url"], bool(row["livemode"])

        async def where() -> Destination | str:
            return await destination(url, livemode=livemode, loopback_only=self.loopback_only)

        return await post_event(self._client, url, payload, headers, where, self.budget)

    def record(
        self,
        row: Row,
        result: AttemptResult,
        *,
        started: float,
        retry: bool = True,
        at: float | None = None,
    ) -> None:
        """Store an attempt's outcome — when it started and finished — and, after a failure,
        schedule the next attempt; stamped now on the team's clock, or ``at`` (an attempt fired
        by an advance: its due time), and the next attempt is due that long after it."""
        now = self._now(row) if at is None else at
        with self.db.transaction():
            self.db.update(
                "deliveries",
                "id",
                row["id"],
                {
                    "status": "succeeded" if result.success else "failed",
                    "response_status": result.status,
                    "duration_ms": result.duration_ms,
                    "response_body": result.body,
                    "error": result.error,
                    "started_at": iso(started),
                    "finished_at": iso(now),
                },
            )
            # An attempt sent at once (a test) was kept out of the queue with an endless due
            # time; it was due when it started.
            self.db.execute(
                "UPDATE deliveries SET scheduled_at = ? WHERE id = ? AND scheduled_at > ?",
                (started, row["id"], started),
            )
            attempt = row["attempt"]
            again = self.faults.duplicate(row) if self.faults is not None else None
            event = {"id": row["event_id"], "team_id": row["team_id"], "livemode": row["livemode"]}
            if again is not None:  # the same event once more, at once (D38)
                fault, spec = again
                hook, url = row["webhook_id"], row["url"]
                self.schedule(event, hook, url, attempt + 1, now, fault=fault, fault_spec=spec)
            elif retry and not result.success and attempt <= len(RETRY_SCHEDULE):
                delay = RETRY_SCHEDULE[attempt - 1] * self.retry_scale
                self.schedule(
                    event, row["webhook_id"], row["url"], attempt + 1, now + delay, created=now
                )

    async def send_now(self, event: Row, webhook: Row) -> tuple[str, AttemptResult]:
        """Deliver one event to one webhook right away (``POST /webhooks/{id}/test``)."""
        with self.db.transaction():
            delivery_id = self.schedule(event, webhook["id"], webhook["url"], 1, float("inf"))
        row = {
            "id": delivery_id,
            "event_id": event["id"],
            "team_id": event["team_id"],
            "livemode": event["livemode"],
            "webhook_id": webhook["id"],
            "url": webhook["url"],
            "attempt": 1,
            "event_type": event["type"],
            "payload": event["payload"],
            "request_id": event["request_id"],
            "secret": webhook["secret"],
            "legacy_signature": webhook["legacy_signature"],
        }
        started = self._now(row)
        result = await self.attempt(row, ids.WEBHOOK + webhook["id"])
        self.record(row, result, started=started, retry=False)
        return ids.DELIVERY + delivery_id, result

    # -- the test clock moving (D37) ---------------------------------------------------------
    async def advance(self, scope: Scope, move: Callable[[], None], *, wait: float) -> int:
        """Move a scope's clock with ``move`` and fire every attempt that became due.

        Attempts already in flight finish first (on the time they started at); then ``move``
        runs, then each due attempt is sent and recorded in due order, stamped with its due
        time — retries scheduled meanwhile included when they fall due before the new time.
        Returns once that is done, or ``wait`` seconds after the move with how many due attempts
        are still waiting (the firing goes on).
        """
        moved = asyncio.get_running_loop().create_future()
        task = asyncio.ensure_future(self._advance(scope, move, moved))
        self._advances.add(task)
        task.add_done_callback(self._advances.discard)
        await asyncio.wait({task, moved}, return_when=asyncio.FIRST_COMPLETED)
        if not task.done():
            await asyncio.wait({task}, timeout=wait)
        if task.done():
            task.result()  # the move's own failure is the caller's
            return 0
        return self.due(scope)

    def due(self, scope: Scope) -> int:
        """How many of a scope's attempts are due on its clock and not yet recorded."""
        now = self.team_clock.now(scope[0], bool(scope[1]))
        row = self.db.one(DUE.format(what="COUNT(*) AS n"), (*scope, now))
        return int(row["n"]) if row else 0

    async def _advance(
        self, scope: Scope, move: Callable[[], None], moved: asyncio.Future[None]
    ) -> None:
        async with self._locks.setdefault(scope, asyncio.Lock()):
            self._held.add(scope)
            try:
                flying = [t for k, t in self._in_flight.items() if self._flight_scopes[k] == scope]
                if flying:
                    await asyncio.wait(flying)
                move()
                moved.set_result(None)
                await self._fire_due(scope)
            finally:
                self._held.discard(scope)
                self.wake()

    async def _fire_due(self, scope: Scope) -> None:
        """Send the scope's due attempts one at a time, earliest due first."""
        fired: set[str] = set()
        stamp = float("-inf")
        while True:
            now = self.team_clock.now(scope[0], bool(scope[1]))
            row = self.db.one(
                DUE.format(what="id, scheduled_at") + " ORDER BY scheduled_at, rowid LIMIT 1",
                (*scope, now),
            )
            if row is None or row["id"] in fired:  # (one that cannot be recorded: stop there)
                return
            fired.add(row["id"])
            stamp = max(stamp, float(row["scheduled_at"]))
            await asyncio.wait({self._start(row["id"], scope, stamp)})
