"""``GET /realtime`` (D26) over a real socket: SSE framing, filters, resume, scopes, key end."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from cstar_cli.platform.runner import PlatformThread
from cstar_cli.platform.settings import PlatformSettings
from cstar_cli.wire import catalog
from tests.platform.test_identity_portal import identity_headers
from tests.support.platforms import OwnPlatform
from tests.support.sse import SseTap

Start = Callable[..., OwnPlatform]


@pytest.fixture
def rt(own_platform: Start) -> OwnPlatform:
    return own_platform()


def stream_url(p: OwnPlatform) -> str:
    return p.server.api_base + p.team("/realtime")


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()["data"]
    return body


def stored_events(p: OwnPlatform, key: str | None = None) -> list[dict[str, Any]]:
    with p.client(key) as staff:
        events: list[dict[str, Any]] = staff.get(
            p.team("/events"), params={"pageSize": 100}
        ).json()["data"]
    return list(reversed(events))


def test_a_secret_key_streams_every_event_as_delivered_with_its_id_and_type(
    rt: OwnPlatform,
) -> None:
    keys = rt.server.keys
    with SseTap(
        stream_url(rt), headers={**bearer(keys.secret_key), "Origin": "http://x.test"}
    ) as tap:
        assert tap.status == 200 and tap.headers is not None
        assert tap.headers["content-type"].startswith("text/event-stream")
        assert tap.headers["cache-control"] == "no-cache"
        assert tap.headers["access-control-allow-origin"] == "http://x.test"
        with rt.client() as staff, rt.client(keys.live_secret_key) as live:
            ticket = created(staff.post(rt.team("/tickets"), json={"title": "Printer on fire"}))
            staff.patch(rt.team(f"/tickets/{ticket['id']}"), json={"status": "open"})
            live.post(rt.team("/tickets"), json={"title": "live, not for this stream"})
            staff.post(rt.team("/customers"), json={"name": "Ada", "email": "ada@rt.test"})
        assert tap.wait(lambda t: len(t.events()) == 3)
        assert tap.lines[:2] == ["retry: 2000", ": connected"]
    stored = stored_events(rt)
    assert [(m.id, m.event) for m in tap.events()] == [(e["id"], e["type"]) for e in stored]
    for message, event in zip(tap.events(), stored, strict=True):
        delivered = json.loads(message.data)  # the D11 payload, exactly as delivered …
        assert "origin" not in delivered and "replayOf" not in delivered
        # … which the events API shows with where it came from beside it (D39)
        assert {**delivered, "origin": "action", "replayOf": None} == event


def test_events_patterns_filter_the_stream_and_unknown_ones_are_refused(rt: OwnPlatform) -> None:
    key = bearer(rt.server.keys.secret_key)
    with SseTap(stream_url(rt), headers=key, params={"events": "customer.*,ticket.closed"}) as tap:
        with rt.client() as staff:
            ticket = created(staff.post(rt.team("/tickets"), json={"title": "x"}))
            staff.patch(rt.team(f"/tickets/{ticket['id']}"), json={"status": "closed"})
            staff.post(rt.team("/customers"), json={"name": "Bo", "email": "bo@rt.test"})
        assert tap.wait(lambda t: len(t.events()) == 2)
        assert tap.event_types() == ["ticket.closed", "customer.created"]
    with SseTap(stream_url(rt), headers=key, params={"events": "tickets.*"}) as bad:
        assert bad.status == 400
        error = json.loads(bad.body)["error"]
        assert (error["code"], error["param"]) == ("parameter_invalid", "events")


def test_last_event_id_replays_what_came_after_then_goes_live(rt: OwnPlatform) -> None:
    key = bearer(rt.server.keys.secret_key)
    with rt.client() as staff:
        for n in range(5):
            staff.post(rt.team("/tickets"), json={"title": f"before {n}"})
    before = [e["id"] for e in stored_events(rt)]
    with SseTap(stream_url(rt), headers={**key, "Last-Event-ID": before[1]}) as tap:
        assert tap.wait(lambda t: len(t.events()) == 3)
        with rt.client() as staff:
            staff.post(rt.team("/tickets"), json={"title": "after"})
        assert tap.wait(lambda t: len(t.events()) == 4)
    every = [e["id"] for e in stored_events(rt)]
    assert tap.event_ids() == every[2:]
    with SseTap(stream_url(rt), headers=key, params={"lastEventId": every[-2]}) as by_query:
        assert by_query.wait(lambda t: len(t.events()) == 1)
        assert by_query.event_ids() == every[-1:]
    with SseTap(stream_url(rt), headers={**key, "Last-Event-ID": "evt_nope"}) as unknown:
        assert unknown.status == 400
        assert json.loads(unknown.body)["error"]["param"] == "Last-Event-ID"


def test_a_publishable_key_sees_game_events_and_published_articles_only(rt: OwnPlatform) -> None:
    keys = rt.server.keys
    with SseTap(stream_url(rt), headers=bearer(keys.publishable_key)) as tap:
        with rt.client() as staff:
            staff.post(rt.team("/tickets"), json={"title": "not for the public"})
            staff.post(rt.team("/articles"), json={"title": "Draft", "notes": "secret"})
            staff.post(rt.team("/articles"), json={"title": "Private", "status": "published"})
            public = created(
                staff.post(
                    rt.team("/articles"),
                    json={"title": "Guide", "status": "published", "isPublic": True},
                )
            )
            article = rt.team(f"/articles/{public['id']}")
            staff.patch(article, json={"notes": "staff only"})  # nothing public changed
            staff.patch(article, json={"title": "Guide v2", "notes": "also staff only"})
            staff.post(rt.team("/webhooks/trigger-test"), json={"event": "boss.spawned"})
        assert tap.wait(lambda t: "boss.spawned" in t.event_types())
    assert tap.event_types() == [
        "article.created",
        "article.published",
        "article.updated",
        "boss.spawned",
    ]
    assert tap.event_data()[2]["changes"] == {"title": {"from": "Guide", "to": "Guide v2"}}


def test_an_identity_stream_sees_its_own_tickets_without_staff_fields(rt: OwnPlatform) -> None:
    keys = rt.server.keys
    ada = identity_headers(keys.secret_key, "ada@rt.test")
    params = {
        "key": keys.publishable_key,
        "identity": ada["X-Cstar-Identity"],
        "identityHash": ada["X-Cstar-Identity-Hash"],
        "events": "ticket.*",
    }
    with rt.client() as staff:
        agent = staff.get(rt.team("/members")).json()["data"][1]
        other = created(staff.post(rt.team("/customers"), json={"name": "Bob", "email": "b@r.t"}))
    with SseTap(stream_url(rt), params=params) as tap:
        with rt.client(keys.publishable_key) as portal:
            mine = created(portal.post(rt.team("/tickets"), headers=ada, json={"title": "Help"}))
        with rt.client() as staff:
            staff.post(rt.team("/tickets"), json={"title": "Bob's", "customerId": other["id"]})
            path = rt.team(f"/tickets/{mine['id']}")
            staff.patch(path, json={"notes": "VIP, handle with care"})  # staff only: not sent
            staff.patch(path, json={"assignedTo": agent["id"], "notes": "n2", "priority": "high"})
            staff.post(f"{path}/messages", json={"content": "fraud?", "isInternal": True})
            staff.post(f"{path}/messages", json={"content": "On it!", "sender": "agent"})
        assert tap.wait(lambda t: t.event_types().count("ticket.message_added") == 1)
    assert tap.event_types() == [
        "ticket.created",
        "ticket.updated",
        "ticket.assigned",
        "ticket.message_added",
    ]
    seen = tap.event_data()
    for data in seen:
        assert data["ticket"]["id"] == mine["id"]
        assert not {"assigned_to", "dashboard_url"} & set(data["ticket"])
        assert "sentiment" not in data.get("customer", {})
    updated = seen[1]
    assert updated["changes"] == {"priority": {"from": "normal", "to": "high"}}
    assert updated["ticket"]["assigned_to_name"] == agent["name"]
    assert seen[3]["message"]["content"] == "On it!"
    with rt.client() as staff:
        logged = staff.get(rt.team("/logs"), params={"path": "/realtime"}).json()["data"][0]
    assert "key=redacted" in logged["path"] and "identityHash=redacted" in logged["path"]
    assert (
        keys.publishable_key not in logged["path"] and ada["X-Cstar-Identity"] not in logged["path"]
    )
    assert logged["key"].startswith("pk_test_…")


def test_an_identity_may_come_as_headers_too(rt: OwnPlatform) -> None:
    keys = rt.server.keys
    ada = identity_headers(keys.secret_key, "ada@rt.test")
    headers = {**bearer(keys.publishable_key), **ada}
    with SseTap(stream_url(rt), headers=headers) as tap:
        with rt.client(keys.publishable_key) as portal:
            portal.post(rt.team("/tickets"), headers=ada, json={"title": "Mine"})
        with rt.client() as staff:
            staff.post(rt.team("/tickets"), json={"title": "Not Ada's"})
            staff.post(rt.team("/webhooks/trigger-test"), json={"event": "boss.spawned"})
        assert tap.wait(lambda t: "boss.spawned" in t.event_types())
    titles = [data.get("ticket", {}).get("title") for data in tap.event_data()]
    assert titles == ["Mine", None]


def test_a_stream_needs_a_key_and_a_good_identity(rt: OwnPlatform) -> None:
    keys = rt.server.keys
    with SseTap(stream_url(rt)) as anonymous:
        assert anonymous.status == 401
    forged = {
        "identity": "eyJlbWFpbCI6ImFAYi5jIn0",
        "identityHash": "0" * 64,
        "key": keys.publishable_key,
    }
    with SseTap(stream_url(rt), params=forged) as bad:
        assert bad.status == 401
        assert json.loads(bad.body)["error"]["code"] == "identity_verification_failed"


def test_idle_streams_get_a_heartbeat(own_platform: Start) -> None:
    p = own_platform(realtime_heartbeat=0.05)
    with SseTap(stream_url(p), headers=bearer(p.server.keys.secret_key)) as tap:
        assert tap.wait(lambda t: ": ping" in t.lines)


def test_revoking_the_key_ends_its_stream_with_an_error_event(rt: OwnPlatform) -> None:
    with rt.client() as staff:
        made = created(
            staff.post(rt.team("/keys"), json={"name": "browser", "type": "publishable"})
        )
        with SseTap(stream_url(rt), params={"key": made["secret"]}) as tap:
            assert tap.status == 200
            staff.delete(rt.team(f"/keys/{made['id']}"))
            assert tap.ended.wait(10)
    errors = [m for m in tap.messages if m.event == "error"]
    assert len(errors) == 1
    error = json.loads(errors[0].data)
    assert (error["type"], error["code"]) == ("authentication_error", "invalid_api_key")


def test_stopping_the_platform_ends_open_streams() -> None:
    server = PlatformThread(PlatformSettings()).start()
    url = f"{server.api_base}/api/v1/teams/{server.keys.team_id}/realtime"
    tap = SseTap(url, headers=bearer(server.keys.secret_key))
    server.stop()  # uvicorn would otherwise wait out its graceful timeout for the stream
    assert tap.ended.is_set()
    tap.close()


def test_no_stream_but_the_staffs_sees_a_members_email(rt: OwnPlatform) -> None:
    """Every event type a publishable key or an identity may see, fired, and walked: members
    appear with id and name, never email (issue 21)."""
    keys = rt.server.keys
    ada = identity_headers(keys.secret_key, "ada@emails.test")
    identity = {"identity": ada["X-Cstar-Identity"], "identityHash": ada["X-Cstar-Identity-Hash"]}
    with rt.client() as staff:
        members = staff.get(rt.team("/members")).json()["data"]
    emails = {m["email"] for m in members}
    with (
        SseTap(stream_url(rt), params={"key": keys.publishable_key}) as public,
        SseTap(stream_url(rt), params={"key": keys.publishable_key, **identity}) as portal,
        rt.client() as staff,
    ):
        for event_type in catalog.EVENT_TYPES:
            staff.post(rt.team("/webhooks/trigger-test"), json={"event": event_type})
        with rt.client(keys.publishable_key) as browser:
            mine = created(browser.post(rt.team("/tickets"), headers=ada, json={"title": "Hi"}))
        staff.patch(
            rt.team(f"/tickets/{mine['id']}"),
            json={"assignedTo": members[1]["id"], "priority": "high"},
        )
        staff.post(rt.team("/webhooks/trigger-test"), json={"event": "boss.defeated"})
        for tap in (public, portal):
            assert tap.wait(lambda t: t.event_types().count("boss.defeated") == 2)
    game = {n for n in catalog.EVENT_TYPES if catalog.category_of(n) == "Gamification"}
    assert game <= set(public.event_types())
    assert "ticket.assigned" in portal.event_types()
    for tap in (public, portal):
        for message in tap.messages:
            assert not any(email in message.data for email in emails), message.data
            assert '"email"' not in message.data or message.event.startswith("ticket."), (
                message.data
            )
