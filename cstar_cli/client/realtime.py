"""Realtime events for Python programs: ``CstarClient.realtime()`` (D26, facts §4.6).

An iterator over the Server-Sent Events stream of ``GET /teams/{teamId}/realtime``: every event
the key may see, as delivered (the D11 payload). It reconnects by itself after a drop (jittered
backoff, 0.25 s doubling, capped at 30 s) and resumes with ``Last-Event-ID`` after the last event
it yielded, so a reconnect neither loses nor repeats events. (``reconnect=False`` raises
``APIConnectionError`` at the first drop instead.) A refusal that reconnecting cannot
fix (a revoked key, a 403, a bad filter) is raised as the typed API error.

Example::

    from cstar_cli.client import CstarClient

    with CstarClient("sk_test_…", api_base="http://127.0.0.1:8642") as cstar:
        for event in cstar.realtime(events=["ticket.*"]):
            print(event.id, event.type, event.data["ticket"]["title"])
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from cstar_cli.client.errors import APIConnectionError, CstarAPIError, error_from_response
from cstar_cli.client.requests import RetryPolicy, parse_response
from cstar_cli.wire.protocol import API_VERSION, CLI_USER_AGENT

if TYPE_CHECKING:
    import httpx

READ_TIMEOUT = 45.0  # three missed heartbeats (the platform pings every 15 s)
BACKOFF = RetryPolicy(base_delay=0.25, max_delay=30.0)
ERROR_STATUS = {"authentication_error": 401, "authorization_error": 403}


class RealtimeOptions(TypedDict, total=False):
    """How ``CstarClient.realtime()`` listens, besides which events: see :class:`RealtimeStream`."""

    last_event_id: str | None
    headers: Mapping[str, str] | None
    reconnect: bool
    on_connect: Callable[[int], None] | None
    on_disconnect: Callable[[str, float], None] | None


@dataclass(frozen=True)
class RealtimeEvent:
    """One event from the stream: its id, its type and the payload exactly as delivered."""

    id: str
    type: str
    payload: dict[str, Any]

    @property
    def data(self) -> dict[str, Any]:
        data = self.payload.get("data")
        return data if isinstance(data, dict) else {}


@dataclass(frozen=True)
class SseMessage:
    """One dispatched Server-Sent Events message."""

    event: str
    data: str
    id: str | None


class SseParser:
    """The text/event-stream format, line by line (comments and ``retry:`` are skipped)."""

    def __init__(self) -> None:
        self._event = ""
        self._data: list[str] = []
        self._id: str | None = None

    def feed(self, line: str) -> SseMessage | None:
        """Take one line (without its end); a blank line dispatches the message it ended."""
        if not line:
            if not self._data and self._id is None:
                return None
            message = SseMessage(self._event or "message", "\n".join(self._data), self._id)
            self._event, self._data, self._id = "", [], None
            return message
        if line.startswith(":"):
            return None
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "event":
            self._event = value
        elif name == "data":
            self._data.append(value)
        elif name == "id":
            self._id = value
        return None


@dataclass(eq=False, repr=False)  # a live stream: compared and shown by identity
class RealtimeStream:
    """Iterate to receive events; see the module docstring. ``last_event_id`` is where a new
    iteration resumes (it follows every event yielded)."""

    http: httpx.Client
    url: str
    api_key: str | None
    _: KW_ONLY
    events: Sequence[str] | None = None
    last_event_id: str | None = None
    headers: Mapping[str, str] | None = None
    """Extra request headers, e.g. an identity (``X-Cstar-Identity``…)."""
    reconnect: bool = True
    read_timeout: float = READ_TIMEOUT
    on_connect: Callable[[int], None] | None = None
    on_disconnect: Callable[[str, float], None] | None = None
    sleep: Callable[[float], None] = time.sleep
    connections: int = field(default=0, init=False)

    def __iter__(self) -> Iterator[RealtimeEvent]:
        import httpx

        attempt = 0
        while True:
            try:
                for event in self._connection():
                    attempt = 0
                    yield event
                reason = "the platform ended the stream"
            except CstarAPIError as err:
                if err.status is not None and err.status < 500 and err.status != 429:
                    raise  # refused: reconnecting would not help
                reason = err.message
            except httpx.TransportError as err:
                reason = f"cannot reach the platform ({type(err).__name__})"
            if not self.reconnect:
                raise APIConnectionError(f"The realtime stream ended: {reason}.")
            delay = BACKOFF.backoff(attempt)
            attempt += 1
            if self.on_disconnect is not None:
                self.on_disconnect(reason, delay)
            self.sleep(delay)

    def _request_headers(self) -> dict[str, str]:
        """The stream's own headers, then the caller's, then where to resume."""
        headers = {
            "Accept": "text/event-stream",
            "User-Agent": CLI_USER_AGENT,
            "CStar-Version": API_VERSION,
            **({"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}),
            **(self.headers or {}),
        }
        if self.last_event_id:
            headers["Last-Event-ID"] = self.last_event_id
        return headers

    def _connection(self) -> Iterator[RealtimeEvent]:
        import httpx

        params = {"events": ",".join(self.events)} if self.events else {}
        timeout = httpx.Timeout(10.0, read=self.read_timeout)
        with self.http.stream(
            "GET", self.url, params=params, headers=self._request_headers(), timeout=timeout
        ) as response:
            if response.status_code != 200:
                response.read()
                parse_response(response.status_code, response.headers, response.content)
                raise CstarAPIError(f"The API answered HTTP {response.status_code}.")
            self.connections += 1
            if self.on_connect is not None:
                self.on_connect(self.connections)
            parser = SseParser()
            for line in response.iter_lines():
                message = parser.feed(line)
                if message is None:
                    continue
                if message.event == "error":
                    raise _stream_error(message.data)
                if message.id is None:
                    continue
                payload = json.loads(message.data)
                self.last_event_id = message.id
                yield RealtimeEvent(message.id, message.event, payload)


def _stream_error(data: str) -> CstarAPIError:
    """The error an ``event: error`` message carries (the key was revoked or expired, D28)."""
    try:
        detail = json.loads(data)
    except ValueError:
        detail = {"message": data}
    if not isinstance(detail, dict):
        detail = {"message": str(detail)}
    status = ERROR_STATUS.get(str(detail.get("type")), 500)
    return error_from_response(status, {"error": detail}, {})
