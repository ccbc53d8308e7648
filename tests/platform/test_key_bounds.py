"""Keys are bounded (D5, issue 21): 100 working keys per environment (409), 60 minted a minute
per team (429 with Retry-After); revoked and expired keys make room again."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.platforms import OwnPlatform, Start


def create(client: httpx.Client, platform: OwnPlatform, **body: Any) -> httpx.Response:
    return client.post(platform.team("/keys"), json={"name": "bulk", **body})


def fill(client: httpx.Client, platform: OwnPlatform, count: int, **body: Any) -> list[str]:
    """Create ``count`` keys, moving the clock on a minute every 50 so no minute is full."""
    made: list[str] = []
    for number in range(count):
        if number % 50 == 0:
            platform.clock.advance(61)
        response = create(client, platform, **body)
        assert response.status_code == 201, response.text
        made.append(response.json()["data"]["id"])
    return made


def test_the_101st_active_key_of_an_environment_is_a_conflict_with_a_next_step(
    own_platform: Start,
) -> None:
    platform = own_platform()
    with platform.client(platform.server.keys.live_secret_key) as client:
        made = fill(client, platform, 98, environment="test")  # + the 2 seed test keys = 100
        refused = create(client, platform, environment="test")
        assert refused.status_code == 409, refused.text
        error = refused.json()["error"]
        assert error["type"] == "invalid_request_error"
        assert error["code"] == "resource_conflict"
        assert error["message"].startswith("Too many active keys")
        assert "cstar keys revoke" in error["message"]
        assert error["limit"] == 100
        # Another environment has its own 100.
        assert create(client, platform, environment="live").status_code == 201
        # A revoked key makes room; so does one whose grace period ended.
        assert client.delete(platform.team(f"/keys/{made[0]}")).status_code == 200
        assert create(client, platform, environment="test").status_code == 201
        assert create(client, platform, environment="test").status_code == 409
        rolled = client.post(platform.team(f"/keys/{made[1]}/roll"), json={"expiresIn": 60})
        assert rolled.status_code == 409, "a grace period would make 101 working keys"
        rolled = client.post(platform.team(f"/keys/{made[1]}/roll"), json={"expiresIn": 0})
        assert rolled.status_code == 200, "a roll without grace replaces one key with one"
        assert create(client, platform, environment="test").status_code == 409


def test_a_61st_key_within_a_minute_is_rate_limited_with_retry_after(
    own_platform: Start,
) -> None:
    platform = own_platform()
    platform.clock.advance(120)  # the seed keys were minted a while ago
    with platform.client() as client:
        for _ in range(30):
            assert create(client, platform, type="publishable").status_code == 201
        platform.clock.advance(20)
        for _ in range(30):
            assert create(client, platform).status_code == 201
        refused = create(client, platform)
        assert refused.status_code == 429, refused.text
        assert refused.json()["error"]["code"] == "rate_limit_exceeded"
        assert refused.json()["error"]["type"] == "rate_limit_error"
        assert refused.headers["Retry-After"] == "40"  # when the first 30 leave the minute
        assert refused.json()["error"]["retryAfter"] == 40
        platform.clock.advance(40)
        assert create(client, platform).status_code == 201


def test_no_rate_limit_lifts_the_minute_but_not_the_active_bound(own_platform: Start) -> None:
    platform = own_platform(enforce_rate_limits=False)
    with platform.client() as client:
        for _ in range(98):
            assert create(client, platform).status_code == 201
        assert create(client, platform).status_code == 409
