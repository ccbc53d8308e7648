"""The ``text/event-stream`` answer of ``GET /realtime`` (D26) and what the platform's SSE
streams share (the inspector's live stream too): chunks, pings, the client going away."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.responses import Response

from cstar_cli.platform.core import Platform
from cstar_cli.platform.encoding import dump
from cstar_cli.platform.http.auth import Principal
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.http.keystreams import StreamEnd
from cstar_cli.platform.realtime.hub import Stream
from cstar_cli.wire.times import iso

Message = MutableMapping[str, Any]
HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-cache"),
    (b"x-accel-buffering", b"no"),
]
RETRY_MS = 2000  # how soon EventSource reconnects after a drop


def frame(row: dict[str, Any], payload: str) -> bytes:
    """One SSE message (the stored payload is compact JSON: one line)."""
    return f"id: {row['id']}\nevent: {row['type']}\ndata: {payload}\n\n".encode()


class EventStream(Response):
    """A ``text/event-stream`` answer that runs until the client, the key or the platform ends."""

    def __init__(self, platform: Platform, principal: Principal, stream: Stream) -> None:
        super().__init__(status_code=200, media_type="text/event-stream")
        self.raw_headers = list(HEADERS)
        self.platform = platform
        self.principal = principal
        self.stream = stream

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[Message]],
        send: Callable[[Message], Awaitable[None]],
    ) -> None:
        hub, stream = self.platform.realtime, self.stream
        heartbeat = self.platform.settings.realtime_heartbeat
        request_id = scope.get("state", {}).get("request_id", "req_unknown")

        async def key_ended(end: StreamEnd) -> None:
            error = ApiError(401, end.reason, end.message)
            hub.end(stream, error.body(request_id, iso(self.platform.now()))["error"])

        watcher = asyncio.ensure_future(until_disconnect(receive, stream))
        forget = self.platform.key_streams.register(self.principal, key_ended)
        try:
            await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
            await send_chunk(send, f"retry: {RETRY_MS}\n: connected\n\n".encode())
            while not stream.closed:
                if stream.ending is not None:
                    error = b"event: error\ndata: " + dump(stream.ending) + b"\n\n"
                    await send_chunk(send, error)
                    break
                batch = hub.next_batch(stream)
                if batch:
                    await send_chunk(send, b"".join(frame(row, payload) for row, payload in batch))
                if stream.behind:
                    await asyncio.sleep(0)  # a long replay lets the other connections run
                if not batch and not stream.behind:
                    await wait_or_ping(send, stream, heartbeat)
        finally:
            forget()
            hub.close(stream)
            watcher.cancel()
            with contextlib.suppress(Exception):
                await send({"type": "http.response.body", "body": b"", "more_body": False})


async def send_chunk(send: Callable[[Message], Awaitable[None]], chunk: bytes) -> None:
    await send({"type": "http.response.body", "body": chunk, "more_body": True})


async def wait_or_ping(
    send: Callable[[Message], Awaitable[None]], stream: Stream, heartbeat: float
) -> None:
    """Sleep until the stream wakes; a quiet ``heartbeat`` sends a ``: ping`` comment instead."""
    if not await stream.idle(heartbeat):
        await send_chunk(send, b": ping\n\n")


async def until_disconnect(receive: Callable[[], Awaitable[Message]], stream: Stream) -> None:
    """Read the request side until the client goes away, then end the stream."""
    with contextlib.suppress(Exception):
        while (await receive())["type"] != "http.disconnect":
            pass
    stream.closed = True
    stream.wake.set()
