"""A small keep-alive HTTP/1.1 client for POSTing events to the local endpoint.

Forwarding is the relay's hot path: one POST per event, to one origin, with a body we already
hold as bytes. httpx spends most of its per-request time on machinery this case doesn't need
(measured in ``benchmarks/relay.py``: about a third of the relay's throughput), so the relay uses
this client instead: asyncio streams, one ``write`` per request, and ``httptools`` (the parser
uvicorn uses) to read answers, chunked or not. Connections are reused while the server allows;
a request that finds a pooled connection closed by the server is retried once on a new one.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


class LocalHttpError(Exception):
    """The request got no HTTP answer: refused, reset, timed out, or not HTTP."""

    def __init__(self, message: str, *, refused: bool = False, timeout: bool = False) -> None:
        super().__init__(message)
        self.refused = refused
        self.timeout = timeout


@dataclass
class _Answer:
    parser: Any = None
    complete: bool = False
    keep_alive: bool = False
    body_size: int = 0
    headers_done: bool = False

    # httptools callbacks. Keep-alive must be read here: after the message it reads False.
    def on_headers_complete(self) -> None:
        self.headers_done = True
        self.keep_alive = bool(self.parser.should_keep_alive())

    def on_body(self, body: bytes) -> None:
        self.body_size += len(body)

    def on_message_complete(self) -> None:
        self.complete = True


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

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

    async def post(self, body: bytes, headers: dict[str, str]) -> int:
        """Send one POST; return the status code, or raise :class:`LocalHttpError`."""
        request = self._request(body, headers)
        try:
            async with asyncio.timeout(self.timeout):
                reused = bool(self._idle)
                connection = self._idle.pop() if reused else await self._connect()
                try:
                    return await self._exchange(connection, request)
                except _StaleConnection:
                    connection.close()
                    if not reused:
                        raise LocalHttpError("the local endpoint closed the connection") from None
                    return await self._exchange(await self._connect(), request)
        except TimeoutError:
            raise LocalHttpError(f"no answer within {self.timeout:g} s", timeout=True) from None

    def _request(self, body: bytes, headers: dict[str, str]) -> bytes:
        lines = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        return self._head + f"{lines}Content-Length: {len(body)}\r\n\r\n".encode("latin-1") + body

    async def _connect(self) -> _Connection:
        try:
            reader, writer = await asyncio.open_connection(
                self.host, self.port, ssl=self._ssl, limit=1 << 20
            )
        except ConnectionRefusedError:
            raise LocalHttpError("connection refused", refused=True) from None
        except OSError as err:
            raise LocalHttpError(f"cannot connect: {err.strerror or err}") from None
        return _Connection(reader, writer)

    async def _exchange(self, connection: _Connection, request: bytes) -> int:
        import httptools

        answer = _Answer()
        parser = httptools.HttpResponseParser(answer)
        answer.parser = parser
        received = False
        try:
            connection.writer.write(request)
            await connection.writer.drain()
            while not answer.complete:
                data = await connection.reader.read(65536)
                if not data:
                    if not received:
                        raise _StaleConnection
                    if answer.headers_done and not answer.complete:
                        parser.feed_data(b"")  # a body that ends when the connection does
                        answer.complete = True
                        break
                    raise LocalHttpError("the local endpoint closed the connection mid-answer")
                received = True
                parser.feed_data(data)
        except (ConnectionResetError, BrokenPipeError) as err:
            connection.close()
            if not received:
                raise _StaleConnection from err
            raise LocalHttpError(f"connection reset ({err})") from None
        except httptools.HttpParserError as err:
            connection.close()
            raise LocalHttpError(f"the local endpoint did not answer HTTP ({err})") from None
        except BaseException:
            connection.close()
            raise
        status = parser.get_status_code()
        if answer.keep_alive and len(self._idle) < self.max_idle:
            self._idle.append(connection)
        else:
            connection.close()
        return int(status)

    async def aclose(self) -> None:
        while self._idle:
            connection = self._idle.pop()
            connection.close()
            with contextlib.suppress(Exception):
                await connection.writer.wait_closed()


class _StaleConnection(Exception):
    """A pooled connection turned out to be closed before any answer arrived."""
