"""The cStar API client: ``CstarClient`` / ``AsyncCstarClient``, typed errors, signing helpers.

Names are resolved lazily so ``import cstar_cli.client`` stays cheap and never pulls in httpx
until a client is created.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "CstarClient": "cstar_cli.client.clients",
    "AsyncCstarClient": "cstar_cli.client.clients",
    "ApiResponse": "cstar_cli.client.requests",
    "Page": "cstar_cli.client.requests",
    "Pagination": "cstar_cli.client.requests",
    "RetryPolicy": "cstar_cli.client.requests",
    "DEFAULT_API_BASE": "cstar_cli.wire.protocol",
    "CstarAPIError": "cstar_cli.client.errors",
    "AuthenticationError": "cstar_cli.client.errors",
    "PermissionDeniedError": "cstar_cli.client.errors",
    "NotFoundError": "cstar_cli.client.errors",
    "ValidationError": "cstar_cli.client.errors",
    "ConflictError": "cstar_cli.client.errors",
    "RateLimitError": "cstar_cli.client.errors",
    "ServerError": "cstar_cli.client.errors",
    "InvalidResponseError": "cstar_cli.client.errors",
    "APIConnectionError": "cstar_cli.client.errors",
    "APITimeoutError": "cstar_cli.client.errors",
    "RealtimeEvent": "cstar_cli.client.realtime",
    "RealtimeStream": "cstar_cli.client.realtime",
    "sign_payload": "cstar_cli.client.signing",
    "verify_signature": "cstar_cli.client.signing",
    "construct_event": "cstar_cli.client.signing",
    "SignatureVerificationError": "cstar_cli.client.signing",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'cstar_cli.client' has no attribute {name!r}")
    return getattr(import_module(module), name)
