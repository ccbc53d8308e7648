"""A webhook receiver for tests: a local HTTP endpoint that records and verifies deliveries.

::

    inbox = cstar.receiver()                       # from a LocalPlatform (or the fixtures)
    cstar.client().webhooks.create({"url": inbox.url, "events": ["ticket.*"]})
    ...
    [delivery] = inbox.wait_for("ticket.created")
    assert delivery.verified and delivery.payload["data"]["ticket"]["title"] == "Printer on fire"

Each POST is one :class:`Delivery`, recorded in arrival order with its signature checked the way a
receiver should (D30: ``X-Signature`` against the real time, 300 s tolerance, with the project's
own :func:`~cstar_cli.client.signing.construct_event`) — against ``secret`` when one was given,
else against the secret of the webhook its ``X-Webhook-ID`` names (a
:class:`~cstar_cli.testing.LocalPlatform` looks that up in its own process). The receiver answers
200 unless told otherwise (:meth:`Receiver.respond_with`), so a test can make the platform retry.

Without a :class:`~cstar_cli.testing.LocalPlatform` (say against ``cstar dev`` in another
process) start one yourself and give it the webhook's secret::

    with Receiver() as inbox:
        hook = client.webhooks.create({"url": inbox.url, "events": ["*"]})
        inbox.secret = hook["secret"]
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable, Coroutine, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from cstar_cli.client.signing import SignatureVerificationError, construct_event
from cstar_cli.testing.http11 import Answer, HttpServer, Request, listening_socket
from cstar_cli.wire.catalog import matches

T = TypeVar("T")
SecretLookup = Callable[[str], str | None]
"""``X-Webhook-ID`` (``whk_…``) to that webhook's signing secret, or ``None`` when unknown; called
on the receiver's event loop, so it must not block."""
DEFAULT_TIMEOUT = 10.0
LISTED = 20
"""At most this many deliveries are listed when :meth:`Receiver.wait_for` fails."""

__all__ = ["Delivery", "DeliveryTimeout", "Headers", "Receiver", "SecretLookup"]


class Headers(Mapping[str, str]):
    """A request's headers: names are case-insensitive (``headers["x-event-id"]`` and
    ``headers["X-Event-ID"]`` are the same); a repeated header's values are joined by ``", "``.
    Iterating gives the names in lowercase."""

    def __init__(self, items: Iterable[tuple[str, str]]) -> None:
        self._named: dict[str, str] = {}
        for name, value in items:
            key = name.lower()
            self._named[key] = f"{self._named[key]}, {value}" if key in self._named else value

    def __getitem__(self, name: str) -> str:
        return self._named[name.lower()]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._named

    def __iter__(self) -> Iterator[str]:
        return iter(self._named)

    def __len__(self) -> int:
        return len(self._named)

    def __repr__(self) -> str:
        return f"Headers({self._named!r})"


@dataclass(frozen=True)
class Delivery:
    """One POST the receiver got, as it got it."""

    event_type: str | None
    """``X-Event-Type`` (``ticket.created``)."""
    event_id: str | None
    """``X-Event-ID`` (``evt_…``): the same on every attempt to deliver one event."""
    webhook_id: str | None
    """``X-Webhook-ID`` (``whk_…``): the subscription it was sent for."""
    attempt: int
    """``X-Delivery-Attempt``: 1 for the first attempt, 2 for the first retry… (0 if absent)."""
    verified: bool
    """The ``X-Signature`` verified against the webhook's secret, within the 300 s tolerance."""
    verification_error: str | None
    """Why ``verified`` is false (``signature_mismatch: …``); ``None`` when it verified."""
    payload: dict[str, Any] | None
    """The body as a JSON object — parsed even when it did not verify (check ``verified``);
    ``None`` if the body is not a JSON object."""
    body: bytes
    """The raw body, byte for byte (what the signature covers)."""
    headers: Headers
    status: int
    """What the receiver answered (see :meth:`Receiver.respond_with`)."""
    path: str
    """The request target (``/``, or whatever path the webhook's URL has)."""
    received_at: float
    """Unix time of arrival (real time, not the team's test clock)."""

    def describe(self) -> str:
        """One line: type, event, attempt, signature and answer."""
        check = "verified" if self.verified else f"NOT verified ({self.verification_error})"
        return (
            f"{self.event_type or '(no X-Event-Type)'} {self.event_id or '(no X-Event-ID)'} "
            f"attempt {self.attempt}, {check}, answered {self.status}"
        )


class DeliveryTimeout(AssertionError):
    """:meth:`Receiver.wait_for` ran out of time; the message lists what did arrive. An
    ``AssertionError``, so pytest and unittest report it as a test failure."""


@dataclass
class _Plan:
    """The answers to give: ``queued`` first (status, times left), then ``standing``."""

    standing: int = 200
    queued: list[list[int]] = field(default_factory=list)

    def next_status(self) -> int:
        while self.queued and self.queued[0][1] <= 0:
            self.queued.pop(0)
        if not self.queued:
            return self.standing
        self.queued[0][1] -= 1
        return self.queued[0][0]


class Receiver:
    """A local HTTP endpoint (its own socket on 127.0.0.1) that records webhook deliveries.

    ``secret`` checks every delivery against that signing secret; otherwise ``lookup`` finds the
    secret of the webhook each delivery names (a :class:`~cstar_cli.testing.LocalPlatform` passes
    one). ``secret`` may also be set after the start (the secret of a webhook created for
    :attr:`url`). Use it as a context manager or :meth:`start` / :meth:`close` it.
    """

    def __init__(
        self, secret: str | None = None, *, lookup: SecretLookup | None = None, port: int = 0
    ) -> None:
        self.secret = secret
        self._lookup = lookup
        self._port = port
        self._deliveries: list[Delivery] = []
        self._changed = threading.Condition()
        self._plan = _Plan()
        self._server = HttpServer(self._receive)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._own_loop: _LoopThread | None = None
        self.url = ""
        """Where to point a webhook: ``http://127.0.0.1:<port>/`` once started."""

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self, loop: asyncio.AbstractEventLoop | None = None) -> Receiver:
        """Listen on a free port; on ``loop`` (running in another thread) if given, else on a
        thread of its own."""
        if self._loop is not None:
            raise RuntimeError("this receiver is already started")
        if loop is None:
            self._own_loop = _LoopThread()
            loop = self._own_loop.loop
        sock = listening_socket("127.0.0.1", self._port)
        port = sock.getsockname()[1]
        try:
            _run(loop, self._server.start(sock))
        except BaseException:
            sock.close()
            self._stop_own_loop()
            raise
        self._loop = loop
        self.url = f"http://127.0.0.1:{port}/"
        return self

    def close(self) -> None:
        """Stop listening (deliveries recorded so far stay readable). Safe to call twice."""
        loop, self._loop = self._loop, None
        if loop is not None and loop.is_running():
            _run(loop, self._server.close())
        self._stop_own_loop()

    def _stop_own_loop(self) -> None:
        if self._own_loop is not None:
            self._own_loop.stop()
            self._own_loop = None

    def __enter__(self) -> Receiver:
        return self if self._loop is not None else self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- what to answer ----------------------------------------------------------------------
    def respond_with(self, status: int, times: int | None = None) -> Receiver:
        """Answer the next ``times`` deliveries with ``status`` (queued after earlier calls'
        answers), then go back to 200; with ``times=None``, answer ``status`` from now on
        (until told otherwise). ``inbox.respond_with(500, times=2)`` makes the platform retry
        twice; ``respond_with(200)`` ends any queued answers."""
        if not 200 <= status <= 599:
            raise ValueError(f"status must be 200 to 599, not {status}")
        if times is not None and times < 1:
            raise ValueError(f"times must be at least 1 (or None: from now on), not {times}")
        with self._changed:
            if times is None:
                self._plan = _Plan(standing=status)
            else:
                self._plan.queued.append([status, times])
        return self

    # -- what arrived ------------------------------------------------------------------------
    @property
    def deliveries(self) -> list[Delivery]:
        """Every delivery so far, in arrival order (a copy)."""
        with self._changed:
            return list(self._deliveries)

    def clear(self) -> None:
        """Forget the deliveries recorded so far (answers still queued stay)."""
        with self._changed:
            self._deliveries.clear()

    def wait_for(
        self, event_type: str | None = None, count: int = 1, timeout: float = DEFAULT_TIMEOUT
    ) -> list[Delivery]:
        """The first ``count`` deliveries of ``event_type`` — an exact type, a pattern
        (``ticket.*``) or ``None`` for any — in arrival order, once that many have arrived.

        Deliveries are counted from the start (or the last :meth:`clear`), each attempt on its
        own, so after ``[first] = wait_for("ticket.created")`` the next ticket is
        ``wait_for("ticket.created", count=2)[1]``. Raises :class:`DeliveryTimeout` after
        ``timeout`` seconds, listing what did arrive.
        """
        if count < 1:
            raise ValueError(f"count must be at least 1, not {count}")
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [d for d in self._deliveries if _selects(event_type, d)]
                if len(found) >= count:
                    return found[:count]
                left = deadline - time.monotonic()
                if left <= 0:
                    raise DeliveryTimeout(self._missing(event_type, count, timeout, len(found)))
                self._changed.wait(left)

    def _missing(self, event_type: str | None, count: int, timeout: float, got: int) -> str:
        what = "any event" if event_type is None else repr(event_type)
        lines = [
            f"Waited {timeout:g} s for {count} deliver{'y' if count == 1 else 'ies'} of {what} "
            f"at {self.url or '(a receiver that is not started)'}: {got} arrived."
        ]
        if not self._deliveries:
            lines.append(
                "Nothing arrived at all: is a webhook subscribed to it with this receiver's URL "
                "(and was it created after the last reset)?"
            )
        else:
            lines.append(f"What arrived ({len(self._deliveries)}), in order:")
            lines += [f"  {n}. {d.describe()}" for n, d in enumerate(self._deliveries[:LISTED], 1)]
            if len(self._deliveries) > LISTED:
                lines.append(f"  … and {len(self._deliveries) - LISTED} more")
        return "\n".join(lines)

    # -- on the event loop -------------------------------------------------------------------
    def _receive(self, request: Request) -> Answer:
        if request.method != "POST":
            return Answer(405, b'{"error":"a webhook receiver takes POST only"}')
        headers = Headers(request.headers)
        verified, error = self._verify(request.body, headers)
        try:
            parsed = json.loads(request.body)
        except ValueError:
            parsed = None
        with self._changed:
            status = self._plan.next_status()
            self._deliveries.append(
                Delivery(
                    event_type=headers.get("x-event-type"),
                    event_id=headers.get("x-event-id"),
                    webhook_id=headers.get("x-webhook-id"),
                    attempt=_attempt(headers.get("x-delivery-attempt")),
                    verified=verified,
                    verification_error=error,
                    payload=parsed if isinstance(parsed, dict) else None,
                    body=request.body,
                    headers=headers,
                    status=status,
                    path=request.target,
                    received_at=time.time(),
                )
            )
            self._changed.notify_all()
        return Answer(status, b'{"received":true}' if status < 300 else b'{"received":false}')

    def _verify(self, body: bytes, headers: Headers) -> tuple[bool, str | None]:
        secret = self.secret
        webhook_id = headers.get("x-webhook-id")
        if secret is None:
            if self._lookup is None or not webhook_id:
                return False, "no secret to check against: pass Receiver(secret=…)"
            try:
                secret = self._lookup(webhook_id)
            except Exception as err:  # a lookup that fails is a delivery that cannot be checked
                return False, f"looking up the secret of {webhook_id} failed: {err!r}"
            if secret is None:
                return False, f"no webhook {webhook_id} on this platform (deleted? reset?)"
        try:
            construct_event(body, headers.get("x-signature"), secret)
        except SignatureVerificationError as err:
            return False, f"{err.reason}: {err.message}"
        return True, None


def _selects(event_type: str | None, delivery: Delivery) -> bool:
    return event_type is None or matches(event_type, delivery.event_type or "")


def _attempt(value: str | None) -> int:
    return int(value) if value is not None and value.isdigit() else 0


def _run(loop: asyncio.AbstractEventLoop, coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` on ``loop`` (another thread's) and wait for its result."""
    return asyncio.run_coroutine_threadsafe(coroutine, loop).result(DEFAULT_TIMEOUT)


class _LoopThread:
    """An event loop running on a daemon thread of its own (a receiver without a platform)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()
        self.loop.call_soon(ready.set)
        self._thread = threading.Thread(
            target=self.loop.run_forever, name="cstar-receiver", daemon=True
        )
        self._thread.start()
        ready.wait()

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join()
        self.loop.close()
