"""Websockets of tests over real sockets: how the platform closed one."""

from __future__ import annotations

import pytest
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed


async def close_of(ws: ClientConnection) -> tuple[int, str]:
    """Wait for the platform to close ``ws`` (no frame may come first): its code and reason."""
    with pytest.raises(ConnectionClosed) as closed:
        await ws.recv()
    received = closed.value.rcvd
    assert received is not None
    return received.code, received.reason
