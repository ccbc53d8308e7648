"""Request logs for ``cstar logs``: how entries are shown, and the live tail.

The tail is a :mod:`cstar_cli.client.websocket` handler, so it reconnects exactly like ``cstar
listen``; it remembers the ``seq`` of the last entry shown and asks the platform to resume after
it, so an interrupted stream neither loses nor repeats lines.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from cstar_cli.client.websocket import SocketFatal
from cstar_cli.wire.codes import CLOSE_AUTH, CLOSE_INVALID


def short_path(path: str, team_id: str | None) -> str:
    prefix = f"/api/v1/teams/{team_id}" if team_id else None
    if prefix and path.startswith(prefix):
        return path[len(prefix) :] or "/"
    return path


def clock_time(created_at: str) -> str:
    try:
        moment = datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    except ValueError:
        return created_at
    return moment.astimezone().strftime("%H:%M:%S")


class LogTail:
    """Streams matching entries to ``show`` until stopped; resumes after the last one shown."""

    def __init__(
        self,
        stream_url: str,
        params: dict[str, str],
        show: Callable[[dict[str, Any]], None],
        *,
        on_ready: Callable[[int], None],
        on_disconnect: Callable[[str, float], None],
    ) -> None:
        self._url = stream_url + ("?" + urlencode(params) if params else "")
        self._replay = "since" in params
        self.show = show
        self.on_ready = on_ready
        self.on_disconnect = on_disconnect
        self.last_seq: int | None = None
        self.shown = 0
        self.refusal: tuple[str, str] | None = None
        """The platform's last ``error`` frame (code, message): why it is closing the stream."""

    def url(self) -> str:
        return self._url

    def hello(self) -> dict[str, Any]:
        if self.last_seq is None:
            return {"type": "hello", "after": 0 if self._replay else None}
        return {"type": "hello", "after": self.last_seq}

    def connected(self, ready: dict[str, Any], count: int) -> None:
        if self.last_seq is None and ready.get("after") is not None:
            self.last_seq = int(ready["after"])
        self.on_ready(count)

    async def serve(self, ws: Any, stop: asyncio.Event) -> str | None:
        reader = asyncio.ensure_future(self._read(ws))
        stopper = asyncio.ensure_future(stop.wait())
        done, _ = await asyncio.wait({reader, stopper}, return_when=asyncio.FIRST_COMPLETED)
        for task in (reader, stopper):
            if task not in done:
                task.cancel()
        if reader in done:
            reader.result()  # re-raises ConnectionClosed
            return None
        await ws.close()
        return "stopped"

    async def _read(self, ws: Any) -> None:
        async for message in ws:
            frame = json.loads(message)
            if frame.get("type") == "error":
                self.refusal = (str(frame.get("code")), str(frame.get("message")))
            if frame.get("type") != "logs":
                continue
            for entry in frame.get("entries", []):
                seq = int(entry["seq"])
                if self.last_seq is not None and seq <= self.last_seq:
                    continue  # already shown before a reconnect
                self.last_seq = seq
                self.shown += 1
                self.show(entry)

    async def closed(self, code: int | None, reason: str) -> str | None:
        if code in (CLOSE_INVALID, CLOSE_AUTH):
            if self.refusal is not None:
                raise SocketFatal(*self.refusal)
            raise SocketFatal(reason or "logs_refused", f"the stream was refused ({reason})")
        return None

    def disconnected(self, reason: str, retry_in: float) -> None:
        self.on_disconnect(reason, retry_in)
