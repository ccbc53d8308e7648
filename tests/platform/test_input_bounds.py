"""Input bounds (D32): every reproduction of the security review gets a clear 400, never a 500,
and no such answer is kept for idempotent replay."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest

LISTS = [
    "/tickets",
    "/customers",
    "/articles",
    "/members",
    "/keys",
    "/webhooks",
    "/events",
    "/logs",
    "/game/leaderboard",
    "/game/bosses",
    "/sla/rules",
]


def error_of(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 400, (response.status_code, response.text[:300])
    body = response.json()
    assert body["success"] is False
    error: dict[str, Any] = body["error"]
    return error


@pytest.mark.parametrize("page", [2**63 - 1, 2**62, 10_001, 0])
@pytest.mark.parametrize("path", LISTS)
def test_page_is_bounded_on_every_list(api: httpx.Client, path: str, page: int) -> None:
    error = error_of(api.get(path, params={"page": page}))
    assert (error["code"], error["param"]) == ("parameter_invalid", "page")


def test_the_last_page_allowed_is_an_empty_page(api: httpx.Client) -> None:
    response = api.get("/tickets", params={"page": 10_000})
    assert response.status_code == 200 and response.json()["data"] == []


@pytest.mark.parametrize("length", [201, 50_000])
@pytest.mark.parametrize("path", ["/tickets", "/customers", "/articles"])
def test_search_is_at_most_200_characters(api: httpx.Client, path: str, length: int) -> None:
    error = error_of(api.get(path, params={"search": "x" * length}))
    assert (error["code"], error["param"]) == ("parameter_invalid", "search")


def test_any_huge_query_value_is_a_400(api: httpx.Client) -> None:
    error = error_of(api.get("/logs", params={"path": "/*" + "a" * 60_000}))
    assert error["param"] == "path"


@pytest.mark.parametrize(
    "url",
    [
        "http://[::1/",
        "http://127.0.0.1:99999/hooks",
        "http://127.0.0.1:0/hooks",
        "ftp://example.com/",
        "http:///nohost",
        "http://exa mple.com/",
    ],
)
def test_webhook_urls_are_checked(api: httpx.Client, url: str) -> None:
    error = error_of(api.post("/webhooks", json={"url": url, "events": ["*"]}))
    assert (error["code"], error["param"]) == ("parameter_invalid", "url")


def nested(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(levels - 1):
        value = {"a": value}
    return value


@pytest.mark.parametrize(
    "body",
    [
        b'{"title": "caf\xe9"}',
        b"[" * 1001 + b"]" * 1001,
        b'{"title": "x", "n": ' + b"9" * 5000 + b"}",
        b'{"title": "x", "metadata": {"n": NaN}}',
        b'{"title": "x", "metadata": {"n": 1e999}}',
        b'{"title": "x", "metadata": {"n": -Infinity}}',
        json.dumps({"title": "x", "metadata": nested(900)}).encode(),
        json.dumps({"title": "x", "metadata": nested(33)}).encode(),
    ],
    ids=["utf8", "nesting", "digits", "nan", "1e999", "infinity", "deep900", "deep33"],
)
def test_bodies_that_do_not_decode_are_invalid_json_and_never_replayed(
    api: httpx.Client, body: bytes
) -> None:
    key = f"bad-body-{uuid.uuid4().hex}"
    headers = {"Idempotency-Key": key, "Content-Type": "application/json"}
    error = error_of(api.post("/tickets", content=body, headers=headers))
    assert error["code"] == "invalid_json"
    good = api.post("/tickets", json={"title": "fixed"}, headers={"Idempotency-Key": key})
    assert good.status_code == 201 and "idempotent-replayed" not in good.headers
    api.delete(f"/tickets/{good.json()['data']['id']}")


def test_a_declared_charset_other_than_utf8_is_refused(api: httpx.Client) -> None:
    body = '{"title": "café"}'.encode("latin-1")
    headers = {"Content-Type": "application/json; charset=latin-1"}
    error = error_of(api.post("/tickets", content=body, headers=headers))
    assert error["code"] == "invalid_json" and "UTF-8" in error["message"]


@pytest.mark.parametrize(
    "metadata",
    [nested(6), {f"k{i}": i for i in range(51)}, {"blob": "x" * (16 * 1024)}],
    ids=["deeper-than-5", "51-keys", "over-16-KiB"],
)
@pytest.mark.parametrize("path", ["/tickets", "/customers"])
def test_metadata_is_bounded(api: httpx.Client, path: str, metadata: dict[str, Any]) -> None:
    body: dict[str, Any] = {"metadata": metadata}
    body.update(
        {"title": "x"} if path == "/tickets" else {"name": "M", "email": "bounded@example.com"}
    )
    error = error_of(api.post(path, json=body))
    assert (error["code"], error["param"]) == ("parameter_invalid", "metadata")


def test_metadata_within_bounds_round_trips(api: httpx.Client) -> None:
    metadata = {"plan": "pro", "deep": nested(4), "n": 1.5}
    made = api.post("/tickets", json={"title": "ok", "metadata": metadata})
    assert made.status_code == 201
    ticket = made.json()["data"]
    assert ticket["metadata"] == metadata
    api.delete(f"/tickets/{ticket['id']}")
