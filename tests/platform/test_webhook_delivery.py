"""Signed webhook delivery (D12, D13): verification in Python and Node, retries, restarts, load."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from cstar_cli.client.signing import construct_event
from cstar_cli.platform.runner import PlatformThread
from cstar_cli.platform.settings import PlatformSettings
from tests.client.test_node_crosscheck import run_node
from tests.support.clocks import FakeClock
from tests.support.platforms import OwnPlatform, RunningPlatform
from tests.support.receivers import Received, Receiver
from tests.support.waiting import eventually

DOCUMENTED_HEADERS = {
    "x-signature",
    "x-event-type",
    "x-event-id",
    "x-webhook-id",
    "x-timestamp",
    "x-delivery-attempt",
    "x-cstar-request-id",
    "x-cstar-signature",
}


def subscribe(api: httpx.Client, url: str, events: list[str], **extra: object) -> dict:  # type: ignore[type-arg]
    response = api.post("/webhooks", json={"url": url, "events": events, **extra})
    assert response.status_code == 201, response.text
    return response.json()["data"]  # type: ignore[no-any-return]


def test_ticket_created_arrives_signed_and_verifies_in_python_and_node(api: httpx.Client) -> None:
    with Receiver() as receiver:
        hook = subscribe(api, receiver.url, ["ticket.*"])
        assert hook["secret"].startswith("whsec_")
        assert hook["signingSecret"] == hook["secret"]
        created = api.post("/tickets", json={"title": "Signed delivery", "priority": "high"})
        ticket_id = created.json()["data"]["id"]
        seen = receiver.wait_for(
            lambda rs: any(
                ticket_id.encode() in r.body for r in rs if r.headers["x-webhook-id"] == hook["id"]
            )
        )
    delivery = next(r for r in seen if ticket_id.encode() in r.body)
    assert set(delivery.headers) >= DOCUMENTED_HEADERS
    assert delivery.headers["user-agent"] == "cStar-Webhooks/1.0"
    assert delivery.headers["x-event-type"] == "ticket.created"
    assert delivery.headers["x-delivery-attempt"] == "1"
    assert delivery.headers["x-cstar-request-id"] == created.headers["x-cstar-request-id"]
    event = construct_event(delivery.body, delivery.headers["x-signature"], hook["secret"])
    assert event["type"] == "ticket.created"
    assert event["id"] == delivery.headers["x-event-id"]
    assert event["data"]["ticket"]["id"] == ticket_id
    t = int(delivery.headers["x-signature"].split(",")[0][2:])
    [node] = run_node(
        [
            {
                "body": delivery.body,
                "secret": hook["secret"],
                "x_signature": delivery.headers["x-signature"],
                "x_cstar_signature": delivery.headers["x-cstar-signature"],
                "now": int(time.time()),
                "t": t,
            }
        ]
    )
    assert node["documented"] == {"ok": True, "reason": None}
    assert node["launch_post"] is True


def test_legacy_signature_can_be_dropped(api: httpx.Client) -> None:
    with Receiver() as receiver:
        hook = subscribe(api, receiver.url, ["customer.created"], legacySignature=False)
        api.post(
            "/customers", json={"name": "No Legacy", "email": f"nl{time.time_ns()}@example.com"}
        )
        [delivery] = receiver.wait_for(lambda rs: len(rs) == 1)
    assert delivery.headers["x-webhook-id"] == hook["id"]
    assert "x-cstar-signature" not in delivery.headers
    assert "x-signature" in delivery.headers


def test_a_failing_receiver_is_retried_on_schedule_until_it_succeeds(api: httpx.Client) -> None:
    answers = iter([500, 503, 200])
    with Receiver(respond=lambda _: next(answers)) as receiver:
        hook = subscribe(api, receiver.url, ["article.created"])
        api.post("/articles", json={"title": "Retried"})
        seen = receiver.wait_for(lambda rs: len(rs) == 3)
    assert [r.headers["x-delivery-attempt"] for r in seen] == ["1", "2", "3"]
    assert len({r.headers["x-event-id"] for r in seen}) == 1
    # retry_scale=0.001 in the session platform: 30 s -> 30 ms, 2 min -> 120 ms.
    assert seen[1].at - seen[0].at >= 0.025
    assert seen[2].at - seen[1].at >= 0.11
    attempts = api.get(f"/webhooks/{hook['id']}/deliveries", params={"sort": "createdAt"}).json()[
        "data"
    ]
    assert [(a["attempt"], a["status"], a["responseStatus"]) for a in attempts] == [
        (1, "failed", 500),
        (2, "failed", 503),
        (3, "succeeded", 200),
    ]
    event = api.get(f"/events/{seen[0].headers['x-event-id']}").json()["data"]
    assert [d["status"] for d in event["deliveries"]] == ["failed", "failed", "succeeded"]


def test_an_unreachable_receiver_records_the_error(api: httpx.Client) -> None:
    receiver = Receiver().start()
    url = receiver.url
    receiver.stop()
    hook = subscribe(api, url, ["article.deleted"])
    article = api.post("/articles", json={"title": "Gone"}).json()["data"]
    api.delete(f"/articles/{article['id']}")
    attempts = eventually(
        lambda: api.get(f"/webhooks/{hook['id']}/deliveries", params={"status": "failed"}).json()[
            "data"
        ],
        bool,
        timeout=5,
    )
    assert attempts[0]["error"]
    assert attempts[0]["responseStatus"] is None


def test_pending_retries_survive_a_platform_restart(tmp_path: Path) -> None:
    clock = FakeClock()
    settings = PlatformSettings(
        db_path=str(tmp_path / "r.db"), clock=clock, enforce_rate_limits=False
    )
    answers = iter([500, 200])
    with Receiver(respond=lambda _: next(answers)) as receiver:
        with PlatformThread(settings) as first:
            base = f"{first.api_base}/api/v1/teams/{first.keys.team_id}"
            auth = {"Authorization": f"Bearer {first.keys.secret_key}"}
            hook = httpx.post(
                f"{base}/webhooks", headers=auth, json={"url": receiver.url, "events": ["*"]}
            ).json()["data"]
            httpx.post(f"{base}/tickets", headers=auth, json={"title": "survives"})
            receiver.wait_for(lambda rs: len(rs) == 1)
            eventually(  # the failure is recorded and the next attempt scheduled, then we stop
                lambda: httpx.get(f"{base}/webhooks/{hook['id']}/deliveries", headers=auth).json()[
                    "data"
                ],
                lambda found: {d["status"] for d in found} == {"failed", "pending"},
            )
        clock.advance(31)  # the second attempt is due 30 s after the first failure
        with PlatformThread(settings) as second:
            seen = receiver.wait_for(lambda rs: len(rs) == 2)
            assert second.keys.team_id == first.keys.team_id
    assert [r.headers["x-delivery-attempt"] for r in seen] == ["1", "2"]
    assert seen[0].headers["x-event-id"] == seen[1].headers["x-event-id"]


def test_one_slow_receiver_never_delays_another(api: httpx.Client) -> None:
    answer = threading.Event()

    def stuck(_: Received) -> int:
        answer.wait(30)  # holds its delivery until the fast receiver has had its own
        return 200

    with Receiver(respond=stuck) as slow, Receiver() as fast:
        hooks = [
            subscribe(api, slow.url, ["customer_group.created"]),
            subscribe(api, fast.url, ["customer_group.created"]),
        ]
        try:
            api.post("/webhooks/trigger-test", json={"event": "customer_group.created"})
            slow.wait_for(lambda rs: len(rs) == 1)
            fast.wait_for(lambda rs: len(rs) == 1)  # while the slow one is still answering
        finally:
            answer.set()
            for hook in hooks:
                api.delete(f"/webhooks/{hook['id']}")


def test_100_concurrent_triggers_reach_every_webhook_exactly_once(
    own_platform: Callable[..., OwnPlatform],
) -> None:
    p = own_platform()
    with Receiver() as receiver, p.client() as admin:
        hooks = [
            admin.post(
                p.team("/webhooks"), json={"url": receiver.url, "events": ["ticket.created"]}
            ).json()["data"]["id"]
            for _ in range(3)
        ]

        def fire(_: int) -> str:
            with p.client() as client:
                response = client.post(
                    p.team("/webhooks/trigger-test"), json={"event": "ticket.created"}
                )
                assert response.json()["data"]["webhooks"] == 3
                return str(response.json()["data"]["eventId"])

        with ThreadPoolExecutor(max_workers=20) as pool:
            event_ids = list(pool.map(fire, range(100)))
        receiver.wait_for(lambda rs: len(rs) >= 300, timeout=15)

        def recorded() -> list[str]:
            return [
                d["status"]
                for hook in hooks
                for d in admin.get(
                    p.team(f"/webhooks/{hook}/deliveries"), params={"pageSize": 100}
                ).json()["data"]
            ]

        # Every delivery answered and recorded as succeeded: nothing more will be sent.
        eventually(recorded, lambda statuses: statuses == ["succeeded"] * 300)
        seen = receiver.snapshot()
    counts = Counter(
        (r.headers["x-webhook-id"], r.headers["x-event-id"], r.headers["x-delivery-attempt"])
        for r in seen
    )
    assert len(set(event_ids)) == 100
    assert set(counts.values()) == {1}
    assert {(hook, event) for hook, event, _ in counts} == {
        (h, e) for h in hooks for e in event_ids
    }


def test_webhook_test_rotate_and_resend(api: httpx.Client) -> None:
    with Receiver() as receiver:
        hook = subscribe(api, receiver.url, ["survey.submitted"], isActive=False)
        result = api.post(f"/webhooks/{hook['id']}/test", json={"event": "boss.spawned"}).json()[
            "data"
        ]
        assert result["success"] is True
        assert result["status"] == 200
        assert result["deliveryId"].startswith("del_")
        rotated = api.post(f"/webhooks/{hook['id']}/rotate-secret").json()["data"]
        assert rotated["secret"] != hook["secret"]
        assert "secret" not in api.get(f"/webhooks/{hook['id']}").json()["data"]
        api.patch(f"/webhooks/{hook['id']}", json={"isActive": True})
        fired = api.post("/webhooks/trigger-test", json={"event": "survey.submitted"}).json()[
            "data"
        ]
        first = receiver.wait_for(lambda rs: len(rs) == 2)[-1]
        construct_event(first.body, first.headers["x-signature"], rotated["secret"])
        resent = api.post(
            f"/events/{fired['eventId']}/resend", json={"webhookId": hook["id"]}
        ).json()
        assert resent["data"]["resentTo"] == 1
        again = receiver.wait_for(lambda rs: len(rs) == 3)[-1]
    assert again.headers["x-event-id"] == fired["eventId"]
    assert again.headers["x-delivery-attempt"] == "2"
    assert json.loads(again.body) == json.loads(first.body)


def test_events_api_lists_filters_and_returns_payloads(api: httpx.Client) -> None:
    api.post("/webhooks/trigger-test", json={"event": "player.level_up"})
    listed = api.get("/events", params={"type": "player.*", "pageSize": 5}).json()
    assert listed["data"][0]["type"] == "player.level_up"
    assert set(listed["data"][0]) == {"id", "type", "created_at", "team_id", "livemode", "data"} | {
        "origin",  # where it came from, beside the payload as delivered (D39)
        "replayOf",
    }
    assert listed["data"][0]["origin"] == "synthetic"
    bad = api.get("/events", params={"type": "player.levelup"})
    assert bad.status_code == 400
    assert "player.level_up" in bad.json()["error"]["message"]
    unknown = api.post("/webhooks/trigger-test", json={"event": "ticket.create"})
    assert unknown.status_code == 400
    assert "ticket.created" in unknown.json()["error"]["message"]


def test_live_webhooks_need_https_except_on_loopback(platform: RunningPlatform) -> None:
    with platform.client(platform.live_secret_key) as live:
        refused = live.post(
            platform.team_url("/webhooks"), json={"url": "http://example.com/h", "events": ["*"]}
        )
        assert refused.status_code == 400
        assert refused.json()["error"]["param"] == "url"
        local = live.post(
            platform.team_url("/webhooks"), json={"url": "http://127.0.0.1:9/h", "events": ["*"]}
        )
        assert local.status_code == 201
        live.delete(platform.team_url(f"/webhooks/{local.json()['data']['id']}"))
