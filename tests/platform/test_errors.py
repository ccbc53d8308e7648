"""Every failure path answers with the D5 error shape, never a bare 500 (D3, D5)."""

from __future__ import annotations

import httpx
import pytest

from tests.support.platforms import RunningPlatform


def error(response: httpx.Response, status: int) -> dict:  # type: ignore[type-arg]
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False
    assert body["error"]["doc_url"].endswith("#" + body["error"]["code"])
    return body["error"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("content", "code", "param"),
    [
        (b"{not json", "invalid_json", None),
        (b"[1, 2]", "parameter_invalid", None),
        (b'{"priority": "high"}', "parameter_missing", "title"),
        (b'{"title": 5}', "parameter_invalid", "title"),
        (b'{"title": "x", "priority": "mega"}', "parameter_invalid", "priority"),
        (b'{"title": "x", "colour": "red"}', "parameter_invalid", "colour"),
        (b'{"title": "x", "tags": "vpn"}', "parameter_invalid", "tags"),
        (
            b'{"title": "x", "customerId": "tkt_0123456789abcdef0123456789abcdef"}',
            "parameter_invalid",
            "customerId",
        ),
        (b"", "parameter_missing", None),
    ],
)
def test_bad_bodies_name_the_problem(
    api: httpx.Client, content: bytes, code: str, param: str | None
) -> None:
    err = error(
        api.post("/tickets", content=content, headers={"Content-Type": "application/json"}), 400
    )
    assert err["type"] == "invalid_request_error"
    assert err["code"] == code
    assert err.get("param") == param


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ({"page": 0}, "page"),
        ({"pageSize": 0}, "pageSize"),
        ({"pageSize": 101}, "pageSize"),
        ({"page": "two"}, "page"),
        ({"sort": "colour"}, "sort"),
        ({"status": "sleeping"}, "status"),
        ({"expand": "everything"}, "expand"),
        ({"createdAfter": "yesterday"}, "createdAfter"),
    ],
)
def test_bad_list_parameters_are_400(api: httpx.Client, query: dict, param: str) -> None:  # type: ignore[type-arg]
    err = error(api.get("/tickets", params=query), 400)
    assert (err["code"], err["param"]) == ("parameter_invalid", param)


def test_wrong_id_kind_is_400_and_unknown_id_404(api: httpx.Client) -> None:
    err = error(api.get("/tickets/cus_0123456789abcdef0123456789abcdef"), 400)
    assert err["param"] == "ticketId"
    assert error(api.get("/tickets/not-an-id"), 400)["code"] == "parameter_invalid"
    missing = error(api.get("/tickets/tkt_0123456789abcdef0123456789abcdef"), 404)
    assert (missing["type"], missing["code"]) == ("not_found_error", "resource_missing")


def test_body_over_one_mib_is_413(api: httpx.Client) -> None:
    big = b'{"title": "' + b"x" * (1024 * 1024) + b'"}'
    err = error(api.post("/tickets", content=big), 413)
    assert err["code"] == "payload_too_large"


def test_unknown_routes_and_methods(api: httpx.Client) -> None:
    assert error(api.get("/nothing-here"), 404)["code"] == "resource_missing"
    response = api.put("/tickets", json={})
    assert error(response, 405)["code"] == "method_not_allowed"


def test_version_header_is_echoed_and_checked(platform: RunningPlatform) -> None:
    with platform.client() as client:
        ok = client.get("/api/v1/auth/whoami", headers={"CStar-Version": "2026-03-01"})
        assert ok.headers["CStar-Version"] == "2026-03-01"
        latest = client.get("/api/v1/auth/whoami")
        assert latest.headers["CStar-Version"] == "2026-03-01"
        bad = client.get("/api/v1/auth/whoami", headers={"CStar-Version": "1999-01-01"})
        assert error(bad, 400)["param"] == "CStar-Version"


def test_every_response_carries_rate_limit_headers_and_request_id(api: httpx.Client) -> None:
    for response in (api.get("/tickets"), api.get("/tickets/nope")):
        assert response.headers["x-ratelimit-limit"] == "1000"
        assert int(response.headers["x-ratelimit-remaining"]) <= 1000
        assert response.headers["x-ratelimit-window"] == "3600"
        assert int(response.headers["x-ratelimit-reset"]) > 0
        assert response.headers["x-cstar-request-id"] == response.json()["meta"]["requestId"]
