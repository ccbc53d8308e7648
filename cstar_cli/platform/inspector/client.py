"""The inspector as a client of the platform's own REST API, in process.

Reads go straight to the API's routes with the session's principal, the way the gateway hands
them a request — the same handlers, the same JSON, just without a socket, a rate-limit count or
a request-log entry (the inspector refreshes itself; its reads would fill the very log it shows).
Writes — every button — go through the whole stack (CORS, gateway, idempotency, the request log)
with the session's key in ``Authorization``, exactly as ``curl`` or the CLI would send them.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from cstar_cli.platform import ids
from cstar_cli.platform.inspector.sessions import Session
from cstar_cli.platform.work import Work
from cstar_cli.wire.protocol import INSPECTOR_USER_AGENT

Message = MutableMapping[str, Any]
USER_AGENT = INSPECTOR_USER_AGENT  # logged with source "dashboard" (D17), audited "inspector"


class ApiFailure(Exception):
    """An API answer that was not a success: its status and D5 error object."""

    def __init__(self, status: int, error: dict[str, Any]) -> None:
        super().__init__(error.get("message") or f"HTTP {status}")
        self.status = status
        self.error = error


@dataclass
class Answer:
    status: int
    body: dict[str, Any]

    @property
    def data(self) -> Any:
        return self.body.get("data")

    @property
    def pagination(self) -> dict[str, Any]:
        page: dict[str, Any] = self.body.get("pagination") or {}
        return page


class ApiClient:
    """API calls on behalf of one inspector session."""

    def __init__(self, inner: Any, stack: Any, session: Session) -> None:
        self.inner = inner  # the FastAPI app (routes)
        self.stack = stack  # CORS + gateway + routes: what a socket reaches
        self.session = session

    def team_path(self, path: str) -> str:
        return f"/api/v1/teams/{self.session.principal.team_id}/{path.lstrip('/')}"

    async def get(self, path: str, /, **query: Any) -> Answer:
        """``GET`` a team-relative path (or one starting with ``/api/``); raises ``ApiFailure``."""
        full = path if path.startswith("/api/") else self.team_path(path)
        params = {k: v for k, v in query.items() if v is not None and v != ""}
        platform = self.inner.state.platform
        state = {
            "principal": self.session.principal,
            "work": Work(platform.db, platform.outbox),  # what the gateway gives every request
            "request_id": ids.REQUEST + uuid.uuid4().hex,
            "started": time.perf_counter(),
        }
        answer = await _call(self.inner, "GET", full, urlencode(params), b"", [], state)
        if answer.status >= 400:
            raise ApiFailure(answer.status, answer.body.get("error") or {})
        return answer

    async def send(self, method: str, path: str, body: dict[str, Any] | None) -> Answer:
        """A write through the whole stack, with the session's key (it is logged, D17)."""
        payload = json.dumps(body or {}).encode()
        headers = [
            (b"authorization", f"Bearer {self.session.key}".encode()),
            (b"content-type", b"application/json"),
            (b"user-agent", USER_AGENT.encode()),
            (b"idempotency-key", uuid.uuid4().hex.encode()),
            (b"content-length", str(len(payload)).encode()),
        ]
        return await _call(self.stack, method, self.team_path(path), "", payload, headers, {})


async def _call(
    app: Any,
    method: str,
    path: str,
    query: str,
    body: bytes,
    headers: list[tuple[bytes, bytes]],
    state: dict[str, Any],
) -> Answer:
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"inspector"), *headers],
        "client": ("127.0.0.1", 0),
        "server": ("127.0.0.1", 0),
        "state": state,
    }
    sent = False
    status = 500
    chunks: list[bytes] = []

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    raw = b"".join(chunks)
    try:
        parsed = json.loads(raw) if raw else {}
    except ValueError:
        parsed = {}
    return Answer(status, parsed if isinstance(parsed, dict) else {"data": parsed})
