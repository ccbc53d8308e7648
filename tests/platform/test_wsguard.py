"""A key that ends while its websocket is still being accepted (issue 21): the connection is
accepted, told why and closed with the D28 code — never a frame before the accept, nothing after
the close. The ASGI side is checked the way uvicorn checks it (in process: pure protocol logic).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest

from cstar_cli.platform.core import Platform
from cstar_cli.platform.http.wsguard import guard_websocket
from cstar_cli.platform.runner import prepare
from cstar_cli.platform.settings import PlatformSettings
from cstar_cli.wire.codes import CLOSE_AUTH


class StrictSocket:
    """The server side of one websocket, refusing what uvicorn refuses: any frame before the
    accept, and anything after the close."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.state = "connecting"

    async def send(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        if self.state == "closed":
            raise RuntimeError(f"Unexpected ASGI message {kind!r} after the close")
        if self.state == "connecting" and kind == "websocket.send":
            raise RuntimeError("Unexpected ASGI message 'websocket.send' before the accept")
        if kind == "websocket.accept":
            self.state = "open"
        if kind == "websocket.close":
            self.state = "closed"
        self.sent.append(message)

    async def receive(self) -> dict[str, Any]:
        await asyncio.Event().wait()  # the client says nothing
        raise AssertionError("unreachable")


@pytest.fixture
def platform() -> Iterator[Platform]:
    made = Platform(PlatformSettings(db_path=":memory:"))
    prepare(made)
    yield made
    made.close()


def test_a_key_revoked_before_the_accept_closes_with_4401_after_it(platform: Platform) -> None:
    key = platform.db.one("SELECT id FROM api_keys WHERE type = 'secret' AND livemode = 0")
    assert key is not None
    secret = next(k for k in platform.secret_keys(*_scope(platform)) if k.startswith("sk_test_"))
    scope = {"type": "websocket", "headers": [(b"authorization", f"Bearer {secret}".encode())]}
    socket = StrictSocket()
    deciding = asyncio.Event()
    revoked = asyncio.Event()
    heard: list[dict[str, Any]] = []

    async def route(scope: Any, receive: Any, send: Any) -> None:
        deciding.set()
        await revoked.wait()  # the key is revoked while the route is still deciding
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": json.dumps({"type": "ready"})})
        heard.append(await receive())

    async def connect() -> None:
        serving = asyncio.create_task(
            guard_websocket(route, platform, scope, socket.receive, socket.send)
        )
        await deciding.wait()
        assert platform.key_streams.revoked("key_" + key["id"]) == 1
        await asyncio.sleep(0)  # the closer runs
        revoked.set()
        await asyncio.wait_for(serving, 5)

    asyncio.run(connect())
    kinds = [m["type"] for m in socket.sent]
    assert kinds == ["websocket.accept", "websocket.send", "websocket.close"]
    assert json.loads(socket.sent[1]["text"])["code"] == "invalid_api_key"
    assert socket.sent[2]["code"] == CLOSE_AUTH
    assert heard and heard[0]["type"] == "websocket.disconnect"


def _scope(platform: Platform) -> tuple[str, bool]:
    team = platform.db.one("SELECT id FROM teams")
    assert team is not None
    return team["id"], False
