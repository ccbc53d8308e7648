"""The ASGI gateway in front of every API route.

In one place and in this order: request id, API version (D7), query bounds (D32), the caller
(``callers``: facts §1, D9, the key-less library of D25), rate limits (D6), team scope, identity
verification (D18), the route's declared access (D23), the 1 MiB body limit and strict JSON
(D32), a fault put there on purpose (D38), idempotency (D8), and the response headers every
answer carries. Routes behind it see an authenticated ``Principal`` in
``request.state.principal`` and a body that is already read.
Websockets are handed to ``wsguard``, so each one ends with its key (D28).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI

from cstar_cli.platform import ids
from cstar_cli.platform.audit.trail import actor_of
from cstar_cli.platform.core import Platform
from cstar_cli.platform.faults.api import apply_api_fault
from cstar_cli.platform.http import callers, identity
from cstar_cli.platform.http.access import authorize
from cstar_cli.platform.http.auth import Principal
from cstar_cli.platform.http.bounds import check_query, parse_body
from cstar_cli.platform.http.errors import ApiError
from cstar_cli.platform.http.idempotency import (
    IDEMPOTENT_METHODS,
    Claim,
    check_key,
    replay_conflict,
)
from cstar_cli.platform.http.lean import PARSED_BODY
from cstar_cli.platform.http.responses import error_bytes
from cstar_cli.platform.http.routing import RESOLVED, Direct, RouteIndex
from cstar_cli.platform.http.wsguard import guard_websocket
from cstar_cli.platform.logs.log import entry_for, error_fields, redact_query
from cstar_cli.platform.settings import (
    API_VERSION,
    DEFAULT_RATE_LIMITS,
    MAX_BODY_BYTES,
    SUPPORTED_API_VERSIONS,
)
from cstar_cli.platform.work import Work
from cstar_cli.wire.times import iso

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("cstar.platform")


class _Outcome:
    """Watches a response go out: its status, and its body when it is an error."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self.status = 0
        self.error_body: list[bytes] = []

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        elif message["type"] == "http.response.body" and self.status >= 400:
            self.error_body.append(message.get("body", b""))
        await self._send(message)


class _Captured:
    """A response on its way out: its status, its start message and its body so far."""

    def __init__(self) -> None:
        self.status = 0
        self.start: Message = {}
        self.chunks: list[bytes] = []
        self.finished = False
        """The whole answer was stored with the write and sent."""


class ApiGateway:
    """Pure ASGI middleware; see the module docstring."""

    def __init__(self, app: FastAPI, platform: Platform, routes: RouteIndex) -> None:
        self.app = app
        self.platform = platform
        self.routes = routes
        self.direct = Direct(app)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket" and scope["path"].startswith("/api/"):
            await guard_websocket(self.app, self.platform, scope, receive, send)  # D28
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = ids.REQUEST + uuid.uuid4().hex
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        state["started"] = time.perf_counter()
        headers = _headers(scope)
        extra_headers: list[tuple[bytes, bytes]] = [(b"x-cstar-request-id", request_id.encode())]
        if not scope["path"].startswith("/api/"):
            await self.app(scope, receive, _with_headers(send, extra_headers))
            return
        state["work"] = Work(self.platform.db, self.platform.outbox)
        outcome = _Outcome(send)
        try:
            await self._serve(scope, receive, outcome.send, headers, request_id, extra_headers)
        finally:
            if self.platform.settings.request_logging:
                self._log(scope, headers, request_id, outcome)

    async def _serve(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        headers: dict[str, str],
        request_id: str,
        extra_headers: list[tuple[bytes, bytes]],
    ) -> None:
        state = scope["state"]
        try:
            version = _api_version(headers.get("cstar-version"))
            extra_headers.append((b"cstar-version", version.encode()))
            check_query(scope.get("query_string", b""))
            principal = callers.identify(self.platform, headers, scope)
            state["principal"] = principal
            self._rate_limit(principal, scope, extra_headers)
            callers.check_team(self.platform, principal, scope["path"])
            shown = identity.presented(headers, scope.get("query_string", b""))
            if shown is not None:
                state["identity"] = identity.verify(self.platform, principal, *shown)
            resolved = self.routes.resolve(scope["path"], scope["method"])
            scope[RESOLVED] = resolved  # the router runs it without walking (http.routing)
            route_access = resolved.access
            authorize(principal, route_access, scope["method"], shown is not None)
            work: Work = state["work"]
            work.actor = actor_of(principal, state.get("identity"), headers.get("user-agent", ""))
            body = await _read_body(receive, headers)
            if body:  # D32, before idempotency; the route reads what it parsed (http.lean)
                state[PARSED_BODY] = parse_body(body, headers.get("content-type"))
            faulted = await apply_api_fault(self.platform.faults, principal, scope)  # D38
            if faulted is not None:
                raise faulted
        except ApiError as err:
            if not any(name == b"x-ratelimit-limit" for name, _ in extra_headers):
                self._anonymous_limit(scope, extra_headers)  # every answer carries them (§1.4)
            await self._send_error(send, err, request_id, extra_headers)
            return
        if body and "json" not in headers.get("content-type", ""):
            # The API speaks only JSON; a missing or form content type (curl -d) is read as JSON.
            scope["headers"] = [
                (k, v) for k, v in scope["headers"] if k.lower() != b"content-type"
            ] + [(b"content-type", b"application/json")]
        replay_receive = _replaying(body, receive)
        idem_key = headers.get("idempotency-key")
        if idem_key is not None and scope["method"] in IDEMPOTENT_METHODS and route_access:
            # (a URL no route takes is answered 404 and never kept for replay)
            await self._idempotent(
                scope, replay_receive, send, principal, idem_key, body, request_id, extra_headers
            )
        else:
            await self._call(scope, replay_receive, send, extra_headers, None)

    def _log(
        self, scope: Scope, headers: dict[str, str], request_id: str, outcome: _Outcome
    ) -> None:
        """Record the request in the team's request log (D17), refusals included."""
        principal: Principal | None = scope["state"].get("principal")
        owner: tuple[str, bool, str] | None
        if principal is not None:
            owner = (principal.team_id, principal.livemode, principal.redacted_key)
        else:
            owner = self.platform.key_owner(callers.authorization(headers, scope))
            if owner is None:
                return  # no key of any team: nobody's log to show it in
        client = scope.get("client")
        query = redact_query(scope.get("query_string", b"").decode("latin-1"))
        self.platform.request_log.record(
            entry_for(
                request_id=request_id,
                team_id=owner[0],
                livemode=owner[1],
                method=scope["method"],
                path=scope["path"] + (f"?{query}" if query else ""),
                status=outcome.status or 500,
                duration_ms=(time.perf_counter() - scope["state"]["started"]) * 1000,
                user_agent=headers.get("user-agent", ""),
                ip_address=client[0] if client else None,
                key=owner[2] or None,  # an anonymous library reader has none
                idempotency_key=headers.get("idempotency-key"),
                error=error_fields(outcome.status, b"".join(outcome.error_body)),
                fault=scope["state"].get("fault"),  # D38
                now=self.platform.now(owner[0], owner[1]),  # the team's time (D37)
            )
        )

    # -- steps -----------------------------------------------------------------------------
    def _rate_limit(
        self, principal: Principal, scope: Scope, extra: list[tuple[bytes, bytes]]
    ) -> None:
        limits = self.platform.settings.rate_limits
        limit = limits.get(principal.key_type, DEFAULT_RATE_LIMITS[principal.key_type])
        limit, remaining, reset, allowed = self.platform.rate_limiter.hit(
            principal.key_id, limit, self.platform.now()
        )
        window = self.platform.settings.rate_limit_window
        extra += [
            (b"x-ratelimit-limit", str(limit).encode()),
            (b"x-ratelimit-remaining", str(remaining).encode()),
            (b"x-ratelimit-reset", str(reset).encode()),
            (b"x-ratelimit-window", str(window).encode()),
        ]
        if not allowed:
            retry_after = max(1, reset - int(self.platform.now()))
            raise ApiError(
                429,
                "rate_limit_exceeded",
                f"Rate limit exceeded. Try again in {retry_after} seconds.",
                extra={"retryAfter": retry_after},
                headers={"Retry-After": str(retry_after)},
            )

    def _anonymous_limit(self, scope: Scope, extra: list[tuple[bytes, bytes]]) -> None:
        """The rate-limit headers of a request refused before it had a caller (no key, a bad
        key): the client address's key-less bucket, read without counting."""
        client = scope.get("client")
        bucket = f"{callers.ANONYMOUS}:{client[0] if client else 'unknown'}"
        limits = self.platform.settings.rate_limits
        limit = limits.get(callers.ANONYMOUS, DEFAULT_RATE_LIMITS[callers.ANONYMOUS])
        remaining, reset = self.platform.rate_limiter.peek(bucket, limit, self.platform.now())
        extra += [
            (b"x-ratelimit-limit", str(limit).encode()),
            (b"x-ratelimit-remaining", str(remaining).encode()),
            (b"x-ratelimit-reset", str(reset).encode()),
            (b"x-ratelimit-window", str(self.platform.settings.rate_limit_window).encode()),
        ]

    async def _idempotent(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        principal: Principal,
        key: str,
        body: bytes,
        request_id: str,
        extra: list[tuple[bytes, bytes]],
    ) -> None:
        """Serve a write that carries an ``Idempotency-Key``: replay the kept answer, refuse a
        conflicting reuse, or run it holding its unit of work so that the write and the answer
        kept for the key commit together (D49)."""
        try:
            check_key(key)
        except ApiError as err:
            await self._send_error(send, err, request_id, extra)
            return
        query = scope["query_string"].decode()
        path = scope["path"] + (f"?{query}" if query else "")
        identity_: identity.Identity | None = scope["state"].get("identity")
        claim = Claim.of(principal, identity_, key, scope["method"], path, body)
        keys = self.platform.idempotency_keys
        row = keys.claim(claim, request_id, self.platform.now(claim.team_id, principal.livemode))
        if row is not None:
            conflict = replay_conflict(row, claim)
            if conflict is None:
                await self._replay(send, row, extra)
            else:
                await self._send_error(send, conflict, request_id, extra)
            return
        captured = _Captured()
        work: Work = scope["state"]["work"]

        def answered(status: int, answer: bytes) -> None:
            work.finish(lambda _db: keys.keep(claim, status, answer))

        work.hold()
        try:
            await self._call(scope, receive, send, extra, captured, answered)
        finally:
            if not captured.finished:  # the route crashed: nothing it wrote stays
                work.release()
                with self.platform.db.transaction():
                    keys.keep(claim, captured.status or 500, b"")

    async def _replay(
        self, send: Send, row: dict[str, Any], extra: list[tuple[bytes, bytes]]
    ) -> None:
        payload = self.platform.idempotency_keys.replayed(row)
        headers = [(name, value) for name, value in extra if name != b"x-cstar-request-id"] + [
            (b"x-cstar-request-id", row["request_id"].encode()),
            (b"idempotent-replayed", b"true"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(payload)).encode()),
        ]
        await send({"type": "http.response.start", "status": row["status"], "headers": headers})
        await send({"type": "http.response.body", "body": payload})

    async def _call(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        extra: list[tuple[bytes, bytes]],
        captured: _Captured | None,
        answered: Callable[[int, bytes], None] | None = None,
    ) -> None:
        """Serve the request with the app. With ``answered``, the answer is held back until it
        is whole, handed to ``answered`` (which commits it with the write, D49), then sent."""
        started = False
        work: Work = scope["state"]["work"]

        async def forward(*messages: Message) -> None:
            nonlocal started
            started = True
            if work.emitted:
                await asyncio.sleep(0)  # the connections its events woke send first
            for message in messages:
                await send(message)

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + extra
                if captured is not None:
                    captured.status = message["status"]
                    captured.start = message
                if answered is None:
                    await forward(message)
                return
            if message["type"] != "http.response.body" or captured is None:
                await send(message)
                return
            captured.chunks.append(message.get("body", b""))
            if answered is None:
                await send(message)
            elif not message.get("more_body", False):
                body = b"".join(captured.chunks)
                answered(captured.status, body)  # nothing awaited since the route wrote
                captured.finished = True
                await forward(captured.start, {"type": "http.response.body", "body": body})

        try:
            if not await self.direct(scope, receive, sending):
                await self.app(scope, receive, sending)
        except Exception:
            log.exception("unhandled error in %s %s", scope["method"], scope["path"])
            if captured is not None:
                captured.status = 500
            if not started:
                err = ApiError(500, "internal_error", "The platform hit an internal error.")
                await self._send_error(send, err, scope["state"]["request_id"], extra)

    async def _send_error(
        self, send: Send, err: ApiError, request_id: str, extra: list[tuple[bytes, bytes]]
    ) -> None:
        payload = error_bytes(err, request_id, iso(self.platform.now()))
        headers = [*extra, (b"content-type", b"application/json")]
        headers += [(k.lower().encode(), v.encode()) for k, v in err.headers.items()]
        headers.append((b"content-length", str(len(payload)).encode()))
        await send({"type": "http.response.start", "status": err.status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})


def _headers(scope: Scope) -> dict[str, str]:
    return {name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]}


def _api_version(requested: str | None) -> str:
    if requested is None or not requested.strip():
        return API_VERSION
    if requested.strip() not in SUPPORTED_API_VERSIONS:
        raise ApiError.invalid(
            f"Unknown CStar-Version '{requested}'. Supported: {', '.join(SUPPORTED_API_VERSIONS)}.",
            param="CStar-Version",
        )
    return requested.strip()


async def _read_body(receive: Receive, headers: dict[str, str]) -> bytes:
    too_large = ApiError(
        413,
        "payload_too_large",
        f"Request body is larger than {MAX_BODY_BYTES} bytes (1 MiB). Send less data per request.",
    )
    declared = headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise too_large
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _with_headers(send: Send, extra: list[tuple[bytes, bytes]]) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = list(message.get("headers", [])) + extra
        await send(message)

    return sending
