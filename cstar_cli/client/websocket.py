"""A websocket that reconnects by itself, shared by ``cstar listen`` and ``cstar logs --tail``.

It connects with the API key, sends the handler's ``hello``, waits for ``ready`` (or an
``error`` frame, which is fatal), lets the handler serve the connection, and on any drop
reconnects with jittered exponential backoff capped at 30 s, telling the handler why.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
from typing import Any, Protocol

from cstar_cli.wire.protocol import CLI_USER_AGENT

RECONNECT_BASE = 0.25
RECONNECT_CAP = 30.0


class SocketFatal(Exception):
    """The platform refused us; reconnecting would not help."""

    def __init__(self, code: str, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.param = param


class SocketHandler(Protocol):
    """What a reconnecting websocket client does with each connection."""

    def url(self) -> str: ...
    def hello(self) -> dict[str, Any]: ...
    def connected(self, ready: dict[str, Any], count: int) -> None: ...
    async def serve(self, ws: Any, stop: asyncio.Event) -> str | None: ...
    async def closed(self, code: int | None, reason: str) -> str | None: ...
    def disconnected(self, reason: str, retry_in: float) -> None: ...


def reconnect_delay(attempt: int) -> float:
    """Jittered exponential backoff: 0.25 s doubling, capped at 30 s."""
    base: float = min(RECONNECT_CAP, RECONNECT_BASE * 2**attempt)
    return base * random.uniform(0.5, 1.0)


async def run_socket(handler: SocketHandler, api_key: str, stop: asyncio.Event) -> str:
    """Serve connections until ``stop`` (``"stopped"``) or the handler returns an outcome."""
    attempt = 0
    connections = 0
    while not stop.is_set():
        reason, outcome, opened = await _connection(handler, api_key, stop, connections)
        if opened:
            connections += 1
            attempt = 0  # that connection worked: back off from the start again
        if outcome is not None:
            return outcome
        if reason is None or stop.is_set():
            continue
        delay = reconnect_delay(attempt)
        attempt += 1
        handler.disconnected(reason, delay)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), delay)
    return "stopped"


async def _connection(
    handler: SocketHandler, api_key: str, stop: asyncio.Event, connections: int
) -> tuple[str | None, str | None, bool]:
    """One connection: ``(reason it ended, final outcome, whether it opened)``."""
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

    headers = {"Authorization": f"Bearer {api_key}", "User-Agent": CLI_USER_AGENT}
    opened = False
    try:
        async with connect(
            handler.url(),
            additional_headers=headers,
            open_timeout=10,
            ping_interval=10,
            ping_timeout=20,
            close_timeout=2,
            max_size=None,
            compression=None,
        ) as ws:
            await ws.send(json.dumps(handler.hello()))
            ready = json.loads(await asyncio.wait_for(ws.recv(), 10))
            if ready.get("type") == "error":
                raise SocketFatal(
                    str(ready.get("code")), str(ready.get("message")), ready.get("param")
                )
            opened = True
            handler.connected(ready, connections + 1)
            outcome = await handler.serve(ws, stop)
            return (None if outcome or stop.is_set() else "the connection ended"), outcome, True
    except ConnectionClosed as err:
        code = err.rcvd.code if err.rcvd is not None else None
        text = err.rcvd.reason if err.rcvd is not None else ""
        outcome = await handler.closed(code, text)
        if outcome is not None:
            return None, outcome, opened
        reason = "the platform closed the connection"
        if code not in (None, 1000, 1001, 1006):
            reason += f" (code {code})"
        return (None if stop.is_set() else reason), None, opened
    except (OSError, TimeoutError, InvalidHandshake, InvalidURI) as err:
        return f"cannot reach the platform ({str(err) or type(err).__name__})", None, opened
