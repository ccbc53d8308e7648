"""Idempotency (D8) and rate limits (D6)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import httpx

from tests.support.platforms import OwnPlatform, RunningPlatform


def test_replay_returns_the_stored_response(api: httpx.Client, platform: RunningPlatform) -> None:
    key = {"Idempotency-Key": f"unique-request-id-{uuid.uuid4()}"}
    body = {"title": "Network issue", "priority": "high"}
    first = api.post("/tickets", json=body, headers=key)
    second = api.post("/tickets", json=body, headers=key)
    assert first.status_code == second.status_code == 201
    assert second.json()["data"] == first.json()["data"]
    assert second.json()["meta"]["requestId"] == first.json()["meta"]["requestId"]
    assert second.json()["meta"]["idempotentReplayed"] is True
    assert "idempotentReplayed" not in first.json()["meta"]
    assert second.headers["Idempotent-Replayed"] == "true"
    assert second.headers["x-cstar-request-id"] == first.headers["x-cstar-request-id"]
    rows = platform.server.platform.db.all(
        "SELECT id FROM events WHERE type = 'ticket.created' AND payload LIKE ?",
        (f"%{first.json()['data']['id']}%",),
    )
    assert len(rows) == 1, "a replay must not create a second ticket or event"


def test_same_key_different_request_is_409(api: httpx.Client) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    assert api.post("/tickets", json={"title": "one"}, headers=key).status_code == 201
    for method, path, body in [
        ("POST", "/tickets", {"title": "two"}),
        ("POST", "/customers", {"title": "one"}),
    ]:
        response = api.request(method, path, json=body, headers=key)
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "idempotency_key_reused"


def test_key_still_running_is_409_in_use(api: httpx.Client, platform: RunningPlatform) -> None:
    key = str(uuid.uuid4())
    db = platform.server.platform.db
    with db.transaction():
        db.insert(
            "idempotency_keys",
            {
                "team_id": platform.team_id,
                "livemode": 0,
                "key": key,
                "method": "POST",
                "path": f"/api/v1/teams/{platform.team_id}/tickets",
                "body_hash": "x",
                "state": "in_progress",
                "request_id": "req_x",
                "created_at": platform.server.platform.now(),
            },
        )
    response = api.post("/tickets", json={"title": "x"}, headers={"Idempotency-Key": key})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_key_in_use"


def test_failed_validation_is_not_stored_so_a_fixed_retry_runs(api: httpx.Client) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    assert api.post("/tickets", json={"priority": "high"}, headers=key).status_code == 400
    assert api.post("/tickets", json={"priority": "high"}, headers=key).status_code == 400


def test_keys_are_scoped_per_environment(platform: RunningPlatform) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    with platform.client() as test, platform.client(platform.live_secret_key) as live:
        a = test.post(platform.team_url("/tickets"), json={"title": "x"}, headers=key)
        b = live.post(platform.team_url("/tickets"), json={"title": "x"}, headers=key)
    assert a.json()["data"]["id"] != b.json()["data"]["id"]
    assert "idempotentReplayed" not in b.json()["meta"]


def test_keys_expire_after_24_hours(own_platform: Callable[..., OwnPlatform]) -> None:
    p = own_platform()
    key = {"Idempotency-Key": "k1"}
    with p.client() as client:
        first = client.post(p.team("/tickets"), json={"title": "x"}, headers=key).json()
        p.clock.advance(24 * 3600 + 1)
        later = client.post(p.team("/tickets"), json={"title": "x"}, headers=key).json()
    assert later["data"]["id"] != first["data"]["id"]


def test_rate_limit_is_enforced_with_retry_after(own_platform: Callable[..., OwnPlatform]) -> None:
    p = own_platform(rate_limits={"secret": 3, "publishable": 1})
    with p.client() as client:
        seen = [client.get("/api/v1/auth/whoami") for _ in range(4)]
        assert [r.status_code for r in seen] == [200, 200, 200, 429]
        assert [r.headers["x-ratelimit-remaining"] for r in seen] == ["2", "1", "0", "0"]
        limited = seen[-1]
        body = limited.json()["error"]
        assert body["type"] == "rate_limit_error" and body["code"] == "rate_limit_exceeded"
        assert int(limited.headers["Retry-After"]) == body["retryAfter"] == 3600
        p.clock.advance(3600)
        assert client.get("/api/v1/auth/whoami").status_code == 200
    with p.client(p.server.keys.publishable_key) as public:
        assert public.get("/api/v1/auth/whoami").status_code == 200
        assert public.get("/api/v1/auth/whoami").status_code == 429


def test_no_rate_limit_keeps_headers_but_never_refuses(
    own_platform: Callable[..., OwnPlatform],
) -> None:
    p = own_platform(rate_limits={"secret": 2, "publishable": 1}, enforce_rate_limits=False)
    with p.client() as client:
        responses = [client.get("/api/v1/auth/whoami") for _ in range(5)]
    assert {r.status_code for r in responses} == {200}
    assert responses[-1].headers["x-ratelimit-limit"] == "2"
    assert responses[-1].headers["x-ratelimit-remaining"] == "0"
