"""One route of ``cstar listen``: its own ordered queue, hold-while-down and retries (D15).

- **Order**: with a window of 1 (the default) event n+1 is not forwarded before event n has its
  final answer. A larger window (``--max-in-flight``) forwards that many at once, out of order.
- **Hold while down**: when the target can't be reached (refused, or the connection dropped
  before any answer) the head of the queue is retried with backoff (0.5 s doubling, capped at
  5 s) for as long as it takes; nothing behind it is forwarded meanwhile, and nothing is given up.
- **Answers count**: a 2xx is success; a 5xx, a timeout or a broken answer is retried
  ``retries`` times, then reported failed; any other status is final at once.
- **Once**: repeats of a delivery (after a reconnect) are dropped by delivery id and event id;
  a finished one is acknowledged again with its first outcome.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from cstar_cli.listen.forward import Attempt, Forwarder, RelayEvent
from cstar_cli.listen.http import DROPPED

HOLD_BASE, HOLD_CAP = 0.5, 5.0
RETRY_BASE, RETRY_CAP = 0.5, 5.0
REMEMBERED = 100_000  # finished deliveries remembered per route, to drop repeats


def hold_delay(round_: int) -> float:
    """Backoff while the target is unreachable: 0.5 s, 1 s, 2 s, 4 s, then every 5 s."""
    return min(HOLD_CAP, HOLD_BASE * 2.0**round_)


def retry_delay(tries: int) -> float:
    """Backoff between answered attempts: 0.5 s, 1 s, 2 s, 4 s, 5 s…"""
    return min(RETRY_CAP, RETRY_BASE * 2.0 ** (tries - 1))


@dataclass(frozen=True)
class RouteInfo:
    """A route as the platform knows it."""

    id: str
    target: str
    patterns: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    """How an event ended at a route's target: every answered attempt, the last one final."""

    tries: tuple[Attempt, ...]

    @property
    def final(self) -> Attempt:
        return self.tries[-1]

    def ack(self, route: RouteInfo, event: RelayEvent) -> dict[str, Any]:
        final = self.final
        return {
            "route": route.id,
            "seq": event.seq,
            "deliveryId": event.delivery_id,
            "status": final.status,
            "durationMs": final.duration_ms,
            "error": final.error,
            "attempts": len(self.tries),
            "tries": [attempt.as_ack() for attempt in self.tries],
            "forwardTo": route.target,
        }


@dataclass(frozen=True)
class Answer:
    """One answered try, as the route reports it: which try of how many, and in how many
    seconds the next one comes (``retry_in`` None: this answer is final)."""

    attempt: Attempt
    tries: int
    max_tries: int
    retry_in: float | None

    @property
    def outcome(self) -> str:
        """``delivered``, ``retrying``, ``failed`` (gave up) or ``rejected`` (a final non-2xx)."""
        if self.attempt.ok:
            return "delivered"
        if self.retry_in is not None:
            return "retrying"
        return "failed" if self.attempt.retryable else "rejected"


class RouteReporter(Protocol):
    """What a route tells its user."""

    def received(self, route: RouteInfo, event: RelayEvent) -> None: ...
    def responded(self, route: RouteInfo, event: RelayEvent, answer: Answer) -> None: ...
    def held(self, route: RouteInfo, count: int, reason: str) -> None: ...
    def released(self, route: RouteInfo, count: int) -> None: ...


_WAITING = None  # a delivery that is queued or being forwarded


class RouteWorker:
    """Forwards one route's events to its target; see the module docstring."""

    def __init__(
        self,
        info: RouteInfo,
        forwarder: Forwarder,
        reporter: RouteReporter,
        on_done: Callable[[RouteWorker, RelayEvent, Outcome], None],
        *,
        window: int = 1,
        retries: int = 3,
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        self.info = info
        self.forwarder = forwarder
        self.reporter = reporter
        self.window = max(1, window)
        self.retries = retries
        self.done_through = 0  # every seq up to this one is finished
        self.forwarded = 0
        self.sending = 0  # requests on the wire right now
        self.held_reason: str | None = None
        self._on_done = on_done
        self._sleep = sleep
        self._queue: deque[RelayEvent] = deque()
        self._tasks: set[asyncio.Task[None]] = set()
        self._known: OrderedDict[str, Outcome | None] = OrderedDict()
        self._by_event: OrderedDict[str, Outcome] = OrderedDict()
        self._completed: set[int] = set()
        self._changed = asyncio.Event()
        self._stopping = asyncio.Event()
        self._held_count = 0

    # -- intake ------------------------------------------------------------------------------
    def accept(self, event: RelayEvent) -> None:
        """Queue a relayed event, unless it is a repeat (a finished one is acknowledged again)."""
        known = self._known.get(event.delivery_id, False)
        if known is False and not event.resend:
            known = self._by_event.get(event.event_id, False)
        if known is _WAITING:
            return
        if isinstance(known, Outcome):
            self._complete(event, known)
            return
        self._known[event.delivery_id] = _WAITING
        starts = self._can_start() and not self._queue
        if starts:
            self._start(event)
        # The user is told right after, in arrival order either way; scheduled after the
        # forward's first step, an idle route writes the forward before printing its line.
        asyncio.get_running_loop().call_soon(self.reporter.received, self.info, event)
        if starts:
            return
        self._queue.append(event)
        self._report_hold()
        self._changed.set()

    @property
    def unfinished(self) -> int:
        """Events received and not yet finished (queued or being forwarded)."""
        return len(self._queue) + len(self._tasks)

    # -- the loop ----------------------------------------------------------------------------
    async def run(self) -> None:
        """Start forwards in order, at most ``window`` at a time, none while held."""
        while not self._stopping.is_set():
            if self._queue and self._can_start():
                self._start(self._queue.popleft())
                continue
            self._changed.clear()
            await self._changed.wait()

    def _can_start(self) -> bool:
        return (
            len(self._tasks) < self.window
            and self.held_reason is None
            and not self._stopping.is_set()
        )

    def _start(self, event: RelayEvent) -> None:
        task = asyncio.create_task(self._work(event))
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    async def _work(self, event: RelayEvent) -> None:
        """Deliver ``event``, then go on with the queue's head while nothing holds us back."""
        while True:
            await self._deliver(event)
            if not self._queue or self.held_reason is not None or self._stopping.is_set():
                return
            event = self._queue.popleft()

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._changed.set()

    async def _deliver(self, event: RelayEvent) -> None:
        number = event.attempt
        tries: list[Attempt] = []
        hold_round = 0
        while not self._stopping.is_set():
            self.sending += 1
            try:
                attempt = await self.forwarder.send(event, number)
            finally:
                self.sending -= 1
            if attempt.unreachable:
                if attempt.kind == DROPPED:
                    number += 1  # it may have reached the endpoint
                self._hold(attempt.error or "unreachable")
                if not await self._pause(hold_delay(hold_round)):
                    break
                hold_round += 1
                continue
            self._release()
            tries.append(attempt)
            final = attempt.ok or not attempt.retryable or len(tries) > self.retries
            delay = None if final else retry_delay(len(tries))
            answer = Answer(attempt, len(tries), self.retries + 1, retry_in=delay)
            self.reporter.responded(self.info, event, answer)
            if delay is None:
                self.forwarded += 1
                self._complete(event, Outcome(tuple(tries)))
                return
            number += 1
            if not await self._pause(delay):
                break
        # Stopped before a final answer: it stays queued on the platform for the next run.
        self._known.pop(event.delivery_id, None)

    async def _pause(self, delay: float) -> bool:
        """Sleep ``delay`` seconds; False if the route was stopped meanwhile."""
        if self._sleep is not None:
            await self._sleep(delay)
            return not self._stopping.is_set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), delay)
        return not self._stopping.is_set()

    # -- holding -----------------------------------------------------------------------------
    def _hold(self, reason: str) -> None:
        self.held_reason = reason
        self._report_hold()

    def _report_hold(self) -> None:
        if self.held_reason is not None and self.unfinished != self._held_count:
            self._held_count = self.unfinished
            self.reporter.held(self.info, self._held_count, self.held_reason)

    def _release(self) -> None:
        if self.held_reason is not None:
            self.held_reason = None
            self._held_count = 0
            self.reporter.released(self.info, self.unfinished)
            self._changed.set()

    # -- finishing ---------------------------------------------------------------------------
    def _complete(self, event: RelayEvent, outcome: Outcome) -> None:
        self._known[event.delivery_id] = outcome
        self._known.move_to_end(event.delivery_id)
        if not event.resend:
            self._by_event[event.event_id] = outcome
        for remembered in (self._known, self._by_event):
            while len(remembered) > REMEMBERED:
                remembered.popitem(last=False)
        self._completed.add(event.seq)
        while self.done_through + 1 in self._completed:
            self.done_through += 1
            self._completed.discard(self.done_through)
        self._on_done(self, event, outcome)

    # -- stopping ----------------------------------------------------------------------------
    def stop(self) -> None:
        """Start nothing new; forwards on the wire finish, waits and retries end now."""
        self._stopping.set()
        self._changed.set()

    async def wait_finished(self, timeout: float) -> None:
        """Wait (at most ``timeout``) for the forwards that were running to end."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)

    def abort(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    async def aclose(self) -> None:
        self.stop()
        self.abort()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.forwarder.aclose()
