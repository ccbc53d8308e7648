"""Idempotency (D8) and rate limits (D6)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import httpx

from cstar_cli.platform.http.auth import hash_key
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
    caller = db.one("SELECT id FROM api_keys WHERE key_hash = ?", (hash_key(platform.secret_key),))
    assert caller is not None
    with db.transaction():
        db.insert(
            "idempotency_keys",
            {
                "team_id": platform.team_id,
                "livemode": 0,
                "key": f"key_{caller['id']}/{key}",  # each caller has its own keys (D49)
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


def test_a_visitor_cannot_claim_a_key_the_backend_will_use(
    own_platform: Callable[..., OwnPlatform],
) -> None:
    p = own_platform()
    key = {"Idempotency-Key": "order-1001"}
    with p.client(None) as visitor:
        visitor.headers.pop("Authorization", None)
        claimed = visitor.post("/api/library/local-dev/articles/no-such/view", headers=key)
    assert claimed.status_code == 404  # an answer that is kept for replay, to the visitor only
    with p.client(p.server.keys.live_secret_key) as backend:  # the library serves live data
        made = backend.post(p.team("/tickets"), json={"title": "Order 1001"}, headers=key)
    assert made.status_code == 201, made.text
    assert "idempotentReplayed" not in made.json()["meta"]


def test_two_api_keys_never_share_a_key(own_platform: Callable[..., OwnPlatform]) -> None:
    p = own_platform()
    key = {"Idempotency-Key": "same-words"}
    with p.client() as first:
        other = first.post(p.team("/keys"), json={"name": "second"}).json()["data"]["secret"]
        one = first.post(p.team("/tickets"), json={"title": "x"}, headers=key).json()["data"]
    with p.client(other) as second:
        two = second.post(p.team("/tickets"), json={"title": "x"}, headers=key).json()
    assert two["data"]["id"] != one["id"]
    assert "idempotentReplayed" not in two["meta"]
