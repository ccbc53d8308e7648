"""Webhook delivery (D13): fan events out to subscriptions, sign, send, record, retry.

Two steps, both driven from the outbox so a platform restart loses nothing:

1. *Fan-out* reads events past a stored cursor and, in one transaction, records a pending
   attempt for every active webhook whose filter matches (and advances the cursor).
2. *Sending* picks due pending attempts and sends each in its own task, so one slow receiver never
   delays another. A failed attempt schedules the next one on the documented schedule (30 s,
   2 min, 10 min, 1 h, 6 h, 24 h; shrunk by ``--retry-scale``). Attempts that were pending or in
   flight when the platform stopped are sent again after a restart (at least once).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import KW_ONLY, dataclass, field
from typing import TYPE_CHECKING

from cstar_cli.client.delivery import delivery_headers
from cstar_cli.platform import ids
from cstar_cli.platform.background import cancel
from cstar_cli.platform.delivery.urls import Destination, destination
from cstar_cli.platform.store.db import Database, Row
from cstar_cli.platform.store.vault import SecretBox
from cstar_cli.wire import catalog
from cstar_cli.wire.protocol import MAX_ANSWER_BYTES, SNIPPET_BYTES
from cstar_cli.wire.times import iso, ms_since

if TYPE_CHECKING:
    import httpx

log = logging.getLogger("cstar.platform.dispatch")

RETRY_SCHEDULE = (30, 120, 600, 3600, 6 * 3600, 24 * 3600)
DELIVERY_TIMEOUT = 10.0
MAX_IN_FLIGHT = 64
FANOUT_BATCH = 500


@dataclass(frozen=True)
class AttemptResult:
    """What one attempt to deliver an event produced."""

    success: bool
    status: int | None
    duration_ms: float
    body: str | None
    error: str | None


async def post_event(
    client: httpx.AsyncClient,
    url: str,
    payload: bytes,
    headers: dict[str, str],
    where: Callable[[], Awaitable[Destination | str]] | None = None,
    budget: float = DELIVERY_TIMEOUT,
) -> AttemptResult:
    """POST one delivery; anything but a 2xx answer within the budget is a failure (D29).

    ``where`` says where the attempt connects (the checked address, D29) or why it must not
    start. The budget (10 s) is the whole attempt (resolve, connect, send, the answer's head and
    body); the answer is asked for uncompressed and at most ``MAX_ANSWER_BYTES`` of it are
    read — or inflated, from a receiver that compresses anyway (an answer that inflates past
    that is a failure). Whatever goes wrong — even a URL that cannot be sent to at all — is a failed
    attempt, never an exception.
    """
    import httpx

    started = time.perf_counter()
    try:
        async with asyncio.timeout(budget):
            target = await where() if where is not None else Destination(url)
            if isinstance(target, str):
                return AttemptResult(False, None, ms_since(started), None, target)
            async with client.stream(
                "POST",
                target.url,
                content=payload,
                headers={**headers, "Accept-Encoding": "identity", **target.headers},
                extensions=target.extensions,
                timeout=budget,
            ) as response:
                answer = await _read_capped(response)
    except (TimeoutError, httpx.TimeoutException):
        return AttemptResult(False, None, ms_since(started), None, f"timeout after {budget:g} s")
    except httpx.HTTPError as err:
        return AttemptResult(False, None, ms_since(started), None, f"{type(err).__name__}: {err}")
    except Exception as err:  # a delivery that cannot even start (a bad URL, port 99999, …)
        return AttemptResult(
            False, None, ms_since(started), None, f"cannot deliver: {type(err).__name__}: {err}"
        )
    if answer is None:
        bomb = f"the answer inflates past {MAX_ANSWER_BYTES // 1024} KiB (refused to read it)"
        return AttemptResult(False, response.status_code, ms_since(started), None, bomb)
    snippet = answer[:SNIPPET_BYTES].decode("utf-8", "replace")
    ok = 200 <= response.status_code < 300
    error = None if ok else f"receiver answered {response.status_code}"
    return AttemptResult(ok, response.status_code, ms_since(started), snippet, error)


async def _read_capped(response: httpx.Response) -> bytes | None:
    """At most ``MAX_ANSWER_BYTES`` bytes of the answer, the rest never read; a compressed answer is
    inflated up to that much, and ``None`` when it would inflate past it (a decompression bomb
    never costs more than the cap)."""
    raw: list[bytes] = []
    size = 0
    async for chunk in response.aiter_raw():
        raw.append(chunk)
        size += len(chunk)
        if size >= MAX_ANSWER_BYTES:
            break
    body = b"".join(raw)[:MAX_ANSWER_BYTES]
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding in ("", "identity"):
        return body
    return _inflate(body, encoding)


def _inflate(body: bytes, encoding: str) -> bytes | None:
    """``body`` decompressed, at most ``MAX_ANSWER_BYTES`` bytes of it (``None`` past that, or when
    it can't be decompressed at all)."""
    import zlib

    wbits = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}
    if encoding not in wbits:
        return body[:SNIPPET_BYTES]  # an encoding we don't speak: keep the bytes as they came
    try:
        inflater = zlib.decompressobj(wbits[encoding])
        inflated = inflater.decompress(body, MAX_ANSWER_BYTES)
    except zlib.error:
        return None
    if inflater.unconsumed_tail:
        return None
    return inflated


@dataclass(eq=False)
class Dispatcher:
    """Fan-out and sending for one platform; runs as tasks on the platform's event loop."""

    db: Database
    clock: Callable[[], float]
    retry_scale: float
    vault: SecretBox
    _: KW_ONLY
    loopback_only: bool = False
    budget: float = DELIVERY_TIMEOUT
    _wake: asyncio.Event = field(init=False, default_factory=asyncio.Event)
    _task: asyncio.Task[None] | None = field(init=False, default=None)
    _in_flight: dict[str, asyncio.Task[None]] = field(init=False, default_factory=dict)
    _client: httpx.AsyncClient | None = field(init=False, default=None)
    _fanout_hooks: list[Callable[[list[Row]], None]] = field(init=False, default_factory=list)

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

    def on_fanout(self, hook: Callable[[list[Row]], None]) -> None:
        """Run ``hook(events)`` inside each fan-out transaction (listen sessions use this)."""
        self._fanout_hooks.append(hook)

    # -- loop ------------------------------------------------------------------------------
    async def _run(self) -> None:
        while True:
            try:
                while self.fan_out():
                    pass
                await asyncio.sleep(0)  # let listen sessions send what was just queued
                delay = self._send_due()
            except Exception:  # the loop must survive anything a single event causes
                log.exception("dispatcher iteration failed")
                delay = 1.0
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)

    def fan_out_now(self) -> None:
        """Fan out everything committed so far, now: the outbox calls this after each commit that
        recorded events."""
        try:
            while self.fan_out():
                pass
        except Exception:  # the loop retries; a request must never fail because of it
            log.exception("fan-out failed")
        self.wake()

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
            now = self.clock()
            for event in events:
                scope = (event["team_id"], event["livemode"])
                if scope not in subscriptions:
                    subscriptions[scope] = db.all(
                        "SELECT id, url, events FROM webhooks "
                        "WHERE team_id = ? AND livemode = ? AND is_active = 1",
                        scope,
                    )
                for hook in subscriptions[scope]:
                    patterns = json.loads(hook["events"])
                    if any(catalog.matches(p, event["type"]) for p in patterns):
                        self.schedule(event, hook["id"], hook["url"], 1, now)
            for fan_hook in self._fanout_hooks:
                fan_hook(events)
            db.execute(
                "INSERT INTO dispatcher_state (name, last_seq) VALUES ('webhooks', ?) "
                "ON CONFLICT(name) DO UPDATE SET last_seq = excluded.last_seq",
                (batch[-1]["seq"],),
            )
        return len(batch) == FANOUT_BATCH

    def schedule(self, event: Row, webhook_id: str, url: str, attempt: int, at: float) -> str:
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
                "created_at": iso(self.clock()),
            },
        )
        self.db.after_commit(self.wake)
        return delivery_id

    def _send_due(self) -> float:
        """Start every due attempt that is not already in flight; return seconds to sleep."""
        now = self.clock()
        capacity = MAX_IN_FLIGHT - len(self._in_flight)
        due = self.db.all(
            "SELECT id FROM deliveries WHERE status = 'pending' AND webhook_id IS NOT NULL "
            "AND scheduled_at <= ? ORDER BY scheduled_at LIMIT ?",
            (now, MAX_IN_FLIGHT * 2),
        )
        for row in due:
            if capacity <= 0:
                break
            if row["id"] in self._in_flight:
                continue
            capacity -= 1
            key: str = row["id"]
            task = asyncio.create_task(self._deliver(key))
            self._in_flight[key] = task
            task.add_done_callback(functools.partial(self._finished, key))
        upcoming = self.db.one(
            "SELECT MIN(scheduled_at) AS at FROM deliveries "
            "WHERE status = 'pending' AND webhook_id IS NOT NULL"
        )
        if upcoming is None or upcoming["at"] is None:
            return 1.0
        return max(0.005, min(1.0, float(upcoming["at"]) - now))

    def _finished(self, key: str, _task: object = None) -> None:
        self._in_flight.pop(key, None)
        self._wake.set()

    async def _deliver(self, delivery_id: str) -> None:
        db = self.db
        row = db.one(
            "SELECT d.*, e.type AS event_type, e.payload, e.request_id, w.secret, "
            "w.legacy_signature, w.is_active "
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
        started = self.clock()
        try:
            result = await self.attempt(row, ids.WEBHOOK + row["webhook_id"])
        except Exception as err:  # e.g. a secret that cannot be unsealed: still an attempt
            log.warning("delivery %s could not start: %s", delivery_id, err)
            result = AttemptResult(False, None, 0.0, None, f"cannot deliver: {err}")
        self.record(row, result, started=started)

    async def attempt(self, row: Row, subscription_id: str) -> AttemptResult:
        assert self._client is not None, "dispatcher not started"
        payload = row["payload"].encode()
        headers = delivery_headers(
            payload,
            self.vault.decrypt(row["secret"]),
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
        self, row: Row, result: AttemptResult, *, started: float, retry: bool = True
    ) -> None:
        """Store an attempt's outcome — when it started and finished — and, after a failure,
        schedule the next attempt."""
        now = self.clock()
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
            if retry and not result.success and attempt <= len(RETRY_SCHEDULE):
                delay = RETRY_SCHEDULE[attempt - 1] * self.retry_scale
                event = {
                    "id": row["event_id"],
                    "team_id": row["team_id"],
                    "livemode": row["livemode"],
                }
                self.schedule(event, row["webhook_id"], row["url"], attempt + 1, now + delay)

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
        started = self.clock()
        result = await self.attempt(row, ids.WEBHOOK + webhook["id"])
        self.record(row, result, started=started, retry=False)
        return ids.DELIVERY + delivery_id, result
