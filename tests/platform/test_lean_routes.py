"""Plain routes are called without FastAPI's per-request handler (issue 25, ``http.lean``), and
every answer is the one FastAPI's handler gives: a platform with the lean calls switched off
answers the same requests side by side."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Header, Request

from cstar_cli.platform.app import create_app
from cstar_cli.platform.http import lean
from cstar_cli.platform.http.routing import RouteIndex
from cstar_cli.platform.resources.tickets.service import Tickets
from cstar_cli.platform.runner import PlatformThread
from cstar_cli.platform.settings import PlatformSettings

TICKET = "{ticket}"
JSON = {"content-type": "application/json"}

REQUESTS: list[tuple[str, str, dict[str, str], bytes | None]] = [
    ("POST", "/tickets", JSON, b'{"title": "Printer on fire", "priority": "high"}'),
    ("POST", "/tickets", JSON, b'{"title": 5}'),
    ("POST", "/tickets", JSON, b'{"title": "x", "priority": "whenever"}'),
    ("POST", "/tickets", JSON, b"[]"),
    ("POST", "/tickets", JSON, b'"just text"'),
    ("POST", "/tickets", JSON, b"{}"),
    ("POST", "/tickets", JSON, None),
    ("POST", "/tickets", {"content-type": "text/plain"}, b'{"title": "read as JSON"}'),
    ("POST", "/tickets", {"content-type": "application/x-json-stream"}, b'{"title": "x"}'),
    ("POST", "/tickets", {"content-type": "application/vnd.cstar+json"}, b'{"title": "x"}'),
    ("POST", "/tickets", {"content-type": "application/json; charset=utf-8"}, b'{"title": "x"}'),
    ("GET", "/tickets", {}, None),
    ("GET", "/tickets?pageSize=2&page=1&sort=-title&status=open", {}, None),
    ("GET", "/tickets?pageSize=0", {}, None),
    ("GET", "/tickets?pageSize=abc", {}, None),
    ("GET", "/tickets?status=bogus", {}, None),
    ("GET", "/tickets?page=1&page=2", {}, None),
    ("GET", "/tickets?search=" + "x" * 300, {}, None),
    ("GET", "/tickets?priority=urgent&assignedTo=&tag=vip", {}, None),
    ("GET", "/customers?pageSize=101", {}, None),
    ("GET", "/events?type=ticket.created", {}, None),
    ("GET", f"/tickets/{TICKET}", {}, None),
    ("GET", f"/tickets/{TICKET}?expand=customer", {}, None),
    ("GET", f"/tickets/{TICKET}?expand=", {}, None),
    ("GET", "/tickets/tkt_00000000000000000000000000000000", {}, None),
    ("PATCH", f"/tickets/{TICKET}", JSON, b'{"status": "pending"}'),
    ("PATCH", f"/tickets/{TICKET}", JSON, b'{"status": "asleep"}'),
    ("PATCH", f"/tickets/{TICKET}", JSON, b"{}"),
    ("POST", "/webhooks/trigger-test", JSON, b'{"event": "ticket.created"}'),
    ("POST", "/webhooks/trigger-test", JSON, b'{"event": "no.such"}'),
    ("DELETE", f"/tickets/{TICKET}", {}, None),
    ("DELETE", f"/tickets/{TICKET}", {}, None),
]


@pytest.fixture
def two_platforms(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Any]]:
    settings = PlatformSettings(db_path=":memory:", enforce_rate_limits=False)
    with PlatformThread(settings) as leaned:
        monkeypatch.setattr(lean, "plan", lambda route: None)
        with PlatformThread(settings) as full:
            yield leaned, full


def _client(server: Any) -> httpx.Client:
    return httpx.Client(
        base_url=f"{server.api_base}/api/v1/teams/{server.keys.team_id}",
        headers={"Authorization": f"Bearer {server.keys.secret_key}"},
    )


def _comparable(response: httpx.Response, ticket_id: str) -> Any:
    """What must match: the status and the answer, less what differs between two platforms
    (ids, numbers, times, request ids)."""
    body = response.json()
    if "error" in body:
        error = body["error"]
        message = error["message"].replace(ticket_id, TICKET)
        return response.status_code, error["code"], error.get("param"), message
    data = body["data"]
    items = data if isinstance(data, list) else [data]
    shown = [
        {k: v for k, v in item.items() if k in ("title", "status", "priority", "object", "type")}
        for item in items
    ]
    return response.status_code, shown, body.get("pagination")


def test_every_request_gets_the_answer_fastapis_handler_gives(
    two_platforms: tuple[Any, Any],
) -> None:
    answers = []
    for server in two_platforms:
        with _client(server) as client:
            ticket = client.post("/tickets", json={"title": "the one to read"}).json()["data"]
            seen = []
            for method, path, headers, body in REQUESTS:
                url = path.replace(TICKET, ticket["id"])
                answer = client.request(method, url, headers=headers, content=body)
                seen.append(_comparable(answer, ticket["id"]))
            answers.append(seen)
    leaned, full = answers
    for request, mine, theirs in zip(REQUESTS, leaned, full, strict=True):
        assert mine == theirs, request
    statuses = {answer[0] for answer in leaned}
    assert {200, 201, 400, 404} <= statuses  # the matrix reaches successes and refusals


def test_a_route_that_crashes_gets_the_apps_500_either_way(
    two_platforms: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("a bug in a route")

    monkeypatch.setattr(Tickets, "_payload", crash)  # inside the create, in its transaction
    answers = []
    for server in two_platforms:
        with _client(server) as client:
            crashed = client.post("/tickets", json={"title": "never stored"})
            error = crashed.json()["error"]
            answers.append((crashed.status_code, error["code"], error["message"]))
            assert error["request_id"] == crashed.headers["x-cstar-request-id"]
            assert client.get("/tickets").json()["data"] == []  # nothing kept, still serving
    assert answers[0] == answers[1] == (500, "internal_error", "Internal platform error.")


def _index_of(app: Any) -> RouteIndex:
    while not isinstance(app, FastAPI):
        app = app.app
    return RouteIndex(app.router.routes)


def test_plain_routes_are_planned_and_the_rest_left_to_fastapi() -> None:
    index = _index_of(create_app())
    planned = {
        (method, target.template.split("{teamId}")[-1])
        for family in index._families.values()
        for target in family
        if target.lean is not None
        for method in target.methods
    }
    assert {("POST", "/tickets"), ("GET", "/tickets"), ("GET", "/tickets/{ticketId}")} <= planned
    assert ("POST", "/webhooks/trigger-test") in planned

    router = APIRouter()

    @router.get("/header")
    async def with_header(request: Request, x_thing: str = Header()) -> None: ...

    @router.get("/sync")
    def sync(request: Request) -> None: ...

    @router.get("/model", response_model=dict[str, str])
    async def with_model() -> dict[str, str]:
        return {}

    api = FastAPI()
    api.include_router(router)
    for route in api.router.routes:
        if getattr(route, "path", "") in ("/header", "/sync", "/model"):
            assert lean.plan(route) is None, route.path  # type: ignore[arg-type]
