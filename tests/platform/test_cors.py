"""CORS (D24) over a real socket: preflights without a key, headers on every answer, origins."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from cstar_cli.platform.http.cors import normalize_origin
from tests.support.platforms import OwnPlatform, RunningPlatform

PAGE = "http://localhost:5173"


def preflight(client: httpx.Client, path: str, origin: str = PAGE) -> httpx.Response:
    return client.options(
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type,x-cstar-identity",
        },
    )


def names(listing: str) -> set[str]:
    """The header names in a CORS list (``A, B, C``), lowercased: header names ignore case."""
    return {name.lower() for name in listing.split(", ")}


def test_a_preflight_needs_no_key_and_names_what_a_page_may_send(
    platform: RunningPlatform,
) -> None:
    with httpx.Client(base_url=platform.api_base) as anonymous:
        answer = preflight(anonymous, f"/api/v1/teams/{platform.team_id}/tickets")
    assert answer.status_code == 204
    assert answer.headers["access-control-allow-origin"] == PAGE
    assert set(answer.headers["access-control-allow-methods"].split(", ")) == {
        "GET",
        "POST",
        "PATCH",
        "DELETE",
    }
    assert names(answer.headers["access-control-allow-headers"]) >= names(
        "Authorization, Content-Type, Idempotency-Key, CStar-Version, X-Cstar-Identity, "
        "X-Cstar-Identity-Hash, Last-Event-ID"
    )
    assert int(answer.headers["access-control-max-age"]) > 0


def test_every_answer_to_a_page_carries_the_origin_and_exposes_headers(
    platform: RunningPlatform,
) -> None:
    with platform.client() as client:
        ok = client.get(platform.team_url("/tickets"), headers={"Origin": PAGE})
        refused = client.get(
            platform.team_url("/tickets"), headers={"Origin": PAGE, "Authorization": "Bearer x"}
        )
        missing = client.get(platform.team_url("/nothing-here"), headers={"Origin": PAGE})
        plain = client.get(platform.team_url("/tickets"))
    for answer in (ok, refused, missing):
        assert answer.headers["access-control-allow-origin"] == PAGE
        assert names(answer.headers["access-control-expose-headers"]) >= names(
            "x-cstar-request-id, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, "
            "X-RateLimit-Window, Retry-After, Idempotent-Replayed, CStar-Version"
        )
    assert (ok.status_code, refused.status_code, missing.status_code) == (200, 401, 404)
    assert refused.json()["error"]["code"] == "invalid_key_format"
    assert "access-control-allow-origin" not in plain.headers  # no Origin, no CORS


@pytest.fixture
def restricted(own_platform: Callable[..., OwnPlatform]) -> OwnPlatform:
    return own_platform(cors_origins=(normalize_origin("http://LOCALHOST:5173/"),))


def test_cors_origin_allows_only_the_origins_named(restricted: OwnPlatform) -> None:
    tickets = restricted.team("/tickets")
    with restricted.client() as client:
        assert preflight(client, tickets).status_code == 204
        listed = client.get(tickets, headers={"Origin": PAGE})
        other = preflight(client, tickets, "https://elsewhere.example")
        write = client.post(
            tickets, json={"title": "from a page"}, headers={"Origin": "https://elsewhere.example"}
        )
        own = client.get(tickets, headers={"Origin": restricted.server.api_base})
        count = client.get(tickets).json()["pagination"]["total"]
    assert listed.status_code == 200 and listed.headers["access-control-allow-origin"] == PAGE
    for refused in (other, write):
        assert refused.status_code == 403
        assert "access-control-allow-origin" not in refused.headers
        error = refused.json()["error"]
        assert (error["code"], error["param"]) == ("insufficient_permissions", "Origin")
        assert "--cors-origin https://elsewhere.example" in error["message"]
    assert count == 0  # the refused write never reached the route
    assert own.status_code == 200  # the platform's own pages are always allowed


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("http://localhost:5173", "http://localhost:5173"),
        ("HTTPS://Example.COM:443/", "https://example.com"),
        ("http://[::1]:8080", "http://[::1]:8080"),
        ("null", "null"),
        ("*", "*"),
    ],
)
def test_origins_are_normalized_as_browsers_send_them(given: str, expected: str) -> None:
    assert normalize_origin(given) == expected


@pytest.mark.parametrize("bad", ["localhost:5173", "ftp://x", "http://x/app", "http://", "x"])
def test_malformed_origins_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="origin"):
        normalize_origin(bad)
