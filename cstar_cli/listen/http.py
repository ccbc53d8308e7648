"""A small keep-alive HTTP/1.1 client for POSTing events to the local endpoint.

Forwarding is the relay's hot path: one POST per event, to one origin, with a body we already
hold as bytes. httpx spends most of its per-request time on machinery this case doesn't need
(measured in ``benchmarks/relay.py``: about a third of the relay's throughput), so the relay uses
this client instead: asyncio streams, one ``write`` per request, and ``httptools`` (the parser
uvicorn uses) to read answers, chunked or not. Connections are reused while the server allows;
a request that finds a pooled connection closed by the server is retried once on a new one.

Failures say what happened, because ``cstar listen`` treats them differently (D15): an endpoint
that can't be reached holds its queue, one that answered badly has answered.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from cstar_cli.wire.protocol import MAX_ANSWER_BYTES, SNIPPET_BYTES

_QUICKACK: int | None = getattr(socket, "TCP_QUICKACK", None)

UNREACHABLE = "unreachable"  # nothing answered: refused, or the connection could not be made
DROPPED = "dropped"  # the connection closed or reset after the request, before any answer
TIMEOUT = "timeout"  # no complete answer within the timeout
BROKEN = "broken"  # an answer that is not valid HTTP (bad status line, short body)


class LocalHttpError(Exception):
    """The request got no complete, valid HTTP answer; ``kind`` says which way it failed."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Answer:
    """The local endpoint's answer: its status and the start of its body."""

    status: int
    body: str


@dataclass
class _Answer:
    parser: Any = None
    complete: bool = False
    keep_alive: bool = False
    headers_done: bool = False
    framed: bool = False  # Content-Length or chunked: the body's end is known
    expected: int | None = None
    body_size: int = 0
    snippet: bytearray = field(default_factory=bytearray)

    # httptools callbacks. Keep-alive must be read here: after the message it reads False.
    def on_header(self, name: bytes, value: bytes) -> None:
        lowered = name.lower()
        if lowered == b"content-length":
            self.framed = True
            with contextlib.suppress(ValueError):
                self.expected = int(value)
        elif lowered == b"transfer-encoding" and b"chunked" in value.lower():
            self.framed = True

    def on_headers_complete(self) -> None:
        self.headers_done = True
        self.keep_alive = bool(self.parser.should_keep_alive())

    def on_body(self, body: bytes) -> None:
        self.body_size += len(body)
        room = SNIPPET_BYTES - len(self.snippet)
        if room > 0:
            self.snippet += body[:room]

    def on_message_complete(self) -> None:
        self.complete = True

    def short_body(self) -> str:
        if self.expected is not None:
            return f"{self.body_size} of {self.expected} bytes"
        return f"{self.body_size} bytes, then the connection closed mid-chunk"


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self._socket = writer.get_extra_info("socket")

    def quick_ack(self) -> None:
        """Acknowledge what arrives at once instead of ~40 ms later (Linux).

        Many dev servers (Python's http.server, hence Flask's and Django's) write an answer's
        headers and body separately without TCP_NODELAY: Nagle holds the body until the headers
        are acknowledged, and a delayed ACK makes every forward take ~40 ms.
        """
        if _QUICKACK is not None and self._socket is not None:
            with contextlib.suppress(OSError):
                self._socket.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.writer.close()


class LocalHttpClient:
    """POST to one URL over pooled keep-alive connections."""

    def __init__(
        self, url: str, *, timeout: float = 10.0, verify_tls: bool = True, max_idle: int = 32
    ) -> None:
        parts = urlsplit(url)
        self.https = parts.scheme == "https"
        self.host = parts.hostname or "localhost"
        self.port = parts.port or (443 if self.https else 80)
        self.path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        host_header = parts.netloc.rsplit("@", 1)[-1]
        self.timeout = timeout
        self.max_idle = max_idle
        self._idle: list[_Connection] = []
        self._ssl: ssl.SSLContext | None = None
        if self.https:
            self._ssl = ssl.create_default_context()
            if not verify_tls:
                self._ssl.check_hostname = False
                self._ssl.verify_mode = ssl.CERT_NONE
        self._head = f"POST {self.path} HTTP/1.1\r\nHost: {host_header}\r\n".encode("latin-1")

    async def post(self, body: bytes, headers: dict[str, str]) -> Answer:
        """Send one POST; return the answer, or raise :class:`LocalHttpError`."""
        request = self._request(body, headers)
        try:
            async with asyncio.timeout(self.timeout):
                reused = bool(self._idle)
                connection = self._idle.pop() if reused else await self._connect()
                try:
                    return await self._exchange(connection, request)
                except _StaleConnection as stale:
                    connection.close()
                    if not reused:
                        raise LocalHttpError(
                            f"the local endpoint {stale.how} without answering", DROPPED
                        ) from None
                    return await self._exchange(await self._connect(), request)
        except TimeoutError:
            raise LocalHttpError(f"no answer within {self.timeout:g} s", TIMEOUT) from None
        except _StaleConnection as stale:
            raise LocalHttpError(
                f"the local endpoint {stale.how} without answering", DROPPED
            ) from None

    def _request(self, body: bytes, headers: dict[str, str]) -> bytes:
        lines = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        return self._head + f"{lines}Content-Length: {len(body)}\r\n\r\n".encode("latin-1") + body

    async def _connect(self) -> _Connection:
        try:
            reader, writer = await asyncio.open_connection(
                self.host, self.port, ssl=self._ssl, limit=1 << 20
            )
        except ConnectionRefusedError:
            raise LocalHttpError("connection refused", UNREACHABLE) from None
        except ssl.SSLError as err:
            raise LocalHttpError(f"TLS handshake failed ({err.reason or err})", BROKEN) from None
        except OSError as err:
            raise LocalHttpError(f"cannot connect: {err.strerror or err}", UNREACHABLE) from None
        return _Connection(reader, writer)

    async def _exchange(self, connection: _Connection, request: bytes) -> Answer:
        import httptools

        answer = _Answer()
        parser = httptools.HttpResponseParser(answer)
        answer.parser = parser
        received = False
        try:
            connection.writer.write(request)
            await connection.writer.drain()
            while not answer.complete:
                connection.quick_ack()
                data = await connection.reader.read(65536)
                if not data:
                    if not received:
                        raise _StaleConnection("closed the connection")
                    if answer.headers_done and not answer.framed:
                        answer.complete = True  # a body that ends when the connection does
                        answer.keep_alive = False
                        break
                    if answer.headers_done:
                        raise LocalHttpError(
                            f"broken answer: the body was cut short ({answer.short_body()})",
                            BROKEN,
                        )
                    raise LocalHttpError(
                        "broken answer: the connection closed in the middle of the headers",
                        BROKEN,
                    )
                received = True
                parser.feed_data(data)
                if answer.body_size > MAX_ANSWER_BYTES and not answer.complete:
                    answer.keep_alive = False  # enough of it: don't read the rest
                    break
        except (ConnectionResetError, BrokenPipeError) as err:
            connection.close()
            if not received:
                raise _StaleConnection("reset the connection") from err
            raise LocalHttpError(
                "broken answer: the connection was reset mid-answer", BROKEN
            ) from None
        except httptools.HttpParserError as err:
            connection.close()
            raise LocalHttpError(f"broken answer: not valid HTTP ({err})", BROKEN) from None
        except BaseException:
            connection.close()
            raise
        status = int(parser.get_status_code())
        if answer.keep_alive and len(self._idle) < self.max_idle:
            self._idle.append(connection)
        else:
            connection.close()
        return Answer(status, answer.snippet.decode("utf-8", "replace"))

    async def aclose(self) -> None:
        while self._idle:
            connection = self._idle.pop()
            connection.close()
            with contextlib.suppress(Exception):
                await connection.writer.wait_closed()


class _StaleConnection(Exception):
    """The connection closed before any answer arrived (a pooled one may just be stale)."""

    def __init__(self, how: str) -> None:
        super().__init__(how)
        self.how = how
