"""CORS (D24): every ``/api/…`` route answers pages served from other origins.

Pure ASGI, in front of the gateway. A preflight (``OPTIONS`` with ``Origin`` and
``Access-Control-Request-Method``) needs no key: it answers 204 with the allowed methods, request
headers and a max age. Every other request that carries an ``Origin`` gets
``Access-Control-Allow-Origin`` (the request's origin) and ``Access-Control-Expose-Headers`` on
its answer, errors included, so a page can read ``x-cstar-request-id`` and the rate-limit headers.

By default any origin may call (the platform listens on loopback); ``cstar dev --cors-origin
ORIGIN`` (repeatable) allows only those, plus the platform's own origin. A request from an origin
that is not allowed is refused (403 ``insufficient_permissions``) before it reaches any route, so a
page a developer happens to visit cannot make changes through the platform either.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from cstar_cli.platform import ids
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.http.responses import error_bytes
from cstar_cli.wire.times import iso

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

ALLOW_METHODS = "GET, POST, PATCH, DELETE"
ALLOW_HEADERS = (
    "Authorization, Content-Type, Idempotency-Key, CStar-Version, X-Cstar-Identity, "
    "X-Cstar-Identity-Hash, Last-Event-ID"
)
EXPOSE_HEADERS = (
    "x-cstar-request-id, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, "
    "X-RateLimit-Window, Retry-After, Idempotent-Replayed, CStar-Version"
)
MAX_AGE = "600"
ANY = "*"
NULL_ORIGIN = "null"  # pages opened from file:// and sandboxed frames
DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_origin(value: str) -> str:
    """``scheme://host[:port]`` as browsers send it; ``ValueError`` saying why otherwise.

    ``*`` (any origin) and ``null`` (file:// pages) are kept as they are.
    """
    text = value.strip()
    if text in (ANY, NULL_ORIGIN):
        return text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise ValueError(f"{value!r} is not an origin (scheme://host[:port]).") from None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"{value!r} is not an origin: use http://host[:port] or https://…")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise ValueError(f"{value!r} is not an origin: no path, query or user, just scheme://host.")
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    shown_port = "" if port is None or port == DEFAULT_PORTS[parts.scheme] else f":{port}"
    return f"{parts.scheme}://{host}{shown_port}"


class Cors:
    """Answers preflights and adds the CORS headers (see the module docstring)."""

    def __init__(
        self, app: ASGIApp, origins: Iterable[str] = (), clock: Callable[[], float] = time.time
    ) -> None:
        self.app = app
        allowed = {normalize_origin(origin) for origin in origins}
        self.any_origin = not allowed or ANY in allowed
        self.origins = frozenset(allowed)
        self.clock = clock

    def allows(self, origin: str, scope: Scope) -> bool:
        if self.any_origin or origin in self.origins:
            return True
        host = _header(scope, b"host")
        return host is not None and origin == f"{scope.get('scheme', 'http')}://{host}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        origin = _header(scope, b"origin")
        if origin is None:
            await self.app(scope, receive, send)
            return
        allowed = self.allows(origin, scope)
        preflight = scope["method"] == "OPTIONS" and _header(
            scope, b"access-control-request-method"
        )
        if not allowed:
            await self._refuse(send, origin)
            return
        cors = [
            (b"access-control-allow-origin", origin.encode("latin-1")),
            (b"vary", b"Origin"),
        ]
        if preflight:
            headers = cors + [
                (b"access-control-allow-methods", ALLOW_METHODS.encode()),
                (b"access-control-allow-headers", ALLOW_HEADERS.encode()),
                (b"access-control-max-age", MAX_AGE.encode()),
                (b"content-length", b"0"),
            ]
            await send({"type": "http.response.start", "status": 204, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        cors.append((b"access-control-expose-headers", EXPOSE_HEADERS.encode()))

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + cors
            await send(message)

        await self.app(scope, receive, sending)

    async def _refuse(self, send: Send, origin: str) -> None:
        allowed = ", ".join(sorted(self.origins))
        err = ApiError.forbidden(
            "insufficient_permissions",
            f"Origin {origin} may not call this platform: `cstar dev --cors-origin` allows only "
            f"{allowed}. Add --cors-origin {origin} to allow it.",
        )
        err.param = "Origin"
        request_id = ids.REQUEST + uuid.uuid4().hex
        body = error_bytes(err, request_id, iso(self.clock()))
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"x-cstar-request-id", request_id.encode()),
            (b"vary", b"Origin"),
        ]
        await send({"type": "http.response.start", "status": 403, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key.lower() == name:
            decoded: str = value.decode("latin-1")
            return decoded
    return None
