"""Every API websocket ends with its key (D28), whatever route serves it.

The gateway hands each ``/api/`` websocket to :func:`guard_websocket`: it authenticates the
connection's key (a key that fails is left to the route, which refuses it with its own error
frame), registers a closer in ``platform.key_streams`` and serves the route. When the key is
revoked, rolled without grace or expires, the closer sends the ``error`` frame, closes with 4401
and the reason, and from then on the route's ``receive()`` answers ``websocket.disconnect``, so
its loops end as if the client had left. A key that ends while the route is still deciding
whether to accept closes the connection the same way right after the accept, never before it
(ASGI allows no frame before the accept). ``/logs/stream`` and the listen relay both rely on it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any

from cstar_cli.platform.http.auth import bearer_key
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.http.keystreams import StreamEnd
from cstar_cli.wire.codes import CLOSE_AUTH

if TYPE_CHECKING:
    from cstar_cli.platform.core import Platform

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]


async def guard_websocket(
    app: ASGIApp, platform: Platform, scope: MutableMapping[str, Any], receive: Receive, send: Send
) -> None:
    """Serve one websocket with ``app``, closing it when its key stops working."""
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
    try:
        principal = platform.authenticate(bearer_key(headers.get("authorization")))
    except ApiError:
        await app(scope, receive, send)  # the route refuses it and says why
        return
    ended = asyncio.Event()
    accepted = False
    closed = False
    pending: StreamEnd | None = None  # the key ended before the route accepted

    async def end_with(end: StreamEnd) -> None:
        nonlocal closed
        closed = True
        with contextlib.suppress(Exception):
            await send({"type": "websocket.send", "text": json.dumps(end.frame())})
        with contextlib.suppress(Exception):
            await send({"type": "websocket.close", "code": end.code, "reason": end.reason})
        ended.set()

    async def key_ended(end: StreamEnd) -> None:
        nonlocal pending
        if closed:
            return
        if not accepted:
            pending = end  # closed with its code as soon as the route accepts
            ended.set()
            return
        await end_with(end)

    async def guarded_send(message: Message) -> None:
        nonlocal accepted, closed
        if closed:
            return  # the key ended: the connection is closed, whatever the route still says
        if message["type"] == "websocket.accept":
            accepted = True
            await send(message)
            if pending is not None:
                await end_with(pending)
            return
        if message["type"] == "websocket.close":
            closed = True
        await send(message)

    async def guarded_receive() -> Message:
        if not ended.is_set():
            incoming = asyncio.ensure_future(receive())
            stopped = asyncio.ensure_future(ended.wait())
            done, _ = await asyncio.wait({incoming, stopped}, return_when=asyncio.FIRST_COMPLETED)
            stopped.cancel()
            if incoming in done:
                return incoming.result()
            incoming.cancel()
        return {"type": "websocket.disconnect", "code": CLOSE_AUTH, "reason": "key ended"}

    with platform.key_streams.hold(principal, key_ended):
        await app(scope, guarded_receive, guarded_send)
