"""Key lifecycle (D28): revoke, roll and expiry end the key's open streams; dead keys stay dead."""

from __future__ import annotations

import asyncio
import json
import subprocess
import threading
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import httpx
import pytest
from websockets.asyncio.client import connect

from tests.support.platforms import OwnPlatform, Start
from tests.support.processes import cstar_process, login_options, start_cstar
from tests.support.sockets import close_of


class Tail:
    """``cstar logs --tail`` in its own process, with what it said on stderr."""

    def __init__(self, platform: OwnPlatform, key: str, *extra: str) -> None:
        tail = ["logs", "--tail", *extra, *login_options(platform.server, key)]
        self.proc = start_cstar(*tail, stdout=subprocess.DEVNULL)
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


class Tailed(NamedTuple):
    """A platform of the test's own, a new key on it, and a ready log tail streaming with it."""

    platform: OwnPlatform
    key: dict[str, Any]
    tail: Tail


TailANewKey = Callable[..., Tailed]


@pytest.fixture
def tail_a_new_key(own_platform: Start) -> Iterator[TailANewKey]:
    """``tail_a_new_key(*extra)``: a :class:`Tailed`, the tail started with ``extra`` options."""
    started: list[Tail] = []

    def start(*extra: str) -> Tailed:
        platform = own_platform()
        key = new_key(platform)
        tail = Tail(platform, key["secret"], *extra)
        started.append(tail)
        assert tail.ready.wait(60), tail.said
        return Tailed(platform, key, tail)

    yield start
    for tail in started:
        tail.stop()


def new_key(platform: OwnPlatform, name: str = "stream") -> dict[str, Any]:
    with platform.client() as api:
        created = api.post(platform.team("/keys"), json={"name": name})
    assert created.status_code == 201, created.text
    key: dict[str, Any] = created.json()["data"]
    return key


def revoke(platform: OwnPlatform, key: dict[str, Any]) -> httpx.Response:
    """Revoke ``key`` with the platform's own secret key."""
    with platform.client() as api:
        return api.delete(platform.team(f"/keys/{key['id']}"))


def roll(platform: OwnPlatform, key: dict[str, Any], **body: Any) -> httpx.Response:
    """Roll ``key``; ``expiresIn=`` gives the old secret a grace period."""
    with platform.client() as api:
        return api.post(platform.team(f"/keys/{key['id']}/roll"), json=body)


def test_revoking_a_key_ends_its_log_tail_with_exit_4(tail_a_new_key: TailANewKey) -> None:
    platform, key, tail = tail_a_new_key()
    assert revoke(platform, key).status_code == 200
    assert tail.exit_code() == 4, tail.said
    # the key came with --api-key: the hint says where keys come from, not `cstar login`
    assert "revoked" in tail.said and "--api-key" in tail.said
    assert "Traceback" not in tail.said
    with platform.client(key["secret"]) as revoked:
        assert revoked.get(platform.team("/tickets")).status_code == 401


def test_rolling_without_grace_ends_the_stream_at_once(tail_a_new_key: TailANewKey) -> None:
    platform, key, tail = tail_a_new_key("--json")
    assert roll(platform, key).status_code == 200
    assert tail.exit_code() == 4, tail.said
    error = json.loads(tail.stderr[-1])["error"]
    assert error["code"] == "invalid_api_key" and error["type"] == "authentication_error"


def test_the_end_of_a_grace_period_ends_the_stream(tail_a_new_key: TailANewKey) -> None:
    platform, key, tail = tail_a_new_key()
    assert roll(platform, key, expiresIn=3600).status_code == 200
    with platform.client(key["secret"]) as old:
        assert old.get(platform.team("/tickets")).status_code == 200  # still in its grace period
    assert tail.proc.poll() is None
    platform.clock.advance(3601)
    assert tail.exit_code() == 4, tail.said
    assert "expired" in tail.said


def test_a_dead_key_is_never_rolled_back_to_life(own_platform: Start) -> None:
    platform = own_platform()
    revoked, graced = new_key(platform, "revoked"), new_key(platform, "graced")
    revoke(platform, revoked)
    answers = [roll(platform, revoked)]
    assert roll(platform, graced, expiresIn=60).status_code == 200
    answers.append(roll(platform, graced, expiresIn=600))
    platform.clock.advance(61)
    answers.append(roll(platform, graced, expiresIn=600))
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
            await asyncio.to_thread(revoke, platform, key)
            frame: dict[str, Any] = {}
            while frame.get("type") != "error":
                frame = json.loads(await ws.recv())
            code, reason = await close_of(ws)
            return frame, code, reason

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
    listen = ["listen", "--forward-to", "http://127.0.0.1:9/hooks", "--device-name", "lifecycle"]
    with cstar_process(*listen, *login_options(platform.server, key["secret"])) as proc:
        assert proc.stdout is not None
        ready = proc.stdout.readline()
        assert "Ready!" in ready, ready
        assert revoke(platform, key).status_code == 200
        _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 4, stderr
    assert "`cstar listen` stopped: the API key was revoked" in stderr
    assert "Traceback" not in stderr and "Unexpected error" not in stderr
