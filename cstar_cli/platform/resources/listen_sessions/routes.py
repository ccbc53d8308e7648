"""``POST /webhooks/listen`` and the relay websocket (D14, D15; docs/relay-protocol.md)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request, WebSocket, WebSocketDisconnect
from starlette.responses import Response

from cstar_cli.platform import ids
from cstar_cli.platform.core import Platform
from cstar_cli.platform.delivery.listen_hub import (
    PROTOCOL_VERSION,
    ROUTE_PREFIX,
    Connection,
    RouteSpec,
)
from cstar_cli.platform.http import responses, sockets
from cstar_cli.platform.http.auth import Principal, bearer_key
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.resources.common import (
    PageParams,
    Where,
    deleted,
    fetch_page,
    order_by,
    page_params,
    platform_of,
    principal_of,
    require_secret,
)
from cstar_cli.platform.resources.webhooks.models import ListenCreate
from cstar_cli.platform.resources.webhooks.service import check_events, new_secret
from cstar_cli.wire.codes import CLOSE_AUTH, CLOSE_GONE, CLOSE_INVALID
from cstar_cli.wire.times import iso

router = APIRouter(tags=["listen"])

HELLO_TIMEOUT = 10.0


def serialize(platform: Platform, row: dict[str, Any], websocket_url: str) -> dict[str, Any]:
    store = platform.listen_store
    backlog = store.route_backlog(row["id"])
    return {
        "id": ids.LISTEN_SESSION + row["id"],
        "object": "listen_session",
        "deviceName": row["device_name"],
        "events": json.loads(row["events"]),
        "signingSecret": row["secret"],
        "websocketUrl": websocket_url,
        "pending": sum(backlog.values()),
        "routes": [
            {
                "id": ROUTE_PREFIX + r["route_id"],
                "target": r["target"],
                "events": json.loads(r["events"]),
                "active": bool(r["active"]),
                "pending": backlog.get(r["route_id"], 0),
            }
            for r in store.routes(row["id"])
        ],
        "createdAt": row["created_at"],
        "expiresAt": iso(row["expires_at"]),
    }


def route_specs(routes: list[Any]) -> list[RouteSpec]:
    """Declared routes, checked: an http(s) target with a host, known event patterns."""
    specs: list[RouteSpec] = []
    for index, route in enumerate(routes):
        if not isinstance(route, dict) or not isinstance(route.get("target"), str):
            raise ApiError.invalid("Each route needs a 'target' URL.", param=f"routes.{index}")
        target = route["target"]
        parts = urlsplit(target)
        try:
            valid = (
                parts.scheme in ("http", "https")
                and bool(parts.hostname)
                and (parts.port is None or 0 < parts.port < 65536)
            )
        except ValueError:
            valid = False
        if not valid or len(target) > 2048:
            raise ApiError.invalid(
                f"'{target}' is not an http(s) URL to forward to.", param=f"routes.{index}.target"
            )
        events = check_events(list(route.get("events") or ["*"]))
        after = max(0, int(route.get("after") or 0))
        specs.append(RouteSpec(target, tuple(["*"] if "*" in events else events), after))
    if len({spec.id for spec in specs}) != len(specs):
        raise ApiError.invalid("Two routes have the same target and events.", param="routes")
    return specs


@router.post("/webhooks/listen", status_code=201, summary="Open (or resume) a listen session")
async def open_listen_session(request: Request, body: ListenCreate | None = None) -> Response:
    platform, principal = platform_of(request), principal_of(request)
    require_secret(principal)
    body = body or ListenCreate()
    events = check_events(body.events or ["*"])
    device = body.deviceName or socket.gethostname() or "default"
    specs = None
    if body.routes is not None:
        specs = route_specs([r.model_dump(exclude_none=True) for r in body.routes])
    row = platform.listen_store.open_session(
        principal.team_id, principal.livemode, device, events, new_secret(), specs
    )
    return responses.ok(request, serialize(platform, row, _socket_url(request, row)), status=201)


def _socket_url(request: Request, row: dict[str, Any]) -> str:
    base = str(request.base_url).rstrip("/").replace("http://", "ws://", 1)
    base = base.replace("https://", "wss://", 1)
    team = row["team_id"]
    return f"{base}/api/v1/teams/{team}/webhooks/listen/{ids.LISTEN_SESSION}{row['id']}/ws"


@router.get("/webhooks/listen/sessions", summary="List listen sessions: routes, backlog, connected")
async def list_listen_sessions(
    request: Request, paging: PageParams = Depends(page_params)
) -> Response:
    """The team's live listen sessions (D31), newest first, without their signing secrets."""
    platform, principal = platform_of(request), principal_of(request)
    require_secret(principal)
    where = Where(principal)
    where.add("expires_at > ?", platform.now())
    order = order_by(paging.sort, {"createdAt": "created_at"})
    rows, total = fetch_page(platform.db, "listen_sessions", where, order, paging)
    data = [
        {
            **{
                k: v
                for k, v in serialize(platform, row, _socket_url(request, row)).items()
                if k != "signingSecret"
            },
            "connected": row["id"] in platform.listen_hub.connections,
        }
        for row in rows
    ]
    return responses.listing(request, data, paging.page, paging.page_size, total)


@router.delete("/webhooks/listen/{sessionId}", summary="End a listen session and drop its backlog")
async def end_listen_session(request: Request, sessionId: str) -> Response:
    platform, principal = platform_of(request), principal_of(request)
    require_secret(principal)
    hex_id = platform.listen_session(principal, sessionId)
    await platform.listen_hub.end_session(hex_id)
    return deleted(request, ids.LISTEN_SESSION + hex_id)


def _authenticate(platform: Platform, websocket: WebSocket, team_id: str) -> Principal:
    principal = platform.authenticate(bearer_key(websocket.headers.get("authorization")))
    if not sockets.is_own_team(principal, team_id):
        raise ApiError.forbidden("team_access_denied", "This API key does not belong to the team.")
    if not principal.is_secret:
        raise ApiError.forbidden("insufficient_permissions", "Secret key required to listen.")
    return principal


@router.websocket("/webhooks/listen/{sessionId}/ws")
async def listen_socket(websocket: WebSocket, teamId: str, sessionId: str) -> None:
    platform: Platform = websocket.app.state.platform
    hub = platform.listen_hub
    await websocket.accept()
    try:
        principal = _authenticate(platform, websocket, teamId)
        session_hex = platform.listen_session(principal, sessionId)
    except ApiError as err:
        code = CLOSE_GONE if err.status == 404 else CLOSE_AUTH
        await sockets.refuse(websocket, code, {"code": err.code, "message": err.message})
        return
    try:
        hello = json.loads(await asyncio.wait_for(websocket.receive_text(), HELLO_TIMEOUT))
        if not isinstance(hello, dict) or hello.get("type") != "hello":
            raise ValueError("not a hello")
    except (TimeoutError, ValueError, WebSocketDisconnect, KeyError):
        await sockets.close_quietly(websocket, 1002, "expected a hello message")
        return
    try:
        mode, specs = _hello_routes(hello)
    except (ApiError, TypeError, ValueError) as err:
        message = err.message if isinstance(err, ApiError) else "Malformed hello message."
        await sockets.refuse(
            websocket, CLOSE_INVALID, {"code": "parameter_invalid", "message": message}
        )
        return
    lock = asyncio.Lock()

    async def send_text(text: str) -> None:
        async with lock:
            await websocket.send_text(text)

    async def close(code: int, reason: str) -> None:
        await websocket.close(code=code, reason=reason)

    connection = Connection(session_hex, send_text, close, mode, str(hello.get("instance") or ""))
    acks = hello.get("acks")
    attached = await hub.attach(connection, specs, acks if isinstance(acks, list) else [])
    if mode == "print":
        hub.replay(connection, str(hello.get("afterEvent") or "") or None)
    ready = {
        "type": "ready",
        "version": PROTOCOL_VERSION,
        "sessionId": ids.LISTEN_SESSION + session_hex,
        "mode": mode,
        "pending": attached.pending,
        "routes": attached.routes,
        "inactiveRoutes": attached.inactive,
        "tookOver": attached.took_over,
        "after": specs[0].after if len(specs) == 1 else 0,
    }
    await send_text(json.dumps(ready))
    pump = asyncio.create_task(hub.pump(connection))
    try:
        while not connection.closed:
            message = json.loads(await websocket.receive_text())
            if message.get("type") == "ack":
                hub.acknowledge(connection, list(message.get("acks", [])))
    except (WebSocketDisconnect, ValueError, RuntimeError, AttributeError, TypeError):
        pass
    finally:
        hub.detach(connection)
        connection.wake.set()
        pump.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await pump


def _hello_routes(hello: dict[str, Any]) -> tuple[str, list[RouteSpec]]:
    """The connection's mode and routes; a version 1 hello is one route to ``forwardTo``."""
    if hello.get("mode") == "print":
        return "print", []
    if "routes" in hello:
        routes = hello["routes"]
        if not isinstance(routes, list) or not routes:
            raise ApiError.invalid("A forwarding hello declares at least one route.")
        return "forward", route_specs(routes)
    target = str(hello.get("forwardTo") or "http://localhost/")
    return "forward", route_specs([{"target": target, "after": hello.get("after", 0)}])
