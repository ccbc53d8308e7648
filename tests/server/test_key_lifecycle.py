"""Key lifecycle (D28): revoke, roll and expiry end the key's open streams; dead keys stay dead."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.support.platforms import OwnPlatform

Start = Callable[..., OwnPlatform]


class Tail:
    """``cstar logs --tail`` in its own process, with what it said on stderr."""

    def __init__(self, platform: OwnPlatform, key: str, *extra: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "cstar_cli", "logs", "--tail", *extra]
            + ["--api-base", platform.server.api_base, "--api-key", key],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.ready = threading.Event()
        self.stderr: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        with self.proc.stderr:
            for line in self.proc.stderr:
                self.stderr.append(line)
                if "Tailing request logs" in line:
                    self.ready.set()

    def exit_code(self) -> int:
        code = self.proc.wait(timeout=60)
        self._reader.join(timeout=60)
        return code

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.exit_code()

    @property
    def said(self) -> str:
        return "".join(self.stderr)


@pytest.fixture
def tails() -> Iterator[Callable[..., Tail]]:
    started: list[Tail] = []

    def start(platform: OwnPlatform, key: str, *extra: str) -> Tail:
        tail = Tail(platform, key, *extra)
        started.append(tail)
        assert tail.ready.wait(60), tail.said
        return tail

    yield start
    for tail in started:
        tail.stop()


def new_key(platform: OwnPlatform, name: str = "stream") -> dict[str, Any]:
    with platform.client() as api:
        created = api.post(platform.team("/keys"), json={"name": name})
    assert created.status_code == 201, created.text
    key: dict[str, Any] = created.json()["data"]
    return key


def test_revoking_a_key_ends_its_log_tail_with_exit_4(
    own_platform: Start, tails: Callable[..., Tail]
) -> None:
    platform = own_platform()
    key = new_key(platform)
    tail = tails(platform, key["secret"])
    with platform.client() as api:
        assert api.delete(platform.team(f"/keys/{key['id']}")).status_code == 200
    assert tail.exit_code() == 4, tail.said
    assert "revoked" in tail.said and "cstar login" in tail.said
    assert "Traceback" not in tail.said
    with platform.client(key["secret"]) as revoked:
        assert revoked.get(platform.team("/tickets")).status_code == 401


def test_rolling_without_grace_ends_the_stream_at_once(
    own_platform: Start, tails: Callable[..., Tail]
) -> None:
    platform = own_platform()
    key = new_key(platform)
    tail = tails(platform, key["secret"], "--json")
    with platform.client() as api:
        assert api.post(platform.team(f"/keys/{key['id']}/roll"), json={}).status_code == 200
    assert tail.exit_code() == 4, tail.said
    error = json.loads(tail.stderr[-1])["error"]
    assert error["code"] == "invalid_api_key" and error["type"] == "authentication_error"


def test_the_end_of_a_grace_period_ends_the_stream(
    own_platform: Start, tails: Callable[..., Tail]
) -> None:
    platform = own_platform()
    key = new_key(platform)
    tail = tails(platform, key["secret"])
    with platform.client() as api:
        rolled = api.post(platform.team(f"/keys/{key['id']}/roll"), json={"expiresIn": 3600})
    assert rolled.status_code == 200
    with platform.client(key["secret"]) as old:
        assert old.get(platform.team("/tickets")).status_code == 200  # still in its grace period
    assert tail.proc.poll() is None
    platform.clock.advance(3601)
    assert tail.exit_code() == 4, tail.said
    assert "expired" in tail.said


def test_a_dead_key_is_never_rolled_back_to_life(own_platform: Start) -> None:
    platform = own_platform()
    revoked, graced = new_key(platform, "revoked"), new_key(platform, "graced")
    with platform.client() as api:
        api.delete(platform.team(f"/keys/{revoked['id']}"))
        answers = [api.post(platform.team(f"/keys/{revoked['id']}/roll"), json={})]
        first = api.post(platform.team(f"/keys/{graced['id']}/roll"), json={"expiresIn": 60})
        assert first.status_code == 200
        answers.append(
            api.post(platform.team(f"/keys/{graced['id']}/roll"), json={"expiresIn": 600})
        )
        platform.clock.advance(61)
        answers.append(
            api.post(platform.team(f"/keys/{graced['id']}/roll"), json={"expiresIn": 600})
        )
    for answer, word in zip(answers, ("revoked", "already rolled", "expired"), strict=True):
        assert answer.status_code == 409, answer.text
        error = answer.json()["error"]
        assert error["code"] == "resource_conflict" and word in error["message"]
    with platform.client(graced["secret"]) as old:
        assert old.get(platform.team("/tickets")).json()["error"]["code"] == "key_expired"


def test_the_websocket_says_why_and_closes_with_4401(own_platform: Start) -> None:
    platform = own_platform()
    key = new_key(platform)
    url = platform.server.api_base.replace("http", "ws", 1) + platform.team("/logs/stream")

    async def watch() -> tuple[dict[str, Any], int, str]:
        headers = {"Authorization": f"Bearer {key['secret']}"}
        async with connect(url, additional_headers=headers) as ws:
            await ws.send(json.dumps({"type": "hello", "after": None}))
            assert json.loads(await ws.recv())["type"] == "ready"
            await asyncio.to_thread(revoke)
            frame: dict[str, Any] = {}
            while frame.get("type") != "error":
                frame = json.loads(await ws.recv())
            with pytest.raises(ConnectionClosed) as closed:
                await ws.recv()
        received = closed.value.rcvd
        assert received is not None
        return frame, received.code, received.reason

    def revoke() -> None:
        with platform.client() as api:
            api.delete(platform.team(f"/keys/{key['id']}"))

    frame, code, reason = asyncio.run(watch())
    assert frame["code"] == "invalid_api_key" and "revoked" in frame["message"]
    assert (code, reason) == (4401, "invalid_api_key")


def test_a_publishable_key_cannot_open_the_log_stream(own_platform: Start) -> None:
    platform = own_platform()
    tail = Tail(platform, platform.server.keys.publishable_key)
    assert tail.exit_code() == 4, tail.said
    assert "needs a secret key" in tail.said


def test_revoking_a_key_stops_cstar_listen_with_exit_4(own_platform: Start) -> None:
    platform = own_platform()
    key = new_key(platform, "listen")
    proc = subprocess.Popen(
        [sys.executable, "-m", "cstar_cli", "listen", "--forward-to", "http://127.0.0.1:9/hooks"]
        + ["--device-name", "lifecycle", "--api-base", platform.server.api_base]
        + ["--api-key", key["secret"]],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        ready = proc.stdout.readline()
        assert "Ready!" in ready, ready
        with platform.client() as api:
            assert api.delete(platform.team(f"/keys/{key['id']}")).status_code == 200
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 4, stderr
    assert "`cstar listen` stopped: the API key was revoked" in stderr
    assert "Traceback" not in stderr and "Unexpected error" not in stderr
