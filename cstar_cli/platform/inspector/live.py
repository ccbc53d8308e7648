"""``GET /inspector/live``: what tells an open inspector page to refresh, as Server-Sent Events.

It rides the platform's own fan-out, the one behind webhooks, listen and the realtime stream
(D26): the stream is a :class:`~cstar_cli.platform.realtime.hub.RealtimeHub` stream of the session's
team and environment, so every committed event wakes it, and a request-log subscriber (the one
behind ``/logs/stream``) wakes it for every finished API request. Messages carry no data a page
could not fetch itself — ``event: platform`` with ``{id, type}`` and ``event: log`` with a
count — and the page re-reads its view through the inspector. ``event: ended`` says the session
is over (its key was revoked or expired, it is 12 hours old, or the browser logged out), then the
stream ends. The session token comes as ``?token=`` (``EventSource`` sets no headers); this
route is not in the request log, which would redact it anyway (``logs.log.REDACTED_PARAMS``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.responses import Response

from cstar_cli.platform.core import Platform
from cstar_cli.platform.inspector.sessions import ENDED, Session
from cstar_cli.platform.logs.log import LogFilter, Subscriber
from cstar_cli.platform.realtime.hub import Stream
from cstar_cli.platform.realtime.sse import send_chunk, until_disconnect, wait_or_ping
from cstar_cli.platform.store.db import Row

Message = MutableMapping[str, Any]
Send = Callable[[Message], Awaitable[None]]
HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-store"),
    (b"x-accel-buffering", b"no"),
]


def _notice(row: Row) -> str:
    return json.dumps({"id": row["id"], "type": row["type"]}, separators=(",", ":"))


class _WakingQueue(asyncio.Queue[Row]):
    """A log subscriber's queue that also wakes the stream."""

    def __init__(self, wake: asyncio.Event) -> None:
        super().__init__()
        self.wake = wake

    def put_nowait(self, item: Row) -> None:
        super().put_nowait(item)
        self.wake.set()


class LiveStream(Response):
    """The inspector's live stream for one session."""

    def __init__(self, platform: Platform, session: Session) -> None:
        super().__init__(status_code=200, media_type="text/event-stream")
        self.platform = platform
        self.session = session

    async def __call__(
        self, scope: MutableMapping[str, Any], receive: Callable[[], Awaitable[Message]], send: Send
    ) -> None:
        principal = self.session.principal
        hub = self.platform.realtime
        stream = hub.open(principal.team_id, principal.livemode, _notice, None)
        subscriber = Subscriber(principal.team_id, principal.livemode, LogFilter())
        subscriber.queue = _WakingQueue(stream.wake)
        self.platform.request_log.subscribers.add(subscriber)

        def ended(reason: str) -> None:
            hub.end(stream, {"code": reason, "message": ENDED.get(reason, "Session ended.")})

        self.session.closers.append(ended)
        watcher = asyncio.ensure_future(until_disconnect(receive, stream))
        try:
            await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
            await send_chunk(send, b"retry: 2000\n: connected\n\n")
            await self._serve(send, stream, subscriber)
        finally:
            self.session.closers.remove(ended)
            self.platform.request_log.subscribers.discard(subscriber)
            hub.close(stream)
            watcher.cancel()
            with contextlib.suppress(Exception):
                await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _serve(self, send: Send, stream: Stream, subscriber: Subscriber) -> None:
        hub = self.platform.realtime
        heartbeat = self.platform.settings.realtime_heartbeat
        while not stream.closed:
            if stream.ending is not None:
                await send_chunk(
                    send, f"event: ended\ndata: {json.dumps(stream.ending)}\n\n".encode()
                )
                return
            chunks = [
                f"event: platform\ndata: {payload}\n\n" for _, payload in hub.next_batch(stream)
            ]
            logged = 0
            while not subscriber.queue.empty():
                subscriber.queue.get_nowait()
                logged += 1
            if logged:
                chunks.append(f"event: log\ndata: {logged}\n\n")
            if chunks:
                await send_chunk(send, "".join(chunks).encode())
            if stream.behind:
                await asyncio.sleep(0)
            if chunks or stream.behind:
                continue
            if self.session.expires_at <= self.platform.now():
                self.platform.inspector.end(self.session.id, "expired")  # ends the stream
                continue
            await wait_or_ping(send, stream, heartbeat)
