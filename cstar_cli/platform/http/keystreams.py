"""Streams opened with an API key end when the key does (D28).

Every long-lived connection (the ``/logs/stream`` websocket, listen websockets, …) registers a
closer for the key it authenticated with. Revoking the key, rolling it without a grace period,
or the end of its grace period fires every closer of that key within a second, with close code
4401 and the reason ``invalid_api_key`` or ``key_expired``. The API (``platform.key_streams``)::

    async def close(end: StreamEnd) -> None:           # end.code == 4401, end.reason, end.message
        await websocket.send_text(json.dumps(end.frame()))  # optional: say why first
        await websocket.close(code=end.code, reason=end.reason)

    with platform.key_streams.hold(principal, close):   # or: forget = register(principal, close)
        ...serve the stream...                           #      ...; forget()

``revoked(key_id)`` and ``expire_at(key_id, at)`` are what the keys service calls; expiry is
watched on the key's team clock (D37: a test-mode team's advanced clock ends a grace period when
it passes it; a test's fake base clock included) every ``POLL`` seconds, and at once when a team
advances its clock (``expire_due``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from cstar_cli.platform.background import cancel
from cstar_cli.platform.http.auth import Principal
from cstar_cli.wire.codes import CLOSE_AUTH

log = logging.getLogger("cstar.platform.keystreams")

POLL = 0.2
CLOSE_TIMEOUT = 1.0
MESSAGES = {
    "invalid_api_key": "The API key of this stream was revoked (or rolled). "
    "Log in with a valid key and start it again.",
    "key_expired": "The API key of this stream has expired (its grace period after a roll "
    "ended). Log in with its replacement and start it again.",
}


@dataclass(frozen=True)
class StreamEnd:
    """Why a stream is being closed: close code, error code and a sentence for people."""

    key_id: str
    reason: str
    code: int = CLOSE_AUTH

    @property
    def message(self) -> str:
        return MESSAGES[self.reason]

    def frame(self) -> dict[str, Any]:
        """An ``error`` frame to send before closing, like the one a refused connect gets."""
        return {"type": "error", "code": self.reason, "message": self.message, "param": None}


Closer = Callable[[StreamEnd], Awaitable[None]]


class TeamTime(Protocol):
    """A team+environment's time (:meth:`cstar_cli.platform.teamclock.TestClock.now`)."""

    def __call__(self, team_id: str | None = None, livemode: bool = True) -> float: ...


@dataclass(eq=False)
class _Stream:
    key_id: str
    close: Closer
    scope: tuple[str, bool]


class KeyStreams:
    """The registry of open streams per key id (``key_…``), and the expiry watcher."""

    def __init__(self, clock: TeamTime) -> None:
        self.clock = clock
        self._streams: dict[str, set[_Stream]] = {}
        self._expiry: dict[str, float] = {}
        self._closing: set[asyncio.Task[None]] = set()
        self._watcher: asyncio.Task[None] | None = None

    def register(self, principal: Principal, close: Closer) -> Callable[[], None]:
        """Remember ``close`` for the caller's key; returns the function that forgets it."""
        stream = _Stream(principal.key_id, close, (principal.team_id, principal.livemode))
        self._streams.setdefault(principal.key_id, set()).add(stream)
        if principal.expires_at is not None:
            self._expiry[principal.key_id] = principal.expires_at
        return lambda: self._forget(stream)

    @contextlib.contextmanager
    def hold(self, principal: Principal, close: Closer) -> Iterator[None]:
        """Keep ``close`` registered for the duration of the block."""
        forget = self.register(principal, close)
        try:
            yield
        finally:
            forget()

    def open_streams(self, key_id: str) -> int:
        """How many streams opened with this key are open."""
        return len(self._streams.get(key_id, ()))

    def revoked(self, key_id: str) -> int:
        """The key was revoked or rolled without grace: close its streams now."""
        return self._end(key_id, "invalid_api_key")

    def expire_at(self, key_id: str, at: float) -> None:
        """The key stops working at ``at`` (its team's time): its open streams close then."""
        if key_id in self._streams:
            self._expiry[key_id] = at

    def _forget(self, stream: _Stream) -> None:
        streams = self._streams.get(stream.key_id)
        if streams is None:
            return
        streams.discard(stream)
        if not streams:
            del self._streams[stream.key_id]
            self._expiry.pop(stream.key_id, None)

    def _end(self, key_id: str, reason: str) -> int:
        streams = self._streams.pop(key_id, set())
        self._expiry.pop(key_id, None)
        end = StreamEnd(key_id, reason)
        for stream in streams:
            task = asyncio.ensure_future(self._close(stream, end))
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)
        return len(streams)

    @staticmethod
    async def _close(stream: _Stream, end: StreamEnd) -> None:
        try:
            await asyncio.wait_for(stream.close(end), CLOSE_TIMEOUT)
        except Exception:  # a stream that is already gone needs no closing
            log.debug("closing a stream of %s failed", end.key_id, exc_info=True)

    # -- expiry ----------------------------------------------------------------------------
    async def start(self) -> None:
        self._watcher = asyncio.create_task(self._watch(), name="cstar-key-expiry")

    async def stop(self) -> None:
        await cancel(self._watcher)
        if self._closing:
            await asyncio.gather(*self._closing, return_exceptions=True)

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(POLL)
            self.expire_due()

    def expire_due(self) -> int:
        """End the streams of every key whose grace period is over on its team's clock;
        returns how many keys ended."""
        ended = 0
        for key_id, at in list(self._expiry.items()):
            streams = self._streams.get(key_id)
            if streams and at <= self.clock(*next(iter(streams)).scope):
                self._end(key_id, "key_expired")
                ended += 1
        return ended
