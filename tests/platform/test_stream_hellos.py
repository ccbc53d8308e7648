"""A bad hello on a stream is refused in the stream's error shape (issue 21): an ``error`` frame
naming the parameter, then close code 4400 — never a traceback or a bare close. Over real
websockets: ``/logs/stream`` and the listen relay."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from websockets.asyncio.client import connect

from tests.support.platforms import RunningPlatform
from tests.support.sockets import close_of

BAD_AFTER = [
    "Infinity",
    "-Infinity",
    "NaN",
    "1e999",
    "9" * 30,  # past SQLite's integers
    "-1",
    "1.5",
    '"12"',
    "true",
    "[1]",
    '{"seq": 1}',
]


def ws_url(platform: RunningPlatform, path: str) -> str:
    return platform.api_base.replace("http", "ws", 1) + f"/api/v1/teams/{platform.team_id}{path}"


async def refusal(url: str, key: str, hello: str) -> tuple[dict[str, Any], int, str]:
    """Send ``hello`` (raw text) and return the error frame, the close code and its reason."""
    async with connect(url, additional_headers={"Authorization": f"Bearer {key}"}) as ws:
        await ws.send(hello)
        frame = json.loads(await ws.recv())
        code, reason = await close_of(ws)
        return frame, code, reason


@pytest.mark.parametrize("after", BAD_AFTER)
def test_a_log_stream_hello_whose_after_is_not_a_position_is_refused(
    platform: RunningPlatform, after: str
) -> None:
    url = ws_url(platform, "/logs/stream")
    hello = '{"type": "hello", "after": ' + after + "}"
    frame, code, reason = asyncio.run(refusal(url, platform.secret_key, hello))
    assert frame["type"] == "error"
    assert frame["code"] == "parameter_invalid"
    assert frame["param"] == "after"
    assert "whole number" in frame["message"]
    assert (code, reason) == (4400, "parameter_invalid")


@pytest.mark.parametrize("hello", ["not json", "[]", '"hello"', '{"type": "subscribe"}'])
def test_a_log_stream_hello_that_is_no_hello_is_refused(
    platform: RunningPlatform, hello: str
) -> None:
    url = ws_url(platform, "/logs/stream")
    frame, code, _ = asyncio.run(refusal(url, platform.secret_key, hello))
    assert (frame["type"], frame["code"], frame["param"]) == ("error", "parameter_invalid", "hello")
    assert "Expected a hello message" in frame["message"]
    assert code == 4400


def test_a_good_hello_still_streams_and_an_integral_float_is_a_position(
    platform: RunningPlatform,
) -> None:
    url = ws_url(platform, "/logs/stream")

    async def ready(after: str) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {platform.secret_key}"}
        async with connect(url, additional_headers=headers) as ws:
            await ws.send('{"type": "hello", "after": ' + after + "}")
            answer: dict[str, Any] = json.loads(await ws.recv())
            return answer

    assert asyncio.run(ready("null"))["type"] == "ready"
    assert asyncio.run(ready("3.0")) == {"type": "ready", "after": 3}


@pytest.mark.parametrize("after", ["Infinity", "1e999", "9" * 30, '"x"'])
def test_a_listen_hello_whose_route_after_is_not_a_position_is_refused(
    platform: RunningPlatform, after: str
) -> None:
    with platform.client() as client:
        session = client.post(
            f"/api/v1/teams/{platform.team_id}/webhooks/listen",
            json={"deviceName": "bad-hello"},
        ).json()["data"]
    route = '{"target": "http://localhost:3000/", "after": ' + after + "}"
    hello = '{"type": "hello", "version": 2, "routes": [' + route + "]}"
    try:
        frame, code, _ = asyncio.run(refusal(session["websocketUrl"], platform.secret_key, hello))
    finally:  # the session platform is shared: leave no session queueing its events
        with platform.client() as client:
            client.delete(f"/api/v1/teams/{platform.team_id}/webhooks/listen/{session['id']}")
    assert (frame["type"], frame["code"]) == ("error", "parameter_invalid")
    assert "routes.0.after" in frame["message"]
    assert code == 4400
