"""Faults on purpose (D38): what a fault may be, said once for the platform, the client and the
CLI."""

from __future__ import annotations

from typing import Literal, get_args

FaultOn = Literal["api", "deliveries"]
FaultStatus = Literal[429, 500, 502, 503, 504]
SignWith = Literal["wrong-secret", "old-secret"]

FAULT_STATUSES: tuple[int, ...] = get_args(FaultStatus)
SIGN_WITH: tuple[str, ...] = get_args(SignWith)

FAULT_CODES = {
    429: "rate_limit_exceeded",
    500: "internal_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}
"""The error code a faulted answer carries, by status (D5's shape; ``type`` from the status)."""

DEFAULT_RETRY_AFTER = 1
"""Seconds a faulted 429 asks the caller to wait when the fault names none."""

REORDER_FLUSH_SECONDS = 2.0
"""A reorder window that is not full after this long is delivered as it stands (shuffled)."""

MAX_DELAY_MS = 60_000
"""The longest a fault may hold a request or a delivery back (a minute)."""

TEST_HELPERS_PREFIX = "/test-helpers"
"""Team-relative paths under this prefix never match an API fault."""

API_MATCH_FORMS = "'POST /tickets', '/tickets/*/messages' or 'DELETE'"
"""How an API fault's match is written on a command line (method, path glob, or both)."""


def parse_api_match(text: str) -> tuple[str | None, str | None]:
    """``"POST /tickets"`` → ``("POST", "/tickets")``; a path alone or a method alone too.
    Anything else is a ``ValueError`` naming the accepted forms."""
    from cstar_cli.wire.enums import HTTP_METHODS

    words = text.split()
    method = words[0].upper() if words and not words[0].startswith("/") else None
    paths = words[1:] if method is not None else words
    if (method is not None and method not in HTTP_METHODS) or len(paths) > 1:
        raise ValueError(f"'{text}' is not a request to match: write {API_MATCH_FORMS}.")
    path = paths[0] if paths else None
    if method is None and path is None:
        raise ValueError(f"An empty match matches nothing useful: write {API_MATCH_FORMS}.")
    return method, path
