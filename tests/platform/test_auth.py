"""Authentication, key types, environments and team isolation (facts §1, D9)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from cstar_cli.platform.seed import seed
from tests.support.platforms import RunningPlatform


def error_of(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    assert body["success"] is False
    assert body["error"]["request_id"] == body["meta"]["requestId"]
    assert response.headers["x-cstar-request-id"] == body["meta"]["requestId"]
    error: dict[str, Any] = body["error"]
    return error


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (None, "authentication_required"),
        ("Basic abc", "authentication_required"),
        ("Bearer  sk_test_" + "a" * 32, "authentication_required"),
        ("Bearer xk_test_" + "a" * 32, "invalid_key_format"),
        ("Bearer sk_test_short", "invalid_api_key"),
        ("Bearer sk_test_" + "a" * 32, "invalid_api_key"),
    ],
)
def test_bad_credentials_are_401_with_the_documented_code(
    platform: RunningPlatform, header: str | None, code: str
) -> None:
    headers = {} if header is None else {"Authorization": header}
    response = httpx.get(platform.team_url("/tickets"), headers=headers)
    assert response.status_code == 401
    error = error_of(response)
    assert error["type"] == "authentication_error"
    assert error["code"] == code


def test_whoami_names_team_key_type_and_environment(platform: RunningPlatform) -> None:
    with platform.client(platform.publishable_key) as client:
        data = client.get("/api/v1/auth/whoami").json()["data"]
    assert data["teamId"] == platform.team_id
    assert data["keyType"] == "publishable"
    assert data["environment"] == "test"
    assert data["teamSlug"] == "local-dev"


def test_publishable_keys_read_public_data_but_never_write(platform: RunningPlatform) -> None:
    # D23: a publishable key reads articles, the game and whoami; tickets need a secret key.
    with platform.client(platform.publishable_key) as client:
        assert client.get(platform.team_url("/articles")).status_code == 200
        assert client.get(platform.team_url("/game/leaderboard")).status_code == 200
        assert error_of(client.get(platform.team_url("/tickets")))["code"] == (
            "insufficient_permissions"
        )
        for method, path in [
            ("POST", "/tickets"),
            ("PATCH", "/customers/x"),
            ("DELETE", "/articles/x"),
        ]:
            response = client.request(method, platform.team_url(path), json={"title": "x"})
            assert response.status_code == 403
            error = error_of(response)
            assert (error["type"], error["code"]) == (
                "authorization_error",
                "publishable_key_write",
            )
            assert "sk_test_" in error["message"]


def test_publishable_keys_cannot_even_list_keys(platform: RunningPlatform) -> None:
    with platform.client(platform.publishable_key) as client:
        response = client.get(platform.team_url("/keys"))
    assert response.status_code == 403
    assert error_of(response)["code"] == "insufficient_permissions"


def test_test_and_live_data_never_meet(platform: RunningPlatform) -> None:
    with platform.client(platform.live_secret_key) as live, platform.client() as test:
        created = live.post(platform.team_url("/tickets"), json={"title": "live only"}).json()[
            "data"
        ]
        assert test.get(platform.team_url(f"/tickets/{created['id']}")).status_code == 404
        test_titles = [
            t["title"] for t in test.get(platform.team_url("/tickets?pageSize=100")).json()["data"]
        ]
        assert "live only" not in test_titles
        assert live.get(platform.team_url(f"/tickets/{created['id']}")).status_code == 200
        whoami = live.get("/api/v1/auth/whoami").json()["data"]
        assert whoami["environment"] == "live"


def test_another_teams_key_gets_403_and_never_data(platform: RunningPlatform) -> None:
    server = platform.server.platform
    other = seed(server.db, server.vault, server.now(), "Other Team")
    with platform.client() as mine:
        ticket = mine.post(platform.team_url("/tickets"), json={"title": "private"}).json()["data"]
    with platform.client(other.secret_key) as theirs:
        response = theirs.get(platform.team_url(f"/tickets/{ticket['id']}"))
        assert response.status_code == 403
        assert error_of(response)["code"] == "team_access_denied"
        assert "private" not in response.text
        own_url = f"/api/v1/teams/{other.team_id}/tickets/{ticket['id']}"
        assert theirs.get(own_url).status_code == 404
        assert theirs.get("/api/v1/teams/not-a-uuid/tickets").status_code == 403


def test_keys_are_stored_only_as_hashes(platform: RunningPlatform) -> None:
    rows = platform.server.platform.db.all("SELECT * FROM api_keys")
    dumped = repr(rows)
    assert platform.secret_key not in dumped
    assert platform.live_secret_key not in dumped
