"""``GET /logs`` and the live ``/logs/stream`` websocket (D17), filtered on the server: the
routes parse the filters (and the stream its key and hello); :class:`.service.Logs` reads."""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import asdict, dataclass

from fastapi import APIRouter, Depends, Query, Request, WebSocket, WebSocketDisconnect
from starlette.responses import Response

from cstar_cli.platform.core import Platform
from cstar_cli.platform.http import bounds, responses, sockets
from cstar_cli.platform.http.access import Access, authorize
from cstar_cli.platform.http.auth import bearer_key
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.logs.log import LogFilter
from cstar_cli.platform.logs.service import Logs
from cstar_cli.platform.resources import common
from cstar_cli.platform.resources.service import Caller
from cstar_cli.platform.work import Work
from cstar_cli.wire.codes import CLOSE_AUTH, CLOSE_INVALID
from cstar_cli.wire.logfilters import BadFilter

router = APIRouter(tags=["logs"])

HELLO_TIMEOUT = 10.0


@dataclass(frozen=True)
class LogQuery:
    """The filters of ``GET /logs``, which ``/logs/stream`` takes too (a FastAPI dependency)."""

    method: str | None = Query(None, description="GET, POST, … (comma-separated).")
    path: str | None = Query(None, description="Path prefix or * glob, e.g. /tickets/*/messages.")
    status: str | None = Query(None, description="Exact status codes, e.g. 404 or 400,409.")
    status_class: str | None = Query(None, alias="statusClass", description="2xx, 3xx, 4xx or 5xx.")
    source: str | None = Query(None, description="api, cli, mcp, sdk or dashboard.")
    since: str | None = Query(None, description="ISO-8601: entries at or after this time.")

    def filter(self) -> LogFilter:
        """The checked filter; a bad value is a 400 naming its parameter."""
        try:
            return LogFilter.parse(**asdict(self))
        except BadFilter as err:
            raise ApiError.invalid(err.named(err.param), param=err.param) from None


@router.get("/logs", summary="Request logs, newest first")
async def list_logs(
    request: Request,
    query: LogQuery = Depends(),
    paging: common.Paging = Depends(common.page_params),
) -> Response:
    page = Logs(common.caller_of(request)).list(query.filter(), paging)
    return responses.paged(request, page)


@router.websocket("/logs/stream")
async def stream_logs(websocket: WebSocket, teamId: str, query: LogQuery = Depends()) -> None:
    """Live request logs. Query parameters are the filters of ``GET /logs``.

    The client sends ``{"type": "hello", "after": <seq>}``; the platform answers ``ready``,
    replays matching entries with a higher ``seq`` and then streams new ones as
    ``{"type": "logs", "entries": [...]}``.
    """
    platform: Platform = websocket.app.state.platform
    await websocket.accept()
    try:
        principal = platform.authenticate(bearer_key(websocket.headers.get("authorization")))
        if not sockets.is_own_team(principal, teamId):
            raise ApiError.forbidden("team_access_denied", "This key does not belong to the team.")
        authorize(principal, Access.SECRET, "GET", identified=False)  # D23, as GET /logs
        flt = query.filter()
    except ApiError as err:
        code = CLOSE_INVALID if err.status == 400 else CLOSE_AUTH
        error = {"code": err.code, "message": err.message, "param": err.param}
        await sockets.refuse(websocket, code, error)
        return
    try:
        text = await asyncio.wait_for(websocket.receive_text(), HELLO_TIMEOUT)
    except (TimeoutError, WebSocketDisconnect, KeyError, RuntimeError):
        await sockets.close_quietly(websocket, 1002, "expected a hello message")
        return
    try:
        after = _hello_after(text)
    except ApiError as err:
        error = {"code": err.code, "message": err.message, "param": err.param}
        await sockets.refuse(websocket, CLOSE_INVALID, error)
        return
    caller = Caller(platform, principal, Work(platform.db, platform.outbox))
    feed = Logs(caller).follow(
        flt, after, close=lambda: websocket.close(code=1012, reason="platform closing the stream")
    )
    # D28: the gateway's websocket guard closes this stream (4401) when its key stops working.
    reader = asyncio.create_task(_drain_client(websocket))
    try:
        await websocket.send_text(json.dumps({"type": "ready", "after": feed.after}))
        for replayed in feed.replay():
            await websocket.send_text(json.dumps({"type": "logs", "entries": replayed}))
        while (entries := await feed.next(reader)) is not None:
            if entries:
                await websocket.send_text(json.dumps({"type": "logs", "entries": entries}))
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        feed.close()
        reader.cancel()
        with contextlib.suppress(BaseException):
            await reader


def _hello_after(text: str) -> int | None:
    """Where the hello asks to start: ``"after": null`` (or none) for new entries only, a
    ``seq`` to resume after that entry. A hello that is not a JSON object, or whose ``after`` is
    not a position (:func:`.bounds.position`), is a 400."""
    try:
        hello = json.loads(text)
    except ValueError:
        hello = None
    if not isinstance(hello, dict) or hello.get("type", "hello") != "hello":
        raise ApiError.invalid(
            'Expected a hello message: {"type": "hello", "after": <seq> or null}.', param="hello"
        )
    requested = hello.get("after")
    return None if requested is None else bounds.position(requested, "after")


async def _drain_client(websocket: WebSocket) -> None:
    """Read (and ignore) client frames until the client goes away."""
    with contextlib.suppress(WebSocketDisconnect, RuntimeError):
        while True:
            await websocket.receive_text()
