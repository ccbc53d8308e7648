"""``GET /realtime``: every event a key may see, live, as Server-Sent Events (D26, facts §4.6).

Each message is ``id: <event id>``, ``event: <type>`` and ``data: <the D11 payload>``; a
``: ping`` comment goes out every 15 s so proxies and clients know the stream is alive.
``events=`` takes the webhook patterns (``ticket.*,boss.defeated``). ``Last-Event-ID`` (the header
``EventSource`` sends when it reconnects, or ``?lastEventId=``) replays everything after that
event, then goes live. The key may come as ``Authorization: Bearer …`` or ``?key=``, an identity
as headers or ``?identity=&identityHash=`` (``EventSource`` cannot set headers). When the key is
revoked or expires the stream sends ``event: error`` with the error object and ends (D28).

Example::

    curl -N "$API/teams/$TEAM/realtime?events=ticket.*" -H "Authorization: Bearer $KEY"
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from cstar_cli.platform.core import Platform
from cstar_cli.platform.http import responses
from cstar_cli.platform.http.access import PUBLIC
from cstar_cli.platform.http.auth import Principal
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.http.keystreams import StreamEnd
from cstar_cli.platform.realtime.hub import Stream
from cstar_cli.platform.realtime.view import view_for
from cstar_cli.platform.resources.common import acting_for, platform_of, principal_of
from cstar_cli.platform.resources.webhooks.service import check_events
from cstar_cli.wire.times import iso

router = APIRouter(tags=["realtime"])

Message = MutableMapping[str, Any]
HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-cache"),
    (b"x-accel-buffering", b"no"),
]
RETRY_MS = 2000  # how soon EventSource reconnects after a drop


@router.get("/realtime", summary="Live events (Server-Sent Events)", openapi_extra=PUBLIC)
async def realtime(
    request: Request,
    events: str | None = Query(None, description="Event patterns, e.g. ticket.*,boss.defeated."),
    lastEventId: str | None = Query(
        None, max_length=200, description="Resume after this event (or the Last-Event-ID header)."
    ),
    key: str | None = Query(None, description="The API key, for clients that can't set headers."),
    identity: str | None = Query(None, description="X-Cstar-Identity, as a query parameter."),
    identityHash: str | None = Query(None, description="X-Cstar-Identity-Hash, likewise."),
) -> Response:
    platform, principal = platform_of(request), principal_of(request)
    patterns = check_events(events.split(",")) if events else ["*"]
    resume = request.headers.get("last-event-id") or lastEventId
    view = view_for(principal, acting_for(request), patterns, _member_name(platform))
    try:
        stream = platform.realtime.open(principal.team_id, principal.livemode, view, resume)
    except LookupError:
        raise ApiError.invalid(
            f"No event '{resume}' in this team and environment to resume after.",
            param="Last-Event-ID",
        ) from None
    return EventStream(platform, principal, stream)


def _member_name(platform: Platform) -> Callable[[str], str | None]:
    def name(member_hex: str) -> str | None:
        row = platform.db.one("SELECT name FROM members WHERE id = ?", (member_hex,))
        return None if row is None else str(row["name"])

    return name


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
                    error = b"event: error\ndata: " + responses.dump(stream.ending) + b"\n\n"
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
