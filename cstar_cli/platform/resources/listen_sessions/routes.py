"""``POST /webhooks/listen`` and the relay websocket (D14, D15; docs/relay-protocol.md)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

from fastapi import APIRouter, Depends, Request, WebSocket, WebSocketDisconnect
from starlette.responses import Response

from cstar_cli.platform import ids
from cstar_cli.platform.core import Platform
from cstar_cli.platform.delivery.listen_hub import PROTOCOL_VERSION, Connection, RouteSpec
from cstar_cli.platform.http import responses, sockets
from cstar_cli.platform.http.auth import Principal, bearer_key
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.listen_sessions.models import ListenCreate
from cstar_cli.platform.resources.listen_sessions.service import ListenSessions, route_specs
from cstar_cli.platform.resources.service import Caller
from cstar_cli.platform.work import Work
from cstar_cli.wire.codes import CLOSE_AUTH, CLOSE_GONE, CLOSE_INVALID

router = APIRouter(tags=["listen"])

HELLO_TIMEOUT = 10.0


def socket_base(request: Request) -> str:
    """Where this request's relay websockets are (``ws://host:port``)."""
    base = str(request.base_url).rstrip("/").replace("http://", "ws://", 1)
    return base.replace("https://", "wss://", 1)


@router.post("/webhooks/listen", status_code=201, summary="Open (or resume) a listen session")
async def open_listen_session(request: Request, body: ListenCreate | None = None) -> Response:
    session = ListenSessions(common.caller_of(request)).open(body, socket_base(request))
    return responses.ok(request, session, status=201)


@router.get("/webhooks/listen/sessions", summary="List listen sessions: routes, backlog, connected")
async def list_listen_sessions(
    request: Request, paging: common.Paging = Depends(common.page_params)
) -> Response:
    """The team's live listen sessions (D31), newest first, without their signing secrets."""
    page = ListenSessions(common.caller_of(request)).list(paging, socket_base(request))
    return responses.paged(request, page)


@router.delete("/webhooks/listen/{sessionId}", summary="End a listen session and drop its backlog")
async def end_listen_session(request: Request, sessionId: str) -> Response:
    return responses.ok(request, await ListenSessions(common.caller_of(request)).end(sessionId))


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
        caller = Caller(platform, principal, Work(platform.db, platform.outbox))
        session_hex = ListenSessions(caller).find(sessionId)
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
