"""The gateway routes ``/api/`` requests by prefix (issue 25): the same route FastAPI's walk
would pick, run without the walk; what it cannot resolve still gets FastAPI's own answer."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI

from cstar_cli.platform.app import TEAM_PREFIX, create_app
from cstar_cli.platform.http.access import PUBLIC, Access
from cstar_cli.platform.http.routing import NOT_FOUND, PARTIAL, RESOLVED, RouteIndex, dispatching
from tests.support.platforms import RunningPlatform


def _fastapi_of(stack: Any) -> FastAPI:
    while not isinstance(stack, FastAPI):
        stack = stack.app
    return stack


def _index() -> RouteIndex:
    return RouteIndex(_fastapi_of(create_app()).router.routes)


def _sample(template: str) -> str:
    return re.sub(r"\{[^}]+\}", "x_1", template)


def test_every_api_route_resolves_to_the_route_a_linear_walk_picks() -> None:
    index = _index()
    targets = [t for family in index._families.values() for t in family]
    assert len(targets) > 60  # every family of the API, not a handful
    for target in targets:
        path = _sample(target.template)
        for method in target.methods:
            walked = min(
                (t for t in targets if method in t.methods and t.match(path)),
                key=lambda t: t.order,
            )
            resolved = index.resolve(path, method)
            assert resolved.target is walked, (method, path)
            assert resolved.access is walked.access


def test_unknown_paths_and_methods_are_left_to_fastapi() -> None:
    index = _index()
    assert index.resolve("/api/v1/teams/t_1/nothing-here", "GET") is NOT_FOUND
    assert index.resolve("/api/v1/teams/t_1", "GET") is NOT_FOUND
    assert index.resolve("/healthz", "GET") is NOT_FOUND
    assert index.resolve("/api/v1/teams/t_1/tickets/x_1", "PUT") is PARTIAL
    found = index.resolve("/api/v1/teams/t_1/tickets/tkt_9/messages", "POST")
    assert found.target is not None and found.params == {"teamId": "t_1", "ticketId": "tkt_9"}


def test_a_family_registered_later_is_indexed_without_naming_it() -> None:
    widgets = APIRouter()

    @widgets.get("/widgets/{widgetId}", openapi_extra=PUBLIC)
    async def get_widget(widgetId: str) -> dict[str, str]:
        return {"id": widgetId}

    api = FastAPI()
    api.include_router(widgets, prefix=TEAM_PREFIX)
    found = RouteIndex(api.router.routes).resolve("/api/v1/teams/t_1/widgets/w_2", "GET")
    assert found.target is not None and found.target.endpoint is get_widget
    assert found.access is Access.PUBLIC and found.params["widgetId"] == "w_2"


def test_a_resolved_request_skips_the_walk() -> None:
    walked: list[str] = []
    ran: list[dict[str, Any]] = []

    async def walk(scope: Any, receive: Any, send: Any) -> None:
        walked.append(scope["path"])

    dispatch = dispatching(walk)
    index = _index()
    resolved = index.resolve("/api/v1/teams/t_1/tickets/tkt_1", "GET")
    assert resolved.target is not None

    async def route_app(scope: Any, receive: Any, send: Any) -> None:
        ran.append(dict(scope["path_params"]))

    object.__setattr__(resolved.target, "app", route_app)  # this index only: record the call
    scope: dict[str, Any] = {"type": "http", "path": "/api/v1/teams/t_1/tickets/tkt_1"}
    asyncio.run(dispatch({**scope, RESOLVED: resolved}, None, None))
    asyncio.run(dispatch({**scope, "path": "/healthz"}, None, None))
    assert ran == [{"teamId": "t_1", "ticketId": "tkt_1"}]
    assert walked == ["/healthz"]


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/tickets", 200, None),
        ("GET", "/webhooks/listen/sessions", 200, None),
        ("GET", "/tickets/tkt_" + "0" * 32, 404, "resource_missing"),
        ("GET", "/no-such-family", 404, "resource_missing"),
        ("PUT", "/tickets", 405, "method_not_allowed"),
    ],
)
def test_answers_over_the_socket(
    api: httpx.Client, method: str, path: str, status: int, code: str | None
) -> None:
    response = api.request(method, path)
    assert response.status_code == status, response.text
    if code is not None:
        assert response.json()["error"]["code"] == code


def test_path_parameters_and_the_body_reach_the_route(
    api: httpx.Client, platform: RunningPlatform
) -> None:
    ticket = api.post("/tickets", json={"title": "routed by prefix"}).json()["data"]
    fetched = api.get(f"/tickets/{ticket['id']}")
    assert fetched.status_code == 200 and fetched.json()["data"]["title"] == "routed by prefix"
    invalid = api.post("/tickets", json={"title": 5})
    assert invalid.status_code == 400 and invalid.json()["error"]["param"] == "title"
    whoami = httpx.get(
        f"{platform.api_base}/api/v1/auth/whoami",
        headers={"Authorization": f"Bearer {platform.secret_key}"},
    )
    assert whoami.status_code == 200
    api.delete(f"/tickets/{ticket['id']}")
