"""Errors raised by :class:`cstar_cli.client.CstarClient`, mirroring the JS SDK's ``CStar*Error``.

Dispatched by HTTP status and error type; each carries ``code``, ``message``, ``request_id``,
``doc_url`` and ``status``. No third-party imports here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass
from typing import Any, ClassVar

DEFAULT_RETRY_AFTER = 60


@dataclass(eq=False, repr=False)  # compared and shown like any exception
class CstarAPIError(Exception):
    """Base class: any failure of an API call (the SDK's ``CStarError``).

    ``type`` and ``code`` default to the class's own ``default_type`` and ``default_code``,
    which a subclass names in its header: ``class NotFoundError(CstarAPIError, code=…)``.
    """

    default_type: ClassVar[str] = "api_error"
    default_code: ClassVar[str] = "api_error"

    message: str
    _: KW_ONLY
    type: str = ""
    code: str = ""
    status: int | None = None
    request_id: str | None = None
    doc_url: str | None = None
    param: str | None = None
    retry_after: int | None = None
    hint: str | None = None
    body: Mapping[str, Any] | None = None

    def __init_subclass__(cls, *, type: str = "", code: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.default_type = type or cls.default_type
        cls.default_code = code or cls.default_code

    def __post_init__(self) -> None:
        super().__init__(self.message)
        self.type = self.type or self.default_type
        self.code = self.code or self.default_code
        self.body = dict(self.body) if self.body is not None else None

    def __str__(self) -> str:
        suffix = f" (request {self.request_id})" if self.request_id else ""
        return f"{self.message}{suffix}"


class AuthenticationError(CstarAPIError, type="authentication_error", code="invalid_api_key"):
    """401: missing, malformed, revoked or expired key."""


class PermissionDeniedError(
    CstarAPIError, type="authorization_error", code="insufficient_permissions"
):
    """403: the key may not do this (publishable key write, other team, test key on live)."""


class NotFoundError(CstarAPIError, type="not_found_error", code="resource_missing"):
    """404: no such resource."""


class ValidationError(CstarAPIError, type="invalid_request_error", code="parameter_invalid"):
    """400/413/422: the request is wrong; ``param`` names the offending input when known."""


class ConflictError(CstarAPIError, type="invalid_request_error", code="resource_conflict"):
    """409: idempotency key reused or in use, or a unique-field conflict."""


class RateLimitError(CstarAPIError, type="rate_limit_error", code="rate_limit_exceeded"):
    """429: over the key's rate limit; ``retry_after`` in seconds (default 60)."""


class ServerError(CstarAPIError, type="api_error", code="internal_error"):
    """5xx from the platform or a proxy in front of it."""


class InvalidResponseError(ServerError, code="invalid_response"):
    """The server answered something that is not a cStar JSON envelope."""


class APIConnectionError(CstarAPIError, type="connection_error", code="connection_failed"):
    """The API could not be reached (DNS, refused, reset, TLS) or did not answer in time."""


class APITimeoutError(APIConnectionError, code="timeout"):
    """The request timed out."""


_BY_STATUS: dict[int, type[CstarAPIError]] = {
    400: ValidationError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: ValidationError,
    422: ValidationError,
    429: RateLimitError,
}


def error_class_for(status: int) -> type[CstarAPIError]:
    """The error class for an HTTP status (5xx → ServerError; other 4xx → CstarAPIError)."""
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if status >= 500:
        return ServerError
    return CstarAPIError


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def error_from_response(
    status: int,
    body: Any,
    headers: Mapping[str, str],
) -> CstarAPIError:
    """Build the typed error for a non-2xx answer (``body`` is the parsed JSON, or None)."""
    request_id = headers.get("x-cstar-request-id")
    cls = error_class_for(status)
    detail = body.get("error") if isinstance(body, dict) else None
    retry_after = _int_or_none(headers.get("retry-after"))
    if isinstance(detail, dict):
        if retry_after is None:
            retry_after = _int_or_none(detail.get("retryAfter"))
        if cls is RateLimitError and retry_after is None:
            retry_after = DEFAULT_RETRY_AFTER
        return cls(
            str(detail.get("message") or f"HTTP {status}"),
            type=detail.get("type", ""),
            code=detail.get("code", ""),
            status=status,
            request_id=detail.get("request_id") or request_id,
            doc_url=detail.get("doc_url"),
            param=detail.get("param"),
            retry_after=retry_after,
            body=body,
        )
    if isinstance(detail, str):  # an old-style {"error": "Invalid API key"}
        return cls(detail, status=status, request_id=request_id, retry_after=retry_after)
    if cls is RateLimitError and retry_after is None:
        retry_after = DEFAULT_RETRY_AFTER
    return cls(
        f"The API answered HTTP {status} without a cStar error body.",
        status=status,
        request_id=request_id,
        retry_after=retry_after,
    )


def from_transport(err: Exception, api_base: str) -> CstarAPIError:
    """The typed error for a request that got no HTTP answer (httpx's transport errors)."""
    import httpx

    if isinstance(err, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return APIConnectionError(
            f"The API base {api_base!r} is not a valid http(s) URL.",
            code="invalid_api_base",
            hint="Use a base like https://www.cstar.help or http://127.0.0.1:8642.",
        )
    if isinstance(err, httpx.TimeoutException):
        return APITimeoutError(
            f"The API at {api_base} did not answer in time.",
            hint="Check your network, or try again.",
        )
    return APIConnectionError(
        f"Could not reach the API at {api_base} ({type(err).__name__}: {err or 'no details'}).",
        hint="Check your network and --api-base; for the local platform, start `cstar dev`.",
    )
