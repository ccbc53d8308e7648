"""The cStar API client: ``CstarClient`` / ``AsyncCstarClient``, typed errors, signing helpers.

Names are resolved lazily so ``import cstar_cli.api`` stays cheap and never pulls in httpx
until a client is created.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "CstarClient": "cstar_cli.api.client",
    "AsyncCstarClient": "cstar_cli.api.client",
    "ApiResponse": "cstar_cli.api._core",
    "Page": "cstar_cli.api._core",
    "Pagination": "cstar_cli.api._core",
    "RetryPolicy": "cstar_cli.api._core",
    "DEFAULT_API_BASE": "cstar_cli.api._core",
    "CstarAPIError": "cstar_cli.api.errors",
    "AuthenticationError": "cstar_cli.api.errors",
    "PermissionDeniedError": "cstar_cli.api.errors",
    "NotFoundError": "cstar_cli.api.errors",
    "ValidationError": "cstar_cli.api.errors",
    "ConflictError": "cstar_cli.api.errors",
    "RateLimitError": "cstar_cli.api.errors",
    "ServerError": "cstar_cli.api.errors",
    "InvalidResponseError": "cstar_cli.api.errors",
    "APIConnectionError": "cstar_cli.api.errors",
    "APITimeoutError": "cstar_cli.api.errors",
    "RealtimeEvent": "cstar_cli.api.realtime",
    "RealtimeStream": "cstar_cli.api.realtime",
    "sign_payload": "cstar_cli.api.signing",
    "verify_signature": "cstar_cli.api.signing",
    "construct_event": "cstar_cli.api.signing",
    "SignatureVerificationError": "cstar_cli.api.signing",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'cstar_cli.api' has no attribute {name!r}")
    return getattr(import_module(module), name)
