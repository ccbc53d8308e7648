"""Timers follow the team clock (D37): advancing a test-mode team's clock fires the webhook
retries that fell due before it answers, in due order and stamped with their due times; grace
periods and idempotency keys end on it; what test mode stores carries team time; signatures keep
real time. Each test has a platform of its own (its base clock frozen unless said otherwise)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from cstar_cli.client.signing import construct_event
from cstar_cli.wire.times import iso, parse_iso
from tests.support.platforms import OwnPlatform
from tests.support.receivers import Receiver
from tests.support.waiting import eventually

Start = Callable[..., OwnPlatform]
CHAIN = (30, 120, 600, 3600, 6 * 3600)
"""The waits before attempts 2 to 6 (D13)."""


def data(response: httpx.Response) -> Any:
    assert response.is_success, response.text
    return response.json()["data"]


def advance(p: OwnPlatform, api: httpx.Client, seconds: float) -> dict[str, Any]:
    answer: dict[str, Any] = data(
        api.post(p.team("/test-helpers/clock/advance"), json={"seconds": seconds})
    )
    return answer


def failing_webhook(p: OwnPlatform, api: httpx.Client, url: str) -> tuple[str, str]:
    """A webhook at ``url`` and the event of a new ticket sent to it once; ``(hook, event)``
    once its first attempt is recorded (failed) and the next one scheduled."""
    hook = data(api.post(p.team("/webhooks"), json={"url": url, "events": ["ticket.created"]}))
    api.post(p.team("/tickets"), json={"title": "Retried on the team clock"})
    attempts = eventually(
        lambda: deliveries(p, api, hook["id"]),
        lambda found: [a["status"] for a in found] == ["failed", "pending"],
        explain=lambda found: f"the first attempt was never recorded: {found}",
    )
    return hook["id"], attempts[0]["eventId"]


def deliveries(p: OwnPlatform, api: httpx.Client, hook_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = data(
        api.get(p.team(f"/webhooks/{hook_id}/deliveries"), params={"sort": "createdAt"})
    )
    return found


def test_advancing_30_s_sends_a_failed_webhooks_retry_before_it_answers(
    own_platform: Start,
) -> None:
    p = own_platform()
    answers = iter([500, 200])
    with Receiver(respond=lambda _: next(answers)) as receiver, p.client() as api:
        hook = data(
            api.post(p.team("/webhooks"), json={"url": receiver.url, "events": ["ticket.*"]})
        )
        api.post(p.team("/tickets"), json={"title": "Flaky receiver"})
        receiver.wait_for(lambda rs: len(rs) == 1)  # attempt 1 answered 500 (maybe not recorded)
        moved = advance(p, api, 30)
        seen = receiver.snapshot()  # no waiting: the advance answered after the retry
        attempts = deliveries(p, api, hook["id"])
    assert moved["pending"] == 0
    assert [r.headers["x-delivery-attempt"] for r in seen] == ["1", "2"]
    assert [(a["attempt"], a["status"]) for a in attempts] == [(1, "failed"), (2, "succeeded")]
    start = p.clock.now
    assert attempts[0]["finishedAt"] == iso(start)
    assert attempts[1]["createdAt"] == iso(start)  # scheduled when attempt 1 failed
    assert attempts[1]["scheduledAt"] == attempts[1]["finishedAt"] == iso(start + 30)


def test_a_retry_chain_across_a_long_advance_fires_in_due_order_stamped_with_due_times(
    own_platform: Start,
) -> None:
    p = own_platform()
    with Receiver(status=503) as receiver, p.client() as api:
        hook_id, event_id = failing_webhook(p, api, receiver.url)
        start = p.clock.now
        moved = advance(p, api, 2 * 3600)  # attempts 2-5 fall due (30 s … 1 h after each other)
        seen = receiver.snapshot()
        attempts = deliveries(p, api, hook_id)
        event = data(api.get(p.team(f"/events/{event_id}")))
    assert moved["pending"] == 0
    assert [r.headers["x-delivery-attempt"] for r in seen] == ["1", "2", "3", "4", "5"]
    due = [start]
    for wait in CHAIN:
        due.append(due[-1] + wait)
    assert [(a["attempt"], a["status"]) for a in attempts] == [
        *((n, "failed") for n in range(1, 6)),
        (6, "pending"),
    ]
    assert [a["scheduledAt"] for a in attempts[1:]] == [iso(at) for at in due[1:]]
    assert [a["finishedAt"] for a in attempts[:5]] == [iso(at) for at in due[:5]]
    assert [a["createdAt"] for a in attempts[1:]] == [iso(at) for at in due[:5]]
    assert [d["attempt"] for d in event["deliveries"]] == [1, 2, 3, 4, 5, 6]


def test_an_advance_that_cannot_wait_answers_pending_and_the_rest_goes_on(
    own_platform: Start,
) -> None:
    p = own_platform(advance_wait=0.05)
    release = threading.Event()

    def respond(request: Any) -> int:
        if request.headers["x-delivery-attempt"] == "1":
            return 500
        release.wait(30)  # holds attempt 2 until the advance has answered
        return 200

    with Receiver(respond=respond) as receiver, p.client() as api:
        hook_id, _ = failing_webhook(p, api, receiver.url)
        try:
            moved = advance(p, api, 60)
        finally:
            release.set()
        attempts = eventually(
            lambda: deliveries(p, api, hook_id), lambda found: found[-1]["status"] != "pending"
        )
    assert moved["pending"] == 1 and moved["offsetSeconds"] == 60
    assert [(a["attempt"], a["status"]) for a in attempts] == [(1, "failed"), (2, "succeeded")]
    assert attempts[1]["finishedAt"] == iso(p.clock.now + 30)  # its due time, all the same
    assert len(receiver.snapshot()) == 2


def test_resetting_the_clock_fires_nothing_and_lists_keep_creation_order(
    own_platform: Start,
) -> None:
    p = own_platform()

    def customer(api: httpx.Client, name: str) -> dict[str, Any]:
        body = {"name": name, "email": f"{name}@example.com"}
        made: dict[str, Any] = data(api.post(p.team("/customers"), json=body))
        return made

    with Receiver(status=500) as receiver, p.client() as api:
        hook_id, _ = failing_webhook(p, api, receiver.url)
        first = customer(api, "first")
        advance(p, api, 86400)  # attempts 2-6 fall due; 7 is due a day after 6
        second = customer(api, "second")
        before = (len(receiver.snapshot()), deliveries(p, api, hook_id))
        reset = data(api.post(p.team("/test-helpers/clock/reset")))
        after = (len(receiver.snapshot()), deliveries(p, api, hook_id))
        third = customer(api, "third")
        oldest = data(api.get(p.team("/customers"), params={"sort": "createdAt"}))
        newest = data(api.get(p.team("/customers"), params={"pageSize": 3}))
    assert reset["pending"] == 0 and reset["offsetSeconds"] == 0
    assert before == after and before[0] == 6 and before[1][-1]["status"] == "pending"
    assert third["createdAt"] < second["createdAt"]  # the clock went back; nothing was moved
    mine = [c["id"] for c in oldest if c["id"] in (first["id"], second["id"], third["id"])]
    assert mine == [first["id"], second["id"], third["id"]]
    assert [c["id"] for c in newest] == [third["id"], second["id"], first["id"]]


def test_test_mode_stamps_deliveries_keys_and_log_entries_with_team_time(
    own_platform: Start,
) -> None:
    p = own_platform()
    with Receiver() as receiver, p.client() as api:
        moved = advance(p, api, 86400)
        team_now = iso(p.clock.now + 86400)
        assert moved["now"] == team_now
        key = data(api.post(p.team("/keys"), json={"name": "made a day ahead"}))
        with p.client(key["secret"]) as fresh:
            assert fresh.get(p.team("/tickets")).status_code == 200
        used = data(api.get(p.team(f"/keys/{key['id']}")))
        hook = data(api.post(p.team("/webhooks"), json={"url": receiver.url, "events": ["*"]}))
        api.post(p.team("/customers"), json={"name": "Ada", "email": "ada@example.com"})
        receiver.wait_for(lambda rs: len(rs) == 1)
        [attempt] = eventually(
            lambda: deliveries(p, api, hook["id"]),
            lambda found: len(found) == 1 and found[0]["status"] == "succeeded",
        )
        logged = data(api.get(p.team("/logs"), params={"pageSize": 5}))
        with p.client(p.server.keys.live_secret_key) as live:
            live_key = data(
                live.post(p.team("/keys"), json={"name": "live", "environment": "live"})
            )
    assert key["createdAt"] == used["lastUsedAt"] == team_now
    assert attempt["createdAt"] == attempt["scheduledAt"] == attempt["finishedAt"] == team_now
    assert {entry["createdAt"] for entry in logged} == {team_now}
    assert live_key["createdAt"] == iso(p.clock.now)  # live mode keeps real time


def rolled_key(p: OwnPlatform, expires_in: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """A new key, rolled with a grace period of ``expires_in`` seconds: the old one, the new."""
    with p.client() as api:
        key = data(api.post(p.team("/keys"), json={"name": "rolled"}))
        rolled = data(api.post(p.team(f"/keys/{key['id']}/roll"), json={"expiresIn": expires_in}))
    return key, rolled


def test_a_rolled_keys_grace_period_ends_when_the_team_clock_passes_it(
    own_platform: Start,
) -> None:
    p = own_platform()
    key, rolled = rolled_key(p, 3600)
    with p.client() as api:
        assert data(api.get(p.team(f"/keys/{key['id']}")))["expiresAt"] == iso(p.clock.now + 3600)
        with p.client(key["secret"]) as old:
            assert old.get(p.team("/tickets")).status_code == 200
            advance(p, api, 3599)
            assert old.get(p.team("/tickets")).status_code == 200
            advance(p, api, 1)
            expired = old.get(p.team("/tickets"))
        with p.client(rolled["secret"]) as new:
            assert new.get(p.team("/tickets")).status_code == 200
    assert expired.status_code == 401 and expired.json()["error"]["code"] == "key_expired"


def test_an_idempotency_key_expires_on_the_team_clock(own_platform: Start) -> None:
    p = own_platform()
    with p.client() as api:

        def create() -> httpx.Response:
            return api.post(
                p.team("/tickets"), json={"title": "once a day"}, headers={"Idempotency-Key": "k1"}
            )

        first = create()
        advance(p, api, 24 * 3600 - 1)
        replayed = create()
        advance(p, api, 2)
        again = create()
    assert replayed.headers.get("idempotent-replayed") == "true"
    assert replayed.json()["data"]["id"] == first.json()["data"]["id"]
    assert again.status_code == 201 and "idempotent-replayed" not in again.headers
    assert again.json()["data"]["id"] != first.json()["data"]["id"]


def test_signatures_keep_real_time_after_a_day_of_advance(own_platform: Start) -> None:
    p = own_platform(clock=time.time)
    answers = iter([500, 200])
    with Receiver(respond=lambda _: next(answers)) as receiver, p.client() as api:
        hook = data(
            api.post(p.team("/webhooks"), json={"url": receiver.url, "events": ["ticket.*"]})
        )
        api.post(p.team("/tickets"), json={"title": "Signed on real time"})
        receiver.wait_for(lambda rs: len(rs) == 1)
        moved = advance(p, api, 86400)
        seen = receiver.snapshot()
    assert moved["pending"] == 0 and len(seen) == 2
    for delivery in seen:  # verified against this machine's clock, 300 s tolerance (D13)
        event = construct_event(delivery.body, delivery.headers["x-signature"], hook["secret"])
        assert event["type"] == "ticket.created"
    signed_at = parse_iso(seen[1].headers["x-timestamp"])
    assert signed_at < parse_iso(moved["now"]) - 3600  # real time, a day behind the team's


def test_the_end_of_a_grace_period_on_the_team_clock_closes_the_keys_streams(
    own_platform: Start,
) -> None:
    p = own_platform()
    key, _ = rolled_key(p, 600)
    url = p.server.api_base.replace("http", "ws", 1) + p.team("/logs/stream")

    def move() -> None:
        with p.client() as api:
            advance(p, api, 600)

    async def watch() -> tuple[dict[str, Any], int]:
        headers = {"Authorization": f"Bearer {key['secret']}"}
        async with connect(url, additional_headers=headers) as ws:
            await ws.send(json.dumps({"type": "hello", "after": None}))
            assert json.loads(await ws.recv())["type"] == "ready"  # still in its grace period
            await asyncio.to_thread(move)
            frame: dict[str, Any] = {}
            while frame.get("type") != "error":
                frame = json.loads(await ws.recv())
            with pytest.raises(ConnectionClosed) as closed:
                await ws.recv()
        assert closed.value.rcvd is not None
        return frame, closed.value.rcvd.code

    frame, code = asyncio.run(watch())
    assert frame["code"] == "key_expired" and code == 4401
