"""The keys API (D9) and the events outbox written with every change (D10, D11)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import httpx

from tests.support.platforms import OwnPlatform, RunningPlatform

KEY_SHAPE = re.compile(r"^sk_test_[A-Za-z0-9_-]{32}$")


def test_key_lifecycle_shows_the_secret_once(platform: RunningPlatform, api: httpx.Client) -> None:
    created = api.post("/keys", json={"name": "ci"}).json()["data"]
    secret = created["secret"]
    assert KEY_SHAPE.match(secret)
    assert created["redacted"] == f"sk_test_…{secret[-4:]}" and created["last4"] == secret[-4:]
    listed = api.get("/keys", params={"pageSize": 100}).text
    assert secret not in listed and created["id"] in listed
    fetched = api.get(f"/keys/{created['id']}").json()["data"]
    assert "secret" not in fetched
    with platform.client(secret) as new_client:
        assert new_client.get("/api/v1/auth/whoami").status_code == 200
        assert api.delete(f"/keys/{created['id']}").json()["data"]["deleted"] is True
        revoked = new_client.get("/api/v1/auth/whoami")
    assert revoked.status_code == 401
    assert revoked.json()["error"]["code"] == "invalid_api_key"
    assert api.get(f"/keys/{created['id']}").json()["data"]["revokedAt"] is not None


def test_roll_replaces_a_key_at_once(platform: RunningPlatform, api: httpx.Client) -> None:
    old = api.post("/keys", json={"name": "rolling"}).json()["data"]
    new = api.post(f"/keys/{old['id']}/roll").json()["data"]
    assert new["id"] != old["id"] and new["name"] == "rolling"
    with platform.client(old["secret"]) as a, platform.client(new["secret"]) as b:
        assert a.get("/api/v1/auth/whoami").status_code == 401
        assert b.get("/api/v1/auth/whoami").status_code == 200


def test_roll_with_grace_period_then_key_expired(own_platform: Callable[..., OwnPlatform]) -> None:
    p = own_platform()
    with p.client() as admin:
        old = admin.post(p.team("/keys"), json={"name": "grace"}).json()["data"]
        admin.post(p.team(f"/keys/{old['id']}/roll"), json={"expiresIn": 60})
        with p.client(old["secret"]) as client:
            assert client.get("/api/v1/auth/whoami").status_code == 200
            p.clock.advance(61)
            expired = client.get("/api/v1/auth/whoami")
    assert expired.status_code == 401
    assert expired.json()["error"]["code"] == "key_expired"


def test_a_test_key_manages_test_keys_only(platform: RunningPlatform, api: httpx.Client) -> None:
    refused = api.post("/keys", json={"name": "x", "environment": "live"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "insufficient_permissions"
    environments = {
        k["environment"] for k in api.get("/keys", params={"pageSize": 100}).json()["data"]
    }
    assert environments == {"test"}
    with platform.client(platform.live_secret_key) as live:
        made = live.post(
            platform.team_url("/keys"),
            json={"name": "p", "type": "publishable", "environment": "test"},
        )
        assert made.json()["data"]["secret"].startswith("pk_test_")
        seen = {
            k["environment"]
            for k in live.get(platform.team_url("/keys?pageSize=100")).json()["data"]
        }
    assert seen == {"test", "live"}


def test_every_write_records_its_event_in_the_outbox(
    platform: RunningPlatform, api: httpx.Client
) -> None:
    db = platform.server.platform.db
    before = db.one("SELECT MAX(seq) AS s FROM events")["s"] or 0  # type: ignore[index]
    ticket = api.post("/tickets", json={"title": "evented"}).json()["data"]
    members = api.get("/members").json()["data"]
    api.patch(f"/tickets/{ticket['id']}", json={"status": "closed", "assignedTo": members[1]["id"]})
    api.post(f"/tickets/{ticket['id']}/messages", json={"content": "hi"})
    api.delete(f"/tickets/{ticket['id']}")
    rows = db.all("SELECT * FROM events WHERE seq > ? ORDER BY seq", (before,))
    # Closing an assigned ticket also scores it (player.* events, tests/game); only tickets here.
    types = [r["type"] for r in rows if r["type"].startswith("ticket.")]
    assert types == [
        "ticket.created",
        "ticket.updated",
        "ticket.assigned",
        "ticket.closed",
        "ticket.message_added",
        "ticket.deleted",
    ]
    updated = json.loads(rows[1]["payload"])
    assert set(updated) == {"id", "type", "created_at", "team_id", "livemode", "data"}
    assert re.match(r"^evt_ticket_updated_\d{13}_[A-Za-z0-9]{8}$", updated["id"])
    assert updated["data"]["changes"]["status"] == {"from": "new", "to": "closed"}
    assert updated["data"]["ticket"]["dashboard_url"].endswith(ticket["id"])
    assert updated["livemode"] is False
    assert rows[0]["request_id"].startswith("req_")
