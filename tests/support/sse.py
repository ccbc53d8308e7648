"""A realtime (SSE) stream read in a background thread, for tests: every line, every message.

with SseTap(url, headers={"Authorization": f"Bearer {key}"}) as tap:
    ...make events happen...
    assert tap.wait(lambda t: len(t.events()) == 2)
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from cstar_cli.client.realtime import SseMessage, SseParser

WAIT = 15.0


class SseTap:
    """Opens the stream at once and keeps reading until closed or the server ends it."""

    def __init__(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
    ) -> None:
        self.url = url
        self.status: int | None = None
        self.headers: httpx.Headers | None = None
        self.lines: list[str] = []
        self.messages: list[SseMessage] = []
        self.body = ""
        self.ended = threading.Event()
        self._opened = threading.Event()
        self._changed = threading.Condition()
        self._socket: socket.socket | None = None
        self._thread = threading.Thread(
            target=self._read, args=(dict(headers or {}), dict(params or {})), daemon=True
        )
        self._thread.start()
        assert self._opened.wait(WAIT), "the stream did not open"

    def _read(self, headers: dict[str, str], params: dict[str, str]) -> None:
        try:
            with (
                httpx.Client(timeout=httpx.Timeout(10, read=None)) as client,
                client.stream("GET", self.url, headers=headers, params=params) as response,
            ):
                self.status, self.headers = response.status_code, response.headers
                stream: Any = response.extensions.get("network_stream")
                self._socket = stream.get_extra_info("socket") if stream else None
                if response.status_code != 200:
                    self.body = response.read().decode()
                    return
                self._opened.set()
                parser = SseParser()
                for line in response.iter_lines():
                    with self._changed:
                        self.lines.append(line)
                        message = parser.feed(line)
                        if message is not None:
                            self.messages.append(message)
                        self._changed.notify_all()
        except httpx.HTTPError:
            pass  # closed by the test
        finally:
            self._opened.set()
            self.ended.set()
            with self._changed:
                self._changed.notify_all()

    def events(self) -> list[SseMessage]:
        return [m for m in self.messages if m.id is not None]

    def event_ids(self) -> list[str]:
        return [m.id for m in self.events() if m.id is not None]

    def event_types(self) -> list[str]:
        return [m.event for m in self.events()]

    def event_data(self) -> list[dict[str, Any]]:
        """Each event's ``data`` object (a message's data is the whole event, as JSON)."""
        return [json.loads(m.data)["data"] for m in self.events()]

    def wait(self, condition: Callable[[SseTap], bool], timeout: float = WAIT) -> bool:
        """Wait until ``condition(self)`` holds (or the stream ends); whether it holds."""
        with self._changed:
            self._changed.wait_for(lambda: condition(self) or self.ended.is_set(), timeout)
            return condition(self)

    def close(self) -> None:
        if self._socket is not None:
            with contextlib.suppress(OSError):
                self._socket.shutdown(socket.SHUT_RDWR)
        self._thread.join(WAIT)

    def __enter__(self) -> SseTap:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
