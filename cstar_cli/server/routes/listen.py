"""``POST /webhooks/listen`` and the relay websocket (D14, D15; docs/relay-protocol.md)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import uuid
from typing import Any

from fastapi import APIRouter, Request, WebSocket, WebSocketDisconnect
from starlette.responses import Response

from cstar_cli.server import ids, responses
from cstar_cli.server.auth import Principal, bearer_key
from cstar_cli.server.errors import ApiError
from cstar_cli.server.platform import Platform
from cstar_cli.server.relay import CLOSE_AUTH, CLOSE_GONE, Connection
from cstar_cli.server.routes.common import platform_of, principal_of, require_secret
from cstar_cli.server.routes.webhooks import check_events, new_secret
from cstar_cli.server.schemas import ListenCreate

router = APIRouter(tags=["listen"])

HELLO_TIMEOUT = 10.0


def serialize(row: dict[str, Any], websocket_url: str, pending: int) -> dict[str, Any]:
    return {
        "id": ids.LISTEN_SESSION + row["id"],
        "object": "listen_session",
        "deviceName": row["device_name"],
        "events": json.loads(row["events"]),
        "signingSecret": row["secret"],
        "websocketUrl": websocket_url,
        "pending": pending,
        "createdAt": row["created_at"],
        "expiresAt": _iso(row["expires_at"]),
    }


def _iso(ts: float) -> str:
    from cstar_cli.server.clock import iso

    return iso(ts)


@router.post("/webhooks/listen", status_code=201, summary="Open (or resume) a listen session")
async def open_listen_session(request: Request, body: ListenCreate | None = None) -> Response:
    platform, principal = platform_of(request), principal_of(request)
    require_secret(principal)
    body = body or ListenCreate()
    events = check_events(body.events or ["*"])
    device = body.deviceName or socket.gethostname() or "default"
    row = platform.relay.open_session(
        principal.team_id, principal.livemode, device, events, new_secret()
    )
    base = str(request.base_url).rstrip("/").replace("http://", "ws://", 1)
    base = base.replace("https://", "wss://", 1)
    team = principal.team_id
    url = f"{base}/api/v1/teams/{team}/webhooks/listen/{ids.LISTEN_SESSION}{row['id']}/ws"
    return responses.ok(request, serialize(row, url, platform.relay.pending(row["id"])), status=201)


@router.delete("/webhooks/listen/{sessionId}", summary="End a listen session and drop its backlog")
async def end_listen_session(request: Request, sessionId: str) -> Response:
    platform, principal = platform_of(request), principal_of(request)
    require_secret(principal)
    hex_id = ids.parse(sessionId, ids.LISTEN_SESSION, "sessionId")
    session = platform.relay.session(hex_id)
    if (
        session is None
        or session["team_id"] != principal.team_id
        or bool(session["livemode"]) != principal.livemode
    ):
        raise ApiError.not_found("listen session", sessionId)
    await platform.relay.end_session(hex_id)
    return responses.ok(request, {"id": ids.LISTEN_SESSION + hex_id, "deleted": True})


def _authenticate(platform: Platform, websocket: WebSocket, team_id: str) -> Principal:
    principal = platform.authenticate(bearer_key(websocket.headers.get("authorization")))
    try:
        team = str(uuid.UUID(team_id))
    except ValueError:
        team = ""
    if team != principal.team_id:
        raise ApiError.forbidden("team_access_denied", "This API key does not belong to the team.")
    if not principal.is_secret:
        raise ApiError.forbidden("insufficient_permissions", "Secret key required to listen.")
    return principal


@router.websocket("/webhooks/listen/{sessionId}/ws")
async def listen_socket(websocket: WebSocket, teamId: str, sessionId: str) -> None:
    platform: Platform = websocket.app.state.platform
    hub = platform.relay
    await websocket.accept()
    try:
        principal = _authenticate(platform, websocket, teamId)
        session_hex = ids.parse(sessionId, ids.LISTEN_SESSION, "sessionId")
        session = hub.session(session_hex)
        if (
            session is None
            or session["team_id"] != principal.team_id
            or bool(session["livemode"]) != principal.livemode
        ):
            raise ApiError.not_found("listen session", sessionId)
    except ApiError as err:
        code = CLOSE_GONE if err.status == 404 else CLOSE_AUTH
        with contextlib.suppress(Exception):
            await websocket.send_text(
                json.dumps({"type": "error", "code": err.code, "message": err.message})
            )
            await websocket.close(code=code, reason=err.code)
        return
    try:
        hello = json.loads(await asyncio.wait_for(websocket.receive_text(), HELLO_TIMEOUT))
        after = int(hello.get("after", 0)) if hello.get("type") == "hello" else 0
    except (TimeoutError, ValueError, WebSocketDisconnect, KeyError):
        with contextlib.suppress(Exception):
            await websocket.close(code=1002, reason="expected a hello message")
        return
    lock = asyncio.Lock()

    async def send_text(text: str) -> None:
        async with lock:
            await websocket.send_text(text)

    async def close(code: int, reason: str) -> None:
        await websocket.close(code=code, reason=reason)

    connection = Connection(session_hex, send_text, close, str(hello.get("forwardTo") or ""))
    pending = await hub.attach(connection, after)
    await send_text(
        json.dumps(
            {
                "type": "ready",
                "sessionId": ids.LISTEN_SESSION + session_hex,
                "pending": pending,
                "after": after,
            }
        )
    )
    pump = asyncio.create_task(hub.pump(connection))
    try:
        while not connection.closed:
            message = json.loads(await websocket.receive_text())
            if message.get("type") == "ack":
                hub.acknowledge(connection, list(message.get("acks", [])))
    except (WebSocketDisconnect, ValueError, RuntimeError):
        pass
    finally:
        hub.detach(connection)
        connection.wake.set()
        pump.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await pump
