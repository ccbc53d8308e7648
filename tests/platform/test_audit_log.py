"""The audit log (D42) over a real socket: every write, by whom and from where, in the write's
own transaction, never a secret; read-only, secret keys only, filters, 90 days."""

from __future__ import annotations

import json
from typing import Any

import httpx

from cstar_cli.wire.keys import SECRET_PATTERN
from cstar_cli.wire.protocol import CLI_USER_AGENT, MCP_USER_AGENT
from tests.support.platforms import OwnPlatform, Start, data


def entries(staff: httpx.Client, platform: OwnPlatform, **params: Any) -> list[dict[str, Any]]:
    answer = staff.get(platform.team("/audit-log"), params={"pageSize": 100, **params})
    assert answer.status_code == 200, answer.text
    found: list[dict[str, Any]] = answer.json()["data"]
    return found


def test_writes_are_audited_with_actor_source_and_details(own_platform: Start) -> None:
    platform = own_platform()
    with platform.client() as staff:
        ticket = data(staff.post(platform.team("/tickets"), json={"title": "Printer"}), 201)
        staff.patch(
            platform.team(f"/tickets/{ticket['id']}"),
            json={"status": "closed", "priority": "high"},
            headers={"User-Agent": CLI_USER_AGENT},
        )
        staff.post(
            platform.team("/customers"),
            json={"name": "Ada", "email": "ada@x.io"},
            headers={"User-Agent": MCP_USER_AGENT},
        )
        staff.post(platform.team("/categories"), json={"name": "Billing"})
        refused = staff.post(platform.team("/customers"), json={"name": "No email"})
        assert refused.status_code == 400
        log = entries(staff, platform)
    actions = [e["action"] for e in log]
    assert actions == ["category.created", "customer.created", "ticket.updated", "ticket.created"]
    update = log[2]
    assert update["resourceType"] == "ticket" and update["resourceId"] == ticket["id"]
    assert update["details"] == {"status": "closed", "priority": "high"}
    assert update["actorType"] == "api_key" and update["actorName"]
    assert update["actorId"].startswith("key_")
    assert update["source"] == "cli"
    assert log[1]["source"] == "mcp" and log[0]["source"] == "api"
    assert log[0]["id"].startswith("aud_") and log[0]["details"]["name"] == "Billing"


def test_no_secret_ever_reaches_the_audit_log(own_platform: Start) -> None:
    platform = own_platform()
    with platform.client() as staff:
        key = data(staff.post(platform.team("/keys"), json={"name": "ci", "type": "secret"}), 201)
        hook = data(
            staff.post(
                platform.team("/webhooks"), json={"url": "http://127.0.0.1:9/h", "events": ["*"]}
            ),
            201,
        )
        rotated = data(staff.post(platform.team(f"/webhooks/{hook['id']}/rotate-secret")))
        rolled = data(staff.post(platform.team(f"/keys/{key['id']}/roll")))
        staff.delete(platform.team(f"/keys/{rolled['id']}"))
        staff.post(platform.team("/webhooks/listen"), json={"deviceName": "laptop"})
        log = entries(staff, platform)
    text = json.dumps(log)
    shown = [key["secret"], rolled["secret"], hook["secret"], rotated["secret"]]
    for secret in [*shown, platform.server.keys.secret_key]:
        assert secret not in text
    assert SECRET_PATTERN.search(text) is None
    actions = {e["action"] for e in log}
    assert {"key.created", "key.rolled", "key.revoked", "webhook.created"} <= actions
    assert {"webhook.secret_rotated", "listen_session.opened"} <= actions


def test_a_portal_customer_is_the_actor_and_library_counters_are_not_audited(
    own_platform: Start,
) -> None:
    from tests.platform.test_identity_portal import identity_headers

    platform = own_platform()
    keys = platform.server.keys
    headers = identity_headers(keys.secret_key, "pat@x.io")
    with platform.client(keys.publishable_key) as public:
        made = public.post(platform.team("/tickets"), json={"title": "Help"}, headers=headers)
        assert made.status_code == 201, made.text
        assert public.get(platform.team("/audit-log")).status_code == 403
    with platform.client() as staff:
        article = {"title": "Reset", "status": "published", "isPublic": True}
        slug = data(staff.post(platform.team("/articles"), json=article), 201)["slug"]
        before = len(entries(staff, platform))
        with platform.client(keys.publishable_key) as reader:  # pk_test_: the test library
            library = f"/api/library/local-dev/articles/{slug}"
            assert reader.post(f"{library}/view").status_code == 200
            feedback = reader.post(f"{library}/feedback", json={"rating": "helpful"})
            assert feedback.status_code == 201
        log = entries(staff, platform)
    assert len(log) == before
    [ticket] = [e for e in log if e["action"] == "ticket.created"]
    assert ticket["actorType"] == "customer" and ticket["actorName"] == "pat@x.io"


def test_filters_read_only_and_ninety_days(own_platform: Start) -> None:
    platform = own_platform()
    with platform.client() as staff:
        first = data(
            staff.post(platform.team("/customers"), json={"name": "A", "email": "a@x.io"}), 201
        )
        platform.clock.advance(3600)
        staff.post(platform.team("/customers"), json={"name": "B", "email": "b@x.io"})
        staff.patch(platform.team(f"/customers/{first['id']}"), json={"name": "A2"})
        assert [e["action"] for e in entries(staff, platform, action="customer.updated")] == [
            "customer.updated"
        ]
        by_id = entries(staff, platform, resourceId=first["id"])
        assert [e["action"] for e in by_id] == ["customer.updated", "customer.created"]
        later = entries(staff, platform, since=by_id[0]["createdAt"])
        assert len(later) == 2
        earlier = entries(staff, platform, until=by_id[0]["createdAt"])
        assert [e["resourceId"] for e in earlier] == [first["id"]]
        assert staff.get(platform.team("/audit-log"), params={"since": "soon"}).status_code == 400
        assert staff.post(platform.team("/audit-log"), json={}).status_code in (404, 405)
        platform.clock.advance(89 * 86400)
        assert len(entries(staff, platform)) == 3
        platform.clock.advance(2 * 86400)
        assert entries(staff, platform) == []


def test_a_boss_the_clock_spawns_is_audited_as_the_system(own_platform: Start) -> None:
    platform = own_platform()
    with platform.client() as staff:
        members = data(staff.get(platform.team("/members")))
        agent = next(m for m in members if m["role"] == "agent")
        body = {"title": "Down", "priority": "urgent", "assignedTo": agent["id"]}
        staff.post(platform.team("/tickets"), json=body)
        moved = staff.post(platform.team("/test-helpers/clock/advance"), json={"seconds": 720})
        assert moved.status_code == 200, moved.text
        log = entries(staff, platform)
    [spawned] = [e for e in log if e["action"] == "boss.spawned"]
    assert spawned["actorType"] == "system" and spawned["actorName"] == "system"
    assert spawned["resourceType"] == "boss" and spawned["resourceId"].startswith("bos_")
    [advanced] = [e for e in log if e["action"] == "test_clock.advanced"]
    assert advanced["actorType"] == "api_key" and advanced["details"] == {"seconds": 720}


def test_the_newer_families_are_audited_with_their_resource(own_platform: Start) -> None:
    platform = own_platform()
    with platform.client() as staff:
        member = data(staff.get(platform.team("/members")), 200)[0]
        topic = data(staff.post(platform.team("/community/topics"), json={"name": "Ideas"}), 201)
        post = data(
            staff.post(
                platform.team("/community/posts"),
                json={"title": "Dark mode", "body": "Please", "member_id": member["id"]},
            ),
            201,
        )
        votes = platform.team(f"/community/posts/{post['id']}/votes")
        assert staff.post(votes, json={"member_id": member["id"]}).status_code == 201
        assert staff.delete(votes, params={"member_id": member["id"]}).status_code == 200
        settings = staff.patch(platform.team("/csat/settings"), json={"question": "Happy?"})
        assert settings.status_code == 200, settings.text
        log = entries(staff, platform)
    by_action = {e["action"]: e for e in log}
    assert by_action["community_topic.created"]["resourceId"] == topic["id"]
    assert by_action["community_post.created"]["resourceId"] == post["id"]
    assert by_action["community_post.unvoted"]["resourceId"] == post["id"]
    assert by_action["csat_settings.updated"]["details"] == {"question": "Happy?"}
