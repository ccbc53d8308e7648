"""An acknowledgement is the client's word (issue 21): numbers that are not numbers (``Infinity``,
``"x"``), an error that is not text — the attempt is recorded with what the platform knows, and
the connection goes on. Over a real websocket."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from websockets.asyncio.client import connect

from tests.support.platforms import OwnPlatform, Start

TARGET = "http://127.0.0.1:9/hooks"


async def relay_and_ack(p: OwnPlatform, ack: str) -> list[dict[str, Any]]:
    """Open a session with one route, fire an event, acknowledge it with ``ack`` (raw JSON with
    ``{seq}`` and ``{route}`` to fill), then fire another: the events the relay sent."""
    with p.client() as api:
        session = api.post(
            p.team("/webhooks/listen"),
            json={"deviceName": "acks", "routes": [{"target": TARGET}]},
        ).json()["data"]
        api.post(p.team("/webhooks/trigger-test"), json={"event": "ticket.created"})
    headers = {"Authorization": f"Bearer {p.server.keys.secret_key}"}
    hello = {"type": "hello", "version": 2, "routes": [{"target": TARGET, "after": 0}]}
    sent: list[dict[str, Any]] = []
    async with connect(session["websocketUrl"], additional_headers=headers) as ws:
        await ws.send(json.dumps(hello))
        assert json.loads(await ws.recv())["type"] == "ready"
        [first] = json.loads(await ws.recv())["events"]
        sent.append(first)
        await ws.send(ack.replace("{seq}", str(first["seq"])).replace("{route}", first["route"]))
        await asyncio.to_thread(fire, p)
        [second] = json.loads(await ws.recv())["events"]  # the connection went on
        sent.append(second)
    return sent


def fire(p: OwnPlatform) -> None:
    with p.client() as api:
        api.post(p.team("/webhooks/trigger-test"), json={"event": "ticket.created"})


def test_an_ack_with_numbers_that_are_not_numbers_is_recorded_sanely(own_platform: Start) -> None:
    p = own_platform()
    ack = (
        '{"type": "ack", "acks": [{"route": "{route}", "seq": {seq}, "status": 200, '
        '"attempts": Infinity, "durationMs": NaN, "error": {"no": "text"}, "forwardTo": 7, '
        '"tries": [{"attempt": "x", "status": 200, "durationMs": 1e999, "error": ["x"]}]}]}'
    )
    first, second = asyncio.run(relay_and_ack(p, ack))
    assert second["seq"] == first["seq"] + 1
    with p.client() as api:
        event = api.get(p.team(f"/events/{first['eventId']}")).json()["data"]
    [attempt] = [d for d in event["deliveries"] if d["sessionId"]]
    assert (attempt["attempt"], attempt["status"]) == (1, "succeeded")
    assert attempt["durationMs"] is None and attempt["error"] is None
    assert attempt["url"] == TARGET
