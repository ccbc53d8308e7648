"""Deliveries that misbehave (D29): one budget per attempt, 64 KiB read, no hot loop, live-mode
address policy. Receivers here are raw sockets on 127.0.0.1 that break HTTP on purpose."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from cstar_cli.wire.times import parse_iso
from tests.support.platforms import OwnPlatform, Start
from tests.support.raw_receivers import Behaviour, RawReceiver


@pytest.fixture
def receivers() -> Iterator[Callable[[Behaviour], RawReceiver]]:
    made: list[RawReceiver] = []

    def make(behave: Behaviour) -> RawReceiver:
        receiver = RawReceiver(behave)
        made.append(receiver)
        return receiver

    yield make
    for receiver in made:
        receiver.close()


def send_test_event(platform: OwnPlatform, url: str, key: str | None = None) -> dict[str, Any]:
    with platform.client(key) as api:
        made = api.post(platform.team("/webhooks"), json={"url": url, "events": ["ticket.*"]})
        assert made.status_code == 201, made.text
        hook: dict[str, Any] = made.json()["data"]
        result = api.post(platform.team(f"/webhooks/{hook['id']}/test"), json={})
    assert result.status_code == 200, result.text
    outcome: dict[str, Any] = result.json()["data"]
    return outcome


@pytest.mark.parametrize(
    ("head", "drop"),
    [
        (b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", b"x"),  # the body, a byte at a time
        (b"HTTP/1.1 200 OK\r\n", b"X-Slow: y\r\n"),  # the head, a header at a time
    ],
    ids=["body", "headers"],
)
def test_a_receiver_dripping_its_answer_runs_out_of_budget(
    own_platform: Start, receivers: Callable[[Behaviour], RawReceiver], head: bytes, drop: bytes
) -> None:
    platform = own_platform(delivery_budget=0.5)
    stop = threading.Event()

    def drip(conn: socket.socket) -> None:
        receiver.send(conn, head)
        while not stop.wait(0.1):
            receiver.send(conn, drop)

    receiver = receivers(drip)
    outcome = send_test_event(platform, receiver.url)
    stop.set()
    assert outcome["success"] is False and outcome["status"] is None
    assert outcome["error"] == "timeout after 0.5 s"


def test_a_huge_answer_is_never_read_whole(
    own_platform: Start, receivers: Callable[[Behaviour], RawReceiver]
) -> None:
    platform = own_platform()
    total = 150 * 1024 * 1024

    def flood(conn: socket.socket) -> None:
        receiver.send(conn, f"HTTP/1.1 200 OK\r\nContent-Length: {total}\r\n\r\n".encode())
        chunk = b"0" * 65536
        while receiver.sent < total:
            receiver.send(conn, chunk)

    receiver = receivers(flood)
    outcome = send_test_event(platform, receiver.url)
    assert outcome["success"] is True and outcome["status"] == 200
    assert receiver.finished.wait(30)
    assert receiver.sent < 32 * 1024 * 1024  # the platform hung up after 64 KiB (plus buffers)
    with platform.client() as api:
        deliveries = api.get(platform.team("/events"), params={"pageSize": 1}).json()["data"]
        event = api.get(platform.team(f"/events/{deliveries[0]['id']}")).json()["data"]
    assert len(event["deliveries"][0]["responseBody"]) == 2048


def test_a_delivery_that_cannot_start_is_a_failed_attempt_on_the_schedule(
    own_platform: Start,
) -> None:
    platform = own_platform()
    with platform.client() as api:
        hook = api.post(
            platform.team("/webhooks"),
            json={"url": "http://127.0.0.1:9/hooks", "events": ["ticket.created"]},
        ).json()["data"]
        db = platform.server.platform.db
        db.execute(
            "UPDATE webhooks SET url = 'http://127.0.0.1:99999/hooks' WHERE id = ?",
            (hook["id"][4:],),
        )  # stored by an older release that did not check URLs
        api.post(platform.team("/webhooks/trigger-test"), json={"event": "ticket.created"})
        deliveries = _wait_for_deliveries(api, platform, hook["id"], 2)
    failed, retry = sorted(deliveries, key=lambda d: d["attempt"])
    assert failed["status"] == "failed" and "cannot deliver" in failed["error"]
    assert retry["status"] == "pending" and retry["attempt"] == 2
    delay = parse_iso(retry["scheduledAt"]) - parse_iso(failed["finishedAt"])
    assert delay == pytest.approx(30, abs=1)  # the documented first retry, not a hot loop


def _wait_for_deliveries(
    api: Any, platform: OwnPlatform, hook_id: str, count: int
) -> list[dict[str, Any]]:
    done = threading.Event()
    seen: list[dict[str, Any]] = []
    for _ in range(2000):
        seen = api.get(platform.team(f"/webhooks/{hook_id}/deliveries")).json()["data"]
        if len(seen) >= count and any(d["status"] == "failed" for d in seen):
            return seen
        done.wait(0.01)
    raise AssertionError(seen)


def test_live_mode_refuses_link_local_and_metadata_addresses(own_platform: Start) -> None:
    platform = own_platform()
    live = platform.server.keys.live_secret_key
    with platform.client(live) as api:
        for url in (
            "https://169.254.169.254/latest/meta-data",
            "https://[fe80::1]/hooks",
            "https://metadata.google.internal/computeMetadata/v1/",
        ):
            refused = api.post(platform.team("/webhooks"), json={"url": url, "events": ["*"]})
            assert refused.status_code == 400, url
            assert refused.json()["error"]["param"] == "url"
        hook = api.post(
            platform.team("/webhooks"), json={"url": "https://localhost:9/x", "events": ["*"]}
        ).json()["data"]
    platform.server.platform.db.execute(
        "UPDATE webhooks SET url = 'https://169.254.169.254/latest/meta-data' WHERE id = ?",
        (hook["id"][4:],),
    )  # as if it had been stored before the check existed
    with platform.client(live) as api:
        outcome = api.post(platform.team(f"/webhooks/{hook['id']}/test"), json={}).json()["data"]
    assert outcome["success"] is False
    assert outcome["error"].startswith("refused: live-mode webhooks never reach link-local")


def test_test_mode_accepts_private_and_loopback_addresses(own_platform: Start) -> None:
    platform = own_platform()
    with platform.client() as api:
        for url in ("http://10.1.2.3:8080/hooks", "http://localhost:3000/hooks"):
            made = api.post(
                platform.team("/webhooks"), json={"url": url, "events": ["*"], "isActive": False}
            )
            assert made.status_code == 201, made.text
            api.delete(platform.team(f"/webhooks/{made.json()['data']['id']}"))
