"""Building requests and reading answers, for the sync and the async client alike.

Builds requests (URL, headers, idempotency key), parses envelopes into :class:`ApiResponse`
(and :class:`Page`), and decides whether and when to retry. Nothing here performs I/O or imports
httpx: sending is :mod:`.clients`' job, over the :class:`~.base.ClientBase` both share.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from cstar_cli.client.errors import (
    APIConnectionError,
    CstarAPIError,
    InvalidResponseError,
    RateLimitError,
    error_from_response,
)
from cstar_cli.wire.camel import camel_json
from cstar_cli.wire.protocol import API_VERSION, CLI_USER_AGENT

WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})
RETRY_STATUSES = frozenset({429, 502, 503, 504})


@dataclass(frozen=True)
class Pagination:
    """Where a page sits in its list."""

    page: int
    page_size: int
    total: int
    total_pages: int
    has_more: bool

    @classmethod
    def from_wire(cls, raw: Mapping[str, Any]) -> Pagination:
        page = int(raw.get("page", 1))
        total_pages = int(raw.get("totalPages", 0))
        return cls(
            page=page,
            page_size=int(raw.get("pageSize", 0)),
            total=int(raw.get("total", 0)),
            total_pages=total_pages,
            has_more=bool(raw.get("hasMore", page < total_pages)),
        )

    def as_json(self) -> dict[str, Any]:
        return camel_json(self)


@dataclass(frozen=True)
class ApiResponse:
    """A successful answer: the envelope's ``data`` and ``meta``, plus HTTP facts."""

    data: Any
    meta: dict[str, Any]
    status: int
    request_id: str | None
    pagination: Pagination | None = None
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def replayed(self) -> bool:
        return bool(self.meta.get("idempotentReplayed"))


@dataclass(frozen=True)
class Page:
    """One page of a list: its items and where it sits."""

    data: list[dict[str, Any]]
    pagination: Pagination | None
    request_id: str | None

    @property
    def has_more(self) -> bool:
        return bool(self.pagination and self.pagination.has_more)


@dataclass(frozen=True)
class RequestSpec:
    """Everything needed to send one request, fixed before the first attempt."""

    method: str
    url: str
    params: dict[str, str]
    headers: dict[str, str]
    body: bytes | None
    bare: bool = False
    """The answer is a JSON object of its own, not an envelope (a data file, D34)."""
    timeout: float | None = None
    """Seconds this request may take, when not the client's (a clock advance waits longer)."""


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter; ``Retry-After`` honoured up to ``max_retry_after``."""

    max_retries: int = 2
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0
    jitter: Callable[[], float] = random.random

    def backoff(self, attempt: int) -> float:
        """Delay before retry number ``attempt`` (0-based): base·2^n, ±50 % jitter, capped."""
        delay: float = min(self.max_delay, self.base_delay * (2**attempt))
        return delay * (0.5 + self.jitter() / 2)

    def delay_for(self, attempt: int, error: CstarAPIError) -> float | None:
        """Seconds to wait before retrying after ``error``, or None to give up."""
        if attempt >= self.max_retries:
            return None
        if isinstance(error, APIConnectionError):
            return self.backoff(attempt)
        if isinstance(error, InvalidResponseError) and error.status not in RETRY_STATUSES:
            return None
        if error.status not in RETRY_STATUSES:
            return None
        if isinstance(error, RateLimitError):
            wait = float(error.retry_after or 0)
            if wait > self.max_retry_after:
                return None
            return max(wait, self.backoff(attempt))
        return self.backoff(attempt)


def clean_params(params: Mapping[str, Any] | None) -> dict[str, str]:
    """Query parameters as strings; None dropped, booleans lower-case, lists comma-joined."""
    out: dict[str, str] = {}
    for key, value in (params or {}).items():
        if value is None:
            continue
        if isinstance(value, bool):
            out[key] = "true" if value else "false"
        elif isinstance(value, list | tuple):
            out[key] = ",".join(str(v) for v in value)
        else:
            out[key] = str(value)
    return out


def segment(value: str) -> str:
    """One URL path segment, escaped (ids never reshape the path)."""
    return quote(value, safe="")


def build_request(
    *,
    api_base: str,
    api_key: str | None,
    method: str,
    path: str,
    params: Mapping[str, Any] | None = None,
    json_body: Any = None,
    idempotency_key: str | None = None,
    extra_headers: Mapping[str, str] | None = None,
    user_agent: str | None = None,
    bare: bool = False,
    timeout: float | None = None,
) -> RequestSpec:
    """Fix URL, headers and body for a request. Writes always carry an ``Idempotency-Key``."""
    method = method.upper()
    if not path.startswith("/"):
        path = "/" + path
    url = api_base.rstrip("/") + path
    headers = {
        "Accept": "application/json",
        "User-Agent": user_agent or CLI_USER_AGENT,
        "CStar-Version": API_VERSION,
    }
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    body: bytes | None = None
    if json_body is not None:
        body = json.dumps(json_body, separators=(",", ":")).encode()
        headers["Content-Type"] = "application/json"
    if method in WRITE_METHODS:
        headers["Idempotency-Key"] = idempotency_key or str(uuid.uuid4())
    if extra_headers:
        headers.update(extra_headers)
    return RequestSpec(method, url, clean_params(params), headers, body, bare=bare, timeout=timeout)


def parse_response(
    status: int, headers: Mapping[str, str], content: bytes, *, bare: bool = False
) -> ApiResponse:
    """Turn an HTTP answer into an :class:`ApiResponse`, or raise the typed API error. With
    ``bare``, a successful answer is a JSON object of its own (its ``data``), not an envelope."""
    lowered = {k.lower(): v for k, v in headers.items()}
    request_id = lowered.get("x-cstar-request-id")
    try:
        body: Any = json.loads(content) if content else None
    except (ValueError, UnicodeDecodeError):
        body = None
        if 200 <= status < 300 or status >= 500 or not content:
            snippet = content[:80].decode("utf-8", "replace").strip()
            raise InvalidResponseError(
                f"The API answered HTTP {status} with a body that is not JSON"
                + (f" ({snippet!r}…)." if snippet else "."),
                status=status,
                request_id=request_id,
            ) from None
    if not 200 <= status < 300:
        raise error_from_response(status, body, lowered)
    if bare and isinstance(body, dict):
        return ApiResponse(
            data=body, meta={}, status=status, request_id=request_id, headers=lowered
        )
    if not isinstance(body, dict) or "data" not in body:
        raise InvalidResponseError(
            f"The API answered HTTP {status} without a cStar envelope.",
            status=status,
            request_id=request_id,
        )
    meta = body.get("meta") if isinstance(body.get("meta"), dict) else {}
    assert isinstance(meta, dict)
    raw_pagination = body.get("pagination") or meta.get("pagination")
    pagination = Pagination.from_wire(raw_pagination) if isinstance(raw_pagination, dict) else None
    return ApiResponse(
        data=body["data"],
        meta=meta,
        status=status,
        request_id=meta.get("requestId") or request_id,
        pagination=pagination,
        headers=lowered,
    )


def to_page(response: ApiResponse) -> Page:
    data = response.data if isinstance(response.data, list) else []
    return Page(data, response.pagination, response.request_id)
