"""Replay with edits, events from your own objects, and where events came from (D39), over a
real socket with real receivers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from cstar_cli.client.signing import construct_event
from cstar_cli.platform.store import db as db_module
from cstar_cli.platform.store.migrations import MIGRATIONS
from tests.support.platforms import RunningPlatform, Start
from tests.support.receivers import Receiver
from tests.support.sse import SseTap


def subscribe(api: httpx.Client, url: str, events: list[str]) -> dict[str, Any]:
    response = api.post("/webhooks", json={"url": url, "events": events})
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def event(api: httpx.Client, event_id: str) -> dict[str, Any]:
    response = api.get(f"/events/{event_id}")
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def listed(api: httpx.Client, **params: Any) -> list[str]:
    response = api.get("/events", params={"pageSize": 100, **params})
    assert response.status_code == 200, response.text
    return [e["id"] for e in response.json()["data"]]


def test_a_replay_with_edits_is_a_new_event_sent_only_where_the_original_went(
    api: httpx.Client,
) -> None:
    with Receiver() as first, Receiver() as later:
        hook = subscribe(api, first.url, ["ticket.created"])
        ticket = api.post("/tickets", json={"title": "Printer on fire"}).json()["data"]
        [original] = first.matching(
            lambda r: (
                r.event["type"] == "ticket.created"
                and r.event["data"]["ticket"]["id"] == ticket["id"]
            )
        )
        other = subscribe(api, later.url, ["ticket.*"])  # subscribed now: not a recipient
        edited = original.event["data"]
        edited["ticket"]["title"] = "Printer on fire (edited)"
        edited["ticket"]["priority"] = "urgent"
        answer = api.post(f"/events/{original.event['id']}/resend", json={"data": edited})
        assert answer.status_code == 200, answer.text
        result = answer.json()["data"]
        assert result["replayOf"] == original.event["id"]
        assert result["eventId"] != original.event["id"]
        assert result["eventId"].startswith("evt_ticket_created_")
        assert result["targets"] == [hook["id"]]
        assert result["resentTo"] == 1
        [replayed] = first.matching(lambda r: r.event["id"] == result["eventId"])
    # signed as usual, same type, data replaced, and the payload carries no origin
    delivered = construct_event(replayed.body, replayed.headers["x-signature"], hook["secret"])
    assert delivered["type"] == "ticket.created"
    assert delivered["data"] == edited
    assert set(delivered) == {"id", "type", "created_at", "team_id", "livemode", "data"}
    assert b"origin" not in replayed.body and b"replayOf" not in replayed.body
    assert replayed.headers["x-event-id"] == result["eventId"]
    # where it came from, beside its deliveries
    shown = event(api, result["eventId"])
    assert shown["origin"] == "replay" and shown["replayOf"] == original.event["id"]
    assert [d["webhookId"] for d in shown["deliveries"]] == [hook["id"]]
    source = event(api, original.event["id"])
    assert source["origin"] == "action" and source["replayOf"] is None
    # never to other subscribers: the later webhook was never sent the replay
    assert api.get(f"/webhooks/{other['id']}/deliveries").json()["data"] == []
    assert result["eventId"] in listed(api, origin="replay")
    assert original.event["id"] not in listed(api, origin="replay")
    assert original.event["id"] in listed(api, origin="action", type="ticket.created")


def test_a_replay_goes_to_the_chosen_webhook_or_listen_session(api: httpx.Client) -> None:
    with Receiver() as receiver:
        fired = api.post("/webhooks/trigger-test", json={"event": "customer.created"})
        original = fired.json()["data"]["eventId"]
        assert event(api, original)["origin"] == "synthetic"
        hook = subscribe(api, receiver.url, ["survey.submitted"])  # chosen, though unsubscribed
        data = {"customer": {"id": "cus_x", "name": "Ada"}}
        answer = api.post(
            f"/events/{original}/resend", json={"data": data, "webhookId": hook["id"]}
        )
        assert answer.status_code == 200, answer.text
        new_id = answer.json()["data"]["eventId"]
        [got] = receiver.matching(lambda r: r.event["id"] == new_id)
        assert got.event["data"] == data and got.event["type"] == "customer.created"
    session = api.post("/webhooks/listen", json={"deviceName": "replay-test"})
    assert session.status_code == 201, session.text
    session_id = session.json()["data"]["id"]
    try:
        answer = api.post(f"/events/{original}/resend", json={"data": {}, "sessionId": session_id})
        assert answer.status_code == 200, answer.text
        result = answer.json()["data"]
        assert result["targets"] == [session_id]
        queued = event(api, result["eventId"])["deliveries"]
        assert [(d["sessionId"], d["status"]) for d in queued] == [(session_id, "pending")]
    finally:
        api.delete(f"/webhooks/listen/{session_id}")


def test_bad_replays_are_refused_in_the_error_shape_and_record_nothing(
    api: httpx.Client,
) -> None:
    original = api.post("/webhooks/trigger-test", json={"event": "ticket.closed"}).json()["data"]
    before = listed(api, origin="replay")
    too_big = {"blob": "x" * (64 * 1024 + 1)}
    for body, param in [
        ({"data": [1, 2]}, "data"),
        ({"data": "text"}, "data"),
        ({"data": too_big}, "data"),
    ]:
        answer = api.post(f"/events/{original['eventId']}/resend", json=body)
        assert answer.status_code == 400, answer.text
        error = answer.json()["error"]
        assert error["param"] == param, error
    missing = api.post(
        f"/events/{original['eventId']}/resend",
        json={"data": {}, "webhookId": "whk_" + "0" * 32},
    )
    assert missing.status_code == 404, missing.text
    assert missing.json()["error"]["code"] == "resource_missing"
    assert listed(api, origin="replay") == before
    bad = api.get("/events", params={"origin": "imagined"})
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "origin"


def test_trigger_for_an_object_carries_what_a_real_event_carries_today(
    api: httpx.Client,
) -> None:
    with Receiver() as receiver:
        hook = subscribe(api, receiver.url, ["ticket.updated", "ticket.message_added"])
        customer = api.post("/customers", json={"name": "Grace", "email": "g@example.com"})
        ticket = api.post(
            "/tickets",
            json={"title": "Old title", "customerId": customer.json()["data"]["id"]},
        ).json()["data"]
        api.patch(f"/tickets/{ticket['id']}", json={"title": "Current title"})
        [real] = receiver.matching(
            lambda r: (
                r.event["type"] == "ticket.updated"
                and r.event["data"]["ticket"]["id"] == ticket["id"]
            )
        )
        fired = api.post(
            "/webhooks/trigger-test",
            json={
                "event": "ticket.updated",
                "for": ticket["id"],
                "data": {"changes": {"status": {"from": "open"}}},
            },
        )
        assert fired.status_code == 200, fired.text
        event_id = fired.json()["data"]["eventId"]
        [got] = receiver.matching(lambda r: r.event["id"] == event_id)
        assert fired.json()["data"]["webhooks"] == 1
    synthetic = got.event
    assert synthetic["data"]["ticket"] == real.event["data"]["ticket"] | {
        "updated_at": synthetic["data"]["ticket"]["updated_at"]
    }
    assert synthetic["data"]["ticket"]["title"] == "Current title"
    assert synthetic["data"]["changes"] == {"status": {"from": "open"}}
    assert set(synthetic) == {"id", "type", "created_at", "team_id", "livemode", "data"}
    assert event(api, event_id)["origin"] == "synthetic"
    assert hook["id"] in [d["webhookId"] for d in event(api, event_id)["deliveries"]]
    no_messages = api.post(
        "/webhooks/trigger-test", json={"event": "ticket.message_added", "for": ticket["id"]}
    )
    assert no_messages.status_code == 400 and no_messages.json()["error"]["param"] == "for"


def test_trigger_for_the_wrong_object_names_the_types_that_fit(api: httpx.Client) -> None:
    customer = api.post("/customers", json={"name": "Linus", "email": "l@example.com"})
    customer_id = customer.json()["data"]["id"]
    wrong = api.post("/webhooks/trigger-test", json={"event": "ticket.created", "for": customer_id})
    assert wrong.status_code == 400, wrong.text
    error = wrong.json()["error"]
    assert error["param"] == "for"
    assert "customer.created, customer.updated, customer.deleted" in error["message"]
    gone = api.post(
        "/webhooks/trigger-test", json={"event": "ticket.created", "for": "tkt_" + "a" * 32}
    )
    assert gone.status_code == 400 and gone.json()["error"]["param"] == "for"
    made = api.post(
        "/webhooks/trigger-test", json={"event": "customer.updated", "for": customer_id}
    )
    assert made.status_code == 200, made.text
    shown = event(api, made.json()["data"]["eventId"])
    assert shown["data"]["customer"]["email"] == "l@example.com"
    assert shown["data"]["changes"] == {}


def test_publishable_keys_may_neither_replay_nor_trigger(
    api: httpx.Client, platform: RunningPlatform
) -> None:
    original = api.post("/webhooks/trigger-test", json={"event": "ticket.created"}).json()["data"]
    with platform.client(platform.publishable_key) as public:
        resend = public.post(
            platform.team_url(f"/events/{original['eventId']}/resend"), json={"data": {}}
        )
        trigger = public.post(
            platform.team_url("/webhooks/trigger-test"),
            json={"event": "ticket.created", "for": "tkt_" + "a" * 32},
        )
    assert resend.status_code == 403 and trigger.status_code == 403


def test_a_reset_clears_replays_and_synthetic_events(own_platform: Start) -> None:
    own = own_platform()
    with own.client() as http:
        fired = http.post(own.team("/webhooks/trigger-test"), json={"event": "ticket.created"})
        event_id = fired.json()["data"]["eventId"]
        replay = http.post(own.team(f"/events/{event_id}/resend"), json={"data": {"a": 1}})
        assert replay.status_code == 200, replay.text
        for origin in ("synthetic", "replay"):
            answer = http.get(own.team("/events"), params={"origin": origin})
            assert len(answer.json()["data"]) == 1
        assert http.post(own.team("/test-helpers/reset")).status_code == 200
        for origin in ("synthetic", "replay"):
            assert http.get(own.team("/events"), params={"origin": origin}).json()["data"] == []


def test_a_replay_never_reaches_a_realtime_stream(own_platform: Start) -> None:
    own = own_platform()
    url = own.server.api_base + own.team("/realtime")
    auth = {"Authorization": f"Bearer {own.server.keys.secret_key}"}
    with SseTap(url, headers=auth) as tap, own.client() as http:
        http.post(own.team("/tickets"), json={"title": "Streamed"})
        assert tap.wait(lambda t: len(t.events()) == 1)
        [original] = tap.events()
        replay = http.post(own.team(f"/events/{original.id}/resend"), json={"data": {"a": 1}})
        assert replay.status_code == 200, replay.text
        later = http.post(own.team("/customers"), json={"name": "Ada", "email": "a@rt.test"})
        assert later.status_code == 201
        # the stream is in event order: once the later event is there, the replay never was
        assert tap.wait(lambda t: any(m.event == "customer.created" for m in t.events()))
    assert [m.event for m in tap.events()] == ["ticket.created", "customer.created"]
    assert replay.json()["data"]["eventId"] not in [m.id for m in tap.events()]


def test_events_recorded_before_origin_existed_are_actions_or_synthetic_tests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = next(i for i, script in enumerate(MIGRATIONS) if "replay_of" in script)
    path = str(tmp_path / "old.db")
    monkeypatch.setattr(db_module, "MIGRATIONS", MIGRATIONS[:mine])  # the schema before origin
    old = db_module.Database(path)
    with old.transaction():
        for event_id, fan_out in (("evt_a", 1), ("evt_webhook_test", 0)):
            old.insert(
                "events",
                {
                    "id": event_id,
                    "team_id": "t",
                    "livemode": 0,
                    "type": "ticket.created",
                    "payload": "{}",
                    "created_at": "2026-01-01T00:00:00.000Z",
                    "fan_out": fan_out,
                },
            )
    old.close()
    monkeypatch.setattr(db_module, "MIGRATIONS", MIGRATIONS)
    new = db_module.Database(path)
    rows = new.all("SELECT id, origin, replay_of FROM events ORDER BY seq")
    new.close()
    assert rows == [
        {"id": "evt_a", "origin": "action", "replay_of": None},
        {"id": "evt_webhook_test", "origin": "synthetic", "replay_of": None},
    ]
