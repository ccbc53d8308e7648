"""What the platform's websockets (``/logs/stream``, the listen relay) share: checking the
path's team against the key, and telling a refused client why before closing."""

from __future__ import annotations

import contextlib
import json
import uuid
from typing import Any

from fastapi import WebSocket

from cstar_cli.platform.http.auth import Principal


def is_own_team(principal: Principal, team_id: str) -> bool:
    """Whether the path's ``teamId`` (any spelling of a UUID) is the key's team."""
    try:
        return str(uuid.UUID(team_id)) == principal.team_id
    except ValueError:
        return False


async def refuse(websocket: WebSocket, code: int, error: dict[str, Any]) -> None:
    """Send an ``error`` frame, then close with ``code`` and the error's code as the reason.

    A client that is already gone is no error.
    """
    with contextlib.suppress(Exception):
        await websocket.send_text(json.dumps({"type": "error", **error}))
        await websocket.close(code=code, reason=error["code"])


async def close_quietly(websocket: WebSocket, code: int, reason: str) -> None:
    """Close the socket, ignoring a client that is already gone."""
    with contextlib.suppress(Exception):
        await websocket.close(code=code, reason=reason)
