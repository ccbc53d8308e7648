"""A small HTTP/1.1 server on asyncio streams: what :class:`~.receiver.Receiver` listens with.

It reads what webhook senders send — a request with a ``Content-Length`` or chunked body,
``Expect: 100-continue``, keep-alive connections — and answers each request with the status and
body its handler returns. Standard library only, and nothing heavy to start: one listening socket
on an event loop the caller already runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus

MAX_HEAD_BYTES = 64 * 1024
MAX_BODY_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Request:
    """One request as it arrived: the request line, the headers in order and the whole body."""

    method: str
    target: str
    headers: tuple[tuple[str, str], ...]
    body: bytes


@dataclass(frozen=True)
class Answer:
    """What to send back."""

    status: int
    body: bytes = b""
    content_type: str = "application/json"


Handler = Callable[[Request], Answer]
"""Called on the event loop for each request, in arrival order; it must not block."""


class BadRequest(Exception):
    """The bytes on the connection are not an HTTP/1.1 request this server reads."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def listening_socket(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A bound, listening TCP socket; ``port=0`` picks a free port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.bind((host, port))
        sock.listen(256)
    except OSError:
        sock.close()
        raise
    sock.setblocking(False)
    return sock


class HttpServer:
    """Serves ``handler`` on one listening socket, on the running event loop."""

    def __init__(self, handler: Handler) -> None:
        self._handler = handler
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self, sock: socket.socket) -> None:
        """Accept connections on ``sock`` (which the server owns from now on)."""
        self._server = await asyncio.start_server(self._serve, sock=sock, limit=MAX_HEAD_BYTES)

    async def close(self) -> None:
        """Stop listening and hang up every open connection."""
        if self._server is None:
            return
        self._server.close()
        for writer in list(self._writers):
            writer.close()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()
        self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        try:
            keep_alive = True
            while keep_alive:
                try:
                    request, keep_alive = await _read_request(reader, writer)
                except BadRequest as err:
                    writer.write(
                        _encode(Answer(err.status, str(err).encode(), "text/plain"), False)
                    )
                    await writer.drain()
                    return
                if request is None:
                    return
                writer.write(_encode(self._handler(request), keep_alive))
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            return  # the sender hung up
        finally:
            self._writers.discard(writer)
            if task is not None:
                self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()


async def _read_request(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> tuple[Request | None, bool]:
    """The next request on the connection and whether the connection stays open after it;
    ``(None, False)`` when the sender closed the connection between requests."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as err:
        if err.partial.strip():
            raise BadRequest(400, "The request ended inside its head.") from None
        return None, False
    except asyncio.LimitOverrunError:
        raise BadRequest(431, "The request head is too large.") from None
    lines = head[:-4].decode("latin-1").split("\r\n")
    try:
        method, target, version = lines[0].split(" ")
    except ValueError:
        raise BadRequest(400, "Not an HTTP request line.") from None
    headers = tuple(_header(line) for line in lines[1:])
    named = {name.lower(): value for name, value in headers}
    if named.get("expect", "").lower() == "100-continue":
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
    if "chunked" in named.get("transfer-encoding", "").lower():
        body = await _read_chunked(reader)
    else:
        body = await reader.readexactly(_length(named.get("content-length", "0")))
    keep_alive = version == "HTTP/1.1" and named.get("connection", "").lower() != "close"
    return Request(method, target, headers, body), keep_alive


def _header(line: str) -> tuple[str, str]:
    name, sep, value = line.partition(":")
    if not sep or not name.strip():
        raise BadRequest(400, f"Not a header line: {line[:40]!r}.")
    return name.strip(), value.strip()


def _length(value: str) -> int:
    if not value.isdigit():
        raise BadRequest(400, "Content-Length must be a number of bytes.")
    if int(value) > MAX_BODY_BYTES:
        raise BadRequest(413, f"The body is larger than {MAX_BODY_BYTES} bytes.")
    return int(value)


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        line = await reader.readuntil(b"\r\n")
        try:
            length = int(line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise BadRequest(400, "A chunk size must be hexadecimal.") from None
        if length == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":
                pass  # trailers: not kept
            return b"".join(chunks)
        size += length
        if size > MAX_BODY_BYTES:
            raise BadRequest(413, f"The body is larger than {MAX_BODY_BYTES} bytes.")
        chunks.append((await reader.readexactly(length + 2))[:-2])


def _encode(answer: Answer, keep_alive: bool) -> bytes:
    try:
        reason = HTTPStatus(answer.status).phrase
    except ValueError:
        reason = ""
    head = [
        f"HTTP/1.1 {answer.status} {reason}",
        f"Content-Type: {answer.content_type}",
        f"Content-Length: {len(answer.body)}",
    ]
    if not keep_alive:
        head.append("Connection: close")
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + answer.body
